#include <jubilant/testing/fake_fixture.hpp>

#include <stdlib.h>

#include <nlohmann/json.hpp>

#include <jubilant/errors.hpp>
#include <jubilant/plugin_loader.hpp>

namespace jubilant::testkit {
namespace {

namespace fs = std::filesystem;

fs::path make_private_dir() {
    std::string pattern = (fs::temp_directory_path() / "jubilant-fake-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        throw Error("ScopedFakeJuju: cannot create a data directory under " +
                    fs::temp_directory_path().string());
    }
    return pattern;
}

}  // namespace

ScopedFakeJuju::ScopedFakeJuju(FakeJujuOptions options) : data_dir_(make_private_dir()) {
    try {
        if (options.binary.empty()) {
            nlohmann::json config = {{"tick_ms", options.tick.count()}};
            if (!options.charms_dir.empty()) config["charms_dir"] = options.charms_dir.string();
            if (options.strict) config["strict"] = true;
            if (!options.juju_version.empty()) config["juju_version"] = options.juju_version;
            backend_ = load_backend("fake", config.dump());
        } else {
            // The executable finds its data directory and settings in its environment, which
            // the subprocess plugin passes on: per-test values go in before the first call.
            ::setenv("FAKE_JUJU_DATA", data_dir_.c_str(), 1);
            ::setenv("FAKE_JUJU_TICK_MS", std::to_string(options.tick.count()).c_str(), 1);
            if (!options.charms_dir.empty()) {
                ::setenv("FAKE_JUJU_CHARMS", options.charms_dir.c_str(), 1);
            } else {
                ::unsetenv("FAKE_JUJU_CHARMS");
            }
            if (options.strict) {
                ::setenv("FAKE_JUJU_STRICT", "1", 1);
            } else {
                ::unsetenv("FAKE_JUJU_STRICT");
            }
            if (!options.juju_version.empty()) {
                ::setenv("FAKE_JUJU_VERSION", options.juju_version.c_str(), 1);
            } else {
                ::unsetenv("FAKE_JUJU_VERSION");
            }
            backend_ =
                load_backend("subprocess", nlohmann::json{{"cli_binary", options.binary}}.dump());
        }
        juju_.emplace(backend_, JujuOptions{.cli_binary = options.binary.empty()
                                                              ? std::string("/nonexistent/juju")
                                                              : options.binary});
        if (!options.model.empty()) juju_->add_model(options.model);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(data_dir_, ec);
        throw;
    }
}

ScopedFakeJuju::~ScopedFakeJuju() {
    juju_.reset();
    backend_.reset();
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
}

ScopedFakeJuju& FakeJujuTest::fake() {
    if (!fake_) fake_.emplace(fake_options());
    return *fake_;
}

TempModel& TempModelTest::temp_model() {
    if (!model_) {
        TempModelOptions options = temp_model_options();
        if (const char* keep = std::getenv("JUBILANT_KEEP_MODELS"); keep && *keep) {
            options.keep = true;
        }
        model_.emplace(std::move(options));
    }
    return *model_;
}

}  // namespace jubilant::testkit
