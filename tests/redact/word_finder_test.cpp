// The detector's word prefilter (src/redact/word_finder.hpp): both versions find exactly what a
// plain search for every word at every position finds, whatever the words (one letter, more
// prefixes than buckets, bytes that are not letters) and wherever a word falls against the
// 32-byte blocks and the text's end.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "redact/word_finder.hpp"

namespace {

namespace jd = jubilant::cassette::detail;
using Word = jd::WordFinder::Word;

bool alphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// Every word at every position, byte by byte: what find() must return.
std::vector<std::size_t> reference(const std::string& text, const std::vector<Word>& words) {
    std::vector<std::size_t> out;
    for (std::size_t at = 0; at < text.size(); ++at) {
        for (const auto& word : words) {
            if (word.text.empty() || word.text.size() > text.size() - at) continue;
            bool same = true;
            for (std::size_t i = 0; i < word.text.size() && same; ++i) {
                same = lower(text[at + i]) == word.text[i];
            }
            const std::size_t end = at + word.text.size();
            if (same && word.whole &&
                ((at > 0 && alphanumeric(text[at - 1])) ||
                 (end < text.size() && alphanumeric(text[end])))) {
                same = false;
            }
            if (same) {
                out.push_back(at);
                break;
            }
        }
    }
    return out;
}

std::vector<std::size_t> found(const std::string& text, const std::vector<Word>& words,
                               jd::ClassifyIsa isa) {
    std::vector<std::size_t> out;
    jd::WordFinder(words).find(text, out, isa);
    return out;
}

void expect_found(const std::string& text, const std::vector<Word>& words) {
    const auto expected = reference(text, words);
    for (const auto isa : {jd::ClassifyIsa::scalar, jd::ClassifyIsa::sse2, jd::ClassifyIsa::avx2}) {
        if (!jd::classify_isa_available(isa)) continue;
        ASSERT_EQ(found(text, words, isa), expected)
            << "isa " << static_cast<int>(isa) << " on a " << text.size() << "-byte text";
    }
}

const std::vector<Word> detector_words = {
    {"password"}, {"passwd"},  {"passphrase"}, {"token"},         {"secret"},    {"credential"},
    {"key"},      {"private"}, {"oauth"},      {"content", true}, {"data", true}};

TEST(WordFinder, EachWordInEitherCaseAtEveryPositionOfTheBlocksAndTheEnd) {
    // Each word, in lower, upper and mixed case, at each offset of two 32-byte blocks and
    // ending at the text's last byte or a little before; the filler is letters that share
    // their first letters ("pp…kk") or spaces (where a whole word counts too).
    for (const auto& word : detector_words) {
        for (const int spelling : {0, 1, 2}) {
            std::string written = word.text;
            for (std::size_t i = 0; i < written.size(); ++i) {
                if (spelling == 1 || (spelling == 2 && i % 2 == 1)) written[i] -= 'a' - 'A';
            }
            for (std::size_t at = 0; at < 70; ++at) {
                const char filler = at % 2 == 1 ? ' ' : 'p';
                for (const std::size_t after : {std::size_t{0}, std::size_t{1}, std::size_t{40}}) {
                    const std::string text = std::string(at, filler) + written +
                                             std::string(after, filler == ' ' ? ' ' : 'k');
                    ASSERT_NO_FATAL_FAILURE(expect_found(text, detector_words)) << written;
                    if (filler == ' ') {
                        const auto starts = found(text, detector_words, jd::best_classify_isa());
                        ASSERT_EQ(starts, std::vector<std::size_t>{at}) << written << " at " << at;
                    }
                }
            }
        }
    }
}

TEST(WordFinder, AWholeWordNextToALetterOrDigitIsNotFound) {
    const std::vector<Word> words = {{"data", true}, {"content", true}};
    EXPECT_EQ(found("database metadata data2 Xdata content_type", words, jd::best_classify_isa()),
              std::vector<std::size_t>{30});  // '_' is neither a letter nor a digit
    for (const std::string text :
         {"data", "\"data\":1", "'Data': x", "  DATA:", "-data-", "x content\n", "content"}) {
        EXPECT_EQ(found(text, words, jd::best_classify_isa()).size(), 1U) << text;
        EXPECT_NO_FATAL_FAILURE(expect_found(text, words));
    }
    for (const std::string text : {"database", "metadata", "data1", "2data", "contents", "datA0"}) {
        EXPECT_TRUE(found(text, words, jd::best_classify_isa()).empty()) << text;
    }
}

TEST(WordFinder, AnyWordsOnRandomText) {
    // Word lists that stress the tables: one-letter and two-letter words (any byte after
    // them), more distinct prefixes than the 8 buckets, bytes that fold onto letters ('@' and
    // '`', '[' and '{'), bytes above 0x7f, and a word that is a prefix of another.
    const std::vector<std::vector<Word>> lists = {
        detector_words,
        {{"x"}, {"q", true}},
        {{"ab"}, {"cd"}, {"ef"}, {"gh"}, {"ij"}, {"kl"}, {"mn"}, {"op"}, {"qr"}, {"st"}, {"uv"}},
        {{"a@b"}, {"[k]"}, {"\xc3\xa9t\xc3\xa9"}, {"api_key"}, {"pass-word"}},
        {{"tok"}, {"token"}, {"tokens", true}},
    };
    std::mt19937 random(14);
    const std::string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEKPTX@`[{_- \n\"\xc3\xa9\x00";
    for (std::size_t l = 0; l < lists.size(); ++l) {
        for (int round = 0; round < 300; ++round) {
            std::string text;
            const auto size = random() % 300;
            while (text.size() < size) {
                if (random() % 8 == 0) {
                    std::string word = lists[l][random() % lists[l].size()].text;
                    for (auto& c : word) {
                        if (random() % 2 && c >= 'a' && c <= 'z') c -= 'a' - 'A';
                    }
                    text += word;
                } else {
                    text += alphabet[random() % alphabet.size()];
                }
            }
            ASSERT_NO_FATAL_FAILURE(expect_found(text, lists[l])) << "list " << l;
        }
    }
}

TEST(WordFinder, NoWordsFindNothing) {
    EXPECT_TRUE(found("password data", {}, jd::best_classify_isa()).empty());
    EXPECT_TRUE(found("password data", {{""}}, jd::best_classify_isa()).empty());
    EXPECT_TRUE(found("", detector_words, jd::best_classify_isa()).empty());
}

}  // namespace
