#pragma once

#include "app/delivery/notice_sender.hpp"

namespace ledgerbot::app::delivery {

/// The "console" channel: the engine's answer to a console action is shown on the page that
/// asked (app/console reads it from the outbox row), so delivering it is recording it as sent.
class ConsoleSender final : public NoticeSender {
public:
    boost::asio::awaitable<SendOutcome> send(std::int64_t /*notice_id*/,
                                             const bot::model::Notice& /*notice*/,
                                             const RenderedNotice& /*rendered*/) override {
        co_return SendOutcome{true, false, ""};
    }
};

}  // namespace ledgerbot::app::delivery
