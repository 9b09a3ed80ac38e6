#include "bot/model/inbound_event.hpp"

#include <array>
#include <utility>

namespace ledgerbot::bot::model {
namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 13> kEventTypeNames{{
    {EventType::message, "message"},
    {EventType::member_joined, "member_joined"},
    {EventType::member_left, "member_left"},
    {EventType::group_created, "group_created"},
    {EventType::group_renamed, "group_renamed"},
    {EventType::group_dismissed, "group_dismissed"},
    {EventType::nickname_changed, "nickname_changed"},
    {EventType::owner_changed, "owner_changed"},
    {EventType::group_snapshot, "group_snapshot"},
    {EventType::tick, "tick"},
    {EventType::evidence_fetched, "evidence_fetched"},
    {EventType::delivery_failing, "delivery_failing"},
    {EventType::notice_refused, "notice_refused"},
}};

}  // namespace

std::string_view to_string(EventType type) {
    for (const auto& [value, name] : kEventTypeNames) {
        if (value == type) {
            return name;
        }
    }
    return "unknown";
}

std::optional<EventType> event_type_from_string(std::string_view text) {
    for (const auto& [value, name] : kEventTypeNames) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

void to_json(nlohmann::json& j, const Person& p) {
    j = nlohmann::json{
        {"id", p.id}, {"name", p.name}, {"nickname", p.nickname}, {"external", p.external}};
    if (p.joined_at != 0) {
        j["joined_at"] = p.joined_at;
    }
}

void from_json(const nlohmann::json& j, Person& p) {
    p.id = j.value("id", "");
    p.name = j.value("name", "");
    p.nickname = j.value("nickname", "");
    p.external = j.value("external", false);
    p.joined_at = j.value("joined_at", std::int64_t{0});
}

void to_json(nlohmann::json& j, const InboundEvent& e) {
    j = nlohmann::json{
        {"id", e.id},
        {"source", e.source},
        {"type", to_string(e.type)},
        {"time", e.time},
        {"chat",
         {{"id", e.chat.id},
          {"name", e.chat.name},
          {"kind", e.chat.kind == ChatKind::group ? "group" : "direct"},
          {"owner_id", e.chat.owner_id},
          {"created_at", e.chat.created_at}}},
        {"sender", e.sender},
        {"members", e.members},
        {"text", e.text},
        {"by_self", e.by_self},
        {"leave_kind", e.leave_kind},
        {"old_name", e.old_name},
        {"join_scene", e.join_scene},
        {"reply_handle", e.reply_handle},
    };
    if (e.chat.bot_can_remove) {
        j["chat"]["bot_can_remove"] = *e.chat.bot_can_remove;
    }
    if (e.image) {
        j["image"] = {{"url", e.image->url}, {"media_id", e.image->media_id}};
        if (!e.image->upload_id.empty()) {
            j["image"]["upload_id"] = e.image->upload_id;
        }
    }
    if (e.evidence) {
        const EvidenceFetch& f = *e.evidence;
        j["evidence"] = {{"evidence_id", f.evidence_id},
                         {"visit_number", f.visit_number},
                         {"by_id", f.by_id},
                         {"channel", f.channel},
                         {"chat_id", f.chat_id},
                         {"direct", f.direct},
                         {"sha256", f.sha256},
                         {"size", f.size},
                         {"mime", f.mime},
                         {"width", f.width},
                         {"height", f.height},
                         {"reason", f.reason},
                         {"error", f.error}};
    }
    if (e.by) {
        j["by"] = *e.by;
    }
    if (e.outage) {
        j["outage"] = {{"since", e.outage->since},
                       {"failing", e.outage->failing},
                       {"channels", e.outage->channels},
                       {"last_error", e.outage->last_error}};
    }
    if (e.refused) {
        j["refused"] = {
            {"outbox_id", e.refused->outbox_id}, {"template_id", e.refused->template_id},
            {"fields", e.refused->fields},       {"channel", e.refused->channel},
            {"target_id", e.refused->target_id}, {"error", e.refused->error}};
    }
    // Only ticks carry a job: other events' stored JSON stays as it was.
    if (!e.job.empty()) {
        j["job"] = e.job;
    }
}

void from_json(const nlohmann::json& j, InboundEvent& e) {
    e.id = j.at("id").get<std::string>();
    e.source = j.value("source", "");
    e.type = event_type_from_string(j.at("type").get<std::string>()).value_or(EventType::message);
    e.time = j.value("time", std::int64_t{0});
    const auto& chat = j.at("chat");
    e.chat.id = chat.value("id", "");
    e.chat.name = chat.value("name", "");
    e.chat.kind = chat.value("kind", "group") == "direct" ? ChatKind::direct : ChatKind::group;
    e.chat.owner_id = chat.value("owner_id", "");
    e.chat.created_at = chat.value("created_at", std::int64_t{0});
    if (const auto can_remove = chat.find("bot_can_remove");
        can_remove != chat.end() && can_remove->is_boolean()) {
        e.chat.bot_can_remove = can_remove->get<bool>();
    }
    e.sender = j.value("sender", Person{});
    e.members = j.value("members", std::vector<Person>{});
    e.text = j.value("text", "");
    e.by_self = j.value("by_self", false);
    e.leave_kind = j.value("leave_kind", "");
    e.old_name = j.value("old_name", "");
    e.join_scene = j.value("join_scene", "");
    e.reply_handle = j.value("reply_handle", "");
    e.job = j.value("job", "");
    e.image.reset();
    if (j.contains("image")) {
        e.image = ImageRef{j["image"].value("url", ""), j["image"].value("media_id", ""),
                           j["image"].value("upload_id", "")};
    }
    e.evidence.reset();
    if (j.contains("evidence")) {
        const auto& f = j["evidence"];
        e.evidence = EvidenceFetch{f.value("evidence_id", std::int64_t{0}),
                                   f.value("visit_number", std::int64_t{0}),
                                   f.value("by_id", ""),
                                   f.value("channel", ""),
                                   f.value("chat_id", ""),
                                   f.value("direct", false),
                                   f.value("sha256", ""),
                                   f.value("size", std::int64_t{0}),
                                   f.value("mime", ""),
                                   f.value("width", 0),
                                   f.value("height", 0),
                                   f.value("reason", ""),
                                   f.value("error", "")};
    }
    e.by.reset();
    if (j.contains("by")) {
        e.by = j["by"].get<Person>();
    }
    e.outage.reset();
    if (j.contains("outage")) {
        const auto& o = j["outage"];
        e.outage =
            DeliveryOutage{o.value("since", std::int64_t{0}), o.value("failing", std::int64_t{0}),
                           o.value("channels", ""), o.value("last_error", "")};
    }
    e.refused.reset();
    if (j.contains("refused")) {
        const auto& r = j["refused"];
        e.refused = RefusedNotice{r.value("outbox_id", std::int64_t{0}),
                                  r.value("template_id", ""),
                                  r.value("fields", nlohmann::json::object()),
                                  r.value("channel", ""),
                                  r.value("target_id", ""),
                                  r.value("error", "")};
    }
}

}  // namespace ledgerbot::bot::model
