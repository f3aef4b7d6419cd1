// The detector's line walk finds each line's end and its first colon in one pass, 16 bytes at
// a time up to whichever comes first, then memchr for the rest of the line: colons and line
// ends on each side of those 16 bytes, colons on the next line, and a first colon that makes
// no key must give the spans the lines hold.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <jubilant/cassette.hpp>

namespace {

namespace jc = jubilant::cassette;

/// The bytes of each span find_secrets() reports in `text`.
std::vector<std::string> spans_in(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& span : jc::find_secrets(text, jc::TextRole::output)) {
        out.push_back(text.substr(span.offset, span.length));
    }
    return out;
}

const std::vector<std::string> just_v = {"v"};
const std::vector<std::string> none = {};

TEST(LineWalk, ALineWithoutAColonBeforeAKeyLine) {
    // The key line's colon is among the first line's 16 bytes when that line is short: it
    // belongs to the second line.
    for (std::size_t pad = 0; pad < 48; ++pad) {
        for (const char* end : {"", "\n", "\r\n"}) {
            const std::string text = std::string(pad, 'x') + "\npassword: v" + end;
            EXPECT_EQ(spans_in(text), just_v) << "pad " << pad;
            const auto spans = jc::find_secrets(text, jc::TextRole::output);
            ASSERT_EQ(spans.size(), 1U);
            EXPECT_EQ(spans[0].line, 2U);
        }
    }
}

TEST(LineWalk, KeysWhoseColonIsPastTheFirst16Bytes) {
    for (std::size_t pad = 0; pad < 48; ++pad) {
        const std::string key = std::string(pad, 'a') + "-password";
        EXPECT_EQ(spans_in(key + ": v\n"), just_v) << "pad " << pad;
        EXPECT_EQ(spans_in("  - " + key + ": v\nnext: line\n"), just_v) << "pad " << pad;
        EXPECT_EQ(spans_in("plain: x\n" + key + ":\n  v\n"), just_v) << "pad " << pad;
    }
}

TEST(LineWalk, OnlyTheFirstColonOfALineMakesAKey) {
    // "password:x:" is no key (its first colon is followed by 'x'): the indented line below is
    // not a sensitive region. Read from its last colon, it would be.
    for (std::size_t pad = 0; pad < 48; ++pad) {
        const std::string prefix(pad, 'p');
        EXPECT_EQ(spans_in(prefix + "password:x:\n  v\n"), none) << "pad " << pad;
        EXPECT_EQ(spans_in(prefix + "password:\n  v\n"), just_v) << "pad " << pad;
        // A colon that ends the line makes a key too, wherever it falls.
        EXPECT_EQ(spans_in(prefix + "password:"), none) << "pad " << pad;
    }
}

TEST(LineWalk, LongLinesAfterTheirColon) {
    // The rest of a log line after its first colon is searched with memchr: a name=value far
    // down it, and the next line's key, are still read.
    for (std::size_t pad = 0; pad < 300; pad += 7) {
        const std::string text =
            "unit-app-0: 12:00:01 INFO " + std::string(pad, '.') + " password=v\ntoken: v\n";
        EXPECT_EQ(spans_in(text), (std::vector<std::string>{"v", "v"})) << "pad " << pad;
    }
}

}  // namespace
