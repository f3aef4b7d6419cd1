// How big a stress test may be where it runs. Under AddressSanitizer every process start and
// every allocation costs several times more, so a test that spawns thousands of instrumented
// processes keeps its code path but not its count there: the normal build runs it at full size,
// the sanitizer build at a reduced one chosen here, never skipped.
#pragma once

namespace jubilant::test {

#ifdef JUBILANT_TEST_SANITIZED
inline constexpr bool sanitized_build = true;
#else
inline constexpr bool sanitized_build = false;
#endif

/// `full` in the normal build, `reduced` under the sanitizers.
constexpr int stress_size(int full, int reduced) { return sanitized_build ? reduced : full; }

}  // namespace jubilant::test
