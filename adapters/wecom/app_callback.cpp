#include "adapters/wecom/app_callback.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

namespace ledgerbot::adapters::wecom {
namespace {

// Longer member lists are hashed in the event id so the inbox key stays short.
constexpr std::size_t kMaxMembersInId = 64;
constexpr std::size_t kMemberHashHexDigits = 32;

// Joins every text piece of `node`: writers may split a value over several CDATA sections
// (pugixml does around "]]>"), and parse_default has already dropped whitespace-only pieces
// next to a CDATA.
std::string text_of(pugi::xml_node node) {
    std::string out;
    for (const pugi::xml_node piece : node.children()) {
        if (piece.type() == pugi::node_pcdata || piece.type() == pugi::node_cdata) {
            out += piece.value();
        }
    }
    return out;
}

std::string trim_ascii(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n";
    const std::size_t first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) {
        return {};
    }
    const std::size_t last = text.find_last_not_of(kSpace);
    return std::string(text.substr(first, last - first + 1));
}

// Ids and enum values, as opposed to message text, may be indented by a pretty printer.
std::string field(pugi::xml_node root, const char* name) {
    return trim_ascii(text_of(root.child(name)));
}

std::optional<std::int64_t> unix_seconds(std::string_view text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end || value < 0) {
        return std::nullopt;
    }
    return value;
}

// The newer form is <MemChangeList><Item>id</Item>…</MemChangeList>; the older one a
// comma-separated text. Order is kept (it is what WeCom reported); repeats are dropped.
std::vector<std::string> member_ids(pugi::xml_node list) {
    std::vector<std::string> pieces;
    if (list.child("Item")) {
        for (const pugi::xml_node item : list.children("Item")) {
            pieces.push_back(trim_ascii(text_of(item)));
        }
    } else {
        const std::string text = text_of(list);
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t comma = std::min(text.find(',', start), text.size());
            pieces.push_back(trim_ascii(std::string_view(text).substr(start, comma - start)));
            start = comma + 1;
        }
    }
    std::vector<std::string> ids;
    for (std::string& piece : pieces) {
        if (!piece.empty() && std::find(ids.begin(), ids.end(), piece) == ids.end()) {
            ids.push_back(std::move(piece));
        }
    }
    return ids;
}

std::string sha256_hex_prefix(std::string_view data, std::size_t hex_digits) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
        // Only an id's length is at stake: the unhashed list is just as unique.
        return std::string(data);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size && out.size() < hex_digits; ++i) {
        out.push_back(kHex[digest[i] >> 4]);
        out.push_back(kHex[digest[i] & 0x0f]);
    }
    return out;
}

// WeCom may deliver one change up to four times, and FromUserName is always "sys", so the
// protocol's usual FromUserName + CreateTime key would merge different changes of one second.
// Every part is part of the callback's content, so each redelivery yields the same id.
std::string group_event_id(const std::string& chat_id, const std::string& create_time,
                           const std::string& change_type, const std::string& update_detail,
                           std::vector<std::string> members, const std::string& member_version) {
    std::sort(members.begin(), members.end());
    std::string member_part;
    for (const std::string& member : members) {
        member_part += (member_part.empty() ? "" : ",") + member;
    }
    if (member_part.size() > kMaxMembersInId) {
        member_part = "sha256:" + sha256_hex_prefix(member_part, kMemberHashHexDigits);
    }
    std::vector<std::string> parts{chat_id,       create_time, change_type,
                                   update_detail, member_part, member_version};
    while (parts.size() > 3 && parts.back().empty()) {
        parts.pop_back();
    }
    std::string id;
    for (const std::string& part : parts) {
        id += (id.empty() ? "" : "/") + part;
    }
    return id;
}

std::string join_scene_name(const std::string& raw) {
    if (raw.empty()) {
        return {};
    }
    if (raw == "0") {
        return "invited";
    }
    if (raw == "3") {
        return "qr_code";
    }
    // Values outside the documented 0/3 occur (an SDK test sends 1); keep them visible.
    return "other:" + raw;
}

std::optional<Refusal> check_id(const std::string& value, const char* name) {
    if (value.empty()) {
        return schema_violation(std::string(name) + " is required");
    }
    if (value.size() > kMaxIdLength) {
        return schema_violation(std::string(name) + " is longer than 256 bytes");
    }
    return std::nullopt;
}

Translated message_event(pugi::xml_node root, const std::string& msg_type, std::int64_t time) {
    bot::model::InboundEvent event;
    event.source = std::string(kAppSource);
    event.type = bot::model::EventType::message;
    event.time = time;
    event.id = field(root, "MsgId");
    if (auto refusal = check_id(event.id, "MsgId")) {
        return std::move(*refusal);
    }
    event.sender.id = field(root, "FromUserName");
    if (auto refusal = check_id(event.sender.id, "FromUserName")) {
        return std::move(*refusal);
    }
    // Only members of the corp can write to a self-built app, so the sender is staff.
    event.chat = bot::model::Chat{std::string(kAppDirectChatPrefix) + event.sender.id, "",
                                  bot::model::ChatKind::direct, "", 0};
    if (msg_type == "text") {
        // Message text is kept byte for byte: leading spaces and line breaks carry meaning for
        // the report parser.
        event.text = text_of(root.child("Content"));
        if (event.text.empty()) {
            return schema_violation("a text message needs Content");
        }
    } else {
        bot::model::ImageRef image{.url = field(root, "PicUrl"),
                                   .media_id = field(root, "MediaId")};
        if (image.url.empty() && image.media_id.empty()) {
            return schema_violation("an image message needs PicUrl or MediaId");
        }
        event.image = std::move(image);
    }
    return checked_utf8(std::move(event));
}

Translated external_chat_event(pugi::xml_node root, std::int64_t time) {
    const std::string chat_id = field(root, "ChatId");
    if (auto refusal = check_id(chat_id, "ChatId")) {
        return std::move(*refusal);
    }
    const std::string change_type = field(root, "ChangeType");
    if (change_type.empty()) {
        return schema_violation("change_external_chat needs ChangeType");
    }
    const std::string update_detail = field(root, "UpdateDetail");

    bot::model::InboundEvent event;
    event.source = std::string(kAppSource);
    event.time = time;
    event.chat = bot::model::Chat{chat_id, "", bot::model::ChatKind::group, "", 0};
    std::vector<std::string> members;
    if (change_type == "create") {
        event.type = bot::model::EventType::group_created;
    } else if (change_type == "dismiss") {
        event.type = bot::model::EventType::group_dismissed;
    } else if (change_type != "update") {
        return CallbackEvent{ignored("change_external_chat:", change_type)};
    } else if (update_detail == "add_member" || update_detail == "del_member") {
        members = member_ids(root.child("MemChangeList"));
        for (const std::string& member : members) {
            if (auto refusal = check_id(member, "MemChangeList item")) {
                return std::move(*refusal);
            }
            event.members.push_back(bot::model::Person{member, "", "", false, 0});
        }
        if (update_detail == "add_member") {
            event.type = bot::model::EventType::member_joined;
            event.join_scene = join_scene_name(field(root, "JoinScene"));
        } else {
            event.type = bot::model::EventType::member_left;
            event.by_self = field(root, "QuitScene") == "0";
        }
    } else if (update_detail == "change_name") {
        event.type = bot::model::EventType::group_renamed;
    } else if (update_detail == "change_owner") {
        event.type = bot::model::EventType::owner_changed;
    } else {
        // change_notice (the group announcement) and whatever WeCom adds later.
        return CallbackEvent{ignored("change_external_chat:update/", update_detail)};
    }
    event.id = group_event_id(chat_id, std::to_string(time), change_type, update_detail, members,
                              field(root, "CurMemVer"));
    if (event.id.size() > 4 * kMaxIdLength) {
        return schema_violation("change_external_chat fields are too long");
    }
    return checked_utf8(std::move(event));
}

}  // namespace

Translated parse_app_callback(std::string_view plaintext) {
    pugi::xml_document doc;
    // parse_default neither loads DTDs nor expands external entities, so no XXE.
    const pugi::xml_parse_result parsed = doc.load_buffer(plaintext.data(), plaintext.size(),
                                                          pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        return Refusal{IngestError::invalid_xml,
                       std::string("decrypted callback is not XML: ") + parsed.description()};
    }
    const pugi::xml_node root = doc.child("xml");
    if (!root) {
        return schema_violation("decrypted callback has no <xml> root");
    }
    const std::string msg_type = field(root, "MsgType");
    if (msg_type.empty()) {
        return schema_violation("MsgType is required");
    }
    const std::optional<std::int64_t> time = unix_seconds(field(root, "CreateTime"));
    if (!time) {
        return schema_violation("CreateTime must be unix seconds");
    }

    if (msg_type == "text" || msg_type == "image") {
        return message_event(root, msg_type, *time);
    }
    if (msg_type != "event") {
        // voice, video, location, link, file: nothing the ledger reads.
        return CallbackEvent{ignored("msgtype:", msg_type)};
    }
    const std::string event_name = field(root, "Event");
    if (event_name.empty()) {
        return schema_violation("an event needs Event");
    }
    if (event_name != "change_external_chat") {
        return CallbackEvent{ignored("event:", event_name)};
    }
    return external_chat_event(root, *time);
}

}  // namespace ledgerbot::adapters::wecom
