#include <jubilant/format.hpp>
#include <jubilant/unittypes.hpp>

#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>

namespace jubilant {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kFull = R"({
    "mysql/0": {
        "workload-version": "8.0.41",
        "relation-info": [
            {
                "endpoint": "database",
                "relation-id": 5,
                "related-endpoint": "database",
                "cross-model": false,
                "application-data": {"foo": "bar"},
                "local-unit": {"in-scope": true, "data": {"ingress-address": "10.0.0.1"}},
                "related-units": {
                    "wordpress/0": {"in-scope": true, "data": {"egress-subnets": "10.1.1.1/32"}}
                }
            }
        ],
        "opened-ports": ["3306/tcp"],
        "charm": "mysql",
        "leader": true,
        "life": "alive",
        "machine": "0",
        "public-address": "10.0.0.1",
        "address": "10.0.0.1",
        "provider-id": "mysql-0"
    }
})";

constexpr std::string_view kMinimal = R"({
    "mysql/0": {"opened-ports": ["3306/tcp"], "charm": "mysql", "leader": false}
})";

std::string error_of(std::string_view json) {
    try {
        UnitInfo::from_json(json);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "no exception";
}

TEST(UnitInfoFromJson, Full) {
    const UnitInfo info = UnitInfo::from_json(kFull);
    const UnitInfo expected{
        .opened_ports = {"3306/tcp"},
        .charm = "mysql",
        .leader = true,
        .workload_version = "8.0.41",
        .machine = "0",
        .public_address = "10.0.0.1",
        .life = "alive",
        .relation_info = {RelationData{
            .relation_id = 5,
            .endpoint = "database",
            .related_endpoint = "database",
            .app_data = {{"foo", "bar"}},
            .cross_model = false,
            .local_unit =
                UnitRelationData{.in_scope = true, .data = {{"ingress-address", "10.0.0.1"}}},
            .related_units = {{"wordpress/0",
                               {.in_scope = true, .data = {{"egress-subnets", "10.1.1.1/32"}}}}},
        }},
        .provider_id = "mysql-0",
        .address = "10.0.0.1",
    };
    EXPECT_EQ(info, expected);
    EXPECT_EQ(info.relation_info[0].app_data.at("foo").as_string(), "bar");
}

TEST(UnitInfoFromJson, Minimal) {
    EXPECT_EQ(UnitInfo::from_json(kMinimal),
              (UnitInfo{.opened_ports = {"3306/tcp"}, .charm = "mysql", .leader = false}));
}

TEST(UnitInfoFromJson, GoNilCollectionsAndNullOptionals) {
    // Go writes nil slices and maps as null; Jubilant would keep None, read here as empty.
    const UnitInfo info = UnitInfo::from_json(R"({"app/1": {
        "opened-ports": null, "charm": "ch:amd64/app-3", "leader": true, "machine": null,
        "relation-info": [{"relation-id": 0, "endpoint": "peers", "related-endpoint": "peers",
                           "application-data": null, "cross-model": null,
                           "local-unit": null, "related-units": null}]}})");
    EXPECT_TRUE(info.opened_ports.empty());
    EXPECT_EQ(info.machine, "");
    ASSERT_EQ(info.relation_info.size(), 1U);
    EXPECT_EQ(info.relation_info[0],
              (RelationData{.relation_id = 0, .endpoint = "peers", .related_endpoint = "peers"}));
}

TEST(UnitInfoFromJson, RelationDataKeepsNonStringValues) {
    const UnitInfo info = UnitInfo::from_json(R"({"u/0": {
        "opened-ports": [], "charm": "c", "leader": false,
        "relation-info": [{"relation-id": 1, "endpoint": "e", "related-endpoint": "r",
                           "application-data": {"n": 1, "nested": {"a": [true, null]}}}]}})");
    const Value::Object& data = info.relation_info[0].app_data;
    EXPECT_EQ(data.at("n"), Value(1));
    EXPECT_EQ(data.at("nested"), Value(Value::Object{{"a", Value::Array{true, nullptr}}}));
}

TEST(UnitInfoFromJson, MissingRequiredFields) {
    EXPECT_EQ(error_of(R"({"pg/0": {"charm": "pg", "leader": true}})"),
              R"(show-unit JSON: ."pg/0".opened-ports: missing required field)");
    EXPECT_EQ(error_of(R"({"pg/0": {"opened-ports": [], "leader": true}})"),
              R"(show-unit JSON: ."pg/0".charm: missing required field)");
    EXPECT_EQ(error_of(R"({"pg/0": {"opened-ports": [], "charm": "pg"}})"),
              R"(show-unit JSON: ."pg/0".leader: missing required field)");
    const std::string base = R"({"pg/0": {"opened-ports": [], "charm": "pg", "leader": true, )";
    EXPECT_EQ(error_of(base + R"("relation-info": [{"endpoint": "e"}]}})"),
              R"(show-unit JSON: ."pg/0".relation-info[0].relation-id: missing required field)");
    EXPECT_EQ(
        error_of(base + R"("relation-info": [{"relation-id": 1, "endpoint": "e",
                                  "related-endpoint": "r"}]}})"),
        R"(show-unit JSON: ."pg/0".relation-info[0].application-data: missing required field)");
    EXPECT_EQ(
        error_of(base + R"("relation-info": [{"relation-id": 1, "endpoint": "e",
                            "related-endpoint": "r", "application-data": {},
                            "related-units": {"a/0": {"in-scope": true}}}]}})"),
        R"(show-unit JSON: ."pg/0".relation-info[0].related-units."a/0".data: missing required field)");
}

TEST(UnitInfoFromJson, WrongTypes) {
    const std::string base = R"({"pg/0": {"opened-ports": [], "charm": "pg", "leader": true, )";
    EXPECT_EQ(error_of(R"({"pg/0": {"opened-ports": "80/tcp", "charm": "pg", "leader": true}})"),
              R"(show-unit JSON: ."pg/0".opened-ports: expected an array, got string)");
    EXPECT_EQ(error_of(R"({"pg/0": {"opened-ports": [80], "charm": "pg", "leader": true}})"),
              R"(show-unit JSON: ."pg/0".opened-ports[0]: expected a string, got integer)");
    EXPECT_EQ(error_of(R"({"pg/0": {"opened-ports": [], "charm": "pg", "leader": "yes"}})"),
              R"(show-unit JSON: ."pg/0".leader: expected a boolean, got string)");
    EXPECT_EQ(error_of(base + R"("life": 1}})"),
              R"(show-unit JSON: ."pg/0".life: expected a string, got integer)");
    EXPECT_EQ(error_of(base + R"("relation-info": {}}})"),
              R"(show-unit JSON: ."pg/0".relation-info: expected an array, got object)");
    EXPECT_EQ(
        error_of(base + R"("relation-info": [{"relation-id": 1, "endpoint": "e",
                                  "related-endpoint": "r", "application-data": {},
                                  "local-unit": "x"}]}})"),
        R"(show-unit JSON: ."pg/0".relation-info[0].local-unit: expected an object, got string)");
    EXPECT_EQ(
        error_of(base + R"("relation-info": [{"relation-id": 1, "endpoint": "e",
                                  "related-endpoint": "r", "application-data": [1]}]}})"),
        R"(show-unit JSON: ."pg/0".relation-info[0].application-data: expected an object, got array)");
    EXPECT_EQ(
        error_of(base + R"("relation-info": [{"relation-id": 1.0, "endpoint": "e"}]}})"),
        R"(show-unit JSON: ."pg/0".relation-info[0].relation-id: expected an integer, got number)");
    EXPECT_EQ(error_of(R"({"pg/0": "active"})"),
              R"(show-unit JSON: ."pg/0": expected an object, got string)");
}

TEST(UnitInfoFromJson, DocumentErrors) {
    EXPECT_EQ(error_of("{}"),
              "show-unit JSON: .: expected an object with one entry, got an empty object");
    EXPECT_EQ(error_of("[]"), "show-unit JSON: .: expected an object, got array");
    EXPECT_EQ(error_of(""), "show-unit JSON: empty document (no JSON value in the input)");
    EXPECT_EQ(error_of("\t\r\n"), "show-unit JSON: empty document (no JSON value in the input)");
    EXPECT_THAT(error_of(R"({"pg/0": {"charm": "pg",, }})"),
                HasSubstr("show-unit JSON: invalid JSON at byte 24: "));
    // The literal "tra..." goes wrong at its third byte.
    EXPECT_THAT(error_of("{} trailing"), HasSubstr("show-unit JSON: invalid JSON at byte 5: "));
    EXPECT_THAT(error_of("{\"pg/0\": \"\xff\"}"), HasSubstr("show-unit JSON: invalid JSON"));
}

TEST(UnitInfoFromJson, DeeplyNestedRelationDataIsRejectedNotACrash) {
    std::string deep(100000, '[');
    deep += std::string(100000, ']');
    const std::string json = R"({"u/0": {"opened-ports": [], "charm": "c", "leader": false,
        "relation-info": [{"relation-id": 1, "endpoint": "e", "related-endpoint": "r",
                           "application-data": {"k": )" +
                             deep + "}}]}}";
    EXPECT_THAT(error_of(json), HasSubstr("nested more than 512 levels deep"));
    EXPECT_THAT(error_of(json),
                HasSubstr(R"(show-unit JSON: ."u/0".relation-info[0].application-data."k"[0])"));
}

TEST(UnitInfoPrint, ReprLayout) {
    std::ostringstream os;
    os << UnitInfo::from_json(kMinimal);
    EXPECT_EQ(os.str(),
              "UnitInfo(\n  opened_ports=['3306/tcp'],\n  charm='mysql',\n"
              "  leader=False,\n)");

    const UnitInfo full = UnitInfo::from_json(kFull);
    EXPECT_EQ(fmt::format("{}", full.relation_info[0]),
              "RelationData(\n"
              "  relation_id=5,\n"
              "  endpoint='database',\n"
              "  related_endpoint='database',\n"
              "  app_data={'foo': 'bar'},\n"
              "  local_unit=UnitRelationData(\n"
              "    in_scope=True,\n"
              "    data={'ingress-address': '10.0.0.1'},\n"
              "  ),\n"
              "  related_units={\n"
              "    'wordpress/0': UnitRelationData(\n"
              "      in_scope=True,\n"
              "      data={'egress-subnets': '10.1.1.1/32'},\n"
              "    ),\n"
              "  },\n"
              ")");
    EXPECT_THAT(fmt::format("{}", full), HasSubstr("\n  relation_info=[\n    RelationData(\n"));
}

}  // namespace
}  // namespace jubilant
