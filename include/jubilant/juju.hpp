// jubilant::Juju: the typed entry point. Each public method builds an argv and sends it through
// one private path (run_cli) to a CliBackend.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <jubilant/backend.hpp>
#include <jubilant/errors.hpp>

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

/// Runs Juju commands. Most methods call one CLI command; use cli() for anything else.
class Juju {
public:
    /// Loads the backend named by options.backend (or $JUBILANT_BACKEND, or "subprocess").
    explicit Juju(JujuOptions options = {});
    /// Uses the given backend (for example a MockBackend) instead of loading a plugin.
    Juju(std::shared_ptr<CliBackend> backend, JujuOptions options = {});

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

    // Public methods stay in alphabetical order.

    /// Runs a Juju CLI command and returns its standard output.
    ///
    /// `args` excludes the binary. With options.include_model and a model set, `--model <m>` is
    /// inserted after the first argument. Throws CLIError on a non-zero return code.
    /// Do not pass secrets here: argv is visible to other local users and is logged.
    std::string cli(std::vector<std::string> args, CliOptions options = {});

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

    std::optional<std::string> model_;
    std::chrono::duration<double> wait_timeout_;
    std::string cli_binary_;
    std::shared_ptr<CliBackend> backend_;
};

}  // namespace jubilant
