#include <jubilant/clock.hpp>

#include <thread>

namespace jubilant {
namespace {

class SteadyClock final : public Clock {
public:
    time_point now() override { return std::chrono::steady_clock::now(); }
    void sleep_for(duration d) override { std::this_thread::sleep_for(d); }
};

}  // namespace

std::shared_ptr<Clock> system_clock() {
    static const auto clock = std::make_shared<SteadyClock>();
    return clock;
}

Clock::time_point VirtualClock::now() {
    std::lock_guard lock(mutex_);
    return time_point{} + elapsed_;
}

void VirtualClock::sleep_for(duration d) { advance(d); }

void VirtualClock::advance(duration d) {
    if (d <= duration::zero()) return;
    std::lock_guard lock(mutex_);
    elapsed_ += d;
}

}  // namespace jubilant
