#include "adapters/wecom/bot_callback.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

namespace {

using ledgerbot::adapters::IngestError;
using ledgerbot::adapters::wecom::Ignored;
using ledgerbot::adapters::wecom::parse_bot_callback;
using ledgerbot::adapters::wecom::strip_leading_mention;
using ledgerbot::adapters::wecom::Translated;
using ledgerbot::bot::model::ChatKind;
using ledgerbot::bot::model::EventType;
using ledgerbot::bot::model::InboundEvent;
using nlohmann::json;

constexpr std::int64_t kCallbackTime = 1700000000;

// The protocol doc's group text message (wecom-protocol.md §5.1).
json group_text() {
    return json::parse(R"({"msgid":"CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=","aibotid":"AIBOTID",
        "chatid":"CHATID","chattype":"group","from":{"userid":"USERID"},
        "response_url":"RESPONSEURL","msgtype":"text",
        "text":{"content":"@RobotA hello robot"},
        "quote":{"msgtype":"text","text":{"content":"quoted"}}})");
}

Translated parse(const json& plaintext) {
    return parse_bot_callback(plaintext.dump(), kCallbackTime);
}

InboundEvent event_of(const Translated& translated) {
    INFO((translated ? std::string() : "refused: " + translated.error().detail));
    REQUIRE(translated);
    const auto* ignored = std::get_if<Ignored>(&translated.value());
    INFO((ignored == nullptr ? std::string() : "ignored: " + ignored->kind));
    REQUIRE(ignored == nullptr);
    return std::get<InboundEvent>(translated.value());
}

}  // namespace

TEST_CASE("A group @-message to the bot becomes a group message with its response_url",
          "[wecom][bot_callback]") {
    const InboundEvent event = event_of(parse(group_text()));

    CHECK(event.source == "wecom-bot");
    CHECK(event.type == EventType::message);
    CHECK(event.id == "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=");
    CHECK(event.chat.id == "CHATID");
    CHECK(event.chat.kind == ChatKind::group);
    CHECK(event.sender.id == "USERID");
    CHECK(event.text == "hello robot");
    CHECK(event.reply_handle == "RESPONSEURL");
    CHECK(event.time == kCallbackTime);
    CHECK_FALSE(event.image.has_value());
}

TEST_CASE("create_time dates the message when present, else the callback's timestamp",
          "[wecom][bot_callback]") {
    const auto [value, expected] = GENERATE(table<json, std::int64_t>({
        {json(1710000000), 1710000000},
        {json("1710000001"), 1710000001},
        {json(nullptr), kCallbackTime},
    }));
    json plaintext = group_text();
    plaintext["create_time"] = value;
    CHECK(event_of(parse(plaintext)).time == expected);
}

TEST_CASE("A 1:1 message to the bot is a direct chat named after the person",
          "[wecom][bot_callback]") {
    json plaintext = group_text();
    plaintext.erase("chatid");
    plaintext["chattype"] = "single";
    plaintext["text"]["content"] = "@不是提及 的开头";
    const InboundEvent event = event_of(parse(plaintext));

    CHECK(event.chat.kind == ChatKind::direct);
    CHECK(event.chat.id == "bot:USERID");
    // Nothing triggered on a mention here, so nothing is stripped.
    CHECK(event.text == "@不是提及 的开头");
}

TEST_CASE("The leading mention is stripped in its usual shapes", "[wecom][bot_callback]") {
    const auto [text, expected] = GENERATE(table<std::string, std::string>({
        {"@RobotA hello", "hello"},
        {"@台账助手\u2005【走访记录】\n企业名称：示例科技", "【走访记录】\n企业名称：示例科技"},
        {"  @Bot\u00a0\u00a0text", "text"},
        {"＠Bot 全角", "全角"},
        {"@Bot【走访记录】\n走访方式：电话", "【走访记录】\n走访方式：电话"},
        {"@Bot\n第一行\n第二行", "第一行\n第二行"},
        {"@Bot", ""},
        {"no mention @Bot here", "no mention @Bot here"},
        {"", ""},
    }));
    CHECK(strip_leading_mention(text) == expected);
}

TEST_CASE("An image message carries the image url", "[wecom][bot_callback]") {
    json plaintext = group_text();
    plaintext.erase("text");
    plaintext["msgtype"] = "image";
    plaintext["image"] = {{"url", "https://ww-aibot-img.example/abc"}};
    const InboundEvent event = event_of(parse(plaintext));

    CHECK(event.text.empty());
    REQUIRE(event.image.has_value());
    CHECK(event.image->url == "https://ww-aibot-img.example/abc");
    CHECK(event.image->media_id.empty());
}

TEST_CASE("A mixed message joins its text items and keeps the first image",
          "[wecom][bot_callback]") {
    json plaintext = group_text();
    plaintext.erase("text");
    plaintext["msgtype"] = "mixed";
    plaintext["mixed"] = json::parse(R"({"msg_item":[
        {"msgtype":"text","text":{"content":"@RobotA 【走访记录】"}},
        {"msgtype":"image","image":{"url":"https://img/1"}},
        {"msgtype":"text","text":{"content":"企业名称：示例科技"}},
        {"msgtype":"image","image":{"url":"https://img/2"}},
        {"msgtype":"emotion","emotion":{}}]})");
    const InboundEvent event = event_of(parse(plaintext));

    CHECK(event.text == "【走访记录】\n企业名称：示例科技");
    REQUIRE(event.image.has_value());
    CHECK(event.image->url == "https://img/1");
}

TEST_CASE("A voice message is its transcription", "[wecom][bot_callback]") {
    json plaintext = group_text();
    plaintext.erase("text");
    plaintext["chattype"] = "single";
    plaintext["msgtype"] = "voice";
    plaintext["voice"] = {{"content", "@开头的转写 今天电话回访了示例科技"}};
    CHECK(event_of(parse(plaintext)).text == "@开头的转写 今天电话回访了示例科技");
}

TEST_CASE("Events, stream refreshes and unread kinds are acknowledged without an event",
          "[wecom][bot_callback]") {
    const auto [text, kind] = GENERATE(table<std::string, std::string>({
        {R"({"msgid":"e1","create_time":1700000000,"aibotid":"A","from":{"userid":"u"},
            "chattype":"single","msgtype":"event","event":{"eventtype":"enter_chat"}})",
         "event:enter_chat"},
        {R"({"msgid":"e2","msgtype":"event","event":{"eventtype":"template_card_event",
            "template_card_event":{"event_key":"k","task_id":"t"}}})",
         "event:template_card_event"},
        {R"({"msgid":"e3","msgtype":"event"})", "event:?"},
        {R"({"msgid":"s1","aibotid":"A","chatid":"C","chattype":"group","from":{"userid":"u"},
            "msgtype":"stream","stream":{"id":"STREAMID"}})",
         "msgtype:stream"},
        {R"({"msgid":"f1","chattype":"single","from":{"userid":"u"},"msgtype":"file",
            "file":{"url":"https://f"}})",
         "msgtype:file"},
    }));
    INFO(text);
    const Translated translated = parse_bot_callback(text, kCallbackTime);
    REQUIRE(translated);
    const auto* ignored = std::get_if<Ignored>(&translated.value());
    REQUIRE(ignored != nullptr);
    CHECK(ignored->kind == kind);
}

TEST_CASE("Plaintext that is not JSON is refused as invalid JSON", "[wecom][bot_callback]") {
    const std::string text =
        GENERATE(as<std::string>{}, "", "<xml/>", "{\"msgid\":", "{\"msgid\":\"\xff\"}");
    const Translated translated = parse_bot_callback(text, kCallbackTime);
    REQUIRE_FALSE(translated);
    CHECK(translated.error().code == IngestError::invalid_json);
}

TEST_CASE("JSON without what a message needs is refused as a schema violation",
          "[wecom][bot_callback]") {
    const auto [change, why] = GENERATE(table<std::string, std::string>({
        {R"([{"op":"remove","path":"/msgid"}])", "no msgid"},
        {R"([{"op":"replace","path":"/msgid","value":42}])", "msgid not a string"},
        {R"([{"op":"replace","path":"/msgid","value":""}])", "empty msgid"},
        {R"([{"op":"remove","path":"/msgtype"}])", "no msgtype"},
        {R"([{"op":"remove","path":"/chattype"}])", "no chattype"},
        {R"([{"op":"replace","path":"/chattype","value":"channel"}])", "unknown chattype"},
        {R"([{"op":"remove","path":"/chatid"}])", "a group message without chatid"},
        {R"([{"op":"remove","path":"/from"}])", "no from"},
        {R"([{"op":"replace","path":"/from","value":"USERID"}])", "from not an object"},
        {R"([{"op":"replace","path":"/from","value":{"corpid":"c"}}])", "no from.userid"},
        {R"([{"op":"remove","path":"/text"}])", "a text message without text"},
        {R"([{"op":"replace","path":"/text/content","value":["a"]}])", "content not a string"},
        {R"([{"op":"replace","path":"/text/content","value":""}])", "empty content"},
        {R"([{"op":"replace","path":"/response_url","value":7}])", "response_url not a string"},
        {R"([{"op":"add","path":"/create_time","value":-1}])", "negative create_time"},
        {R"([{"op":"add","path":"/create_time","value":"soon"}])", "create_time not a number"},
        {R"([{"op":"add","path":"/create_time","value":1.5}])", "fractional create_time"},
        {R"([{"op":"replace","path":"/msgtype","value":"image"}])", "an image without image"},
        {R"([{"op":"replace","path":"/msgtype","value":"mixed"}])", "mixed without msg_item"},
    }));
    INFO(why);
    const json plaintext = group_text().patch(json::parse(change));
    const Translated translated = parse(plaintext);
    REQUIRE_FALSE(translated);
    CHECK(translated.error().code == IngestError::schema_violation);
}

TEST_CASE("A mixed message needs text or an image, each item well formed",
          "[wecom][bot_callback]") {
    const std::string items =
        GENERATE(as<std::string>{}, R"([])", R"([{"msgtype":"emotion"}])",
                 R"([{"text":{"content":"x"}}])", R"([{"msgtype":"text","text":{}}])",
                 R"([{"msgtype":"image","image":{"url":3}}])", R"(["x"])");
    INFO(items);
    json plaintext = group_text();
    plaintext.erase("text");
    plaintext["msgtype"] = "mixed";
    plaintext["mixed"] = {{"msg_item", json::parse(items)}};
    const Translated translated = parse(plaintext);
    REQUIRE_FALSE(translated);
    CHECK(translated.error().code == IngestError::schema_violation);
}
