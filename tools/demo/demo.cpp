// jubilant-demo: the README's main job, the whole story in one run.
//  1. Record a session against the fake Juju: the record plugin wraps the subprocess plugin,
//     which runs the `fake-juju` executable (deploy, integrate, config, wait, an action, a
//     secret). Sensitive values are redacted before anything reaches the cassette.
//  2. Replay the cassette offline through the replay plugin: no juju at all, and wait() runs on
//     the cassette's virtual time, so the same session takes a fraction of the time.
//  3. Run GoogleMock expectations on the exact commands a Juju issues.
// Every backend is a plugin loaded at run time; nothing here is compiled against one.
#include <stdlib.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <spdlog/spdlog.h>

#include <jubilant/all_any.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/logging.hpp>
#include <jubilant/testing.hpp>

#include "private_files.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// What one pass of the session saw, to compare the recording with its replay.
struct Session {
    std::size_t units = 0;
    std::string webapp_status;
    std::string action_status;
    std::string action_password;
    std::string secret_uri;
    std::string secret_value;
    int status_polls = 0;
    double ms = 0;

    bool same_story(const Session& other) const {
        return units == other.units && webapp_status == other.webapp_status &&
               action_status == other.action_status && secret_uri == other.secret_uri &&
               status_polls == other.status_polls;
    }
};

Session run_session(jubilant::Juju& juju) {
    const auto start = Clock::now();
    Session seen;
    juju.add_model("demo");
    juju.deploy("postgresql", {.channel = "14/stable", .num_units = 2});
    juju.deploy("webapp");
    juju.integrate("webapp", "postgresql");
    juju.config_set("webapp", {{"admin-email", "ops@example.com"}});
    const jubilant::Status status = juju.wait(
        [&](const jubilant::Status& s) {
            ++seen.status_polls;
            return jubilant::all_active(s) && jubilant::all_agents_idle(s);
        },
        {.error = jubilant::any_error, .delay = 100ms, .timeout = 60s, .successes = 3});
    for (const auto& [name, app] : status.apps) seen.units += app.units.size();
    seen.webapp_status = status.apps.at("webapp").app_status.current;

    const jubilant::Task task = juju.run("postgresql/leader", "get-password");
    seen.action_status = task.status;
    seen.action_password = task.results.at("password").as_string();

    const jubilant::SecretURI uri = juju.add_secret("db-admin", {{"password", "hunter2-demo"}});
    seen.secret_uri = uri.str();
    seen.secret_value = juju.show_secret_revealed(uri).content.at("password");
    seen.ms = ms_since(start);
    return seen;
}

// 3. GoogleMock: expectations on the argv, answered without any juju.
bool run_gmock_expectations() {
    using jubilant::testkit::Args;
    using jubilant::testkit::MockBackend;
    using jubilant::testkit::ReturnStdout;
    using ::testing::_;
    using ::testing::AllOf;
    using ::testing::Contains;
    using ::testing::Field;

    auto backend = std::make_shared<MockBackend>();
    {
        ::testing::InSequence in_order;
        EXPECT_CALL(*backend, run(Args({"deploy", "--model", "test", "postgresql", "--channel",
                                        "14/stable", "--num-units", "3", "--trust"})))
            .WillOnce(ReturnStdout(""));
        EXPECT_CALL(*backend, run(Args({"integrate", "--model", "test", "webapp", "postgresql"})))
            .WillOnce(ReturnStdout(""));
        // Action params travel in a sensitive temp file, never in argv.
        EXPECT_CALL(*backend,
                    run(AllOf(Field(&jubilant::CliRequest::args, Contains("--params")),
                              Field(&jubilant::CliRequest::temp_files,
                                    Contains(Field(&jubilant::TempFile::sensitive, true))))))
            .WillOnce(ReturnStdout(R"({"postgresql/0":{"id":"7","status":"completed",)"
                                   R"("results":{"return-code":0},"unit":"postgresql/0"}})"));
    }
    jubilant::Juju juju(backend, {.model = "test", .cli_binary = "/nonexistent/juju"});
    juju.deploy("postgresql", {.channel = "14/stable", .num_units = 3, .trust = true});
    juju.integrate("webapp", "postgresql");
    const jubilant::Task task = juju.run("postgresql/0", "create-backup",
                                         {.params = jubilant::Value::Object{{"compress", true}}});
    return task.success() && ::testing::Mock::VerifyAndClearExpectations(backend.get());
}

// $JUBILANT_DEMO_DIR (created 0700 if missing), or a fresh private directory in the temp dir
// (never a fixed name there: anyone could have created it first).
fs::path work_dir() {
    if (const char* dir = std::getenv("JUBILANT_DEMO_DIR"); dir && *dir) {
        try {
            jubilant::files::create_private_directories(dir);
        } catch (const jubilant::files::FileError& e) {
            throw jubilant::Error(e.what());
        }
        return dir;
    }
    std::string pattern = (fs::temp_directory_path() / "jubilant-demo-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw jubilant::Error(
            fmt::format("cannot create a directory like {}: {}", pattern, std::strerror(errno)));
    }
    return pattern;
}

// The fake Juju's state database holds the demo secret in clear: removed when the demo ends,
// whether it passed, failed or threw. The cassette (redacted) stays for the reader to inspect.
class RemovedAtExit {
public:
    explicit RemovedAtExit(fs::path dir) : dir_(std::move(dir)) { remove(); }
    ~RemovedAtExit() { remove(); }
    RemovedAtExit(const RemovedAtExit&) = delete;
    RemovedAtExit& operator=(const RemovedAtExit&) = delete;
    const fs::path& path() const noexcept { return dir_; }

private:
    void remove() noexcept {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir_;
};

}  // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleMock(&argc, argv);
    jubilant::logger()->set_level(spdlog::level::warn);
    jubilant::wait_logger()->set_level(spdlog::level::warn);
    fmt::print("jubilant-cpp demo\n");
    try {
        const fs::path dir = work_dir();
        const fs::path cassette = dir / "demo-session.json";
        const RemovedAtExit fake_data(dir / "fake-juju-data");
        fs::remove(cassette);
        ::setenv("FAKE_JUJU_DATA", fake_data.path().c_str(), 1);

        // 1. Record against fake-juju, a separate process that stands in for juju.
        Session recorded;
        {
            jubilant::Juju juju(
                {.cli_binary = JUBILANT_FAKE_JUJU, .backend = "record:" + cassette.string()});
            recorded = run_session(juju);
        }
        const auto loaded = jubilant::cassette::Cassette::load(cassette);
        fmt::print("  1. record  : {} commands through fake-juju in {:.0f} ms\n",
                   loaded.interactions.size(), recorded.ms);
        fmt::print(
            "               deploy postgresql x2 + webapp, integrate, config, wait ({} status "
            "polls), action, secret\n",
            recorded.status_polls);
        fmt::print("               cassette {} ({} values redacted)\n", cassette.string(),
                   loaded.header.redactions);

        // 2. Replay offline: the replay plugin serves the cassette; no juju binary is involved.
        Session replayed;
        {
            jubilant::Juju juju({.backend = "replay:" + cassette.string()});
            replayed = run_session(juju);
        }
        fmt::print("  2. replay  : the same session offline in {:.1f} ms ({:.0f}x faster)\n",
                   replayed.ms, replayed.ms > 0 ? recorded.ms / replayed.ms : 0.0);
        fmt::print("               {} units, webapp {}, action {}, secret {}\n", replayed.units,
                   replayed.webapp_status, replayed.action_status, replayed.secret_uri);
        fmt::print("               action result \"password\" live: {}, from the cassette: {}\n",
                   recorded.action_password.empty() ? "(none)" : "(a value)",
                   replayed.action_password);
        fmt::print("               secret content live: {}, from the cassette: {}\n",
                   recorded.secret_value == "hunter2-demo" ? "revealed" : "MISSING",
                   replayed.secret_value);

        // 3. GoogleMock expectations on issued commands.
        const bool mocks_ok = run_gmock_expectations();
        fmt::print(
            "  3. gmock   : 3 expectations on issued argv (deploy flags, integrate, action "
            "params in a 0600 temp file): {}\n",
            mocks_ok ? "met" : "NOT met");

        const bool redacted = replayed.secret_value != "hunter2-demo" &&
                              replayed.action_password != recorded.action_password;
        if (!recorded.same_story(replayed) || !redacted || !mocks_ok) {
            fmt::print(stderr, "demo failed: {}\n",
                       !mocks_ok   ? "the gmock expectations were not met"
                       : !redacted ? "sensitive values reached the cassette"
                                   : "the replay differs from the recording");
            return 1;
        }
        fmt::print(
            "demo finished: recorded and replayed sessions agree; secrets stayed out of "
            "the cassette\n");
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "demo failed: {}\n", e.what());
        return 1;
    }
}
