// Per-test fake Juju and temporary models.
//
//   class DeployTest : public jubilant::testkit::FakeJujuTest {};
//   TEST_F(DeployTest, SettlesActive) {
//       juju().deploy("postgresql");
//       juju().wait(jubilant::all_active);   // simulated time: no real sleeping
//   }
//
// Each test gets its own fake (in-process state, or a fresh data directory for the fake-juju
// executable), so tests stay independent and shardable. TempModelTest gives each test a fresh
// randomly named model on whatever backend the environment selects ($JUBILANT_BACKEND), and
// destroys it afterwards: the fixture for tests against a real controller.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <source_location>
#include <string>

#include <gtest/gtest.h>

#include <jubilant/backend.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/temp_model.hpp>
#include <jubilant/testing/call_site.hpp>

namespace jubilant::testkit {

/// How a ScopedFakeJuju runs the fake.
struct FakeJujuOptions {
    /// Empty: the in-process `fake` plugin. Otherwise the fake-juju executable to run through
    /// the subprocess plugin ("fake-juju" is looked up in PATH), with its own data directory.
    std::string binary{};
    /// Extra charm fixtures (<name>.yaml) searched before the built-in ones.
    std::filesystem::path charms_dir{};
    /// Simulated time that passes with each command.
    std::chrono::milliseconds tick{std::chrono::seconds(1)};
    /// Refuse charm names that are neither a fixture nor a local charm with juju's "charm or
    /// bundle not found" (FAKE_JUJU_STRICT=1), so a misspelt name fails the test.
    bool strict = false;
    /// The juju version the fake speaks ("3.6.4", "4.0.1"; FAKE_JUJU_VERSION for the
    /// executable); empty: the fake's default, 3.6.
    std::string juju_version{};
    /// Model to create and use; empty uses the fake's `controller` model.
    std::string model{"test"};
};

/// A fake Juju for the lifetime of a scope, with a private data directory that is removed
/// afterwards (and never shared with another ScopedFakeJuju).
class ScopedFakeJuju {
public:
    explicit ScopedFakeJuju(FakeJujuOptions options = {});
    ~ScopedFakeJuju();
    ScopedFakeJuju(const ScopedFakeJuju&) = delete;
    ScopedFakeJuju& operator=(const ScopedFakeJuju&) = delete;

    /// A Juju bound to the fake (and to options.model).
    Juju& juju() noexcept { return *juju_; }
    std::shared_ptr<CliBackend> backend() const noexcept { return backend_; }
    /// The fake's data directory (holds state.db when the executable is used).
    const std::filesystem::path& data_dir() const noexcept { return data_dir_; }

private:
    std::filesystem::path data_dir_;
    std::shared_ptr<CliBackend> backend_;
    std::optional<Juju> juju_;
};

/// GoogleTest fixture: a fresh fake Juju per test. Override fake_options() to choose the
/// executable face, a charm directory or the tick.
class FakeJujuTest : public ::testing::Test {
protected:
    virtual FakeJujuOptions fake_options() const { return {}; }
    /// The test's Juju (the fake is created on first use). The call site is noted: an
    /// exception escaping the test body is reported at the last juju() call.
    Juju& juju(const std::source_location& caller = std::source_location::current()) {
        call_site_.note(caller);
        return fake().juju();
    }
    /// The test's fake (created on first use).
    ScopedFakeJuju& fake();
    /// Reports an escaped exception at the last juju() call, then removes the fake.
    void TearDown() override {
        call_site_.report_escaped_exception();
        fake_.reset();
    }

private:
    std::optional<ScopedFakeJuju> fake_;
    CallSite call_site_;
};

/// GoogleTest fixture: a temporary model per test (jubilant::TempModel), on the backend that
/// JujuOptions / $JUBILANT_BACKEND select. The model is destroyed in TearDown unless
/// $JUBILANT_KEEP_MODELS is set, to look at it after a failure.
class TempModelTest : public ::testing::Test {
protected:
    virtual TempModelOptions temp_model_options() const { return {}; }
    /// The test's Juju, bound to its temporary model (created on first use). The call site
    /// is noted: an exception escaping the test body is reported at the last juju() call.
    Juju& juju(const std::source_location& caller = std::source_location::current()) {
        call_site_.note(caller);
        return temp_model().juju();
    }
    /// The test's temporary model (created on first use).
    TempModel& temp_model();
    /// Reports an escaped exception at the last juju() call, then destroys the model.
    void TearDown() override {
        call_site_.report_escaped_exception();
        model_.reset();
    }

private:
    std::optional<TempModel> model_;
    CallSite call_site_;
};

}  // namespace jubilant::testkit
