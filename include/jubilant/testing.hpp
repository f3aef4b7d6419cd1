// jubilant::testing: GoogleMock support for tests that check the exact commands issued.
//
//   auto backend = std::make_shared<jubilant::testing::MockBackend>();
//   EXPECT_CALL(*backend, run(jubilant::testing::Args({"status", "--format", "json"})))
//       .WillOnce(jubilant::testing::ReturnStdout(status_json));
//   jubilant::Juju juju(backend);
#pragma once

#include <string>
#include <vector>

#include <gmock/gmock.h>

#include <jubilant/backend.hpp>

namespace jubilant::testing {

/// An in-process CliBackend whose run() is a GoogleMock method.
class MockBackend : public CliBackend {
public:
    MOCK_METHOD(CliResult, run, (const CliRequest& request), (override));
    std::string name() const override { return "mock"; }
};

/// Matches a request whose argv (without the binary) equals `args` exactly.
inline auto Args(std::vector<std::string> args) {
    return ::testing::Field("args", &CliRequest::args, ::testing::ElementsAreArray(args));
}

/// Action: succeed with the given stdout.
inline auto ReturnStdout(std::string stdout_text) {
    return ::testing::Return(CliResult{.returncode = 0, .stdout_text = std::move(stdout_text),
                                       .stderr_text = {}});
}

/// Action: fail with the given return code and stderr.
inline auto ReturnFailure(int returncode, std::string stderr_text) {
    return ::testing::Return(CliResult{.returncode = returncode, .stdout_text = {},
                                       .stderr_text = std::move(stderr_text)});
}

}  // namespace jubilant::testing
