#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/wecom/callback_crypto.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/integration/wecom_test_app.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;
using nlohmann::json;
using namespace ledgerbot::testing::wecom_app;

namespace {

const std::string kChat = "wrConventions01";

std::string wecom_toml(const FakeWecomServer& fake) {
    return "[adapters.wecom]\nenabled = true\ncorp_id = \"" + kCorpId + "\"\ntoken = \"" +
           kAppToken + "\"\nencoding_aes_key = \"" + kAppKey + "\"\nsecret = \"" +
           fake.options().secret + "\"\nagent_id = " + std::to_string(fake.options().agent_id) +
           "\napi_base_url = \"" + fake.base_url() +
           "\"\ngroup_sync_delay_ms = 50\ngroup_resync_minutes = 0\n";
}

json member(const std::string& id, const std::string& name, const std::string& nickname,
            std::int64_t joined) {
    return {{"userid", id},
            {"type", 1},
            {"join_time", joined},
            {"join_scene", 1},
            {"group_nickname", nickname},
            {"name", name}};
}

// A customer group of 示例科技 with all first members, named with a wrong ending.
json customer_group(const std::string& name, bool with_wangwu = true) {
    const std::int64_t created = now_seconds() - 60;
    json members = {member("zhangsan", "张三", "张三-项目负责人", created),
                    member("sunqi", "孙七", "孙七项目顾问", created),
                    member("zhouba", "周八", "周八-合规质效督办", created)};
    if (with_wangwu) {
        members.push_back(member("wangwu", "王五", "王五 项目专员1", created));
    }
    return {{"chat_id", kChat},
            {"name", name},
            {"owner", "zhangsan"},
            {"create_time", created},
            {"notice", ""},
            {"member_list", members},
            {"admin_list", json::array()},
            {"member_version", with_wangwu ? "v1" : "v2"}};
}

std::string chat_event(const std::string& change_type, const std::string& detail = "",
                       const std::string& quit_scene = "0") {
    std::string xml = "<xml><ToUserName><![CDATA[" + kCorpId +
                      "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>" +
                      std::to_string(now_seconds()) +
                      "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                      "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" +
                      kChat + "]]></ChatId><ChangeType><![CDATA[" + change_type +
                      "]]></ChangeType>";
    if (!detail.empty()) {
        xml += "<UpdateDetail><![CDATA[" + detail + "]]></UpdateDetail><QuitScene>" + quit_scene +
               "</QuitScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item>wangwu</Item>"
               "</MemChangeList>";
    }
    return xml + "</xml>";
}

std::string text_to_app(const std::string& msg_id, const std::string& from,
                        const std::string& content) {
    return "<xml><ToUserName><![CDATA[" + kCorpId + "]]></ToUserName><FromUserName><![CDATA[" +
           from + "]]></FromUserName><CreateTime>" + std::to_string(now_seconds()) +
           "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + content +
           "]]></Content><MsgId>" + msg_id + "</MsgId><AgentID>1000002</AgentID></xml>";
}

/// App messages the fake accepted for `user` whose text contains `part`, waiting up to ~10 s.
std::size_t wait_for_app_message(const FakeWecomServer& fake, const std::string& user,
                                 const std::string& part, std::size_t count = 1) {
    std::size_t found = 0;
    for (int i = 0; i < 500; ++i) {
        found = 0;
        for (const auto& message : fake.app_messages()) {
            if (message.value("touser", "") == user &&
                message["text"]["content"].get<std::string>().find(part) != std::string::npos) {
                ++found;
            }
        }
        if (found >= count) {
            return found;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return found;
}

}  // namespace

TEST_CASE(
    "WeCom customer groups: encrypted events, groupchat/get, and the owner and compliance "
    "told by app message",
    "[integration][wecom][conventions]") {
    FakeWecomServer fake(fake_options());
    fake.seed_customer_group(customer_group("示例科技服务项目群"));
    RunningService service("", "", wecom_toml(fake));
    service.import_demo_directory();
    HttpTestClient client(service.port());

    // The create event names nothing; the sync reads the group and the misnamed project group's
    // owner gets the exact name by app message.
    REQUIRE(post_app(client, chat_event("create")) == 200);
    REQUIRE(wait_for_app_message(fake, "zhangsan", "宁夏示例科技有限公司服务项目专属服务群") == 1);
    CHECK(wait_for_app_message(fake, "zhangsan", "第九条（二）") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM groups WHERE source = 'wecom-app' AND chat_id = '" +
                        kChat + "' AND kind = 'near_miss' AND can_post = 0 AND company_id = 1") ==
          1);
    CHECK(service.count("SELECT COUNT(*) FROM group_members WHERE chat_id = '" + kChat +
                        "' AND left_at = 0") == 4);

    // 王五 leaves by himself (QuitScene 0): the owner and compliance are told.
    fake.seed_customer_group(customer_group("示例科技服务项目群", false));
    REQUIRE(post_app(client, chat_event("update", "del_member", "0")) == 200);
    REQUIRE(wait_for_app_message(fake, "zhangsan", "王五 于") == 1);
    REQUIRE(wait_for_app_message(fake, "zhouba", "王五 于") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wangwu' AND "
                        "left_how = 'self'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM risks WHERE kind = 'self_leave'") == 1);

    // The rename fixes the name: no new reminder, the audit says so.
    fake.seed_customer_group(customer_group("宁夏示例科技有限公司服务项目专属服务群", false));
    REQUIRE(post_app(client, chat_event("update", "change_name")) == 200);
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'group.name_fixed'", 1));
    CHECK(service.count("SELECT COUNT(*) FROM groups WHERE kind = 'project'") == 1);
    // Every message went with a token the fake issued.
    for (const auto& call : fake.calls_to("/cgi-bin/message/send")) {
        CHECK_FALSE(call.query.at("access_token").empty());
    }
}

TEST_CASE("/建群 to the WeCom app creates the project group through appchat/create",
          "[integration][wecom][conventions]") {
    FakeWecomServer fake(fake_options());
    RunningService service("", "", wecom_toml(fake));
    service.import_demo_directory();
    HttpTestClient client(service.port());

    REQUIRE(post_app(client, text_to_app("77001", "lisi", "/建群 星河新材")) == 200);
    REQUIRE(fake.wait_for("/cgi-bin/appchat/send", 1, std::chrono::seconds(10)) == 1);
    const auto creates = fake.calls_to("/cgi-bin/appchat/create");
    REQUIRE(creates.size() == 1);
    const json& body = creates[0].body;
    CHECK(body["name"] == "银川星河新材料股份有限公司服务项目专属服务群");
    CHECK(body["owner"] == "lisi");
    // Owner, executor (王五, 项目负责人 title), head of 企业服务部 (吴九), compliance (周八).
    CHECK(body["userlist"] == json::array({"lisi", "wangwu", "wujiu", "zhouba"}));
    const std::string chat_id = body["chatid"];
    const auto posted = fake.appchat_messages(chat_id);
    REQUIRE(posted.size() == 1);
    CHECK_THAT(posted[0]["text"]["content"].get<std::string>(),
               Catch::Contains("本群为银川星河新材料股份有限公司服务项目专属服务群"));
    REQUIRE(wait_for_app_message(fake, "lisi", "已按第九条（二）创建") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM groups WHERE source = 'wecom-app' AND chat_id = '" +
                        chat_id + "' AND kind = 'project' AND can_post = 1") == 1);
}
