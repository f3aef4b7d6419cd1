// Detector::clean_after() on text with PEM blocks: redact() skips its confirming re-scan when
// the changed lines prove it would find nothing. A block whose every line was replaced, or one
// no replacement touched, keeps the proof; a block a replacement only partly changed must be
// left to the re-scan (there the re-scan does find something, so a wrong proof would leak).
#include <gtest/gtest.h>

#include <string>

#include <jubilant/cassette.hpp>

#include "redact/detector.hpp"

namespace {

namespace jc = jubilant::cassette;
using jc::detail::Detector;
using jc::detail::ScanNotes;

// Base64 that high_entropy() takes for a token outside a public block.
const std::string body_line = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9wY1";

struct Verdict {
    bool clean = false;         // what clean_after() says
    bool rescan_clean = false;  // what a full re-scan of the redacted text finds
    std::size_t spans = 0;
};

Verdict judge(const std::string& text) {
    const Detector detector(jc::RedactionRules{});
    ScanNotes notes;
    const auto spans = detector.scan(text, jc::TextRole::output, &notes);
    const auto redacted = Detector::apply(text, spans);
    return {.clean = detector.clean_after(text, spans, notes),
            .rescan_clean = detector.scan(redacted, jc::TextRole::output).empty(),
            .spans = spans.size()};
}

std::string certificate(const std::string& indent) {
    return indent + "-----BEGIN CERTIFICATE-----\n" + indent + body_line + "\n" + indent +
           body_line + "\n" + indent + "-----END CERTIFICATE-----\n";
}

TEST(CleanAfterPem, AWhollyRedactedBlockBesideAnUntouchedOneIsProvedClean) {
    // The bench's YAML config: a sensitive option's certificate is replaced line by line, a
    // public one is kept whole (its base64 stays public).
    const std::string text = "settings:\n  tls-key:\n    value: |\n" + certificate("      ") +
                             "  ca-cert:\n    value: |\n" + certificate("      ") +
                             "  admin-password: hunter2\n";
    const auto verdict = judge(text);
    EXPECT_EQ(verdict.spans, 5U);  // the 4 block lines of tls-key, the password
    EXPECT_TRUE(verdict.rescan_clean);
    EXPECT_TRUE(verdict.clean);
}

TEST(CleanAfterPem, ABlockWhoseFooterWasReplacedIsLeftToTheRescan) {
    // The footer is a sensitive key's value: once replaced, the block runs to the end of the
    // text, no longer public, and its base64 lines are tokens.
    const std::string text = "cert: |\n  -----BEGIN CERTIFICATE-----\n  " + body_line +
                             "\ntoken: -----END CERTIFICATE-----\nafter: 1\n";
    const auto verdict = judge(text);
    EXPECT_EQ(verdict.spans, 1U);
    EXPECT_FALSE(verdict.rescan_clean);
    EXPECT_FALSE(verdict.clean);
}

TEST(CleanAfterPem, ABlockWithAnUnchangedLineAmongReplacedOnesIsLeftToTheRescan) {
    // Header and footer replaced, a body line between them not (a blank line would do too):
    // the proof needs every line of a touched block changed.
    const std::string text = "password: -----BEGIN CERTIFICATE-----\n" + body_line +
                             "\ntoken: -----END CERTIFICATE-----\n";
    const auto verdict = judge(text);
    EXPECT_EQ(verdict.spans, 2U);
    EXPECT_FALSE(verdict.rescan_clean);  // the body line is a token once the block is gone
    EXPECT_FALSE(verdict.clean);
}

TEST(CleanAfterPem, AnUntouchedBlockAfterAChangeIsProvedClean) {
    const std::string text = "password: hunter2\nca: |\n" + certificate("  ") + "after: 1\n";
    const auto verdict = judge(text);
    EXPECT_EQ(verdict.spans, 1U);
    EXPECT_TRUE(verdict.rescan_clean);
    EXPECT_TRUE(verdict.clean);
}

TEST(CleanAfterPem, ABlockOpenToTheEndIsTouchedByAnyLaterChange) {
    // No footer: the block's bytes run to the end of the text, so a change after it counts
    // (the proof is cautious here: its header line holds no span). Its body is no public
    // block either: a token.
    const std::string text =
        "ca: |\n  -----BEGIN CERTIFICATE-----\n  " + body_line + "\npassword: hunter2\n";
    const auto verdict = judge(text);
    EXPECT_EQ(verdict.spans, 2U);
    EXPECT_FALSE(verdict.clean);
}

}  // namespace
