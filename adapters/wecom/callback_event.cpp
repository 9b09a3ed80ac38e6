#include "adapters/wecom/callback_event.hpp"

#include <string_view>
#include <utility>

#include "bot/text/text.hpp"

namespace ledgerbot::adapters::wecom {
namespace {

bool person_is_valid_utf8(const bot::model::Person& person) {
    return bot::text::is_valid_utf8(person.id) && bot::text::is_valid_utf8(person.name) &&
           bot::text::is_valid_utf8(person.nickname);
}

}  // namespace

Translated checked_utf8(bot::model::InboundEvent event) {
    bool valid =
        person_is_valid_utf8(event.sender) && (!event.by || person_is_valid_utf8(*event.by));
    for (const bot::model::Person& member : event.members) {
        valid = valid && person_is_valid_utf8(member);
    }
    for (const std::string_view text :
         {std::string_view(event.id), std::string_view(event.source),
          std::string_view(event.chat.id), std::string_view(event.chat.name),
          std::string_view(event.text), std::string_view(event.old_name),
          std::string_view(event.join_scene), std::string_view(event.reply_handle)}) {
        valid = valid && bot::text::is_valid_utf8(text);
    }
    if (event.image) {
        valid = valid && bot::text::is_valid_utf8(event.image->url) &&
                bot::text::is_valid_utf8(event.image->media_id);
    }
    if (!valid) {
        return Refusal{IngestError::invalid_utf8, "the decrypted callback is not valid UTF-8"};
    }
    return CallbackEvent{std::move(event)};
}

Refusal schema_violation(std::string detail) {
    return Refusal{IngestError::schema_violation, std::move(detail)};
}

Ignored ignored(std::string_view prefix, std::string_view name) {
    constexpr std::size_t kMaxName = 64;
    return Ignored{std::string(prefix) + std::string(name.substr(0, kMaxName))};
}

}  // namespace ledgerbot::adapters::wecom
