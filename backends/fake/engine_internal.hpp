// What the command implementations share: the per-command context, model lookup, time
// formatting and output rendering.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine.hpp"
#include "errors.hpp"
#include "state/meta.hpp"
#include "state/models.hpp"
#include "state/store.hpp"
#include "support/argv.hpp"
#include "support/charm.hpp"
#include "support/strings.hpp"

namespace jubilant::fake {

using ojson = nlohmann::ordered_json;

/// A juju version the fake speaks, parsed: `text` is what `juju version` and status print.
struct JujuVersion {
    int major = 3;
    int minor = 6;
    int patch = 4;
    std::string text{};
    bool before(int other_major, int other_minor, int other_patch) const {
        return std::tie(major, minor, patch) < std::tie(other_major, other_minor, other_patch);
    }
};

/// "3.6.4" as a JujuVersion; nullopt for anything but three numbers with major 3 or 4.
std::optional<JujuVersion> parse_juju_version(std::string_view text);

struct Context {
    Database& db;
    const EngineOptions& options;
    std::string command;
    ParsedArgs args;
    const FileReader& read_file;
    std::string_view stdin_text;
    std::int64_t now = 0;  ///< simulated ms since the epoch, already advanced by this command
    std::string out{};
    std::string err{};
    /// Non-zero for a command that reports a failure but still prints its output (juju run
    /// and exec print the task JSON and exit 1 when a task failed).
    int returncode = 0;
    /// The version of the controller the command talks to (the one named by -m
    /// controller:model or -c, else the current one): every version-dependent behaviour asks
    /// this, never a constant.
    JujuVersion version{};
    bool juju4() const noexcept { return version.major >= 4; }
};

using Handler = void (*)(Context&);

struct CommandDef {
    std::string_view name;
    ArgSpec spec;
    Handler run;
    /// Accepts -m/--model (added to the spec by the dispatcher).
    bool model_scoped = true;
    /// The first juju major version without this command: from it on the command is "not a
    /// juju command", as for any unknown name. 0: in every version.
    int removed_in_major = 0;
};

std::vector<CommandDef> model_commands();
std::vector<CommandDef> controller_commands();
std::vector<CommandDef> application_commands();
std::vector<CommandDef> relation_commands();
std::vector<CommandDef> machine_commands();
std::vector<CommandDef> offer_commands();
std::vector<CommandDef> status_commands();
std::vector<CommandDef> secret_commands();
std::vector<CommandDef> action_commands();
std::vector<CommandDef> exec_commands();
std::vector<CommandDef> ssh_commands();
std::vector<CommandDef> ssh_key_commands();
std::vector<CommandDef> debug_log_commands();
std::vector<CommandDef> cloud_commands();
std::vector<CommandDef> cloud_file_commands();

// ---- clouds -----------------------------------------------------------------------------

struct CloudRegion {
    std::string name{};
    std::string endpoint{};
    std::string identity_endpoint{};
    std::string storage_endpoint{};
};

/// A cloud as juju describes it (clouds, show-cloud).
struct CloudInfo {
    std::string name{};
    std::string type{};  ///< as juju prints it: lxd, k8s, ec2, ...
    std::string description{};
    std::vector<std::string> auth_types{};
    std::string endpoint{};
    std::string identity_endpoint{};
    std::string storage_endpoint{};
    std::vector<CloudRegion> regions{};  ///< the first is the default
    std::string source{};                ///< public, built-in or local
    bool users = false;                  ///< a controller's cloud lists who may use it
};

/// A cloud this client knows: juju's public clouds, the built-in localhost and microk8s, and
/// those added with `add-cloud --client`.
std::optional<CloudInfo> client_cloud(Context& ctx, const std::string& name);
/// A cloud `controller` knows: the one it was bootstrapped on and those added to it.
std::optional<CloudInfo> controller_cloud(Context& ctx, const std::string& controller,
                                          const std::string& name);

/// The controller named by -c/--controller, or the current one.
std::string resolve_controller(Context& ctx, const std::optional<std::string>& name);

/// Finds `[controller:][owner/]name`; throws juju's "model ... not found".
ModelRow find_model(Context& ctx, std::string_view reference);
/// The model named by -m/--model, or the current model.
ModelRow current_model(Context& ctx);

/// Deterministic identifiers derived from a counter, shaped like juju's.
std::string fake_uuid(std::string_view kind, std::int64_t n);

/// The juju version a controller speaks, stored in the data directory when it was created
/// (the seeded controller: EngineOptions::juju_version; others: bootstrap --agent-version).
JujuVersion controller_version(Database& db, std::string_view controller);
/// Stores the version a new controller speaks.
void set_controller_version(Database& db, std::string_view controller, const JujuVersion& version);

// ---- time and output --------------------------------------------------------------------

/// The wall-clock time (Unix ms) of simulated time 0 for the database of the command being
/// run: when its data directory was created.
std::int64_t wall_epoch_ms();

/// "01 Jan 2025 00:00:05Z", the form juju status uses.
std::string format_since(std::int64_t sim_ms);
/// "2025-01-01T00:00:05Z", the form tasks and secrets use.
std::string format_iso(std::int64_t sim_ms);

/// The --format value, checked against what the command supports (first is the default).
std::string output_format(Context& ctx, std::initializer_list<std::string_view> supported);
/// Prints a document as JSON (compact, one line) or YAML.
void print_document(Context& ctx, const ojson& doc, std::string_view format);
std::string to_yaml(const ojson& doc);

/// Reads a file argument through the context's reader; a clear error if it is missing.
std::string read_argument_file(Context& ctx, const std::string& path);

/// Every value given for a repeatable flag, each split at commas ("--unit a/0,a/1 --unit b/0").
std::vector<std::string> comma_separated_values(const Context& ctx, std::string_view flag);
/// A count flag's value (--num-units, -n, --revision): a non-negative integer, `fallback`
/// when the flag is absent; throws UsageError naming `flag` otherwise.
int parse_count(Context& ctx, const std::optional<std::string>& text, int fallback,
                std::string_view flag);
/// key=value pairs as given to config, model-config and constraints.
std::pair<std::string, std::string> split_assignment(Context& ctx, std::string_view text);

/// Standard base64 (RFC 4648); nullopt if malformed.
std::optional<std::string> base64_decode(std::string_view text);

void require_positionals(Context& ctx, std::size_t min, std::size_t max,
                         std::string_view missing_message);

}  // namespace jubilant::fake
