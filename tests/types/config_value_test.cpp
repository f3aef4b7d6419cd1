#include <jubilant/config_value.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace jubilant {
namespace {

TEST(FormatConfig, BoolsAreLowercase) {
    EXPECT_EQ(format_config("booly", ConfigValue(true)), "booly=true");
    EXPECT_EQ(format_config("booly", ConfigValue(false)), "booly=false");
}

TEST(FormatConfig, Integers) {
    EXPECT_EQ(format_config("inty", ConfigValue(std::int64_t{42})), "inty=42");
    EXPECT_EQ(format_config("neg", ConfigValue(std::int64_t{-7})), "neg=-7");
    EXPECT_EQ(format_config("big", ConfigValue(std::numeric_limits<std::int64_t>::min())),
              "big=-9223372036854775808");
}

TEST(FormatConfig, StringsAndSecretUrisAreVerbatim) {
    EXPECT_EQ(format_config("stry", ConfigValue(std::string("A string."))), "stry=A string.");
    EXPECT_EQ(format_config("empty", ConfigValue(std::string())), "empty=");
    EXPECT_EQ(format_config("eq", ConfigValue(std::string("a=b c"))), "eq=a=b c");
    EXPECT_EQ(format_config("secrety", ConfigValue(SecretURI("secret:foo"))), "secrety=secret:foo");
}

TEST(FormatConfig, LiteralsPickTheExpectedAlternative) {
    // These go through ConfigValue's converting constructor, so they pin down which
    // alternative a literal selects (a string literal must not become bool).
    EXPECT_EQ(format_config("s", "text"), "s=text");
    EXPECT_EQ(format_config("i", 42), "i=42");
    EXPECT_EQ(format_config("d", 7.5), "d=7.5");
    EXPECT_EQ(format_config("b", true), "b=true");
}

// Python's str(float) for the values juju is most likely to see, and the awkward ones.
TEST(FormatConfig, DoublesMatchPythonStr) {
    const std::vector<std::pair<double, std::string>> cases = {
        {1.5, "1.5"},
        {3.0, "3.0"},
        {7.5, "7.5"},
        {100.0, "100.0"},
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {-2.5, "-2.5"},
        {0.1, "0.1"},
        {0.30000000000000004, "0.30000000000000004"},
        {0.001234, "0.001234"},
        {0.0001, "0.0001"},
        {0.00001, "1e-05"},
        {2.5e-05, "2.5e-05"},
        {1e-7, "1e-07"},
        {123456789.123, "123456789.123"},
        {1e15, "1000000000000000.0"},
        {9999999999999998.0, "9999999999999998.0"},
        {1e16, "1e+16"},
        {1.2345678901234567e16, "1.2345678901234568e+16"},
        {12345678901234567890.0, "1.2345678901234567e+19"},
        {1e22, "1e+22"},
        {1e100, "1e+100"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {std::numeric_limits<double>::infinity(), "inf"},
        {-std::numeric_limits<double>::infinity(), "-inf"},
        {std::nan(""), "nan"},
    };
    for (const auto& [value, expected] : cases) {
        EXPECT_EQ(format_config("x", ConfigValue(value)), "x=" + expected) << "value " << expected;
    }
}

TEST(FormatConfig, ConstraintValues) {
    EXPECT_EQ(format_config("mem", ConstraintValue(std::string("8G"))), "mem=8G");
    EXPECT_EQ(format_config("cores", ConstraintValue(std::int64_t{4})), "cores=4");
    EXPECT_EQ(format_config("allocate-public-ip", ConstraintValue(true)),
              "allocate-public-ip=true");
    EXPECT_EQ(format_config("ratio", ConstraintValue(0.5)), "ratio=0.5");
    EXPECT_EQ(format_config("huge", ConstraintValue(1e16)), "huge=1e+16");
}

TEST(ConfigValueToString, IsTheTextAfterTheEqualsSign) {
    EXPECT_EQ(to_string(ConfigValue(false)), "false");
    EXPECT_EQ(to_string(ConfigValue(std::int64_t{0})), "0");
    EXPECT_EQ(to_string(ConfigValue(3.0)), "3.0");
    EXPECT_EQ(to_string(ConfigValue(std::string("x y"))), "x y");
    EXPECT_EQ(to_string(ConfigValue(SecretURI("secret:abcd1234"))), "secret:abcd1234");
    EXPECT_EQ(to_string(ConstraintValue(std::int64_t{8})), "8");
    EXPECT_EQ(to_string(ConstraintValue(true)), "true");
}

TEST(ConfigValue, SecretUriAndStringAreDistinctAlternatives) {
    const ConfigValue uri = SecretURI("secret:abc");
    const ConfigValue text = std::string("secret:abc");
    EXPECT_TRUE(std::holds_alternative<SecretURI>(uri));
    EXPECT_TRUE(std::holds_alternative<std::string>(text));
    EXPECT_NE(uri, text);
    EXPECT_EQ(to_string(uri), to_string(text));
}

}  // namespace
}  // namespace jubilant
