#include "adapters/wecom/bot_callback.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "bot/text/text.hpp"

namespace ledgerbot::adapters::wecom {
namespace {

using nlohmann::json;

bool is_mention_space(char32_t cp) {
    return bot::text::is_space(cp);
}

/// A member read from a JSON object: absent (or null) and present-with-the-right-type are
/// values; present-with-another-type is a schema error naming the member.
using StringMember = std::variant<std::optional<std::string>, Refusal>;

StringMember string_member(const json& object, const char* key, const std::string& where) {
    if (!object.is_object()) {
        // `where` is the object's path with a trailing '.', e.g. "from.".
        return schema_violation(where.substr(0, where.size() - 1) + " must be an object");
    }
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::optional<std::string>();
    }
    if (!it->is_string()) {
        return schema_violation(where + key + " must be a string");
    }
    return std::optional<std::string>(it->get<std::string>());
}

// Reads a required, non-empty string member into `out`; a refusal otherwise.
std::optional<Refusal> required_string(const json& object, const char* key,
                                       const std::string& where, std::string& out) {
    StringMember member = string_member(object, key, where);
    if (auto* refusal = std::get_if<Refusal>(&member)) {
        return std::move(*refusal);
    }
    auto& value = std::get<std::optional<std::string>>(member);
    if (!value || value->empty()) {
        return schema_violation(where + key + " is required");
    }
    out = std::move(*value);
    return std::nullopt;
}

const json& member_or_null(const json& object, const char* key) {
    static const json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    const auto it = object.find(key);
    return it == object.end() ? kNull : *it;
}

// create_time is documented for events and optional on messages; some senders write numbers
// as strings.
std::variant<std::int64_t, Refusal> event_time(const json& doc, std::int64_t callback_time) {
    const json& value = member_or_null(doc, "create_time");
    if (value.is_null()) {
        return callback_time;
    }
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (value.is_number_unsigned() && value.get<std::uint64_t>() <= kMax) {
        return static_cast<std::int64_t>(value.get<std::uint64_t>());
    }
    if (value.is_number_integer() && !value.is_number_unsigned() &&
        value.get<std::int64_t>() >= 0) {
        return value.get<std::int64_t>();
    }
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        std::int64_t parsed = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
        if (!text.empty() && ec == std::errc{} && ptr == end && parsed >= 0) {
            return parsed;
        }
    }
    return schema_violation("create_time must be unix seconds");
}

// Fills text and image from the message body of `msgtype`.
std::optional<Refusal> read_content(const json& doc, const std::string& msgtype,
                                    bot::model::InboundEvent& event) {
    if (msgtype == "text" || msgtype == "voice") {
        return required_string(member_or_null(doc, msgtype.c_str()), "content", msgtype + ".",
                               event.text);
    }
    if (msgtype == "image") {
        bot::model::ImageRef image;
        if (auto refusal =
                required_string(member_or_null(doc, "image"), "url", "image.", image.url)) {
            return refusal;
        }
        event.image = std::move(image);
        return std::nullopt;
    }
    // mixed: text and image items in the order the person arranged them.
    const json& items = member_or_null(member_or_null(doc, "mixed"), "msg_item");
    if (!items.is_array()) {
        return schema_violation("mixed.msg_item must be an array");
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string where = "mixed.msg_item[" + std::to_string(i) + "].";
        std::string item_type;
        if (auto refusal = required_string(items[i], "msgtype", where, item_type)) {
            return refusal;
        }
        if (item_type == "text") {
            std::string text;
            if (auto refusal = required_string(member_or_null(items[i], "text"), "content",
                                               where + "text.", text)) {
                return refusal;
            }
            event.text += (event.text.empty() ? "" : "\n") + text;
        } else if (item_type == "image") {
            bot::model::ImageRef image;
            if (auto refusal = required_string(member_or_null(items[i], "image"), "url",
                                               where + "image.", image.url)) {
                return refusal;
            }
            // One image per event: the first one is the evidence a report points at.
            if (!event.image) {
                event.image = std::move(image);
            }
        }
        // Other item kinds carry nothing the ledger reads.
    }
    if (event.text.empty() && !event.image) {
        return schema_violation("mixed.msg_item has neither text nor image");
    }
    return std::nullopt;
}

}  // namespace

std::string strip_leading_mention(std::string_view text) {
    const std::u32string cps = bot::text::decode_utf8(text);
    std::size_t i = 0;
    while (i < cps.size() && is_mention_space(cps[i])) {
        ++i;
    }
    if (i == cps.size() || (cps[i] != U'@' && cps[i] != U'\uff20')) {
        return std::string(text);
    }
    ++i;
    while (i < cps.size() && !is_mention_space(cps[i]) && cps[i] != U'【') {
        ++i;
    }
    while (i < cps.size() && is_mention_space(cps[i])) {
        ++i;
    }
    return bot::text::encode_utf8(std::u32string_view(cps).substr(i));
}

Translated parse_bot_callback(std::string_view plaintext, std::int64_t callback_time) {
    const json doc = json::parse(plaintext.begin(), plaintext.end(), nullptr, false);
    if (doc.is_discarded()) {
        return Refusal{IngestError::invalid_json, "decrypted callback is not JSON"};
    }
    if (!doc.is_object()) {
        return schema_violation("decrypted callback must be a JSON object");
    }
    std::string msgtype;
    if (auto refusal = required_string(doc, "msgtype", "", msgtype)) {
        return std::move(*refusal);
    }
    if (msgtype == "event") {
        StringMember name = string_member(member_or_null(doc, "event"), "eventtype", "event.");
        const auto* value = std::get_if<std::optional<std::string>>(&name);
        return CallbackEvent{ignored("event:", value && *value ? **value : std::string("?"))};
    }
    if (msgtype != "text" && msgtype != "image" && msgtype != "mixed" && msgtype != "voice") {
        // stream refreshes, file, video and whatever comes next.
        return CallbackEvent{ignored("msgtype:", msgtype)};
    }

    bot::model::InboundEvent event;
    event.source = std::string(kBotSource);
    event.type = bot::model::EventType::message;
    if (auto refusal = required_string(doc, "msgid", "", event.id)) {
        return std::move(*refusal);
    }
    if (event.id.size() > kMaxIdLength) {
        return schema_violation("msgid is longer than 256 bytes");
    }
    if (auto refusal =
            required_string(member_or_null(doc, "from"), "userid", "from.", event.sender.id)) {
        return std::move(*refusal);
    }
    std::string chattype;
    if (auto refusal = required_string(doc, "chattype", "", chattype)) {
        return std::move(*refusal);
    }
    if (chattype == "group") {
        event.chat.kind = bot::model::ChatKind::group;
        if (auto refusal = required_string(doc, "chatid", "", event.chat.id)) {
            return std::move(*refusal);
        }
    } else if (chattype == "single") {
        event.chat.kind = bot::model::ChatKind::direct;
        event.chat.id = std::string(kBotDirectChatPrefix) + event.sender.id;
    } else {
        return schema_violation("chattype must be group or single");
    }
    if (event.sender.id.size() > kMaxIdLength || event.chat.id.size() > kMaxIdLength + 4) {
        return schema_violation("from.userid or chatid is longer than 256 bytes");
    }

    StringMember response_url = string_member(doc, "response_url", "");
    if (auto* refusal = std::get_if<Refusal>(&response_url)) {
        return std::move(*refusal);
    }
    event.reply_handle = std::get<std::optional<std::string>>(response_url).value_or("");

    auto time = event_time(doc, callback_time);
    if (auto* refusal = std::get_if<Refusal>(&time)) {
        return std::move(*refusal);
    }
    event.time = std::get<std::int64_t>(time);

    if (auto refusal = read_content(doc, msgtype, event)) {
        return std::move(*refusal);
    }
    // In a group the callback exists because the text @-mentions the bot; the mention is not
    // part of what the person says. Voice is transcribed speech and has no mention.
    if (event.chat.kind == bot::model::ChatKind::group && msgtype != "voice") {
        event.text = strip_leading_mention(event.text);
    }
    return checked_utf8(std::move(event));
}

}  // namespace ledgerbot::adapters::wecom
