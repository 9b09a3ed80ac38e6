#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace ledgerbot::app::delivery {

/// Token buckets per key (one chat, one person, one webhook): `per_minute` sends per rolling
/// minute with bursts up to the same number. Platforms enforce such limits (WeCom webhooks: 20
/// a minute) and drop or block over them, so we wait instead.
class RateLimiter {
public:
    /// Takes a token for `key`; returns 0 when sent now, else milliseconds to wait.
    std::int64_t acquire(const std::string& key, int per_minute, std::int64_t now_ms);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updated_ms = 0;
    };
    std::map<std::string, Bucket> buckets_;
};

}  // namespace ledgerbot::app::delivery
