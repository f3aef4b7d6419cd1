// Bad-input table (issue #7, part 2): what a user sees for each kind of bad input across the
// toolkit, one row per case, each with the exact message (or, where a random name varies, a
// regex for the whole message).
//
// Every row runs in its own fresh temp dir; its path is replaced by "$TMP" in the observed text
// before comparison, so the expected messages are full strings. A row observes either an
// exception (its most specific jubilant type and what()), a process's exit status and stderr
// (fake-juju, jubilant-cassette), or "ok" with a description of the result.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>

#include "support/stub_executable.hpp"

namespace fs = std::filesystem;
using namespace jubilant;
using jubilant::test::read_file;
using jubilant::test::ScopedEnv;
using jubilant::test::TempDir;
using jubilant::test::write_stub;

namespace {

/// What a row produced: `kind` is the exception type ("ParseError", ...), "exit N" for a
/// process, or "ok"; `message` is what() / stderr / a description of the result.
struct Observed {
    std::string kind;
    std::string message;
};

/// Per-row context: a fresh temp dir and helpers.
class Ctx {
public:
    const fs::path& dir() const { return dir_.path(); }
    std::string path(const std::string& name) const { return (dir() / name).string(); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir() / name, std::ios::binary) << text;
        return path(name);
    }

private:
    TempDir dir_;
};

Observed catch_all(const std::function<void()>& f) {
    try {
        f();
        return {"ok", ""};
    } catch (const CLITimeoutError& e) {
        return {"CLITimeoutError", e.what()};
    } catch (const CLIError& e) {
        return {"CLIError", e.what()};
    } catch (const ParseError& e) {
        return {"ParseError", e.what()};
    } catch (const PluginError& e) {
        return {"PluginError", e.what()};
    } catch (const BackendError& e) {
        return {"BackendError", e.what()};
    } catch (const TimeoutError& e) {
        return {"TimeoutError", e.what()};
    } catch (const Error& e) {
        return {"Error", e.what()};
    } catch (const std::exception& e) {
        // Not part of jubilant's exception family: a row expecting this documents a bug.
        return {"std::exception", e.what()};
    }
}

/// A backend that answers every request with one canned result.
class CannedBackend final : public CliBackend {
public:
    explicit CannedBackend(std::string out, int rc = 0) : out_(std::move(out)), rc_(rc) {}
    CliResult run(const CliRequest&) override {
        return {.returncode = rc_, .stdout_text = out_, .stderr_text = ""};
    }
    std::string name() const override { return "canned"; }

private:
    std::string out_;
    int rc_;
};

Juju canned(const std::string& out) {
    return Juju(std::make_shared<CannedBackend>(out), {.model = "m", .cli_binary = "juju"});
}

/// Runs a process through the subprocess plugin and observes its exit status and stderr.
Observed run_process(const std::string& binary, std::vector<std::string> args) {
    const auto backend = load_backend("subprocess:" + binary);
    const CliResult r = backend->run({.args = std::move(args)});
    return {fmt::format("exit {}", r.returncode), r.stderr_text};
}

/// fake-juju with its state in the row's temp dir.
Observed fake_juju(const Ctx& ctx, std::vector<std::string> args,
                   std::optional<std::string> charms_dir = std::nullopt) {
    ScopedEnv data("FAKE_JUJU_DATA", ctx.path("fake-data"));
    ScopedEnv charms("FAKE_JUJU_CHARMS", charms_dir);
    ScopedEnv tick("FAKE_JUJU_TICK_MS", std::nullopt);
    return run_process(JUBILANT_FAKE_JUJU, std::move(args));
}

Observed cassette_tool(std::vector<std::string> args) {
    return run_process(JUBILANT_CASSETTE_TOOL, std::move(args));
}

/// A small valid cassette, as the writer lays it out.
std::string valid_cassette() {
    cassette::Cassette c;
    c.header.created = "2026-11-22T07:16:00Z";
    c.header.toolkit_version = "0.1.0";
    c.header.recorded_from = "subprocess";
    cassette::Interaction i;
    i.args = {"status", "--format", "json"};
    i.stdout_text = "{\"model\":{\"name\":\"m\"}}\n";
    c.interactions.push_back(i);
    return c.to_json();
}

Observed load_cassette(const Ctx& ctx, const std::string& text) {
    const std::string path = ctx.write("c.json", text);
    return catch_all([&] { cassette::Cassette::load(path); });
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    if (from.empty()) return text;
    for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
        text.replace(pos, from.size(), to);
    }
    return text;
}

/// Non-printable and non-ASCII bytes as \xNN, for the byte-exact row.
std::string escape_bytes(const std::string& bytes) {
    std::string out;
    for (unsigned char c : bytes) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += fmt::format("\\x{:02x}", c);
        }
    }
    return out;
}

struct Row {
    const char* name;  ///< test name suffix
    std::function<Observed(Ctx&)> run;
    std::string kind;     ///< expected Observed::kind
    std::string message;  ///< expected message, "$TMP" for the row's dir
    bool regex = false;   ///< message is an ECMAScript regex for the whole text
};

// clang-format off
const std::vector<Row>& rows() {
    static const std::vector<Row> table = {
    // ---- cassettes: Cassette::load reports file:line:column and what was expected --------
    {"CassetteTruncated",
     [](Ctx& c) { const auto t = valid_cassette(); return load_cassette(c, t.substr(0, t.size() / 2)); },
     "ParseError", "$TMP/c.json:18:7: unexpected end of input (truncated file?) while reading an object member"},
    {"CassetteInvalidJson",
     [](Ctx& c) { return load_cassette(c, "{\n  \"format\": \"jubilant-cassette\",\n  \"version\": 1,,\n}\n"); },
     "ParseError", "$TMP/c.json:3:16: invalid JSON (The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.) while reading an object member"},
    {"CassetteUnknownVersion",
     [](Ctx& c) { return load_cassette(c, replace_all(valid_cassette(), "\"version\": 1", "\"version\": 2")); },
     "ParseError", "$TMP/c.json:3:14: unsupported cassette version 2 (this library reads version 1)"},
    {"CassetteWrongType",
     [](Ctx& c) { return load_cassette(c, replace_all(valid_cassette(), "\"returncode\": 0", "\"returncode\": \"0\"")); },
     "ParseError", "$TMP/c.json:20:21: expected an integer for \"returncode\", got string"},
    {"CassetteMissingField",
     [](Ctx& c) { return load_cassette(c, std::regex_replace(valid_cassette(), std::regex("\n *\"created\": [^\n]*"), "")); },
     "ParseError", "$TMP/c.json:4:13: missing required field \"created\" in header"},
    {"CassetteUnknownField",
     [](Ctx& c) { return load_cassette(c, replace_all(valid_cassette(), "\"returncode\"", "\"retruncode\"")); },
     "ParseError", "$TMP/c.json:20:7: unknown field \"retruncode\" in interaction (expected one of: args, stdin, temp_files, returncode, stdout, stderr, duration_us, timed_out, timeout_ms)"},
    {"CassetteWrongFormatName",
     [](Ctx& c) { return load_cassette(c, replace_all(valid_cassette(), "\"jubilant-cassette\"", "\"vcr\"")); },
     "ParseError", "$TMP/c.json:2:13: expected \"format\": \"jubilant-cassette\", got \"vcr\""},
    {"CassetteBadBase64",
     [](Ctx& c) {
         const std::string t = valid_cassette();
         const auto at = t.find("\"stderr\": ");
         const auto end = t.find('\n', at);
         return load_cassette(c, t.substr(0, at) + "\"stderr\": {\"base64\": \"!!!!\"}," + t.substr(end));
     },
     "ParseError", "$TMP/c.json:29:29: invalid base64 in \"stderr\" (expected A-Z, a-z, 0-9, '+', '/' and '=' padding, in groups of four)"},
    {"CassetteEmptyFile", [](Ctx& c) { return load_cassette(c, ""); }, "ParseError", "$TMP/c.json:1:1: empty input while reading a JSON document"},
    {"CassetteNotAnObject", [](Ctx& c) { return load_cassette(c, "[]\n"); }, "ParseError", "$TMP/c.json:1:1: expected a cassette object, got array"},
    {"CassetteMissingFile",
     [](Ctx& c) { return catch_all([&] { cassette::Cassette::load(c.path("none.json")); }); },
     "Error", "cannot open $TMP/none.json: No such file or directory"},
    {"CassetteStartsWithByteOrderMark",
     [](Ctx& c) { return load_cassette(c, "\xEF\xBB\xBF" + valid_cassette()); },
     "ParseError", "$TMP/c.json:1:1: starts with a UTF-8 byte-order mark (bytes EF BB BF), which JSON does not allow: save the file as UTF-8 without a BOM"},
    {"CassetteNotJsonAtAll",
     [](Ctx& c) { return load_cassette(c, "\n  garbage, not a cassette\n"); },
     "ParseError", "$TMP/c.json:2:3: expected a cassette object, got \"garbage\""},
    {"JournalGarbageLine",
     [](Ctx& c) {
         // A journal: the base cassette on one line, then records; the second line is garbage.
         c.write("c.json.journal", std::regex_replace(valid_cassette(), std::regex("\n *"), "") + "\nnot json\n");
         return catch_all([&] { cassette::Cassette::load(c.path("c.json")); });
     },
     "ParseError", "$TMP/c.json.journal:2:1: expected a journal record object, got \"not\""},
    // Files that are not regular files are refused without being read (a FIFO would block).
    {"CassetteIsAFifo",
     [](Ctx& c) {
         ::mkfifo(c.path("c.json").c_str(), 0600);
         return catch_all([&] { cassette::Cassette::load(c.path("c.json")); });
     },
     "Error", "cannot read $TMP/c.json: not a regular file (a FIFO)"},
    {"CassetteIsADirectory",
     [](Ctx& c) {
         fs::create_directory(c.path("c.json"));
         return catch_all([&] { cassette::Cassette::load(c.path("c.json")); });
     },
     "Error", "cannot read $TMP/c.json: not a regular file (a directory)"},
    {"CassetteIsACharacterDevice",
     [](Ctx&) { return catch_all([&] { cassette::Cassette::load("/dev/zero"); }); },
     "Error", "cannot read /dev/zero: not a regular file (a character device)"},
    {"JournalIsAFifo",
     [](Ctx& c) {
         c.write("c.json", valid_cassette());
         ::mkfifo(c.path("c.json.journal").c_str(), 0600);
         return catch_all([&] { cassette::Cassette::load(c.path("c.json")); });
     },
     "Error", "cannot read $TMP/c.json.journal: not a regular file (a FIFO)"},
    {"ReplayCassetteIsAFifo",
     [](Ctx& c) {
         ::mkfifo(c.path("c.json").c_str(), 0600);
         return catch_all([&] { load_backend("replay:" + c.path("c.json")); });
     },
     "PluginError", "replay: cannot read $TMP/c.json: not a regular file (a FIFO)"},
    {"RecordUnderARegularFile",
     [](Ctx& c) {
         // Root ignores permission bits, so the unwritable place is a path under a regular file.
         c.write("not-a-dir", "keep me\n");
         Juju juju({.cli_binary = "/bin/true", .backend = "record:" + c.path("not-a-dir/c.json")});
         return catch_all([&] { juju.cli({"status"}, {.include_model = false}); });
     },
     "BackendError", "cannot record cassette '$TMP/not-a-dir/c.json' (the command was not run): cannot create directory $TMP/not-a-dir: Not a directory"},
    {"ReplayMissingCassette",
     [](Ctx& c) { return catch_all([&] { load_backend("replay:" + c.path("none.json")); }); },
     "PluginError", "replay: cassette '$TMP/none.json' does not exist (mode none never records; record it with mode once or all)"},
    {"ReplayMalformedCassette",
     [](Ctx& c) {
         const auto path = c.write("bad.json", replace_all(valid_cassette(), "\"version\": 1", "\"version\": 2"));
         return catch_all([&] { load_backend("replay:" + path); });
     },
     "PluginError", "replay: $TMP/bad.json:3:14: unsupported cassette version 2 (this library reads version 1)"},

    // ---- plugins and their config ---------------------------------------------------------
    {"PluginUnknownName",
     [](Ctx& c) {
         ScopedEnv path("JUBILANT_PLUGIN_PATH", c.dir().string());
         return catch_all([] { load_backend("no-such-plugin"); });
     },
     "PluginError",
     R"(backend plugin 'no-such-plugin' not found; looked for:
  \$TMP/libjubilant-backend-no-such-plugin\.so
  /\S+/lib/jubilant/plugins/libjubilant-backend-no-such-plugin\.so
Set JUBILANT_PLUGIN_PATH to a directory containing libjubilant-backend-no-such-plugin\.so, or give the plugin's path\.)",
     true},
    // A value of any size is shown cut: its start and its length.
    {"PluginHugeSpecFromEnvironment",
     [](Ctx&) {
         ScopedEnv backend("JUBILANT_BACKEND", std::string(1 << 20, 'a'));
         return catch_all([] { Juju juju(JujuOptions{}); });
     },
     "PluginError", "backend plugin name '" + std::string(160, 'a') + "...(1048576 bytes)' is too long: libjubilant-backend-" + std::string(140, 'a') + "...(1048599 bytes) is over the 255 bytes a file name may have"},
    {"PluginHugeSpecWithoutName",
     [](Ctx&) { return catch_all([] { load_backend(":" + std::string(1 << 20, 'b')); }); },
     "PluginError", "backend spec ':" + std::string(159, 'b') + "...(1048577 bytes)' has no plugin name; expected 'name' or 'name:target', e.g. 'subprocess' or 'replay:cassette.json'"},
    {"PluginHugeConfigKey",
     [](Ctx&) { return catch_all([] { load_backend("subprocess", "{\"" + std::string(1 << 20, 'k') + "\": 1}"); }); },
     "PluginError", "subprocess: bad config: unknown key " + std::string(160, 'k') + "...(1048576 bytes) (accepted: temp_dir, max_output_bytes, cli_binary, target)"},
    {"PluginMissingPath",
     [](Ctx& c) { return catch_all([&] { load_backend(c.path("libnothing.so")); }); },
     "PluginError", "backend plugin file '$TMP/libnothing.so' does not exist"},
    {"PluginShortTextFile",
     [](Ctx& c) { return catch_all([&] { load_backend(c.write("libjubilant-backend-text.so", "not a library\n")); }); },
     "PluginError", "cannot load backend plugin '$TMP/libjubilant-backend-text.so': not a shared library (file too short)"},
    {"PluginNotElf",
     [](Ctx& c) { return catch_all([&] { load_backend(c.write("libjubilant-backend-script.so", "#!/bin/sh\n" + std::string(200, '#') + "\nexit 0\n")); }); },
     "PluginError", "cannot load backend plugin '$TMP/libjubilant-backend-script.so': not a shared library (invalid ELF header)"},
    {"PluginSpecWithoutName",
     [](Ctx&) { return catch_all([] { load_backend(":target"); }); }, "PluginError", "backend spec ':target' has no plugin name; expected 'name' or 'name:target', e.g. 'subprocess' or 'replay:cassette.json'"},
    {"PluginEmptySpec",
     [](Ctx&) { return catch_all([] { load_backend(""); }); }, "PluginError", "backend spec '' has no plugin name; expected 'name' or 'name:target', e.g. 'subprocess' or 'replay:cassette.json'"},
    {"PluginConfigUnknownKey",
     [](Ctx&) { return catch_all([] { load_backend("subprocess", R"({"timeout": 5})"); }); },
     "PluginError", "subprocess: bad config: unknown key timeout (accepted: temp_dir, max_output_bytes, cli_binary, target)"},
    {"PluginConfigWrongType",
     [](Ctx&) { return catch_all([] { load_backend("subprocess", R"({"max_output_bytes": "1G"})"); }); },
     "PluginError", "subprocess: bad config: key \"max_output_bytes\" must be an integer, got string"},
    {"PluginConfigNotJson",
     [](Ctx&) { return catch_all([] { load_backend("subprocess", R"({"temp_dir": )"); }); },
     "PluginError", "subprocess: bad config from the caller: not valid JSON (at byte 14)"},
    {"PluginConfigNotAnObject",
     [](Ctx&) { return catch_all([] { load_backend("subprocess", "[1, 2]"); }); },
     "PluginError", "subprocess: bad config from the caller: expected a JSON object, got array"},
    {"PluginEnvConfigNotJson",
     [](Ctx&) {
         ScopedEnv env("JUBILANT_BACKEND_CONFIG", "{oops}");
         return catch_all([] { load_backend("subprocess"); });
     },
     "PluginError", "subprocess: bad config from JUBILANT_BACKEND_CONFIG: not valid JSON (at byte 2)"},
    {"SubprocessMaxOutputZero",
     [](Ctx&) { return catch_all([] { load_backend("subprocess", R"({"max_output_bytes": 0})"); }); },
     "PluginError", "subprocess: bad config: key \"max_output_bytes\" must be positive"},
    {"RecordWithoutCassette",
     [](Ctx&) { return catch_all([] { load_backend("record"); }); }, "PluginError", "record: bad config: no cassette given; use the spec 'record:<cassette path>'"},
    {"RecordUnknownMode",
     [](Ctx& c) { return catch_all([&] { load_backend("record:" + c.path("c.json"), R"({"mode": "sometimes"})"); }); },
     "PluginError", "record: bad config: unknown mode 'sometimes' from key 'mode' (expected none, once, new_episodes, all or passthrough)"},
    {"RecordModeEnvUnknown",
     [](Ctx& c) {
         ScopedEnv env("JUBILANT_RECORD_MODE", "replay");
         return catch_all([&] { load_backend("record:" + c.path("c.json")); });
     },
     "PluginError", "record: bad config: unknown mode 'replay' from JUBILANT_RECORD_MODE (expected none, once, new_episodes, all or passthrough)"},
    {"FakeNegativeTick",
     [](Ctx&) { return catch_all([] { load_backend("fake", R"({"tick_ms": -1})"); }); },
     "PluginError", "fake: bad config: key \"tick_ms\" must not be negative"},

    // ---- the subprocess backend -----------------------------------------------------------
    {"JujuMissingByPath",
     [](Ctx& c) {
         Juju juju({.cli_binary = c.path("juju"), .backend = "subprocess"});
         return catch_all([&] { juju.status(); });
     },
     "BackendError", "juju binary '$TMP/juju' does not exist"},
    {"JujuMissingInPath",
     [](Ctx& c) {
         ScopedEnv path("PATH", c.dir().string());
         Juju juju({.cli_binary = "juju", .backend = "subprocess"});
         return catch_all([&] { juju.status(); });
     },
     "BackendError", "juju binary 'juju' not found in PATH ($TMP); install juju (e.g. `snap install juju`) or set cli_binary to its path"},
    {"JujuNotExecutable",
     [](Ctx& c) {
         const auto path = c.write("juju", "#!/bin/sh\necho hi\n");
         ::chmod(path.c_str(), 0644);
         Juju juju({.cli_binary = path, .backend = "subprocess"});
         return catch_all([&] { juju.status(); });
     },
     "BackendError", "juju binary '$TMP/juju' is not an executable file"},
    {"JujuIsADirectory",
     [](Ctx& c) {
         fs::create_directory(c.dir() / "juju");
         Juju juju({.cli_binary = c.path("juju"), .backend = "subprocess"});
         return catch_all([&] { juju.status(); });
     },
     "BackendError", "juju binary '$TMP/juju' is not an executable file"},
    {"CommandTimeout",
     [](Ctx& c) {
         const auto stub = write_stub(c.dir(), "juju", "sleep 30");
         const auto backend = load_backend("subprocess:" + stub.string());
         return catch_all([&] {
             backend->run({.args = {"status", "--format", "json"},
                           .timeout = std::chrono::milliseconds(200)});
         });
     },
     "CLITimeoutError", "command '$TMP/juju status --format json' timed out after 0.200s and was killed (0 bytes of stdout and 0 bytes of stderr received before that)"},
    {"OutputOverMaxOutputBytes",
     [](Ctx& c) {
         const auto stub = write_stub(c.dir(), "juju", "head -c 5000 /dev/zero");
         ScopedEnv env("JUBILANT_BACKEND_CONFIG", R"({"max_output_bytes": 1024})");
         Juju limited({.cli_binary = stub.string(), .backend = "subprocess"});
         return catch_all([&] { limited.cli({"debug-log"}); });
     },
     "BackendError", "juju command 'debug-log' wrote more than 1024 bytes to stdout or stderr and was killed; raise the subprocess backend's max_output_bytes if this is expected"},
    {"NonUtf8OutputIsKeptByteExact",
     [](Ctx& c) {
         // Not an error: bytes come back as they were, also through a cassette and replay.
         const auto stub = write_stub(c.dir(), "juju", R"(printf 'ok \377\376 \300\257 caf\303\251\r\n')");
         const auto cassette = c.path("bytes.json");
         std::string live, replayed;
         {
             Juju juju({.model = "m", .cli_binary = stub.string(), .backend = "record:" + cassette});
             live = juju.cli({"ssh", "u/0", "cat", "blob"});
         }
         Juju replay({.model = "m", .backend = "replay:" + cassette});
         replayed = replay.cli({"ssh", "u/0", "cat", "blob"});
         return Observed{"ok", live == replayed ? escape_bytes(live) : "replay differs"};
     },
     "ok", "ok \\xff\\xfe \\xc0\\xaf caf\\xc3\\xa9\\x0d\\x0a"},

    // ---- JSON from the CLI: ParseError naming the source and the JSON path ---------------
    {"StatusMissingRequiredField",
     [](Ctx&) { return catch_all([] { canned(R"({"model": {"name": "m"}, "machines": {}, "applications": {}})").status(); }); },
     "ParseError", "status JSON: .model: missing required field \"type\""},
    {"StatusWrongType",
     [](Ctx&) {
         return catch_all([] {
             canned(R"({"model": {"name": "m", "type": "iaas", "controller": "c", "cloud": "lxd", "version": "3.6.1", "model-status": {"current": "available"}}, "machines": {}, "applications": {"pg": {"charm": "postgresql", "scale": "three"}}})").status();
         });
     },
     "ParseError", "status JSON: .applications[\"pg\"].scale: expected an integer, got string"},
    {"StatusInvalidJson",
     [](Ctx&) { return catch_all([] { canned("{\"model\": {\"name\": \"m\",}}").status(); }); },
     "ParseError", "status JSON: invalid JSON at byte 23 (line 1, column 24: syntax error while parsing object key - unexpected '}'; expected string literal); simdjson: The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc."},
    {"StatusNotJsonAtAll",
     [](Ctx&) { return catch_all([] { canned("Model  Controller  Cloud/Region\n").status(); }); },
     "ParseError", "status JSON: invalid JSON at byte 0 (line 1, column 1: syntax error while parsing value - invalid literal); simdjson: The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc."},
    {"SecretMissingField",
     [](Ctx&) { return catch_all([] { canned(R"({"d0ab1cn4ckdfjbnp4np0": {"revision": 1}})").show_secret("s"); }); },
     "ParseError", "show-secret JSON: .\"d0ab1cn4ckdfjbnp4np0\".owner: missing required field"},
    {"SecretRevealWithoutContent",
     [](Ctx&) {
         return catch_all([] {
             canned(R"({"d0ab1cn4ckdfjbnp4np0": {"revision": 1, "owner": "<model>", "created": "2025-01-01T00:00:00Z", "updated": "2025-01-01T00:00:00Z"}})").show_secret_revealed("s");
         });
     },
     "ParseError", "show-secret JSON: .\"d0ab1cn4ckdfjbnp4np0\".content: missing required field"},
    {"ModelWrongType",
     [](Ctx&) { return catch_all([] { canned(R"({"m": {"name": 7}})").show_model(); }); },
     "ParseError", "show-model JSON: .\"m\".name: expected a string, got integer"},
    {"VersionBadJson",
     [](Ctx&) { return catch_all([] { canned(R"({"version": "three"})").version(); }); },
     "ParseError", "version JSON: .version: invalid version 'three' (expected major.minor.patch, major.minor.patch.build or major.minor-<tag><patch>[.build], each optionally followed by -<release>-<arch>, e.g. 3.6.11-genericlinux-amd64)"},
    {"RunOutputNotJson",
     [](Ctx&) { return catch_all([] { canned("Running operation 1\n").run("u/0", "act"); }); },
     "ParseError", "run/exec JSON: invalid JSON at byte 0: parse error at line 1, column 1: syntax error while parsing value - invalid literal; last read: 'R'"},

    // ---- the fake Juju ----------------------------------------------------------------------
    {"FakeCharmFixtureBrokenYaml",
     [](Ctx& c) {
         fs::create_directory(c.dir() / "charms");
         c.write("charms/broken.yaml", "name: broken\nactions:\n  go: [unclosed\n");
         fake_juju(c, {"add-model", "m"});
         return fake_juju(c, {"deploy", "broken", "-m", "m"}, c.path("charms"));
     },
     "exit 1", "ERROR charm fixture $TMP/charms/broken.yaml:4:1: invalid YAML: end of sequence flow not found\n"},
    {"FakeCharmFixtureWrongShape",
     [](Ctx& c) {
         fs::create_directory(c.dir() / "charms");
         c.write("charms/shape.yaml", "name: shape\nconfig:\n  port: {type: integer}\n");
         fake_juju(c, {"add-model", "m"});
         return fake_juju(c, {"deploy", "shape", "-m", "m"}, c.path("charms"));
     },
     "exit 1", "ERROR charm fixture $TMP/charms/shape.yaml:3:16: unknown option type \"integer\" for config.port (expected one of string, int, float, boolean, secret)\n"},
    {"FakePluginCharmFixtureBrokenYaml",
     [](Ctx& c) {
         fs::create_directory(c.dir() / "charms");
         c.write("charms/broken.yaml", "name: broken\nrevision: [1\n");
         Juju fake(load_backend("fake", fmt::format(R"({{"charms_dir": "{}"}})", c.path("charms"))));
         fake.add_model("m");
         return catch_all([&] { fake.deploy("broken"); });
     },
     "CLIError", "command 'juju deploy --model m broken' failed with exit status 1\n"
     "Stderr:\n"
     "ERROR charm fixture $TMP/charms/broken.yaml:3:1: invalid YAML: end of sequence flow not found\n"},
    {"FakeJujuUnknownCommand",
     [](Ctx& c) { return fake_juju(c, {"deploy-everything"}); }, "exit 1", "ERROR juju: \"deploy-everything\" is not a juju command. See \"juju --help\".\n"},
    {"FakeJujuUnknownFlag",
     [](Ctx& c) { return fake_juju(c, {"status", "--colour"}); }, "exit 2", "ERROR option provided but not defined: --colour\n"},
    {"FakeJujuUnknownModel",
     [](Ctx& c) { return fake_juju(c, {"status", "-m", "nowhere"}); }, "exit 1", "ERROR model fake:admin/nowhere not found\n"},
    {"FakeJujuUnknownApplication",
     [](Ctx& c) {
         fake_juju(c, {"add-model", "m"});
         return fake_juju(c, {"config", "-m", "m", "ghost"});
     },
     "exit 1", "ERROR application \"ghost\" not found\n"},
    {"FakeJujuBadConfigValue",
     [](Ctx& c) {
         fake_juju(c, {"add-model", "m"});
         fake_juju(c, {"deploy", "postgresql", "-m", "m"});
         return fake_juju(c, {"config", "-m", "m", "postgresql", "port=abc"});
     },
     "exit 1", "ERROR option \"port\" expected int, got \"abc\"\n"},
    {"FakeJujuParamsFifo",
     [](Ctx& c) {
         fake_juju(c, {"add-model", "m"});
         ::mkfifo(c.path("params.yaml").c_str(), 0600);
         return fake_juju(c, {"add-secret", "-m", "m", "s", "--file", c.path("params.yaml")});
     },
     "exit 1", "ERROR cannot read $TMP/params.yaml: not a regular file (a FIFO)\n"},
    {"FakeJujuCharmFixtureFifo",
     [](Ctx& c) {
         fs::create_directory(c.path("charms"));
         ::mkfifo(c.path("charms/pg.yaml").c_str(), 0600);
         fake_juju(c, {"add-model", "m"}, c.path("charms"));
         return fake_juju(c, {"deploy", "-m", "m", "pg"}, c.path("charms"));
     },
     "exit 1", "ERROR cannot read $TMP/charms/pg.yaml: not a regular file (a FIFO)\n"},
    {"FakePluginParamsFifo",
     [](Ctx& c) {
         ::mkfifo(c.path("params.yaml").c_str(), 0600);
         auto backend = load_backend("fake");
         backend->run({.args = {"add-model", "m"}});
         const CliResult r = backend->run({.args = {"add-secret", "-m", "m", "s", "--file", c.path("params.yaml")}});
         return Observed{fmt::format("exit {}", r.returncode), r.stderr_text};
     },
     "exit 1", "ERROR cannot read $TMP/params.yaml: not a regular file (a FIFO)\n"},
    {"FakeJujuBadFormat",
     [](Ctx& c) { return fake_juju(c, {"status", "--format", "xml"}); }, "exit 2", "ERROR invalid value \"xml\" for option --format: unknown format \"xml\"\n"},
    {"FakeJujuBadTickEnv",
     [](Ctx& c) {
         ScopedEnv data("FAKE_JUJU_DATA", c.path("fake-data"));
         ScopedEnv tick("FAKE_JUJU_TICK_MS", "fast");
         return run_process(JUBILANT_FAKE_JUJU, {"status"});
     },
     "exit 2", "ERROR FAKE_JUJU_TICK_MS must be a non-negative integer, got \"fast\"\n"},

    // ---- the jubilant-cassette tool -------------------------------------------------------
    {"CassetteToolNoCommand", [](Ctx&) { return cassette_tool({}); }, "exit 2", "jubilant-cassette: missing COMMAND\n"
     "Try 'jubilant-cassette --help'.\n"},
    {"CassetteToolUnknownCommand", [](Ctx&) { return cassette_tool({"play"}); }, "exit 2", "jubilant-cassette: unknown command 'play'\n"
     "Try 'jubilant-cassette --help'.\n"},
    {"CassetteToolMissingFileArgument", [](Ctx&) { return cassette_tool({"lint"}); }, "exit 2", "jubilant-cassette: FILE is required\n"
     "Try 'jubilant-cassette lint --help'.\n"},
    {"CassetteToolUnknownOption",
     [](Ctx& c) { return cassette_tool({"show", c.write("c.json", valid_cassette()), "--colour"}); },
     "exit 2", "jubilant-cassette: The following argument was not expected: --colour\n"
     "Try 'jubilant-cassette show --help'.\n"},
    {"CassetteToolFileDoesNotExist",
     [](Ctx& c) { return cassette_tool({"show", c.path("none.json")}); }, "exit 3", "jubilant-cassette: cannot open $TMP/none.json: No such file or directory\n"},
    {"SnapDeployLocalCharmFifo",
     [](Ctx& c) {
         // A snap juju gets a copy of a local charm, which is read first.
         fs::create_directories(c.dir() / "snap" / "bin");
         const auto binary = write_stub(c.dir() / "snap" / "bin", "juju", "exit 0\n");
         ::mkfifo(c.path("my.charm").c_str(), 0600);
         Juju juju(std::make_shared<CannedBackend>(""), {.cli_binary = binary.string()});
         return catch_all([&] { juju.deploy(c.dir() / "my.charm"); });
     },
     "Error", "cannot read $TMP/my.charm: not a regular file (a FIFO)"},
    {"CassetteToolFifo",
     [](Ctx& c) {
         ::mkfifo(c.path("c.json").c_str(), 0600);
         return cassette_tool({"show", c.path("c.json")});
     },
     "exit 3", "jubilant-cassette: cannot read $TMP/c.json: not a regular file (a FIFO)\n"},
    {"CassetteToolDirectoryWithoutCassettes",
     [](Ctx& c) {
         c.write("notes.txt", "no cassette here\n");
         return cassette_tool({"lint", c.dir().string()});
     },
     "exit 3", "jubilant-cassette: no cassettes (*.json) under $TMP\n"},
    {"CassetteToolMalformedCassette",
     [](Ctx& c) {
         return cassette_tool({"lint", c.write("c.json", replace_all(valid_cassette(), "\"returncode\": 0", "\"returncode\": null"))});
     },
     "exit 3", "jubilant-cassette: $TMP/c.json:20:21: expected an integer for \"returncode\", got null\n"},

    // ---- record and replay --------------------------------------------------------------------
    {"ReplayUnmatchedRequest",
     [](Ctx& c) {
         const auto path = c.write("c.json", valid_cassette());
         Juju juju(load_backend("replay:" + path), {.cli_binary = "juju"});
         return catch_all([&] { juju.cli({"deploy", "postgresql"}, {.include_model = false}); });
     },
     "BackendError", "replay: no recorded interaction matches request #0 (0-based) in cassette '$TMP/c.json' (mode none, ordered matching)\n"
     "  request: juju deploy postgresql\n"
     "  nearest: interaction #0 (not yet played): juju status --format json\n"
     "  argv diff (- recorded, + request):\n"
     "    - status\n"
     "    - --format\n"
     "    - json\n"
     "    + deploy\n"
     "    + postgresql"},
    {"ReplayExhausted",
     [](Ctx& c) {
         const auto path = c.write("c.json", valid_cassette());
         Juju juju(load_backend("replay:" + path), {.cli_binary = "juju"});
         juju.cli({"status", "--format", "json"}, {.include_model = false});
         return catch_all([&] { juju.cli({"status", "--format", "json"}, {.include_model = false}); });
     },
     "BackendError", "replay: no recorded interaction matches request #1 (0-based) in cassette '$TMP/c.json' (mode none, ordered matching)\n"
     "  request: juju status --format json\n"
     "  nearest: interaction #0 (already played): juju status --format json\n"
     "  every one of the 1 recorded interactions has been played\n"
     "  the request repeats more often than recorded (on_exhausted = error; repeat_last would serve it again)"},
    // ---- the typed API ------------------------------------------------------------------------
    {"ExecWithMachineAndUnit",
     [](Ctx&) { return catch_all([] { canned("").exec("ls", {.machine = "0", .unit = "u/0"}); }); },
     "Error", "exec: must specify \"machine\" or \"unit\", but not both"},
    {"ExecWithNoTarget",
     [](Ctx&) { return catch_all([] { canned("").exec("ls", {}); }); }, "Error", "exec: must specify \"machine\" or \"unit\", but not both"},
    {"RemoveUnitNumUnitsWithSeveralNames",
     [](Ctx&) { return catch_all([] { canned("").remove_unit({"a", "b"}, {.num_units = 2}); }); },
     "Error", "remove_unit: \"app_or_unit\" must be a single app name if num_units specified"},
    {"AddCloudWithoutClientOrController",
     [](Ctx&) { return catch_all([] { canned("").add_cloud("c", Value(Value::Object{{"type", "lxd"}})); }); },
     "Error", "\"client\" must be true or \"controller\" must be specified (or both)"},
    {"CliWithoutArguments",
     [](Ctx&) { return catch_all([] { canned("").cli({}); }); }, "Error", "Juju::cli needs at least one argument (the command)"},
    {"TempFileWithBadName",
     [](Ctx& c) {
         const auto stub = write_stub(c.dir(), "juju", "true");
         const auto backend = load_backend("subprocess:" + stub.string());
         return catch_all([&] {
             backend->run({.args = {"add-secret", "s", "--file", "{tmp:../x}"},
                           .temp_files = {{.name = "../x", .content = "a: b\n", .sensitive = true}}});
         });
     },
     "BackendError", "temp file name '../x' is not allowed: use 1 to 64 letters, digits, '.', '-' or '_'"},
    };
    return table;
}

// clang-format on

class BadInput : public ::testing::TestWithParam<std::size_t> {};

/// Runs a row and compares what the user sees with what the row expects.
void check(const Row& row) {
    Ctx ctx;
    Observed seen = row.run(ctx);
    seen.message = replace_all(seen.message, ctx.dir().string(), "$TMP");
    ::testing::Test::RecordProperty("kind", seen.kind);
    ::testing::Test::RecordProperty("message", seen.message);
    EXPECT_EQ(seen.kind, row.kind) << seen.message;
    if (row.regex) {
        EXPECT_TRUE(std::regex_match(seen.message, std::regex(row.message)))
            << "message:\n"
            << seen.message << "\ndoes not match:\n"
            << row.message;
    } else {
        EXPECT_EQ(seen.message, row.message);
    }
}

}  // namespace

TEST_P(BadInput, ShowsTheExpectedMessage) { check(rows().at(GetParam())); }

INSTANTIATE_TEST_SUITE_P(Table, BadInput, ::testing::Range<std::size_t>(0, rows().size()),
                         [](const ::testing::TestParamInfo<std::size_t>& param) {
                             return std::string(rows().at(param.param).name);
                         });

TEST(BadInputTable, HasAtLeastThirtyRowsWithUniqueNames) {
    std::set<std::string> names;
    for (const auto& row : rows()) EXPECT_TRUE(names.insert(row.name).second) << row.name;
    EXPECT_GE(rows().size(), 30U);
    RecordProperty("rows", static_cast<int>(rows().size()));
}

TEST(BadInputTable, RecordUnderARegularFileChangesNothing) {
    // The recorder fails before running anything: the command does not run, and the file that
    // stands where the cassette's directory should be is left as it was.
    Ctx ctx;
    const std::string blocker = ctx.write("not-a-dir", "keep me\n");
    const auto stub = write_stub(ctx.dir(), "juju", "echo ran >> \"$0.ran\"");
    {
        Juju juju(
            {.cli_binary = stub.string(), .backend = "record:" + ctx.path("not-a-dir/c.json")});
        EXPECT_ANY_THROW(juju.cli({"status"}, {.include_model = false}));
    }
    EXPECT_FALSE(fs::exists(stub.string() + ".ran"));
    EXPECT_EQ(read_file(blocker), "keep me\n");
    EXPECT_EQ(std::distance(fs::directory_iterator(ctx.dir()), fs::directory_iterator()), 2);
}
