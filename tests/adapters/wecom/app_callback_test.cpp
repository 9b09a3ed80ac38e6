#include "adapters/wecom/app_callback.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

namespace {

using ledgerbot::adapters::IngestError;
using ledgerbot::adapters::wecom::CallbackEvent;
using ledgerbot::adapters::wecom::Ignored;
using ledgerbot::adapters::wecom::parse_app_callback;
using ledgerbot::adapters::wecom::Translated;
using ledgerbot::bot::model::ChatKind;
using ledgerbot::bot::model::EventType;
using ledgerbot::bot::model::InboundEvent;

// V1's plaintext (wecom-protocol.md §2), exactly as it decrypts.
const std::string kV1Text =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
    "<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n"
    "<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

// The protocol doc's change_external_chat shapes (§4.1), with the parts a test varies.
std::string external_chat(const std::string& change_type, const std::string& rest = "",
                          const std::string& create_time = "1403610513") {
    return "<xml><ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>"
           "<FromUserName><![CDATA[sys]]></FromUserName><CreateTime>" +
           create_time +
           "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
           "<Event><![CDATA[change_external_chat]]></Event>"
           "<ChatId><![CDATA[wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ]]></ChatId>"
           "<ChangeType><![CDATA[" +
           change_type + "]]></ChangeType>" + rest + "</xml>";
}

std::string update(const std::string& detail, const std::string& rest = "") {
    return external_chat("update",
                         "<UpdateDetail><![CDATA[" + detail + "]]></UpdateDetail>" + rest);
}

const std::string kItemList = "<MemChangeList><Item>Jack</Item><Item>Rose</Item></MemChangeList>";
const std::string kVersions =
    "<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer>"
    "<CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer>";

InboundEvent event_of(const Translated& translated) {
    INFO((translated ? std::string() : "refused: " + translated.error().detail));
    REQUIRE(translated);
    const auto* ignored = std::get_if<Ignored>(&translated.value());
    INFO((ignored == nullptr ? std::string() : "ignored: " + ignored->kind));
    REQUIRE(ignored == nullptr);
    return std::get<InboundEvent>(translated.value());
}

std::vector<std::string> member_ids(const InboundEvent& event) {
    std::vector<std::string> ids;
    for (const auto& member : event.members) {
        ids.push_back(member.id);
    }
    return ids;
}

}  // namespace

TEST_CASE("A staff member's text to the app becomes a message in their direct chat with the app",
          "[wecom][app_callback]") {
    const InboundEvent event = event_of(parse_app_callback(kV1Text));

    CHECK(event.source == "wecom-app");
    CHECK(event.type == EventType::message);
    CHECK(event.id == "4561255354251345929");
    CHECK(event.time == 1409659813);
    CHECK(event.sender.id == "mycreate");
    CHECK_FALSE(event.sender.external);
    CHECK(event.chat.id == "app:mycreate");
    CHECK(event.chat.kind == ChatKind::direct);
    CHECK(event.chat.name.empty());
    CHECK(event.text == "hello");
    CHECK_FALSE(event.image.has_value());
}

TEST_CASE("Message text is kept byte for byte, in CDATA or escaped, split or whole",
          "[wecom][app_callback]") {
    const auto [content, expected] = GENERATE(table<std::string, std::string>({
        {"<![CDATA[【走访记录】\n企业名称：示例科技\n  走访方式：电话 ]]>",
         "【走访记录】\n企业名称：示例科技\n  走访方式：电话 "},
        {"你好", "你好"},  // V2's plaintext has no CDATA
        {"a &amp; b &lt;c&gt;", "a & b <c>"},
        {"<![CDATA[x]]]]><![CDATA[>y]]>", "x]]>y"},
    }));
    const std::string xml =
        "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName>"
        "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>" +
        content + "</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";
    INFO(xml);
    const InboundEvent event = event_of(parse_app_callback(xml));
    CHECK(event.text == expected);
    CHECK(event.id == "1456453720");
    CHECK(event.chat.id == "app:ChenJiaShun");
}

TEST_CASE("An image sent to the app carries its PicUrl and MediaId", "[wecom][app_callback]") {
    const std::string xml =
        "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
        "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]></MsgType>"
        "<PicUrl><![CDATA[https://wework.qpic.cn/abc]]></PicUrl><MediaId><![CDATA[media-1]]>"
        "</MediaId><MsgId>123456</MsgId><AgentID>1</AgentID></xml>";
    const InboundEvent event = event_of(parse_app_callback(xml));

    CHECK(event.type == EventType::message);
    CHECK(event.text.empty());
    REQUIRE(event.image.has_value());
    CHECK(event.image->url == "https://wework.qpic.cn/abc");
    CHECK(event.image->media_id == "media-1");
    CHECK(event.chat.id == "app:zhangsan");
}

TEST_CASE("Customer-group create and dismiss become group_created and group_dismissed",
          "[wecom][app_callback]") {
    const auto [change_type, type] = GENERATE(table<std::string, EventType>({
        {"create", EventType::group_created},
        {"dismiss", EventType::group_dismissed},
    }));
    const InboundEvent event = event_of(parse_app_callback(external_chat(change_type)));

    CHECK(event.type == type);
    CHECK(event.source == "wecom-app");
    CHECK(event.chat.id == "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ");
    CHECK(event.chat.kind == ChatKind::group);
    CHECK(event.time == 1403610513);
    // FromUserName "sys" is WeCom itself, not a person.
    CHECK(event.sender.id.empty());
    CHECK(event.id == "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ/1403610513/" + change_type);
}

TEST_CASE("add_member lists the joined members in either MemChangeList form",
          "[wecom][app_callback]") {
    const auto [list, why] = GENERATE(table<std::string, std::string>({
        {kItemList, "the newer <Item> form"},
        {"<MemChangeList><![CDATA[Jack,Rose]]></MemChangeList>", "the older comma form"},
        {"<MemChangeList> Jack , Rose,, Jack </MemChangeList>", "spaces, empties and repeats"},
        {"<MemChangeList>\n  <Item>Jack</Item>\n  <Item><![CDATA[Rose]]></Item>\n"
         "</MemChangeList>",
         "indented items"},
    }));
    INFO(why);
    const InboundEvent event = event_of(parse_app_callback(
        update("add_member", "<JoinScene>0</JoinScene><MemChangeCnt>2</MemChangeCnt>" + list)));

    CHECK(event.type == EventType::member_joined);
    CHECK(member_ids(event) == std::vector<std::string>{"Jack", "Rose"});
    CHECK(event.join_scene == "invited");
    CHECK(event.id == "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ/1403610513/update/add_member/Jack,Rose");
}

TEST_CASE("JoinScene says how members came in, unknown values kept", "[wecom][app_callback]") {
    const auto [scene, expected] = GENERATE(table<std::string, std::string>({
        {"<JoinScene>0</JoinScene>", "invited"},
        {"<JoinScene>3</JoinScene>", "qr_code"},
        {"<JoinScene>1</JoinScene>", "other:1"},  // the SDK-test value outside the doc's 0/3
        {"", ""},
    }));
    const InboundEvent event =
        event_of(parse_app_callback(update("add_member", scene + kItemList)));
    CHECK(event.join_scene == expected);
}

TEST_CASE("del_member is a leave by the member only when QuitScene is 0", "[wecom][app_callback]") {
    const auto [scene, by_self, why] = GENERATE(table<std::string, bool, std::string>({
        {"<QuitScene>0</QuitScene>", true, "left by themselves"},
        {"<QuitScene>1</QuitScene>", false, "removed by the owner or an admin"},
        {"", false, "unknown must not look like a violation"},
        {"<QuitScene>7</QuitScene>", false, "an undocumented value"},
    }));
    INFO(why);
    const InboundEvent event = event_of(parse_app_callback(
        update("del_member", scene + "<MemChangeCnt>1</MemChangeCnt>"
                                     "<MemChangeList><Item>wmExternal1</Item></MemChangeList>")));

    CHECK(event.type == EventType::member_left);
    CHECK(event.by_self == by_self);
    CHECK(member_ids(event) == std::vector<std::string>{"wmExternal1"});
    CHECK_FALSE(event.by.has_value());
}

TEST_CASE("A rename and an owner change carry no new values: the re-sync reads them",
          "[wecom][app_callback]") {
    const auto [detail, type] = GENERATE(table<std::string, EventType>({
        {"change_name", EventType::group_renamed},
        {"change_owner", EventType::owner_changed},
    }));
    const InboundEvent event = event_of(parse_app_callback(update(detail)));

    CHECK(event.type == type);
    CHECK(event.chat.id == "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ");
    CHECK(event.chat.name.empty());
    CHECK(event.old_name.empty());
    CHECK(event.members.empty());
    CHECK(event.id == "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ/1403610513/update/" + detail);
}

TEST_CASE("A group event's id is the same for every delivery and differs between changes",
          "[wecom][app_callback]") {
    const auto id_of = [](const std::string& xml) { return event_of(parse_app_callback(xml)).id; };
    const std::string join = update("add_member", kItemList + kVersions);

    CHECK(id_of(join) == id_of(join));
    // Member order is WeCom's business; the key sorts it.
    CHECK(id_of(join) == id_of(update("add_member",
                                      "<MemChangeList><Item>Rose</Item><Item>Jack</Item>"
                                      "</MemChangeList>" +
                                          kVersions)));
    CHECK(id_of(join) ==
          "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ/1403610513/update/add_member/Jack,Rose/"
          "71217227bbd112ecfe3a49c482195cb4");
    // Two joins in the same second are two events.
    CHECK(id_of(update("add_member", "<MemChangeList><Item>Ann</Item></MemChangeList>")) !=
          id_of(update("add_member", "<MemChangeList><Item>Bob</Item></MemChangeList>")));
    CHECK(id_of(update("add_member", kItemList)) != id_of(update("del_member", kItemList)));
    CHECK(id_of(external_chat("create", "", "1403610513")) !=
          id_of(external_chat("create", "", "1403610514")));
}

TEST_CASE("A long member list is hashed in the event id", "[wecom][app_callback]") {
    std::string items;
    for (int i = 0; i < 40; ++i) {
        items += "<Item>wmMember" + std::to_string(i) + "</Item>";
    }
    const InboundEvent event = event_of(
        parse_app_callback(update("add_member", "<MemChangeList>" + items + "</MemChangeList>")));

    CHECK(event.members.size() == 40);
    const std::string prefix =
        "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ/1403610513/update/add_member/sha256:";
    REQUIRE(event.id.rfind(prefix, 0) == 0);
    CHECK(event.id.size() == prefix.size() + 32);
    CHECK(event.id.find("wmMember") == std::string::npos);
}

TEST_CASE("Valid callbacks without a normalized form are ignored, not refused",
          "[wecom][app_callback]") {
    const auto [xml, kind] = GENERATE(table<std::string, std::string>({
        {update("change_notice"), "change_external_chat:update/change_notice"},
        {update("change_colour"), "change_external_chat:update/change_colour"},
        {external_chat("update"), "change_external_chat:update/"},
        {external_chat("merge"), "change_external_chat:merge"},
        {"<xml><ToUserName>ww1</ToUserName><FromUserName>zhangsan</FromUserName>"
         "<CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event>"
         "<EventKey></EventKey><AgentID>1000002</AgentID></xml>",
         "event:enter_agent"},
        {"<xml><ToUserName>ww1</ToUserName><FromUserName>zhangsan</FromUserName>"
         "<CreateTime>1700000000</CreateTime><MsgType>voice</MsgType><MediaId>m</MediaId>"
         "<Format>amr</Format><MsgId>1</MsgId></xml>",
         "msgtype:voice"},
    }));
    INFO(xml);
    const Translated translated = parse_app_callback(xml);
    REQUIRE(translated);
    const auto* ignored = std::get_if<Ignored>(&translated.value());
    REQUIRE(ignored != nullptr);
    CHECK(ignored->kind == kind);
}

TEST_CASE("Plaintext that is not XML is refused as invalid XML", "[wecom][app_callback]") {
    const std::string text =
        GENERATE(as<std::string>{}, "", "hello", "{\"MsgType\":\"text\"}",
                 "<xml><MsgType>text</MsgType>", "<xml><Content><![CDATA[x</Content></xml>");
    INFO(text);
    const Translated translated = parse_app_callback(text);
    REQUIRE_FALSE(translated);
    CHECK(translated.error().code == IngestError::invalid_xml);
}

TEST_CASE("XML without the fields its kind needs is refused as a schema violation",
          "[wecom][app_callback]") {
    const std::string message_head =
        "<xml><FromUserName>zhangsan</FromUserName><CreateTime>1700000000</CreateTime>";
    const auto [xml, why] = GENERATE_COPY(table<std::string, std::string>({
        {"<root><MsgType>text</MsgType></root>", "no <xml> root"},
        {"<xml><CreateTime>1</CreateTime><Content>x</Content><MsgId>1</MsgId></xml>", "no MsgType"},
        {"<xml><MsgType>text</MsgType><FromUserName>a</FromUserName><Content>x</Content>"
         "<MsgId>1</MsgId></xml>",
         "no CreateTime"},
        {"<xml><MsgType>text</MsgType><CreateTime>yesterday</CreateTime><FromUserName>a"
         "</FromUserName><Content>x</Content><MsgId>1</MsgId></xml>",
         "CreateTime not a number"},
        {"<xml><MsgType>text</MsgType><CreateTime>-5</CreateTime><FromUserName>a</FromUserName>"
         "<Content>x</Content><MsgId>1</MsgId></xml>",
         "negative CreateTime"},
        {message_head + "<MsgType>text</MsgType><Content>x</Content></xml>", "no MsgId"},
        {"<xml><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content>"
         "<MsgId>1</MsgId></xml>",
         "no FromUserName"},
        {message_head + "<MsgType>text</MsgType><MsgId>1</MsgId></xml>", "no Content"},
        {message_head + "<MsgType>image</MsgType><MsgId>1</MsgId></xml>", "an image without url"},
        {message_head + "<MsgType>text</MsgType><Content>x</Content><MsgId>" +
             std::string(300, '7') + "</MsgId></xml>",
         "an absurdly long MsgId"},
        {message_head + "<MsgType>event</MsgType></xml>", "an event without Event"},
        {"<xml><CreateTime>1</CreateTime><MsgType>event</MsgType>"
         "<Event>change_external_chat</Event><ChangeType>create</ChangeType></xml>",
         "no ChatId"},
        {"<xml><CreateTime>1</CreateTime><MsgType>event</MsgType>"
         "<Event>change_external_chat</Event><ChatId>wr1</ChatId></xml>",
         "no ChangeType"},
    }));
    INFO(why);
    const Translated translated = parse_app_callback(xml);
    REQUIRE_FALSE(translated);
    CHECK(translated.error().code == IngestError::schema_violation);
}

TEST_CASE("A character reference that is not UTF-8 is refused before it reaches the inbox",
          "[wecom][app_callback]") {
    // &#xD800; is a lone surrogate: pugixml writes its bytes, which no JSON encoder accepts.
    const std::string xml =
        "<xml><FromUserName>a</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
        "<Content>bad &#xD800; text</Content><MsgId>1</MsgId></xml>";
    const Translated translated = parse_app_callback(xml);
    REQUIRE_FALSE(translated);
    CHECK(translated.error().code == IngestError::invalid_utf8);
}
