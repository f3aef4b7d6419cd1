// Juju::wait: poll `juju status` until a predicate holds, logging what changes on the way.
#include <cxxabi.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include <jubilant/all_any.hpp>
#include <jubilant/format.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/logging.hpp>
#include "print/pretty.hpp"

namespace jubilant {
namespace {

using Predicate = std::function<bool(const Status&)>;

// Jubilant names the error callable by its __qualname__. The closest C++ has is the callable's
// type, except for our own helpers, which carry their name because they all share one type.
std::string predicate_name(const Predicate& predicate) {
    if (const auto* helper = predicate.target<StatusPredicate>()) {
        return std::string(helper->name());
    }
    const char* mangled = predicate.target_type().name();
    int demangle_status = 0;
    std::unique_ptr<char, void (*)(void*)> demangled(
        abi::__cxa_demangle(mangled, nullptr, nullptr, &demangle_status), std::free);
    return demangle_status == 0 && demangled ? std::string(demangled.get()) : mangled;
}

void log_short_status_if_needed(const std::string& name, const StatusInfo* old,
                                const StatusInfo& neu) {
    const auto level = neu.current == "error" ? spdlog::level::err : spdlog::level::info;
    if (old == nullptr) {
        wait_logger()->log(level, "[{}] status: {} ({})", name, neu.current, neu.message);
        return;
    }
    if (std::tie(old->current, old->message) == std::tie(neu.current, neu.message)) return;
    wait_logger()->log(level, "[{}] status changed: {} ({}) -> {} ({})", name, old->current,
                       old->message, neu.current, neu.message);
}

// One short line per app and per principal unit (not subordinates, as in Jubilant) whose
// status is new or differs from the previous poll; the status maps keep them sorted by name.
void log_short_statuses(const Status* prev, const Status& status) {
    for (const auto& [app_name, app] : status.apps) {
        const AppStatus* prev_app = nullptr;
        if (prev) {
            const auto found = prev->apps.find(app_name);
            if (found != prev->apps.end()) prev_app = &found->second;
        }
        log_short_status_if_needed(app_name, prev_app ? &prev_app->app_status : nullptr,
                                   app.app_status);

        for (const auto& [unit_name, unit] : app.units) {
            const UnitStatus* prev_unit = nullptr;
            if (prev_app) {
                const auto found = prev_app->units.find(unit_name);
                if (found != prev_app->units.end()) prev_unit = &found->second;
            }
            log_short_status_if_needed(unit_name, prev_unit ? &prev_unit->workload_status : nullptr,
                                       unit.workload_status);
        }
    }
}

// The controller timestamp moves on every call and `.since` times duplicate the log's own
// timestamps; both would only bury the real changes.
bool diff_line_wanted(std::string_view line) {
    const std::string_view field = line.substr(0, line.find(" = "));
    if (field == ".controller.timestamp") return false;
    return !field.ends_with(".since");
}

std::vector<std::string> diffable_lines(const Status& status) {
    std::vector<std::string> lines = gron_lines(status);
    std::erase_if(lines, [](const std::string& line) { return !diff_line_wanted(line); });
    return lines;
}

std::string status_diff(const Status* old, const Status& neu) {
    const std::vector<std::string> old_lines =
        old ? diffable_lines(*old) : std::vector<std::string>{};
    return fmt::format("{}", fmt::join(line_diff(old_lines, diffable_lines(neu)), "\n"));
}

}  // namespace

Status Juju::wait(std::function<bool(const Status&)> ready, WaitOptions options) {
    if (!ready) throw std::invalid_argument("Juju::wait needs a ready predicate");
    // Jubilant only finds out when time.sleep rejects it, after the first poll; failing before
    // any call is kinder and behaves the same otherwise.
    if (options.delay < std::chrono::duration<double>::zero()) {
        throw std::invalid_argument("Juju::wait delay must not be negative");
    }

    const std::chrono::duration<double> timeout = options.timeout.value_or(wait_timeout());
    const auto delay = std::chrono::duration_cast<Clock::duration>(options.delay);
    const std::shared_ptr<Clock> clock = backend()->clock();

    std::optional<Status> status;
    int success_count = 0;
    const Clock::time_point start = clock->now();

    while (std::chrono::duration<double>(clock->now() - start) < timeout) {
        // Polling would otherwise flood the "jubilant" logger with a cli: line per second.
        CliResult result = run_cli({"status", "--format", "json"}, {.log = false});
        std::optional<Status> prev = std::move(status);
        status = Status::from_json(result.stdout_text);

        // Status equality ignores the controller timestamp, so an unchanged model logs nothing.
        if (!prev || *status != *prev) {
            const Status* prev_ptr = prev ? &*prev : nullptr;
            log_short_statuses(prev_ptr, *status);
            const std::string diff = status_diff(prev_ptr, *status);
            if (!diff.empty()) wait_logger()->debug("wait: status changed:\n{}", diff);
        }

        if (options.error && options.error(*status)) {
            throw WaitError(fmt::format("error function {} returned true\n{}",
                                        predicate_name(options.error), *status));
        }

        if (ready(*status)) {
            ++success_count;
            if (success_count >= options.successes) return std::move(*status);
        } else {
            success_count = 0;
        }

        clock->sleep_for(delay);
    }

    if (!status) throw TimeoutError(fmt::format("wait timed out after {}s", timeout.count()));
    throw TimeoutError(fmt::format("wait timed out after {}s\n{}", timeout.count(), *status));
}

}  // namespace jubilant
