// Linked into fake-juju in the sanitizer build only (JUBILANT_SANITIZE).
//
// A sanitized test run starts fake-juju some thousands of times, and LeakSanitizer's scan at
// each exit was about 40 ms of every call (a third of it). Inside fake-juju it is off by
// default; the engine's leaks are still found, because every face test runs the same engine
// in-process through the fake plugin, in a test process that keeps LeakSanitizer on, and
// FakeJujuBinary.SessionEndsWithoutLeaksUnderLeakSanitizer turns it back on for a session of
// this executable. An ASAN_OPTIONS that names detect_leaks overrides this default.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }
