// juju-cassette, the juju-compatible recording executable, run as real processes: a Python
// session recorded in front of fake-juju and replayed by Python and by C++, concurrent
// recording and replay from many processes, loop detection, byte-exact replay.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>

#include "support/stub_executable.hpp"
#include "support/test_size.hpp"

extern char** environ;

namespace fs = std::filesystem;
namespace jc = jubilant::cassette;
using jubilant::test::ScopedEnv;
using jubilant::test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const fs::path shim = JUBILANT_JUJU_CASSETTE;
const fs::path session_script = JUBILANT_TESTS_DIR "/juju_cassette_session.py";

jubilant::CliResult run(const fs::path& binary, std::vector<std::string> args,
                        std::optional<std::string> stdin_text = std::nullopt) {
    const auto backend = jubilant::load_backend("subprocess:" + binary.string(), "{}",
                                                {.merge_environment_config = false});
    return backend->run({.args = std::move(args), .stdin_text = std::move(stdin_text)});
}

// A directory with `juju` -> juju-cassette first on PATH, and the cassette's environment.
class ShimTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directory(bin());
        fs::create_symlink(shim, juju());
        path_env_.emplace("PATH", bin().string() + ":" + std::getenv("PATH"));
    }

    fs::path bin() const { return dir_.path() / "bin"; }
    fs::path juju() const { return bin() / "juju"; }
    fs::path cassette() const { return dir_.path() / "cassettes" / "session.json"; }

    // The variables every call shares; `mode` and the real juju change per phase.
    void environment(const std::string& mode, const std::optional<fs::path>& real_juju) {
        restore_environment();
        env_.push_back(std::make_unique<ScopedEnv>("JUJU_CASSETTE", cassette().string()));
        env_.push_back(std::make_unique<ScopedEnv>("JUBILANT_RECORD_MODE", mode));
        env_.push_back(std::make_unique<ScopedEnv>(
            "JUJU_CASSETTE_REAL_JUJU",
            real_juju ? std::optional<std::string>(real_juju->string()) : std::nullopt));
    }

    void set(const std::string& name, const std::optional<std::string>& value) {
        env_.push_back(std::make_unique<ScopedEnv>(name, value));
    }

    void TearDown() override { restore_environment(); }

    // Newest first: a variable set twice gets back its value from before the first set (a
    // vector's clear() would restore oldest first, leaving the first set's value behind).
    void restore_environment() {
        while (!env_.empty()) env_.pop_back();
    }

    TempDir dir_;
    std::optional<ScopedEnv> path_env_;
    std::vector<std::unique_ptr<ScopedEnv>> env_;
};

// The Python session script's commands, through the C++ API: the same argv and temp files.
struct CppSession {
    std::string action_status;
    std::string secret_uri;
    int failure_rc = 0;
};

CppSession cpp_session(jubilant::Juju& juju) {
    CppSession out;
    juju.add_model("shim");
    juju.deploy("postgresql");
    juju.wait(jubilant::all_active, {.delay = std::chrono::seconds(0)});
    out.action_status = juju.run("postgresql/0", "get-password",
                                 {.params = jubilant::Value::Object{{"username", "alice"}}})
                            .status;
    out.secret_uri = juju.add_secret("db-password", {{"password", "hunter2"}}).str();
    (void)juju.show_secret_revealed("db-password");
    try {
        (void)juju.show_unit("nosuch/0");
        ADD_FAILURE() << "show-unit of a missing unit succeeded";
    } catch (const jubilant::CLIError& e) {
        out.failure_rc = e.returncode();
    }
    return out;
}

TEST_F(ShimTest, PythonSessionRecordedBeforeFakeJujuReplaysInPythonAndInCpp) {
    // Record: the Python session through juju-cassette in front of fake-juju.
    environment("all", fs::path(JUBILANT_FAKE_JUJU));
    set("FAKE_JUJU_DATA", (dir_.path() / "fake").string());
    set("JUJU_CASSETTE_CLIENT", "python-session");
    const auto recorded = run("python3", {session_script.string()});
    ASSERT_EQ(recorded.returncode, 0) << recorded.stderr_text;
    EXPECT_THAT(recorded.stdout_text, HasSubstr("\"action_status\": \"completed\""));
    EXPECT_THAT(recorded.stdout_text, HasSubstr("\"secret_uri\": \"secret:"));

    const auto finished = run(shim, {"--finish", cassette().string()});
    ASSERT_EQ(finished.returncode, 0) << finished.stderr_text;
    EXPECT_FALSE(fs::exists(jc::journal_path(cassette())));
    const jc::Cassette cassette_data = jc::Cassette::load(cassette());
    EXPECT_EQ(cassette_data.header.client, "python-session");
    EXPECT_EQ(cassette_data.header.recorded_from, "subprocess");
    // The temp files Python passed are recorded as the C++ library records its own.
    bool saw_params = false, saw_content = false;
    for (const auto& interaction : cassette_data.interactions) {
        for (const auto& arg : interaction.args) {
            saw_params |= arg == "{tmp:params.yaml}";
            saw_content |= arg == "{tmp:content.yaml}";
        }
        for (const auto& file : interaction.temp_files) {
            EXPECT_TRUE(file.sensitive && file.redacted && !file.content) << file.name;
        }
    }
    EXPECT_TRUE(saw_params && saw_content);
    const std::string bytes = jubilant::test::read_file(cassette());
    EXPECT_THAT(bytes, Not(HasSubstr("hunter2")));
    EXPECT_THAT(bytes, Not(HasSubstr("fixture-password")));
    EXPECT_THAT(bytes, Not(HasSubstr(dir_.path().string())));  // no temp path in argv
    // jubilant-cassette reads it, and what the shim recorded lints clean (the same detector
    // redacted it).
    const auto stats = run(JUBILANT_CASSETTE_TOOL, {"stats", cassette().string()});
    EXPECT_EQ(stats.returncode, 0) << stats.stdout_text << stats.stderr_text;
    const auto lint = run(JUBILANT_CASSETTE_TOOL, {"lint", cassette().string()});
    EXPECT_EQ(lint.returncode, 0) << lint.stdout_text << lint.stderr_text;

    // Replay in Python with no fake-juju reachable: the same summary, byte for byte.
    fs::remove_all(dir_.path() / "fake");
    environment("none", dir_.path() / "no-such-juju");
    const auto replayed = run("python3", {session_script.string()});
    ASSERT_EQ(replayed.returncode, 0) << replayed.stderr_text;
    EXPECT_EQ(replayed.stdout_text, recorded.stdout_text);
    EXPECT_EQ(replayed.stderr_text, "");

    // Replay the same cassette in C++ through the replay plugin, in the recorded order.
    jubilant::Juju juju({.backend = "replay:" + cassette().string()});
    const CppSession cpp = cpp_session(juju);
    EXPECT_EQ(cpp.action_status, "completed");
    EXPECT_THAT(recorded.stdout_text, HasSubstr(cpp.secret_uri));
    EXPECT_THAT(recorded.stdout_text, HasSubstr(fmt::format("\"failure\": [{}", cpp.failure_rc)));
}

TEST_F(ShimTest, CppRecordedCassetteReplaysThroughTheShimToPython) {
    environment("all", std::nullopt);
    set("FAKE_JUJU_DATA", (dir_.path() / "fake").string());
    {
        jubilant::Juju juju(
            {.cli_binary = JUBILANT_FAKE_JUJU, .backend = "record:" + cassette().string()});
        (void)cpp_session(juju);
    }
    fs::remove_all(dir_.path() / "fake");
    ASSERT_FALSE(jc::Cassette::load(cassette()).header.client.has_value());

    environment("none", dir_.path() / "no-such-juju");

    const auto replayed = run("python3", {session_script.string()});
    ASSERT_EQ(replayed.returncode, 0) << replayed.stderr_text;
    EXPECT_THAT(replayed.stdout_text, HasSubstr("\"action_status\": \"completed\""));
    EXPECT_THAT(replayed.stdout_text, HasSubstr("\"secret_uri\": \"secret:"));
}

// A stand-in juju that counts its calls: every call of the same argv answers differently, so
// replay order is visible.
fs::path counting_juju(const fs::path& dir) {
    return jubilant::test::write_stub(dir, "real-juju", R"(
n=$(cat "$0.count" 2>/dev/null || echo 0)
echo $((n + 1)) > "$0.count"
echo "call $n: $*"
)");
}

TEST_F(ShimTest, ReplayServesEachArgvStreamInRecordedOrderAcrossProcesses) {
    environment("all", counting_juju(dir_.path()));
    set("JUJU_CASSETTE_SESSION", "record");
    for (int i = 0; i < 3; ++i) ASSERT_EQ(run(juju(), {"status"}).returncode, 0);
    ASSERT_EQ(run(juju(), {"models"}).stdout_text, "call 3: models\n");
    ASSERT_EQ(run(juju(), {"status"}).stdout_text, "call 4: status\n");

    environment("none", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "replay-1");
    // Each call is its own process; the streams interleave differently than recorded.
    EXPECT_EQ(run(juju(), {"models"}).stdout_text, "call 3: models\n");
    for (int call : {0, 1, 2, 4}) {
        EXPECT_EQ(run(juju(), {"status"}).stdout_text, fmt::format("call {}: status\n", call));
    }
    const auto exhausted = run(juju(), {"status"});
    EXPECT_EQ(exhausted.returncode, 125);
    EXPECT_THAT(exhausted.stderr_text, HasSubstr("`juju status` was recorded 4 time(s)"));
    EXPECT_EQ(exhausted.stdout_text, "");
    set("JUJU_CASSETTE_ON_EXHAUSTED", "repeat_last");
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "call 4: status\n");

    // Another session starts each stream again (and a key may hold spaces).
    set("JUJU_CASSETTE_SESSION", "replay 2");
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "call 0: status\n");
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "call 1: status\n");

    const auto unknown = run(juju(), {"deploy", "x"});
    EXPECT_EQ(unknown.returncode, 125);
    EXPECT_THAT(unknown.stderr_text, HasSubstr("no recorded interaction matches `juju deploy x`"));
}

TEST_F(ShimTest, OnceRecordsUntilASessionEndsThenReplays) {
    environment("once", counting_juju(dir_.path()));
    set("JUJU_CASSETTE_SESSION", "first run");
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "call 0: status\n");
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "call 1: status\n");  // joins the recording
    EXPECT_FALSE(fs::exists(cassette()));  // not finished: still a journal

    // The next run finds another session's journal: a recording to replay, not to extend.
    set("JUJU_CASSETTE_SESSION", "second run");
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "call 0: status\n");
    EXPECT_TRUE(fs::exists(cassette()));  // folded by that load
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "call 1: status\n");
    EXPECT_EQ(run(juju(), {"status"}).returncode, 125);
    EXPECT_EQ(jc::Cassette::load(cassette()).interactions.size(), 2u);
}

TEST_F(ShimTest, ReplayIsByteExactForOutputAndExitCode) {
    const fs::path real = jubilant::test::write_stub(
        dir_.path(), "real-juju", R"(printf 'bin\377\000ary'; printf 'no newline' >&2; exit 7)");
    environment("all", real);
    set("JUJU_CASSETTE_SESSION", "s");
    const auto direct = run(real, {"status"});
    const auto recorded = run(juju(), {"status"});
    environment("none", std::nullopt);
    const auto replayed = run(juju(), {"status"});
    for (const auto* r : {&recorded, &replayed}) {
        EXPECT_EQ(r->returncode, 7);
        EXPECT_EQ(r->stdout_text, direct.stdout_text);
        EXPECT_EQ(r->stdout_text, std::string("bin\377\000ary", 8));
        EXPECT_EQ(r->stderr_text, "no newline");
    }
}

// The session file is rewritten in place (no O_TRUNC, which made ext4 flush it on every
// call) and then cut to length: a new session with a shorter key and fewer streams leaves none
// of the old state behind, which would otherwise read as streams already replayed.
TEST_F(ShimTest, SessionStateIsRewrittenWholeWhenItShrinks) {
    jc::Cassette recorded;
    for (const std::string command : {"status", "models", "version"}) {
        jc::Interaction interaction;
        interaction.args = {command};
        interaction.stdout_text = command + "\n";
        recorded.interactions.push_back(interaction);
    }
    fs::create_directories(cassette().parent_path());
    recorded.save(cassette());
    environment("none", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1");
    for (const std::string command : {"status", "models", "version"}) {
        EXPECT_EQ(run(juju(), {command}).stdout_text, command + "\n");
    }
    set("JUJU_CASSETTE_SESSION", "s2");
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "status\n");
    auto state_path = cassette();
    state_path += ".session";
    std::ifstream state_file(state_path);
    const std::string state((std::istreambuf_iterator<char>(state_file)),
                            std::istreambuf_iterator<char>());
    EXPECT_EQ(state, "juju-cassette-session 1 s2\n0 1\n");
    // Stream 1 ("models") was not replayed in this session: left-over "1 1" pairs would say it
    // was.
    const auto models = run(juju(), {"models"});
    EXPECT_EQ(models.returncode, 0) << models.stderr_text;
    EXPECT_EQ(models.stdout_text, "models\n");
}

// ----- the front end and its replay index ------------------------------------------------
// `juju-cassette` is a front end that serves replays from "<cassette>.replay-index" and runs
// juju-cassette-full for everything else. A copy of the front end alone in a directory (no
// juju-cassette-full beside it) shows which calls it served: any call it leaves to the full
// tool fails there with "cannot run juju-cassette-full".
class FrontEndTest : public ShimTest {
protected:
    void SetUp() override {
        ShimTest::SetUp();
        fs::create_directory(dir_.path() / "lone");
        fs::copy_file(shim, dir_.path() / "lone" / "juju-cassette");
        fs::create_symlink(dir_.path() / "lone" / "juju-cassette", lone());
    }

    fs::path lone() const { return dir_.path() / "lone" / "juju"; }
    fs::path index() const {
        auto path = cassette();
        path += ".replay-index";
        return path;
    }

    // A cassette of `status` twice and `models` once, with these outputs.
    void save_cassette(const std::string& first_status, const std::string& models = "m\n") {
        jc::Cassette recorded;
        for (const auto& [command, out, rc] :
             {std::tuple{"status", first_status, 0}, std::tuple{"status", std::string("s2\n"), 3},
              std::tuple{"models", models, 0}}) {
            jc::Interaction interaction;
            interaction.args = {command};
            interaction.stdout_text = out;
            interaction.stderr_text = std::string("err ") + command;
            interaction.returncode = rc;
            recorded.interactions.push_back(interaction);
        }
        fs::create_directories(cassette().parent_path());
        recorded.save(cassette());
    }

    static void expect_left_to_full_tool(const jubilant::CliResult& r) {
        EXPECT_EQ(r.returncode, 125);
        EXPECT_THAT(r.stderr_text, HasSubstr("cannot run juju-cassette-full"));
        EXPECT_EQ(r.stdout_text, "");
    }
};

TEST_F(FrontEndTest, ServesRepeatReplaysFromAnOwnerOnlyIndex) {
    save_cassette("s1\n");
    environment("none", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "a");
    // The first replay is the full tool's; it writes the index.
    expect_left_to_full_tool(run(lone(), {"status"}));
    EXPECT_FALSE(fs::exists(index()));
    const auto first = run(juju(), {"status"});
    EXPECT_EQ(first.stdout_text, "s1\n");
    EXPECT_EQ(first.stderr_text, "err status");
    ASSERT_TRUE(fs::exists(index()));
    EXPECT_EQ(jubilant::test::mode_of(index()), 0600u);
    // The front end alone continues the same session where the full tool left it.
    const auto second = run(lone(), {"status"});
    EXPECT_EQ(second.returncode, 3);
    EXPECT_EQ(second.stdout_text, "s2\n");
    EXPECT_EQ(second.stderr_text, "err status");
    EXPECT_EQ(run(lone(), {"models"}).stdout_text, "m\n");
    // Exhausted, unknown, and calls it does not compare itself go to the full tool.
    expect_left_to_full_tool(run(lone(), {"status"}));
    EXPECT_THAT(run(juju(), {"status"}).stderr_text, HasSubstr("was recorded 2 time(s)"));
    expect_left_to_full_tool(run(lone(), {"deploy", "x"}));
    expect_left_to_full_tool(run(lone(), {"add-secret", "--file", "/dev/null"}));
    set("JUJU_CASSETTE_STDIN", "read");
    expect_left_to_full_tool(run(lone(), {"models"}));
    set("JUJU_CASSETTE_STDIN", std::nullopt);
    // A new session starts each stream again, from the index.
    set("JUJU_CASSETTE_SESSION", "b");
    EXPECT_EQ(run(lone(), {"status"}).stdout_text, "s1\n");
    set("JUJU_CASSETTE_ON_EXHAUSTED", "repeat_last");
    EXPECT_EQ(run(lone(), {"status"}).stdout_text, "s2\n");
    EXPECT_EQ(run(lone(), {"status"}).stdout_text, "s2\n");
}

// Every byte of the index, damaged in turn: the front end serves the right answer (the damage
// hit something this call does not read) or leaves the call to the full tool; never other bytes.
TEST_F(FrontEndTest, NoDamagedByteIsServed) {
    save_cassette("status-output\n", "models-output\n");
    environment("none", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "build");
    ASSERT_EQ(run(juju(), {"models"}).stdout_text, "models-output\n");
    const std::string whole = jubilant::test::read_file(index());
    // Every byte in full; every seventh under the sanitizers.
    const std::size_t step = static_cast<std::size_t>(jubilant::test::stress_size(1, 7));
    int served = 0, left = 0;
    for (std::size_t at = 0; at < whole.size(); at += step) {
        std::string bytes = whole;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x20);
        std::ofstream(index(), std::ios::binary | std::ios::trunc) << bytes;
        set("JUJU_CASSETTE_SESSION", fmt::format("byte {}", at));
        const auto r = run(lone(), {"status"});
        if (r.returncode == 125) {
            EXPECT_THAT(r.stderr_text, HasSubstr("cannot run juju-cassette-full")) << at;
            ++left;
        } else {
            EXPECT_EQ(r.returncode, 0) << at;
            EXPECT_EQ(r.stdout_text, "status-output\n") << at;
            EXPECT_EQ(r.stderr_text, "err status") << at;
            ++served;
        }
    }
    // The damage the status call does not read: models' output and checksum.
    EXPECT_GT(served, 0);
    EXPECT_GT(left, served);
}

// The front end compares as the full tool does: recorded input it cannot compare goes to the
// full tool, unless the match ignores input; ignore_model drops the `--model` pair.
TEST_F(FrontEndTest, MatchesInputAndModelAsTheFullTool) {
    jc::Cassette recorded;
    jc::Interaction with_stdin;
    with_stdin.args = {"ssh", "0"};
    with_stdin.stdin_text = "uptime\n";
    with_stdin.stdout_text = "up\n";
    recorded.interactions.push_back(with_stdin);
    jc::Interaction on_model;
    on_model.args = {"status", "--model", "recorded"};
    on_model.stdout_text = "status\n";
    recorded.interactions.push_back(on_model);
    fs::create_directories(cassette().parent_path());
    recorded.save(cassette());
    environment("none", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "a");
    set("JUJU_CASSETTE_ON_EXHAUSTED", "repeat_last");
    EXPECT_EQ(run(juju(), {"status", "--model", "recorded"}).stdout_text, "status\n");
    ASSERT_TRUE(fs::exists(index()));

    expect_left_to_full_tool(run(lone(), {"ssh", "0"}));
    EXPECT_THAT(run(juju(), {"ssh", "0"}).stderr_text, HasSubstr("had other stdin"));
    expect_left_to_full_tool(run(lone(), {"status", "--model", "live"}));

    set("JUJU_CASSETTE_MATCH", "ignore_input, ignore_model");
    EXPECT_EQ(run(lone(), {"ssh", "0"}).stdout_text, "up\n");
    EXPECT_EQ(run(lone(), {"status", "--model", "live"}).stdout_text, "status\n");
}

// Generated model names (TempModel's and Jubilant's temp_model's `jubilant-` + 8 hex digits)
// match other generated names, one to one across the argv: the front end serves those calls
// itself, with the same answers as the full tool.
TEST_F(FrontEndTest, MatchesGeneratedModelNamesAsTheFullTool) {
    jc::Cassette recorded;
    for (const auto& [args, out] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"status", "--model", "jubilant-0000aaaa"}, "one\n"},
             {{"status", "--model", "jubilant-0000bbbb"}, "two\n"},
             {{"config", "jubilant-0000aaaa", "jubilant-0000aaaa"}, "same\n"},
             {{"config", "jubilant-0000aaaa", "jubilant-0000bbbb"}, "different\n"},
             {{"version"}, "3.6.4\n"}}) {
        jc::Interaction interaction;
        interaction.args = args;
        interaction.stdout_text = out;
        recorded.interactions.push_back(interaction);
    }
    fs::create_directories(cassette().parent_path());
    recorded.save(cassette());
    environment("none", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "index");
    ASSERT_EQ(run(juju(), {"version"}).stdout_text, "3.6.4\n");  // writes the index

    const std::vector<std::vector<std::string>> calls = {
        {"status", "--model", "jubilant-1234abcd"},
        {"status", "--model", "jubilant-99990000"},
        {"config", "jubilant-1111aaaa", "jubilant-2222bbbb"},
        {"config", "jubilant-1111aaaa", "jubilant-1111aaaa"},
        {"config", "jubilant-1111aaaa", "jubilant-1111aaaa"},  // exhausted
        {"status", "--model", "xjubilant-1234abcd"},           // not a generated name
    };
    // The front end alone, then the full tool alone (a log level sends every call there).
    set("JUJU_CASSETTE_SESSION", "front end");
    std::vector<jubilant::CliResult> front;
    for (const auto& call : calls) front.push_back(run(lone(), call));
    set("JUJU_CASSETTE_SESSION", "full tool");
    set("JUJU_CASSETTE_LOG_LEVEL", "off");
    std::vector<jubilant::CliResult> full;
    for (const auto& call : calls) full.push_back(run(juju(), call));

    for (std::size_t i = 0; i < 4; ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(front[i].returncode, 0) << front[i].stderr_text;
        EXPECT_EQ(front[i].stdout_text, full[i].stdout_text);
        EXPECT_EQ(front[i].stderr_text, full[i].stderr_text);
    }
    EXPECT_EQ(full[0].stdout_text, "one\n");
    EXPECT_EQ(full[1].stdout_text, "two\n");
    EXPECT_EQ(full[2].stdout_text, "different\n");
    EXPECT_EQ(full[3].stdout_text, "same\n");
    for (std::size_t i = 4; i < calls.size(); ++i) {
        SCOPED_TRACE(i);
        expect_left_to_full_tool(front[i]);
        EXPECT_EQ(full[i].returncode, 125);
    }
    // A recorded name given again as it is binds nothing in the library: the full tool decides.
    set("JUJU_CASSETTE_LOG_LEVEL", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "again");
    expect_left_to_full_tool(run(lone(), {"config", "jubilant-0000aaaa", "jubilant-3333cccc"}));
    // (Both config interactions match: the first element binds nothing, so the second binds
    // either recorded name; the first in the stream answers.)
    EXPECT_EQ(run(juju(), {"config", "jubilant-0000aaaa", "jubilant-3333cccc"}).stdout_text,
              "same\n");
}

// What the front end exists for: the dynamic loader binding libstdc++, spdlog and the rest was
// 91% of a replayed call. It names none of them (a dynamic executable lists each shared
// library it needs by name).
TEST(FrontEnd, NeedsNoCxxSharedLibrary) {
    const std::string binary = jubilant::test::read_file(shim);
    for (const char* library : {"libstdc++.so", "libjubilant.so", "libspdlog.so", "libfmt.so",
                                "libsimdjson.so", "libyaml-cpp.so"}) {
        EXPECT_EQ(binary.find(library), std::string::npos) << library;
    }
}

TEST_F(FrontEndTest, AChangedCassetteMakesTheIndexStale) {
    save_cassette("old\n");
    environment("none", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "a");
    const auto first = run(juju(), {"status"});
    ASSERT_EQ(first.stdout_text, "old\n") << first.stderr_text;
    ASSERT_TRUE(fs::exists(index()));

    // Saved again (a new file): the old index must not answer for it.
    save_cassette("new\n");
    set("JUJU_CASSETTE_SESSION", "b");
    expect_left_to_full_tool(run(lone(), {"status"}));
    EXPECT_EQ(run(juju(), {"status"}).stdout_text, "new\n");  // and the index is rewritten
    set("JUJU_CASSETTE_SESSION", "c");
    EXPECT_EQ(run(lone(), {"status"}).stdout_text, "new\n");

    // Edited in place (same file, another size).
    {
        std::string text = jubilant::test::read_file(cassette());
        const auto at = text.find("\"m\"");
        ASSERT_NE(at, std::string::npos) << text;
        text.replace(at, 3, "\"edited\"");
        std::ofstream out(cassette(), std::ios::in | std::ios::out | std::ios::binary);
        out << text;
    }
    expect_left_to_full_tool(run(lone(), {"models"}));
    EXPECT_EQ(run(juju(), {"models"}).stdout_text, "edited\n");
}

TEST_F(FrontEndTest, ADamagedIndexIsNeverServed) {
    save_cassette("status-output\n", "models-output\n");
    environment("none", std::nullopt);
    set("JUJU_CASSETTE_REAL_JUJU", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "build");
    ASSERT_EQ(run(juju(), {"status"}).stdout_text, "status-output\n");
    const std::string whole = jubilant::test::read_file(index());
    const auto damaged = [&](const std::function<void(std::string&)>& damage) {
        std::string bytes = whole;
        damage(bytes);
        std::ofstream(index(), std::ios::binary | std::ios::trunc) << bytes;
    };
    int session = 0;
    const auto new_session = [&] { set("JUJU_CASSETTE_SESSION", fmt::format("s{}", ++session)); };
    const std::vector<std::function<void(std::string&)>> damages = {
        // An output byte: only the outputs' hash can tell.
        [](std::string& b) { b[b.find("models-output")] = 'M'; },
        // An argv byte.
        [](std::string& b) { b[b.find("models")] = 'n'; },
        // Cut short, and cut to nothing.
        [](std::string& b) { b.resize(b.size() - 5); },
        [](std::string& b) { b.resize(40); },
        [](std::string& b) { b.clear(); },
        // Another file's identity.
        [](std::string& b) { b[8] = static_cast<char>(b[8] ^ 1); },
    };
    for (std::size_t i = 0; i < damages.size(); ++i) {
        SCOPED_TRACE(i);
        damaged(damages[i]);
        new_session();
        expect_left_to_full_tool(run(lone(), {"models"}));
        // The full tool answers right, and writes a whole index again.
        new_session();
        EXPECT_EQ(run(juju(), {"models"}).stdout_text, "models-output\n");
        EXPECT_EQ(jubilant::test::read_file(index()), whole);
        new_session();
        EXPECT_EQ(run(lone(), {"models"}).stdout_text, "models-output\n");
    }
}

TEST_F(ShimTest, StdinIsRecordedAndComparedWhenAsked) {
    const fs::path real =
        jubilant::test::write_stub(dir_.path(), "real-juju", R"(printf 'got '; cat)");
    environment("all", real);
    set("JUJU_CASSETTE_SESSION", "s");
    set("JUJU_CASSETTE_STDIN", "read");
    EXPECT_EQ(run(juju(), {"ssh", "0"}, "uptime\n").stdout_text, "got uptime\n");
    ASSERT_EQ(run(shim, {"--finish", cassette().string()}).returncode, 0);
    EXPECT_EQ(jc::Cassette::load(cassette()).interactions.at(0).stdin_text, "uptime\n");

    environment("none", std::nullopt);
    set("JUJU_CASSETTE_STDIN", "read");
    set("JUJU_CASSETTE_SESSION", "r1");
    EXPECT_EQ(run(juju(), {"ssh", "0"}, "uptime\n").stdout_text, "got uptime\n");
    set("JUJU_CASSETTE_SESSION", "r2");
    const auto other = run(juju(), {"ssh", "0"}, "reboot\n");
    EXPECT_EQ(other.returncode, 125);
    EXPECT_THAT(other.stderr_text, HasSubstr("had other stdin or temp files (contents not shown)"));
    EXPECT_THAT(other.stderr_text, Not(HasSubstr("reboot")));
}

TEST_F(ShimTest, RefusesToRunItselfAsTheRealJuju) {
    environment("all", juju());  // a symlink to juju-cassette
    auto r = run(juju(), {"status"});
    EXPECT_EQ(r.returncode, 125);
    EXPECT_THAT(r.stderr_text, HasSubstr("is juju-cassette itself"));

    environment("all", std::nullopt);  // PATH's only juju is the shim
    path_env_.reset();
    path_env_.emplace("PATH", bin().string() + ":/usr/bin:/bin");
    r = run(juju(), {"status"});
    EXPECT_EQ(r.returncode, 125);
    EXPECT_THAT(r.stderr_text, HasSubstr("no 'juju' on PATH other than juju-cassette itself"));

    // A wrapper script that runs the shim again: the environment marker stops the second one.
    const fs::path wrapper =
        jubilant::test::write_stub(dir_.path(), "wrapper", "exec " + shim.string() + " \"$@\"");
    environment("all", wrapper);
    set("JUJU_CASSETTE_SESSION", "s");
    r = run(juju(), {"status"});
    EXPECT_EQ(r.returncode, 125);
    EXPECT_THAT(r.stderr_text, HasSubstr("refusing to run: started by juju-cassette"));
}

TEST_F(ShimTest, BadSettingsAreClearErrors) {
    environment("none", std::nullopt);
    set("JUJU_CASSETTE", std::nullopt);
    auto r = run(juju(), {"status"});
    EXPECT_EQ(r.returncode, 125);
    EXPECT_EQ(r.stderr_text, "juju-cassette: set JUJU_CASSETTE to the cassette file\n");

    environment("sometimes", std::nullopt);
    r = run(juju(), {"status"});
    EXPECT_EQ(r.stderr_text,
              "juju-cassette: unknown JUBILANT_RECORD_MODE 'sometimes' "
              "(expected none, once, all or passthrough)\n");

    environment("none", std::nullopt);
    set("JUJU_CASSETTE_MATCH", "ignore_model,fuzzy");
    r = run(juju(), {"status"});
    EXPECT_EQ(r.stderr_text,
              "juju-cassette: unknown matcher 'fuzzy' in JUJU_CASSETTE_MATCH "
              "(expected exact, ignore_model, ignore_input)\n");

    environment("none", std::nullopt);
    r = run(juju(), {"status"});
    EXPECT_EQ(r.returncode, 125);
    EXPECT_THAT(r.stderr_text, HasSubstr("does not exist (JUBILANT_RECORD_MODE none never "
                                         "records"));
}

// Values the shim echoes are cut (cut_for_message): start, then "...(<n> bytes)". Linux caps
// one environment string at 128 KiB, so these are 120,000 bytes rather than 1 MB.
TEST_F(ShimTest, HugeSettingsAreCutInItsMessages) {
    const std::string huge(120'000, 'h');
    const auto expect_cut = [](const std::string& message, const std::string& value) {
        EXPECT_LT(message.size(), 1000U) << message.substr(0, 300);
        EXPECT_THAT(message, HasSubstr(value.substr(0, 100)));
        EXPECT_THAT(message, HasSubstr(fmt::format("...({} bytes)", value.size())));
    };
    environment(huge, std::nullopt);
    auto r = run(juju(), {"status"});
    EXPECT_EQ(r.returncode, 125);
    EXPECT_THAT(r.stderr_text, HasSubstr("unknown JUBILANT_RECORD_MODE"));
    expect_cut(r.stderr_text, huge);

    const std::string missing = (dir_.path() / huge).string();
    environment("none", std::nullopt);
    set("JUJU_CASSETTE", missing);
    r = run(juju(), {"status"});
    EXPECT_EQ(r.returncode, 125);
    EXPECT_THAT(r.stderr_text, HasSubstr("does not exist"));
    expect_cut(r.stderr_text, missing);
}

pid_t spawn_shell(const std::string& script) {
    const char* argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
    pid_t pid = -1;
    EXPECT_EQ(::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ),
              0);
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(ShimTest, EightProcessesRecordIntoOneCassetteWithoutLossOrTearing) {
    constexpr int workers = 8;
    const int calls = jubilant::test::stress_size(12, 4);
    // Each answer (about 5 KB) is larger than PIPE_BUF, so a torn or interleaved journal line
    // would show.
    constexpr int lines = 400;
    const fs::path real = jubilant::test::write_stub(
        dir_.path(), "real-juju", fmt::format(R"(yes "$*" | head -n {})", lines));
    environment("all", real);
    set("JUJU_CASSETTE_SESSION", "concurrent");
    std::vector<pid_t> pids;
    for (int w = 0; w < workers; ++w) {
        pids.push_back(spawn_shell(fmt::format(
            "i=0; while [ $i -lt {} ]; do juju call {} $i >/dev/null || exit 1; i=$((i+1)); done",
            calls, w)));
    }
    for (pid_t pid : pids) EXPECT_EQ(wait_for(pid), 0);
    ASSERT_EQ(run(shim, {"--finish", cassette().string()}).returncode, 0);

    const jc::Cassette recorded = jc::Cassette::load(cassette());
    ASSERT_EQ(recorded.interactions.size(), std::size_t(workers * calls));
    std::map<int, int> next_call;  // per worker: its calls appear in the order it made them
    for (const auto& interaction : recorded.interactions) {
        ASSERT_EQ(interaction.args.size(), 3u);
        const int w = std::stoi(interaction.args[1]);
        const int i = std::stoi(interaction.args[2]);
        EXPECT_EQ(i, next_call[w]++);
        std::string expected;
        for (int k = 0; k < lines; ++k) expected += fmt::format("call {} {}\n", w, i);
        EXPECT_EQ(interaction.stdout_text, expected);
    }

    // Replay from eight processes at once: every call gets its own answer.
    environment("none", std::nullopt);
    set("JUJU_CASSETTE_SESSION", "concurrent-replay");
    pids.clear();
    for (int w = 0; w < workers; ++w) {
        pids.push_back(spawn_shell(fmt::format(
            "i=0; while [ $i -lt {} ]; do juju call {} $i | head -n 1 | grep -qx \"call {} $i\" "
            "|| exit 1; i=$((i+1)); done",
            calls, w, w)));
    }
    for (pid_t pid : pids) EXPECT_EQ(wait_for(pid), 0);
}

// ----- the library pieces juju-cassette is built on ----------------------------------------

TEST(CassetteHeaderClient, IsWrittenOnlyWhenSetAndReadBack) {
    jc::Cassette c;
    c.header.created = "2026-12-05T00:00:00Z";
    c.header.toolkit_version = "t";
    c.header.recorded_from = "subprocess";
    EXPECT_THAT(c.to_json(), Not(HasSubstr("\"client\"")));
    EXPECT_EQ(jc::Cassette::parse(c.to_json()), c);
    c.header.client = "python3";
    EXPECT_THAT(c.to_json(), HasSubstr("\"client\": \"python3\""));
    EXPECT_EQ(jc::Cassette::parse(c.to_json()).header.client, "python3");
}

TEST(SharedJournal, DropsATornLastLineBeforeAppending) {
    TempDir dir;
    const fs::path path = dir.path() / "c.json";
    jc::Interaction first;
    first.args = {"status"};
    jc::append_to_shared_journal(
        path, [] { return jc::Cassette{}; }, first, 0);
    {
        // A process killed in the middle of its write.
        std::ofstream journal(jc::journal_path(path), std::ios::app);
        journal << R"({"redactions":0,"interaction":{"args":["mod)";
    }
    jc::Interaction second;
    second.args = {"models"};
    jc::append_to_shared_journal(
        path, [] { return jc::Cassette{}; }, second, 2);
    const jc::Cassette folded = jc::fold_shared_journal(path);
    ASSERT_EQ(folded.interactions.size(), 2u);
    EXPECT_EQ(folded.interactions[0].args, first.args);
    EXPECT_EQ(folded.interactions[1].args, second.args);
    EXPECT_EQ(folded.header.redactions, 2);
    EXPECT_FALSE(fs::exists(jc::journal_path(path)));
    EXPECT_EQ(jubilant::test::mode_of(jc::lock_path(path)), 0600u);
}

}  // namespace
