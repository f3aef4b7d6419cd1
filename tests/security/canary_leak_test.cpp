// Canary leak suite (issue #7, part 1).
//
// Every method that takes sensitive input (add_secret, update_secret, add_credential,
// add_cloud, update_cloud, run with params) is called with unique canary values
// ("canary-<method>-<random hex>") through every kind of backend: the GoogleMock MockBackend,
// the subprocess plugin against a stub juju, the record and replay plugins, the in-process fake
// plugin and fake-juju through the subprocess plugin, plus a Recorder wrapping fake-juju and a
// replay of that recording. With the "jubilant" loggers at DEBUG, no canary may appear in
//   - any argv issued (as the backend saw it, and as the stub juju received it),
//   - standard input,
//   - any log line,
//   - any exception message or GoogleMock failure text,
//   - any byte of a cassette or its journal, read raw from disk,
//   - any file left in the subprocess backend's temp dir (which must end up empty).
// The canaries are designed so that neither the stub nor the fakes ever echo them, so there is
// no "the CLI printed it itself" exception to make. The stub copies each --file/-f/--params file
// it receives to a side file, which proves the content did reach juju, through the temp file.
//
// Documented exceptions, tested as such: config_set() values travel in argv (and so reach the
// log and cassettes), and the fake Juju's state database holds secret content in clear.
//
// Each test records how many canaries it tried (property "canaries_tried"); the environment
// prints the total for the run.

#include <atomic>
#include <cstdio>
#include <sstream>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>
#include <jubilant/testing.hpp>

#include "support/stub_executable.hpp"

namespace fs = std::filesystem;
using namespace jubilant;
using jubilant::test::LogCapture;
using jubilant::test::mode_of;
using jubilant::test::read_file;
using jubilant::test::ScopedEnv;
using jubilant::test::TempDir;
using jubilant::test::write_stub;
using jubilant::testkit::MockBackend;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::Not;

namespace {

// ---- canaries -------------------------------------------------------------------------------

std::atomic<int> total_canaries{0};
std::atomic<int> visible_canaries{0};  // of those, made for the documented exceptions

std::string random_hex(std::size_t digits) {
    static std::mt19937_64 rng{std::random_device{}()};
    static const char* const hex = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < digits; ++i) out += hex[rng() % 16];
    return out;
}

/// Hands out canaries and checks text for any of them. A canary is looked for by its random
/// part, so one that was quoted, escaped or cut at its prefix still counts.
class Canaries {
public:
    std::string make(std::string_view method) {
        const std::string hex = random_hex(20);
        std::string canary = fmt::format("canary-{}-{}", method, hex);
        all_.push_back(canary);
        hex_.push_back(hex);
        ++total_canaries;
        return canary;
    }
    std::vector<std::string> make(std::string_view method, int n) {
        std::vector<std::string> out;
        for (int i = 0; i < n; ++i) out.push_back(make(method));
        return out;
    }
    /// A canary for a documented exception, where it is expected to be visible; it is not
    /// searched for by expect_absent().
    std::string make_visible(std::string_view method) {
        ++total_canaries;
        ++visible_canaries;
        ++visible_;
        return fmt::format("canary-{}-{}", method, random_hex(20));
    }
    int count() const { return static_cast<int>(all_.size()) + visible_; }
    const std::vector<std::string>& all() const { return all_; }

    /// Fails the test for every canary found in `text`; `where` names what was searched.
    void expect_absent(std::string_view where, std::string_view text) const {
        for (std::size_t i = 0; i < all_.size(); ++i) {
            EXPECT_EQ(text.find(hex_[i]), std::string_view::npos)
                << where << " contains canary " << all_[i];
        }
    }
    /// The same for every regular file under `dir` (names and bytes).
    void expect_absent_in_tree(std::string_view where, const fs::path& dir) const {
        std::error_code ec;
        for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
            const std::string name = fmt::format("{} {}", where, entry.path().string());
            expect_absent(name + " (file name)", entry.path().filename().string());
            if (entry.is_regular_file()) expect_absent(name, read_file(entry.path()));
        }
        ASSERT_FALSE(ec) << where << ": " << ec.message();
    }

private:
    std::vector<std::string> all_;
    std::vector<std::string> hex_;
    int visible_ = 0;
};

class CanaryCountPrinter : public ::testing::Environment {
public:
    void TearDown() override {
        const int total = total_canaries.load();
        const int visible = visible_canaries.load();
        ::testing::Test::RecordProperty("canaries_tried_total", total);
        std::printf(
            "[ canaries ] %d canaries tried in this run: %d checked absent from argv, "
            "stdin, logs, exception texts, cassettes and temp dirs; %d in the documented "
            "exceptions (config values, the fake's state.db), where they must appear\n",
            total, total - visible, visible);
    }
};
[[maybe_unused]] const auto* const canary_printer =
    ::testing::AddGlobalTestEnvironment(new CanaryCountPrinter);  // gtest owns it

// ---- the sensitive methods ------------------------------------------------------------------

// Names used by the calls. None of them is a canary and none contains a canary's random part.
constexpr const char* model_name = "leak";
constexpr const char* app_name = "leaky";
constexpr const char* secret_name = "leak-secret";
constexpr const char* cloud_name = "leak-cloud";

Value credential_doc(const std::string& cloud, const std::vector<std::string>& c) {
    return Value::Object{
        {"credentials",
         Value::Object{
             {cloud, Value::Object{{"leak-user", Value::Object{{"auth-type", "certificate"},
                                                               {"client-cert", c[0]},
                                                               {"client-key", c[1]}}}}}}}};
}

Value cloud_doc(const std::string& cloud, const std::vector<std::string>& c) {
    return Value::Object{
        {"clouds",
         Value::Object{
             {cloud, Value::Object{
                         {"type", "openstack"},
                         {"auth-types", Value::Array{"userpass"}},
                         {"endpoint", c[0]},
                         {"regions", Value::Object{{"r1", Value::Object{{"endpoint", c[1]}}}}}}}}}};
}

/// One sensitive method: `ok` succeeds against a fake Juju set up by FakeSetup (and earlier
/// calls in table order); `refused` is a call the fake Juju rejects. Both take two canaries.
struct Method {
    const char* name;
    std::function<void(Juju&, const std::vector<std::string>&)> ok;
    std::function<void(Juju&, const std::vector<std::string>&)> refused;
};

const std::vector<Method>& methods() {
    static const std::vector<Method> table = {
        {"add_secret",
         [](Juju& j, const std::vector<std::string>& c) {
             j.add_secret(secret_name, {{"password", c[0]}, {"note", c[1]}}, {.info = "leak test"});
         },
         // The name is taken by then.
         [](Juju& j, const std::vector<std::string>& c) {
             j.add_secret(secret_name, {{"password", c[0]}, {"note", c[1]}});
         }},
        {"update_secret",
         [](Juju& j, const std::vector<std::string>& c) {
             j.update_secret(secret_name, {{"password", c[0]}, {"note", c[1]}},
                             {.info = "rotated"});
         },
         [](Juju& j, const std::vector<std::string>& c) {
             j.update_secret("no-such-secret", {{"password", c[0]}, {"note", c[1]}});
         }},
        {"add_credential",
         [](Juju& j, const std::vector<std::string>& c) {
             j.add_credential("localhost", credential_doc("localhost", c), {.client = true});
         },
         [](Juju& j, const std::vector<std::string>& c) {
             j.add_credential("no-such-cloud", credential_doc("no-such-cloud", c),
                              {.client = true});
         }},
        {"add_cloud",
         [](Juju& j, const std::vector<std::string>& c) {
             j.add_cloud(cloud_name, cloud_doc(cloud_name, c), {.client = true});
         },
         // Already there.
         [](Juju& j, const std::vector<std::string>& c) {
             j.add_cloud(cloud_name, cloud_doc(cloud_name, c), {.client = true});
         }},
        {"update_cloud",
         [](Juju& j, const std::vector<std::string>& c) {
             j.update_cloud(cloud_name, cloud_doc(cloud_name, c), {.client = true});
         },
         [](Juju& j, const std::vector<std::string>& c) {
             j.update_cloud("no-such-cloud", cloud_doc("no-such-cloud", c), {.client = true});
         }},
        {"run",
         [](Juju& j, const std::vector<std::string>& c) {
             j.run(std::string(app_name) + "/0", "rotate",
                   {.params =
                        Value::Object{{"token", c[0]}, {"extra", Value::Object{{"inner", c[1]}}}}});
         },
         [](Juju& j, const std::vector<std::string>& c) {
             j.run(std::string(app_name) + "/7", "rotate",
                   {.params =
                        Value::Object{{"token", c[0]}, {"extra", Value::Object{{"inner", c[1]}}}}});
         }},
    };
    return table;
}

// A charm fixture for the fake Juju: an action with params whose results never echo them.
constexpr const char* leaky_charm = R"(name: leaky
revision: 1
actions:
  rotate:
    description: Rotate a token
    params:
      token: {type: string}
      extra: {type: object}
    required: [token]
    results:
      rotated: "yes"
)";

// ---- observing what the backends see ---------------------------------------------------------

/// Forwards to another backend and keeps every request, so the argv and stdin a backend was
/// given can be checked whatever the backend is.
class SpyBackend final : public CliBackend {
public:
    explicit SpyBackend(std::shared_ptr<CliBackend> inner) : inner_(std::move(inner)) {}
    CliResult run(const CliRequest& request) override {
        requests_.push_back(request);
        return inner_->run(request);
    }
    std::string name() const override { return inner_->name(); }
    std::shared_ptr<Clock> clock() override { return inner_->clock(); }
    const std::vector<CliRequest>& requests() const { return requests_; }
    void reset_inner() { inner_.reset(); }

private:
    std::shared_ptr<CliBackend> inner_;
    std::vector<CliRequest> requests_;
};

/// Checks the argv and stdin of every request a spy saw, and the mock's printout of it.
void expect_requests_clean(const Canaries& canaries, const SpyBackend& spy) {
    ASSERT_FALSE(spy.requests().empty());
    for (const auto& request : spy.requests()) {
        for (const auto& arg : request.args) canaries.expect_absent("argv", arg);
        if (request.stdin_text) canaries.expect_absent("stdin", *request.stdin_text);
        // What GoogleMock prints for a request (jubilant::PrintTo).
        canaries.expect_absent("printed request", ::testing::PrintToString(request));
    }
}

/// The outcome of one call: the exception text, if any.
struct Outcome {
    bool threw = false;
    std::string what;
};

Outcome call(const std::function<void()>& f) {
    try {
        f();
        return {};
    } catch (const CLIError& e) {
        // what() already holds stdout and stderr; add argv as CLIError keeps it.
        std::string text = e.what();
        for (const auto& arg : e.args()) text += "\n" + arg;
        return {true, text};
    } catch (const std::exception& e) {
        return {true, e.what()};
    }
}

/// Runs every method's `ok` call (each must succeed) or, with `ok` false, every `refused` call
/// (each must throw), with fresh canaries. Checks each exception text; `after_each` (if any)
/// runs after every call.
void run_all(Juju& juju, Canaries& canaries, bool ok, const std::function<void()>& after_each) {
    for (const auto& m : methods()) {
        SCOPED_TRACE(fmt::format("{} ({})", m.name, ok ? "accepted" : "refused"));
        const auto c = canaries.make(m.name, 2);
        const Outcome outcome = call([&] { (ok ? m.ok : m.refused)(juju, c); });
        if (ok) {
            EXPECT_FALSE(outcome.threw) << outcome.what;
        } else {
            EXPECT_TRUE(outcome.threw);
            EXPECT_FALSE(outcome.what.empty());
        }
        canaries.expect_absent("exception message", outcome.what);
        if (after_each) after_each();
    }
}

void expect_logged_calls(const Canaries& canaries, const LogCapture& logs) {
    const std::string text = logs.text();
    EXPECT_THAT(text, HasSubstr("cli: juju add-secret"));  // the calls were logged at all
    EXPECT_THAT(text, HasSubstr("cli: juju run"));
    canaries.expect_absent("log", text);
}

bool dir_is_empty(const fs::path& dir) { return fs::is_empty(dir); }

std::string list_dir(const fs::path& dir) {
    std::string out;
    for (const auto& entry : fs::directory_iterator(dir)) out += entry.path().string() + " ";
    return out;
}

/// Brings a fake Juju to where every `ok` call succeeds: model, the leaky charm, settled units.
void fake_setup(Juju& juju) {
    juju.add_model(model_name);
    juju.deploy(app_name);
    for (int i = 0; i < 8; ++i) juju.status();  // each command advances simulated time
}

// ---- the stub juju ---------------------------------------------------------------------------

/// A stub juju that appends its argv to side/argv and, for each --file/-f/--params argument,
/// the file's path, mode and content to side/paths, side/modes and side/contents. side/mode
/// selects its answer: ok (plausible stdout), fail (exit 1), hang, flood (100 kB of stdout).
class StubJuju {
public:
    StubJuju() {
        path_ = write_stub(bin_.path(), "juju",
                           fmt::format(R"(side='{}'
mode=$(cat "$side/mode" 2>/dev/null || echo ok)
for a in "$@"; do printf '%s\n' "$a" >> "$side/argv"; done
want=''
for a in "$@"; do
  if [ -n "$want" ]; then
    printf '%s\n' "$a" >> "$side/paths"
    stat -c '%a' "$a" >> "$side/modes"
    cat "$a" >> "$side/contents"
    want=''
  fi
  case "$a" in --file|-f|--params) want=1 ;; esac
done
case "$mode" in
  fail) echo 'ERROR the stub refuses this request' >&2; exit 1 ;;
  hang) echo started; sleep 30; exit 0 ;;
  flood) head -c 100000 /dev/zero; exit 0 ;;
esac
case "$1" in
  add-secret) echo 'secret:d0ab1cn4ckdfjbnp4np0' ;;
  run) echo '{{"leaky/0": {{"id": "1", "results": {{}}, "status": "completed"}}}}' ;;
esac)",
                                       side_.path().string()));
    }
    const fs::path& path() const { return path_; }
    const fs::path& side() const { return side_.path(); }
    void set_mode(const std::string& mode) const {
        std::ofstream(side_.path() / "mode") << mode << "\n";
    }
    std::string side_file(const char* name) const {
        const fs::path p = side_.path() / name;
        return fs::exists(p) ? read_file(p) : std::string();
    }

    /// What the stub received must not hold a canary in argv; every file it was handed must
    /// have been 0600, inside `temp_dir`, and gone now; the files' content, taken together,
    /// must hold each of `expected` (proof that the content reached juju through them).
    void expect_received(const Canaries& canaries, const fs::path& temp_dir,
                         const std::vector<std::string>& expected) const {
        canaries.expect_absent("argv received by the stub", side_file("argv"));
        std::istringstream modes(side_file("modes"));
        int files = 0;
        for (std::string mode; std::getline(modes, mode); ++files) EXPECT_EQ(mode, "600");
        EXPECT_GT(files, 0);
        std::istringstream paths(side_file("paths"));
        for (std::string p; std::getline(paths, p);) {
            EXPECT_EQ(fs::path(p).parent_path(), temp_dir) << p;
            EXPECT_FALSE(fs::exists(p)) << p << " was left behind";
        }
        const std::string contents = side_file("contents");
        for (const auto& c : expected) EXPECT_THAT(contents, HasSubstr(c));
    }

private:
    TempDir bin_;
    TempDir side_;
    fs::path path_;
};

std::shared_ptr<CliBackend> subprocess_backend(const fs::path& binary, const fs::path& temp_dir,
                                               const std::string& extra = "") {
    return load_backend("subprocess:" + binary.string(),
                        fmt::format(R"({{"temp_dir": "{}"{}}})", temp_dir.string(), extra));
}

class CanaryLeakTest : public ::testing::Test {
protected:
    void TearDown() override { RecordProperty("canaries_tried", canaries_.count()); }
    Canaries canaries_;
};

}  // namespace

// ---- (a) MockBackend -------------------------------------------------------------------------

TEST_F(CanaryLeakTest, MockBackend) {
    auto mock = std::make_shared<MockBackend>();
    auto spy = std::make_shared<SpyBackend>(mock);
    bool refuse = false;
    EXPECT_CALL(*mock, run(_)).WillRepeatedly(Invoke([&](const CliRequest& r) {
        if (refuse) return CliResult{.returncode = 1, .stdout_text = "", .stderr_text = "ERROR no"};
        std::string out;
        if (r.args.at(0) == "add-secret") out = "secret:d0ab1cn4ckdfjbnp4np0\n";
        if (r.args.at(0) == "run") {
            out = R"({"leaky/0": {"id": "1", "results": {}, "status": "completed"}})";
        }
        return CliResult{.returncode = 0, .stdout_text = out, .stderr_text = ""};
    }));
    Juju juju(spy, {.model = model_name, .cli_binary = "/nonexistent/juju"});
    LogCapture logs(spdlog::level::debug);
    run_all(juju, canaries_, true, {});
    refuse = true;
    run_all(juju, canaries_, false, {});

    expect_requests_clean(canaries_, *spy);
    expect_logged_calls(canaries_, logs);
    // The content did reach the backend: in sensitive temp files, referenced by placeholder.
    std::string sensitive_contents;
    for (const auto& r : spy->requests()) {
        ASSERT_EQ(r.temp_files.size(), 1U);
        EXPECT_TRUE(r.temp_files[0].sensitive);
        EXPECT_THAT(r.args, ::testing::Contains(temp_file_placeholder(r.temp_files[0].name)));
        sensitive_contents += r.temp_files[0].content;
    }
    for (const auto& c : canaries_.all()) EXPECT_THAT(sensitive_contents, HasSubstr(c));
}

TEST_F(CanaryLeakTest, MockFailureMessagesNeverPrintTheContent) {
    // A call the mock did not expect makes GoogleMock print the request; the printout (and
    // whatever Juju then throws) must not show the content.
    for (const auto& m : methods()) {
        SCOPED_TRACE(m.name);
        auto mock = std::make_shared<::testing::StrictMock<MockBackend>>();
        Juju juju(mock, {.model = model_name, .cli_binary = "/nonexistent/juju"});
        const auto c = canaries_.make(m.name, 2);
        LogCapture logs(spdlog::level::debug);
        ::testing::TestPartResultArray failures;
        Outcome outcome;
        {
            ::testing::ScopedFakeTestPartResultReporter reporter(
                ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD,
                &failures);
            outcome = call([&] { m.ok(juju, c); });
        }
        ASSERT_GE(failures.size(), 1);
        for (int i = 0; i < failures.size(); ++i) {
            const std::string message = failures.GetTestPartResult(i).message();
            EXPECT_THAT(message, HasSubstr("argv: juju "));
            canaries_.expect_absent("GoogleMock failure message", message);
        }
        canaries_.expect_absent("exception message", outcome.what);
        canaries_.expect_absent("log", logs.text());
        ::testing::Mock::VerifyAndClearExpectations(mock.get());
    }
}

// ---- (b) subprocess against a stub juju ----------------------------------------------------

TEST_F(CanaryLeakTest, SubprocessStub) {
    StubJuju stub;
    TempDir temp;
    auto spy = std::make_shared<SpyBackend>(subprocess_backend(stub.path(), temp.path()));
    Juju juju(spy, {.model = model_name, .cli_binary = stub.path().string()});
    LogCapture logs(spdlog::level::debug);
    const auto temp_dir_stays_empty = [&] {
        EXPECT_TRUE(dir_is_empty(temp.path())) << list_dir(temp.path());
    };
    run_all(juju, canaries_, true, temp_dir_stays_empty);
    stub.set_mode("fail");
    run_all(juju, canaries_, false, temp_dir_stays_empty);

    expect_requests_clean(canaries_, *spy);
    expect_logged_calls(canaries_, logs);
    stub.expect_received(canaries_, temp.path(), canaries_.all());
    canaries_.expect_absent_in_tree("subprocess temp dir", temp.path());
}

TEST_F(CanaryLeakTest, SubprocessTempFilesGoOnTimeoutAndOverflow) {
    StubJuju stub;
    TempDir temp;
    LogCapture logs(spdlog::level::debug);
    const auto request = [&](const std::string& canary) {
        return CliRequest{.args = {"add-secret", secret_name, "--file", "{tmp:content.yaml}"},
                          .stdin_text = {},
                          .temp_files = {{.name = "content.yaml",
                                          .content = "password: " + canary + "\n",
                                          .sensitive = true}},
                          .timeout = std::chrono::milliseconds(1500)};
    };

    stub.set_mode("hang");
    auto backend = subprocess_backend(stub.path(), temp.path());
    Outcome timeout = call([&] { backend->run(request(canaries_.make("timeout"))); });
    EXPECT_TRUE(timeout.threw);
    EXPECT_THAT(timeout.what, HasSubstr("add-secret"));
    canaries_.expect_absent("CLITimeoutError", timeout.what);
    EXPECT_TRUE(dir_is_empty(temp.path())) << list_dir(temp.path());

    stub.set_mode("flood");
    auto limited = subprocess_backend(stub.path(), temp.path(), R"(, "max_output_bytes": 1000)");
    const std::string canary = canaries_.make("overflow");
    Outcome overflow = call([&] { limited->run(request(canary)); });
    EXPECT_TRUE(overflow.threw);
    EXPECT_THAT(overflow.what, HasSubstr("more than 1000 bytes"));
    canaries_.expect_absent("BackendError", overflow.what);
    EXPECT_TRUE(dir_is_empty(temp.path())) << list_dir(temp.path());
    // The flooding stub copies its file before writing, so this one reached it.
    stub.expect_received(canaries_, temp.path(), {canary});
    canaries_.expect_absent("log", logs.text());
}

// ---- (c) record and (d) replay, around the stub ------------------------------------------

TEST_F(CanaryLeakTest, RecordPluginOverStubThenReplayPlugin) {
    StubJuju stub;
    TempDir cassettes;
    TempDir tmpdir;  // the inner subprocess backend's temp dir (the system one, via TMPDIR)
    const fs::path cassette = cassettes.path() / "leak.json";
    const fs::path journal = cassette::journal_path(cassette);
    {
        ScopedEnv tmp("TMPDIR", tmpdir.path().string());
        LogCapture logs(spdlog::level::debug);
        auto spy = std::make_shared<SpyBackend>(load_backend(
            "record:" + cassette.string(),
            fmt::format(R"({{"mode": "all", "cli_binary": "{}"}})", stub.path().string())));
        Juju juju(spy, {.model = model_name, .cli_binary = stub.path().string()});
        const auto after_each = [&] {
            EXPECT_TRUE(dir_is_empty(tmpdir.path())) << list_dir(tmpdir.path());
            ASSERT_TRUE(fs::exists(journal));  // recorded so far, before the cassette exists
            EXPECT_EQ(mode_of(journal), 0600U);
            canaries_.expect_absent("journal", read_file(journal));
        };
        run_all(juju, canaries_, true, after_each);
        stub.set_mode("fail");
        run_all(juju, canaries_, false, after_each);
        expect_requests_clean(canaries_, *spy);
        expect_logged_calls(canaries_, logs);
        spy->reset_inner();  // the recorder finishes the cassette when the last owner goes
    }
    stub.expect_received(canaries_, tmpdir.path(), canaries_.all());
    ASSERT_TRUE(fs::exists(cassette));
    EXPECT_FALSE(fs::exists(journal));
    EXPECT_EQ(mode_of(cassette), 0600U);
    const std::string recorded = read_file(cassette);
    // It is a real recording of those calls: placeholders, redacted temp files.
    EXPECT_THAT(recorded, HasSubstr("\"{tmp:content.yaml}\""));
    EXPECT_THAT(recorded, HasSubstr("\"{tmp:params.yaml}\""));
    EXPECT_THAT(recorded, HasSubstr("\"redacted\": true"));
    canaries_.expect_absent("cassette", recorded);
    canaries_.expect_absent_in_tree("cassette dir", cassettes.path());
    EXPECT_EQ(list_dir(cassettes.path()), cassette.string() + " ");
    EXPECT_TRUE(dir_is_empty(tmpdir.path()));

    // Replay the cassette with fresh canaries: it matches (sensitive content is not compared),
    // answers from the recording, and neither leaks the new canaries nor touches the file.
    {
        LogCapture logs(spdlog::level::debug);
        auto spy = std::make_shared<SpyBackend>(
            load_backend("replay:" + cassette.string(), R"({"mode": "none"})"));
        Juju juju(spy, {.model = model_name, .cli_binary = stub.path().string()});
        run_all(juju, canaries_, true, {});
        run_all(juju, canaries_, false, {});
        // An unmatched request: the error describes argv and the nearest interaction only.
        const std::string canary = canaries_.make("replay_miss");
        Outcome miss = call([&] { juju.add_secret("other-secret", {{"password", canary}}); });
        EXPECT_TRUE(miss.threw);
        EXPECT_THAT(miss.what, HasSubstr("add-secret"));
        canaries_.expect_absent("replay miss", miss.what);
        expect_requests_clean(canaries_, *spy);
        expect_logged_calls(canaries_, logs);
    }
    EXPECT_EQ(read_file(cassette), recorded);
    EXPECT_EQ(list_dir(cassettes.path()), cassette.string() + " ");
}

// ---- (e) the fake Juju: in-process plugin and fake-juju -----------------------------------

TEST_F(CanaryLeakTest, FakePluginInProcess) {
    TempDir charms;
    TempDir tmpdir;
    std::ofstream(charms.path() / "leaky.yaml") << leaky_charm;
    ScopedEnv tmp("TMPDIR", tmpdir.path().string());
    LogCapture logs(spdlog::level::debug);
    auto spy = std::make_shared<SpyBackend>(
        load_backend("fake", fmt::format(R"({{"charms_dir": "{}"}})", charms.path().string())));
    Juju juju(spy, {.cli_binary = "/nonexistent/juju"});
    fake_setup(juju);
    // The fake plugin never writes temp files: the system temp dir stays empty.
    const auto nothing_on_disk = [&] {
        EXPECT_TRUE(dir_is_empty(tmpdir.path())) << list_dir(tmpdir.path());
    };
    run_all(juju, canaries_, true, nothing_on_disk);
    run_all(juju, canaries_, false, nothing_on_disk);
    expect_requests_clean(canaries_, *spy);
    expect_logged_calls(canaries_, logs);
    // The fake really stored the content (it would otherwise prove little).
    EXPECT_EQ(juju.show_secret_revealed(secret_name).content.at("password"),
              canaries_.all().at(2));  // update_secret's first canary
}

namespace {

/// fake-juju through the subprocess plugin, with its own data dir, charms and temp dir.
class FakeJujuBinary {
public:
    FakeJujuBinary()
        : data_env_("FAKE_JUJU_DATA", data_.path().string()),
          charms_env_("FAKE_JUJU_CHARMS", charms_.path().string()),
          tick_env_("FAKE_JUJU_TICK_MS", std::nullopt) {
        std::ofstream(charms_.path() / "leaky.yaml") << leaky_charm;
    }
    std::shared_ptr<CliBackend> backend() const {
        return subprocess_backend(JUBILANT_FAKE_JUJU, temp_.path());
    }
    const fs::path& temp_dir() const { return temp_.path(); }
    const fs::path& data_dir() const { return data_.path(); }

private:
    TempDir data_;
    TempDir charms_;
    TempDir temp_;
    ScopedEnv data_env_;
    ScopedEnv charms_env_;
    ScopedEnv tick_env_;
};

}  // namespace

TEST_F(CanaryLeakTest, FakeJujuThroughSubprocess) {
    FakeJujuBinary fake;
    LogCapture logs(spdlog::level::debug);
    auto spy = std::make_shared<SpyBackend>(fake.backend());
    Juju juju(spy, {.cli_binary = JUBILANT_FAKE_JUJU});
    fake_setup(juju);
    const auto temp_dir_stays_empty = [&] {
        EXPECT_TRUE(dir_is_empty(fake.temp_dir())) << list_dir(fake.temp_dir());
    };
    run_all(juju, canaries_, true, temp_dir_stays_empty);
    run_all(juju, canaries_, false, temp_dir_stays_empty);
    expect_requests_clean(canaries_, *spy);
    expect_logged_calls(canaries_, logs);
    EXPECT_EQ(juju.show_secret_revealed(secret_name).content.at("password"), canaries_.all().at(2));
}

TEST_F(CanaryLeakTest, RecorderOverFakeJujuThenReplay) {
    FakeJujuBinary fake;
    TempDir cassettes;
    const fs::path cassette = cassettes.path() / "fake.json";
    {
        LogCapture logs(spdlog::level::debug);
        auto recorder = std::make_shared<Recorder>(
            cassette, RecorderOptions{.mode = RecordMode::all, .inner = fake.backend()});
        auto spy = std::make_shared<SpyBackend>(recorder);
        Juju juju(spy, {.cli_binary = JUBILANT_FAKE_JUJU});
        fake_setup(juju);
        const auto after_each = [&] {
            EXPECT_TRUE(dir_is_empty(fake.temp_dir())) << list_dir(fake.temp_dir());
            canaries_.expect_absent_in_tree("cassette dir while recording", cassettes.path());
        };
        run_all(juju, canaries_, true, after_each);
        run_all(juju, canaries_, false, after_each);
        recorder->finish();
        expect_requests_clean(canaries_, *spy);
        expect_logged_calls(canaries_, logs);
    }
    const std::string recorded = read_file(cassette);
    EXPECT_THAT(recorded, HasSubstr("\"redacted\": true"));
    EXPECT_THAT(recorded, HasSubstr("\"recorded_from\": \"subprocess\""));
    canaries_.expect_absent("cassette", recorded);
    canaries_.expect_absent_in_tree("cassette dir", cassettes.path());
    EXPECT_EQ(mode_of(cassette), 0600U);

    {
        LogCapture logs(spdlog::level::debug);
        auto spy = std::make_shared<SpyBackend>(
            std::make_shared<Recorder>(cassette, RecorderOptions{.mode = RecordMode::none}));
        Juju juju(spy, {.cli_binary = JUBILANT_FAKE_JUJU});
        fake_setup(juju);
        run_all(juju, canaries_, true, {});
        run_all(juju, canaries_, false, {});
        expect_requests_clean(canaries_, *spy);
        expect_logged_calls(canaries_, logs);
    }
    EXPECT_EQ(read_file(cassette), recorded);
}

// ---- what juju prints: every secret-bearing command, in every format (issue #14) -------------

namespace {

/// Answers each request with the output juju would print for it, canaries in place.
class PrintingBackend final : public CliBackend {
public:
    explicit PrintingBackend(std::map<std::vector<std::string>, std::string> outputs)
        : outputs_(std::move(outputs)) {}
    CliResult run(const CliRequest& request) override {
        const auto it = outputs_.find(request.args);
        if (it == outputs_.end()) return {.returncode = 1, .stderr_text = "ERROR unexpected\n"};
        return {.returncode = 0, .stdout_text = it->second};
    }
    std::string name() const override { return "printing"; }

private:
    std::map<std::vector<std::string>, std::string> outputs_;
};

/// `text` with each "{}" replaced by the next of `values`.
std::string fill(std::string text, const std::vector<std::string>& values) {
    for (const auto& v : values) text.replace(text.find("{}"), 2, v);
    return text;
}

}  // namespace

TEST_F(CanaryLeakTest, SecretBearingOutputsInEveryFormat) {
    // The shapes juju prints (cmd/juju/secrets, cmd/juju/cloud, cmd/juju/action, config,
    // debug-log): the default format first, then yaml and json. YAML inlines a secret's
    // content under `content:`; JSON keeps a `Data` level.
    const std::string sum = std::string(64, 'a');
    const std::string secret_yaml = "d0vdtqnmp25c762e7jug:\n  revision: 2\n  checksum: " + sum +
                                    "\n  owner: <model>\n  name: leak-secret\n  content:\n"
                                    "    password: {}\n    note: {}\n";
    const std::string secret_json =
        R"({"d0vdtqnmp25c762e7jug":{"revision":2,"checksum":")" + sum +
        R"(","owner":"<model>","content":{"Data":{"password":"{}","note":"{}"}}}})"
        "\n";
    const std::string credential_yaml =
        "controller-credentials:\n  localhost:\n    leak-user:\n"
        "      content:\n        auth-type: certificate\n"
        "        client-cert: {}\n        hidden: {}\n";
    const std::string credential_json =
        R"({"controller-credentials":{"localhost":{"leak-user":{"content":{"auth-type":"certificate","client-key":"{}","other":"{}"}}}}})";
    const std::string results_yaml =
        "leaky/0:\n  id: \"2\"\n  results:\n    username: admin\n"
        "    password: {}\n    api-token: {}\n  status: completed\n";
    const std::string results_json =
        R"({"leaky/0":{"id":"2","results":{"username":"admin","password":"{}","api-token":"{}"},"status":"completed"}})";
    const std::string config_yaml =
        "application: leaky\nsettings:\n  admin-password:\n"
        "    type: string\n    value: {}\n  tls-key:\n    type: string\n"
        "    value: |\n      -----BEGIN PRIVATE KEY-----\n      {}\n"
        "      -----END PRIVATE KEY-----\n";
    const std::string config_json =
        R"({"application":"leaky","settings":{"admin-password":{"value":"{}"},"db":{"type":"secret","value":"secret:d0vdtqnmp25c762e7jug"},"x":{"value":"https://u:{}@h/"}}})";
    const std::string log =
        "unit-leaky-0: 12:00:01 DEBUG unit.leaky/0.juju-log password={} ok\n"
        "unit-leaky-0: 12:00:02 DEBUG unit.leaky/0.juju-log token: {}\n";
    const std::vector<std::pair<std::vector<std::string>, std::string>> commands = {
        {{"show-secret", "leak-secret", "--reveal"}, secret_yaml},
        {{"show-secret", "leak-secret", "--reveal", "--format", "yaml"}, secret_yaml},
        {{"show-secret", "leak-secret", "--reveal", "--format", "json"}, secret_json},
        {{"secrets", "--reveal", "--format", "yaml"}, secret_yaml},
        {{"secrets", "--reveal", "--format", "json"}, secret_json},
        {{"show-credential", "localhost", "leak-user", "--show-secrets"}, credential_yaml},
        {{"show-credential", "--show-secrets", "--format", "json"}, credential_json},
        {{"credentials", "--show-secrets", "--format", "yaml"},
         "client-credentials:\n  localhost:\n    leak-user:\n      auth-type: userpass\n"
         "      password: {}\n      username: {}\n"},
        {{"run", "leaky/0", "rotate"}, "username: admin\npassword: {}\napi-token: {}\n"},
        {{"run", "leaky/0", "rotate", "--format", "yaml"}, results_yaml},
        {{"run", "leaky/0", "rotate", "--format", "json"}, results_json},
        {{"show-task", "2"}, "username: admin\npassword: {}\nsecret-key: {}\n"},
        {{"show-task", "2", "--format", "json"}, results_json},
        {{"config", "leaky"}, config_yaml},
        {{"config", "leaky", "--format", "json"}, config_json},
        {{"debug-log", "--replay", "--no-tail"}, log},
    };
    std::map<std::vector<std::string>, std::string> outputs;
    for (const auto& [args, text] : commands)
        outputs[args] = fill(text, canaries_.make(args[0], 2));
    // One sensitive option asked for alone: juju prints the bare value.
    outputs[{"config", "leaky", "admin-password"}] = canaries_.make("config_one") + "\n";

    TempDir cassettes;
    const fs::path cassette = cassettes.path() / "outputs.json";
    {
        auto recorder = std::make_shared<Recorder>(
            cassette, RecorderOptions{.mode = RecordMode::all,
                                      .inner = std::make_shared<PrintingBackend>(outputs)});
        for (const auto& [args, text] : outputs) {
            SCOPED_TRACE(fmt::format("{}", fmt::join(args, " ")));
            // The test itself gets the real output...
            EXPECT_EQ(recorder->run(CliRequest{.args = args}).stdout_text, text);
            // ...and the journal (the cassette so far) none of it.
            canaries_.expect_absent("journal", read_file(cassette::journal_path(cassette)));
        }
        recorder->finish();
    }
    const std::string recorded = read_file(cassette);
    canaries_.expect_absent("cassette", recorded);
    canaries_.expect_absent_in_tree("cassette dir", cassettes.path());
    // What is not secret survives, and lint finds nothing left.
    EXPECT_THAT(recorded, HasSubstr("username: admin"));
    EXPECT_THAT(recorded, HasSubstr(sum));
    EXPECT_THAT(recorded, HasSubstr("secret:d0vdtqnmp25c762e7jug"));
    EXPECT_THAT(cassette::lint(cassette::Cassette::load(cassette)), ::testing::IsEmpty());
}

// ---- documented exceptions -------------------------------------------------------------------

TEST_F(CanaryLeakTest, ConfigValuesDoTravelInArgvLogsAndCassettes) {
    // config_set() follows Jubilant: values are argv (`key=value`), because juju has no file
    // form for them. So they are visible to other local users, logged and recorded. This is why
    // secrets belong in add_secret(), never in charm config.
    StubJuju stub;
    TempDir temp;
    TempDir cassettes;
    const fs::path cassette = cassettes.path() / "config.json";
    const std::string canary = canaries_.make_visible("config_set");
    {
        LogCapture logs(spdlog::level::debug);
        auto recorder = std::make_shared<Recorder>(
            cassette, RecorderOptions{.mode = RecordMode::all,
                                      .inner = subprocess_backend(stub.path(), temp.path())});
        auto spy = std::make_shared<SpyBackend>(recorder);
        Juju juju(spy, {.model = model_name, .cli_binary = stub.path().string()});
        juju.config_set(app_name, {{"admin-email", canary}});
        recorder->finish();
        ASSERT_EQ(spy->requests().size(), 1U);
        EXPECT_THAT(spy->requests()[0].args, ::testing::Contains("admin-email=" + canary));
        EXPECT_TRUE(spy->requests()[0].temp_files.empty());
        EXPECT_THAT(logs.text(), HasSubstr(canary));
    }
    EXPECT_THAT(stub.side_file("argv"), HasSubstr("admin-email=" + canary));
    EXPECT_THAT(read_file(cassette), HasSubstr("admin-email=" + canary));
}

TEST_F(CanaryLeakTest, FakeStateDatabaseHoldsSecretsInClear) {
    // The fake Juju keeps what a controller would, secret content and credentials included, in
    // clear in <data dir>/state.db: treat a data dir like JUJU_DATA (it is 0700, the db 0600).
    FakeJujuBinary fake;
    LogCapture logs(spdlog::level::debug);
    Juju juju(fake.backend(), {.cli_binary = JUBILANT_FAKE_JUJU});
    juju.add_model(model_name);
    const std::string secret = canaries_.make_visible("state_db_secret");
    const std::vector<std::string> credential = {canaries_.make_visible("state_db_credential"),
                                                 canaries_.make_visible("state_db_credential")};
    juju.add_secret(secret_name, {{"password", secret}});
    juju.add_credential("localhost", credential_doc("localhost", credential), {.client = true});
    const fs::path db = fake.data_dir() / "state.db";
    const std::string bytes = read_file(db);
    EXPECT_THAT(bytes, HasSubstr(secret));
    EXPECT_THAT(bytes, HasSubstr(credential[0]));
    EXPECT_EQ(mode_of(fake.data_dir()), 0700U);
    EXPECT_EQ(mode_of(db), 0600U);
    EXPECT_TRUE(dir_is_empty(fake.temp_dir()));
    // Only the database has them.
    for (const auto& c : {secret, credential[0], credential[1]}) {
        EXPECT_THAT(logs.text(), Not(HasSubstr(c)));
    }
}
