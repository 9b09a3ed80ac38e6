#include "adapters/generic/generic_adapter.hpp"

#include <charconv>
#include <set>

#include "adapters/http/hmac.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::adapters::generic {
namespace {

constexpr std::size_t kMaxIdLength = 256;

Refusal refuse(IngestError code, std::string detail) {
    return Refusal{code, std::move(detail)};
}

// Reads an optional string member; a present non-string value is a schema error.
bool read_string(const nlohmann::json& object, const char* key, std::string& out,
                 std::string& error, const std::string& where) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return true;
    }
    if (!it->is_string()) {
        error = where + key + " must be a string";
        return false;
    }
    out = it->get<std::string>();
    return true;
}

// Reads an optional RFC 3339 time into unix seconds.
bool read_time(const nlohmann::json& object, const char* key, std::int64_t& out, std::string& error,
               const std::string& where) {
    std::string text;
    if (!read_string(object, key, text, error, where)) {
        return false;
    }
    if (text.empty()) {
        return true;
    }
    auto parsed = bot::time::parse_rfc3339(text);
    if (!parsed) {
        error = where + key + " must be an RFC 3339 time, e.g. 2026-11-23T10:00:00+08:00";
        return false;
    }
    out = *parsed;
    return true;
}

bool read_person(const nlohmann::json& value, bot::model::Person& out, std::string& error,
                 const std::string& where) {
    if (!value.is_object()) {
        error = where + " must be an object";
        return false;
    }
    const std::string prefix = where + ".";
    if (!read_string(value, "id", out.id, error, prefix) ||
        !read_string(value, "name", out.name, error, prefix) ||
        !read_string(value, "nickname", out.nickname, error, prefix)) {
        return false;
    }
    if (out.id.empty()) {
        error = prefix + "id is required";
        return false;
    }
    if (auto it = value.find("external"); it != value.end()) {
        if (!it->is_boolean()) {
            error = prefix + "external must be true or false";
            return false;
        }
        out.external = it->get<bool>();
    }
    return read_time(value, "joined_at", out.joined_at, error, prefix);
}

}  // namespace

std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string data;
    data.reserve(timestamp.size() + 1 + body.size());
    data.append(timestamp).append(".").append(body);
    return "sha256=" + hmac_sha256_hex(secret, data);
}

std::optional<Refusal> verify(const SignedRequest& request, const Verifier& verifier,
                              std::int64_t now) {
    if (request.timestamp.empty() || request.signature.empty()) {
        return Refusal{IngestError::missing_signature,
                       "X-Ledgerbot-Timestamp and X-Ledgerbot-Signature are required"};
    }
    std::int64_t timestamp = 0;
    const auto* end = request.timestamp.data() + request.timestamp.size();
    auto [ptr, ec] = std::from_chars(request.timestamp.data(), end, timestamp);
    if (ec != std::errc{} || ptr != end) {
        return Refusal{IngestError::bad_signature, "X-Ledgerbot-Timestamp must be unix seconds"};
    }
    // Every secret is tried (no early exit on a match), so the time taken says nothing about
    // which one, if any, signed.
    bool matched = false;
    for (const std::string& secret : *verifier.secrets->secrets()) {
        matched =
            constant_time_equal(sign(secret, request.timestamp, request.body), request.signature) ||
            matched;
    }
    if (!matched) {
        return Refusal{IngestError::bad_signature, "signature does not match"};
    }
    // Checked after the signature so an attacker cannot probe our clock, and checked at all so a
    // captured request cannot be replayed later.
    const std::int64_t skew = timestamp > now ? timestamp - now : now - timestamp;
    if (skew > verifier.max_clock_skew_seconds) {
        return Refusal{IngestError::stale_timestamp,
                       "timestamp is " + std::to_string(skew) + " s away from server time"};
    }
    return std::nullopt;
}

Decoded decode(const SignedRequest& request, const Verifier& verifier, std::int64_t now) {
    if (auto refusal = verify(request, verifier, now)) {
        return std::move(*refusal);
    }
    return parse_event(request.body);
}

Decoded parse_event(std::string_view body) {
    if (!bot::text::is_valid_utf8(body)) {
        return refuse(IngestError::invalid_utf8, "body is not valid UTF-8");
    }
    nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded()) {
        return refuse(IngestError::invalid_json, "body is not valid JSON");
    }
    if (!j.is_object()) {
        return refuse(IngestError::schema_violation, "body must be a JSON object");
    }
    bot::model::InboundEvent event;
    event.source = std::string(kSource);
    std::string error;
    std::string type;
    std::string time;
    if (!read_string(j, "id", event.id, error, "") || !read_string(j, "type", type, error, "") ||
        !read_string(j, "time", time, error, "") ||
        !read_string(j, "text", event.text, error, "") ||
        !read_string(j, "old_name", event.old_name, error, "")) {
        return refuse(IngestError::schema_violation, error);
    }
    if (event.id.empty() || event.id.size() > kMaxIdLength) {
        return refuse(IngestError::schema_violation, "id is required (at most 256 bytes)");
    }
    auto parsed_type = bot::model::event_type_from_string(type);
    // Ticks, fetched evidence, delivery alerts and refused notices are the service's own
    // events: one from outside could trigger a score post at will, attach an image nobody
    // sent, or alert compliance falsely, so the wire never accepts them.
    using bot::model::EventType;
    if (!parsed_type || *parsed_type == EventType::tick ||
        *parsed_type == EventType::evidence_fetched ||
        *parsed_type == EventType::delivery_failing || *parsed_type == EventType::notice_refused) {
        return refuse(IngestError::schema_violation,
                      "type must be one of message, member_joined, member_left, group_created, "
                      "group_renamed, group_dismissed, nickname_changed, owner_changed, "
                      "group_snapshot");
    }
    event.type = *parsed_type;
    auto parsed_time = bot::time::parse_rfc3339(time);
    if (!parsed_time) {
        return refuse(IngestError::schema_violation,
                      "time is required in RFC 3339 form, e.g. 2026-11-23T10:00:00+08:00");
    }
    event.time = *parsed_time;

    auto chat = j.find("chat");
    if (chat == j.end() || !chat->is_object()) {
        return refuse(IngestError::schema_violation, "chat is required and must be an object");
    }
    std::string kind = "group";
    if (!read_string(*chat, "id", event.chat.id, error, "chat.") ||
        !read_string(*chat, "name", event.chat.name, error, "chat.") ||
        !read_string(*chat, "type", kind, error, "chat.") ||
        !read_string(*chat, "owner", event.chat.owner_id, error, "chat.") ||
        !read_time(*chat, "created_at", event.chat.created_at, error, "chat.")) {
        return refuse(IngestError::schema_violation, error);
    }
    if (event.chat.id.empty()) {
        return refuse(IngestError::schema_violation, "chat.id is required");
    }
    if (kind != "group" && kind != "direct") {
        return refuse(IngestError::schema_violation, "chat.type must be group or direct");
    }
    event.chat.kind = kind == "direct" ? bot::model::ChatKind::direct : bot::model::ChatKind::group;
    if (auto can_remove = chat->find("bot_can_remove");
        can_remove != chat->end() && !can_remove->is_null()) {
        if (!can_remove->is_boolean()) {
            return refuse(IngestError::schema_violation,
                          "chat.bot_can_remove must be true or false");
        }
        event.chat.bot_can_remove = can_remove->get<bool>();
    }

    if (auto sender = j.find("sender"); sender != j.end()) {
        if (!read_person(*sender, event.sender, error, "sender")) {
            return refuse(IngestError::schema_violation, error);
        }
    }
    if (auto member = j.find("member"); member != j.end()) {
        bot::model::Person person;
        if (!read_person(*member, person, error, "member")) {
            return refuse(IngestError::schema_violation, error);
        }
        event.members.push_back(std::move(person));
    }
    if (auto members = j.find("members"); members != j.end()) {
        if (!members->is_array()) {
            return refuse(IngestError::schema_violation, "members must be an array");
        }
        for (std::size_t i = 0; i < members->size(); ++i) {
            bot::model::Person person;
            if (!read_person((*members)[i], person, error, "members[" + std::to_string(i) + "]")) {
                return refuse(IngestError::schema_violation, error);
            }
            event.members.push_back(std::move(person));
        }
    }
    if (auto by = j.find("by"); by != j.end() && !by->is_null()) {
        bot::model::Person person;
        if (!read_person(*by, person, error, "by")) {
            return refuse(IngestError::schema_violation, error);
        }
        event.by = std::move(person);
    }
    if (auto by_self = j.find("by_self"); by_self != j.end()) {
        if (!by_self->is_boolean()) {
            return refuse(IngestError::schema_violation, "by_self must be true or false");
        }
        event.by_self = by_self->get<bool>();
    }
    if (auto kind = j.find("leave_kind"); kind != j.end() && !kind->is_null()) {
        if (!kind->is_string() || (*kind != "self" && *kind != "removed" && *kind != "unknown")) {
            return refuse(IngestError::schema_violation,
                          "leave_kind must be \"self\", \"removed\" or \"unknown\"");
        }
        event.leave_kind = kind->get<std::string>();
        if (event.leave_kind == "self") {
            event.by_self = true;
        } else {
            event.by_self = false;  // removed, or nobody can tell: never a self-leave by itself
        }
    }
    if (auto image = j.find("image"); image != j.end() && !image->is_null()) {
        if (!image->is_object()) {
            return refuse(IngestError::schema_violation, "image must be an object");
        }
        bot::model::ImageRef ref;
        if (!read_string(*image, "url", ref.url, error, "image.") ||
            !read_string(*image, "media_id", ref.media_id, error, "image.") ||
            !read_string(*image, "upload_id", ref.upload_id, error, "image.")) {
            return refuse(IngestError::schema_violation, error);
        }
        if (ref.url.empty() && ref.media_id.empty() && ref.upload_id.empty()) {
            return refuse(IngestError::schema_violation, "image needs upload_id, url or media_id");
        }
        if (!ref.upload_id.empty() &&
            (ref.upload_id.size() != 64 ||
             ref.upload_id.find_first_not_of("0123456789abcdef") != std::string::npos)) {
            return refuse(IngestError::schema_violation,
                          "image.upload_id must be the id the media upload answered");
        }
        event.image = std::move(ref);
    }

    switch (event.type) {
        case bot::model::EventType::message:
            if (event.sender.id.empty()) {
                return refuse(IngestError::schema_violation, "sender is required for a message");
            }
            if (event.text.empty() && !event.image) {
                return refuse(IngestError::schema_violation, "a message needs text or image");
            }
            break;
        case bot::model::EventType::member_joined:
        case bot::model::EventType::member_left:
        case bot::model::EventType::nickname_changed:
            if (event.members.empty()) {
                return refuse(IngestError::schema_violation,
                              "member (or members) is required for " + type);
            }
            break;
        case bot::model::EventType::group_snapshot:
            if (event.chat.kind != bot::model::ChatKind::group) {
                return refuse(IngestError::schema_violation, "a group_snapshot needs a group chat");
            }
            if (j.find("members") == j.end()) {
                return refuse(IngestError::schema_violation,
                              "members (the complete member list) is required for group_snapshot");
            }
            break;
        default:
            break;
    }
    return event;
}

nlohmann::json outbound_body(std::int64_t notice_id, const bot::model::Notice& notice,
                             std::string_view text) {
    nlohmann::json body{
        {"notice_id", notice_id},
        {"target",
         {{"kind", bot::model::to_string(notice.target.kind)},
          {"id", notice.target.id},
          {"channel", notice.target.channel}}},
        {"template", notice.template_id},
        {"text", text},
    };
    // /移出: the bridge removes these members from the target chat, then says the text.
    if (const auto remove = notice.fields.find("remove_member"); remove != notice.fields.end()) {
        body["remove_members"] = nlohmann::json::array({{{"id", remove->value("id", "")}}});
    }
    return body;
}

}  // namespace ledgerbot::adapters::generic
