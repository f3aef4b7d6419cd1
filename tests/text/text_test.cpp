// jubilant-text: UTF-8 (RFC 3629), JSON string escaping, base64, Python's repr of a str, FNV.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <string_view>

#include <jubilant/modeltypes.hpp>
#include <jubilant/statustypes.hpp>
#include <jubilant/value.hpp>

#include "base64.hpp"
#include "hash.hpp"
#include "json_escape.hpp"
#include "python_repr.hpp"
#include "utf8.hpp"

namespace {

using namespace std::string_literals;
using jubilant::text::append_json_string;
using jubilant::text::base64_decode;
using jubilant::text::base64_encode;
using jubilant::text::decode_utf8;
using jubilant::text::JsonStringOptions;
using jubilant::text::python_len;
using jubilant::text::python_printable;
using jubilant::text::python_str_repr;
using jubilant::text::utf8_sequence_length;
using jubilant::text::valid_utf8;

// ---------------------------------------------------------------------------------------------
// UTF-8

TEST(Utf8, AcceptsEachLengthAtItsBounds) {
    for (const std::string& text :
         {"\x00"s, "\x7f"s, "\xc2\x80"s, "\xdf\xbf"s, "\xe0\xa0\x80"s, "\xed\x9f\xbf"s,
          "\xee\x80\x80"s, "\xef\xbf\xbf"s, "\xf0\x90\x80\x80"s, "\xf4\x8f\xbf\xbf"s}) {
        EXPECT_TRUE(valid_utf8(text)) << testing::PrintToString(text);
        EXPECT_EQ(utf8_sequence_length(text, 0), text.size()) << testing::PrintToString(text);
    }
}

TEST(Utf8, RejectsWhatRfc3629Excludes) {
    for (const std::string& text : {
             "\x80"s,              // a continuation byte alone
             "\xc0\xaf"s,          // overlong '/'
             "\xc1\xbf"s,          // overlong
             "\xe0\x9f\xbf"s,      // overlong three-byte
             "\xed\xa0\x80"s,      // surrogate U+D800
             "\xed\xbf\xbf"s,      // surrogate U+DFFF
             "\xf0\x8f\xbf\xbf"s,  // overlong four-byte
             "\xf4\x90\x80\x80"s,  // U+110000
             "\xf5\x80\x80\x80"s,  // lead above F4
             "\xff"s,
             "\xe2\x82"s,      // truncated
             "\xe2\x28\xa1"s,  // a bad continuation
         }) {
        EXPECT_FALSE(valid_utf8(text)) << testing::PrintToString(text);
        EXPECT_EQ(utf8_sequence_length(text, 0), 0U) << testing::PrintToString(text);
    }
}

TEST(Utf8, FindsABadByteAfterLongAsciiRuns) {
    const std::string ascii(1000, 'a');
    EXPECT_TRUE(valid_utf8(ascii));
    for (std::size_t at : {0UL, 7UL, 8UL, 9UL, 500UL, 999UL}) {
        std::string text = ascii;
        text[at] = '\xff';
        EXPECT_FALSE(valid_utf8(text)) << at;
    }
    EXPECT_FALSE(valid_utf8(ascii + "\xe2\x82"));
    EXPECT_TRUE(valid_utf8(ascii + "\xe2\x82\xac" + ascii));
    EXPECT_TRUE(valid_utf8(""));
}

TEST(Utf8, DecodesCodePoints) {
    char32_t cp = 0;
    EXPECT_EQ(decode_utf8("A", 0, cp), 1U);
    EXPECT_EQ(cp, U'A');
    EXPECT_EQ(decode_utf8("x\xc3\xa9", 1, cp), 2U);
    EXPECT_EQ(cp, U'\u00e9');
    EXPECT_EQ(decode_utf8("\xe2\x82\xac", 0, cp), 3U);
    EXPECT_EQ(cp, U'\u20ac');
    EXPECT_EQ(decode_utf8("\xf0\x9f\x98\x80", 0, cp), 4U);
    EXPECT_EQ(cp, U'\U0001f600');
    cp = U'?';
    EXPECT_EQ(decode_utf8("\xed\xa0\x80", 0, cp), 0U);
    EXPECT_EQ(cp, U'?');
}

// ---------------------------------------------------------------------------------------------
// JSON strings

std::string json(std::string_view text, JsonStringOptions options = {}) {
    std::string out;
    append_json_string(out, text, options);
    return out;
}

TEST(JsonString, EscapesQuotesBackslashesAndControls) {
    EXPECT_EQ(json("plain"), R"("plain")");
    EXPECT_EQ(json("say \"hi\"\\"), R"("say \"hi\"\\")");
    EXPECT_EQ(json("a\nb\rc\td"), R"("a\nb\rc\td")");
    EXPECT_EQ(json("\b\f"), R"("\b\f")");
    EXPECT_EQ(json("\x01\x1f"s + '\0'), R"("\u0001\u001f\u0000")");
    EXPECT_EQ(json("\x7f/"), "\"\x7f/\"");
    EXPECT_EQ(json(""), R"("")");
}

TEST(JsonString, GoStyleWritesBackspaceAndFormFeedAsUnicodeEscapes) {
    EXPECT_EQ(json("\b\f", {.short_backspace_and_form_feed = false}), R"("\u0008\u000c")");
}

TEST(JsonString, KeepsOrRepairsBytesThatAreNotUtf8) {
    EXPECT_EQ(json("\xff\xc3\xa9"), "\"\xff\xc3\xa9\"");
    // One U+FFFD for each byte of a malformed sequence; well-formed text around it is kept.
    EXPECT_EQ(json("a\xff"
                   "b\xe2\x82"
                   "c\xc3\xa9",
                   {.replace_invalid_utf8 = true}),
              "\"a\ufffd"
              "b\ufffd\ufffd"
              "c\u00e9\"");
    EXPECT_EQ(json("\xff\xc3\xa9\xed\xa0\x80\"", {.replace_invalid_utf8 = true}),
              "\"\ufffd\u00e9\ufffd\ufffd\ufffd\\\"\"");
}

// ---------------------------------------------------------------------------------------------
// base64

TEST(Base64, RoundTripsEveryLengthAndByte) {
    std::string bytes;
    for (int i = 0; i < 300; ++i) {
        const std::string encoded = base64_encode(bytes);
        EXPECT_EQ(encoded.size() % 4, 0U);
        EXPECT_EQ(base64_decode(encoded), bytes) << i;
        bytes += static_cast<char>(i * 37);
    }
}

TEST(Base64, MatchesRfc4648TestVectors) {
    const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64_encode(plain), encoded);
        EXPECT_EQ(base64_decode(encoded), plain);
    }
    EXPECT_EQ(base64_encode("\xff\xfe\xfd"), "//79");
}

TEST(Base64, StrictDecodingSaysWhereItFailed) {
    std::size_t bad_at = 99;
    EXPECT_FALSE(base64_decode("Zm9", {}, &bad_at));
    EXPECT_EQ(bad_at, 3U);  // the length
    EXPECT_FALSE(base64_decode("Zm=v", {}, &bad_at));
    EXPECT_EQ(bad_at, 2U);
    EXPECT_FALSE(base64_decode("Z===", {}, &bad_at));
    EXPECT_EQ(bad_at, 1U);
    EXPECT_FALSE(base64_decode("Zm9v Zg==", {}, &bad_at));
    EXPECT_FALSE(base64_decode("Zg==Zm9v", {}, &bad_at));
    EXPECT_EQ(bad_at, 2U);
    EXPECT_FALSE(base64_decode("Zm9vYg", {}, &bad_at));
    EXPECT_EQ(bad_at, 6U);
}

TEST(Base64, PaddingCanBeOptional) {
    constexpr jubilant::text::Base64DecodeOptions lenient{.require_padding = false};
    EXPECT_EQ(base64_decode("Zg", lenient), "f");
    EXPECT_EQ(base64_decode("Zm8", lenient), "fo");
    EXPECT_EQ(base64_decode("Zm8=", lenient), "fo");
    EXPECT_FALSE(base64_decode("Zm9vY", lenient));  // one digit is not a byte
    EXPECT_FALSE(base64_decode("Zm-v", lenient));
    EXPECT_FALSE(base64_decode("Zg=x", lenient));
}

// ---------------------------------------------------------------------------------------------
// Python repr

TEST(PythonRepr, QuotesLikePython) {
    EXPECT_EQ(python_str_repr("plain"), "'plain'");
    EXPECT_EQ(python_str_repr("it's"), "\"it's\"");
    EXPECT_EQ(python_str_repr("it's \"x\""), "'it\\'s \"x\"'");
    EXPECT_EQ(python_str_repr("a\\b\n\r\t"), "'a\\\\b\\n\\r\\t'");
    EXPECT_EQ(python_str_repr("\x01\x7f"), "'\\x01\\x7f'");
    EXPECT_EQ(python_str_repr(""), "''");
}

// The two engines this replaced disagreed here; each answer is what Python 3.11 prints for
// repr() of the str Jubilant would hold.
TEST(PythonRepr, PinsPythonsAnswerWhereTheOldEnginesDisagreed) {
    // A byte that is not UTF-8, kept by surrogateescape: repr(b"\xff".decode("utf-8",
    // "surrogateescape")) == "'\\udcff'".
    EXPECT_EQ(python_str_repr("\xff"), "'\\udcff'");
    EXPECT_EQ(python_str_repr("a\xed\xa0\x80z"), "'a\\udced\\udca0\\udc80z'");
    // U+061C ARABIC LETTER MARK is a format character (Cf): not printable.
    EXPECT_EQ(python_str_repr("\xd8\x9c"), "'\\u061c'");
}

template <class T>
std::string printed(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

// The same answers through each printer the library has: the status types (print/pretty.cpp),
// the model types and Value (detail::Repr). Before jubilant-text the first printed '\xff' and
// left U+061C unescaped in the second.
TEST(PythonRepr, EveryPrinterGivesPythonsAnswer) {
    EXPECT_EQ(printed(jubilant::StatusInfo{.current = "\xff", .message = "\xd8\x9c"}),
              "StatusInfo(current='\\udcff', message='\\u061c')");
    EXPECT_EQ(printed(jubilant::ModelStatusInfo{.current = "\xff", .message = "\xd8\x9c"}),
              "ModelStatusInfo(current='\\udcff', message='\\u061c')");
    EXPECT_EQ(printed(jubilant::Value("\xff\xd8\x9c")), "'\\udcff\\u061c'");
}

// Both printers put a record on one line when Python's len() of it is at most 150: code
// points, not bytes.
TEST(PythonRepr, EveryPrinterMeasuresLinesInCodePoints) {
    std::string accents;
    for (int i = 0; i < 100; ++i) accents += "\xc3\xa9";  // 100 code points, 200 bytes
    EXPECT_EQ(printed(jubilant::StatusInfo{.current = accents}),
              "StatusInfo(current='" + accents + "')");
    EXPECT_EQ(printed(jubilant::ModelStatusInfo{.current = accents}),
              "ModelStatusInfo(current='" + accents + "')");
}

TEST(PythonRepr, EscapesWhatPythonDoesNotPrint) {
    EXPECT_EQ(python_str_repr("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
              "'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80'");
    EXPECT_EQ(python_str_repr("\xc2\xa0"), "'\\xa0'");                     // no-break space
    EXPECT_EQ(python_str_repr("\xc2\xad"), "'\\xad'");                     // soft hyphen
    EXPECT_EQ(python_str_repr("\xe2\x80\x8b"), "'\\u200b'");               // zero-width space
    EXPECT_EQ(python_str_repr("\xe2\x80\xa8"), "'\\u2028'");               // line separator
    EXPECT_EQ(python_str_repr("\xef\xbb\xbf"), "'\\ufeff'");               // byte-order mark
    EXPECT_EQ(python_str_repr("\xee\x80\x80"), "'\\ue000'");               // private use
    EXPECT_EQ(python_str_repr("\xcd\xb8"), "'\\u0378'");                   // unassigned
    EXPECT_EQ(python_str_repr("\xf3\xa0\x80\x81"), "'\\U000e0001'");       // language tag
    EXPECT_EQ(python_str_repr("\xf3\xa0\x84\x80"), "'\xf3\xa0\x84\x80'");  // variation selector
}

TEST(PythonRepr, PrintableAgreesWithPythonAtRangeEdges) {
    EXPECT_TRUE(python_printable(U' '));
    EXPECT_FALSE(python_printable(U'\x1f'));
    EXPECT_FALSE(python_printable(U'\x7f'));
    EXPECT_FALSE(python_printable(U'\u00a0'));
    EXPECT_TRUE(python_printable(U'\u00a1'));
    EXPECT_TRUE(python_printable(U'\u00ac'));
    EXPECT_FALSE(python_printable(U'\u00ad'));
    EXPECT_TRUE(python_printable(U'\u00ae'));
    EXPECT_FALSE(python_printable(0xdcff));
    EXPECT_TRUE(python_printable(U'\uffee'));
    EXPECT_FALSE(python_printable(0x10ffff));
    EXPECT_TRUE(python_printable(U'\U0001f600'));
}

TEST(PythonRepr, LengthCountsCodePointsAndUndecodableBytes) {
    EXPECT_EQ(python_len(""), 0U);
    EXPECT_EQ(python_len("abc"), 3U);
    EXPECT_EQ(python_len("caf\xc3\xa9\xf0\x9f\x98\x80"), 5U);
    EXPECT_EQ(python_len("\xff\x80\xe2\x82"), 4U);
}

// ---------------------------------------------------------------------------------------------
// FNV-1a

TEST(Fnv1a, MatchesPublishedValues) {
    EXPECT_EQ(jubilant::text::fnv1a_32(""), 0x811c9dc5U);
    EXPECT_EQ(jubilant::text::fnv1a_32("a"), 0xe40c292cU);
    EXPECT_EQ(jubilant::text::fnv1a_32("foobar"), 0xbf9cf968U);
    EXPECT_EQ(jubilant::text::fnv1a_64(""), 0xcbf29ce484222325ULL);
    EXPECT_EQ(jubilant::text::fnv1a_64("a"), 0xaf63dc4c8601ec8cULL);
    EXPECT_EQ(jubilant::text::fnv1a_64("foobar"), 0x85944171f73967e8ULL);
}

}  // namespace
