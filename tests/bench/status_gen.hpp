// make_status_json(): a C++ port of /work/shared/tools/gen_status.py that writes byte-for-byte
// the same JSON (Python's json.dump layout), shared by the benchmarks that need `juju status`
// documents of a given size.
#pragma once

#include <algorithm>
#include <iterator>
#include <string>

#include <fmt/format.h>

namespace jubilant::bench {

// Same shape and key order as gen_status.py: `units_per_app` units per application, one
// machine per unit.
inline std::string make_status_json(int n_units, int units_per_app = 50) {
    const int n_apps = n_units <= 0 ? 1 : (n_units + units_per_app - 1) / units_per_app;
    std::string machines;
    std::string apps;
    int u = 0;
    for (int a = 0; a < n_apps; ++a) {
        const std::string name = fmt::format("app-{}", a);
        std::string units;
        const int count = std::min(units_per_app, n_units - u);
        for (int i = 0; i < count; ++i, ++u) {
            const std::string ip = fmt::format("10.0.{}.{}", u / 250, u % 250);
            if (u > 0) machines += ", ";
            fmt::format_to(
                std::back_inserter(machines),
                R"("{0}": {{"juju-status": {{"current": "started", "since": "24 Feb 2025 )"
                R"(12:03:18+13:00", "version": "3.6.1"}}, "hostname": "juju-{0}", "dns-name": )"
                R"("{1}", "ip-addresses": ["{1}"], "instance-id": "juju-abc-{0}", )"
                R"("machine-status": {{"current": "running", "message": "Running", "since": )"
                R"("24 Feb 2025 12:02:57+13:00"}}, "modification-status": {{"current": "idle", )"
                R"("since": "24 Feb 2025 12:02:57+13:00"}}, "base": {{"name": "ubuntu", )"
                R"("channel": "22.04"}}, "network-interfaces": {{"eth0": {{"ip-addresses": )"
                R"(["{1}"], "mac-address": "00:16:3e:aa:bb:cc", "gateway": "10.0.0.1", )"
                R"("is-up": true}}}}, "hardware": "arch=amd64 cores=2 mem=4096M"}})",
                u, ip);
            if (i > 0) units += ", ";
            fmt::format_to(
                std::back_inserter(units),
                R"("{0}/{1}": {{"workload-status": {{"current": "active", "message": "ready", )"
                R"("since": "24 Feb 2025 12:03:17+13:00"}}, "juju-status": {{"current": )"
                R"("idle", "since": "24 Feb 2025 12:03:18+13:00", "version": "3.6.1"}}, )"
                R"("leader": {2}, "machine": "{3}", "open-ports": ["80/tcp", "443/tcp"], )"
                R"("public-address": "{4}", "address": "{4}"}})",
                name, i, i == 0 ? "true" : "false", u, ip);
        }
        if (a > 0) apps += ", ";
        fmt::format_to(
            std::back_inserter(apps),
            R"("{0}": {{"charm": "{0}", "base": {{"name": "ubuntu", "channel": "22.04"}}, )"
            R"("charm-origin": "charmhub", "charm-name": "{0}", "charm-rev": 42, )"
            R"("charm-channel": "latest/stable", "exposed": false, "application-status": )"
            R"({{"current": "active", "message": "ready", "since": "24 Feb 2025 )"
            R"(12:03:17+13:00"}}, "relations": {{"peers": [{{"related-application": "{0}", )"
            R"("interface": "peers", "scope": "global"}}]}}, "units": {{{1}}}, "version": )"
            R"("1.2.3", "endpoint-bindings": {{"": "alpha", "peers": "alpha"}}}})",
            name, units);
    }
    return fmt::format(
        R"({{"model": {{"name": "bench", "type": "iaas", "controller": "ctl", "cloud": "lxd", )"
        R"("region": "localhost", "version": "3.6.1", "model-status": {{"current": )"
        R"("available", "since": "24 Feb 2025 12:02:57+13:00"}}, "sla": "unsupported"}}, )"
        R"("machines": {{{}}}, "applications": {{{}}}, "storage": {{}}, "controller": )"
        R"({{"timestamp": "12:03:20+13:00"}}}})",
        machines, apps);
}

/// `json` without the white space between tokens: juju prints compact JSON, gen_status.py
/// uses Python's ", " / ": " separators.
inline std::string compact_json(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    bool in_string = false;
    bool escaped = false;
    for (const char c : json) {
        if (in_string) {
            out += c;
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') in_string = true;
        if (c == ' ' || c == '\n') continue;
        out += c;
    }
    return out;
}

}  // namespace jubilant::bench
