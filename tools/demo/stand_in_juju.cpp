// A minimal stand-in for the juju binary, used by the demo until the fake Juju lands: it answers
// `version` and `status` from fixture files and refuses everything else like juju does.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

int print_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "ERROR cannot read fixture " << path << "\n";
        return 1;
    }
    std::cout << in.rdbuf();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const std::string fixtures = JUBILANT_FIXTURES_DIR;
    if (!args.empty() && args[0] == "version") {
        std::cout << R"({"version":"3.6.1-genericlinux-amd64","git-commit":"0000000","git-tree-state":"clean","compiler":"gc","go-version":"go1.23.4","official":true})" << "\n";
        return 0;
    }
    if (!args.empty() && args[0] == "status") return print_file(fixtures + "/demo/status.json");
    std::cerr << "ERROR unrecognized command: juju " << (args.empty() ? "" : args[0]) << "\n";
    return 2;
}
