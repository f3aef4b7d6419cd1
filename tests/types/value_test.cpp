#include <jubilant/format.hpp>
#include <jubilant/value.hpp>

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>

#include "print/repr.hpp"

namespace jubilant {
namespace {

using ::testing::HasSubstr;

TEST(Value, ConstructorsPickTheRightAlternative) {
    EXPECT_TRUE(Value().is_null());
    EXPECT_TRUE(Value(nullptr).is_null());
    EXPECT_TRUE(Value(true).is_bool());
    EXPECT_TRUE(Value(42).is_int());
    EXPECT_TRUE(Value(42U).is_int());
    EXPECT_TRUE(Value(std::int64_t{-1}).is_int());
    EXPECT_TRUE(Value(1.5).is_double());
    EXPECT_TRUE(Value(1.5F).is_double());
    EXPECT_TRUE(Value("text").is_string());
    EXPECT_TRUE(Value(std::string("text")).is_string());
    EXPECT_TRUE(Value(std::string_view("text")).is_string());
    EXPECT_TRUE(Value(Value::Array{1, 2}).is_array());
    EXPECT_TRUE(Value(Value::Object{{"a", 1}}).is_object());
    // Too large for int64: kept as a double, as when parsed.
    const Value big(std::numeric_limits<std::uint64_t>::max());
    EXPECT_TRUE(big.is_double());
    EXPECT_EQ(big.as_double(), 18446744073709551615.0);
}

TEST(Value, EqualityIsTypeStrict) {
    EXPECT_EQ(Value(1), Value(1));
    EXPECT_NE(Value(1), Value(1.0));
    EXPECT_NE(Value(1), Value(true));
    EXPECT_NE(Value("1"), Value(1));
    EXPECT_EQ(Value(Value::Object{{"a", Value::Array{1, "x"}}}),
              Value(Value::Object{{"a", Value::Array{1, "x"}}}));
    EXPECT_NE(Value(Value::Object{{"a", Value::Array{1, "x"}}}),
              Value(Value::Object{{"a", Value::Array{1, "y"}}}));
}

TEST(Value, FromJson) {
    const Value v = Value::from_json(
        R"({"s": "x", "i": -3, "u": 18446744073709551615, "d": 2.5, "b": true, "n": null,
            "a": [1, [2]], "o": {"k": {}}, "dup": 1, "dup": 2})");
    EXPECT_EQ(v.at("s").as_string(), "x");
    EXPECT_EQ(v.at("i").as_int(), -3);
    EXPECT_TRUE(v.at("u").is_double());
    EXPECT_EQ(v.at("d").as_double(), 2.5);
    EXPECT_TRUE(v.at("b").as_bool());
    EXPECT_TRUE(v.at("n").is_null());
    EXPECT_EQ(v.at("a").at(1).at(0).as_int(), 2);
    EXPECT_TRUE(v.at("o").at("k").as_object().empty());
    // Like Python's json module, the last duplicate wins.
    EXPECT_EQ(v.at("dup").as_int(), 2);
    EXPECT_EQ(Value::from_json("1.0"), Value(1.0));
    EXPECT_EQ(Value::from_json(" \"\\u00e9\" "), Value("\xc3\xa9"));
}

TEST(Value, FromJsonErrors) {
    const auto message = [](std::string_view json) {
        try {
            Value::from_json(json);
        } catch (const ParseError& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    EXPECT_EQ(message(""), "value JSON: empty document (no JSON value in the input)");
    EXPECT_THAT(message("[1,]"), HasSubstr("value JSON: invalid JSON at byte 3: "));
    EXPECT_THAT(message("NaN"), HasSubstr("value JSON: invalid JSON at byte 0: "));
    std::string deep(600, '[');
    deep += std::string(600, ']');
    EXPECT_THAT(message(deep), HasSubstr("nested more than 512 levels deep"));
    std::string ok(500, '[');
    ok += std::string(500, ']');
    EXPECT_TRUE(Value::from_json(ok).is_array());
}

TEST(Value, AccessorErrors) {
    const Value v = Value::from_json(R"({"a": [1]})");
    try {
        (void)v.as_string();
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "Value: expected a string, got object");
    }
    try {
        (void)v.at("missing");
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "Value: no key 'missing' in object");
    }
    try {
        (void)v.at("a").at(3);
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "Value: index 3 out of range for array of size 1");
    }
    EXPECT_THROW((void)Value(1).as_double(), Error);
    EXPECT_THROW((void)Value(1.0).as_int(), Error);
    EXPECT_THROW((void)Value(1).at("x"), Error);
    EXPECT_EQ(v.find("missing"), nullptr);
    EXPECT_EQ(Value(1).find("a"), nullptr);
    ASSERT_NE(v.find("a"), nullptr);
    EXPECT_EQ(*v.find("a"), Value(Value::Array{1}));
}

TEST(Value, ToJsonRoundTrips) {
    const std::string json =
        R"({"a":[1,2.5,"x\"y\\z\n\u0001"],"b":{"c":null,"d":true,"e":false},"f":1e+16,"g":-0.0})";
    const Value v = Value::from_json(json);
    EXPECT_EQ(v.to_json(), json);
    EXPECT_EQ(Value::from_json(v.to_json()), v);
    EXPECT_EQ(Value(std::numeric_limits<double>::infinity()).to_json(), "null");
    EXPECT_EQ(Value(3.0).to_json(), "3.0");
}

TEST(Value, PrintsAsPythonLiteral) {
    EXPECT_EQ(to_string(Value()), "None");
    EXPECT_EQ(to_string(Value(true)), "True");
    EXPECT_EQ(to_string(Value(false)), "False");
    EXPECT_EQ(to_string(Value(-7)), "-7");
    EXPECT_EQ(to_string(Value(3.0)), "3.0");
    EXPECT_EQ(to_string(Value(1e16)), "1e+16");
    EXPECT_EQ(to_string(Value(Value::Object{{"b", Value::Object{{"c", "d"}}},
                                            {"a", Value::Array{1, 2.0, nullptr, true}}})),
              "{'a': [1, 2.0, None, True], 'b': {'c': 'd'}}");
    EXPECT_EQ(to_string(Value(Value::Array{})), "[]");
    EXPECT_EQ(to_string(Value(Value::Object{})), "{}");
    std::ostringstream os;
    os << Value(Value::Array{"x"});
    EXPECT_EQ(os.str(), "['x']");
    EXPECT_EQ(fmt::format("{}", Value("y")), "'y'");
}

TEST(Value, StringsAreQuotedLikePythonRepr) {
    EXPECT_EQ(to_string(Value("it's")), "\"it's\"");
    EXPECT_EQ(to_string(Value("say \"hi\"")), "'say \"hi\"'");
    EXPECT_EQ(to_string(Value("both ' \"")), "'both \\' \"'");
    EXPECT_EQ(to_string(Value("tab\there\n")), "'tab\\there\\n'");
    EXPECT_EQ(to_string(Value("back\\slash")), "'back\\\\slash'");
    EXPECT_EQ(to_string(Value(std::string("\x00\x7f", 2))), "'\\x00\\x7f'");
    // U+0085 and U+00A0 are escaped; é and 中 and an emoji are printable; U+200B is not.
    EXPECT_EQ(to_string(Value("\xc2\x85\xc2\xa0\xc3\xa9\xe4\xb8\xad\xe2\x80\x8b\xf0\x9f\x98\x80")),
              "'\\x85\\xa0\xc3\xa9\xe4\xb8\xad\\u200b\xf0\x9f\x98\x80'");
    // Bytes that are not UTF-8 are shown as Python shows surrogate escapes.
    EXPECT_EQ(to_string(Value("a\xff")), "'a\\udcff'");
}

TEST(ValueRepr, LayoutFollowsJubilantPretty) {
    using detail::Repr;
    Repr small = Repr::record("Rec");
    small.field("a", Repr::scalar("1")).field("b", Repr::scalar("'x'"));
    EXPECT_EQ(small.dump(), "Rec(a=1, b='x')");

    // A non-scalar field forces one field per line, nested indentation by two.
    Repr outer = Repr::record("Outer");
    outer.field("inner", std::move(small));
    outer.field("d", Repr::of(Value(Value::Object{{"k", 1}})));
    EXPECT_EQ(outer.dump(), "Outer(\n  inner=Rec(a=1, b='x'),\n  d={'k': 1},\n)");

    // A scalar list that would pass 150 columns is split.
    Repr list = Repr::list();
    for (int i = 0; i < 30; ++i) list.item(Repr::scalar("'item'"));
    const std::string text = list.dump();
    EXPECT_TRUE(text.starts_with("[\n  'item',\n")) << text;
    EXPECT_TRUE(text.ends_with("  'item',\n]")) << text;
    EXPECT_EQ(Repr::record("Empty").dump(), "Empty()");
}

}  // namespace
}  // namespace jubilant
