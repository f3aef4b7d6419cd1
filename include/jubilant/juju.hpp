// jubilant::Juju: the typed entry point. Each public method builds an argv and sends it through
// one private path (run_cli) to a CliBackend.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <jubilant/backend.hpp>
#include <jubilant/config_value.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/modeltypes.hpp>
#include <jubilant/secrettypes.hpp>
#include <jubilant/statustypes.hpp>
#include <jubilant/task.hpp>
#include <jubilant/unittypes.hpp>
#include <jubilant/value.hpp>
#include <jubilant/version.hpp>

namespace jubilant {

/// Construction options for Juju. Use designated initializers:
///   jubilant::Juju juju({.model = "test", .wait_timeout = std::chrono::minutes(10)});
struct JujuOptions {
    /// Operate on this model (`[<controller>:][<user>/]<model>`); unset means the current model.
    std::optional<std::string> model{};
    /// Default timeout for wait() when its own timeout is not given.
    std::chrono::duration<double> wait_timeout = std::chrono::minutes(3);
    /// The juju binary the subprocess backend runs; a name is looked up in PATH.
    std::string cli_binary = "juju";
    /// Backend spec (see plugin_loader.hpp). Empty: $JUBILANT_BACKEND, else "subprocess".
    std::string backend{};
};

/// Options for Juju::cli.
struct CliOptions {
    /// Insert `--model <model>` after the first argument when a model is set.
    bool include_model = true;
    /// Standard input for the command.
    std::optional<std::string> stdin_text{};
};

/// Ordered key/value pairs. Order matters: it is the order of the flags in argv, as with the
/// insertion-ordered dicts Jubilant takes. Write them as `{{"key", value}, ...}`.
using StringPairs = std::vector<std::pair<std::string, std::string>>;
/// Charm or model config values to set, in argv order.
using ConfigValues = std::vector<std::pair<std::string, ConfigValue>>;
/// Constraints to set, in argv order.
using ConstraintValues = std::vector<std::pair<std::string, ConstraintValue>>;

/// A charm reference for deploy() and refresh(): a Charmhub name or a local path.
///
/// Strings are used verbatim (a local file must start with `.` or `/`, as Juju requires).
/// A relative std::filesystem::path gets a `./` prefix, because Juju calls a bare relative
/// name ambiguous (Jubilant does the same for pathlib.Path).
class CharmRef {
public:
    CharmRef(std::string name) : value_(std::move(name)) {}
    CharmRef(const char* name) : value_(name) {}
    CharmRef(const std::filesystem::path& path)
        : value_(path.is_absolute() ? path.string() : "./" + path.string()) {}
    const std::string& str() const noexcept { return value_; }

private:
    std::string value_;
};

/// A secret given by name or by URI (Jubilant's `str | SecretURI`).
class SecretRef {
public:
    SecretRef(std::string name_or_uri) : value_(std::move(name_or_uri)) {}
    SecretRef(const char* name_or_uri) : value_(name_or_uri) {}
    SecretRef(const SecretURI& uri) : value_(uri.str()) {}
    const std::string& str() const noexcept { return value_; }

private:
    std::string value_;
};

/// Endpoint bindings for deploy(): either one space name for all endpoints
/// (`.bind = "internal"`) or endpoint=space pairs (`.bind = {{"db", "internal"}}`).
/// Default-constructed means "not given".
class Bindings {
public:
    Bindings() = default;
    Bindings(std::string space) : value_(std::move(space)) {}
    Bindings(const char* space) : value_(space) {}
    Bindings(std::initializer_list<std::pair<std::string, std::string>> endpoints);
    Bindings(const StringPairs& endpoints);
    /// The `--bind` argument, or nullopt when no binding was given.
    const std::optional<std::string>& arg() const noexcept { return value_; }

private:
    std::optional<std::string> value_;
};

/// A duration in seconds as Jubilant passes it to juju (`--wait 30s`, `--timeout 0.5s`).
using Seconds = std::chrono::duration<double>;

/// Options for Juju::add_cloud. `client = true` or a controller is required.
struct AddCloudOptions {
    /// Save the cloud on this client, for controllers bootstrapped later.
    bool client = false;
    /// Save the cloud to this controller.
    std::optional<std::string> controller{};
    /// Credential to use for the new cloud.
    std::optional<std::string> credential{};
    /// Bypass the controller's checks.
    bool force = false;
    /// A JAAS-managed controller to add the cloud to.
    std::optional<std::string> target_controller{};
};

/// Options for Juju::add_credential. `client = true` or a controller is required.
struct AddCredentialOptions {
    bool client = false;
    std::optional<std::string> controller{};
    /// Cloud region the credential is valid for.
    std::optional<std::string> region{};
};

/// Options for Juju::add_machine.
struct AddMachineOptions {
    /// Where to allocate: an `ssh:user@host` address or a placement directive such as `lxd:25`
    /// (default: a new machine instance).
    std::optional<std::string> target{};
    /// Base of the new machine(s), e.g. "ubuntu@22.04".
    std::optional<std::string> base{};
    /// Constraints overriding the model's, e.g. {{"mem", "8G"}, {"cores", 4}}.
    ConstraintValues constraints{};
    /// Storage directives, space-joined into one --disks value.
    std::vector<std::string> disks{};
    int num_machines = 1;
    /// Key files for `ssh:` targets.
    std::optional<std::filesystem::path> private_key{};
    std::optional<std::filesystem::path> public_key{};
};

/// Options for Juju::add_model.
struct AddModelOptions {
    /// Cloud or region (or cloud/region) for the model.
    std::optional<std::string> cloud{};
    /// Controller to add the model on (default: the current one).
    std::optional<std::string> controller{};
    /// Model config, e.g. {{"image-stream", "daily"}}.
    ConfigValues config{};
    /// Cloud credential name.
    std::optional<std::string> credential{};
};

/// Options for Juju::add_secret.
struct AddSecretOptions {
    /// Description of the secret.
    std::optional<std::string> info{};
};

/// Options for Juju::add_unit. Lists are comma-joined into one flag value.
struct AddUnitOptions {
    std::vector<std::string> attach_storage{};
    int num_units = 1;
    std::vector<std::string> to{};
};

/// Options for Juju::bootstrap.
struct BootstrapOptions {
    std::optional<std::string> bootstrap_base{};
    ConstraintValues bootstrap_constraints{};
    /// Controller config (model keys only affect the controller model).
    ConfigValues config{};
    /// Default constraints for workload machines of the model.
    ConstraintValues constraints{};
    std::optional<std::string> credential{};
    /// Local agent/image metadata source.
    std::optional<std::string> metadata_source{};
    bool force = false;
    /// Config applied to every model.
    ConfigValues model_defaults{};
    /// Initial storage pool attributes; `name` and `type` are required by juju.
    StringPairs storage_pool{};
    /// Placement directives, comma-joined.
    std::vector<std::string> to{};
};

/// Options for getting config with Juju::config.
struct ConfigOptions {
    /// Return the "application-config" section instead of the charm's settings.
    bool app_config = false;
};

/// Options for setting config with Juju::config.
struct ConfigSetOptions {
    /// Keys to reset to their defaults, comma-joined.
    std::vector<std::string> reset{};
};

/// Options for Juju::consume.
struct ConsumeOptions {
    /// Local name for the offer (default: the application name).
    std::optional<std::string> alias{};
    /// Controller of the offer (default: the current one).
    std::optional<std::string> controller{};
    /// Owner of the offering model (default: the logged-in user).
    std::optional<std::string> owner{};
};

/// Options for Juju::debug_log.
struct DebugLogOptions {
    /// Return only the last `limit` lines; 0 means all of them.
    int limit = 0;
};

/// Options for Juju::deploy. Lists are comma-joined into one flag value.
struct DeployOptions {
    /// Application name (default: the charm name).
    std::optional<std::string> app{};
    std::vector<std::string> attach_storage{};
    std::optional<std::string> base{};
    Bindings bind{};
    std::optional<std::string> channel{};
    ConfigValues config{};
    ConstraintValues constraints{};
    bool force = false;
    int num_units = 1;
    /// Bundle overlays, applied in order.
    std::vector<std::filesystem::path> overlays{};
    /// Resource name to revision or local file (a file must start with `.` or `/`).
    StringPairs resources{};
    std::optional<int> revision{};
    /// Storage constraints, e.g. {{"data", "tmpfs,1G"}}.
    StringPairs storage{};
    std::vector<std::string> to{};
    bool trust = false;
};

/// Options for Juju::destroy_model.
struct DestroyModelOptions {
    bool destroy_storage = false;
    bool force = false;
    bool no_wait = false;
    /// Mutually exclusive with destroy_storage (juju rejects both).
    bool release_storage = false;
    /// Per-step timeout; juju only accepts it with force.
    std::optional<Seconds> timeout{};
};

/// Options for Juju::exec: exactly one of machine and unit.
struct ExecOptions {
    /// Arguments appended after the command.
    std::vector<std::string> args{};
    /// Machine ID such as "0" or "0/lxd/0".
    std::optional<std::string> machine{};
    /// Unit name such as "mysql/0" or "mysql/leader".
    std::optional<std::string> unit{};
    /// How long juju waits for the command (juju's default is 5 minutes).
    std::optional<Seconds> wait{};
};

/// Options for Juju::integrate.
struct IntegrateOptions {
    /// CIDRs of the traffic source for cross-model relations, comma-joined.
    std::vector<std::string> via{};
};

/// Options for setting model config with Juju::model_config.
struct ModelConfigOptions {
    /// Keys to reset to their defaults, comma-joined.
    std::vector<std::string> reset{};
};

/// Options for Juju::offer.
struct OfferOptions {
    /// Only allowed when the app names its model (`model.app`).
    std::optional<std::string> controller{};
    /// Offer name (default: the application name).
    std::optional<std::string> name{};
};

/// Options for Juju::refresh.
struct RefreshOptions {
    std::optional<std::string> base{};
    std::optional<std::string> channel{};
    ConfigValues config{};
    /// Adds --force, --force-base and --force-units.
    bool force = false;
    /// Refresh to a local charm file.
    std::optional<CharmRef> path{};
    StringPairs resources{};
    std::optional<int> revision{};
    StringPairs storage{};
    bool trust = false;
};

/// Options for Juju::remove_application.
struct RemoveApplicationOptions {
    bool destroy_storage = false;
    bool force = false;
};

/// Options for Juju::remove_relation.
struct RemoveRelationOptions {
    bool force = false;
};

/// Options for Juju::remove_secret.
struct RemoveSecretOptions {
    /// Remove only this revision (default: all of them).
    std::optional<int> revision{};
};

/// Options for Juju::remove_unit.
struct RemoveUnitOptions {
    bool destroy_storage = false;
    bool force = false;
    /// Kubernetes only: how many units of the one named application to remove.
    int num_units = 0;
};

/// Options for Juju::run (named so as not to clash with the private Juju::RunOptions).
struct RunActionOptions {
    /// Action parameters; they reach juju only as YAML in a sensitive temp file.
    std::optional<Value> params{};
    /// How long juju waits for the action (juju's default is 60 seconds).
    std::optional<Seconds> wait{};
};

/// Options for Juju::scp.
struct ScpOptions {
    /// Kubernetes container (default: the charm container).
    std::optional<std::string> container{};
    /// false adds --no-host-key-checks (insecure).
    bool host_key_checks = true;
    /// scp client options, e.g. {"-r", "-C"}.
    std::vector<std::string> scp_options{};
};

/// Options for Juju::secrets.
struct SecretsOptions {
    std::optional<std::string> owner{};
};

/// Options for Juju::show_secret.
struct ShowSecretOptions {
    std::optional<int> revision{};
    /// Include every revision (juju rejects this together with revision).
    bool revisions = false;
};

/// Options for Juju::show_secret_revealed.
struct RevealSecretOptions {
    /// Revision to reveal (default: the latest).
    std::optional<int> revision{};
};

/// Options for Juju::ssh.
struct SshOptions {
    /// Arguments appended after the command.
    std::vector<std::string> args{};
    std::optional<std::string> container{};
    bool host_key_checks = true;
    /// OpenSSH client options, e.g. {"-i", "/path/to/key"}.
    std::vector<std::string> ssh_options{};
    /// Remote user (juju's default is "ubuntu").
    std::optional<std::string> user{};
};

/// Options for Juju::trust.
struct TrustOptions {
    bool remove = false;
    /// "cluster" is required on Kubernetes models.
    std::optional<std::string> scope{};
};

/// Options for Juju::update_cloud. `client = true` or a controller is required.
struct UpdateCloudOptions {
    bool client = false;
    std::optional<std::string> controller{};
};

/// Options for Juju::update_secret.
struct UpdateSecretOptions {
    std::optional<std::string> info{};
    /// New name for the secret.
    std::optional<std::string> name{};
    /// Remove revisions no observer tracks any more.
    bool auto_prune = false;
};

/// Options for Juju::wait.
struct WaitOptions {
    /// When this returns true for a polled status, wait throws WaitError (e.g. any_error).
    std::function<bool(const Status&)> error{};
    /// Pause between `juju status` calls.
    std::chrono::duration<double> delay = std::chrono::seconds(1);
    /// Overall limit; unset means the instance's wait_timeout().
    std::optional<std::chrono::duration<double>> timeout{};
    /// How many polls in a row `ready` must accept before wait returns.
    int successes = 3;
};

/// Runs Juju commands. Most methods call one CLI command; use cli() for anything else.
class Juju {
public:
    /// Loads the backend named by options.backend (or $JUBILANT_BACKEND, or "subprocess").
    explicit Juju(JujuOptions options = {});
    /// Uses the given backend (for example a MockBackend) instead of loading a plugin.
    Juju(std::shared_ptr<CliBackend> backend, JujuOptions options = {});
    // Out of line, so a test file does not compile the members' destruction and copying.
    /// Shares `other`'s backend; model, wait timeout and binary are copied.
    Juju(const Juju& other);
    /// Takes `other`'s backend and settings.
    Juju(Juju&& other) noexcept;
    /// Shares `other`'s backend; model, wait timeout and binary are copied.
    Juju& operator=(const Juju& other);
    /// Takes `other`'s backend and settings.
    Juju& operator=(Juju&& other) noexcept;
    /// Virtual, so a team's helper class may derive from Juju. It also makes libjubilant the
    /// one place GCC writes Juju's debug description (with its vtable): a test file that uses
    /// a Juju then carries a declaration, not every method and option struct (a fifth of such
    /// a file's debug information).
    virtual ~Juju();

    /// The model this instance operates on, if any.
    const std::optional<std::string>& model() const noexcept { return model_; }
    void set_model(std::optional<std::string> model) { model_ = std::move(model); }
    /// Default timeout of wait().
    std::chrono::duration<double> wait_timeout() const noexcept { return wait_timeout_; }
    void set_wait_timeout(std::chrono::duration<double> t) noexcept { wait_timeout_ = t; }
    /// The juju binary name or path.
    const std::string& cli_binary() const noexcept { return cli_binary_; }
    /// The backend every command goes through.
    const std::shared_ptr<CliBackend>& backend() const noexcept { return backend_; }

    // Public methods stay in alphabetical order. Bad arguments (the cases where Jubilant raises
    // TypeError or ValueError) throw jubilant::Error, so one catch covers the whole family.

    /// Adds a cloud to a controller and/or this client from a YAML file. `client = true` or a
    /// controller is required. If juju is a snap, the file is passed as a copy it can read.
    void add_cloud(const std::string& cloud, const std::filesystem::path& definition,
                   AddCloudOptions options = {});
    /// Adds a cloud given as data (the parsed clouds.yaml). The data is dumped as YAML to a
    /// sensitive temp file, never to argv or logs.
    void add_cloud(const std::string& cloud, const Value& definition, AddCloudOptions options = {});

    /// Adds a credential for `cloud` from a YAML file, to this client and/or a controller.
    void add_credential(const std::string& cloud, const std::filesystem::path& credential,
                        AddCredentialOptions options = {});
    /// Adds a credential given as data (`{"credentials": ...}`); it travels as YAML in a
    /// sensitive temp file only.
    void add_credential(const std::string& cloud, const Value& credential,
                        AddCredentialOptions options = {});

    /// Allocates a machine to the model (not on Kubernetes), at `.target` if given.
    void add_machine(AddMachineOptions options = {});

    /// Adds a model and points this instance at it (`controller:model` when a controller is
    /// given). The juju CLI's current model is left alone. `model` is a bare name.
    void add_model(const std::string& model, AddModelOptions options = {});

    /// Creates a named secret and returns its URI. `content` only ever reaches juju through a
    /// sensitive temp file.
    SecretURI add_secret(const std::string& name, const std::map<std::string, std::string>& content,
                         AddSecretOptions options = {});

    /// Adds full SSH public keys to every current and future machine of the model.
    void add_ssh_key(const std::vector<std::string>& keys);

    /// Adds units to a deployed application.
    void add_unit(const std::string& app, AddUnitOptions options = {});

    /// Bootstraps controller `controller` on `cloud`. The CLI is not switched to it and this
    /// instance's model is unchanged; call add_model() with `.controller` afterwards. Juju's
    /// bootstrap progress (stderr) is logged at INFO.
    void bootstrap(const std::string& cloud, const std::string& controller,
                   BootstrapOptions options = {});

    /// Runs a Juju CLI command and returns its standard output.
    ///
    /// `args` excludes the binary. With options.include_model and a model set, `--model <m>` is
    /// inserted after the first argument. Throws CLIError on a non-zero return code.
    /// Do not pass secrets here: argv is visible to other local users and is logged.
    std::string cli(std::vector<std::string> args, CliOptions options = {});

    /// Returns the charm config of `app` (or, with `.app_config`, its "application-config").
    /// Keys without a value are left out; values of type secret come back as SecretURI.
    std::map<std::string, ConfigValue> config(const std::string& app, ConfigOptions options = {});

    /// Jubilant's `config(app, values, reset=...)`: sets config values of `app`, then resets
    /// the keys in `.reset`. To only reset: `config_set(app, {}, {.reset = {"key"}})`. (A
    /// separate name because g++ cannot tell the get and set option structs apart in
    /// overload resolution.) The values travel in argv, as in Jubilant, so they are logged and
    /// visible to local users: keep secrets out of config and use add_secret()/grant_secret().
    void config_set(const std::string& app, const ConfigValues& values,
                    ConfigSetOptions options = {});

    /// Consumes a remote offer (`othermodel.app`) into the model, optionally as `.alias`.
    void consume(const std::string& model_and_app, ConsumeOptions options = {});

    /// Returns the model's debug log: all of it, or the last `.limit` lines.
    std::string debug_log(DebugLogOptions options = {});

    /// Deploys a charm or bundle. If juju is a snap, local charm and resource files are passed
    /// as copies it can read; otherwise the argv is exactly Jubilant's.
    void deploy(const CharmRef& charm, DeployOptions options = {});

    /// Destroys `model` (any `[controller:][user/]model` form) without prompting. Clears this
    /// instance's model when it names the same model.
    void destroy_model(const std::string& model, DestroyModelOptions options = {});

    /// Runs a shell command on exactly one of `.machine` or `.unit` and returns the task.
    /// Throws TaskError when the command fails, TimeoutError when `.wait` runs out, and Error
    /// when the target does not exist or not exactly one target is given.
    Task exec(const std::string& command, ExecOptions options);

    /// Lets one or more applications read a secret (given by name or URI).
    void grant_secret(const SecretRef& identifier, const std::vector<std::string>& apps);

    /// Relates two applications (`app[:endpoint]`, optionally `model.`-prefixed).
    void integrate(const std::string& app1, const std::string& app2, IntegrateOptions options = {});

    /// Returns the model config (keys without a value are left out).
    std::map<std::string, ConfigValue> model_config();

    /// Jubilant's `model_config(values, reset=...)`: sets model config values, then resets
    /// `.reset` keys; to only reset, pass `{}` values. As with config_set(), values travel in
    /// argv: keep secrets out.
    void model_config_set(const ConfigValues& values, ModelConfigOptions options = {});

    /// Returns the model's machine constraints. List-valued constraints (tags, spaces, zones)
    /// come back comma-joined, the form set_model_constraints accepts.
    std::map<std::string, ConstraintValue> model_constraints();
    /// Sets the model's machine constraints.
    void model_constraints(const ConstraintValues& constraints);

    /// Offers `endpoints` of `app` to other models. Without a dotted `model.app`, the offer is
    /// made on this instance's model (and its controller, if it names one); `.controller` is
    /// only allowed with a dotted app.
    void offer(const std::string& app, const std::vector<std::string>& endpoints,
               OfferOptions options = {});

    /// Refreshes (upgrades) an application's charm. Local `.path` and resource files are
    /// handled as in deploy().
    void refresh(const std::string& app, RefreshOptions options = {});

    /// Removes applications without prompting.
    void remove_application(const std::vector<std::string>& apps,
                            RemoveApplicationOptions options = {});

    /// Removes the relation between two applications (the reverse of integrate()).
    void remove_relation(const std::string& app1, const std::string& app2,
                         RemoveRelationOptions options = {});

    /// Removes a secret, or only `.revision` of it.
    void remove_secret(const SecretRef& identifier, RemoveSecretOptions options = {});

    /// Removes SSH keys (fingerprint, comment, or full key) from every machine of the model.
    void remove_ssh_key(const std::vector<std::string>& ids);

    /// Removes units without prompting. On Kubernetes pass the application name and
    /// `.num_units` (which needs exactly one name).
    void remove_unit(const std::vector<std::string>& app_or_unit, RemoveUnitOptions options = {});

    /// Runs `action` on `unit` and waits for it. Throws TaskError if the action failed,
    /// TimeoutError when `.wait` runs out, Error if the action or unit does not exist.
    Task run(const std::string& unit, const std::string& action, RunActionOptions options = {});

    /// Copies files to, from or between machines of the model (`[[user@]target:]path`).
    void scp(const std::filesystem::path& source, const std::filesystem::path& destination,
             ScpOptions options = {});

    /// Lists the secrets of the model.
    std::vector<Secret> secrets(SecretsOptions options = {});

    /// Describes this instance's model (or the CLI's current one when none is set).
    ModelInfo show_model();
    /// Describes `model` (any `[controller:][user/]model` form).
    ModelInfo show_model(const std::string& model);

    /// Describes a secret without its content (with `.revisions`, all its revisions).
    Secret show_secret(const SecretRef& identifier, ShowSecretOptions options = {});
    /// Jubilant's `show_secret(reveal=True)`: describes a secret including its content, for
    /// the latest revision or `.revision`.
    RevealedSecret show_secret_revealed(const SecretRef& identifier,
                                        RevealSecretOptions options = {});

    /// Describes a unit.
    UnitInfo show_unit(const std::string& unit);

    /// Runs a command over SSH on a unit or machine and returns its standard output.
    std::string ssh(const std::string& target, const std::string& command, SshOptions options = {});

    /// Fetches the status of the model.
    Status status();

    /// Grants (or with `.remove`, revokes) an application's trust.
    void trust(const std::string& app, TrustOptions options = {});

    /// Updates a cloud on this client and/or a controller from a YAML file.
    void update_cloud(const std::string& cloud, const std::filesystem::path& definition,
                      UpdateCloudOptions options = {});
    /// Updates a cloud given as data; it travels as YAML in a sensitive temp file only.
    void update_cloud(const std::string& cloud, const Value& definition,
                      UpdateCloudOptions options = {});

    /// Replaces a secret's content (and optionally its description and name). `content` only
    /// ever reaches juju through a sensitive temp file.
    void update_secret(const SecretRef& identifier,
                       const std::map<std::string, std::string>& content,
                       UpdateSecretOptions options = {});

    /// Returns the juju CLI's version.
    Version version();

    /// Polls `juju status` until `ready` has returned true for `options.successes` polls in a
    /// row, then returns the last status. Pauses `options.delay` between polls, and logs each
    /// app's and unit's status when first seen or changed to the "jubilant.wait" logger (INFO,
    /// or ERROR for "error" status; a full diff at DEBUG). Time is measured and spent through
    /// backend()->clock(), so replayed or simulated backends wait on virtual time.
    ///
    ///   juju.wait(jubilant::all_active, {.error = jubilant::any_error});
    ///
    /// Throws WaitError (naming the predicate, with the status) as soon as `options.error`
    /// returns true, TimeoutError (with the last status, if any) once the timeout has passed,
    /// and lets CLIError or ParseError from the status call through.
    Status wait(std::function<bool(const Status&)> ready, WaitOptions options = {});

private:
    struct RunOptions {
        bool include_model = true;
        bool log = true;
        std::optional<std::string> stdin_text{};
        std::vector<TempFile> temp_files{};
        std::optional<std::chrono::milliseconds> timeout{};
    };

    /// The one path to the backend: inserts --model, logs, runs, throws CLIError on failure.
    CliResult run_cli(std::vector<std::string> args, RunOptions options);
    CliResult run_cli(std::vector<std::string> args) { return run_cli(std::move(args), {}); }

    // TempModel destroys its model with a call timeout, which only run_cli offers.
    friend class TempModel;

    /// Whether cli_binary resolves via PATH to a snap (cached), as Jubilant's _juju_is_snap.
    bool juju_is_snap();
    /// Sends a user's local file as a temp-file copy when juju is a snap (which cannot read
    /// arbitrary paths); otherwise returns the path unchanged. See Jubilant's _path_for_juju.
    std::string path_for_juju(const std::filesystem::path& path, const std::string& temp_name,
                              bool sensitive, std::vector<TempFile>& temp_files);
    /// What run_task runs, for its error messages and Juju 4's "(not found)" handling.
    enum class TaskKind { action, command };
    /// Runs `juju run` or `juju exec` and turns its JSON into a Task, as Jubilant does.
    Task run_task(std::vector<std::string> args, RunOptions options, TaskKind kind,
                  const std::string& name);
    /// The --file argument for a definition given as a path (copied for a snap juju) or as
    /// data (always a sensitive YAML temp file).
    std::string file_arg(const std::filesystem::path* path, const Value* data,
                         const std::string& temp_name, std::vector<TempFile>& temp_files);

    // Shared bodies of the path and data overloads (the unused one is null).
    void add_cloud_impl(const std::string& cloud, const std::filesystem::path* path,
                        const Value* data, const AddCloudOptions& options);
    void add_credential_impl(const std::string& cloud, const std::filesystem::path* path,
                             const Value* data, const AddCredentialOptions& options);
    ModelInfo show_model_impl(const std::optional<std::string>& model);
    void update_cloud_impl(const std::string& cloud, const std::filesystem::path* path,
                           const Value* data, const UpdateCloudOptions& options);

    std::optional<std::string> model_;
    std::optional<bool> juju_is_snap_;
    std::chrono::duration<double> wait_timeout_;
    std::string cli_binary_;
    std::shared_ptr<CliBackend> backend_;
};

}  // namespace jubilant

// Destroying a DeployOptions, RefreshOptions, AddModelOptions or BootstrapOptions destroys its
// config values; the library instantiates their vector once (juju.cpp), so a test file calling
// deploy() does not compile it again. (ConstraintValues holds only standard types, which the standard does
// not let a program instantiate explicitly.)
extern template class std::vector<std::pair<std::string, jubilant::ConfigValue>>;
