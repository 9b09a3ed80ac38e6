#include "bot/model/inbound_event.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

namespace {

using ledgerbot::bot::model::Chat;
using ledgerbot::bot::model::ChatKind;
using ledgerbot::bot::model::event_type_from_string;
using ledgerbot::bot::model::EventType;
using ledgerbot::bot::model::ImageRef;
using ledgerbot::bot::model::InboundEvent;
using ledgerbot::bot::model::Person;
using nlohmann::json;

InboundEvent through_json_text(const InboundEvent& event) {
    // Through text, as the inbox stores it, not just through a json value.
    return json::parse(json(event).dump()).get<InboundEvent>();
}

}  // namespace

TEST_CASE("An event with every field set survives a JSON round trip unchanged", "[event]") {
    InboundEvent event;
    event.id = "evt-1";
    event.source = "wecom-app";
    event.type = EventType::member_left;
    event.time = 1782871200;
    event.chat = Chat{"wrOgQhDgAA", "「宁夏示例科技」服务项目专属服务群", ChatKind::group,
                      "zhangsan", 1782870000};
    event.sender = Person{"zhangsan", "张三", "张三-项目负责人", false, 0};
    event.members = {Person{"ext-1", "王总", "王总 财务", true, 1782871100},
                     Person{"lisi", "李四", "", false, 0}};
    event.text = "【走访记录】\n企业全称：宁夏示例科技有限公司 & <测试> 《》";
    event.image = ImageRef{"https://example.invalid/a.png", "media-42"};
    event.by_self = true;
    event.by = Person{"wangwu", "王五", "王五 项目负责人", false, 0};
    event.old_name = "旧群名";
    event.join_scene = "qr_code";
    event.reply_handle = "https://example.invalid/response?code=1";
    event.job = "nickname-evening";

    const InboundEvent back = through_json_text(event);

    CHECK(back == event);
    REQUIRE(back.image.has_value());
    CHECK(back.image->media_id == "media-42");
    REQUIRE(back.by.has_value());
    CHECK(back.by->id == "wangwu");
    REQUIRE(back.members.size() == 2);
    CHECK(back.members[0].external);
    CHECK_FALSE(back.members[1].external);
}

TEST_CASE("A direct-chat message without image or actor round-trips with both left empty",
          "[event]") {
    InboundEvent event;
    event.id = "m-7";
    event.source = "generic";
    event.type = EventType::message;
    event.time = 1;
    event.chat = Chat{"dm-zhangsan", "", ChatKind::direct, "", 0};
    event.sender = Person{"zhangsan", "张三", "", false, 0};
    event.text = "你好";

    const json j = json(event);
    CHECK(j.at("chat").at("kind") == "direct");
    CHECK_FALSE(j.contains("image"));
    CHECK_FALSE(j.contains("by"));

    const InboundEvent back = through_json_text(event);
    CHECK(back == event);
    CHECK(back.chat.kind == ChatKind::direct);
    CHECK_FALSE(back.image.has_value());
    CHECK_FALSE(back.by.has_value());
}

TEST_CASE("Decoding into a reused event clears the image and actor of the previous one",
          "[event]") {
    InboundEvent with_extras;
    with_extras.id = "a";
    with_extras.image = ImageRef{"u", "m"};
    with_extras.by = Person{"x", "X", "", false, 0};
    InboundEvent plain;
    plain.id = "b";

    InboundEvent target = with_extras;
    ledgerbot::bot::model::from_json(json(plain), target);

    CHECK(target == plain);
}

TEST_CASE("Every event type has a stable wire name that maps back to it", "[event]") {
    const auto [type, name] = GENERATE(table<EventType, std::string>({
        {EventType::message, "message"},
        {EventType::member_joined, "member_joined"},
        {EventType::member_left, "member_left"},
        {EventType::group_created, "group_created"},
        {EventType::group_renamed, "group_renamed"},
        {EventType::group_dismissed, "group_dismissed"},
        {EventType::nickname_changed, "nickname_changed"},
        {EventType::owner_changed, "owner_changed"},
        {EventType::tick, "tick"},
    }));
    CHECK(ledgerbot::bot::model::to_string(type) == name);
    CHECK(event_type_from_string(name) == type);

    InboundEvent event;
    event.id = "e";
    event.type = type;
    const json j = json(event);
    CHECK(j.at("type") == name);
    CHECK(j.get<InboundEvent>().type == type);
}

TEST_CASE("An unknown or differently cased event type name is not recognised", "[event]") {
    const auto name =
        GENERATE(as<std::string>{}, "", "Message", "member-joined", "Tick", "unknown");
    CHECK_FALSE(event_type_from_string(name).has_value());
}

TEST_CASE("Decoding an event without id or type fails instead of inventing them", "[event]") {
    const auto [text, why] = GENERATE(table<std::string, std::string>({
        {R"({"type":"message","chat":{}})", "no id"},
        {R"({"id":"x","chat":{}})", "no type"},
        {R"({"id":"x","type":"message"})", "no chat"},
    }));
    INFO(why);
    CHECK_THROWS_AS(json::parse(text).get<InboundEvent>(), json::exception);
}

TEST_CASE("A tick round-trips with its job, run key and slot time", "[event]") {
    InboundEvent tick;
    tick.id = "weekly-scores:2026-W47";
    tick.source = std::string(ledgerbot::bot::model::kSchedulerSource);
    tick.type = EventType::tick;
    tick.time = 1795413600;  // 2026-11-23 14:00 Shanghai
    tick.job = "weekly-scores";

    const json j = json(tick);
    CHECK(j.at("type") == "tick");
    CHECK(j.at("job") == "weekly-scores");
    const InboundEvent back = through_json_text(tick);
    CHECK(back == tick);
}

TEST_CASE("Events other than ticks carry no job in their stored JSON", "[event]") {
    InboundEvent event;
    event.id = "m-1";
    event.text = "你好";
    CHECK_FALSE(json(event).contains("job"));
}

TEST_CASE("A refused notice's event keeps the notice through JSON", "[event]") {
    InboundEvent event;
    event.id = "refused:42";
    event.source = "outbox";
    event.type = EventType::notice_refused;
    event.time = 1782871200;
    event.refused = ledgerbot::bot::model::RefusedNotice{
        42,
        "member_removal",
        {{"remove_member", {{"id", "lisi"}, {"name", "李四"}}}, {"group_name", "示例群"}},
        "generic",
        "room-1",
        "outbound POST answered HTTP 409"};
    const InboundEvent back = through_json_text(event);
    CHECK(back == event);
    CHECK(event_type_from_string("notice_refused") == EventType::notice_refused);
}
