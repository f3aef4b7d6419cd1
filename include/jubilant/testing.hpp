// jubilant::testing: the testing kit (link the CMake target jubilant::testing).
//
//   testing/mock_backend.hpp     MockBackend, request matchers (Command, Args, HasOption,
//                                HasFlag, OnModel, Stdin, TempFileContent, ...) and actions
//                                (ReturnStdout, ReturnFailure)
//   testing/status_builder.hpp   StatusBuilder, StatusSequence, ReturnStatus, ReturnStatuses
//   testing/cassette_fixture.hpp CassetteTest fixture and ScopedCassette (per-test cassettes)
//   testing/fake_fixture.hpp     FakeJujuTest / ScopedFakeJuju (a fake Juju per test) and
//                                TempModelTest (a temporary model per test)
//
//   auto backend = std::make_shared<jubilant::testing::MockBackend>();
//   EXPECT_CALL(*backend, run(jubilant::testing::Args({"status", "--format", "json"})))
//       .WillOnce(jubilant::testing::ReturnStatus(jubilant::testing::StatusBuilder()));
//   jubilant::Juju juju(backend);
//
// See docs/reference/testing-kit.md.
#pragma once

#include <jubilant/testing/cassette_fixture.hpp>
#include <jubilant/testing/fake_fixture.hpp>
#include <jubilant/testing/mock_backend.hpp>
#include <jubilant/testing/status_builder.hpp>
