// The subprocess plugin, always loaded through the loader, against stub executables.
#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>

#include "support/stub_executable.hpp"

using namespace jubilant;
using jubilant::test::read_file;
using jubilant::test::ScopedEnv;
using jubilant::test::TempDir;
using jubilant::test::write_stub;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace fs = std::filesystem;

namespace {

class SubprocessBackendTest : public ::testing::Test {
protected:
    // A backend running `body` as the juju binary, with temp files kept in temp_dir_.
    std::shared_ptr<CliBackend> stub(std::string_view body, nlohmann::json config = {}) {
        const auto path = write_stub(bin_.path(), "juju", body);
        if (!config.contains("temp_dir")) config["temp_dir"] = temp_.path().string();
        return load_backend("subprocess:" + path.string(), config.dump());
    }

    bool temp_dir_empty() const { return fs::is_empty(temp_.path()); }

    static bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

    TempDir bin_;
    TempDir temp_;
};

}  // namespace

TEST_F(SubprocessBackendTest, PassesArgvVerbatimWithoutAShell) {
    auto backend = stub(R"(for a in "$@"; do printf '[%s]\n' "$a"; done)");
    const auto result =
        backend->run({.args = {"deploy", "a b", "$HOME", "x;touch /tmp/pwned", "'q'", "*", ""}});
    EXPECT_EQ(result.returncode, 0);
    EXPECT_EQ(result.stdout_text,
              "[deploy]\n[a b]\n[$HOME]\n[x;touch /tmp/pwned]\n['q']\n[*]\n[]\n");
    EXPECT_EQ(result.stderr_text, "");
}

TEST_F(SubprocessBackendTest, ReportsNonZeroExitWithBothStreams) {
    auto backend = stub("echo out; echo 'ERROR model not found' >&2; exit 3");
    const auto result = backend->run({.args = {"status"}});
    EXPECT_EQ(result.returncode, 3);
    EXPECT_EQ(result.stdout_text, "out\n");
    EXPECT_EQ(result.stderr_text, "ERROR model not found\n");
}

TEST_F(SubprocessBackendTest, DeathBySignalIsANegativeReturnCode) {
    auto backend = stub("kill -TERM $$");
    EXPECT_EQ(backend->run({.args = {"x"}}).returncode, -SIGTERM);
}

TEST_F(SubprocessBackendTest, JujuTurnsFailureIntoCLIError) {
    Juju juju(stub("echo partial; echo 'ERROR boom' >&2; exit 1"), {.model = "m"});
    try {
        juju.cli({"deploy", "pg"});
        FAIL() << "expected CLIError";
    } catch (const CLIError& e) {
        EXPECT_EQ(e.returncode(), 1);
        EXPECT_EQ(e.stderr_text(), "ERROR boom\n");
        EXPECT_THAT(std::string(e.what()), HasSubstr("Stderr:\nERROR boom"));
        EXPECT_THAT(e.args(), ::testing::ElementsAre("juju", "deploy", "--model", "m", "pg"));
    }
}

TEST_F(SubprocessBackendTest, MissingBinaryByPath) {
    auto backend = load_backend("subprocess:/no/such/juju");
    try {
        backend->run({.args = {"status"}});
        FAIL() << "expected BackendError";
    } catch (const BackendError& e) {
        EXPECT_THAT(e.what(), HasSubstr("juju binary '/no/such/juju' does not exist"));
    }
}

TEST_F(SubprocessBackendTest, MissingBinaryInPath) {
    ScopedEnv path("PATH", bin_.path().string());
    auto backend = load_backend("subprocess", R"({"cli_binary": "juju-not-installed"})");
    try {
        backend->run({.args = {"status"}});
        FAIL() << "expected BackendError";
    } catch (const BackendError& e) {
        EXPECT_THAT(e.what(), HasSubstr("'juju-not-installed' not found in PATH"));
        EXPECT_THAT(e.what(), HasSubstr(bin_.path().string()));
    }
}

TEST_F(SubprocessBackendTest, FindsBinaryByNameInPath) {
    write_stub(bin_.path(), "juju", "echo found");
    ScopedEnv path("PATH", bin_.path().string());
    auto backend = load_backend("subprocess");
    EXPECT_EQ(backend->run({.args = {"version"}}).stdout_text, "found\n");
}

TEST_F(SubprocessBackendTest, BinaryThatIsNotExecutable) {
    const auto path = bin_.path() / "juju";
    std::ofstream(path) << "not executable";
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    auto backend = load_backend("subprocess:" + path.string());
    try {
        backend->run({.args = {"status"}});
        FAIL() << "expected BackendError";
    } catch (const BackendError& e) {
        EXPECT_THAT(e.what(), HasSubstr("is not an executable file"));
    }
}

TEST_F(SubprocessBackendTest, TimeoutKillsTheWholeProcessGroupAndKeepsPartialOutput) {
    const auto pids = temp_.path() / "pids";
    auto backend =
        stub("echo started; echo oops >&2; sleep 30 & echo $$ $! > '" + pids.string() + "'; wait");
    try {
        backend->run({.args = {"wait-forever"}, .timeout = std::chrono::milliseconds(300)});
        FAIL() << "expected CLITimeoutError";
    } catch (const CLITimeoutError& e) {
        EXPECT_EQ(e.partial_stdout(), "started\n");
        EXPECT_EQ(e.partial_stderr(), "oops\n");
        EXPECT_EQ(e.timeout(), std::chrono::milliseconds(300));
        EXPECT_THAT(e.what(), HasSubstr("wait-forever"));
    }
    std::ifstream in(pids);
    pid_t shell = 0, sleeper = 0;
    in >> shell >> sleeper;
    ASSERT_GT(shell, 0);
    ASSERT_GT(sleeper, 0);
    EXPECT_FALSE(process_exists(shell)) << "the stub is still running";
    // The grandchild is reparented to init, which reaps it shortly after the kill.
    for (int i = 0; i < 100 && process_exists(sleeper); ++i) ::usleep(20'000);
    EXPECT_FALSE(process_exists(sleeper)) << "the stub's child survived the timeout";
}

TEST_F(SubprocessBackendTest, CommandsWithinTheirTimeoutAreUnaffected) {
    auto backend = stub("echo quick");
    const auto result = backend->run({.args = {"x"}, .timeout = std::chrono::milliseconds(10'000)});
    EXPECT_EQ(result.stdout_text, "quick\n");
}

TEST_F(SubprocessBackendTest, SixtyFourMebibytesOnStdoutAndStderrTogether) {
    constexpr std::size_t size = std::size_t{64} << 20;
    auto backend = stub(
        "yes 0123456789abcde | head -c 67108864 >&2 & "
        "yes fedcba9876543210 | head -c 67108864; wait");
    const auto result = backend->run({.args = {"status"}});
    ASSERT_EQ(result.returncode, 0);
    ASSERT_EQ(result.stdout_text.size(), size);
    ASSERT_EQ(result.stderr_text.size(), size);
    EXPECT_EQ(result.stdout_text.substr(0, 17), "fedcba9876543210\n");
    EXPECT_EQ(result.stderr_text.substr(0, 16), "0123456789abcde\n");
    EXPECT_EQ(result.stdout_text.substr(17 * 3'000'000, 17), "fedcba9876543210\n");
    EXPECT_EQ(result.stderr_text.substr(16 * 4'000'000, 16), "0123456789abcde\n");
}

TEST_F(SubprocessBackendTest, OutputOverTheLimitIsAClearError) {
    auto backend = stub("yes | head -c 100000", {{"max_output_bytes", 1000}});
    try {
        backend->run({.args = {"debug-log"}});
        FAIL() << "expected BackendError";
    } catch (const BackendError& e) {
        EXPECT_THAT(e.what(), HasSubstr("more than 1000 bytes"));
        EXPECT_THAT(e.what(), HasSubstr("max_output_bytes"));
    }
}

TEST_F(SubprocessBackendTest, StdinRoundTripsBinaryBytes) {
    auto backend = stub("cat");
    std::string input = "line one\n";
    input += std::string("\0\xff\xfe raw \x80", 9);
    input += std::string(3 << 20, 'z');  // larger than a pipe buffer, while stdout is read
    const auto result = backend->run({.args = {"x"}, .stdin_text = input});
    EXPECT_EQ(result.stdout_text.size(), input.size());
    EXPECT_TRUE(result.stdout_text == input);
}

TEST_F(SubprocessBackendTest, NoStdinMeansDevNull) {
    auto backend = stub("cat; echo done");
    EXPECT_EQ(backend->run({.args = {"x"}}).stdout_text, "done\n");
}

TEST_F(SubprocessBackendTest, ChildThatIgnoresStdinDoesNotBreakTheCall) {
    auto backend = stub("echo ignored-input");
    const auto result = backend->run({.args = {"x"}, .stdin_text = std::string(1 << 20, 'i')});
    EXPECT_EQ(result.stdout_text, "ignored-input\n");
}

TEST_F(SubprocessBackendTest, NonUtf8OutputIsPreservedByteForByte) {
    auto backend = stub(R"(printf 'ok \377\376\200 end'; printf '\300\301' >&2)");
    const auto result = backend->run({.args = {"x"}});
    EXPECT_EQ(result.stdout_text, std::string("ok \xff\xfe\x80 end"));
    EXPECT_EQ(result.stderr_text, std::string("\xc0\xc1"));
}

TEST_F(SubprocessBackendTest, TempFilesAre0600DuringTheCallAndGoneAfter) {
    auto backend = stub(R"(stat -c '%a' "$2"; cat "$2"; echo; echo "$2"; echo "$3")");
    const auto result = backend->run(
        {.args = {"add-secret", "{tmp:content.yaml}", "--x={tmp:content.yaml}"},
         .temp_files = {
             {.name = "content.yaml", .content = "password: hunter2", .sensitive = true}}});
    std::istringstream lines(result.stdout_text);
    std::string mode, content, path, embedded;
    std::getline(lines, mode);
    std::getline(lines, content);
    std::getline(lines, path);
    std::getline(lines, embedded);
    EXPECT_EQ(mode, "600");
    EXPECT_EQ(content, "password: hunter2");
    EXPECT_THAT(path, StartsWith(temp_.path().string() + "/jubilant-"));
    EXPECT_THAT(path, ::testing::EndsWith("-content.yaml"));
    EXPECT_EQ(embedded, "--x=" + path);
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(temp_dir_empty());
}

TEST_F(SubprocessBackendTest, TempFilesAreGoneAfterFailure) {
    auto backend = stub(R"(test -f "$1" && exit 7)");
    const auto result = backend->run(
        {.args = {"{tmp:c}"}, .temp_files = {{.name = "c", .content = "s", .sensitive = true}}});
    EXPECT_EQ(result.returncode, 7);  // the file existed during the call
    EXPECT_TRUE(temp_dir_empty());
}

TEST_F(SubprocessBackendTest, TempFilesAreGoneAfterTimeout) {
    auto backend = stub(R"(test -f "$1" && echo present; sleep 30)");
    try {
        backend->run({.args = {"{tmp:c}"},
                      .temp_files = {{.name = "c", .content = "s", .sensitive = true}},
                      .timeout = std::chrono::milliseconds(300)});
        FAIL() << "expected CLITimeoutError";
    } catch (const CLITimeoutError& e) {
        EXPECT_EQ(e.partial_stdout(), "present\n");
    }
    EXPECT_TRUE(temp_dir_empty());
}

TEST_F(SubprocessBackendTest, TempFilesAreGoneWhenTheBinaryCannotStart) {
    auto backend = load_backend("subprocess:" + (bin_.path() / "missing").string(),
                                nlohmann::json{{"temp_dir", temp_.path().string()}}.dump());
    EXPECT_THROW(backend->run({.args = {"{tmp:c}"},
                               .temp_files = {{.name = "c", .content = "s", .sensitive = true}}}),
                 BackendError);
    EXPECT_TRUE(temp_dir_empty());
}

TEST_F(SubprocessBackendTest, BadTempFileNamesAreRefusedBeforeAnyFileIsWritten) {
    auto backend = stub("true");
    EXPECT_THROW(backend->run({.args = {"x"}, .temp_files = {{.name = "ok"}, {.name = "a/b"}}}),
                 BackendError);
    EXPECT_THROW(backend->run({.args = {"x"}, .temp_files = {{.name = "../escape"}}}),
                 BackendError);
    EXPECT_THROW(backend->run({.args = {"x"}, .temp_files = {{.name = "a"}, {.name = "a"}}}),
                 BackendError);
    EXPECT_TRUE(temp_dir_empty());
}

TEST_F(SubprocessBackendTest, SnapJujuGetsTempFilesInItsCommonDirectory) {
    TempDir home;
    ScopedEnv env("HOME", home.path().string());
    fs::create_directories(bin_.path() / "snap" / "bin");
    const auto binary = write_stub(bin_.path() / "snap" / "bin", "juju", R"(dirname "$1")");
    auto backend = load_backend("subprocess:" + binary.string());
    const auto result = backend->run(
        {.args = {"{tmp:c}"}, .temp_files = {{.name = "c", .content = "s", .sensitive = true}}});
    EXPECT_EQ(result.stdout_text, (home.path() / "snap/juju/common").string() + "\n");
    EXPECT_TRUE(fs::is_empty(home.path() / "snap/juju/common"));
}
