#include <jubilant/errors.hpp>

#include <gtest/gtest.h>

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
