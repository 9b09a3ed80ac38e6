#include "app/delivery/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace ledgerbot::app::delivery {

std::int64_t RateLimiter::acquire(const std::string& key, int per_minute, std::int64_t now_ms) {
    const double capacity = per_minute;
    const double per_ms = per_minute / 60000.0;
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{capacity, now_ms});
    Bucket& bucket = it->second;
    if (!fresh) {
        const auto elapsed =
            static_cast<double>(std::max<std::int64_t>(0, now_ms - bucket.updated_ms));
        bucket.tokens = std::min(capacity, bucket.tokens + elapsed * per_ms);
        bucket.updated_ms = now_ms;
    }
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return 0;
    }
    return static_cast<std::int64_t>(std::ceil((1.0 - bucket.tokens) / per_ms));
}

}  // namespace ledgerbot::app::delivery
