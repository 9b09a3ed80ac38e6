#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ledgerbot::bot::model {

/// Where a notice goes. `channel` names the adapter that delivers it ("generic", "wecom-app",
/// "wecom-bot", …); `kind` says whether `id` is a chat or a person.
struct NoticeTarget {
    enum class Kind { chat, user };

    std::string channel;
    Kind kind = Kind::chat;
    std::string id;
    std::string reply_handle;  ///< adapter-specific answer route copied from the inbound event

    bool operator==(const NoticeTarget&) const = default;
};

/// A message the bot wants to send, as a value: which template, with which fields, to whom.
/// The dispatcher renders and delivers it later; nothing here knows the platform.
struct Notice {
    std::string template_id;  ///< file name under templates/ without .mustache
    nlohmann::json fields = nlohmann::json::object();
    NoticeTarget target;

    bool operator==(const Notice&) const = default;
};

std::string_view to_string(NoticeTarget::Kind kind);

}  // namespace ledgerbot::bot::model
