// Test support: the same test body against both faces of the fake Juju, the in-process
// `fake` plugin and the `fake-juju` executable driven through the subprocess plugin.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>

#include "support/stub_executable.hpp"

namespace jubilant::test {

enum class FakeFace { plugin, binary };

inline std::string face_name(const ::testing::TestParamInfo<FakeFace>& info) {
    return info.param == FakeFace::plugin ? "Plugin" : "Binary";
}

class FakeFaceTest : public ::testing::TestWithParam<FakeFace> {
protected:
    void SetUp() override {
        if (GetParam() == FakeFace::binary) {
            data_env_.emplace("FAKE_JUJU_DATA", data_.path().string());
            tick_env_.emplace("FAKE_JUJU_TICK_MS", std::nullopt);
            charms_env_.emplace("FAKE_JUJU_CHARMS", charms_dir().string());
            strict_env_.emplace("FAKE_JUJU_STRICT", std::nullopt);
            backend_ = load_backend("subprocess", std::string("{\"cli_binary\": \"") +
                                                      JUBILANT_FAKE_JUJU + "\"}");
        } else {
            backend_ = load_backend("fake", "{\"charms_dir\": \"" + charms_dir().string() + "\"}");
        }
        juju_.emplace(backend_, JujuOptions{.cli_binary = "/nonexistent/juju"});
    }

    Juju& juju() { return *juju_; }
    /// Charm fixtures and rules files the face finds by name ($FAKE_JUJU_CHARMS, charms_dir).
    std::filesystem::path charms_dir() const { return charms_.path(); }
    /// A scratch directory for files the test hands to commands (charms, params files).
    std::filesystem::path scratch() const { return scratch_.path(); }
    CliBackend& backend() { return *backend_; }

    /// Runs a raw command line through the face (no Juju, no --model insertion).
    CliResult raw(std::vector<std::string> args, std::vector<TempFile> temp_files = {}) {
        return backend_->run({.args = std::move(args), .stdin_text = {},
                              .temp_files = std::move(temp_files), .timeout = {}});
    }

    /// Runs status polls until every unit has settled (simulated time passes per command).
    void settle(int commands = 12) {
        for (int i = 0; i < commands; ++i) raw({"status", "--format", "json"});
    }

private:
    TempDir data_;
    TempDir charms_;
    TempDir scratch_;
    std::optional<ScopedEnv> data_env_;
    std::optional<ScopedEnv> tick_env_;
    std::optional<ScopedEnv> charms_env_;
    std::optional<ScopedEnv> strict_env_;
    std::shared_ptr<CliBackend> backend_;
    std::optional<Juju> juju_;
};

#define JUBILANT_FAKE_FACES(suite)                                                             \
    INSTANTIATE_TEST_SUITE_P(Faces, suite,                                                     \
                             ::testing::Values(::jubilant::test::FakeFace::plugin,             \
                                               ::jubilant::test::FakeFace::binary),            \
                             ::jubilant::test::face_name)

}  // namespace jubilant::test
