#include <jubilant/backend.hpp>

#include <fmt/format.h>

#include <jubilant/errors.hpp>

namespace jubilant {

std::string temp_file_placeholder(std::string_view name) { return fmt::format("{{tmp:{}}}", name); }

std::vector<std::string> substitute_temp_paths(const std::vector<std::string>& args,
                                               const std::map<std::string, std::string>& paths) {
    static constexpr std::string_view open = "{tmp:";
    std::vector<std::string> out;
    out.reserve(args.size());
    for (const auto& arg : args) {
        std::string result;
        std::size_t pos = 0;
        while (true) {
            const auto start = arg.find(open, pos);
            if (start == std::string::npos) break;
            const auto end = arg.find('}', start + open.size());
            if (end == std::string::npos) break;
            const auto name = arg.substr(start + open.size(), end - start - open.size());
            const auto it = paths.find(name);
            if (it == paths.end()) {
                throw BackendError(fmt::format(
                    "argument refers to temp file '{}', but the request has no temp file of "
                    "that name",
                    name));
            }
            result.append(arg, pos, start - pos);
            result += it->second;
            pos = end + 1;
        }
        result.append(arg, pos);
        out.push_back(std::move(result));
    }
    return out;
}

}  // namespace jubilant
