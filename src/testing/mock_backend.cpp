// Request matchers and printers of jubilant::testkit (see testing/mock_backend.hpp).
#include <jubilant/testing/mock_backend.hpp>

#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "print/shell_quote.hpp"

namespace jubilant {
namespace {

// Long stdin or output would bury the one line that matters in a failure message.
constexpr std::size_t max_shown_bytes = 200;

std::string quoted_text(std::string_view text) {
    if (text.size() <= max_shown_bytes) return ::testing::PrintToString(std::string(text));
    return ::testing::PrintToString(std::string(text.substr(0, max_shown_bytes))) + "... (" +
           std::to_string(text.size()) + " bytes)";
}

}  // namespace

void PrintTo(const CliRequest& request, std::ostream* os) {
    *os << "argv: " << testkit::quoted_argv(request.args);
    if (request.stdin_text) *os << "; stdin: " << quoted_text(*request.stdin_text);
    if (!request.temp_files.empty()) {
        *os << "; temp files: ";
        const char* separator = "";
        for (const TempFile& file : request.temp_files) {
            *os << separator << file.name << (file.sensitive ? " (sensitive)" : "");
            separator = ", ";
        }
    }
    if (request.timeout) *os << "; timeout: " << request.timeout->count() << "ms";
}

void PrintTo(const CliResult& result, std::ostream* os) {
    *os << "returncode " << result.returncode << ", stdout " << quoted_text(result.stdout_text)
        << ", stderr " << quoted_text(result.stderr_text);
}

}  // namespace jubilant

namespace jubilant::testkit {

MockBackend::MockBackend() : virtual_clock_(std::make_shared<VirtualClock>()) {}

MockBackend::~MockBackend() = default;

namespace {

// Arguments after a bare "--" are positional (a command to run, a file to copy), so option
// and flag matchers stop there.
std::size_t options_end(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--") return i;
    }
    return args.size();
}

// The values given to `option`, as `--option value` or `--option=value`, in argv order.
std::vector<std::string> option_values(const std::vector<std::string>& args,
                                       const std::string& option) {
    std::vector<std::string> values;
    const std::string prefix = option + "=";
    const std::size_t end = options_end(args);
    for (std::size_t i = 0; i < end; ++i) {
        if (args[i] == option && i + 1 < end) {
            values.push_back(args[i + 1]);
            ++i;
        } else if (args[i].starts_with(prefix)) {
            values.push_back(args[i].substr(prefix.size()));
        }
    }
    return values;
}

std::string describe(const StringMatcher& matcher) {
    std::ostringstream text;
    matcher.DescribeTo(&text);
    return text.str();
}

// Runs `matcher` and returns whether it matched, appending its explanation (if any) to `why`.
bool match_string(const StringMatcher& matcher, const std::string& value, std::string* why) {
    ::testing::StringMatchResultListener listener;
    const bool matched = matcher.MatchAndExplain(value, &listener);
    if (why && !listener.str().empty()) *why += ", " + listener.str();
    return matched;
}

}  // namespace

std::string quoted_argv(const std::vector<std::string>& args) {
    return args.empty() ? std::string("juju") : "juju " + shell_join(args);
}

bool CommandMatcher::MatchAndExplain(const CliRequest& request, std::ostream* os) const {
    const bool matched = !request.args.empty() && request.args.front() == command_;
    if (os) {
        if (request.args.empty()) {
            *os << "which has no arguments";
        } else {
            *os << "whose command is " << shell_quote(request.args.front());
        }
    }
    return matched;
}

void CommandMatcher::DescribeTo(std::ostream* os) const {
    *os << "is the command juju " << shell_quote(command_);
}

void CommandMatcher::DescribeNegationTo(std::ostream* os) const {
    *os << "isn't the command juju " << shell_quote(command_);
}

bool ArgsMatcher::MatchAndExplain(const CliRequest& request, std::ostream* os) const {
    const std::vector<std::string>& actual = request.args;
    const bool matched = actual == args_;
    if (!os || matched) return matched;
    std::size_t common = 0;
    while (common < actual.size() && common < args_.size() && actual[common] == args_[common]) {
        ++common;
    }
    // Positions count from 1 after "juju", as a reader counts the words on the line.
    const std::size_t position = common + 1;
    const auto tail = [](const std::vector<std::string>& words, std::size_t from) {
        return shell_join(
            std::vector<std::string>(words.begin() + static_cast<long>(from), words.end()));
    };
    if (common < actual.size() && common < args_.size()) {
        *os << "whose argument " << position << " is " << shell_quote(actual[common]) << ", not "
            << shell_quote(args_[common]);
    } else if (common < actual.size()) {
        *os << "which has " << actual.size() - common << " more argument"
            << (actual.size() - common == 1 ? "" : "s") << " from argument " << position << ": "
            << tail(actual, common);
    } else {
        *os << "which ends before argument " << position << ", missing: " << tail(args_, common);
    }
    return false;
}

void ArgsMatcher::DescribeTo(std::ostream* os) const { *os << "has argv: " << quoted_argv(args_); }

void ArgsMatcher::DescribeNegationTo(std::ostream* os) const {
    *os << "doesn't have argv: " << quoted_argv(args_);
}

bool ArgsThatMatcher::MatchAndExplain(const CliRequest& request, std::ostream* os) const {
    ::testing::StringMatchResultListener listener;
    const bool matched = matcher_.MatchAndExplain(request.args, &listener);
    if (os) *os << listener.str();
    return matched;
}

void ArgsThatMatcher::DescribeTo(std::ostream* os) const {
    *os << "has argv that ";
    matcher_.DescribeTo(os);
}

void ArgsThatMatcher::DescribeNegationTo(std::ostream* os) const {
    *os << "has argv that ";
    matcher_.DescribeNegationTo(os);
}

bool OptionMatcher::MatchAndExplain(const CliRequest& request, std::ostream* os) const {
    const std::vector<std::string> values = option_values(request.args, option_);
    std::string why;
    bool matched = false;
    for (const std::string& value : values) {
        // Only a single value's explanation is unambiguous enough to show.
        if (match_string(value_, value, values.size() == 1 ? &why : nullptr)) matched = true;
    }
    if (!os) return matched;
    if (values.empty()) {
        *os << "which has no " << option_ << " option with a value";
    } else if (values.size() == 1) {
        *os << "whose " << option_ << " is " << shell_quote(values.front()) << why;
    } else {
        *os << "whose " << option_ << " values are ";
        const char* separator = "";
        for (const std::string& value : values) {
            *os << separator << shell_quote(value);
            separator = ", ";
        }
        *os << (matched ? "" : ", none of which matches");
    }
    return matched;
}

void OptionMatcher::DescribeTo(std::ostream* os) const {
    *os << "has option " << option_ << " with a value that " << describe(value_);
}

void OptionMatcher::DescribeNegationTo(std::ostream* os) const {
    *os << "doesn't have option " << option_ << " with a value that " << describe(value_);
}

bool FlagMatcher::MatchAndExplain(const CliRequest& request, std::ostream* os) const {
    const std::size_t end = options_end(request.args);
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < end && !found; ++i) {
        if (request.args[i] == flag_) found = i;
    }
    if (os) {
        if (found) {
            *os << "which has " << flag_ << " at argument " << *found + 1;
        } else {
            *os << "which doesn't have " << flag_;
        }
    }
    return found.has_value();
}

void FlagMatcher::DescribeTo(std::ostream* os) const { *os << "has flag " << flag_; }

void FlagMatcher::DescribeNegationTo(std::ostream* os) const {
    *os << "doesn't have flag " << flag_;
}

bool StdinMatcher::MatchAndExplain(const CliRequest& request, std::ostream* os) const {
    if (!request.stdin_text) {
        if (os) *os << "which has no stdin";
        return false;
    }
    std::string why;
    const bool matched = match_string(text_, *request.stdin_text, &why);
    if (os) *os << "whose stdin is " << quoted_text(*request.stdin_text) << why;
    return matched;
}

void StdinMatcher::DescribeTo(std::ostream* os) const {
    *os << "has stdin that " << describe(text_);
}

void StdinMatcher::DescribeNegationTo(std::ostream* os) const {
    *os << "doesn't have stdin that " << describe(text_);
}

bool TempFileContentMatcher::MatchAndExplain(const CliRequest& request, std::ostream* os) const {
    const TempFile* file = nullptr;
    for (const TempFile& candidate : request.temp_files) {
        if (candidate.name == name_) file = &candidate;
    }
    if (!file) {
        if (os) {
            *os << "which has no temp file " << name_ << " (";
            if (request.temp_files.empty()) {
                *os << "no temp files";
            } else {
                *os << "temp files: ";
                const char* separator = "";
                for (const TempFile& other : request.temp_files) {
                    *os << separator << other.name;
                    separator = ", ";
                }
            }
            *os << ")";
        }
        return false;
    }
    // The inner matcher's explanation may quote the content, so a sensitive file gets none.
    std::string why;
    const bool matched = match_string(content_, file->content, file->sensitive ? nullptr : &why);
    if (os) {
        if (file->sensitive) {
            *os << "whose temp file " << name_ << " is sensitive: its content ("
                << file->content.size() << " bytes) is not shown";
        } else {
            *os << "whose temp file " << name_ << " contains " << quoted_text(file->content) << why;
        }
    }
    return matched;
}

void TempFileContentMatcher::DescribeTo(std::ostream* os) const {
    *os << "has temp file " << name_ << " whose content " << describe(content_);
}

void TempFileContentMatcher::DescribeNegationTo(std::ostream* os) const {
    *os << "doesn't have temp file " << name_ << " whose content " << describe(content_);
}

}  // namespace jubilant::testkit
