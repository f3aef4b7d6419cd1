// The detector's byte classification (src/redact/classify.hpp): the SIMD versions agree with
// the scalar reference, the reference with the classes' definitions, and the token runs the
// detector finds from the masks are the runs in the bytes, wherever a block boundary falls.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <jubilant/cassette.hpp>

#include "redact/classify.hpp"

namespace {

namespace jc = jubilant::cassette;
using jc::detail::BlockMasks;
using jc::detail::ClassifyIsa;

std::vector<BlockMasks> masks(const std::string& text, ClassifyIsa isa) {
    std::vector<BlockMasks> out;
    jc::detail::classify(text, out, isa);
    return out;
}

bool bit(const std::vector<BlockMasks>& m, std::uint64_t BlockMasks::*field, std::size_t i) {
    return ((m[i / 64].*field) >> (i % 64)) & 1U;
}

/// Every available SIMD version gives the scalar reference's masks for `text`.
void expect_isas_agree(const std::string& text) {
    const auto reference = masks(text, ClassifyIsa::scalar);
    ASSERT_EQ(reference.size(), (text.size() + 63) / 64);
    for (const auto isa : {ClassifyIsa::sse2, ClassifyIsa::avx2}) {
        if (!jc::detail::classify_isa_available(isa)) continue;
        const auto simd = masks(text, isa);
        ASSERT_EQ(simd.size(), reference.size());
        for (std::size_t b = 0; b < simd.size(); ++b) {
            ASSERT_EQ(simd[b], reference[b]) << "isa " << static_cast<int>(isa) << ", block " << b
                                             << " of a " << text.size() << "-byte text";
        }
    }
}

TEST(Classify, ReferenceMatchesTheDefinitions) {
    std::string text;
    for (int round = 0; round < 2; ++round) {
        for (int c = 0; c < 256; ++c) text += static_cast<char>(c);
    }
    text += "x-----BEGIN y bearer BeArEr ://z:/";
    const auto m = masks(text, ClassifyIsa::scalar);
    const auto byte = [&](std::size_t i) -> unsigned {
        return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned c = byte(i);
        const bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=' || c == '_' ||
                           c == '-';
        EXPECT_EQ(bit(m, &BlockMasks::token, i), token) << "byte " << c;
        const bool trigger = (c == '-' && byte(i + 10) == ' ') ||
                             (c == ':' && byte(i + 2) == '/') ||
                             ((c | 0x20U) == 'b' && (byte(i + 5) | 0x20U) == 'r');
        EXPECT_EQ(bit(m, &BlockMasks::trigger, i), trigger) << "at " << i;
        EXPECT_EQ(bit(m, &BlockMasks::separator, i), c == '=' || c == ':') << "byte " << c;
    }
    // The words themselves are marked.
    for (const auto* word : {"-----BEGIN ", "bearer", "BeArEr", "://"}) {
        const auto at = text.find(word, 512);
        ASSERT_NE(at, std::string::npos);
        EXPECT_TRUE(bit(m, &BlockMasks::trigger, at)) << word;
    }
    // Past the end: no class, and the block count rounds up.
    EXPECT_EQ(m.size(), (text.size() + 63) / 64);
    for (std::size_t i = text.size(); i < 64 * m.size(); ++i) {
        EXPECT_FALSE(bit(m, &BlockMasks::token, i) || bit(m, &BlockMasks::trigger, i) ||
                     bit(m, &BlockMasks::separator, i));
    }
}

TEST(Classify, SimdAgreesOnEveryByteAtEveryPositionOfABlock) {
    // Each byte value at each of 128 positions, among fillers the triggers pair with (the
    // second byte of each trigger lies 2, 5 or 10 bytes on, so across a block boundary too).
    for (const char filler : {'.', ' ', '/', 'r', 'R'}) {
        for (int c = 0; c < 256; ++c) {
            std::string text(140, filler);
            for (std::size_t at = 0; at < 128; ++at) {
                text[at] = static_cast<char>(c);
                if (at > 0) text[at - 1] = filler;
                expect_isas_agree(text);
                if (HasFatalFailure()) return;
            }
        }
    }
}

TEST(Classify, SimdAgreesAtEveryLengthAndOnRandomBytes) {
    std::mt19937 random(7);
    const std::string alphabet = "-:/bBrR \"\\aZ09+=_x\n";
    for (std::size_t length = 0; length <= 300; ++length) {
        std::string text(length, ' ');
        for (auto& c : text) {
            c = random() % 4 == 0 ? static_cast<char>(random())
                                  : alphabet[random() % alphabet.size()];
        }
        expect_isas_agree(text);
        // The triggers in the last bytes, whose second byte is past the end.
        if (length >= 11) {
            text.replace(length - 11, 11, "-----BEGIN");
            expect_isas_agree(text);
            text.replace(length - 3, 3, "://");
            expect_isas_agree(text);
        }
        if (HasFatalFailure()) return;
    }
}

TEST(Classify, UnavailableIsaFallsBackToTheReference) {
    // scalar is always there; whatever best_classify_isa() picks is available.
    EXPECT_TRUE(jc::detail::classify_isa_available(ClassifyIsa::scalar));
    EXPECT_TRUE(jc::detail::classify_isa_available(jc::detail::best_classify_isa()));
    expect_isas_agree("a \"quoted\" token-----BEGIN x://y bearer z");
}

// A token of `length` base64 bytes that high_entropy() accepts (when 32 or longer).
std::string random_token(std::size_t length, unsigned seed) {
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::mt19937 random(seed);
    std::string out;
    for (std::size_t i = 0; i < length; ++i) {
        out += alphabet[i < 3 ? (i * 26 + 1) : random() % alphabet.size()];
    }
    return out;
}

TEST(ClassifyTokenRuns, FoundWhereverTheyStartAndEndInABlock) {
    // A run of 31 is no token, 32 and more are; starting at every offset of two blocks, so the
    // run opens, closes or spans whole blocks at every position (the carry between blocks).
    for (const std::size_t length : {31U, 32U, 33U, 63U, 64U, 65U, 96U, 130U}) {
        const auto token = random_token(length, static_cast<unsigned>(length));
        const std::string spaces(70, ' ');
        for (std::size_t offset = 0; offset < 130; ++offset) {
            for (const std::string& tail : {std::string(), std::string(" end"), spaces}) {
                const std::string text = std::string(offset, ' ') + token + tail;
                const auto spans = jc::find_secrets(text, jc::TextRole::output);
                if (length < 32) {
                    EXPECT_TRUE(spans.empty()) << length << " at " << offset;
                    continue;
                }
                ASSERT_EQ(spans.size(), 1U) << length << " at " << offset;
                EXPECT_EQ(spans[0].offset, offset);
                EXPECT_EQ(spans[0].length, length);
                EXPECT_EQ(spans[0].kind, jc::SecretKind::high_entropy);
            }
        }
    }
}

TEST(ClassifyTokenRuns, NeighbouringRunsStayApart) {
    // Two long tokens one byte apart, and a long token right after a short word, at each
    // offset: each run is its own span, the short word none.
    const auto a = random_token(40, 1);
    const auto b = random_token(33, 2);
    for (std::size_t offset = 0; offset < 70; ++offset) {
        const std::string text = std::string(offset, '.') + a + "." + b + " ab.cd " + b;
        const auto spans = jc::find_secrets(text, jc::TextRole::output);
        ASSERT_EQ(spans.size(), 3U) << offset;
        EXPECT_EQ(spans[0].offset, offset);
        EXPECT_EQ(spans[0].length, a.size());
        EXPECT_EQ(spans[1].offset, offset + a.size() + 1);
        EXPECT_EQ(spans[1].length, b.size());
        EXPECT_EQ(spans[2].offset, text.size() - b.size());
    }
}

TEST(ClassifyTokenRuns, AWholeRunIsJudgedNotItsPieces) {
    // An encoded certificate is public, though its bytes past the prefix look random: the run
    // must reach the check whole, never cut where it crosses a block boundary.
    const std::string certificate =
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txaGtp"
        "Rzl3MEJBUVVGQURCYU1Rc3dDUVlEVlFRR0V3SkoKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";
    for (std::size_t offset = 0; offset < 130; ++offset) {
        const std::string text = std::string(offset, ' ') + certificate + " x";
        EXPECT_TRUE(jc::find_secrets(text, jc::TextRole::output).empty()) << offset;
    }
}

}  // namespace
