// Test support: a fixture holding a Juju over a GoogleMock backend, for the per-method tests.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/juju.hpp>
#include <jubilant/testing.hpp>

namespace jubilant::test {

class MockJujuTest : public ::testing::Test {
protected:
    explicit MockJujuTest(std::optional<std::string> model = std::nullopt)
        // A binary that resolves nowhere, so the snap handling stays off.
        : juju{backend, {.model = std::move(model), .cli_binary = "/nonexistent/juju"}} {}

    /// Expects exactly one request with argv `args`, answered with `stdout_text`.
    void expect(std::vector<std::string> args, std::string stdout_text = "") {
        EXPECT_CALL(*backend, run(jubilant::testkit::Args(std::move(args))))
            .WillOnce(jubilant::testkit::ReturnStdout(std::move(stdout_text)));
    }

    std::shared_ptr<jubilant::testkit::MockBackend> backend =
        std::make_shared<jubilant::testkit::MockBackend>();
    Juju juju;
};

}  // namespace jubilant::test
