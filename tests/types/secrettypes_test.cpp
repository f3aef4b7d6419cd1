#include <jubilant/format.hpp>
#include <jubilant/secrettypes.hpp>

#include <chrono>
#include <sstream>
#include <string>
#include <unordered_set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>

namespace jubilant {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;
using ::testing::Not;

// 2025-06-26T09:43:38Z etc., built independently of the parser under test.
SecretTime utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
    return SecretTime{sys_days(year(y) / month(mo) / day(d))} + hours(h) + minutes(mi) + seconds(s);
}

template <class F>
std::string error_of(F&& parse) {
    try {
        parse();
    } catch (const ParseError& e) {
        return e.what();
    }
    return "no exception";
}

constexpr std::string_view kMultipleSecrets = R"({
    "d0vdtqnmp25c762e7jug": {
        "revision": 2,
        "owner": "<model>",
        "name": "admin-account",
        "created": "2025-06-03T11:39:23Z",
        "updated": "2025-06-03T11:39:35Z"
    },
    "d0vdtqeski35bidi7jug": {
        "revision": 1,
        "owner": "user",
        "name": "admin-password",
        "created": "2025-06-03T13:39:23Z",
        "updated": "2025-06-03T13:39:35Z"
    }
})";

constexpr std::string_view kSingleSecret = R"({
    "d1ehcifmp25c76e01vhg": {
        "revision": 1,
        "expires": "2025-06-27T09:43:38Z",
        "rotation": "daily",
        "rotates": "2025-06-27T09:43:38Z",
        "owner": "example-charm",
        "description": "Some description",
        "label": "example-charm-secret",
        "created": "2025-06-26T09:43:38Z",
        "updated": "2025-06-26T09:43:38Z"
    }
})";

constexpr std::string_view kRevealed = R"({
    "d1ehcifmp25c76e01vhg": {
        "revision": 1,
        "checksum": "6e7780224ca82a052f4fe9bc57f8e25d2bd012fa0ca40891a083c8f1b2748a29",
        "owner": "example-charm",
        "label": "example-charm-secret",
        "created": "2025-06-26T09:43:38Z",
        "updated": "2025-06-26T09:43:38Z",
        "content": {"Data": {"password": "secret", "username": "admin"}}
    }
})";

constexpr std::string_view kRevisions = R"({
    "d1ehcifmp25c76e01vhg": {
        "revision": 2,
        "owner": "example-charm",
        "created": "2025-06-26T09:43:38Z",
        "updated": "2025-06-26T09:43:38Z",
        "revisions": [
            {"revision": 1, "backend": "demo-local", "created": "2025-06-26T09:43:38Z",
             "updated": "2025-06-26T09:43:38Z", "expires": "2025-06-27T09:43:38Z"},
            {"revision": 2, "created": "2025-06-27T09:43:38.123456789Z",
             "updated": "2025-06-27T11:43:38+02:00"}
        ]
    }
})";

constexpr std::string_view kWithAccess = R"({
    "d0vdtqnmp25c762e7jug": {
        "revision": 2,
        "owner": "<model>",
        "name": "admin-account",
        "created": "2025-06-03T11:39:23Z",
        "updated": "2025-06-03T11:39:35Z",
        "access": [
            {"target": "application-example-charm",
             "scope": "model-7fc4913e-e356-4783-8e80-f2ac9f19759e", "role": "view"}
        ]
    }
})";

TEST(SecretURI, UniqueIdentifier) {
    EXPECT_EQ(SecretURI("abc").unique_identifier(), "abc");
    EXPECT_EQ(SecretURI("secret:xyz").unique_identifier(), "xyz");
    EXPECT_EQ(SecretURI("secret://model-uuid/unique").unique_identifier(), "unique");
    EXPECT_EQ(SecretURI("").unique_identifier(), "");
}

TEST(SecretURI, ComparesWithTextAndPrintsIt) {
    const SecretURI uri("secret:abc");
    EXPECT_EQ(uri, "secret:abc");
    EXPECT_EQ("secret:abc", uri);
    EXPECT_NE(uri, "secret:abd");
    EXPECT_EQ(uri.str(), "secret:abc");
    EXPECT_LT(SecretURI("secret:a"), SecretURI("secret:b"));
    std::ostringstream os;
    os << uri;
    EXPECT_EQ(os.str(), "secret:abc");
    EXPECT_EQ(fmt::format("{}", uri), "secret:abc");
    const std::unordered_set<SecretURI> set{uri, SecretURI("secret:abc"), SecretURI("x")};
    EXPECT_EQ(set.size(), 2U);
}

TEST(SecretFromJson, ShowSecret) {
    const Secret secret = Secret::from_json(kSingleSecret);
    Secret expected;
    expected.uri = SecretURI("secret:d1ehcifmp25c76e01vhg");
    expected.revision = 1;
    expected.owner = "example-charm";
    expected.created = utc(2025, 6, 26, 9, 43, 38);
    expected.updated = utc(2025, 6, 26, 9, 43, 38);
    expected.expires = "2025-06-27T09:43:38Z";
    expected.rotation = "daily";
    expected.rotates = utc(2025, 6, 27, 9, 43, 38);
    expected.label = "example-charm-secret";
    expected.description = "Some description";
    EXPECT_EQ(secret, expected);
    EXPECT_FALSE(secret.name.has_value());
    EXPECT_FALSE(secret.access.has_value());
    EXPECT_FALSE(secret.revisions.has_value());
}

TEST(SecretFromJson, ListKeepsJujuOrder) {
    const std::vector<Secret> secrets = Secret::list_from_json(kMultipleSecrets);
    ASSERT_EQ(secrets.size(), 2U);
    // Document order, not key order ("d0vdtqe..." sorts before "d0vdtqn...").
    EXPECT_EQ(secrets[0].uri, "secret:d0vdtqnmp25c762e7jug");
    EXPECT_EQ(secrets[0].revision, 2);
    EXPECT_EQ(secrets[0].owner, "<model>");
    EXPECT_EQ(secrets[0].name, "admin-account");
    EXPECT_EQ(secrets[0].created, utc(2025, 6, 3, 11, 39, 23));
    EXPECT_EQ(secrets[0].updated, utc(2025, 6, 3, 11, 39, 35));
    EXPECT_EQ(secrets[1].uri.unique_identifier(), "d0vdtqeski35bidi7jug");
    EXPECT_EQ(secrets[1].owner, "user");
    EXPECT_TRUE(Secret::list_from_json("{}").empty());
}

TEST(SecretFromJson, Revisions) {
    const Secret secret = Secret::from_json(kRevisions);
    ASSERT_TRUE(secret.revisions.has_value());
    ASSERT_EQ(secret.revisions->size(), 2U);
    const Revision& first = (*secret.revisions)[0];
    EXPECT_EQ(first, (Revision{.revision = 1,
                               .backend = "demo-local",
                               .created = utc(2025, 6, 26, 9, 43, 38),
                               .updated = utc(2025, 6, 26, 9, 43, 38),
                               .expires = utc(2025, 6, 27, 9, 43, 38)}));
    const Revision& second = (*secret.revisions)[1];
    EXPECT_EQ(second.backend, "");
    EXPECT_FALSE(second.expires.has_value());
    // Digits beyond microseconds are dropped, and offsets are folded into UTC.
    EXPECT_EQ(second.created, utc(2025, 6, 27, 9, 43, 38) + microseconds(123456));
    EXPECT_EQ(second.updated, utc(2025, 6, 27, 9, 43, 38));
}

TEST(SecretFromJson, Access) {
    const Secret secret = Secret::from_json(kWithAccess);
    ASSERT_TRUE(secret.access.has_value());
    ASSERT_EQ(secret.access->size(), 1U);
    EXPECT_EQ((*secret.access)[0], (Access{.target = "application-example-charm",
                                           .scope = "model-7fc4913e-e356-4783-8e80-f2ac9f19759e",
                                           .role = "view"}));
}

TEST(SecretFromJson, EmptyListsBecomeUnset) {
    const Secret secret = Secret::from_json(R"({"id1": {"revision": 1, "owner": "o",
        "created": "2025-01-01T00:00:00Z", "updated": "2025-01-01T00:00:00Z",
        "access": [], "revisions": null, "name": null}})");
    EXPECT_FALSE(secret.access.has_value());
    EXPECT_FALSE(secret.revisions.has_value());
    EXPECT_FALSE(secret.name.has_value());
}

TEST(SecretFromJson, UriMemberOverridesTheKey) {
    // Jubilant builds {'uri': key, **entry}, so an entry's own "uri" wins.
    const Secret secret = Secret::from_json(R"({"key": {"uri": "inner", "revision": 1,
        "owner": "o", "created": "2025-01-01T00:00:00Z", "updated": "2025-01-01T00:00:00Z"}})");
    EXPECT_EQ(secret.uri, "secret:inner");
}

TEST(RevealedSecretFromJson, Content) {
    const RevealedSecret secret = RevealedSecret::from_json(kRevealed);
    EXPECT_EQ(secret.uri, "secret:d1ehcifmp25c76e01vhg");
    EXPECT_EQ(secret.revision, 1);
    EXPECT_EQ(secret.label, "example-charm-secret");
    EXPECT_EQ(secret.checksum, "6e7780224ca82a052f4fe9bc57f8e25d2bd012fa0ca40891a083c8f1b2748a29");
    EXPECT_EQ(secret.content,
              (std::map<std::string, std::string>{{"password", "secret"}, {"username", "admin"}}));
}

TEST(RevealedSecretFromJson, Juju35HasNoChecksum) {
    const RevealedSecret secret = RevealedSecret::from_json(R"({"d1ehcifmp25c76e01vhg": {
        "revision": 1, "owner": "example-charm", "created": "2025-06-26T09:43:38Z",
        "updated": "2025-06-26T09:43:38Z", "content": {"Data": {"password": "secret"}}}})");
    EXPECT_EQ(secret.checksum, "");
    EXPECT_EQ(secret.content.at("password"), "secret");
}

TEST(SecretFromJson, Errors) {
    const auto show = [](std::string_view json) {
        return error_of([&] { Secret::from_json(json); });
    };
    const auto reveal = [](std::string_view json) {
        return error_of([&] { RevealedSecret::from_json(json); });
    };
    const auto list = [](std::string_view json) {
        return error_of([&] { Secret::list_from_json(json); });
    };
    const std::string times =
        R"("created": "2025-01-01T00:00:00Z", "updated": "2025-01-01T00:00:00Z")";

    EXPECT_EQ(show(R"({"abc": {"revision": 1, "created": "2025-01-01T00:00:00Z"}})"),
              R"(show-secret JSON: ."abc".owner: missing required field)");
    EXPECT_EQ(show(R"({"abc": {"owner": "o"}})"),
              R"(show-secret JSON: ."abc".revision: missing required field)");
    EXPECT_EQ(show(R"({"abc": {"revision": "1", "owner": "o"}})"),
              R"(show-secret JSON: ."abc".revision: expected an integer, got string)");
    EXPECT_EQ(show(R"({"abc": {"revision": 1, "owner": "o", "created": "2025-01-01T00:00:00Z"}})"),
              R"(show-secret JSON: ."abc".updated: missing required field)");
    EXPECT_EQ(show(R"({"abc": {"revision": 1, "owner": "o", "created": "yesterday"}})"),
              R"(show-secret JSON: ."abc".created: invalid ISO 8601 timestamp "yesterday")");
    EXPECT_EQ(show(R"({"abc": {"revision": 1, "owner": "o", )" + times +
                   R"(, "access": [{"target": "t", "scope": "s"}]}})"),
              R"(show-secret JSON: ."abc".access[0].role: missing required field)");
    EXPECT_EQ(show(R"({"abc": {"revision": 1, "owner": "o", )" + times +
                   R"(, "revisions": [{"revision": 1, "created": 5}]}})"),
              R"(show-secret JSON: ."abc".revisions[0].created: expected a string, got integer)");
    EXPECT_EQ(show(R"({"abc": {"revision": 1, "owner": "o", )" + times + R"(, "label": 1}})"),
              R"(show-secret JSON: ."abc".label: expected a string, got integer)");
    EXPECT_EQ(show(R"({"abc": []})"), R"(show-secret JSON: ."abc": expected an object, got array)");
    EXPECT_EQ(show("{}"),
              "show-secret JSON: .: expected an object with one entry, got an empty object");
    EXPECT_EQ(show(""), "show-secret JSON: empty document (no JSON value in the input)");
    EXPECT_THAT(show("{\"abc\": tru}"), HasSubstr("show-secret JSON: invalid JSON at byte 11: "));

    EXPECT_EQ(reveal(R"({"abc": {"revision": 1, "owner": "o", )" + times + "}}"),
              R"(show-secret JSON: ."abc".content: missing required field)");
    EXPECT_EQ(reveal(R"({"abc": {"revision": 1, "owner": "o", )" + times + R"(, "content": {}}})"),
              R"(show-secret JSON: ."abc".content.Data: missing required field)");
    EXPECT_EQ(reveal(R"({"abc": {"revision": 1, "owner": "o", )" + times +
                     R"(, "content": {"Data": {"k": 1}}}})"),
              R"(show-secret JSON: ."abc".content.Data."k": expected a string, got integer)");

    EXPECT_EQ(
        list(R"({"a": {"revision": 1, "owner": "o", )" + times + R"(}, "b.c": {"revision": 1}})"),
        R"(secrets JSON: ."b.c".owner: missing required field)");
    EXPECT_EQ(list("[]"), "secrets JSON: .: expected an object, got array");
    EXPECT_EQ(list(" "), "secrets JSON: empty document (no JSON value in the input)");
}

TEST(Iso8601, ParsesTheFormsJubilantAccepts) {
    EXPECT_EQ(parse_iso8601("2025-06-26T09:43:38Z"), utc(2025, 6, 26, 9, 43, 38));
    EXPECT_EQ(parse_iso8601("2025-06-26T09:43:38+00:00"), utc(2025, 6, 26, 9, 43, 38));
    EXPECT_EQ(parse_iso8601("2025-06-26T09:43:38+13:00"), utc(2025, 6, 25, 20, 43, 38));
    EXPECT_EQ(parse_iso8601("2025-06-26T09:43:38-0130"), utc(2025, 6, 26, 11, 13, 38));
    EXPECT_EQ(parse_iso8601("2025-06-26 09:43:38.5Z"),
              utc(2025, 6, 26, 9, 43, 38) + milliseconds(500));
    EXPECT_EQ(parse_iso8601("2025-06-26T09:43Z"), utc(2025, 6, 26, 9, 43, 0));
    EXPECT_EQ(parse_iso8601("2024-02-29"), utc(2024, 2, 29, 0, 0, 0));
    // Go's zero time, which microsecond time points can hold.
    EXPECT_EQ(parse_iso8601("0001-01-01T00:00:00Z"), utc(1, 1, 1, 0, 0, 0));
}

TEST(Iso8601, RejectsMalformedTimestamps) {
    for (const std::string_view text :
         {"", "2025", "2025-06", "2025-6-26", "2025-13-01", "2025-02-30", "2023-02-29",
          "0000-01-01", "2025-06-26T", "2025-06-26T24:00:00Z", "2025-06-26T09:60:00Z",
          "2025-06-26T09:43:61Z", "2025-06-26T09:43:38.Z", "2025-06-26T09:43:38z",
          "2025-06-26T09:43:38+1", "2025-06-26T09:43:38+24:00", "2025-06-26T09:43:38Zjunk",
          "2025-06-26X09:43:38Z", " 2025-06-26"}) {
        EXPECT_EQ(parse_iso8601(text), std::nullopt) << text;
    }
}

TEST(Iso8601, FormatRoundTrips) {
    EXPECT_EQ(format_iso8601(utc(2025, 6, 26, 9, 43, 38)), "2025-06-26T09:43:38Z");
    EXPECT_EQ(format_iso8601(utc(2025, 6, 26, 9, 43, 38) + microseconds(120000)),
              "2025-06-26T09:43:38.12Z");
    EXPECT_EQ(format_iso8601(utc(1, 1, 1, 0, 0, 0)), "0001-01-01T00:00:00Z");
    for (const std::string_view text :
         {"1969-12-31T23:59:59.999999Z", "2025-06-26T09:43:38Z", "9999-12-31T23:59:59Z"}) {
        const auto parsed = parse_iso8601(text);
        ASSERT_TRUE(parsed.has_value()) << text;
        EXPECT_EQ(format_iso8601(*parsed), text);
    }
}

TEST(SecretPrint, ReprLayout) {
    const Secret secret = Secret::from_json(kWithAccess);
    std::ostringstream os;
    os << secret;
    EXPECT_EQ(os.str(),
              "Secret(\n"
              "  uri=SecretURI('secret:d0vdtqnmp25c762e7jug'),\n"
              "  revision=2,\n"
              "  owner='<model>',\n"
              "  created=2025-06-03T11:39:23Z,\n"
              "  updated=2025-06-03T11:39:35Z,\n"
              "  name='admin-account',\n"
              "  access=[\n"
              "    Access(target='application-example-charm', "
              "scope='model-7fc4913e-e356-4783-8e80-f2ac9f19759e', role='view'),\n"
              "  ],\n"
              ")");
    EXPECT_EQ(fmt::format("{}", secret), os.str());
    EXPECT_EQ(fmt::format("{}", (*secret.access)[0]),
              "Access(target='application-example-charm', "
              "scope='model-7fc4913e-e356-4783-8e80-f2ac9f19759e', role='view')");
}

TEST(SecretPrint, RevealedContentIsMasked) {
    const RevealedSecret secret = RevealedSecret::from_json(kRevealed);
    const std::string text = fmt::format("{}", secret);
    EXPECT_THAT(text, HasSubstr("content={'password': <hidden>, 'username': <hidden>}"));
    EXPECT_THAT(text, HasSubstr("checksum='6e7780224ca8"));
    EXPECT_THAT(text, Not(HasSubstr("'secret'")));
    EXPECT_THAT(text, Not(HasSubstr("admin'")));
}

}  // namespace
}  // namespace jubilant
