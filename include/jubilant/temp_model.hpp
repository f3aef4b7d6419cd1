// jubilant::TempModel: a model that lives as long as a C++ scope, for tests (Jubilant's
// temp_model context manager).
//
//   jubilant::TempModel tm;                     // adds "jubilant-1a2b3c4d"
//   tm.juju().deploy("snappass-test");
//   // leaving the scope destroys the model and its storage (unless .keep)
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <jubilant/backend.hpp>
#include <jubilant/juju.hpp>

namespace jubilant {

/// Options for TempModel.
struct TempModelOptions {
    /// Leave the model in place when the TempModel is destroyed (e.g. to debug a failure).
    bool keep = false;
    /// Controller to add the model on (default: the current one).
    std::optional<std::string> controller{};
    /// Cloud or region (or cloud/region) for the model.
    std::optional<std::string> cloud{};
    /// Model config, e.g. {{"image-stream", "daily"}}.
    ConfigValues config{};
    /// Cloud credential name.
    std::optional<std::string> credential{};
    /// How the Juju instance is built (backend, cli_binary, wait_timeout); `model` is ignored,
    /// because the temporary model replaces it.
    JujuOptions juju{};
    /// How long destroying the model may take before giving up with an ERROR log. Jubilant uses
    /// 10 minutes, mainly because MicroK8s destroy-model can hang indefinitely.
    std::chrono::milliseconds destroy_timeout = std::chrono::minutes(10);
};

/// Adds a randomly named model (`jubilant-` + 8 hex digits) on construction and destroys it,
/// with its storage and `--force`, on destruction unless `keep`.
///
/// The destructor never throws: a failed or timed-out destroy is logged at ERROR on the
/// "jubilant" logger. Configure the instance (e.g. its wait timeout) through juju().
class TempModel {
public:
    /// Uses the backend selected by options.juju (see JujuOptions::backend).
    explicit TempModel(TempModelOptions options = {});
    /// Uses the given backend, e.g. a MockBackend in tests.
    TempModel(std::shared_ptr<CliBackend> backend, TempModelOptions options = {});
    ~TempModel();

    TempModel(const TempModel&) = delete;
    TempModel& operator=(const TempModel&) = delete;
    TempModel(TempModel&&) = delete;
    TempModel& operator=(TempModel&&) = delete;

    /// The instance operating on the temporary model.
    Juju& juju() noexcept { return juju_; }
    /// The model reference as created (`name` or `controller:name`).
    const std::string& model() const noexcept { return model_; }

private:
    TempModel(Juju juju, TempModelOptions options);

    Juju juju_;
    std::string model_;
    bool keep_;
    std::chrono::milliseconds destroy_timeout_;
};

/// What random_model_name() starts with.
inline constexpr std::string_view generated_model_prefix = "jubilant-";
/// How many lowercase hex digits follow generated_model_prefix.
inline constexpr std::size_t generated_model_digits = 8;

/// A fresh model name like Jubilant's: "jubilant-" followed by 8 random lowercase hex digits.
/// Cassette replay treats such names as generated (see MatchOptions::generated_names).
std::string random_model_name();

/// Where the first generated model name (as random_model_name() makes them, standing alone:
/// not inside a longer word) starts in `text` at or after `from`; npos when there is none.
std::size_t find_generated_model_name(std::string_view text, std::size_t from = 0) noexcept;

}  // namespace jubilant
