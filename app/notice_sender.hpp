#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>

#include "bot/notice.hpp"

namespace ledgerbot::app {

struct SendOutcome {
    bool delivered = false;
    bool retryable = true;  ///< false: the platform refused for good (bad target, bad request)
    std::string error;      ///< for logs and the outbox row, never shown to users
};

/// Delivers one rendered notice on one channel. Implementations translate to the platform's
/// send call; retry, backoff and rate limits are the dispatcher's job.
class NoticeSender {
public:
    virtual ~NoticeSender() = default;
    virtual boost::asio::awaitable<SendOutcome> send(std::int64_t notice_id,
                                                     const bot::Notice& notice,
                                                     const std::string& text) = 0;
};

}  // namespace ledgerbot::app
