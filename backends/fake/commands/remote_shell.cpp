#include "commands/remote_shell.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "state/remote_files.hpp"
#include "support/shell_words.hpp"

namespace jubilant::fake {

// Relative remote paths are under the default user's home, as scp resolves them.
std::string remote_path(const std::string& path) {
    if (path.empty()) return "/home/ubuntu";
    if (path.starts_with("/")) return path;
    if (path == "~") return "/home/ubuntu";
    if (path.starts_with("~/")) return "/home/ubuntu/" + path.substr(2);
    return "/home/ubuntu/" + path;
}

CommandResult run_canned(Context& ctx, const ModelRow& model, const Target& target,
                         const std::vector<std::string>& command, std::string_view input) {
    const std::vector<std::string> words = shell_words(join(command, " "));
    CommandResult result;
    if (words.empty()) return result;
    const std::string& program = words[0];
    if (program == "echo") {
        std::size_t first = 1;
        const bool newline = !(words.size() > 1 && words[1] == "-n");
        if (!newline) first = 2;
        result.out =
            join(std::vector<std::string>(
                     words.begin() + static_cast<long>(std::min(first, words.size())), words.end()),
                 " ");
        if (newline) result.out += "\n";
    } else if (program == "hostname") {
        result.out = target.hostname + "\n";
    } else if (program == "false") {
        result.code = 1;
    } else if (program == "exit") {
        if (words.size() > 1) {
            try {
                std::size_t used = 0;
                result.code = std::stoi(words[1], &used) & 0xff;
                if (used != words[1].size()) throw std::invalid_argument(words[1]);
            } catch (const std::logic_error&) {
                result.code = 2;
                result.err = fmt::format("sh: 1: exit: Illegal number: {}\n", words[1]);
            }
        }
    } else if (program == "sleep") {
        // sleep's arguments add up; each a number of seconds, or with an s/m/h/d suffix.
        for (std::size_t i = 1; i < words.size(); ++i) {
            std::string text = words[i];
            double factor = 1000;
            if (!text.empty() &&
                std::string_view("smhd").find(text.back()) != std::string_view::npos) {
                factor = text.back() == 's'   ? 1e3
                         : text.back() == 'm' ? 6e4
                         : text.back() == 'h' ? 3.6e6
                                              : 8.64e7;
                text.pop_back();
            }
            try {
                std::size_t used = 0;
                const double n = std::stod(text, &used);
                if (used != text.size() || !std::isfinite(n) || n < 0)
                    throw std::invalid_argument(text);
                // A century at most, so the sum and the cast stay defined.
                result.duration_ms += static_cast<std::int64_t>(std::min(n * factor, 3.2e12));
            } catch (const std::logic_error&) {
                result.code = 1;
                result.err = fmt::format("sleep: invalid time interval '{}'\n", words[i]);
                result.duration_ms = 0;
                break;
            }
        }
    } else if (program == "cat") {
        if (words.size() == 1) result.out = input;
        for (std::size_t i = 1; i < words.size(); ++i) {
            if (auto content = remote_file(ctx, model, target.files_key, remote_path(words[i]))) {
                result.out += *content;
            } else {
                result.err += fmt::format("cat: {}: No such file or directory\n", words[i]);
                result.code = 1;
            }
        }
    }
    return result;
}

}  // namespace jubilant::fake
