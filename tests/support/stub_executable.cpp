#include "support/stub_executable.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#include <spdlog/spdlog.h>

namespace jubilant::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string templ = (fs::temp_directory_path() / "jubilant-test-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

fs::path write_stub(const fs::path& dir, std::string_view name, std::string_view body) {
    const fs::path path = dir / std::string(name);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << "#!/bin/sh\n" << body << "\n";
        if (!out) throw std::runtime_error("cannot write stub " + path.string());
    }
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace);
    return path;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

unsigned mode_of(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

ScopedEnv::ScopedEnv(std::string name, const std::optional<std::string>& value)
    : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value)
        ::setenv(name_.c_str(), value->c_str(), 1);
    else
        ::unsetenv(name_.c_str());
}

ScopedEnv::~ScopedEnv() {
    if (old_)
        ::setenv(name_.c_str(), old_->c_str(), 1);
    else
        ::unsetenv(name_.c_str());
}

LogCapture::LogCapture(spdlog::level::level_enum level)
    : stream_(std::make_shared<std::ostringstream>()) {
    for (const char* name : {"jubilant", "jubilant.wait"}) {
        spdlog::drop(name);
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream_);
        auto logger = std::make_shared<spdlog::logger>(name, sink);
        logger->set_pattern("%n %l %v");
        logger->set_level(level);
        spdlog::register_logger(logger);
    }
}

LogCapture::~LogCapture() {
    spdlog::drop("jubilant");
    spdlog::drop("jubilant.wait");
}

std::string LogCapture::text() const { return stream_->str(); }

}  // namespace jubilant::test
