#pragma once

#include <algorithm>
#include <chrono>

namespace ledgerbot::storage {

/// A delay that doubles from `first` up to `cap` while failures last, and starts over after a
/// success: the pause between attempts at a transient storage error.
class Backoff {
public:
    Backoff(std::chrono::milliseconds first, std::chrono::milliseconds cap)
        : first_(first), cap_(cap) {}

    /// The delay before the next attempt; each call doubles the one after.
    std::chrono::milliseconds next() {
        const std::chrono::milliseconds delay = current_.count() == 0 ? first_ : current_;
        current_ = std::min(delay * 2, cap_);
        return delay;
    }
    void reset() { current_ = std::chrono::milliseconds{0}; }

private:
    std::chrono::milliseconds first_;
    std::chrono::milliseconds cap_;
    std::chrono::milliseconds current_{0};
};

}  // namespace ledgerbot::storage
