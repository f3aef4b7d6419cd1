// Test support: the same test body against both faces of the fake Juju, the in-process
// `fake` plugin and the `fake-juju` executable driven through the subprocess plugin, and
// against both juju versions the fake speaks (3.6 and 4.0).
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

/// The juju versions the fake's suites run against: the 3.6 default and a 4.0 release that
/// still refuses status patterns (exact names came back in 4.0.6).
inline constexpr const char* juju36 = "3.6.4";
inline constexpr const char* juju40 = "4.0.5";

/// One run of a face suite: which face, speaking which juju version.
struct FakeSetup {
    FakeFace face = FakeFace::plugin;
    const char* juju_version = juju36;
};

inline std::string face_name(const ::testing::TestParamInfo<FakeSetup>& info) {
    std::string name = info.param.face == FakeFace::plugin ? "Plugin" : "Binary";
    name += info.param.juju_version == std::string(juju36) ? "Juju36" : "Juju40";
    return name;
}

class FakeFaceTest : public ::testing::TestWithParam<FakeSetup> {
protected:
    void SetUp() override {
        const std::string version = GetParam().juju_version;
        if (face() == FakeFace::binary) {
            data_env_.emplace("FAKE_JUJU_DATA", data_.path().string());
            tick_env_.emplace("FAKE_JUJU_TICK_MS", std::nullopt);
            charms_env_.emplace("FAKE_JUJU_CHARMS", charms_dir().string());
            strict_env_.emplace("FAKE_JUJU_STRICT", std::nullopt);
            version_env_.emplace("FAKE_JUJU_VERSION", version);
            backend_ = load_backend(
                "subprocess", std::string("{\"cli_binary\": \"") + JUBILANT_FAKE_JUJU + "\"}");
        } else {
            backend_ = load_backend("fake", "{\"charms_dir\": \"" + charms_dir().string() +
                                                "\", \"juju_version\": \"" + version + "\"}");
        }
        juju_.emplace(backend_, JujuOptions{.cli_binary = "/nonexistent/juju"});
    }

    FakeFace face() const { return GetParam().face; }
    /// The run speaks juju 4 (the branches of a test that expect 4.0's behaviour).
    bool juju4() const { return GetParam().juju_version[0] == '4'; }
    Juju& juju() { return *juju_; }
    /// Charm fixtures and rules files the face finds by name ($FAKE_JUJU_CHARMS, charms_dir).
    std::filesystem::path charms_dir() const { return charms_.path(); }
    /// A scratch directory for files the test hands to commands (charms, params files).
    std::filesystem::path scratch() const { return scratch_.path(); }
    CliBackend& backend() { return *backend_; }

    /// Runs a raw command line through the face (no Juju, no --model insertion).
    CliResult raw(std::vector<std::string> args, std::vector<TempFile> temp_files = {}) {
        return backend_->run({.args = std::move(args),
                              .stdin_text = {},
                              .temp_files = std::move(temp_files),
                              .timeout = {}});
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
    std::optional<ScopedEnv> version_env_;
    std::shared_ptr<CliBackend> backend_;
    std::optional<Juju> juju_;
};

/// Both faces, each speaking juju 3.6 and 4.0.
#define JUBILANT_FAKE_FACES(suite)                                                        \
    INSTANTIATE_TEST_SUITE_P(                                                             \
        Faces, suite,                                                                     \
        ::testing::Values(::jubilant::test::FakeSetup{::jubilant::test::FakeFace::plugin, \
                                                      ::jubilant::test::juju36},          \
                          ::jubilant::test::FakeSetup{::jubilant::test::FakeFace::binary, \
                                                      ::jubilant::test::juju36},          \
                          ::jubilant::test::FakeSetup{::jubilant::test::FakeFace::plugin, \
                                                      ::jubilant::test::juju40},          \
                          ::jubilant::test::FakeSetup{::jubilant::test::FakeFace::binary, \
                                                      ::jubilant::test::juju40}),         \
        ::jubilant::test::face_name)

/// Both faces on juju 3.6 only: for suites whose premise juju 4 removed (deploying a charm
/// directory), whose juju 4 behaviour has its own tests.
#define JUBILANT_FAKE_FACES_JUJU36(suite)                                                 \
    INSTANTIATE_TEST_SUITE_P(                                                             \
        Faces, suite,                                                                     \
        ::testing::Values(::jubilant::test::FakeSetup{::jubilant::test::FakeFace::plugin, \
                                                      ::jubilant::test::juju36},          \
                          ::jubilant::test::FakeSetup{::jubilant::test::FakeFace::binary, \
                                                      ::jubilant::test::juju36}),         \
        ::jubilant::test::face_name)

}  // namespace jubilant::test
