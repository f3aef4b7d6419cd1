// Secret content, credentials, cloud definitions and action params must only ever reach juju
// through a sensitive temp file: never argv, never the log, never exception text.
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/stub_executable.hpp"

using namespace jubilant;
using jubilant::test::LogCapture;
using jubilant::testkit::MockBackend;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Return;
using ::testing::SaveArg;

namespace {

struct Case {
    const char* name;
    std::function<void(Juju&, const std::string& canary)> call;
};

const Case cases[] = {
    {"add_secret",
     [](Juju& j, const std::string& c) {
         j.add_secret("s", {{"password", c}}, {.info = "i"});
     }},
    {"add_secret_key",
     [](Juju& j, const std::string& c) {
         j.add_secret("s", {{c, "value"}});
     }},
    {"update_secret",
     [](Juju& j, const std::string& c) {
         j.update_secret("s", {{"password", c}}, {.name = "n", .auto_prune = true});
     }},
    {"add_credential",
     [](Juju& j, const std::string& c) {
         j.add_credential(
             "aws",
             Value::Object{
                 {"credentials",
                  Value::Object{{"aws", Value::Object{{"me", Value::Object{{"secret-key", c}}}}}}}},
             {.client = true});
     }},
    {"add_cloud",
     [](Juju& j, const std::string& c) {
         j.add_cloud(
             "cl", Value::Object{{"clouds", Value::Object{{"cl", Value::Object{{"endpoint", c}}}}}},
             {.controller = "ctl"});
     }},
    {"update_cloud",
     [](Juju& j, const std::string& c) {
         j.update_cloud(
             "cl", Value::Object{{"clouds", Value::Object{{"cl", Value::Object{{"endpoint", c}}}}}},
             {.client = true});
     }},
    {"run_params",
     [](Juju& j, const std::string& c) {
         j.run("u/0", "act", {.params = Value::Object{{"token", c}, {"nested", Value::Array{c}}}});
     }},
};

std::string canary_for(const char* name) { return std::string("CANARY-7f3a9c-") + name; }

bool contains(const std::vector<std::string>& args, const std::string& needle) {
    for (const auto& a : args) {
        if (a.find(needle) != std::string::npos) return true;
    }
    return false;
}

const char* const run_ok =
    R"({"u/0": {"id": "1", "results": {"return-code": 0}, "status": "completed"}})";

}  // namespace

TEST(SensitiveData, OnlyInSensitiveTempFileOnSuccess) {
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto backend = std::make_shared<MockBackend>();
        Juju juju(backend, {.model = "mdl", .cli_binary = "/nonexistent/juju"});
        const std::string canary = canary_for(c.name);
        CliRequest seen;
        EXPECT_CALL(*backend, run(_))
            .WillOnce(DoAll(
                SaveArg<0>(&seen),
                Return(CliResult{
                    .returncode = 0,
                    .stdout_text = std::string(c.name) == "run_params" ? run_ok : "secret:abc\n",
                    .stderr_text = ""})));
        LogCapture logs(spdlog::level::debug);
        c.call(juju, canary);

        EXPECT_FALSE(contains(seen.args, canary));
        EXPECT_FALSE(seen.stdin_text.has_value());
        bool in_sensitive_file = false;
        for (const auto& f : seen.temp_files) {
            if (f.content.find(canary) != std::string::npos) {
                EXPECT_TRUE(f.sensitive) << f.name;
                EXPECT_TRUE(contains(seen.args, temp_file_placeholder(f.name))) << f.name;
                in_sensitive_file = true;
            }
        }
        EXPECT_TRUE(in_sensitive_file);
        EXPECT_THAT(logs.text(), HasSubstr("cli: juju"));  // the call itself was logged
        EXPECT_THAT(logs.text(), Not(HasSubstr(canary)));
    }
}

TEST(SensitiveData, NotInCliErrorOrLogsOnFailure) {
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto backend = std::make_shared<MockBackend>();
        Juju juju(backend, {.cli_binary = "/nonexistent/juju"});
        const std::string canary = canary_for(c.name);
        EXPECT_CALL(*backend, run(_))
            .WillOnce(Return(CliResult{
                .returncode = 1, .stdout_text = "out", .stderr_text = "ERROR something broke"}));
        LogCapture logs(spdlog::level::debug);
        try {
            c.call(juju, canary);
            ADD_FAILURE() << "expected CLIError";
        } catch (const CLIError& e) {
            EXPECT_THAT(e.what(), Not(HasSubstr(canary)));
            EXPECT_FALSE(contains(e.args(), canary));
            EXPECT_THAT(e.what(), HasSubstr("ERROR something broke"));
        }
        EXPECT_THAT(logs.text(), Not(HasSubstr(canary)));
    }
}

TEST(SensitiveData, ConfigValuesDoTravelInArgv) {
    // Documented contrast: config() follows Jubilant and puts values in argv, which is why
    // secrets belong in add_secret() rather than config.
    auto backend = std::make_shared<MockBackend>();
    Juju juju(backend, {.cli_binary = "/nonexistent/juju"});
    CliRequest seen;
    EXPECT_CALL(*backend, run(_)).WillOnce(DoAll(SaveArg<0>(&seen), Return(CliResult{})));
    juju.config_set("app", {{"key", "visible"}});
    EXPECT_TRUE(contains(seen.args, "key=visible"));
    EXPECT_TRUE(seen.temp_files.empty());
}
