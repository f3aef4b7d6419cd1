// jubilant::testkit: the testing kit (link the CMake target jubilant::testing).
//
// The namespace was jubilant::testing, which made `testing::Test` (GoogleTest's) ambiguous
// in any file that says `using namespace jubilant;`. Code still spelling the old name can
// define JUBILANT_TESTING_ALIAS before including this header, for now: the alias is
// deprecated and brings the ambiguity back.
//
//   testing/mock_backend.hpp     MockBackend, request matchers (Command, Args, HasOption,
//                                HasFlag, OnModel, Stdin, TempFileContent, ...) and actions
//                                (ReturnStdout, ReturnFailure)
//   testing/status_builder.hpp   StatusBuilder, StatusSequence, ReturnStatus, ReturnStatuses
//   testing/cassette_fixture.hpp CassetteTest fixture and ScopedCassette (per-test cassettes)
//   testing/fake_fixture.hpp     FakeJujuTest / ScopedFakeJuju (a fake Juju per test) and
//                                TempModelTest (a temporary model per test)
//   testing/call_site.hpp        CallSite: the fixtures' last juju() call, for exceptions
//
//   auto backend = std::make_shared<jubilant::testkit::MockBackend>();
//   EXPECT_CALL(*backend, run(jubilant::testkit::Args({"status", "--format", "json"})))
//       .WillOnce(jubilant::testkit::ReturnStatus(jubilant::testkit::StatusBuilder()));
//   jubilant::Juju juju(backend);
//
// See docs/reference/testing-kit.md.
#pragma once

#include <jubilant/testing/cassette_fixture.hpp>
#include <jubilant/testing/fake_fixture.hpp>
#include <jubilant/testing/mock_backend.hpp>
#include <jubilant/testing/status_builder.hpp>

#ifdef JUBILANT_TESTING_ALIAS
namespace jubilant {
/// Deprecated: the old name of jubilant::testkit (opt in with JUBILANT_TESTING_ALIAS).
namespace testing = testkit;
}  // namespace jubilant
#endif
