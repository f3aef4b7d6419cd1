#include <jubilant/all_any.hpp>

namespace jubilant {
namespace {

bool all_workload_are(std::string_view expected, const Status& status, std::string_view app) {
    const auto found = status.apps.find(std::string(app));
    if (found == status.apps.end()) return false;
    if (found->second.app_status.current != expected) return false;
    for (const auto& [name, unit] : status.get_units(app)) {
        if (unit.workload_status.current != expected) return false;
    }
    return true;
}

bool any_workload_is(std::string_view expected, const Status& status, std::string_view app) {
    const auto found = status.apps.find(std::string(app));
    if (found == status.apps.end()) return false;
    if (found->second.app_status.current == expected) return true;
    for (const auto& [name, unit] : status.get_units(app)) {
        if (unit.workload_status.current == expected) return true;
    }
    return false;
}

bool all_agents_are(std::string_view expected, const Status& status, std::string_view app) {
    if (!status.apps.contains(std::string(app))) return false;
    for (const auto& [name, unit] : status.get_units(app)) {
        if (unit.juju_status.current != expected) return false;
    }
    return true;
}

}  // namespace

bool StatusPredicate::operator()(const Status& status) const { return check(status, {}); }

bool StatusPredicate::operator()(const Status& status,
                                 std::initializer_list<std::string_view> apps) const {
    return check(status, std::span<const std::string_view>(apps.begin(), apps.size()));
}

bool StatusPredicate::operator()(const Status& status, const std::vector<std::string>& apps) const {
    const std::vector<std::string_view> views(apps.begin(), apps.end());
    return check(status, views);
}

bool StatusPredicate::check(const Status& status, std::span<const std::string_view> apps) const {
    // No filter means every app; names are copied out first so both cases share one loop.
    std::vector<std::string_view> selected(apps.begin(), apps.end());
    if (selected.empty()) {
        for (const auto& [name, app] : status.apps) selected.push_back(name);
    }

    for (const std::string_view app : selected) {
        switch (kind_) {
        case Kind::all_workload:
            if (!all_workload_are(expected_, status, app)) return false;
            break;
        case Kind::all_agents:
            if (!all_agents_are(expected_, status, app)) return false;
            break;
        case Kind::any_workload:
            // A missing app simply contributes nothing here.
            if (any_workload_is(expected_, status, app)) return true;
            break;
        }
    }
    return kind_ != Kind::any_workload;
}

}  // namespace jubilant
