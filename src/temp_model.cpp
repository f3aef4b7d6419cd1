#include <jubilant/temp_model.hpp>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <random>

#include <fmt/format.h>

#include <jubilant/errors.hpp>
#include <jubilant/logging.hpp>

#include "generated_name.hpp"

namespace jubilant {

std::string random_model_name() {
    // random_device is enough here: names only need to avoid collisions between test runs.
    std::random_device device;
    std::uniform_int_distribution<std::uint32_t> dist;
    return fmt::format("{}{:0{}x}", generated_model_prefix, dist(device), generated_model_digits);
}

static_assert(generated_model_prefix == detail::generated_name_prefix &&
              generated_model_digits == detail::generated_name_digits);

std::size_t find_generated_model_name(std::string_view text, std::size_t from) noexcept {
    return detail::find_generated_name(text, from);
}

namespace {

// Everything but the model, which the temporary model replaces. (Built field by field: copying
// the whole struct trips a false -Wmaybe-uninitialized in g++ 12 on the optional model.)
JujuOptions without_model(const JujuOptions& options) {
    JujuOptions out;
    out.wait_timeout = options.wait_timeout;
    out.cli_binary = options.cli_binary;
    out.backend = options.backend;
    return out;
}

}  // namespace

// `options` is passed on by copy, not moved: the order in which the two arguments are
// evaluated is unspecified, and a move could empty options.juju before the Juju is built
// from it (g++ evaluates right to left, which lost the backend spec).
TempModel::TempModel(TempModelOptions options)
    : TempModel(Juju(without_model(options.juju)), options) {}

TempModel::TempModel(std::shared_ptr<CliBackend> backend, TempModelOptions options)
    : TempModel(Juju(std::move(backend), without_model(options.juju)), options) {}

TempModel::TempModel(Juju juju, TempModelOptions options)
    : juju_(std::move(juju)), keep_(options.keep), destroy_timeout_(options.destroy_timeout) {
    const std::string name = random_model_name();
    juju_.add_model(name, {.cloud = std::move(options.cloud),
                           .controller = std::move(options.controller),
                           .config = std::move(options.config),
                           .credential = std::move(options.credential)});
    model_ = juju_.model().value_or(name);
}

TempModel::~TempModel() {
    if (keep_) return;
    const std::string model = juju_.model().value_or(model_);
    try {
        // Not destroy_model(): its --timeout bounds each step, whereas this bounds the whole
        // command, as Jubilant's temp_model does.
        juju_.run_cli({"destroy-model", model, "--no-prompt", "--destroy-storage", "--force"},
                      {.include_model = false, .timeout = destroy_timeout_});
        juju_.set_model(std::nullopt);
    } catch (const CLITimeoutError& e) {
        logger()->error("timeout destroying model: {}\nStdout:\n{}\nStderr:\n{}", e.what(),
                        e.partial_stdout(), e.partial_stderr());
    } catch (const std::exception& e) {
        // Jubilant lets other failures propagate; a destructor cannot, so they are logged.
        logger()->error("error destroying model {}: {}", model, e.what());
    } catch (...) {
        logger()->error("unknown error destroying model {}", model);
    }
}

}  // namespace jubilant
