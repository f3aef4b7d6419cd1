// Redaction and lint over whole interactions and cassettes. Both run the same detector
// (redact/detector.cpp) on the same fields with the same roles: lint reports the spans redact
// replaces, so a cassette redact() wrote lints clean by construction.
#include <jubilant/cassette.hpp>

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "redact/detector.hpp"

namespace jubilant::cassette {

namespace {

/// How a field is read.
enum class Reading {
    argument,     ///< TextRole::argument
    output,       ///< TextRole::output
    whole_value,  ///< the field is one secret value: `juju config APP password` prints it bare
};

/// `juju config APP KEY`, `model-config KEY` and `controller-config KEY` print the value of
/// KEY alone, with no key beside it for the detector to see: when KEY is sensitive, the whole
/// output is the secret.
bool prints_one_sensitive_value(const std::vector<std::string>& args,
                                const detail::Detector& detector) {
    if (args.empty()) return false;
    const auto& command = args.front();
    const bool app_config = command == "config";
    if (!app_config && command != "model-config" && command != "controller-config") return false;
    static constexpr std::string_view value_flags[] = {
        "--format", "-m", "--model", "-c", "--controller", "--file", "-o", "--output"};
    std::vector<std::string_view> positional;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg.find('=') != std::string_view::npos && !arg.starts_with("-")) return false;
        if (std::find(std::begin(value_flags), std::end(value_flags), arg) !=
            std::end(value_flags)) {
            ++i;
        } else if (!arg.starts_with("-")) {
            positional.push_back(arg);
        }
    }
    return positional.size() >= (app_config ? 2U : 1U) && detector.sensitive_key(positional.back());
}

/// Calls visit(name, text, target, reading) for each field of `interaction` that redaction
/// reads, in the order lint reports them. `target` is the same field of `*out` (made by
/// shell_of(interaction)), or null when `out` is: redact() writes the field there, once.
template <typename Visit>
void for_each_field(const Interaction& interaction, Interaction* out,
                    const detail::Detector& detector, Visit&& visit) {
    for (std::size_t a = 0; a < interaction.args.size(); ++a) {
        visit(fmt::format("args[{}]", a), interaction.args[a], out ? &out->args[a] : nullptr,
              Reading::argument);
    }
    if (interaction.stdin_text) {
        visit(std::string("stdin"), *interaction.stdin_text, out ? &*out->stdin_text : nullptr,
              Reading::output);
    }
    // Judged from the arguments as written (redacted, for redact()).
    const auto& args = out ? out->args : interaction.args;
    visit(std::string("stdout"), interaction.stdout_text, out ? &out->stdout_text : nullptr,
          prints_one_sensitive_value(args, detector) ? Reading::whole_value : Reading::output);
    visit(std::string("stderr"), interaction.stderr_text, out ? &out->stderr_text : nullptr,
          Reading::output);
    for (std::size_t f = 0; f < interaction.temp_files.size(); ++f) {
        const auto& file = interaction.temp_files[f];
        if (!file.sensitive && file.content) {
            visit(fmt::format("temp file {}", file.name), *file.content,
                  out ? &*out->temp_files[f].content : nullptr, Reading::output);
        }
    }
}

/// `interaction` with the fields for_each_field() visits left empty (engaged where they are
/// engaged) and sensitive temp-file content dropped, for redact() to write each field once,
/// redacted: copying the whole interaction first and then rewriting a field that held a
/// secret copied it twice. The structured bindings stop compiling when a member is added to
/// Interaction or RecordedTempFile, so a new one cannot be left out here unnoticed.
Interaction shell_of(const Interaction& interaction) {
    [[maybe_unused]] const auto& [args, stdin_text, temp_files, returncode, stdout_text,
                                  stderr_text, duration, timed_out, timeout] = interaction;
    Interaction out{
        .args = std::vector<std::string>(args.size()),
        .stdin_text = stdin_text ? std::optional<std::string>(std::string()) : std::nullopt,
        .temp_files = {},
        .returncode = returncode,
        .stdout_text = {},
        .stderr_text = {},
        .duration = duration,
        .timed_out = timed_out,
        .timeout = timeout};
    out.temp_files.reserve(temp_files.size());
    for (const auto& file : temp_files) {
        const auto& [name, sensitive, redacted, content] = file;
        out.temp_files.push_back({.name = name,
                                  .sensitive = sensitive,
                                  .redacted = sensitive || redacted,
                                  .content = content && !sensitive
                                                 ? std::optional<std::string>(std::string())
                                                 : std::nullopt});
    }
    return out;
}

std::vector<SecretSpan> spans_of(const detail::Detector& detector, std::string_view text,
                                 Reading reading, detail::ScanNotes* notes = nullptr) {
    if (reading != Reading::whole_value) {
        return detector.scan(
            text, reading == Reading::argument ? TextRole::argument : TextRole::output, notes);
    }
    auto value = text;
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.remove_suffix(1);
    if (value.empty() || value == redacted_marker) return {};
    return {{.offset = 0, .length = value.size(), .line = 1, .kind = SecretKind::sensitive_value}};
}

/// At most 4 characters and a quarter of the value, so even a short password is never mostly
/// revealed; bytes that would break a terminal line are shown as '?'.
std::string preview(std::string_view value) {
    const auto n = std::min<std::size_t>(4, value.size() / 4);
    std::string shown(value.substr(0, n));
    for (auto& c : shown) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f) c = '?';
    }
    return fmt::format("{}…, {} chars", shown, value.size());
}

}  // namespace

std::string_view describe(SecretKind kind) noexcept {
    switch (kind) {
    case SecretKind::private_key: return "PEM private key block";
    case SecretKind::bearer_token: return "bearer token";
    case SecretKind::url_credentials: return "credentials in a URL";
    case SecretKind::sensitive_value: return "value under a sensitive key";
    case SecretKind::secret_content: return "secret content (under content: or data:)";
    case SecretKind::high_entropy: return "high-entropy string";
    case SecretKind::literal: return "redaction literal";
    case SecretKind::pattern: return "redaction pattern match";
    }
    return "secret";
}

void check_rules(const RedactionRules& rules) { detail::Detector{rules}; }

std::vector<SecretSpan> find_secrets(std::string_view text, TextRole role,
                                     const RedactionRules& rules) {
    return detail::Detector(rules).scan(text, role);
}

std::vector<LintFinding> lint(const Cassette& cassette, const RedactionRules& rules) {
    const detail::Detector detector(rules);
    std::vector<LintFinding> findings;
    // Numbered from 0, as replay errors and jubilant-cassette number interactions.
    std::size_t number = 0;
    for (const auto& interaction : cassette.interactions) {
        for_each_field(
            interaction, nullptr, detector,
            [&](std::string field, const std::string& text, std::string*, Reading reading) {
                for (const auto& span : spans_of(detector, text, reading)) {
                    findings.push_back({.interaction = number,
                                        .field = field,
                                        .line = span.line,
                                        .kind = span.kind,
                                        .preview = preview(text.substr(span.offset, span.length))});
                }
            });
        for (const auto& file : interaction.temp_files) {
            if (file.sensitive && file.content) {
                findings.push_back({.interaction = number,
                                    .field = fmt::format("temp file {}", file.name),
                                    .line = 1,
                                    .kind = SecretKind::secret_content,
                                    .preview = preview(*file.content)});
            }
        }
        ++number;
    }
    return findings;
}

Interaction redact(const Interaction& interaction, const RedactionRules& rules,
                   std::int64_t* count) {
    const detail::Detector detector(rules);
    std::int64_t replaced = 0;
    Interaction out = shell_of(interaction);
    for (const auto& file : interaction.temp_files) {
        if (file.sensitive && file.content) ++replaced;
    }
    // Replacing can change what surrounds another secret (an overlapping span that took a PEM
    // footer leaves the block open), so scan again until nothing is found: what redact()
    // returns lints clean by construction. Real output settles in one or two passes; after
    // max_passes the whole field is replaced. The second scan is skipped when clean_after()
    // proves from the changed lines alone that it would find nothing (most log and YAML
    // output, where it was a quarter of the time).
    constexpr int max_passes = 8;
    for_each_field(
        interaction, &out, detector,
        [&](const std::string&, const std::string& text, std::string* target, Reading reading) {
            detail::ScanNotes notes;
            bool changed = false;
            std::string redacted;  // the text after the last pass, once changed
            for (int pass = 0;; ++pass) {
                const std::string_view current = changed ? redacted : text;
                const auto spans =
                    spans_of(detector, current, reading, pass == 0 ? &notes : nullptr);
                if (spans.empty()) break;
                changed = true;
                if (pass == max_passes) {
                    redacted = std::string(redacted_marker);
                    ++replaced;
                    break;
                }
                replaced += static_cast<std::int64_t>(spans.size());
                const bool clean = pass == 0 && reading == Reading::output &&
                                   detector.clean_after(current, spans, notes);
                redacted = detail::Detector::apply(current, spans);
                if (clean) break;
            }
            if (changed) {
                *target = std::move(redacted);
            } else {
                *target = text;
            }
        });
    if (count) *count += replaced;
    return out;
}

}  // namespace jubilant::cassette
