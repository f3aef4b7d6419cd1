// The detector's line walk finds each line's end and its first colon in one pass, 16 bytes at
// a time up to whichever comes first, then memchr for the rest of the line: colons and line
// ends on each side of those 16 bytes, colons on the next line, and a first colon that makes
// no key must give the spans the lines hold. Outside a sensitive region it reads only the lines
// that hold a key word (a sensitive word, or `content`/`data` whole): the lines it passes over
// must be exactly those that could give no span and open no region.
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

TEST(LineWalk, LinesInARegionAreReadThoughTheyHoldNoKeyWord) {
    // The region's lines hold no key word; the walk must not pass over them to the next line
    // that does (nor stop when no such line is left).
    const std::string text =
        "settings:\n  db-password:\n    value: |\n      s1\n      s2\n  plain:\n    value: x\n";
    EXPECT_EQ(spans_in(text), (std::vector<std::string>{"s1", "s2"}));
    EXPECT_EQ(spans_in(text + "  api-token: s3\n"), (std::vector<std::string>{"s1", "s2", "s3"}));
    EXPECT_EQ(spans_in("data:\n  a: s1\n  - s2\nb: x\n"), (std::vector<std::string>{"s1", "s2"}));
}

TEST(LineWalk, ALineWithAKeyWordIsReadFromItsStart) {
    // Far below lines without a key word, the line that has one is read whole: its indentation
    // closes the region below it at the right line, and a name=value after its key is found.
    std::string plain;
    for (int line = 0; line < 10'000; ++line)
        plain += "  description: option " + std::to_string(line) + "\n";
    const std::string region = plain + "  secret:\n    s1\n  after: x\n";
    EXPECT_EQ(spans_in(region), (std::vector<std::string>{"s1"}));
    const std::string assignment = plain + "unit-0: 12:00:01 ran hook, db_password=s2 ok\n";
    const auto spans = jc::find_secrets(assignment, jc::TextRole::output);
    ASSERT_EQ(spans.size(), 1U);
    EXPECT_EQ(assignment.substr(spans[0].offset, spans[0].length), "s2");
    EXPECT_EQ(spans[0].line, 10'001U);
}

TEST(LineWalk, KeyWordsInEitherCaseAndWholeContentOrData) {
    EXPECT_EQ(spans_in("x: 1\nDB_PASSWORD: v\n"), just_v);
    EXPECT_EQ(spans_in("x: 1\nApi-Token=v\n"), just_v);
    EXPECT_EQ(spans_in("x: 1\nDATA:\n  v\n"), just_v);
    EXPECT_EQ(spans_in("x: 1\n'content':\n  v\n"), just_v);
    EXPECT_EQ(spans_in("x: 1\ndatabase:\n  v\nmetadata:\n  v\n"), none);
}

}  // namespace
