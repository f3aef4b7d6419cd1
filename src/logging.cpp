#include <jubilant/logging.hpp>

#include <cstdlib>
#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace jubilant {
namespace {

std::shared_ptr<spdlog::logger> get_or_create(const std::string& name) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (auto existing = spdlog::get(name)) return existing;
    auto created = spdlog::stderr_color_mt(name);
    const char* level = std::getenv("JUBILANT_LOG_LEVEL");
    created->set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
    return created;
}

}  // namespace

// Looked up on every call rather than cached, so a logger a test registers (or replaces) under
// the same name takes effect at once; the lookup is negligible next to running a command.
std::shared_ptr<spdlog::logger> logger() { return get_or_create("jubilant"); }

std::shared_ptr<spdlog::logger> wait_logger() { return get_or_create("jubilant.wait"); }

}  // namespace jubilant
