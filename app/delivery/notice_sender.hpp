#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "bot/model/notice.hpp"

namespace ledgerbot::app::delivery {

struct SendOutcome {
    bool delivered = false;
    bool retryable = true;  ///< false: the platform refused for good (bad target, bad request)
    std::string error;      ///< for logs and the outbox row, never shown to users
};

/// A file that goes with a notice where the channel can carry one (the Monday score table as
/// xlsx). Built by the dispatcher from the notice's `attachment` field.
struct Attachment {
    std::string file_name;
    std::string content_type;
    std::string bytes;
};

/// A notice as rendered for sending.
struct RenderedNotice {
    std::string text;
    std::optional<Attachment> attachment;
};

/// Delivers one rendered notice on one channel. Implementations translate to the platform's
/// send call; retry, backoff and rate limits are the dispatcher's job. A sender whose platform
/// cannot carry files sends the text alone.
class NoticeSender {
public:
    virtual ~NoticeSender() = default;
    virtual boost::asio::awaitable<SendOutcome> send(std::int64_t notice_id,
                                                     const bot::model::Notice& notice,
                                                     const RenderedNotice& rendered) = 0;
};

}  // namespace ledgerbot::app::delivery
