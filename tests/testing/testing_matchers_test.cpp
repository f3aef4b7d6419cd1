// jubilant::testkit request matchers and actions: what they match, how they describe
// themselves, and the failure messages GoogleTest/GoogleMock print with them.
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

namespace {

using jubilant::CliRequest;
using jubilant::CliResult;
using jubilant::TempFile;
using jubilant::testkit::Args;
using jubilant::testkit::ArgsThat;
using jubilant::testkit::Command;
using jubilant::testkit::HasFlag;
using jubilant::testkit::HasOption;
using jubilant::testkit::MockBackend;
using jubilant::testkit::OnModel;
using jubilant::testkit::ReturnFailure;
using jubilant::testkit::ReturnStdout;
using jubilant::testkit::Stdin;
using jubilant::testkit::TempFileContent;
using ::testing::_;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

CliRequest request(std::vector<std::string> args) { return CliRequest{.args = std::move(args)}; }

CliRequest deploy_request() {
    return request({"deploy", "--model", "m", "pg", "--channel", "14/stable", "--trust"});
}

template <typename M>
std::string describe(const M& matcher) {
    return ::testing::DescribeMatcher<const CliRequest&>(matcher);
}

template <typename M>
std::string describe_negation(const M& matcher) {
    return ::testing::DescribeMatcher<const CliRequest&>(matcher, /*negation=*/true);
}

// Runs the matcher and returns {matched, explanation}.
template <typename M>
std::pair<bool, std::string> explain(const M& matcher, const CliRequest& value) {
    ::testing::StringMatchResultListener listener;
    const bool matched = ::testing::ExplainMatchResult(
        ::testing::Matcher<const CliRequest&>(matcher), value, &listener);
    return {matched, listener.str()};
}

TEST(PrintTo, ShowsArgvShellQuotedWithInputsButNoSensitiveContent) {
    CliRequest r{.args = {"add-secret", "my secret", "--file", "{tmp:content.yaml}"},
                 .stdin_text = "line\n",
                 .temp_files = {{.name = "content.yaml", .content = "hunter2", .sensitive = true},
                                {.name = "notes", .content = "public", .sensitive = false}},
                 .timeout = std::chrono::milliseconds(1500)};
    const std::string printed = ::testing::PrintToString(r);
    EXPECT_EQ(printed,
              "argv: juju add-secret 'my secret' --file '{tmp:content.yaml}'; stdin: \"line\\n\"; "
              "temp files: content.yaml (sensitive), notes; timeout: 1500ms");
    EXPECT_THAT(printed, Not(HasSubstr("hunter2")));
    EXPECT_EQ(::testing::PrintToString(request({})), "argv: juju");
}

TEST(PrintTo, ShowsAResult) {
    EXPECT_EQ(::testing::PrintToString(
                  CliResult{.returncode = 2, .stdout_text = "o", .stderr_text = "e\n"}),
              "returncode 2, stdout \"o\", stderr \"e\\n\"");
}

TEST(CommandMatcher, MatchesTheFirstArgument) {
    EXPECT_THAT(deploy_request(), Command("deploy"));
    EXPECT_THAT(deploy_request(), Not(Command("pg")));
    EXPECT_THAT(request({}), Not(Command("deploy")));
}

TEST(CommandMatcher, DescribesAndExplainsWithTheArgv) {
    EXPECT_EQ(describe(Command("deploy")), "is the command juju deploy");
    EXPECT_EQ(describe_negation(Command("deploy")), "isn't the command juju deploy");
    EXPECT_EQ(explain(Command("deploy"), request({"status", "--format", "json"})),
              std::pair(false, std::string("whose command is status")));
    EXPECT_EQ(explain(Command("deploy"), request({})).second, "which has no arguments");
    EXPECT_EQ(explain(Command("deploy"), request({"deploy"})),
              std::pair(true, std::string("whose command is deploy")));
}

TEST(ArgsMatcher, MatchesTheWholeArgvExactly) {
    EXPECT_THAT(request({"status", "--format", "json"}), Args({"status", "--format", "json"}));
    EXPECT_THAT(request({"status", "--format", "json", "--model", "m"}),
                Not(Args({"status", "--format", "json"})));
    EXPECT_THAT(request({"status"}), Not(Args({"status", "--format", "json"})));
}

TEST(ArgsMatcher, NamesTheFirstDifference) {
    const auto m = Args({"deploy", "pg", "--channel", "14/stable"});
    EXPECT_EQ(describe(m), "has argv: juju deploy pg --channel 14/stable");
    EXPECT_EQ(describe_negation(m), "doesn't have argv: juju deploy pg --channel 14/stable");
    EXPECT_EQ(explain(m, request({"deploy", "pg", "--channel", "edge"})).second,
              "whose argument 4 is edge, not 14/stable");
    EXPECT_EQ(
        explain(m, request({"deploy", "pg", "--channel", "14/stable", "--trust", "x y"})).second,
        "which has 2 more arguments from argument 5: --trust 'x y'");
    EXPECT_EQ(explain(m, request({"deploy", "pg", "--channel", "14/stable", "--trust"})).second,
              "which has 1 more argument from argument 5: --trust");
    EXPECT_EQ(explain(m, request({"deploy", "pg"})).second,
              "which ends before argument 3, missing: --channel 14/stable");
    EXPECT_EQ(explain(m, request({"deploy", "pg", "--channel", "14/stable"})),
              std::pair(true, std::string()));
}

TEST(ArgsThatMatcher, AppliesAContainerMatcher) {
    const auto m = ArgsThat(::testing::Contains("pg"));
    EXPECT_THAT(deploy_request(), m);
    EXPECT_THAT(request({"status"}), Not(m));
    EXPECT_EQ(describe(m), "has argv that contains at least one element that is equal to \"pg\"");
    EXPECT_EQ(explain(::testing::Matcher<const CliRequest&>(ArgsThat(::testing::SizeIs(3))),
                      request({"status"}))
                  .second,
              "whose size 1 doesn't match");
}

TEST(OptionMatcher, MatchesSeparateAndEqualsForms) {
    EXPECT_THAT(deploy_request(), HasOption("--channel", "14/stable"));
    EXPECT_THAT(request({"deploy", "pg", "--channel=edge"}), HasOption("--channel", "edge"));
    EXPECT_THAT(deploy_request(), HasOption("--channel", StartsWith("14/")));
    EXPECT_THAT(deploy_request(), Not(HasOption("--channel", "edge")));
    // A value after "--" belongs to the command being run, not to juju.
    EXPECT_THAT(request({"exec", "--unit", "pg/0", "--", "ls", "--channel", "x"}),
                Not(HasOption("--channel", _)));
    // An option at the very end has no value.
    EXPECT_THAT(request({"deploy", "--channel"}), Not(HasOption("--channel", _)));
}

TEST(OptionMatcher, RepeatedOptionMatchesAnyValue) {
    const CliRequest r = request({"deploy", "pg", "--config", "a=1", "--config", "b=2"});
    EXPECT_THAT(r, HasOption("--config", "b=2"));
    EXPECT_EQ(explain(HasOption("--config", "c=3"), r).second,
              "whose --config values are a=1, b=2, none of which matches");
}

TEST(OptionMatcher, DescribesAndExplains) {
    const auto m = HasOption("--channel", "edge");
    EXPECT_EQ(describe(m), "has option --channel with a value that is equal to \"edge\"");
    EXPECT_EQ(describe_negation(m),
              "doesn't have option --channel with a value that is equal to \"edge\"");
    EXPECT_EQ(explain(m, deploy_request()).second, "whose --channel is 14/stable");
    EXPECT_EQ(explain(m, request({"status"})).second, "which has no --channel option with a value");
    // The value matcher's own explanation is passed on.
    EXPECT_EQ(explain(HasOption("--num-units", ::testing::SizeIs(2)),
                      request({"add-unit", "--num-units", "3"}))
                  .second,
              "whose --num-units is 3, whose size 1 doesn't match");
}

TEST(OnModelMatcher, MatchesTheModelOption) {
    EXPECT_THAT(deploy_request(), OnModel("m"));
    EXPECT_THAT(deploy_request(), Not(OnModel("other")));
    EXPECT_THAT(request({"status"}), Not(OnModel(_)));
    EXPECT_EQ(describe(OnModel("m")), "has option --model with a value that is equal to \"m\"");
    EXPECT_EQ(explain(OnModel("x"), deploy_request()).second, "whose --model is m");
}

TEST(FlagMatcher, MatchesAnArgumentBeforeDoubleDash) {
    EXPECT_THAT(deploy_request(), HasFlag("--trust"));
    EXPECT_THAT(deploy_request(), Not(HasFlag("--force")));
    EXPECT_THAT(request({"exec", "--unit", "u/0", "--", "rm", "--force"}), Not(HasFlag("--force")));
    EXPECT_EQ(describe(HasFlag("--trust")), "has flag --trust");
    EXPECT_EQ(describe_negation(HasFlag("--trust")), "doesn't have flag --trust");
    EXPECT_EQ(explain(HasFlag("--trust"), deploy_request()),
              std::pair(true, std::string("which has --trust at argument 7")));
    EXPECT_EQ(explain(HasFlag("--force"), request({"remove-unit", "u/0"})).second,
              "which doesn't have --force");
}

TEST(StdinMatcher, MatchesStandardInput) {
    CliRequest r = request({"ssh", "u/0"});
    EXPECT_THAT(r, Not(Stdin(_)));
    EXPECT_EQ(explain(Stdin("x"), r).second, "which has no stdin");
    r.stdin_text = "echo hi\n";
    EXPECT_THAT(r, Stdin("echo hi\n"));
    EXPECT_THAT(r, Stdin(HasSubstr("hi")));
    EXPECT_THAT(r, Not(Stdin("bye")));
    EXPECT_EQ(describe(Stdin(HasSubstr("hi"))), "has stdin that has substring \"hi\"");
    EXPECT_EQ(describe_negation(Stdin("a")), "doesn't have stdin that is equal to \"a\"");
    EXPECT_EQ(explain(Stdin("bye"), r).second, "whose stdin is \"echo hi\\n\"");
}

TEST(StdinMatcher, ShortensLongInputInMessages) {
    CliRequest r = request({"ssh"});
    r.stdin_text = std::string(1000, 'x');
    const std::string why = explain(Stdin("y"), r).second;
    EXPECT_THAT(why, HasSubstr("... (1000 bytes)"));
    EXPECT_LT(why.size(), 300u);
}

TEST(TempFileContentMatcher, MatchesByNameAndContent) {
    CliRequest r = request({"add-secret", "s", "--file", "{tmp:content.yaml}"});
    r.temp_files = {
        TempFile{.name = "params.yaml", .content = "a: 1\n", .sensitive = false},
        TempFile{.name = "content.yaml", .content = "password: hunter2\n", .sensitive = true}};
    EXPECT_THAT(r, TempFileContent("content.yaml", HasSubstr("hunter2")));
    EXPECT_THAT(r, TempFileContent("params.yaml", "a: 1\n"));
    EXPECT_THAT(r, Not(TempFileContent("params.yaml", "a: 2\n")));
    EXPECT_THAT(r, Not(TempFileContent("other.yaml", _)));
    EXPECT_EQ(describe(TempFileContent("params.yaml", "a: 1\n")),
              "has temp file params.yaml whose content is equal to \"a: 1\\n\"");
    EXPECT_EQ(describe_negation(TempFileContent("params.yaml", "x")),
              "doesn't have temp file params.yaml whose content is equal to \"x\"");
    EXPECT_EQ(explain(TempFileContent("params.yaml", "a: 2\n"), r).second,
              "whose temp file params.yaml contains \"a: 1\\n\"");
    EXPECT_EQ(explain(TempFileContent("other.yaml", _), r).second,
              "which has no temp file other.yaml (temp files: params.yaml, content.yaml)");
    EXPECT_EQ(explain(TempFileContent("x", _), request({"status"})).second,
              "which has no temp file x (no temp files)");
}

TEST(TempFileContentMatcher, NeverPrintsSensitiveContent) {
    CliRequest r = request({"add-secret"});
    r.temp_files = {TempFile{.name = "content.yaml", .content = "hunter2", .sensitive = true}};
    const auto [matched, why] = explain(TempFileContent("content.yaml", "nope"), r);
    EXPECT_FALSE(matched);
    EXPECT_EQ(why, "whose temp file content.yaml is sensitive: its content (7 bytes) is not shown");
}

TEST(Composition, AllOfReportsTheFailingMatcher) {
    const ::testing::Matcher<const CliRequest&> m =
        AllOf(Command("deploy"), HasOption("--channel", "edge"), HasFlag("--trust"));
    EXPECT_THAT(request({"deploy", "pg", "--channel", "edge", "--trust"}), m);
    EXPECT_EQ(describe(m),
              "(is the command juju deploy) and (has option --channel with a value that is equal "
              "to \"edge\") and (has flag --trust)");
    EXPECT_EQ(explain(m, deploy_request()).second, "whose --channel is 14/stable");
}

TEST(FailureMessages, ExpectThatPrintsTheRequestAndTheReason) {
    EXPECT_NONFATAL_FAILURE(EXPECT_THAT(deploy_request(), HasFlag("--force")),
                            "Expected: has flag --force\n  Actual: argv: juju deploy --model m pg "
                            "--channel 14/stable --trust (of type jubilant::CliRequest), which "
                            "doesn't have --force");
}

TEST(FailureMessages, UnexpectedCallShowsTheArgvAndWhatWasExpected) {
    EXPECT_NONFATAL_FAILURE(
        {
            auto backend = std::make_shared<MockBackend>();
            EXPECT_CALL(*backend, run(AllOf(Command("deploy"), HasFlag("--trust"))))
                .Times(::testing::AnyNumber());
            jubilant::Juju juju(backend, {.cli_binary = "/nonexistent/juju"});
            try {
                juju.cli({"status", "--format", "json"});
            } catch (const jubilant::Error&) {}
        },
        "Expected arg #0: (is the command juju deploy) and (has flag --trust)\n"
        "           Actual: argv: juju status --format json, whose command is status");
}

TEST(Actions, ReturnStdoutAndReturnFailure) {
    auto backend = std::make_shared<MockBackend>();
    EXPECT_CALL(*backend, run(Command("version"))).WillOnce(ReturnStdout("3.6.4\n"));
    EXPECT_CALL(*backend, run(Command("deploy")))
        .WillOnce(ReturnFailure(1, "ERROR no such charm\n", "partial\n"));
    jubilant::Juju juju(backend, {.cli_binary = "/nonexistent/juju"});
    EXPECT_EQ(juju.cli({"version"}), "3.6.4\n");
    try {
        juju.cli({"deploy", "nope"});
        FAIL() << "expected CLIError";
    } catch (const jubilant::CLIError& e) {
        EXPECT_EQ(e.returncode(), 1);
        EXPECT_EQ(e.stderr_text(), "ERROR no such charm\n");
        EXPECT_EQ(e.stdout_text(), "partial\n");
    }
}

}  // namespace
