#include "app/delivery/wecom_sender.hpp"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

namespace ledgerbot::app::delivery {

using adapters::wecom::ApiCondition;
using adapters::wecom::MessageContent;
using adapters::wecom::MessageFormat;
using adapters::wecom::split_message;

namespace {

/// The engine's request to create the target chat first (`fields.create_chat`).
struct CreateChatRequest {
    bool valid = false;
    adapters::wecom::AppChatCreate create;
};

CreateChatRequest read_create_chat(const nlohmann::json& spec, const std::string& chat_id) {
    CreateChatRequest out;
    // Without the engine's chat id WeCom would pick one, and the retry would create a second
    // group.
    if (!spec.is_object() || chat_id.empty()) {
        return out;
    }
    const auto name = spec.find("name");
    const auto owner = spec.find("owner");
    const auto userlist = spec.find("userlist");
    if (name == spec.end() || !name->is_string() || userlist == spec.end() ||
        !userlist->is_array() || (owner != spec.end() && !owner->is_string())) {
        return out;
    }
    for (const auto& user : *userlist) {
        if (!user.is_string()) {
            return out;
        }
        out.create.members.push_back(user.get<std::string>());
    }
    out.create.name = name->get<std::string>();
    out.create.owner = owner != spec.end() ? owner->get<std::string>() : std::string();
    out.create.chat_id = chat_id;
    out.valid = true;
    return out;
}

/// appchat/create's 86215: a chat with this chatid exists. The id is the engine's own, so it is
/// the chat an earlier attempt created before its answer was lost.
bool is_chat_id_taken(const std::error_code& error) {
    return error == adapters::wecom::make_api_error(adapters::wecom::errcode::kAppChatIdExists);
}

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
                                                         const bot::model::Notice& notice,
                                                         const RenderedNotice& rendered) {
    const std::string& text = rendered.text;
    const std::size_t limit = format_ == MessageFormat::text
                                  ? adapters::wecom::kTextLimitBytes
                                  : adapters::wecom::kAppMarkdownLimitBytes;
    const std::vector<std::string> parts = split_message(text, limit);
    if (parts.empty()) {
        co_return undeliverable("empty text");
    }
    // A failure after the first part makes the dispatcher retry the whole notice, so earlier
    // parts can arrive twice; WeCom offers no idempotency key for these calls.
    if (notice.target.kind == bot::model::NoticeTarget::Kind::user) {
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
        if (rendered.attachment) {
            auto media = co_await upload(*rendered.attachment);
            if (!media) {
                co_return wecom_failure(media.error(), "wecom media/upload");
            }
            const MessageContent file{MessageFormat::file, media.value()};
            auto sent = co_await client_->message_send(to, file);
            if (!sent) {
                co_return wecom_failure(sent.error(), "wecom message/send (file)");
            }
        }
        co_return delivered();
    }
    if (const auto spec = notice.fields.find("create_chat"); spec != notice.fields.end()) {
        const CreateChatRequest request = read_create_chat(*spec, notice.target.id);
        if (!request.valid) {
            co_return undeliverable(
                "create_chat needs a name, an optional owner and a userlist of userids");
        }
        // Create and post in one send, so that the dispatcher's retry repeats both; the chat id
        // is the engine's, so a create whose answer was lost finds its own chat (86215).
        auto created = co_await client_->appchat_create(request.create);
        if (!created && !is_chat_id_taken(created.error())) {
            co_return wecom_failure(created.error(), "wecom appchat/create " + notice.target.id);
        }
    }
    for (const auto& part : parts) {
        const MessageContent content{format_, part};
        auto sent = co_await client_->appchat_send(notice.target.id, content);
        if (!sent) {
            co_return wecom_failure(sent.error(), "wecom appchat/send");
        }
    }
    if (rendered.attachment) {
        auto media = co_await upload(*rendered.attachment);
        if (!media) {
            co_return wecom_failure(media.error(), "wecom media/upload");
        }
        const MessageContent file{MessageFormat::file, media.value()};
        auto sent = co_await client_->appchat_send(notice.target.id, file);
        if (!sent) {
            co_return wecom_failure(sent.error(), "wecom appchat/send (file)");
        }
    }
    co_return delivered();
}

boost::asio::awaitable<adapters::wecom::Result<std::string>> WecomAppSender::upload(
    const Attachment& attachment) {
    const adapters::wecom::MediaFile file{attachment.file_name, attachment.bytes};
    auto media = co_await client_->media_upload(file);
    co_return media;
}

WecomWebhookSender::WecomWebhookSender(std::shared_ptr<adapters::wecom::ApiClient> client,
                                       std::map<std::string, std::string> robot_keys,
                                       MessageFormat format)
    : client_(std::move(client)), robot_keys_(std::move(robot_keys)), format_(format) {}

boost::asio::awaitable<SendOutcome> WecomWebhookSender::send(std::int64_t /*notice_id*/,
                                                             const bot::model::Notice& notice,
                                                             const RenderedNotice& rendered) {
    const std::string& text = rendered.text;
    if (notice.target.kind != bot::model::NoticeTarget::Kind::chat) {
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
    if (rendered.attachment) {
        const adapters::wecom::MediaFile file{rendered.attachment->file_name,
                                              rendered.attachment->bytes};
        auto media = co_await client_->webhook_upload_media(key->second, file);
        if (!media) {
            co_return wecom_failure(media.error(),
                                    "wecom webhook/upload_media for robot " + notice.target.id);
        }
        const MessageContent file_message{MessageFormat::file, media.value()};
        auto posted = co_await client_->webhook_send(key->second, file_message, no_mentions);
        if (!posted) {
            co_return wecom_failure(posted.error(),
                                    "wecom webhook/send (file) to robot " + notice.target.id);
        }
    }
    co_return delivered();
}

WecomBotSender::WecomBotSender(std::shared_ptr<adapters::wecom::ApiClient> client,
                               std::map<std::string, std::string> chat_webhook_keys)
    : client_(std::move(client)), chat_webhook_keys_(std::move(chat_webhook_keys)) {}

boost::asio::awaitable<SendOutcome> WecomBotSender::send(std::int64_t /*notice_id*/,
                                                         const bot::model::Notice& notice,
                                                         const RenderedNotice& rendered) {
    const std::string& text = rendered.text;
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
    if (notice.target.kind == bot::model::NoticeTarget::Kind::chat) {
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

}  // namespace ledgerbot::app::delivery
