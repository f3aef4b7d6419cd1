// Cassette writes under faults: a full disk at every point of a recording, a read-only cassette
// directory, and SIGKILL at random points. The promise under test: a clear BackendError naming
// the cassette, and no recorded interaction lost or invented.
//
// Faults are injected in process. This executable defines write(), open(), mkostemp(),
// mkdir() and rename(); an executable's definitions come first in symbol lookup, so the calls
// libjubilant.so and libstdc++ make go through them. Each forwards to the next definition (libc,
// or a sanitizer's interceptor) unless a fault is armed for a path under the test's directory.
// (Running as root, chmod cannot make a directory unwritable, and CI may not allow mounts.)
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/recorder.hpp>

#include "support/stub_executable.hpp"

namespace fs = std::filesystem;
namespace jc = jubilant::cassette;
using jubilant::BackendError;
using jubilant::CliRequest;
using jubilant::CliResult;
using jubilant::Recorder;
using jubilant::RecordMode;
using jubilant::test::mode_of;
using jubilant::test::read_file;
using jubilant::test::TempDir;
using ::testing::HasSubstr;

// ---------------------------------------------------------------------------------------------
// Fault injection

namespace {

enum class Fault { none, disk_full, read_only };

struct Injector {
    Fault fault = Fault::none;
    std::string prefix;               // only paths under this directory are affected
    std::int64_t budget = 0;          // disk_full: bytes that may still be written there
    std::atomic<int> faults_hit = 0;  // calls that failed because of the fault
};

Injector& injector() {
    static Injector instance;
    return instance;
}

template <class Fn>
Fn real(const char* name) {
    return reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, name));
}

bool under_prefix(std::string_view path) {
    const auto& prefix = injector().prefix;
    return injector().fault != Fault::none && !prefix.empty() && path.starts_with(prefix);
}

bool fd_under_prefix(int fd) {
    if (injector().fault == Fault::none) return false;
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[4096];
    const ssize_t n = ::readlink(link, target, sizeof target);
    return n > 0 && under_prefix(std::string_view(target, static_cast<std::size_t>(n)));
}

int fail(int err) {
    ++injector().faults_hit;
    errno = err;
    return -1;
}

/// Arms a fault for paths under `dir` for the lifetime of the scope.
class ScopedFault {
public:
    ScopedFault(Fault fault, const fs::path& dir, std::int64_t budget = 0) {
        injector().prefix = dir.string() + "/";
        injector().budget = budget;
        injector().faults_hit = 0;
        injector().fault = fault;
    }
    ~ScopedFault() { injector().fault = Fault::none; }
    ScopedFault(const ScopedFault&) = delete;
    ScopedFault& operator=(const ScopedFault&) = delete;
};

}  // namespace

extern "C" {

ssize_t write(int fd, const void* data, size_t size) {
    static const auto next = real<ssize_t (*)(int, const void*, size_t)>("write");
    if (injector().fault == Fault::none || !fd_under_prefix(fd)) return next(fd, data, size);
    if (injector().fault == Fault::read_only) return fail(EROFS);
    // A full disk takes what fits, then refuses: the partial write is what corrupts files.
    const auto room = std::max<std::int64_t>(injector().budget, 0);
    if (room == 0) return fail(ENOSPC);
    const auto n = std::min<std::int64_t>(room, static_cast<std::int64_t>(size));
    const ssize_t written = next(fd, data, static_cast<size_t>(n));
    if (written > 0) injector().budget -= written;
    return written;
}

int open(const char* path, int flags, ...) {
    static const auto next = real<int (*)(const char*, int, ...)>("open");
    mode_t mode = 0;
    if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
        va_list args;
        va_start(args, flags);
        mode = static_cast<mode_t>(va_arg(args, int));
        va_end(args);
    }
    const bool writes = (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
    if (writes && injector().fault == Fault::read_only && under_prefix(path)) return fail(EROFS);
    return next(path, flags, mode);
}

int mkostemp(char* path_template, int flags) {
    static const auto next = real<int (*)(char*, int)>("mkostemp");
    if (under_prefix(path_template)) {
        if (injector().fault == Fault::read_only) return fail(EROFS);
    }
    return next(path_template, flags);
}

int mkdir(const char* path, mode_t mode) noexcept {
    static const auto next = real<int (*)(const char*, mode_t)>("mkdir");
    if (injector().fault == Fault::read_only && under_prefix(path)) return fail(EROFS);
    return next(path, mode);
}

int rename(const char* from, const char* to) noexcept {
    static const auto next = real<int (*)(const char*, const char*)>("rename");
    if (injector().fault == Fault::read_only && under_prefix(to)) return fail(EROFS);
    return next(from, to);
}

}  // extern "C"

// ---------------------------------------------------------------------------------------------
// Helpers

namespace {

/// Answers every command at once, and counts what it was asked to run.
class CountingBackend : public jubilant::CliBackend {
public:
    CliResult run(const CliRequest& request) override {
        ++calls;
        return {.returncode = 0,
                .stdout_text = "out of " + request.args.at(0) + "\n",
                .stderr_text = ""};
    }
    std::string name() const override { return "counting"; }
    int calls = 0;
};

CliRequest request(std::string command) { return {.args = {std::move(command), "--x"}}; }

std::vector<std::string> commands_of(const jc::Cassette& cassette) {
    std::vector<std::string> out;
    for (const auto& interaction : cassette.interactions) out.push_back(interaction.args.at(0));
    return out;
}

/// A cassette of `n` interactions "old-0"... recorded without faults.
fs::path record_original(const fs::path& dir, int n) {
    const fs::path path = dir / "c.json";
    auto inner = std::make_shared<CountingBackend>();
    Recorder recorder(path, {.mode = RecordMode::all, .inner = inner});
    for (int i = 0; i < n; ++i) recorder.run(request("old-" + std::to_string(i)));
    recorder.finish();
    return path;
}

std::vector<fs::path> leftover_temp_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().filename().string().find(".tmp-") != std::string::npos) {
            out.push_back(entry.path());
        }
    }
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Disk full

TEST(CassetteFaults, InjectorReallyFailsWrites) {
    // Guards the rest of this file: if interposition stopped working, the fault tests below
    // would pass without testing anything.
    TempDir dir;
    ScopedFault full(Fault::disk_full, dir.path(), 0);
    EXPECT_THROW(jc::Cassette{}.save(dir.path() / "x.json"), jubilant::Error);
    EXPECT_GT(injector().faults_hit.load(), 0);
    EXPECT_FALSE(fs::exists(dir.path() / "x.json"));
}

TEST(CassetteFaults, DiskFullAtEveryPointLosesNothingRecordedBefore) {
    // Appending 4 new interactions to a cassette of 3 (mode new_episodes), with the disk full
    // after a growing number of bytes: every write the recording makes (journal base line,
    // each appended line, the final cassette) is cut short at some budget.
    const std::vector<std::string> fresh = {"new-0", "new-1", "new-2", "new-3"};
    int trials = 0;
    int failed_trials = 0;
    std::int64_t full_size = 0;
    for (std::int64_t budget = 0;; budget = budget < 64 ? budget + 16 : budget * 3 / 2) {
        SCOPED_TRACE("disk full after " + std::to_string(budget) + " bytes");
        TempDir dir;
        const fs::path path = record_original(dir.path(), 3);
        const std::string original = read_file(path);
        ++trials;

        auto inner = std::make_shared<CountingBackend>();
        int succeeded = 0;
        std::vector<std::string> errors;
        {
            ScopedFault full(Fault::disk_full, dir.path(), budget);
            Recorder recorder(path, {.mode = RecordMode::new_episodes, .inner = inner});
            for (const auto& command : fresh) {
                try {
                    recorder.run(request(command));
                    ++succeeded;
                } catch (const BackendError& e) {
                    errors.emplace_back(e.what());
                }
            }
            try {
                recorder.finish();
            } catch (const BackendError& e) {
                errors.emplace_back(e.what());
            }
            if (errors.empty()) full_size = budget;
        }
        for (const auto& message : errors) {
            EXPECT_THAT(message, HasSubstr("cannot record cassette '" + path.string() + "'"));
            EXPECT_THAT(message, HasSubstr("No space left on device"));
        }
        if (!errors.empty()) {
            ++failed_trials;
            // Until the recording is saved whole, the cassette file is the one from before.
            EXPECT_EQ(read_file(path), original);
        }
        EXPECT_EQ(mode_of(path), 0600U);
        if (fs::exists(jc::journal_path(path))) {
            EXPECT_EQ(mode_of(jc::journal_path(path)), 0600U);
        }
        EXPECT_THAT(leftover_temp_files(dir.path()), ::testing::IsEmpty());

        // Loading (which folds a journal left behind) gives the old interactions, then exactly
        // the new ones whose run() returned: nothing lost, nothing invented.
        const auto loaded = jc::Cassette::load(path);
        std::vector<std::string> expected = {"old-0", "old-1", "old-2"};
        expected.insert(expected.end(), fresh.begin(), fresh.begin() + succeeded);
        EXPECT_EQ(commands_of(loaded), expected) << "after " << succeeded << " good runs";
        // A command runs only once its interaction can be journaled; one whose result then
        // could not be written says so.
        const auto ran_unrecorded = std::count_if(errors.begin(), errors.end(), [](const auto& m) {
            return m.find("the command ran but is not in the cassette") != std::string::npos;
        });
        EXPECT_EQ(inner->calls, succeeded + ran_unrecorded);
        if (errors.empty()) break;  // the disk was large enough for the whole recording
        ASSERT_LT(trials, 200) << "the recording never fit";
    }
    RecordProperty("trials", trials);
    RecordProperty("trials_with_disk_full_error", failed_trials);
    std::printf(
        "disk-full sweep: %d trials, %d ended in a clear error, the rest fit in %lld "
        "bytes\n",
        trials, failed_trials, static_cast<long long>(full_size));
    EXPECT_GE(failed_trials, 10);
}

// ---------------------------------------------------------------------------------------------
// Read-only directory

TEST(CassetteFaults, ReadOnlyDirectoryRefusesToRecordBeforeRunning) {
    TempDir dir;
    const fs::path path = dir.path() / "sub" / "new.json";
    auto inner = std::make_shared<CountingBackend>();
    ScopedFault read_only(Fault::read_only, dir.path());
    Recorder recorder(path, {.mode = RecordMode::all, .inner = inner});
    try {
        recorder.run(request("status"));
        FAIL() << "recorded into a read-only directory";
    } catch (const BackendError& e) {
        EXPECT_THAT(e.what(), HasSubstr("cannot record cassette '" + path.string() +
                                        "' (the command was not run)"));
        EXPECT_THAT(e.what(), HasSubstr("Read-only file system"));
    }
    EXPECT_EQ(inner->calls, 0);  // never run a command whose result could not be kept
    EXPECT_GT(injector().faults_hit.load(), 0);
    EXPECT_FALSE(fs::exists(dir.path() / "sub"));
}

TEST(CassetteFaults, ReadOnlyDirectoryStillReplaysAndKeepsTheCassette) {
    TempDir dir;
    const fs::path path = record_original(dir.path(), 2);
    const std::string original = read_file(path);
    auto inner = std::make_shared<CountingBackend>();
    ScopedFault read_only(Fault::read_only, dir.path());
    {
        // Replay needs no write access.
        Recorder replay(path, {.mode = RecordMode::once, .inner = inner});
        EXPECT_EQ(replay.run(request("old-0")).stdout_text, "out of old-0\n");
        EXPECT_EQ(replay.run(request("old-1")).stdout_text, "out of old-1\n");
        replay.finish();
    }
    {
        // Adding to it fails before running, and leaves it as it was.
        Recorder more(path, {.mode = RecordMode::new_episodes, .inner = inner});
        EXPECT_THROW(more.run(request("new-0")), BackendError);
        more.finish();
    }
    EXPECT_EQ(inner->calls, 0);
    EXPECT_EQ(read_file(path), original);
    EXPECT_FALSE(fs::exists(jc::journal_path(path)));
}

TEST(CassetteFaults, ReRecordingThatNeverStartsKeepsTheOldCassette) {
    // Mode all replaces the cassette, but only with what was recorded: when the recording
    // cannot start (here the backend cannot be created; a full disk does the same), the
    // cassette that was there stays.
    TempDir dir;
    const fs::path path = record_original(dir.path(), 2);
    const std::string original = read_file(path);
    {
        const auto no_backend = []() -> std::shared_ptr<jubilant::CliBackend> {
            throw BackendError("juju is not installed");
        };
        Recorder recorder(path, {.mode = RecordMode::all, .make_inner = no_backend});
        EXPECT_THROW(recorder.run(request("new-0")), BackendError);
        recorder.finish();
    }
    EXPECT_EQ(read_file(path), original);

    // Asked for nothing at all, a re-recording is an empty cassette, as before.
    {
        Recorder recorder(path,
                          {.mode = RecordMode::all, .inner = std::make_shared<CountingBackend>()});
        recorder.finish();
    }
    EXPECT_TRUE(jc::Cassette::load(path).interactions.empty());
}

// ---------------------------------------------------------------------------------------------
// SIGKILL at random points

namespace {

// Sessions of 1 to 13 interactions "s<session>-<i>", each saved, over one cassette path (mode
// all), until killed.
[[noreturn]] void record_sessions_forever(const fs::path& path) {
    auto inner = std::make_shared<CountingBackend>();
    for (int session = 0;; ++session) {
        Recorder recorder(path, {.mode = RecordMode::all, .inner = inner});
        const int n = 1 + (session * 7) % 13;
        for (int i = 0; i < n; ++i) {
            recorder.run(request("s" + std::to_string(session) + "-" + std::to_string(i)));
        }
        recorder.finish();
    }
}

}  // namespace

TEST(CassetteFaults, SigkillAtRandomPointsLeavesLoadableCassettes) {
    constexpr int kTrials = 40;
    const std::uint32_t seed = std::random_device{}();
    std::printf("kill -9 trials: seed %u\n", seed);
    RecordProperty("seed", std::to_string(seed));
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> delay_us(0, 30000);
    int with_journal = 0;
    int without_file = 0;
    int with_temp_file = 0;
    for (int trial = 0; trial < kTrials; ++trial) {
        SCOPED_TRACE("trial " + std::to_string(trial) + ", seed " + std::to_string(seed));
        TempDir dir;
        const fs::path path = dir.path() / "killed.json";
        const int delay = delay_us(random);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            try {
                record_sessions_forever(path);
            } catch (...) {
                ::_exit(3);
            }
        }
        std::this_thread::sleep_for(std::chrono::microseconds(delay));
        ::kill(child, SIGKILL);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the recorder exited by itself: " << status;

        if (!fs::exists(path) && !fs::exists(jc::journal_path(path))) {
            ++without_file;  // killed before its first journal line
            continue;
        }
        const bool journal = fs::exists(jc::journal_path(path));
        with_journal += journal ? 1 : 0;
        with_temp_file += leftover_temp_files(dir.path()).empty() ? 0 : 1;

        jc::Cassette loaded;
        ASSERT_NO_THROW(loaded = jc::Cassette::load(path));
        // One session's interactions, in order, from its first: a prefix of what it ran, and
        // all of it when no journal was left (the session had been saved whole).
        const auto commands = commands_of(loaded);
        if (commands.empty()) {
            EXPECT_TRUE(journal);
            continue;
        }
        const std::string session = commands[0].substr(0, commands[0].find('-'));
        for (std::size_t i = 0; i < commands.size(); ++i) {
            EXPECT_EQ(commands[i], session + "-" + std::to_string(i));
        }
        const int number = std::stoi(session.substr(1));
        if (!journal) {
            EXPECT_EQ(commands.size(), static_cast<std::size_t>(1 + (number * 7) % 13));
        }
        EXPECT_EQ(mode_of(path), 0600U);
    }
    RecordProperty("trials", kTrials);
    RecordProperty("killed_mid_session", with_journal);
    RecordProperty("killed_before_first_write", without_file);
    RecordProperty("left_a_temp_file", with_temp_file);
    std::printf(
        "kill -9 trials: %d, killed mid-session (journal left) %d, before the first "
        "write %d, during a save (temp file left) %d; every cassette loaded\n",
        kTrials, with_journal, without_file, with_temp_file);
}
