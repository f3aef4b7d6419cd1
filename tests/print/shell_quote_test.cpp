#include "print/shell_quote.hpp"

#include <gtest/gtest.h>

using jubilant::shell_join;
using jubilant::shell_quote;

TEST(ShellQuote, SafeWordsAreLeftAlone) {
    EXPECT_EQ(shell_quote("status"), "status");
    EXPECT_EQ(shell_quote("--model"), "--model");
    EXPECT_EQ(shell_quote("ctrl:admin/m-1"), "ctrl:admin/m-1");
    EXPECT_EQ(shell_quote("a=b,c@d%e+f.g_h"), "a=b,c@d%e+f.g_h");
}

TEST(ShellQuote, EmptyWordIsTwoQuotes) { EXPECT_EQ(shell_quote(""), "''"); }

TEST(ShellQuote, SpecialCharactersAreSingleQuoted) {
    EXPECT_EQ(shell_quote("a b"), "'a b'");
    EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
    EXPECT_EQ(shell_quote("x;rm -rf /"), "'x;rm -rf /'");
    EXPECT_EQ(shell_quote("*"), "'*'");
}

TEST(ShellQuote, EmbeddedSingleQuoteIsClosedAndReopened) {
    EXPECT_EQ(shell_quote("it's"), "'it'\"'\"'s'");
}

TEST(ShellJoin, JoinsQuotedWordsWithSpaces) {
    EXPECT_EQ(shell_join({"config", "app", "title=hello world", ""}),
              "config app 'title=hello world' ''");
    EXPECT_EQ(shell_join({}), "");
}
