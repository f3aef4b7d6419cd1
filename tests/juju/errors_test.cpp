#include <jubilant/errors.hpp>

#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <jubilant/backend.hpp>
#include <jubilant/cassette.hpp>
#include <jubilant/plugin_loader.hpp>

using namespace jubilant;

TEST(CLIError, MessageNamesCommandStatusAndOutputs) {
    const CLIError error({"juju", "deploy", "--model", "m", "pg"}, 2, "some output\n",
                         "ERROR cannot deploy\n");
    const std::string message = error.what();
    EXPECT_NE(message.find("juju deploy --model m pg"), std::string::npos) << message;
    EXPECT_NE(message.find("exit status 2"), std::string::npos) << message;
    EXPECT_NE(message.find("\nStdout:\nsome output\n"), std::string::npos) << message;
    EXPECT_NE(message.find("\nStderr:\nERROR cannot deploy\n"), std::string::npos) << message;
    EXPECT_EQ(error.returncode(), 2);
    EXPECT_EQ(error.args().front(), "juju");
    EXPECT_EQ(error.stdout_text(), "some output\n");
    EXPECT_EQ(error.stderr_text(), "ERROR cannot deploy\n");
}

TEST(CLIError, EmptyOutputsAreLeftOut) {
    const CLIError error({"juju", "status"}, 1, "", "");
    const std::string message = error.what();
    EXPECT_EQ(message.find("Stdout:"), std::string::npos) << message;
    EXPECT_EQ(message.find("Stderr:"), std::string::npos) << message;
}

TEST(CLIError, ArgumentsAreShellQuotedInTheMessage) {
    const CLIError error({"juju", "config", "app", "title=a b"}, 1, "", "");
    EXPECT_NE(std::string(error.what()).find("'title=a b'"), std::string::npos) << error.what();
}

TEST(CLITimeoutError, IsATimeoutErrorCarryingPartialOutput) {
    const CLITimeoutError error({"juju", "wait-for"}, std::chrono::milliseconds(1500), "part",
                                "err");
    const TimeoutError& base = error;
    const std::string message = base.what();
    EXPECT_NE(message.find("juju wait-for"), std::string::npos) << message;
    EXPECT_NE(message.find("1.500s"), std::string::npos) << message;
    EXPECT_EQ(error.partial_stdout(), "part");
    EXPECT_EQ(error.partial_stderr(), "err");
    EXPECT_EQ(error.timeout(), std::chrono::milliseconds(1500));
}

TEST(Errors, AllDeriveFromJubilantError) {
    EXPECT_THROW(throw BackendError("x"), Error);
    EXPECT_THROW(throw PluginError("x"), Error);
    EXPECT_THROW(throw ParseError("x"), Error);
    EXPECT_THROW(throw WaitError("x"), Error);
    EXPECT_THROW(throw CLIError({"juju"}, 1, "", ""), Error);
}

// A value of any size that a message echoes is cut (cut_for_message): the message stays short,
// keeps the value's beginning (what identifies it) and says how long the value was.
namespace {

const std::string huge_name = "huge-" + std::string(1 << 20, 'x');

template <class Call>
std::string message_of(Call&& call) {
    try {
        call();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

void expect_cut(const std::string& message, const std::string& value) {
    EXPECT_LT(message.size(), 1000U) << message.substr(0, 300);
    EXPECT_NE(message.find(value.substr(0, 100)), std::string::npos) << message.substr(0, 300);
    EXPECT_NE(message.find(fmt::format("...({} bytes)", value.size())), std::string::npos)
        << message.substr(0, 300);
}

}  // namespace

TEST(LongValuesInMessages, AFileErrorCutsThePath) {
    const std::string path = "/tmp/" + huge_name + "/cassette.json";
    const auto message = message_of([&] { cassette::Cassette::load(path); });
    EXPECT_NE(message.find("cannot"), std::string::npos) << message.substr(0, 300);
    expect_cut(message, path);
}

TEST(LongValuesInMessages, TheSubprocessPluginCutsAMissingBinaryPath) {
    const std::string binary = "/tmp/" + huge_name;
    const auto backend = load_backend(BackendSpec{.plugin = "subprocess", .target = binary}, "{}",
                                      {.merge_environment_config = false});
    const auto message = message_of([&] { backend->run(CliRequest{.args = {"status"}}); });
    EXPECT_NE(message.find("does not exist"), std::string::npos) << message.substr(0, 300);
    expect_cut(message, binary);
}

TEST(LongValuesInMessages, TheSubprocessPluginCutsABinaryNameNotOnPath) {
    const auto backend = load_backend(BackendSpec{.plugin = "subprocess", .target = huge_name},
                                      "{}", {.merge_environment_config = false});
    const auto message = message_of([&] { backend->run(CliRequest{.args = {"status"}}); });
    EXPECT_NE(message.find("not found in PATH"), std::string::npos) << message.substr(0, 300);
    expect_cut(message, huge_name);
}
