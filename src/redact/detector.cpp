// The one secret detector: what redact() replaces is exactly what lint() reports.
//
// Every scanner here is a forward pass over the bytes with memchr/memmem and small lookup
// tables, so time is linear in the text and the stack depth is constant: no std::regex (which
// recurses per character in libstdc++ and overflowed the stack on 26 KB lines), no recursive
// walk (JSON is read with an explicit stack). User patterns are RE2, also linear.
//
// The JSON and line walks, which read a text token by token, run only where one SIMD pass
// (word_finder.hpp) finds a word that can make a key sensitive: juju's status JSON and most
// log and YAML lines hold none, and the other scanners read their bytes from block masks.
#include "detector.hpp"

#include <jubilant/errors.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>
#include <re2/re2.h>

#include "print/json_quote.hpp"
#include "redact/ascii_case.hpp"
#include "redact/classify.hpp"

namespace jubilant::cassette {

namespace {

constexpr std::size_t npos = std::string_view::npos;

/// Bytes of a `name` in `name=value` and `name: value` within free text.
constexpr std::array<bool, 256> name_chars = [] {
    std::array<bool, 256> table{};
    for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
    for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
    for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
    for (char c : {'_', '-', '.'}) table[static_cast<unsigned char>(c)] = true;
    return table;
}();

/// Bytes of a bearer token (RFC 6750's b64token).
constexpr std::array<bool, 256> bearer_chars = [] {
    std::array<bool, 256> table = detail::token_bytes;
    for (char c : {'.', '~'}) table[static_cast<unsigned char>(c)] = true;
    return table;
}();

bool is(const std::array<bool, 256>& table, char c) noexcept {
    return table[static_cast<unsigned char>(c)];
}

using detail::ascii_lower;
using detail::equals_ascii_lower;

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = ascii_lower(c);
    return out;
}

/// White space, tested for at nearly every JSON token: most bytes are above ' ', out at once.
bool space(char c) noexcept {
    return static_cast<unsigned char>(c) <= ' ' &&
           (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

bool is_marker(std::string_view value) noexcept { return value == redacted_marker; }

/// Values that carry nothing even under a sensitive key.
bool harmless(std::string_view value) noexcept {
    // Called for every value: string_views made once (not a strlen of each word per call), and
    // anything longer than the marker, the longest of them, is out at once.
    static constexpr std::string_view words[] = {"null", "~",     "{}",   "[]",
                                                 "true", "false", "\"\"", "''"};
    if (value.size() > redacted_marker.size()) return false;
    for (const std::string_view word : words) {
        if (value == word) return true;
    }
    return is_marker(value);
}

/// Whether a and b are the same bytes, ASCII letters in either case when `fold` (`lower_b` is
/// then lower case).
bool same(const char* a, const char* lower_b, std::size_t n, bool fold) noexcept {
    if (!fold) return std::memcmp(a, lower_b, n) == 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (ascii_lower(a[i]) != lower_b[i]) return false;
    }
    return true;
}

/// memmem, faster for the short needles here: 16 positions at a time whose first and last
/// bytes both match the needle's are the only ones compared in full (glibc's memmem was a
/// quarter of the whole redaction time). With `fold`, ASCII letters match in either case
/// (`needle` in lower case).
std::size_t find_bytes(std::string_view text, std::size_t from, std::string_view needle,
                       bool fold) noexcept {
    if (from > text.size() || needle.empty() || needle.size() > text.size() - from) {
        return needle.empty() && from <= text.size() ? from : npos;
    }
    const std::size_t k = needle.size();
    const std::size_t last_start = text.size() - k;  // the last position a match can start at
    std::size_t i = from;
#if defined(__SSE2__)
    // OR-ing 0x20 lower-cases letters (and maps a few other bytes onto them: the full
    // comparison sorts those out).
    const __m128i case_bit = _mm_set1_epi8(fold ? 0x20 : 0);
    const __m128i first = _mm_set1_epi8(needle.front());
    const __m128i last = _mm_set1_epi8(needle.back());
    for (; i + 16 <= last_start + 1; i += 16) {
        const auto* p = reinterpret_cast<const __m128i*>(text.data() + i);
        const auto* q = reinterpret_cast<const __m128i*>(text.data() + i + k - 1);
        const __m128i head = _mm_or_si128(_mm_loadu_si128(p), case_bit);
        const __m128i tail = _mm_or_si128(_mm_loadu_si128(q), case_bit);
        auto mask = static_cast<unsigned>(_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(head, first), _mm_cmpeq_epi8(tail, last))));
        while (mask != 0) {
            const auto at = i + static_cast<std::size_t>(__builtin_ctz(mask));
            if (same(text.data() + at, needle.data(), k, fold)) return at;
            mask &= mask - 1;
        }
    }
#endif
    for (; i <= last_start; ++i) {
        if (same(text.data() + i, needle.data(), k, fold)) return i;
    }
    return npos;
}

std::size_t find(std::string_view text, std::size_t from, std::string_view needle) noexcept {
    return find_bytes(text, from, needle, false);
}

std::size_t find(std::string_view text, std::size_t from, char c) noexcept {
    if (from >= text.size()) return npos;
    const void* hit = std::memchr(text.data() + from, c, text.size() - from);
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - text.data()) : npos;
}

/// How many '\n' bytes `text` holds; 16 bytes at a time where SSE2 is there (std::count went
/// byte by byte, and the line numbers of spans near the end of a 1 MB output cost a pass).
std::size_t count_newlines(std::string_view text) noexcept {
    std::size_t count = 0;
    std::size_t i = 0;
#if defined(__SSE2__)
    // A match is -1 in its byte lane, so subtracting counts it; the lanes are summed (psadbw)
    // every 255 blocks, before one can overflow. No popcount: without -mpopcnt it is a call.
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i zero = _mm_setzero_si128();
    while (i + 16 <= text.size()) {
        __m128i lanes = zero;
        for (int block = 0; block < 255 && i + 16 <= text.size(); ++block, i += 16) {
            const __m128i chunk =
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(chunk, newline));
        }
        const __m128i sums = _mm_sad_epu8(lanes, zero);
        count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
                 static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    }
#endif
    for (; i < text.size(); ++i) count += text[i] == '\n' ? 1 : 0;
    return count;
}

/// Whether [begin, end) lies inside a redaction marker already in the text.
bool inside_marker(std::string_view text, std::size_t begin, std::size_t end) noexcept {
    const std::size_t m = redacted_marker.size();
    for (std::size_t s = begin >= m - 1 ? begin - (m - 1) : 0; s <= begin; ++s) {
        if (text.substr(s, m) == redacted_marker && end <= s + m) return true;
    }
    return false;
}

/// Whether t[i] is escaped: preceded by an odd run of backslashes (a JSON escape, whose bytes a
/// span must not split, or the JSON would no longer parse).
bool escaped(std::string_view t, std::size_t i) noexcept {
    std::size_t run = 0;
    while (i > run && t[i - run - 1] == '\\') ++run;
    return run % 2 == 1;
}

/// Sorts by offset, longer first at one offset, then the more specific kind (SecretKind's
/// order). Each scanner finds its spans front to back, so the list is a few ascending runs:
/// they are merged (O(n log runs)) rather than sorted afresh, which took half the time on a
/// 1 MB line with 100,000 findings.
void sort_spans(std::vector<SecretSpan>& list) {
    const auto before = [](const SecretSpan& a, const SecretSpan& b) {
        if (a.offset != b.offset) return a.offset < b.offset;
        if (a.length != b.length) return a.length > b.length;
        return a.kind < b.kind;
    };
    std::vector<std::size_t> bounds{0};  // where each ascending run starts, then the end
    for (std::size_t i = 1; i < list.size(); ++i) {
        if (before(list[i], list[i - 1])) bounds.push_back(i);
    }
    bounds.push_back(list.size());
    while (bounds.size() > 2) {
        const std::size_t runs = bounds.size() - 1;
        std::vector<std::size_t> merged{0};
        for (std::size_t k = 0; k + 2 <= runs; k += 2) {
            const auto at = [&](std::size_t b) {
                return list.begin() + static_cast<std::ptrdiff_t>(bounds[b]);
            };
            std::inplace_merge(at(k), at(k + 1), at(k + 2), before);
            merged.push_back(bounds[k + 2]);
        }
        if (runs % 2 == 1) merged.push_back(bounds[runs]);
        bounds = std::move(merged);
    }
}

/// Collects spans while scanning one text.
struct Spans {
    std::vector<SecretSpan> list;

    void add(std::size_t offset, std::size_t length, SecretKind kind, bool quote = false) {
        if (length == 0) return;
        list.push_back({.offset = offset, .length = length, .kind = kind, .quote = quote});
    }
};

// --- free-text shapes -----------------------------------------------------------------------

/// Stretches where long base64 is public: certificates and public keys in PEM form.
struct PublicBlocks {
    std::vector<std::pair<std::size_t, std::size_t>> ranges;  // sorted, non-overlapping
};

/// Where the fixed words the free-text scanners start from occur: "-----BEGIN ", "bearer" (any
/// case) and "://". One pass finds all three (it was one pass each, a sixth of the time).
struct Triggers {
    std::vector<std::size_t> pem, bearer, url;  // ascending
};

Triggers find_triggers(const detail::ClassifiedText& text) {
    constexpr std::string_view pem = "-----BEGIN ", bearer = "bearer", url = "://";
    const std::string_view t = text.text;
    Triggers hits;
    const std::size_t n = t.size();
    // The trigger mask marks where a word's first byte and one more match (classify.hpp): only
    // those positions are compared in full.
    const auto& blocks = *text.blocks;
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        for (std::uint64_t mask = blocks[b].trigger; mask != 0; mask &= mask - 1) {
            const std::size_t at = 64 * b + static_cast<std::size_t>(__builtin_ctzll(mask));
            if (at + pem.size() <= n && same(t.data() + at, pem.data(), pem.size(), false)) {
                hits.pem.push_back(at);
            }
            if (at + bearer.size() <= n &&
                same(t.data() + at, bearer.data(), bearer.size(), true)) {
                hits.bearer.push_back(at);
            }
            if (at + url.size() <= n && same(t.data() + at, url.data(), url.size(), false)) {
                hits.url.push_back(at);
            }
        }
    }
    return hits;
}

/// The first of `hits` at or after `from`, or npos; `cursor` only moves forward, as the
/// scanners' positions do.
std::size_t next_hit(const std::vector<std::size_t>& hits, std::size_t& cursor,
                     std::size_t from) noexcept {
    while (cursor < hits.size() && hits[cursor] < from) ++cursor;
    return cursor < hits.size() ? hits[cursor] : npos;
}

/// PEM blocks. A private key's body is a span: from after the header to the footer, or, cut
/// short, to the end of the JSON string or text it is in. Other blocks (certificates, public
/// keys) are noted as public so their base64 lines are not taken for tokens.
void scan_pem(std::string_view t, const std::vector<std::size_t>& hits, Spans& out,
              PublicBlocks& public_blocks,
              std::vector<std::pair<std::size_t, std::size_t>>* regions = nullptr) {
    constexpr std::string_view begin_tag = "-----BEGIN ";
    constexpr std::string_view dashes = "-----";
    std::size_t next_end = 0;    // cached position of the next "-----END", or npos
    std::size_t next_quote = 0;  // cached position of the next '"', or npos
    bool end_known = false;
    bool quote_known = false;
    std::size_t pos = 0;
    std::size_t cursor = 0;
    while ((pos = next_hit(hits, cursor, pos)) != npos) {
        std::size_t label_end = pos + begin_tag.size();
        while (label_end < t.size() &&
               ((t[label_end] >= 'A' && t[label_end] <= 'Z') ||
                (t[label_end] >= '0' && t[label_end] <= '9') || t[label_end] == ' ')) {
            ++label_end;
        }
        if (t.substr(label_end, dashes.size()) != dashes) {
            if (regions) regions->emplace_back(pos, std::min(label_end + dashes.size(), t.size()));
            pos = label_end;
            continue;
        }
        const std::size_t label_start = pos + begin_tag.size();
        const std::string_view label = t.substr(label_start, label_end - label_start);
        std::size_t body = label_end + dashes.size();
        if (!end_known || (next_end != npos && next_end < body)) {
            next_end = find(t, body, "-----END");
            end_known = true;
        }
        if (!quote_known || (next_quote != npos && next_quote < body)) {
            next_quote = find(t, body, '"');
            quote_known = true;
        }
        std::size_t stop = std::min({next_end, next_quote, t.size()});
        // What decided `stop`: the bytes up to it and the footer ("-----END", 8 bytes) there.
        if (regions) regions->emplace_back(pos, std::min(stop + 8, t.size()));
        const bool private_key = label.ends_with("PRIVATE KEY");
        if (!private_key) {
            if (next_end != npos && next_end == stop) public_blocks.ranges.emplace_back(body, stop);
            pos = stop;
            continue;
        }
        // Keep the line structure around the body: white space and JSON's "\n" escapes.
        auto escape_at = [&](std::size_t i) {
            return i + 1 < t.size() && t[i] == '\\' && (t[i + 1] == 'n' || t[i + 1] == 'r');
        };
        std::size_t first = body;
        while (first < stop) {
            if (space(t[first])) {
                ++first;
            } else if (first + 1 < stop && escape_at(first)) {
                first += 2;
            } else {
                break;
            }
        }
        std::size_t last = stop;
        while (last > first) {
            if (space(t[last - 1])) {
                --last;
            } else if (last - first >= 2 && escape_at(last - 2)) {
                last -= 2;
            } else {
                break;
            }
        }
        while (last > first && escaped(t, last)) --last;  // never end inside an escape
        if (last > first && !is_marker(t.substr(first, last - first))) {
            out.add(first, last - first, SecretKind::private_key);
        }
        pos = stop;
    }
}

/// "Bearer <token>", "bearer" in any case.
void scan_bearer(std::string_view t, const std::vector<std::size_t>& hits, Spans& out) {
    std::size_t pos = 0;
    std::size_t cursor = 0;
    while ((pos = next_hit(hits, cursor, pos)) != npos) {
        const std::size_t b = pos;
        pos += 6;
        if (b > 0 && is(name_chars, t[b - 1])) continue;  // a longer word
        std::size_t start = pos;
        if (start >= t.size() || (t[start] != ' ' && t[start] != '\t')) continue;
        while (start < t.size() && (t[start] == ' ' || t[start] == '\t')) ++start;
        std::size_t end = start;
        while (end < t.size() && is(bearer_chars, t[end])) ++end;
        out.add(start, end - start, SecretKind::bearer_token);
    }
}

/// The password of scheme://user:password@host.
void scan_url_credentials(std::string_view t, const std::vector<std::size_t>& hits, Spans& out) {
    auto userinfo_char = [](char c) {
        return !space(c) && c != ':' && c != '/' && c != '@' && c != '"' && c != '\'';
    };
    auto password_char = [](char c) {
        return !space(c) && c != '@' && c != '/' && c != '"' && c != '\'';
    };
    std::size_t pos = 0;
    std::size_t cursor = 0;
    while ((pos = next_hit(hits, cursor, pos)) != npos) {
        const bool scheme = pos > 0 && ((t[pos - 1] >= 'a' && t[pos - 1] <= 'z') ||
                                        (t[pos - 1] >= 'A' && t[pos - 1] <= 'Z') ||
                                        (t[pos - 1] >= '0' && t[pos - 1] <= '9'));
        std::size_t user = pos + 3;
        pos = user;
        if (!scheme) continue;
        std::size_t colon = user;
        while (colon < t.size() && userinfo_char(t[colon])) ++colon;
        if (colon == user || colon >= t.size() || t[colon] != ':') continue;
        std::size_t at = colon + 1;
        while (at < t.size() && password_char(t[at])) ++at;
        if (at >= t.size() || t[at] != '@' || at == colon + 1) continue;
        if (!is_marker(t.substr(colon + 1, at - colon - 1))) {
            out.add(colon + 1, at - colon - 1, SecretKind::url_credentials);
        }
        pos = at;
    }
}

/// Whether `token` is base64 of a PEM block that is not a private key (an encoded certificate,
/// as charm config often carries one): "LS0tLS1CRUdJTi" is base64 of "-----BEGIN".
bool encoded_public_pem(std::string_view token) {
    if (!token.starts_with("LS0tLS1CRUdJTi")) return false;
    std::string decoded;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : token.substr(0, 64)) {
        int v = -1;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        if (v < 0) break;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            decoded += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    const auto label_end = decoded.find("-----", 5);
    const auto label = std::string_view(decoded).substr(0, label_end);
    return label_end != std::string::npos && label.find("PRIVATE") == std::string_view::npos;
}

/// A token that looks generated: 32+ characters with upper case, lower case and digits, not
/// hex (digests such as a secret's 64-hex checksum and UUIDs are not secrets), and at least 4
/// bits of entropy per character (random base64 has about 5 at this length; words, paths and
/// juju's lower-case ids fail the case test or this one).
bool high_entropy(std::string_view token) {
    bool upper = false, lower_case = false, digit = false, hex_only = true;
    std::array<std::uint32_t, 256> counts{};
    for (char c : token) {
        upper |= c >= 'A' && c <= 'Z';
        lower_case |= c >= 'a' && c <= 'z';
        digit |= c >= '0' && c <= '9';
        hex_only &=
            (c >= '0' && c <= '9') || (ascii_lower(c) >= 'a' && ascii_lower(c) <= 'f') || c == '-';
        ++counts[static_cast<unsigned char>(c)];
    }
    if (!upper || !lower_case || !digit || hex_only) return false;
    double bits = 0;
    const auto n = static_cast<double>(token.size());
    for (auto count : counts) {
        if (count == 0) continue;
        const double p = static_cast<double>(count) / n;
        bits -= p * std::log2(p);
    }
    return bits >= 4.0;
}

/// Calls visit(start, end) for each maximal run of token bytes at least 32 long, in
/// order, from the token masks: a block costs a few word operations unless such a run is in
/// it (JSON, YAML and log lines break into short runs).
/// The shortest token high_entropy() is asked about.
constexpr std::size_t min_token_length = 32;

template <typename Visit>
void long_token_runs(const detail::ClassifiedText& text, Visit&& visit) {
    static_assert(sizeof(unsigned long long) == sizeof(std::uint64_t));
    const auto& blocks = *text.blocks;
    constexpr std::uint64_t ones = ~std::uint64_t{0};
    std::size_t open = npos;  // the start of a run that reaches the end of the block before
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        const std::uint64_t w = blocks[b].token;
        const std::size_t base = 64 * b;
        if (w == ones) {
            if (open == npos) open = base;
            continue;
        }
        std::uint64_t rest = w;
        if (open != npos) {  // the open run ends at this block's first non-token byte
            const auto lead = static_cast<unsigned>(__builtin_ctzll(~w));
            if (base + lead - open >= min_token_length) visit(open, base + lead);
            open = npos;
            rest &= ones << lead;
        }
        if (rest >> 63) {  // a run reaching the block's end stays open
            const auto top = 64U - static_cast<unsigned>(__builtin_clzll(~rest));
            open = base + top;
            rest &= ~(ones << top);
        }
        // Bit p of `long_from` is set when bits p .. p + 31 of `rest` all are; the
        // runs left in `rest` end inside the block, so no bit shifted in from above counts.
        std::uint64_t long_from = rest;
        long_from &= long_from >> 1;   // runs of 2 start here
        long_from &= long_from >> 2;   // 4
        long_from &= long_from >> 4;   // 8
        long_from &= long_from >> 8;   // 16
        long_from &= long_from >> 16;  // 32
        while (long_from != 0) {
            const auto from = static_cast<unsigned>(__builtin_ctzll(long_from));
            const auto to = static_cast<unsigned>(__builtin_ctzll(~(rest >> from))) + from;
            visit(base + from, base + to);
            long_from &= ones << to;  // `to` < 64: the run ends inside the block
        }
    }
    if (open != npos && text.text.size() - open >= min_token_length) {
        visit(open, text.text.size());
    }
}

/// Long runs of token bytes that look generated (high_entropy), outside public PEM blocks.
void scan_tokens(const detail::ClassifiedText& text, const PublicBlocks& public_blocks,
                 Spans& out) {
    const std::string_view t = text.text;
    const auto& ranges = public_blocks.ranges;
    std::size_t block = 0;
    long_token_runs(text, [&](std::size_t start, std::size_t end) {
        if (escaped(t, start)) {  // "\nAbc…": the token starts after the escape
            start += t[start] == 'u' ? std::min<std::size_t>(5, end - start) : 1;
        }
        if (end - start < min_token_length) return;
        while (block < ranges.size() && ranges[block].second <= start) ++block;
        const bool in_public = block < ranges.size() && ranges[block].first <= start;
        const auto token = t.substr(start, end - start);
        if (!in_public && !encoded_public_pem(token) && high_entropy(token)) {
            out.add(start, end - start, SecretKind::high_entropy);
        }
    });
}

}  // namespace

namespace detail {

namespace {

std::string clip(std::string_view text) {
    constexpr std::size_t limit = 80;
    return text.size() <= limit ? std::string(text)
                                : fmt::format("{}… ({} bytes)", text.substr(0, limit), text.size());
}

/// What a value sits under, in JSON or YAML.
enum class Under { plain, sensitive_key, content_key, inside };

std::string_view unquoted(std::string_view key) {
    const bool quoted = key.size() >= 2 && (key.front() == '"' || key.front() == '\'');
    return quoted && key.back() == key.front() ? key.substr(1, key.size() - 2) : key;
}

/// The end of a JSON string, and whether scan_assignments() could find a `name=value` or
/// `name: value` in it (when not, it is not entered).
struct StringEnd {
    std::size_t end;  // index of the closing quote, or npos
    bool assignment;
};

/// Whether t[p] is a separator scan_assignments() acts on: '=', or ':' followed by a space or
/// tab or preceded by '"' (its other colons, as in "12:03:18", are passed over). Errs towards
/// true at the string's edges, which only costs a call.
bool assignment_at(std::string_view t, std::size_t p) noexcept {
    if (t[p] == '=') return true;
    if (t[p] != ':') return false;
    return (p > 0 && t[p - 1] == '"') ||
           (p + 1 < t.size() && (t[p + 1] == ' ' || t[p + 1] == '\t'));
}

/// The closing quote of the JSON string opening at t[open]. Lenient about what is inside
/// (control characters, escapes): only the structure decides JSON or text. One pass, 16 bytes
/// at a time, finds the quote and the separators together (status JSON is mostly short
/// strings, many holding times such as "12:03:18": a memchr call per string, then the
/// assignment scanner on each, cost more than the bytes). Keys need no separators: `values`
/// false leaves `assignment` false and skips that work.
template <bool values>
StringEnd json_string_end(std::string_view t, std::size_t open) noexcept {
    std::size_t i = open + 1;
    bool assignment = false;
#if defined(__SSE2__)
    const auto load = [&](std::size_t at) {
        return _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data() + at));
    };
    // Each block also reads the byte before it and the byte after it (the neighbours of a
    // colon), so the last one must end a byte short of the text.
    for (; i + 17 <= t.size(); i += 16) {
        const __m128i chunk = load(i);
        auto quotes =
            static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"'))));
        unsigned separators = 0;
        if constexpr (values) {
            const __m128i before = load(i - 1);
            const __m128i after = load(i + 1);
            const __m128i colon = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(':'));
            const __m128i colon_acts =
                _mm_or_si128(_mm_cmpeq_epi8(before, _mm_set1_epi8('"')),
                             _mm_or_si128(_mm_cmpeq_epi8(after, _mm_set1_epi8(' ')),
                                          _mm_cmpeq_epi8(after, _mm_set1_epi8('\t'))));
            separators = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
                _mm_cmpeq_epi8(chunk, _mm_set1_epi8('=')), _mm_and_si128(colon, colon_acts))));
        }
        while (quotes != 0) {
            const auto bit = static_cast<unsigned>(__builtin_ctz(quotes));
            if (!escaped(t, i + bit)) {
                return {i + bit, assignment || (separators & ((1U << bit) - 1)) != 0};
            }
            quotes &= quotes - 1;
        }
        assignment = assignment || separators != 0;
    }
#endif
    for (; i < t.size(); ++i) {
        if (t[i] == '"' && !escaped(t, i)) return {i, assignment};
        if constexpr (values) assignment = assignment || assignment_at(t, i);
    }
    return {npos, assignment};
}

}  // namespace

Detector::Detector(const RedactionRules& rules) {
    for (const auto& key : rules.sensitive_keys) {
        if (!key.empty()) sensitive_.push_back(lower(key));
    }
    for (const auto& word : sensitive_) {
        const auto first = static_cast<unsigned char>(word.front());
        by_first_letter_[first].push_back(&word);
        // A one-letter word matches whatever follows it.
        second_letters_[first] |=
            word.size() == 1 ? ~std::uint64_t{0} : std::uint64_t{1} << (word[1] & 63);
    }
    for (const auto& key : rules.keep_keys) keep_.push_back(lower(key));
    // Every key key_class() does not call plain holds one of these (keep keys only make fewer
    // keys sensitive): a sensitive word anywhere, or is `content`/`data` (bare, or in quotes:
    // never next to a letter or digit).
    std::vector<WordFinder::Word> words;
    for (const auto& word : sensitive_) words.push_back({.text = word, .whole = false});
    for (const char* word : {"content", "data"}) words.push_back({.text = word, .whole = true});
    key_words_ = WordFinder(words);
    for (const auto& literal : rules.literals) {
        if (literal.empty()) continue;
        literals_.push_back(literal);
        std::string quoted;
        append_json_string(quoted, literal);
        quoted = quoted.substr(1, quoted.size() - 2);
        if (quoted != literal) literals_.push_back(std::move(quoted));
    }
    for (const auto& pattern : rules.patterns) {
        RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_unique<RE2>(pattern, options);
        if (!re->ok()) {
            throw Error(fmt::format("invalid redaction pattern '{}': {} (patterns are RE2 syntax)",
                                    clip(pattern), re->error()));
        }
        patterns_.push_back(std::move(re));
    }
}

Detector::~Detector() = default;

namespace {

/// memcmp(a, b, n) == 0 for the short keys of the verdict cache, 8 bytes at a time and inline:
/// the call to memcmp was a tenth of the whole redaction time.
bool same_short(const char* a, const char* b, std::size_t n) noexcept {
    const auto word = [](const char* p, auto zero) {
        decltype(zero) w = zero;
        std::memcpy(&w, p, sizeof w);
        return w;
    };
    for (; n > 16; a += 8, b += 8, n -= 8) {
        if (word(a, std::uint64_t{0}) != word(b, std::uint64_t{0})) return false;
    }
    // The rest as two words that may overlap: the first and the last 8 (or 4) bytes.
    if (n >= 8) {
        return word(a, std::uint64_t{0}) == word(b, std::uint64_t{0}) &&
               word(a + n - 8, std::uint64_t{0}) == word(b + n - 8, std::uint64_t{0});
    }
    if (n >= 4) {
        return word(a, std::uint32_t{0}) == word(b, std::uint32_t{0}) &&
               word(a + n - 4, std::uint32_t{0}) == word(b + n - 4, std::uint32_t{0});
    }
    for (; n > 0; ++a, ++b, --n) {
        if (*a != *b) return false;
    }
    return true;
}

}  // namespace

KeyClass Detector::key_class(std::string_view key) const {
    // The same few keys come back in every document (status JSON has a dozen per unit), between
    // keys seen once (unit and machine names). A set's first way keeps the first key cached in
    // it, the second takes every later miss: a one-off key never evicts a key of every unit, and
    // a hit writes nothing. A key is looked up by two words read straight from its bytes (no
    // byte loop, no unquoting: that waits for a miss).
    const std::size_t n = key.size();
    if (n == 0 || n > cacheable_key) return key_class_missed(key, nullptr);
    const char* p = key.data();
    const auto load = [](const char* at, auto zero) {
        decltype(zero) w = zero;
        std::memcpy(&w, at, sizeof w);
        return w;
    };
    KeyWords words;
    if (n >= 8) {
        words = {load(p, std::uint64_t{0}), load(p + n - 8, std::uint64_t{0})};
    } else if (n >= 4) {
        words.head =
            load(p, std::uint32_t{0}) | (std::uint64_t{load(p + n - 4, std::uint32_t{0})} << 32);
    } else {
        const auto byte = [&](std::size_t i) {
            return std::uint64_t{static_cast<unsigned char>(p[i])};
        };
        words.head = byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16);
    }
    const auto index = static_cast<std::size_t>(
        ((words.head ^ (words.tail * 0x9E3779B97F4A7C15ULL) ^ n) * 0xD6E8FEB86659FD93ULL) >> 56);
    auto& set = key_cache_[index % key_cache_.size()];
    for (auto& entry : set) {
        if (entry.size == n && entry.words.head == words.head && entry.words.tail == words.tail &&
            (n <= 16 || same_short(entry.key.data(), p, n))) {
            return entry.verdict;
        }
    }
    KeyVerdict* slot = set[0].size == 0 ? &set[0] : &set[1];
    slot->words = words;
    return key_class_missed(key, slot);
}

KeyClass Detector::key_class_missed(std::string_view key, KeyVerdict* slot) const {
    const auto bare = unquoted(key);
    // `bare` is unquoted once already: content_key() would strip a second pair of quotes.
    const KeyClass verdict =
        sensitive_key_uncached(bare) ? KeyClass::sensitive
        : equals_ascii_lower(bare, "content") || equals_ascii_lower(bare, "data")
            ? KeyClass::content
            : KeyClass::plain;
    if (slot) {
        std::memcpy(slot->key.data(), key.data(), key.size());
        slot->size = static_cast<std::uint8_t>(key.size());
        slot->verdict = verdict;
    }
    return verdict;
}

bool Detector::sensitive_key(std::string_view key) const {
    return key_class(key) == KeyClass::sensitive;
}

bool Detector::sensitive_key_uncached(std::string_view key) const {
    for (const auto& keep : keep_) {
        if (equals_ascii_lower(key, keep)) return false;
    }
    // Called for every key of every document: look only where a word's first two letters are
    // (second_letters_ may say yes wrongly, never no wrongly; a word's last possible start,
    // the key's last byte, is always looked at, for one-letter words).
    const std::size_t last = key.size() - 1;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const auto first = static_cast<unsigned char>(ascii_lower(key[i]));
        const auto next = i < last ? static_cast<unsigned char>(ascii_lower(key[i + 1])) : 0U;
        if (i < last && ((second_letters_[first] >> (next & 63U)) & 1U) == 0) continue;
        const auto& words = by_first_letter_[first];
        for (const auto* word : words) {
            if (word->size() <= key.size() - i &&
                equals_ascii_lower(key.substr(i, word->size()), *word)) {
                return true;
            }
        }
    }
    return false;
}

namespace {

SecretKind kind_of(Under under, SecretKind inside_kind) {
    switch (under) {
    case Under::sensitive_key: return SecretKind::sensitive_value;
    case Under::content_key: return SecretKind::secret_content;
    default: return inside_kind;
    }
}

}  // namespace

namespace {

/// The first separator bit of the masks (classify.hpp) in [p, end), or end: every '=' and
/// every ':' scan_assignments() acts on are among them.
std::size_t next_separator(const ClassifiedText& text, std::size_t p, std::size_t end) noexcept {
    if (p >= end) return end;
    const auto& blocks = *text.blocks;
    std::size_t b = p / 64;
    std::uint64_t bits = blocks[b].separator & (~std::uint64_t{0} << (p % 64));
    while (bits == 0) {
        if (64 * ++b >= end) return end;
        bits = blocks[b].separator;
    }
    return std::min(end, 64 * b + static_cast<std::size_t>(__builtin_ctzll(bits)));
}

/// `name=value` and `name: value` inside free text (log lines, messages): the value of a
/// sensitive name, up to white space or punctuation, or its closing quote.
void scan_assignments(const Detector& detector, const ClassifiedText& text, std::size_t begin,
                      std::size_t end, Spans& out) {
    const std::string_view t = text.text;
    std::size_t p = begin;
    while ((p = next_separator(text, p, end)) < end) {
        const char c = t[p];
        const bool quoted_name = p > begin && t[p - 1] == '"';
        if (c == ':' && !quoted_name && !(p + 1 < end && (t[p + 1] == ' ' || t[p + 1] == '\t'))) {
            ++p;
            continue;
        }
        std::size_t name_end = quoted_name ? p - 1 : p;
        std::size_t name_start = name_end;
        while (name_start > begin && is(name_chars, t[name_start - 1])) --name_start;
        std::size_t v = p + 1;
        ++p;
        if (name_start == name_end ||
            !detector.sensitive_key(t.substr(name_start, name_end - name_start))) {
            continue;
        }
        while (v < end && (t[v] == ' ' || t[v] == '\t')) ++v;
        std::size_t v_end = v;
        if (v < end && (t[v] == '"' || t[v] == '\'')) {
            const auto close = find(t.substr(0, end), v + 1, t[v]);
            ++v;
            v_end = close == npos ? end : close;
        } else if (v + 1 < end && t[v] == '\\' && t[v + 1] == '"') {  // \"value\" in a JSON string
            const auto close = find(t.substr(0, end), v + 2, "\\\"");
            v += 2;
            v_end = close == npos ? end : close;
        } else {
            while (v_end < end && !space(t[v_end]) &&
                   std::string_view(",;&)}]\"'").find(t[v_end]) == npos) {
                ++v_end;
            }
        }
        while (v_end > v && escaped(t, v_end)) --v_end;  // never end inside an escape
        const auto value = t.substr(v, v_end - v);
        if (!value.empty() && !harmless(value)) out.add(v, v_end - v, SecretKind::sensitive_value);
        p = std::max(p, v_end);
    }
}

}  // namespace

/// JSON: values under sensitive keys, and every string below a sensitive key or `content`/
/// `data` (revealed secrets, credentials). Returns false, adding nothing, when `t` is not one
/// JSON document nested at most max_json_depth deep.
///
/// One loop with three entry points (a value, a key, what follows a value) joined by goto, all
/// state in locals, instead of lambdas called per token. String ends are searched 16 bytes at
/// a time in the text itself: reading them from per-block quote masks instead (tried in
/// session 9) took fewer instructions but more time, each string then waiting on a load from
/// the mask array.
static bool scan_json(const Detector& detector, const ClassifiedText& text,
                      const std::vector<std::size_t>& key_words, Spans& out) {
    struct Frame {
        bool object;
        bool secret;      // every string below is redacted
        SecretKind kind;  // and reported as this
    };
    const std::string_view t = text.text;
    const std::size_t n = t.size();
    const auto skip_space = [&](std::size_t at) {
        while (at < n && space(t[at])) ++at;
        return at;
    };
    std::vector<Frame> stack;
    Spans found;  // kept only if the whole text is JSON
    Under under = Under::plain;
    SecretKind inside_kind = SecretKind::secret_content;
    // A key or string without a key word in it is plain, and holds no sensitive name: asked
    // of the strings in order, so next_hit()'s cursor only moves forward.
    std::size_t next_word = 0;
    const auto has_key_word = [&](std::size_t from, std::size_t to) {
        return next_hit(key_words, next_word, from) < to;
    };
    std::size_t i = skip_space(0);

value:  // a value starts at i
    if (i >= n) return false;
    switch (const char c = t[i]) {
    case '"': {
        const auto [end, assignment] = json_string_end<true>(t, i);
        if (end == npos) return false;
        if (under != Under::plain) {
            const auto value = t.substr(i + 1, end - i - 1);
            if (!is_marker(value)) {
                found.add(i + 1, value.size(), kind_of(under, inside_kind), false);
            }
        } else if (assignment && has_key_word(i + 1, end)) {
            scan_assignments(detector, text, i + 1, end, found);  // log lines, messages
        }
        i = end + 1;
        goto after_value;
    }
    case '{':
    case '[': {
        if (stack.size() >= max_json_depth) return false;
        const bool object = c == '{';
        stack.push_back({object, under != Under::plain, kind_of(under, inside_kind)});
        i = skip_space(i + 1);
        if (i < n && t[i] == (object ? '}' : ']')) {
            ++i;
            stack.pop_back();
            goto after_value;
        }
        if (object) goto key;
        goto element;
    }
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': {
        std::size_t end = i + 1;
        while (end < n && ((t[end] >= '0' && t[end] <= '9') || t[end] == '.' || t[end] == 'e' ||
                           t[end] == 'E' || t[end] == '+' || t[end] == '-')) {
            ++end;
        }
        // Numbers below a secret are return codes and revisions replay still needs; a
        // number that is itself a sensitive key's value is the secret.
        if (under == Under::sensitive_key) {
            found.add(i, end - i, SecretKind::sensitive_value, true);
        }
        i = end;
        goto after_value;
    }
    default:
        for (const std::string_view word : {"true", "false", "null"}) {
            if (t.substr(i, word.size()) == word) {
                i += word.size();
                goto after_value;
            }
        }
        return false;
    }

key :  // `"key" :` at i, then its value
{
    if (i >= n || t[i] != '"') return false;
    const auto end = json_string_end<false>(t, i).end;
    if (end == npos) return false;
    const auto& frame = stack.back();
    if (frame.secret) {
        under = Under::inside;
        inside_kind = frame.kind;
    } else if (!has_key_word(i + 1, end)) {
        under = Under::plain;
    } else {
        switch (detector.key_class(t.substr(i + 1, end - i - 1))) {
        case KeyClass::sensitive: under = Under::sensitive_key; break;
        case KeyClass::content: under = Under::content_key; break;
        case KeyClass::plain: under = Under::plain; break;
        }
    }
    i = skip_space(end + 1);
    if (i >= n || t[i] != ':') return false;
    i = skip_space(i + 1);
    goto value;
}

element :  // an array's element at i
{
    const auto& frame = stack.back();
    under = frame.secret ? Under::inside : Under::plain;
    inside_kind = frame.kind;
    goto value;
}

after_value:  // a separator, the end of containers, or the end of the document
    i = skip_space(i);
    if (stack.empty()) {
        if (i != n) return false;
        out.list.insert(out.list.end(), found.list.begin(), found.list.end());
        return true;
    }
    if (i >= n) return false;
    if (t[i] == ',') {
        i = skip_space(i + 1);
        if (stack.back().object) goto key;
        goto element;
    }
    if (t[i] == (stack.back().object ? '}' : ']')) {
        ++i;
        stack.pop_back();
        goto after_value;
    }
    return false;
}

namespace {

bool block_indicator(std::string_view value) {
    if (value.empty() || (value[0] != '|' && value[0] != '>')) return false;
    for (char c : value.substr(1)) {
        if (c != '+' && c != '-' && !(c >= '0' && c <= '9')) return false;
    }
    return true;
}

/// The end of the line starting at `start` (its '\n', or the text's end) and its first ':'
/// (npos when none), in one pass: on YAML's short lines the two memchr calls it replaces cost
/// more in calls than in bytes (redacting the bench's YAML config took 0.89 of the time).
struct LineEnd {
    std::size_t end;
    std::size_t colon;
};

LineEnd line_end_and_colon(std::string_view t, std::size_t start) noexcept {
    std::size_t i = start;
#if defined(__SSE2__)
    // Up to the first ':' or '\n' 16 bytes at a time; a line that goes on past its colon (a
    // log line) is left to memchr, faster over long stretches.
    for (; i + 16 <= t.size(); i += 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data() + i));
        const auto newlines =
            static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('\n'))));
        const auto colons =
            static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(':'))));
        if ((newlines | colons) == 0) continue;
        const auto first_newline = newlines & (0U - newlines);
        const auto colons_before = newlines == 0 ? colons : colons & (first_newline - 1);
        const std::size_t colon =
            colons_before == 0 ? npos : i + static_cast<std::size_t>(__builtin_ctz(colons_before));
        if (newlines != 0) return {i + static_cast<std::size_t>(__builtin_ctz(newlines)), colon};
        const auto end = find(t, i + 16, '\n');
        return {end == npos ? t.size() : end, colon};
    }
#endif
    std::size_t colon = npos;
    for (; i < t.size(); ++i) {
        if (t[i] == '\n') return {i, colon};
        if (t[i] == ':' && colon == npos) colon = i;
    }
    return {t.size(), colon};
}

/// YAML-ish text, line by line, as juju prints it: a sensitive key's value, every value below
/// a sensitive key or `content:`/`data:` (also block scalars and list items), and
/// assignments in the rest.
/// `states`, when given, receives the state at the start of each line where it differs from
/// the line before (redact() confirms a redaction from these: Detector::clean_after).
/// `key_words`, when given, are where the detector's key words start (Detector's key_words_):
/// outside a region, a line without one holds no key or name that is not plain, so it makes
/// no span and opens no region, and the walk goes straight to the next line that has one.
void scan_lines(const Detector& detector, const ClassifiedText& text, Spans& out, LineState& state,
                std::vector<std::pair<std::size_t, LineState>>* states = nullptr,
                const std::vector<std::size_t>* key_words = nullptr) {
    const std::string_view t = text.text;
    std::size_t start = 0;
    std::size_t next_word = 0;  // next_hit()'s cursor into *key_words
    auto& region_indent = state.region_indent;
    auto& region_item = state.region_item;
    auto& region_kind = state.region_kind;
    while (start <= t.size()) {
        if (key_words && region_indent < 0) {
            const std::size_t word = next_hit(*key_words, next_word, start);
            if (word == npos) break;
            const void* newline =
                word > start ? memrchr(t.data() + start, '\n', word - start) : nullptr;
            if (newline) {
                start = static_cast<std::size_t>(static_cast<const char*>(newline) - t.data()) + 1;
            }
        }
        const LineState before = state;
        const auto [end, first_colon] = line_end_and_colon(t, start);
        std::size_t stop = end;
        if (stop > start && t[stop - 1] == '\r') --stop;
        std::size_t first = start;
        while (first < stop && t[first] == ' ') ++first;
        std::size_t last = stop;
        while (last > first && (t[last - 1] == ' ' || t[last - 1] == '\t')) --last;
        // `last` stops at a byte that is neither space nor tab unless it reached `first`.
        const bool blank = first == last;
        const auto indent = static_cast<std::ptrdiff_t>(first - start);
        std::size_t key_start = first;
        const bool item =
            first < last && t[first] == '-' && (first + 1 == last || t[first + 1] == ' ');
        if (item) {
            key_start = first + 1;
            while (key_start < last && t[key_start] == ' ') ++key_start;
        }
        if (!blank && region_indent >= 0 &&
            (indent < region_indent || (indent == region_indent && !(item && !region_item)))) {
            region_indent = -1;
        }
        const bool in_region = region_indent >= 0;
        // A key: the first colon, followed by white space or the end of the line.
        // The line's first colon is at or after key_start and before last: the bytes
        // outside are spaces, tabs, a list item's "- " and a '\r'.
        std::size_t colon = blank ? npos : first_colon;
        if (colon != npos &&
            (colon == key_start || std::string_view(" #:").find(t[key_start]) != npos ||
             !(colon + 1 == last || t[colon + 1] == ' ' || t[colon + 1] == '\t'))) {
            colon = npos;
        }
        if (colon != npos) {
            std::size_t key_end = colon;
            while (key_end > key_start && (t[key_end - 1] == ' ' || t[key_end - 1] == '\t')) {
                --key_end;
            }
            const auto key = t.substr(key_start, key_end - key_start);
            std::size_t v = colon + 1;
            while (v < last && (t[v] == ' ' || t[v] == '\t')) ++v;
            const auto value = t.substr(v, last - v);
            const auto key_class = detector.key_class(key);
            const bool sensitive = key_class == KeyClass::sensitive;
            const bool content = key_class == KeyClass::content;
            const auto own_kind =
                sensitive ? SecretKind::sensitive_value : SecretKind::secret_content;
            if (value.empty() || block_indicator(value)) {
                if (!in_region && (sensitive || content)) {
                    region_indent = indent;
                    region_item = item;
                    region_kind = own_kind;
                }
            } else if (in_region || sensitive || content) {
                if (!harmless(value)) {
                    out.add(v, value.size(), in_region ? region_kind : own_kind);
                }
            } else {
                scan_assignments(detector, text, v, last, out);
            }
        } else if (!blank && in_region) {
            const auto value = t.substr(key_start, last - key_start);
            if (!harmless(value)) out.add(key_start, value.size(), region_kind);
        } else if (!blank) {
            scan_assignments(detector, text, first, last, out);
        }
        if (end == t.size()) break;
        start = end + 1;
        if (states && !(state == before)) states->emplace_back(start, state);
    }
}

}  // namespace

std::vector<SecretSpan> Detector::scan(std::string_view t, TextRole role, ScanNotes* notes) const {
    Spans spans;
    if (notes) *notes = {};
    if (t.empty()) return {};
    PublicBlocks public_blocks;
    const auto first = t.find_first_not_of(" \t\r\n");
    const bool json_shape =
        role == TextRole::output && first != npos && (t[first] == '{' || t[first] == '[');
    classify(t, masks_);
    const ClassifiedText classified{.text = t, .blocks = &masks_};
    const Triggers triggers = find_triggers(classified);
    scan_pem(t, triggers.pem, spans, public_blocks, notes ? &notes->pem_regions : nullptr);
    scan_bearer(t, triggers.bearer, spans);
    scan_url_credentials(t, triggers.url, spans);
    if (role == TextRole::output) {
        scan_tokens(classified, public_blocks, spans);
        // Both walks find spans only at keys and names that are not plain: none without a key
        // word. (A JSON-shaped text without one makes no span read either way, so whether it
        // is JSON need not be settled.)
        key_word_starts_.clear();
        key_words_.find(t, key_word_starts_);
        if (!key_word_starts_.empty()) {
            const bool json = json_shape && scan_json(*this, classified, key_word_starts_, spans);
            if (!json) {
                LineState state;
                scan_lines(*this, classified, spans, state, notes ? &notes->states : nullptr,
                           &key_word_starts_);
            }
        }
        if (notes) notes->read_as_lines = !json_shape;
    }
    for (const auto& literal : literals_) {
        for (std::size_t at = 0; (at = find(t, at, literal)) != npos; at += literal.size()) {
            if (!inside_marker(t, at, at + literal.size())) {
                spans.add(at, literal.size(), SecretKind::literal);
            }
        }
    }
    for (const auto& re : patterns_) {
        const re2::StringPiece input(t.data(), t.size());
        re2::StringPiece match;
        std::size_t pos = 0;
        while (pos <= t.size() && re->Match(input, pos, t.size(), RE2::UNANCHORED, &match, 1)) {
            const auto at = static_cast<std::size_t>(match.data() - t.data());
            if (match.empty()) {
                pos = at + 1;
                continue;
            }
            if (!inside_marker(t, at, at + match.size())) {
                spans.add(at, match.size(), SecretKind::pattern);
            }
            pos = at + match.size();
        }
    }

    // Overlapping detections become one span, the first one's kind kept: deterministic, so
    // lint prints the same on every run.
    auto& list = spans.list;
    sort_spans(list);
    std::vector<SecretSpan> merged;
    for (const auto& span : list) {
        if (!merged.empty() && span.offset < merged.back().offset + merged.back().length) {
            auto& back = merged.back();
            const auto end = span.offset + span.length;
            if (end > back.offset + back.length) {
                back.length = end - back.offset;
                back.quote = false;
            }
            continue;
        }
        merged.push_back(span);
    }
    std::size_t line = 1;
    std::size_t counted = 0;
    for (auto& span : merged) {
        const auto between = t.substr(counted, span.offset - counted);
        line += count_newlines(between);
        counted = span.offset;
        span.line = line;
    }
    return merged;
}

namespace {

/// Step 2 of the argument below: each region of `pem_regions` is touched by no span, or every
/// line it touches holds a span (`spans` sorted and disjoint, as scan() returns them).
bool pem_blocks_kept_or_changed(std::string_view text, const std::vector<SecretSpan>& spans,
                                const std::vector<std::pair<std::size_t, std::size_t>>& regions) {
    for (const auto& region : regions) {
        const std::size_t from = region.first;  // named, not bound: clang 14 lambdas take no
        const std::size_t to = region.second;   // structured bindings
        // The first span ending after `from`: ends ascend with offsets, the spans being disjoint.
        auto touching = std::partition_point(spans.begin(), spans.end(), [&](const SecretSpan& s) {
            return s.offset + s.length <= from;
        });
        if (touching == spans.end() || touching->offset >= to) continue;  // (a)
        const auto newline = from == 0 ? npos : text.rfind('\n', from - 1);
        std::size_t line = newline == npos ? 0 : newline + 1;
        auto span = std::partition_point(spans.begin(), spans.end(),
                                         [&](const SecretSpan& s) { return s.offset < line; });
        while (line < to) {  // (b): each line from `from`'s to `to - 1`'s holds a span
            const auto found = find(text, line, '\n');
            const std::size_t line_end = found == npos ? text.size() : found;
            while (span != spans.end() && span->offset < line) ++span;
            if (span == spans.end() || span->offset >= line_end) return false;
            if (found == npos) break;
            line = line_end + 1;
        }
    }
    return true;
}

}  // namespace

// Why clean_after() may look at the changed lines alone. Let T be a text whose scan with
// `notes` found `spans`, and T' = apply(T, spans). When the rules have no literals and no
// patterns, and T's first non-blank byte is not '{' or '[':
//  1. T' is read as lines too. A token span starts at a non-blank byte; every other span
//     starts after a byte it leaves alone (its key, name or trigger word). So T''s first
//     non-blank byte is T's or the marker's '<'.
//  2. Every "-----BEGIN " of T' is one of T's: the marker shares no byte with it, so one in T'
//     lies between two markers, in bytes T has. Take each one scan_pem() acted on in T and the
//     bytes that decided what it did there (notes.pem_regions). Either
//     (a) no span touches those bytes: T' holds them unchanged, so scan_pem() acts the same
//         there (the same public block; no private-key span, as T's scan made none), or
//     (b) every line they touch is a changed line (checked), and those lines are re-scanned
//         below, where a "-----BEGIN " left in one fails the proof.
//     With (b)'s blocks gone and (a)'s kept, scan_pem() in T' acts on the (a) blocks alone, as
//     in T: the same public blocks, bar (b)'s, whose lines are all changed lines.
//  3. What is left of the scan is line-local: bearer tokens, URL credentials and token runs
//     never cross '\n' (nor look before a line's start past it), and scan_lines reads a line
//     given only the region state at its start. Each span lies within one line (checked), so
//     T' has T's lines, those without a span byte for byte, and such a line lies in a public
//     block in T' exactly when it did in T (2).
//  4. A line of T that holds no span produced no span from any scanner (spans are the union).
//     If it starts in the same state in both scans, it produces none in T' and ends in the
//     same state. A changed line is re-scanned with no public block, which finds a superset
//     of what T' would. So, by induction down the lines: if every changed line, read from T's
//     state at its start, yields no span and ends in T's state at the next line's start, T'
//     scans clean.
// Anything else (literals, patterns, JSON, a PEM block partly changed, a multi-line span, a
// state that differs) is left to the caller's full re-scan: a false here only costs time.
bool Detector::clean_after(std::string_view text, const std::vector<SecretSpan>& spans,
                           const ScanNotes& notes) const {
    if (!literals_.empty() || !patterns_.empty() || !notes.read_as_lines) return false;
    if (!pem_blocks_kept_or_changed(text, spans, notes.pem_regions)) return false;
    const auto state_at = [&](std::size_t line_start) {
        const auto& states = notes.states;
        const auto after =
            std::upper_bound(states.begin(), states.end(), line_start,
                             [](std::size_t at, const std::pair<std::size_t, LineState>& s) {
                                 return at < s.first;
                             });
        return after == states.begin() ? LineState{} : std::prev(after)->second;
    };
    std::size_t next = 0;  // the first span not yet checked
    while (next < spans.size()) {
        const std::size_t offset = spans[next].offset;
        const auto newline = text.rfind('\n', offset == 0 ? 0 : offset - 1);
        const std::size_t line_start = (offset == 0 || newline == npos) ? 0 : newline + 1;
        const auto end_found = find(text, offset, '\n');
        const std::size_t line_end = end_found == npos ? text.size() : end_found;
        if (line_end == offset) return false;  // a span starting at '\n' (no scanner makes one)
        std::vector<SecretSpan> on_line;
        for (; next < spans.size() && spans[next].offset < line_end; ++next) {
            auto span = spans[next];
            if (span.offset + span.length > line_end) return false;  // a multi-line span
            span.offset -= line_start;
            on_line.push_back(span);
        }
        const std::string changed = apply(text.substr(line_start, line_end - line_start), on_line);
        Spans found;
        PublicBlocks no_blocks;
        classify(changed, masks_);
        const ClassifiedText classified{.text = changed, .blocks = &masks_};
        const Triggers triggers = find_triggers(classified);
        if (!triggers.pem.empty()) return false;
        scan_bearer(changed, triggers.bearer, found);
        scan_url_credentials(changed, triggers.url, found);
        scan_tokens(classified, no_blocks, found);
        LineState state = state_at(line_start);
        scan_lines(*this, classified, found, state);
        if (!found.list.empty()) return false;
        if (line_end < text.size() && !(state == state_at(line_end + 1))) return false;
    }
    return true;
}

std::string Detector::apply(std::string_view text, const std::vector<SecretSpan>& spans) {
    std::string out;
    out.reserve(text.size());
    std::size_t last = 0;
    for (const auto& span : spans) {
        out.append(text.substr(last, span.offset - last));
        if (span.quote) out += '"';
        out += redacted_marker;
        if (span.quote) out += '"';
        last = span.offset + span.length;
    }
    out.append(text.substr(last));
    return out;
}

}  // namespace detail

}  // namespace jubilant::cassette
