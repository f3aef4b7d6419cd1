// GoogleMock support for tests that check the exact commands Juju issues.
//
//   using namespace jubilant::testkit;
//   auto backend = std::make_shared<MockBackend>();
//   EXPECT_CALL(*backend, run(AllOf(Command("deploy"), HasOption("--channel", "edge"),
//                                   HasFlag("--trust"))))
//       .WillOnce(ReturnStdout(""));
//   EXPECT_CALL(*backend, run(Command("status"))).WillRepeatedly(ReturnStatus(builder));
//   jubilant::Juju juju(backend);
//
// Every matcher takes a CliRequest, composes with GoogleMock's AllOf/AnyOf/Not, describes
// itself with argv as a shell would show it (`has argv: juju deploy pg --trust`) and explains a
// mismatch by what differs (`whose --channel is edge`). GoogleMock prints the request itself
// through PrintTo below (`argv: juju deploy pg --channel edge`) next to every explanation, so
// explanations do not repeat it. Sensitive temp-file contents are never printed.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include <jubilant/backend.hpp>
#include <jubilant/clock.hpp>

namespace jubilant {

/// GoogleTest/GoogleMock print a CliRequest with this (found by argument-dependent lookup):
/// `argv: juju deploy pg --channel edge`, then stdin, temp-file names and the timeout when
/// present. Sensitive temp-file contents are never printed.
void PrintTo(const CliRequest& request, std::ostream* os);

/// Prints a CliResult as `returncode 1, stdout "...", stderr "..."`.
void PrintTo(const CliResult& result, std::ostream* os);

}  // namespace jubilant

namespace jubilant::testkit {

/// An in-process CliBackend whose run() is a GoogleMock method.
class MockBackend : public CliBackend {
public:
    // Defined in the testing library, as GoogleMock's cookbook advises: most of the code a mock
    // class generates is in its constructor and destructor, and a test file that defines them
    // inline compiles it again.
    /// A mock with no expectations and a fresh VirtualClock.
    MockBackend();
    ~MockBackend() override;

    MOCK_METHOD(CliResult, run, (const CliRequest& request), (override));
    /// "mock" (cassettes recorded through it say `recorded_from: mock`).
    std::string name() const override { return "mock"; }
    /// A VirtualClock: Juju::wait over a mock (e.g. a scripted StatusSequence) sleeps
    /// instantly, and its timeouts count simulated seconds.
    std::shared_ptr<Clock> clock() override { return virtual_clock_; }
    /// The same clock, to advance by hand between calls.
    const std::shared_ptr<VirtualClock>& virtual_clock() const noexcept { return virtual_clock_; }

private:
    std::shared_ptr<VirtualClock> virtual_clock_;
};

/// The argv of a request as a log line would show it: "juju " followed by the shell-quoted
/// arguments (the binary is always shown as `juju`, whatever runs it).
std::string quoted_argv(const std::vector<std::string>& args);

/// String matchers used inside request matchers (e.g. the value of an option).
using StringMatcher = ::testing::Matcher<const std::string&>;

// The matcher classes are public so they can be stored and named, but tests normally use the
// factory functions below. Each is a GoogleMock "new-style" matcher of `const CliRequest&`.

/// See Command().
class CommandMatcher {
public:
    using is_gtest_matcher = void;
    explicit CommandMatcher(std::string command) : command_(std::move(command)) {}
    /// GoogleMock: whether `request` matches; explains what differs to `os` unless null.
    bool MatchAndExplain(const CliRequest& request, std::ostream* os) const;
    /// GoogleMock: describes a matching request.
    void DescribeTo(std::ostream* os) const;
    /// GoogleMock: describes a request that does not match.
    void DescribeNegationTo(std::ostream* os) const;

private:
    std::string command_;
};

/// See Args().
class ArgsMatcher {
public:
    using is_gtest_matcher = void;
    explicit ArgsMatcher(std::vector<std::string> args) : args_(std::move(args)) {}
    /// GoogleMock: whether `request` matches; explains what differs to `os` unless null.
    bool MatchAndExplain(const CliRequest& request, std::ostream* os) const;
    /// GoogleMock: describes a matching request.
    void DescribeTo(std::ostream* os) const;
    /// GoogleMock: describes a request that does not match.
    void DescribeNegationTo(std::ostream* os) const;

private:
    std::vector<std::string> args_;
};

/// See ArgsThat().
class ArgsThatMatcher {
public:
    using is_gtest_matcher = void;
    explicit ArgsThatMatcher(::testing::Matcher<const std::vector<std::string>&> matcher)
        : matcher_(std::move(matcher)) {}
    /// GoogleMock: whether `request` matches; explains what differs to `os` unless null.
    bool MatchAndExplain(const CliRequest& request, std::ostream* os) const;
    /// GoogleMock: describes a matching request.
    void DescribeTo(std::ostream* os) const;
    /// GoogleMock: describes a request that does not match.
    void DescribeNegationTo(std::ostream* os) const;

private:
    ::testing::Matcher<const std::vector<std::string>&> matcher_;
};

/// See HasOption() and OnModel().
class OptionMatcher {
public:
    using is_gtest_matcher = void;
    OptionMatcher(std::string option, StringMatcher value)
        : option_(std::move(option)), value_(std::move(value)) {}
    /// GoogleMock: whether `request` matches; explains what differs to `os` unless null.
    bool MatchAndExplain(const CliRequest& request, std::ostream* os) const;
    /// GoogleMock: describes a matching request.
    void DescribeTo(std::ostream* os) const;
    /// GoogleMock: describes a request that does not match.
    void DescribeNegationTo(std::ostream* os) const;

private:
    std::string option_;
    StringMatcher value_;
};

/// See HasFlag().
class FlagMatcher {
public:
    using is_gtest_matcher = void;
    explicit FlagMatcher(std::string flag) : flag_(std::move(flag)) {}
    /// GoogleMock: whether `request` matches; explains what differs to `os` unless null.
    bool MatchAndExplain(const CliRequest& request, std::ostream* os) const;
    /// GoogleMock: describes a matching request.
    void DescribeTo(std::ostream* os) const;
    /// GoogleMock: describes a request that does not match.
    void DescribeNegationTo(std::ostream* os) const;

private:
    std::string flag_;
};

/// See Stdin().
class StdinMatcher {
public:
    using is_gtest_matcher = void;
    explicit StdinMatcher(StringMatcher text) : text_(std::move(text)) {}
    /// GoogleMock: whether `request` matches; explains what differs to `os` unless null.
    bool MatchAndExplain(const CliRequest& request, std::ostream* os) const;
    /// GoogleMock: describes a matching request.
    void DescribeTo(std::ostream* os) const;
    /// GoogleMock: describes a request that does not match.
    void DescribeNegationTo(std::ostream* os) const;

private:
    StringMatcher text_;
};

/// See TempFileContent().
class TempFileContentMatcher {
public:
    using is_gtest_matcher = void;
    TempFileContentMatcher(std::string name, StringMatcher content)
        : name_(std::move(name)), content_(std::move(content)) {}
    /// GoogleMock: whether `request` matches; explains what differs to `os` unless null.
    bool MatchAndExplain(const CliRequest& request, std::ostream* os) const;
    /// GoogleMock: describes a matching request.
    void DescribeTo(std::ostream* os) const;
    /// GoogleMock: describes a request that does not match.
    void DescribeNegationTo(std::ostream* os) const;

private:
    std::string name_;
    StringMatcher content_;
};

/// Matches a request for the juju command `command` (the first argument), e.g.
/// `Command("deploy")`.
inline CommandMatcher Command(std::string command) { return CommandMatcher(std::move(command)); }

/// Matches a request whose argv (without the binary) is exactly `args`, e.g.
/// `Args({"status", "--format", "json"})`. A mismatch names the first differing argument.
inline ArgsMatcher Args(std::vector<std::string> args) { return ArgsMatcher(std::move(args)); }

/// Matches a request whose argv (without the binary) satisfies `matcher`, e.g.
/// `ArgsThat(Contains("pg"))` or `ArgsThat(ElementsAre("deploy", _, "--trust"))`.
inline ArgsThatMatcher ArgsThat(::testing::Matcher<const std::vector<std::string>&> matcher) {
    return ArgsThatMatcher(std::move(matcher));
}

/// Matches a request with option `option` whose value satisfies `value`: `--channel edge` or
/// `--channel=edge` both match `HasOption("--channel", "edge")`. `value` may be a string or
/// any string matcher (`HasOption("--config", StartsWith("port="))`); a repeated option
/// matches when any of its values does.
inline OptionMatcher HasOption(std::string option, StringMatcher value) {
    return OptionMatcher(std::move(option), std::move(value));
}

/// Matches a request containing the argument `flag` (e.g. `HasFlag("--trust")`).
inline FlagMatcher HasFlag(std::string flag) { return FlagMatcher(std::move(flag)); }

/// Matches a request on a model: its `--model` option (which Juju inserts after the command
/// when it has a model) satisfies `model`. `Not(OnModel(_))` matches requests without one.
inline OptionMatcher OnModel(StringMatcher model) {
    return OptionMatcher("--model", std::move(model));
}

/// Matches a request whose standard input satisfies `text`; a request without stdin never
/// matches.
inline StdinMatcher Stdin(StringMatcher text) { return StdinMatcher(std::move(text)); }

/// Matches a request carrying the temp file `name` (see TempFile) whose content satisfies
/// `content`. The content of a sensitive file is matched but never printed.
inline TempFileContentMatcher TempFileContent(std::string name, StringMatcher content) {
    return TempFileContentMatcher(std::move(name), std::move(content));
}

/// Action: succeed with the given stdout.
inline auto ReturnStdout(std::string stdout_text) {
    return ::testing::Return(
        CliResult{.returncode = 0, .stdout_text = std::move(stdout_text), .stderr_text = {}});
}

/// Action: fail with the given return code and stderr (and, rarely needed, stdout). Juju turns
/// it into a CLIError carrying both streams.
inline auto ReturnFailure(int returncode, std::string stderr_text, std::string stdout_text = {}) {
    return ::testing::Return(CliResult{.returncode = returncode,
                                       .stdout_text = std::move(stdout_text),
                                       .stderr_text = std::move(stderr_text)});
}

}  // namespace jubilant::testkit
