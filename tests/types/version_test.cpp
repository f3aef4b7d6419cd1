#include <jubilant/format.hpp>
#include <jubilant/version.hpp>

#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>

namespace jubilant {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Version make(int major, int minor, int patch, std::string release, std::string arch) {
    Version v;
    v.major = major;
    v.minor = minor;
    v.patch = patch;
    v.release = std::move(release);
    v.arch = std::move(arch);
    return v;
}

TEST(VersionFromJson, AllOutput) {
    const Version v = Version::from_json(R"({
        "version": "3.6.11-genericlinux-amd64",
        "git-commit": "17876b918429f0063380cdf07dc47f98a890778b",
        "git-tree-state": "clean",
        "compiler": "gc",
        "go-version": "go1.23.10"
    })");
    Version expected = make(3, 6, 11, "genericlinux", "amd64");
    expected.git_commit = "17876b918429f0063380cdf07dc47f98a890778b";
    EXPECT_EQ(v, expected);
    EXPECT_EQ(v.tuple(), std::make_tuple(3, 6, 11));
    EXPECT_FALSE(v.tag.has_value());
    EXPECT_FALSE(v.build.has_value());
}

TEST(VersionFromJson, WithoutGitCommit) {
    const Version v = Version::from_json(R"({"version": "4.0.0-genericlinux-amd64"})");
    EXPECT_EQ(v, make(4, 0, 0, "genericlinux", "amd64"));
    EXPECT_FALSE(v.git_commit.has_value());
}

TEST(VersionFromJson, BareStringWithoutAll) {
    EXPECT_EQ(Version::from_json(R"("3.6.2-ubuntu-arm64")"), make(3, 6, 2, "ubuntu", "arm64"));
}

TEST(VersionFromJson, Errors) {
    const auto message = [](std::string_view json) {
        try {
            Version::from_json(json);
        } catch (const ParseError& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    EXPECT_EQ(message(R"({"git-commit": "abc"})"),
              "version JSON: .version: missing required field");
    EXPECT_EQ(message(R"({"version": 3})"),
              "version JSON: .version: expected a string, got integer");
    EXPECT_EQ(message(R"({"version": "3.6.11-genericlinux-amd64", "git-commit": 1})"),
              "version JSON: .git-commit: expected a string, got integer");
    EXPECT_EQ(message(R"({"version": "badver"})"),
              "version JSON: .version: invalid version 'badver' (expected major.minor.patch, "
              "major.minor.patch.build or major.minor-<tag><patch>[.build], each optionally "
              "followed by -<release>-<arch>, e.g. 3.6.11-genericlinux-amd64)");
    EXPECT_THAT(message(R"("4.0")"), HasSubstr("version JSON: .: invalid version '4.0' ("));
    EXPECT_EQ(message("[]"), "version JSON: .: expected an object, got array");
    EXPECT_EQ(message(""), "version JSON: empty document (no JSON value in the input)");
    EXPECT_EQ(message("  \n"), "version JSON: empty document (no JSON value in the input)");
    EXPECT_THAT(message(R"({"version": )"), HasSubstr("version JSON: invalid JSON at byte 12"));
}

struct ParseCase {
    std::string text;
    Version expected;
};

std::vector<ParseCase> parse_cases() {
    std::vector<ParseCase> cases;
    cases.push_back({"3.6.11-genericlinux-amd64", make(3, 6, 11, "genericlinux", "amd64")});
    cases.push_back({"4.0.0-genericlinux-amd64", make(4, 0, 0, "genericlinux", "amd64")});
    cases.push_back({"2.3.4-rel-arch", make(2, 3, 4, "rel", "arch")});
    Version with_build = make(3, 4, 5, "rel", "arch");
    with_build.build = 6;
    cases.push_back({"3.4.5.6-rel-arch", with_build});
    Version with_tag = make(4, 5, 6, "rel", "arch");
    with_tag.tag = "beta";
    cases.push_back({"4.5-beta6-rel-arch", with_tag});
    Version with_tag_build = make(5, 6, 7, "rel", "arch");
    with_tag_build.tag = "alpha";
    with_tag_build.build = 8;
    cases.push_back({"5.6-alpha7.8-rel-arch", with_tag_build});
    // Release and arch may hold anything but '-'.
    cases.push_back({"1.2.3-rel.x_y-arm64", make(1, 2, 3, "rel.x_y", "arm64")});
    return cases;
}

TEST(VersionParse, ShapesRoundTrip) {
    for (const ParseCase& c : parse_cases()) {
        const Version v = Version::parse(c.text);
        EXPECT_EQ(v, c.expected) << c.text;
        EXPECT_EQ(to_string(v), c.text);
        EXPECT_EQ(Version::parse(to_string(v)), v) << c.text;
    }
}

TEST(VersionParse, LeadingZerosAreDroppedWhenPrinted) {
    const Version v = Version::parse("03.06.011-r-a");
    EXPECT_EQ(v.tuple(), std::make_tuple(3, 6, 11));
    EXPECT_EQ(to_string(v), "3.6.11-r-a");
}

TEST(VersionParse, RejectsInvalidStrings) {
    const std::vector<std::string> invalid = {
        "",
        "badver",
        "3",
        "3.6",
        "3.6.11",                      // No release or arch.
        "3.6.11-genericlinux",         // No arch.
        "3.6-genericlinux-amd64",      // "major.minor-release-arch" is not allowed.
        "3.6.11-generic-linux-amd64",  // Release may not contain '-'.
        "3.6.11--amd64",               // Empty release.
        "3.6.11-genericlinux-",        // Empty arch.
        "3.6.11.-r-a",                 // Build without digits.
        "3.6.11.4.5-r-a",              // Too many numbers.
        "3.6-Beta1-r-a",               // Tags are lowercase.
        "3.6-beta-r-a",                // Tag without a patch number.
        "3.6-1-r-a",                   // Patch without a tag.
        "v3.6.11-r-a",
        "3.x.11-r-a",
        " 3.6.11-r-a",
        "-3.6.11-r-a",
        "99999999999.6.11-r-a",  // Does not fit in int.
    };
    for (const std::string& text : invalid) {
        EXPECT_THROW(Version::parse(text), ParseError) << "'" << text << "'";
    }
    try {
        Version::parse("badver");
        FAIL() << "no exception";
    } catch (const ParseError& e) {
        EXPECT_THAT(e.what(), StartsWith("invalid version 'badver' (expected major.minor.patch, "));
    }
}

TEST(VersionCompare, OrdersByJujuRules) {
    // Ascending order; each pair of neighbours must compare strictly less.
    const std::vector<std::string> ascending = {
        "2.9.50-ubuntu-amd64",    "3.5.0-ubuntu-amd64",     "3.6-alpha1-ubuntu-amd64",
        "3.6-beta1-ubuntu-amd64", "3.6-beta2-ubuntu-amd64", "3.6-beta2.1-ubuntu-amd64",
        "3.6-rc1-ubuntu-amd64",   "3.6.0-ubuntu-amd64",     "3.6.0.1-ubuntu-amd64",
        "3.6.2-ubuntu-amd64",     "3.6.10-ubuntu-amd64",    "3.6.11-ubuntu-amd64",
        "4.0.0-ubuntu-amd64",
    };
    for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
        const Version a = Version::parse(ascending[i]);
        const Version b = Version::parse(ascending[i + 1]);
        EXPECT_TRUE(a < b) << ascending[i] << " < " << ascending[i + 1];
        EXPECT_TRUE(b > a) << ascending[i + 1] << " > " << ascending[i];
        EXPECT_FALSE(b <= a);
    }
}

TEST(VersionCompare, ReleaseArchAndCommitAreEquivalentButNotEqual) {
    Version a = Version::parse("3.6.11-genericlinux-amd64");
    Version b = Version::parse("3.6.11-ubuntu-arm64");
    b.git_commit = "abc";
    EXPECT_TRUE((a <=> b) == 0);
    EXPECT_TRUE(a >= b);
    EXPECT_TRUE(a <= b);
    EXPECT_NE(a, b);
    // A missing build counts as build 0.
    EXPECT_TRUE((Version::parse("3.6.11-r-a") <=> Version::parse("3.6.11.0-r-a")) == 0);
}

TEST(VersionCompare, AgainstAMinimum) {
    const Version v = Version::parse("3.6.11-genericlinux-amd64");
    EXPECT_TRUE(v >= (Version{.major = 3, .minor = 6, .patch = 11}));
    EXPECT_FALSE(v >= (Version{.major = 3, .minor = 6, .patch = 12}));
    EXPECT_TRUE(v.tuple() >= std::make_tuple(3, 6, 11));
    EXPECT_TRUE(v.tuple() < std::make_tuple(4, 0, 0));
}

TEST(VersionPrint, StreamAndFmt) {
    Version v = Version::parse("5.6-alpha7.8-rel-arch");
    v.git_commit = "abc";  // Not part of the printed form.
    std::ostringstream os;
    os << v;
    EXPECT_EQ(os.str(), "5.6-alpha7.8-rel-arch");
    EXPECT_EQ(fmt::format("{}", v), "5.6-alpha7.8-rel-arch");
    EXPECT_EQ(fmt::format("[{:>23}]", v), "[  5.6-alpha7.8-rel-arch]");
    // Jubilant prints the default (empty) release and arch as empty segments.
    EXPECT_EQ(to_string(Version{.major = 1, .minor = 2, .patch = 3}), "1.2.3--");
}

}  // namespace
}  // namespace jubilant
