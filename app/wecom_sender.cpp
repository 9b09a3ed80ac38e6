#include "app/wecom_sender.hpp"

#include <algorithm>
#include <vector>

namespace ledgerbot::app {

using adapters::wecom::ApiCondition;
using adapters::wecom::MessageContent;
using adapters::wecom::MessageFormat;
using adapters::wecom::split_message;

namespace {

SendOutcome delivered() {
    return SendOutcome{true, false, {}};
}

SendOutcome undeliverable(std::string reason) {
    return SendOutcome{false, false, std::move(reason)};
}

}  // namespace

SendOutcome wecom_failure(const std::error_code& error, const std::string& what) {
    return SendOutcome{false, error == ApiCondition::retryable,
                       what + ": " + error.message() + " [" + error.category().name() + "]"};
}

WecomAppSender::WecomAppSender(std::shared_ptr<adapters::wecom::ApiClient> client,
                               MessageFormat format)
    : client_(std::move(client)), format_(format) {}

boost::asio::awaitable<SendOutcome> WecomAppSender::send(std::int64_t /*notice_id*/,
                                                         const bot::Notice& notice,
                                                         const std::string& text) {
    const std::size_t limit = format_ == MessageFormat::text
                                  ? adapters::wecom::kTextLimitBytes
                                  : adapters::wecom::kAppMarkdownLimitBytes;
    const std::vector<std::string> parts = split_message(text, limit);
    if (parts.empty()) {
        co_return undeliverable("empty text");
    }
    // A failure after the first part makes the dispatcher retry the whole notice, so earlier
    // parts can arrive twice; WeCom offers no idempotency key for these calls.
    if (notice.target.kind == bot::NoticeTarget::Kind::user) {
        const std::vector<std::string> to{notice.target.id};
        for (const auto& part : parts) {
            const MessageContent content{format_, part};
            auto sent = co_await client_->message_send(to, content);
            if (!sent) {
                co_return wecom_failure(sent.error(), "wecom message/send");
            }
            const auto& refused = sent.value().invalid_users;
            if (std::find(refused.begin(), refused.end(), notice.target.id) != refused.end()) {
                co_return undeliverable(
                    "wecom message/send: recipient refused (unknown userid "
                    "or outside the app's visible range)");
            }
        }
        co_return delivered();
    }
    for (const auto& part : parts) {
        const MessageContent content{format_, part};
        auto sent = co_await client_->appchat_send(notice.target.id, content);
        if (!sent) {
            co_return wecom_failure(sent.error(), "wecom appchat/send");
        }
    }
    co_return delivered();
}

WecomWebhookSender::WecomWebhookSender(std::shared_ptr<adapters::wecom::ApiClient> client,
                                       std::map<std::string, std::string> robot_keys,
                                       MessageFormat format)
    : client_(std::move(client)), robot_keys_(std::move(robot_keys)), format_(format) {}

boost::asio::awaitable<SendOutcome> WecomWebhookSender::send(std::int64_t /*notice_id*/,
                                                             const bot::Notice& notice,
                                                             const std::string& text) {
    if (notice.target.kind != bot::NoticeTarget::Kind::chat) {
        co_return undeliverable("a group robot posts to its group only, not to a user");
    }
    const auto key = robot_keys_.find(notice.target.id);
    if (key == robot_keys_.end()) {
        co_return undeliverable("no webhook robot named " + notice.target.id);
    }
    const MessageContent content{format_, text};
    const std::vector<std::string> no_mentions;
    auto sent = co_await client_->webhook_send(key->second, content, no_mentions);
    if (!sent) {
        co_return wecom_failure(sent.error(), "wecom webhook/send to robot " + notice.target.id);
    }
    co_return delivered();
}

WecomBotSender::WecomBotSender(std::shared_ptr<adapters::wecom::ApiClient> client,
                               std::map<std::string, std::string> chat_webhook_keys)
    : client_(std::move(client)), chat_webhook_keys_(std::move(chat_webhook_keys)) {}

boost::asio::awaitable<SendOutcome> WecomBotSender::send(std::int64_t /*notice_id*/,
                                                         const bot::Notice& notice,
                                                         const std::string& text) {
    std::string why_not_replied = "no response_url";
    if (!notice.target.reply_handle.empty()) {
        auto replied = co_await client_->response_url_reply(notice.target.reply_handle, text);
        if (replied) {
            co_return delivered();
        }
        if (replied.error() == ApiCondition::retryable) {
            co_return wecom_failure(replied.error(), "wecom response_url reply");
        }
        // Used, expired or refused for good: the group's robot can still carry the answer.
        why_not_replied = "response_url refused: " + replied.error().message();
    }
    if (notice.target.kind == bot::NoticeTarget::Kind::chat) {
        const auto key = chat_webhook_keys_.find(notice.target.id);
        if (key != chat_webhook_keys_.end()) {
            const MessageContent content{MessageFormat::markdown, text};
            const std::vector<std::string> no_mentions;
            auto sent = co_await client_->webhook_send(key->second, content, no_mentions);
            if (!sent) {
                co_return wecom_failure(sent.error(), "wecom webhook/send (bot fallback)");
            }
            co_return delivered();
        }
    }
    co_return undeliverable(why_not_replied + ", and no webhook robot for this chat");
}

}  // namespace ledgerbot::app
