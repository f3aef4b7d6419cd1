// Fuzz target: the fake Juju's command line. The input is split on NUL bytes into command
// lines and on 0x01 into arguments; each command line runs against one fresh in-memory engine.
// Every command must end in a result (any exit code), never a crash, hang or stray exception.
// Lines starting with "@charm" load the rest as a charm fixture (the YAML reader).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/charm.hpp"
#include "engine.hpp"
#include "errors.hpp"

namespace {

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (input.starts_with("@charm")) {
        try {
            (void)jubilant::fake::Charm::from_yaml(input.substr(6), "fuzz.yaml");
        } catch (const jubilant::fake::CommandError&) {}
        return 0;
    }
    jubilant::fake::Engine engine({});
    const jubilant::fake::FileReader files =
        [](const std::string& path) -> std::optional<std::string> {
        if (path == "content.yaml") return std::string("password: fuzz\n");
        if (path == "params.yaml") return std::string("username: fuzz\n");
        return std::nullopt;
    };
    int commands = 0;
    for (const std::string& line : split(input, '\0')) {
        if (++commands > 16) break;  // keep each input cheap
        const std::vector<std::string> args = split(line, '\x01');
        const jubilant::CliResult result = engine.execute(args, files);
        // A failure says why in an "ERROR " line; `run` prints its progress lines before it
        // (a --wait that runs out), as juju does.
        const bool says_why = result.stderr_text.rfind("ERROR ", 0) == 0 ||
                              result.stderr_text.find("\nERROR ") != std::string::npos;
        if (result.returncode != 0 && !says_why) __builtin_trap();
        // The engine turns its own exceptions into an "internal error" message; for the fuzzer
        // they are bugs. Counted by the engine: the message text can be echoed user input.
        if (engine.internal_errors() != 0) __builtin_trap();
    }
    return 0;
}
