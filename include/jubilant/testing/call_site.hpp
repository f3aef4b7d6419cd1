// Where a fixture's juju() was last called, so that an exception escaping a test body points at
// a line: GoogleTest itself only says "C++ exception with description ... thrown in the test
// body". Costs one std::source_location copy per juju() call.
#pragma once

#include <source_location>

namespace jubilant::testkit {

/// The last call site a fixture noted (see CassetteTest::juju, FakeJujuTest::juju,
/// TempModelTest::juju).
class CallSite {
public:
    /// Remembers `where` as the latest call.
    void note(const std::source_location& where) noexcept {
        where_ = where;
        noted_ = true;
    }
    /// For TearDown: when the running test failed because an exception escaped its body, adds
    /// a failure located at the last noted call ("file:line: Failure"), so the report names
    /// the Juju call the exception most likely came from.
    void report_escaped_exception() const;

private:
    std::source_location where_{};
    bool noted_ = false;
};

}  // namespace jubilant::testkit
