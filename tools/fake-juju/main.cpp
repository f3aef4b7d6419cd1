// fake-juju: the fake Juju engine as a juju-compatible executable. State lives in
// $FAKE_JUJU_DATA/state.db (default ~/.local/share/fake-juju); every invocation is one
// transaction, so parallel invocations on one data directory are safe.

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>

#include "engine.hpp"
#include "state/store.hpp"

namespace {

constexpr const char* usage = R"(Usage: fake-juju <command> [options]

A stand-in for the juju 3.6 or 4.x CLI with state in a local SQLite database, for tests.

Environment:
  FAKE_JUJU_DATA     data directory (default ~/.local/share/fake-juju); state.db inside, 0600
  FAKE_JUJU_CHARMS   directory of extra charm fixtures and rules files (<name>.yaml)
  FAKE_JUJU_STRICT   1: refuse charm names that are neither a fixture nor a local charm
  FAKE_JUJU_TICK_MS  simulated milliseconds that pass with each command (default 1000)
  FAKE_JUJU_VERSION  juju version a fresh data directory speaks: 3.6.x (default 3.6.4) or 4.x.y

A fresh data directory starts as if `juju bootstrap localhost fake` had just run.
)";

std::string data_dir() {
    if (const char* dir = std::getenv("FAKE_JUJU_DATA"); dir && *dir) return dir;
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.local/share/fake-juju";
}

// `ssh <target> cat`, the one canned remote command that reads its input: only then is
// standard input read (through to its end), so no other command can wait on an open pipe.
bool reads_standard_input(const std::vector<std::string>& args) {
    return args.size() > 2 && args[0] == "ssh" && args.back() == "cat" && isatty(STDIN_FILENO) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "help" || args[0] == "-h") {
        std::cout << usage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") args = {"version"};
    jubilant::fake::EngineOptions options;
    const std::string dir = data_dir();
    try {
        jubilant::fake::create_data_directory(dir);
    } catch (const jubilant::fake::StoreError& e) {
        std::cerr << "ERROR " << e.what() << "\n";
        return 1;
    }
    options.database_path = dir + "/state.db";
    if (const char* charms = std::getenv("FAKE_JUJU_CHARMS")) options.charms_dir = charms;
    if (const char* strict = std::getenv("FAKE_JUJU_STRICT"); strict && *strict) {
        if (std::strcmp(strict, "1") != 0 && std::strcmp(strict, "0") != 0) {
            std::cerr << "ERROR FAKE_JUJU_STRICT must be 1 or 0, got \"" << strict << "\"\n";
            return 2;
        }
        options.strict = std::strcmp(strict, "1") == 0;
    }
    if (const char* tick = std::getenv("FAKE_JUJU_TICK_MS"); tick && *tick) {
        char* end = nullptr;
        const long long ms = std::strtoll(tick, &end, 10);
        if (*end != '\0' || ms < 0) {
            std::cerr << "ERROR FAKE_JUJU_TICK_MS must be a non-negative integer, got \"" << tick
                      << "\"\n";
            return 2;
        }
        options.tick = std::chrono::milliseconds(ms);
    }
    if (const char* version = std::getenv("FAKE_JUJU_VERSION"); version && *version) {
        if (auto problem = jubilant::fake::juju_version_problem(version)) {
            std::cerr << "ERROR FAKE_JUJU_VERSION: " << *problem << "\n";
            return 2;
        }
        options.juju_version = version;
    }
    const jubilant::fake::FileReader read_file = [](const std::string& path) {
        return jubilant::fake::read_disk_file(path);
    };
    try {
        jubilant::fake::Engine engine(std::move(options));
        std::string input;
        if (reads_standard_input(args)) {
            input.assign(std::istreambuf_iterator<char>(std::cin),
                         std::istreambuf_iterator<char>());
        }
        const jubilant::CliResult result = engine.execute(args, read_file, input);
        std::cout << result.stdout_text;
        std::cerr << result.stderr_text;
        std::cout.flush();
        return result.returncode;
    } catch (const jubilant::fake::StoreError& e) {
        std::cerr << "ERROR fake-juju state: " << e.what() << "\n";
        return 1;
    }
}
