// ssh and scp to units and machines.
//
// Nothing runs anywhere: an ssh command gets canned output (see remote_shell.hpp), and files
// scp copies to a target are kept in the state (state/remote_files.hpp), so a test can copy a
// file out that it copied in, or `cat` it with exec or ssh.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "commands/remote_shell.hpp"
#include "commands/targets.hpp"
#include "private_files.hpp"
#include "state/model_state.hpp"
#include "state/remote_files.hpp"
#include "state/ssh_keys.hpp"

namespace jubilant::fake {
namespace {

namespace fs = std::filesystem;

// Skips OpenSSH/scp client options at the front of `args` ("-i key", "-o opt", "-p22", "-t");
// `with_value` lists the option letters that take a value.
std::size_t skip_client_options(const std::vector<std::string>& args, std::size_t first,
                                std::string_view with_value) {
    std::size_t i = first;
    while (i < args.size()) {
        const std::string& arg = args[i];
        if (arg == "--") return i + 1;
        if (arg.size() < 2 || arg[0] != '-') break;
        ++i;
        for (std::size_t c = 1; c < arg.size(); ++c) {
            if (with_value.find(arg[c]) == std::string_view::npos) continue;
            if (c + 1 == arg.size()) ++i;  // the value is the next argument
            break;
        }
    }
    return std::min(i, args.size());
}

void cmd_ssh(Context& ctx) {
    require_positionals(ctx, 1, 100000, "no target name specified");
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const auto& p = ctx.args.positionals();
    const Target target = resolve_target(ctx, state, p[0], ctx.args.value("container"));
    if (ctx.juju4() && !model_has_ssh_keys(ctx, model)) {
        // Juju 4 no longer puts the client's key into a new model: until a key is added, the
        // machine refuses the connection, as ssh reports it (exit status 255).
        ctx.err += "Permission denied (publickey).\n";
        ctx.returncode = 255;
        return;
    }
    const std::size_t first = skip_client_options(p, 1, "BbcDEeFIiJLlmOopQRSWw");
    if (first >= p.size()) {
        throw CommandError(
            "fake-juju cannot open an interactive ssh session: give a command "
            "to run");
    }
    const CommandResult r = run_canned(
        ctx, model, target, std::vector<std::string>(p.begin() + static_cast<long>(first), p.end()),
        ctx.stdin_text);
    if (r.code != 0) {
        // ssh passes the remote exit status through; the engine can only exit 1 with it.
        throw CommandError(fmt::format("{}exit status {}", r.err, r.code));
    }
    ctx.out += r.out;
    ctx.err += r.err;
}

struct ScpSide {
    bool remote = false;
    std::string target{};
    std::string path{};
};

ScpSide scp_side(const std::string& arg) {
    const auto colon = arg.find(':');
    if (colon == std::string::npos) return {.remote = false, .target = {}, .path = arg};
    return {.remote = true, .target = arg.substr(0, colon), .path = arg.substr(colon + 1)};
}

std::string base_name(const std::string& path) {
    std::string trimmed = path;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
    const auto slash = trimmed.find_last_of('/');
    return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

// Writes `content` to a local file, created or truncated with mode 0600.
void write_local_file(const std::string& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw CommandError(fmt::format("scp: {}: {}", path, std::strerror(errno)));
    }
    ::fchmod(fd, 0600);
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            throw CommandError(fmt::format("scp: {}: {}", path, std::strerror(saved)));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0)
        throw CommandError(fmt::format("scp: {}: {}", path, std::strerror(errno)));
}

// Whether the client options before `first` include the single-letter option `letter`
// (scp's -r, given alone or in a cluster such as -rp).
bool has_client_option(const std::vector<std::string>& args, std::size_t first, char letter) {
    for (std::size_t i = 0; i < first && i < args.size(); ++i) {
        if (args[i].size() > 1 && args[i][0] == '-' && args[i][1] != '-' &&
            args[i].find(letter) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string read_local_file(Context& ctx, const std::string& path) {
    std::optional<std::string> content;
    try {
        content = ctx.read_file(path);
    } catch (const std::runtime_error& e) {
        throw CommandError(fmt::format("scp: {}", e.what()));
    }
    if (!content) throw CommandError(fmt::format("scp: {}: No such file or directory", path));
    return std::move(*content);
}

void cmd_scp(Context& ctx) {
    const auto& p = ctx.args.positionals();
    const std::size_t first = skip_client_options(p, 0, "cDFiJloPSX");
    const bool recursive = has_client_option(p, first, 'r');
    const std::vector<std::string> paths(p.begin() + static_cast<long>(first), p.end());
    if (paths.size() < 2) {
        throw UsageError(ctx.command, "at least two arguments required");
    }
    if (paths.size() > 2) {
        throw UsageError(ctx.command, "fake-juju scp copies one source to one destination");
    }
    const ScpSide source = scp_side(paths[0]);
    const ScpSide destination = scp_side(paths[1]);
    if (source.remote == destination.remote) {
        throw CommandError(source.remote ? "fake-juju scp cannot copy between two remote targets"
                                         : "one of the arguments must be a remote path in the form "
                                           "<target>:<path>");
    }
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const std::optional<std::string> container = ctx.args.value("container");
    if (destination.remote) {
        const Target target = resolve_target(ctx, state, destination.target, container);
        std::string path = remote_path(destination.path);
        std::error_code ec;
        if (fs::is_directory(source.path, ec)) {
            // scp's own refusal, passed through as juju passes scp's output.
            if (!recursive)
                throw CommandError(fmt::format("scp: {}: not a regular file", source.path));
            // Into an existing remote directory the source keeps its name; otherwise the
            // destination names the copy.
            if (destination.path.empty() || path == "/home/ubuntu" ||
                !remote_directory(ctx, model, target.files_key, path).empty()) {
                path = (path.ends_with("/") ? path : path + "/") + base_name(source.path);
            }
            // Bounded, so a directory such as / fails fast rather than being walked whole.
            constexpr std::size_t max_files = 10000;
            std::vector<fs::path> files;
            for (auto it = fs::recursive_directory_iterator(source.path, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (it->is_regular_file(ec)) files.push_back(it->path());
                if (files.size() > max_files) {
                    throw CommandError(fmt::format("scp: {}: fake-juju copies at most {} files",
                                                   source.path, max_files));
                }
            }
            if (ec) throw CommandError(fmt::format("scp: {}: {}", source.path, ec.message()));
            std::sort(files.begin(), files.end());
            for (const fs::path& file : files) {
                const std::string relative = file.lexically_relative(source.path).generic_string();
                store_remote_file(ctx, model, target.files_key, path + "/" + relative,
                                  read_local_file(ctx, file.string()));
            }
            return;
        }
        const std::string content = read_local_file(ctx, source.path);
        if (destination.path.empty() || destination.path.ends_with("/")) {
            if (!path.ends_with("/")) path += "/";
            path += base_name(source.path);
        }
        store_remote_file(ctx, model, target.files_key, path, content);
        return;
    }
    const Target target = resolve_target(ctx, state, source.target, container);
    const std::string path = remote_path(source.path);
    const std::optional<std::string> content = remote_file(ctx, model, target.files_key, path);
    std::string local = destination.path;
    std::error_code ec;
    if (!content) {
        const auto files = remote_directory(ctx, model, target.files_key, path);
        if (files.empty())
            throw CommandError(fmt::format("scp: {}: No such file or directory", source.path));
        if (!recursive) throw CommandError(fmt::format("scp: {}: not a regular file", source.path));
        if (fs::is_directory(local, ec)) local = (fs::path(local) / base_name(path)).string();
        try {
            for (const auto& [relative, data] : files) {
                // A remote path spelt with ".." (scp stores what it was given) must not write
                // outside the local copy.
                const fs::path inside = fs::path(relative).lexically_normal();
                if (inside.empty() || inside.is_absolute() || *inside.begin() == "..") {
                    throw CommandError(fmt::format("scp: {}: refusing to write outside {}",
                                                   path + "/" + relative, local));
                }
                const fs::path file = fs::path(local) / inside;
                files::create_private_directories(file.parent_path());
                write_local_file(file.string(), data);
            }
        } catch (const files::FileError& e) {
            throw CommandError(fmt::format("scp: {}", e.what()));
        }
        return;
    }
    if (fs::is_directory(local, ec)) local = (fs::path(local) / base_name(path)).string();
    write_local_file(local, *content);
}

}  // namespace

std::vector<CommandDef> ssh_commands() {
    return {
        {.name = "scp",
         .spec = {.flags = {value({"--container"}), boolean({"--no-host-key-checks"}),
                            boolean({"--proxy"})}},
         .run = cmd_scp},
        {.name = "ssh",
         .spec = {.flags = {value({"--container"}), boolean({"--no-host-key-checks"}),
                            boolean({"--proxy"}), boolean({"--pty"})},
                  .stop_after_positionals = 1},
         .run = cmd_ssh},
    };
}

}  // namespace jubilant::fake
