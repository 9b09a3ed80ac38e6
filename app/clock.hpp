#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace ledgerbot::app {

/// The one place the service reads the time. Tests and the crash harness use ManualClock to move
/// time forward instead of sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    virtual std::int64_t now_seconds() const = 0;
    virtual std::int64_t now_millis() const = 0;
};

class SystemClock final : public Clock {
public:
    std::int64_t now_seconds() const override;
    std::int64_t now_millis() const override;
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t start_seconds) : millis_(start_seconds * 1000) {}
    std::int64_t now_seconds() const override { return millis_.load() / 1000; }
    std::int64_t now_millis() const override { return millis_.load(); }
    void advance_seconds(std::int64_t seconds) { millis_ += seconds * 1000; }
    void set_seconds(std::int64_t seconds) { millis_ = seconds * 1000; }

private:
    std::atomic<std::int64_t> millis_;
};

}  // namespace ledgerbot::app
