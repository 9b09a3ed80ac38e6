#pragma once

#include <map>
#include <memory>
#include <string>
#include <system_error>

#include "adapters/wecom/api_client.hpp"
#include "app/delivery/notice_sender.hpp"

namespace ledgerbot::app::delivery {

/// A failed WeCom call as the dispatcher sees it: retryable for system busy, rate limits and
/// network failures (the dispatcher's backoff is the "back off" WeCom asks for), final for the
/// rest (bad recipient, chat not ours, content refused, missing permission).
SendOutcome wecom_failure(const std::error_code& error, const std::string& what);

/// Channel "wecom-app": the self-built app speaks. A notice to a user becomes message/send to
/// that userid; a notice to a chat becomes appchat/send, which WeCom only allows for groups the
/// app created. Texts over the 2048-byte limit go out as several messages in order; an
/// attachment follows as a file message (media/upload, then the same send with msgtype file).
///
/// A chat notice whose fields carry `create_chat` {"name", "owner" (optional), "userlist"}
/// creates the group first: appchat/create with chatid = the target id (≤32 of [0-9a-zA-Z],
/// chosen by the engine), then appchat/send. errcode 86215 (chatid exists) counts as created,
/// since it means an earlier attempt got through; so retrying the notice is safe. A refused
/// create (invalid members 86216, owner not a member, …) is final, with the errcode in the error.
class WecomAppSender final : public NoticeSender {
public:
    WecomAppSender(std::shared_ptr<adapters::wecom::ApiClient> client,
                   adapters::wecom::MessageFormat format);

    boost::asio::awaitable<SendOutcome> send(std::int64_t notice_id,
                                             const bot::model::Notice& notice,
                                             const RenderedNotice& rendered) override;

private:
    boost::asio::awaitable<adapters::wecom::Result<std::string>> upload(
        const Attachment& attachment);

    std::shared_ptr<adapters::wecom::ApiClient> client_;
    adapters::wecom::MessageFormat format_;
};

/// Channel "wecom-webhook": group robots. The notice's target id names a robot from the
/// settings (name → webhook key); the key itself never appears in notices, outbox rows or logs.
/// An attachment follows the text as a file message (webhook/upload_media, then webhook/send).
class WecomWebhookSender final : public NoticeSender {
public:
    WecomWebhookSender(std::shared_ptr<adapters::wecom::ApiClient> client,
                       std::map<std::string, std::string> robot_keys,
                       adapters::wecom::MessageFormat format);

    boost::asio::awaitable<SendOutcome> send(std::int64_t notice_id,
                                             const bot::model::Notice& notice,
                                             const RenderedNotice& rendered) override;

private:
    std::shared_ptr<adapters::wecom::ApiClient> client_;
    std::map<std::string, std::string> robot_keys_;
    adapters::wecom::MessageFormat format_;
};

/// Channel "wecom-bot": the intelligent bot answers through the callback's response_url
/// (target.reply_handle), as markdown. Without a usable response_url — none, already used, or
/// expired after an hour — a notice to a chat goes to that chat's robot when the settings map
/// the chat id to a webhook key; otherwise it cannot be delivered.
class WecomBotSender final : public NoticeSender {
public:
    WecomBotSender(std::shared_ptr<adapters::wecom::ApiClient> client,
                   std::map<std::string, std::string> chat_webhook_keys);

    boost::asio::awaitable<SendOutcome> send(std::int64_t notice_id,
                                             const bot::model::Notice& notice,
                                             const RenderedNotice& rendered) override;

private:
    std::shared_ptr<adapters::wecom::ApiClient> client_;
    std::map<std::string, std::string> chat_webhook_keys_;  ///< chat id → robot key
};

}  // namespace ledgerbot::app::delivery
