// Time source for everything in jubilant-cpp that waits.
//
// Juju::wait asks its backend for a clock: real time for live backends, virtual time for
// backends that replay or simulate Juju, so a recorded or faked wait that polled a thousand
// times finishes instantly and deterministically.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

namespace jubilant {

/// A monotonic clock that can also sleep.
class Clock {
public:
    using duration = std::chrono::steady_clock::duration;
    using time_point = std::chrono::steady_clock::time_point;

    virtual ~Clock() = default;
    virtual time_point now() = 0;
    virtual void sleep_for(duration d) = 0;
};

/// The process-wide real clock (std::chrono::steady_clock and std::this_thread::sleep_for).
std::shared_ptr<Clock> system_clock();

/// A clock that only moves when told to: sleep_for advances it instantly. Thread-safe.
class VirtualClock final : public Clock {
public:
    time_point now() override;
    void sleep_for(duration d) override;
    void advance(duration d);

private:
    std::mutex mutex_;
    duration elapsed_{};
};

}  // namespace jubilant
