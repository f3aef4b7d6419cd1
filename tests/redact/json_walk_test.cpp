// The detector's JSON walk finds where each string ends 16 bytes at a time, and the
// assignment scanner its separators from 64-byte masks: escapes and separators at every
// position of a block, and backslash runs longer than a block, must give the spans the bytes
// hold. A document without a key word (a sensitive word, or `content`/`data` whole) is not
// walked at all: one with a key word anywhere must be.
#include <gtest/gtest.h>

#include <string>

#include <jubilant/cassette.hpp>

namespace {

namespace jc = jubilant::cassette;

/// The one span find_secrets() reports in `text`, as its bytes ("" when not exactly one).
std::string only_span(const std::string& text) {
    const auto spans = jc::find_secrets(text, jc::TextRole::output);
    if (spans.size() != 1) return "";
    return text.substr(spans[0].offset, spans[0].length);
}

TEST(JsonWalk, EscapedQuotesAndBackslashRunsAtEveryBlockPosition) {
    // A sensitive value holding m escaped backslashes then an escaped quote (the quote does not
    // end it), or ending in m escaped backslashes (the next quote does), placed so that the
    // run and the quote fall on each side of a block boundary.
    for (std::size_t pad = 0; pad < 140; ++pad) {
        for (std::size_t m = 0; m <= 3; ++m) {
            std::string run;
            for (std::size_t k = 0; k < m; ++k) run += "\\\\";
            for (const std::string& value : {"v" + run + "\\\"w", "v" + run}) {
                const std::string text = "{\"a\":\"" + std::string(pad, 'x') +
                                         "\",\"password\":\"" + value + "\",\"b\":[1,true]}";
                ASSERT_EQ(only_span(text), value) << "pad " << pad << ", run " << m;
            }
        }
    }
}

TEST(JsonWalk, AQuoteEscapedByARunFromThePreviousBlockDoesNotEndTheString) {
    // 1 to 130 backslashes before a quote: an odd run escapes it, wherever the run starts.
    for (std::size_t run = 1; run <= 130; ++run) {
        const std::string backslashes(run, '\\');
        const std::string value = "a" + backslashes + (run % 2 == 1 ? "\"b" : "");
        const std::string text = "{\"token\":\"" + value + "\"}";
        ASSERT_EQ(only_span(text), value) << run;
    }
}

TEST(JsonWalk, AssignmentsInsideStringsAtEveryBlockPosition) {
    // '=' and ': ' are where scan_assignments() looks; a colon with no blank after it (a time)
    // is not a separator.
    for (std::size_t pad = 0; pad < 140; ++pad) {
        const std::string lead = "{\"message\":\"" + std::string(pad, 'x');
        EXPECT_EQ(only_span(lead + " password=hunter2 rest\"}"), "hunter2") << pad;
        EXPECT_EQ(only_span(lead + " password: hunter2\"}"), "hunter2") << pad;
        EXPECT_EQ(only_span(lead + " password:\thunter2\"}"), "hunter2") << pad;
        EXPECT_TRUE(jc::find_secrets(lead + " password:12:03:18\"}", jc::TextRole::output).empty())
            << pad;
    }
}

TEST(JsonWalk, AStringLeftOpenIsNotJson) {
    // The last quote is escaped: no string ends, so the text is not JSON and no JSON span
    // (with its quotes kept) is reported for the number.
    const std::string text = "{\"password\":12,\"x\":\"abc\\\"}";
    for (const auto& span : jc::find_secrets(text, jc::TextRole::output)) {
        EXPECT_FALSE(span.quote) << text.substr(span.offset, span.length);
    }
    const std::string closed = "{\"password\":12,\"x\":\"abc\\\\\"}";
    const auto spans = jc::find_secrets(closed, jc::TextRole::output);
    ASSERT_EQ(spans.size(), 1U);
    EXPECT_TRUE(spans[0].quote);  // read as JSON: the number is replaced by a string
}

TEST(JsonWalk, AKeyWordAnywhereInALargeDocumentIsWalked) {
    // 400 plain units, then a key word in each place a JSON span can come from.
    std::string units = "{\"units\":{";
    for (int unit = 0; unit < 400; ++unit) {
        units += "\"app/" + std::to_string(unit) +
                 "\":{\"workload-status\":{\"current\":\"active\","
                 "\"message\":\"ready since 12:00:01\"},\"address\":\"10.0.0.1\"},";
    }
    const std::string open = units;
    EXPECT_TRUE(jc::find_secrets(open + "\"last\":1}}", jc::TextRole::output).empty());
    EXPECT_EQ(only_span(open + "\"db-password\":\"v\"}}"), "v");
    EXPECT_EQ(only_span(open + "\"Data\":{\"a\":[\"v\"]}}}"), "v");
    EXPECT_EQ(only_span(open + "\"OAuth\":12}}"), "12");
    EXPECT_EQ(only_span(open + "\"log\":\"connect token=v\"}}"), "v");
    EXPECT_EQ(only_span(open + "\"database\":{\"content\":\"v\"}}}"), "v");
    EXPECT_TRUE(jc::find_secrets(open + "\"database\":{\"metadata\":\"v\"}}}", jc::TextRole::output)
                    .empty());
}

}  // namespace
