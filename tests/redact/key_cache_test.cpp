// The detector's cache of key verdicts (Detector::key_class): keys are looked up by a few words
// of their bytes, so two keys that differ in any one byte, at any length, must never share a
// verdict.
#include <gtest/gtest.h>

#include <string>

#include <jubilant/cassette.hpp>

namespace {

namespace jc = jubilant::cassette;

TEST(KeyCache, KeysDifferingInOneByteKeepTheirOwnVerdicts) {
    // "kez" is no sensitive word, "key" is: the two keys differ only in the byte after "ke",
    // placed at every position of keys 3 to 60 bytes long (the cache's word boundaries at 4,
    // 8 and 16 bytes, and keys too long to cache). Each key comes back, so the second sighting
    // is a cache hit.
    for (std::size_t length = 3; length <= 60; ++length) {
        for (std::size_t at = 0; at + 3 <= length; ++at) {
            std::string plain(length, 'a');
            plain.replace(at, 3, "kez");
            std::string sensitive = plain;
            sensitive[at + 2] = 'y';
            const std::string text = "{\"" + plain + "\":\"v\",\"" + sensitive + "\":\"s\",\"" +
                                     plain + "\":\"v\",\"" + sensitive + "\":\"s\"}";
            const auto spans = jc::find_secrets(text, jc::TextRole::output);
            ASSERT_EQ(spans.size(), 2U) << sensitive;
            for (const auto& span : spans) {
                EXPECT_EQ(text.substr(span.offset, span.length), "s") << sensitive;
            }
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
