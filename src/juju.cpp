#include <jubilant/juju.hpp>

#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jubilant/logging.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/shell_quote.hpp>

namespace jubilant {
namespace {

std::shared_ptr<CliBackend> load_configured_backend(const JujuOptions& options) {
    std::string spec = options.backend;
    if (spec.empty()) {
        const char* env = std::getenv(backend_env);
        spec = (env && *env) ? env : "subprocess";
    }
    const nlohmann::json config = {{"cli_binary", options.cli_binary}};
    return load_backend(spec, config.dump());
}

}  // namespace

Juju::Juju(JujuOptions options) : Juju(load_configured_backend(options), options) {}

Juju::Juju(std::shared_ptr<CliBackend> backend, JujuOptions options)
    : model_(std::move(options.model)),
      wait_timeout_(options.wait_timeout),
      cli_binary_(options.cli_binary.empty() ? "juju" : std::move(options.cli_binary)),
      backend_(std::move(backend)) {
    if (!backend_) throw PluginError("Juju was given a null backend");
}

std::string Juju::cli(std::vector<std::string> args, CliOptions options) {
    return run_cli(std::move(args), {.include_model = options.include_model,
                                     .stdin_text = std::move(options.stdin_text)})
        .stdout_text;
}

CliResult Juju::run_cli(std::vector<std::string> args, RunOptions options) {
    if (args.empty()) throw Error("Juju::cli needs at least one argument (the command)");
    if (options.include_model && model_) {
        args.insert(args.begin() + 1, {"--model", *model_});
    }
    if (options.log) logger()->info("cli: juju {}", shell_join(args));

    CliRequest request{.args = std::move(args),
                       .stdin_text = std::move(options.stdin_text),
                       .temp_files = std::move(options.temp_files),
                       .timeout = options.timeout};
    CliResult result = backend_->run(request);
    if (result.returncode != 0) {
        std::vector<std::string> argv;
        argv.reserve(request.args.size() + 1);
        argv.push_back(cli_binary_);
        argv.insert(argv.end(), request.args.begin(), request.args.end());
        throw CLIError(std::move(argv), result.returncode, std::move(result.stdout_text),
                       std::move(result.stderr_text));
    }
    return result;
}

}  // namespace jubilant
