// The detector's cache of key verdicts (Detector::key_class): keys are looked up by a few words
// of their bytes, so two keys that differ in any one byte, at any length, must never share a
// verdict.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include <jubilant/cassette.hpp>

#include "redact/detector.hpp"

namespace {

namespace jc = jubilant::cassette;
namespace jd = jubilant::cassette::detail;

TEST(KeyCache, KeysDifferingInOneByteKeepTheirOwnVerdicts) {
    // "kez" is no sensitive word, "key" is: each pair of keys differs only in the byte after
    // "ke", placed at every position of keys 3 to 60 bytes long (the cache's word boundaries
    // at 4, 8 and 16 bytes, and keys too long to cache), on 36 fillers. A whole length goes to
    // one detector, thousands of keys in 256 sets, so pairs also meet in one set, where only
    // the compared words tell them apart; the plain key comes just before its twin, so it is
    // still cached. The cache is asked directly: the JSON walk no longer asks it about a key
    // without a key word in it ("kez…"). Each length is asked twice, the second time mostly
    // from the cache, and as a document, whose spans must be the sensitive keys' values.
    const std::string fillers = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (std::size_t length = 3; length <= 60; ++length) {
        std::vector<std::pair<std::string, std::string>> pairs;
        std::string text = "{";
        for (const char filler : fillers) {
            for (std::size_t at = 0; at + 3 <= length; ++at) {
                std::string plain(length, filler);
                plain.replace(at, 3, "kez");
                std::string sensitive = plain;
                sensitive[at + 2] = 'y';
                text += "\"" + plain + "\":\"v\",\"" + sensitive + "\":\"s\",";
                pairs.emplace_back(std::move(plain), std::move(sensitive));
            }
        }
        const jd::Detector detector(jc::RedactionRules{});
        for (int round = 0; round < 2; ++round) {
            for (const auto& [plain, sensitive] : pairs) {
                ASSERT_EQ(detector.key_class(plain), jd::KeyClass::plain) << plain;
                ASSERT_EQ(detector.key_class(sensitive), jd::KeyClass::sensitive) << sensitive;
            }
        }
        text.back() = '}';
        const auto spans = jc::find_secrets(text, jc::TextRole::output);
        ASSERT_EQ(spans.size(), pairs.size()) << "keys of " << length << " bytes";
        for (const auto& span : spans) {
            ASSERT_EQ(text.substr(span.offset, span.length), "s") << "keys of " << length;
        }
    }
}

TEST(KeyCache, QuotedAndBareSpellingsOfAKeyAgree) {
    // YAML keys may be quoted; the cache holds raw bytes, the verdict is the bare key's.
    const std::string text =
        "password: a\n\"password\": b\n'password': c\npassword: d\n\"passwor\": e\n";
    const auto spans = jc::find_secrets(text, jc::TextRole::output);
    ASSERT_EQ(spans.size(), 4U);
    for (std::size_t i = 0; i < spans.size(); ++i) {
        EXPECT_EQ(text.substr(spans[i].offset, spans[i].length), std::string(1, "abcd"[i]));
    }
}

}  // namespace
