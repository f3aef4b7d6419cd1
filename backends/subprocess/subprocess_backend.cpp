// The `subprocess` backend: runs the real juju binary (or anything standing in for it) with
// Boost.Process v2. Never a shell: argv goes straight to execve.
#include <fcntl.h>
#include <spawn.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <utility>
#include <optional>
#include <set>
#include <string>
#include <vector>

// Boost 1.81's Process v2 headers use boost::optional and boost type traits unqualified without
// including them (visible with BOOST_PROCESS_USE_STD_FS); include them first.
#include <type_traits>
#include <boost/optional.hpp>
#include <boost/type_traits.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/writable_pipe.hpp>
#include <boost/asio/write.hpp>
#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/process.hpp>
#include <fmt/format.h>

#include <jubilant/errors.hpp>
#include <jubilant/plugin.hpp>

#include "message_text.hpp"
#include "private_files.hpp"

namespace jubilant {
namespace {

namespace asio = boost::asio;
namespace bp = boost::process::v2;
namespace fs = std::filesystem;

constexpr std::size_t default_max_output = std::size_t{1} << 30;  // 1 GiB per stream
constexpr std::size_t read_chunk = std::size_t{64} << 10;

// A pipe whose ends close themselves unless released to their new owner.
class Pipe {
public:
    Pipe() {
        if (::pipe2(fds_, O_CLOEXEC) != 0) {
            throw BackendError(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
        }
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    ~Pipe() {
        close_read();
        close_write();
    }
    int read_end() const { return fds_[0]; }
    int write_end() const { return fds_[1]; }
    int release_read() { return std::exchange(fds_[0], -1); }
    int release_write() { return std::exchange(fds_[1], -1); }
    void close_read() { close_fd(fds_[0]); }
    void close_write() { close_fd(fds_[1]); }

private:
    static void close_fd(int& fd) {
        if (fd >= 0) ::close(std::exchange(fd, -1));
    }
    int fds_[2] = {-1, -1};
};

// Starts the child with posix_spawn, which glibc implements with vfork semantics: about the
// cost of a raw spawn, where Boost.Process's default launcher pays for a full fork(). The
// resulting pid is adopted by a Boost.Process v2 `process`, which waits on it through a pidfd.
//
// The child gets its own process group, so a timeout can kill everything the command started
// (a script's children included); default SIGPIPE handling and an empty signal mask, because
// ignored dispositions and blocked masks survive exec; and no descriptors beyond 0, 1 and 2.
pid_t spawn_child(const fs::path& executable, const std::vector<std::string>& args, int stdin_fd,
                  int stdout_fd, int stderr_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    if (stdin_fd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
    } else {
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

    sigset_t defaults, empty;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<char*> argv;
    argv.reserve(args.size() + 2);
    argv.push_back(const_cast<char*>(executable.c_str()));
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, executable.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        throw BackendError(fmt::format("cannot start juju binary '{}': {}",
                                       cut_for_message(executable.string()), std::strerror(rc)));
    }
    return pid;
}

bool valid_temp_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        if (!ok) return false;
    }
    return name != "." && name != "..";
}

// Creates a request's temp files (0600, O_EXCL) and removes them when it goes out of scope,
// however the call ends: success, CLI failure, timeout or exception.
class TempFileSet {
public:
    TempFileSet(const std::vector<TempFile>& files, const fs::path& dir) {
        validate(files);
        // A constructor that throws never runs its destructor: clean up by hand.
        try {
            for (const auto& file : files) create(file, dir);
        } catch (...) {
            remove_all();
            throw;
        }
    }
    TempFileSet(const TempFileSet&) = delete;
    TempFileSet& operator=(const TempFileSet&) = delete;
    ~TempFileSet() { remove_all(); }

    const std::map<std::string, std::string>& paths() const { return paths_; }

private:
    // Every name is checked before any file exists, so a bad request leaves nothing behind.
    static void validate(const std::vector<TempFile>& files) {
        std::set<std::string_view> seen;
        for (const auto& file : files) {
            if (!valid_temp_name(file.name)) {
                throw BackendError(fmt::format(
                    "temp file name '{}' is not allowed: use 1 to 64 letters, digits, '.', '-' "
                    "or '_'",
                    file.name));
            }
            if (!seen.insert(file.name).second) {
                throw BackendError(
                    fmt::format("the request has two temp files named '{}'", file.name));
            }
        }
    }

    void create(const TempFile& file, const fs::path& dir) {
        std::string path = (dir / ("jubilant-XXXXXX-" + file.name)).string();
        const int suffix = static_cast<int>(file.name.size() + 1);
        const int fd = ::mkostemps(path.data(), suffix, O_CLOEXEC);  // mode 0600
        if (fd < 0) {
            throw BackendError(fmt::format("cannot create temp file in '{}': {}", dir.string(),
                                           std::strerror(errno)));
        }
        created_.push_back(path);
        paths_.emplace(file.name, path);
        write_all(fd, file.content, path);
    }

    void remove_all() noexcept {
        for (const auto& path : created_) ::unlink(path.c_str());
        created_.clear();
    }

    static void write_all(int fd, const std::string& content, const std::string& path) {
        std::size_t done = 0;
        while (done < content.size()) {
            const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                const int err = errno;
                ::close(fd);
                throw BackendError(
                    fmt::format("cannot write temp file '{}': {}", path, std::strerror(err)));
            }
            done += static_cast<std::size_t>(n);
        }
        if (::close(fd) != 0) {
            throw BackendError(
                fmt::format("cannot write temp file '{}': {}", path, std::strerror(errno)));
        }
    }

    std::vector<std::string> created_;
    std::map<std::string, std::string> paths_;
};

// Reads one pipe to EOF into `sink`, a chunk at a time, so stdout and stderr drain
// concurrently and neither can fill up and block the child.
class PipeDrain {
public:
    PipeDrain(asio::readable_pipe& pipe, std::string& sink, std::size_t limit, bool& overflow,
              std::function<void()> on_overflow, std::function<void()> on_done)
        : pipe_(pipe),
          sink_(sink),
          limit_(limit),
          overflow_(overflow),
          on_overflow_(std::move(on_overflow)),
          on_done_(std::move(on_done)) {}

    void start() {
        pipe_.async_read_some(asio::buffer(chunk_), [this](bp::error_code ec, std::size_t n) {
            if (n > 0) {
                if (sink_.size() + n > limit_) {
                    overflow_ = true;
                    on_overflow_();
                    on_done_();
                    return;
                }
                sink_.append(chunk_.data(), n);
            }
            if (!ec) {
                start();
            } else {
                on_done_();
            }
        });
    }

private:
    asio::readable_pipe& pipe_;
    std::string& sink_;
    std::size_t limit_;
    bool& overflow_;
    std::function<void()> on_overflow_;
    std::function<void()> on_done_;
    std::array<char, read_chunk> chunk_{};
};

class SubprocessBackend final : public CliBackend {
public:
    SubprocessBackend(std::string cli_binary, std::optional<fs::path> temp_dir,
                      std::size_t max_output)
        : cli_binary_(std::move(cli_binary)),
          temp_dir_(std::move(temp_dir)),
          max_output_(max_output) {
        // A child that exits without reading its stdin must not take the test process down
        // with SIGPIPE; children get the default disposition back in ChildSetup.
        struct sigaction current {};
        if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
            ::signal(SIGPIPE, SIG_IGN);
        }
    }

    std::string name() const override { return "subprocess"; }

    CliResult run(const CliRequest& request) override {
        const fs::path executable = resolve_executable();
        const fs::path temp_dir =
            request.temp_files.empty() ? fs::path() : temp_dir_for(executable);
        TempFileSet temp_files(request.temp_files, temp_dir);
        const auto args = substitute_temp_paths(request.args, temp_files.paths());
        return spawn(executable, args, request);
    }

private:
    fs::path resolve_executable() const {
        if (cli_binary_.find('/') != std::string::npos) {
            const fs::path path(cli_binary_);
            std::error_code ec;
            if (!fs::exists(path, ec)) {
                throw BackendError(
                    fmt::format("juju binary '{}' does not exist", cut_for_message(cli_binary_)));
            }
            if (fs::is_directory(path, ec) || ::access(path.c_str(), X_OK) != 0) {
                throw BackendError(fmt::format("juju binary '{}' is not an executable file",
                                               cut_for_message(cli_binary_)));
            }
            return path;
        }
        auto found = bp::environment::find_executable(cli_binary_);
        if (found.empty()) {
            const char* path_env = std::getenv("PATH");
            throw BackendError(fmt::format(
                "juju binary '{}' not found in PATH ({}); install juju (e.g. `snap install "
                "juju`) or set cli_binary to its path",
                cut_for_message(cli_binary_),
                path_env ? cut_for_message(path_env) : "PATH is not set"));
        }
        return found;
    }

    // A strictly confined juju snap cannot read the system temp dir, only its own common dir.
    fs::path temp_dir_for(const fs::path& executable) const {
        if (temp_dir_) return *temp_dir_;
        if (executable.string().find("/snap/") != std::string::npos) {
            const char* home = std::getenv("HOME");
            if (home && *home) {
                fs::path dir = fs::path(home) / "snap" / "juju" / "common";
                // Sensitive temp files go there: whatever part of it we create is 0700.
                try {
                    files::create_private_directories(dir);
                    return dir;
                } catch (const files::FileError&) {
                    // Fall back to the temp dir, as when HOME is unset.
                }
            }
        }
        return fs::temp_directory_path();
    }

    CliResult spawn(const fs::path& executable, const std::vector<std::string>& args,
                    const CliRequest& request) {
        std::optional<Pipe> in;
        if (request.stdin_text) in.emplace();
        Pipe out, err;
        const pid_t pid = spawn_child(executable, args, in ? in->read_end() : -1, out.write_end(),
                                      err.write_end());
        // The child holds its own copies now; ours must go or EOF never comes.
        if (in) in->close_read();
        out.close_write();
        err.close_write();

        // One reactor for the backend's lifetime: creating an epoll set per call is measurable
        // next to a ~1 ms spawn. Calls are sequential (see CliBackend), so restart() is safe.
        asio::io_context& ctx = ctx_;
        ctx.restart();
        bp::process proc(ctx.get_executor(), pid);
        asio::readable_pipe out_pipe(ctx, out.release_read());
        asio::readable_pipe err_pipe(ctx, err.release_read());
        asio::writable_pipe in_pipe(ctx);
        if (in) in_pipe.assign(in->release_write());
        const auto kill_group = [pid] { ::killpg(pid, SIGKILL); };

        CliResult result;
        bool timed_out = false;
        bool overflow = false;
        const auto on_overflow = [&] {
            kill_group();
            out_pipe.close();
            err_pipe.close();
        };
        // The process is waited for only once both pipes are drained: Boost.Process finishes
        // its wait with a blocking waitpid on this same thread, and a child blocked writing to
        // a full pipe would then never exit (seen with a 200-unit status under load).
        asio::steady_timer timer(ctx);
        bool exited = false;
        int drains_open = 2;
        const auto on_drained = [&] {
            if (--drains_open > 0) return;
            proc.async_wait([&](bp::error_code, int) {
                exited = true;
                timer.cancel();
            });
        };
        PipeDrain out_drain(out_pipe, result.stdout_text, max_output_, overflow, on_overflow,
                            on_drained);
        PipeDrain err_drain(err_pipe, result.stderr_text, max_output_, overflow, on_overflow,
                            on_drained);
        out_drain.start();
        err_drain.start();

        if (request.stdin_text) {
            // A child that exits without reading gets EPIPE here, which is not our error.
            asio::async_write(in_pipe, asio::buffer(*request.stdin_text),
                              [&in_pipe](bp::error_code, std::size_t) {
                                  bp::error_code ignored;
                                  in_pipe.close(ignored);
                              });
        }

        if (request.timeout) {
            timer.expires_after(*request.timeout);
            timer.async_wait([&](bp::error_code ec) {
                if (ec || exited) return;
                timed_out = true;
                kill_group();
                // A grandchild that left the group could hold the pipes open for ever.
                bp::error_code ignored;
                out_pipe.close(ignored);
                err_pipe.close(ignored);
                in_pipe.close(ignored);
            });
        }
        ctx.run();

        if (timed_out) {
            throw CLITimeoutError(with_binary(request.args), *request.timeout,
                                  std::move(result.stdout_text), std::move(result.stderr_text));
        }
        if (overflow) {
            throw BackendError(fmt::format(
                "juju command '{}' wrote more than {} bytes to stdout or stderr and was killed; "
                "raise the subprocess backend's max_output_bytes if this is expected",
                request.args.empty() ? std::string() : request.args.front(), max_output_));
        }
        const int status = proc.native_exit_code();
        // Like Python's subprocess: a death by signal N is return code -N.
        result.returncode = WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
        return result;
    }

    std::vector<std::string> with_binary(const std::vector<std::string>& args) const {
        std::vector<std::string> argv{cli_binary_};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }

    std::string cli_binary_;
    std::optional<fs::path> temp_dir_;
    std::size_t max_output_;
    asio::io_context ctx_{1};
};

std::unique_ptr<CliBackend> create(std::string_view config_json) {
    const auto config = PluginConfig::parse("subprocess", config_json);
    config.reject_unknown({"temp_dir", "max_output_bytes"});
    // "subprocess:/path/to/juju" names the binary in the spec itself.
    std::string binary = config.string("target").value_or(config.string("cli_binary").value_or(""));
    if (binary.empty()) binary = "juju";
    std::optional<fs::path> temp_dir;
    if (auto dir = config.string("temp_dir")) temp_dir = *dir;
    std::size_t max_output = default_max_output;
    if (auto limit = config.integer("max_output_bytes")) {
        if (*limit <= 0) {
            throw PluginError("subprocess: bad config: key \"max_output_bytes\" must be positive");
        }
        max_output = static_cast<std::size_t>(*limit);
    }
    return std::make_unique<SubprocessBackend>(std::move(binary), std::move(temp_dir), max_output);
}

}  // namespace
}  // namespace jubilant

JUBILANT_DEFINE_PLUGIN(jubilant::create)
