#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "app/delivery/wecom_sender.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/run_awaitable.hpp"

using namespace ledgerbot;
using adapters::wecom::ApiClient;
using adapters::wecom::ApiClientSettings;
using adapters::wecom::MessageFormat;
using nlohmann::json;
using testing::FakeWecomServer;
using testing::run_awaitable;

namespace {

/// The senders on an io_context, talking to the fake WeCom API over real sockets.
struct SenderFixture {
    SenderFixture() {
        ApiClientSettings settings;
        settings.base_url = fake.base_url();
        settings.corp_id = fake.options().corp_id;
        settings.secret = fake.options().secret;
        settings.agent_id = fake.options().agent_id;
        settings.request_timeout = std::chrono::milliseconds(300);
        settings.busy_backoff = std::chrono::milliseconds(10);
        client = std::make_shared<ApiClient>(io.get_executor(), settings);
        fake.add_staff({"zhangsan", "lisi"});
        fake.add_robot("key-ops");
    }

    app::delivery::SendOutcome send(
        app::delivery::NoticeSender& sender, const bot::model::Notice& notice,
        const std::string& text,
        std::optional<app::delivery::Attachment> attachment = std::nullopt) {
        const app::delivery::RenderedNotice rendered{text, std::move(attachment)};
        return run_awaitable(io, sender.send(1, notice, rendered));
    }

    FakeWecomServer fake;
    boost::asio::io_context io;
    std::shared_ptr<ApiClient> client;
};

bot::model::Notice notice_to(const std::string& channel, bot::model::NoticeTarget::Kind kind,
                             const std::string& id, const std::string& reply_handle = "") {
    bot::model::Notice notice;
    notice.template_id = "visit_recorded";
    notice.target = {channel, kind, id, reply_handle};
    return notice;
}

std::string create_app_chat(SenderFixture& f) {
    adapters::wecom::AppChatCreate create;
    create.name = "项目群";
    create.members = {"zhangsan", "lisi"};
    auto created = run_awaitable(f.io, f.client->appchat_create(create));
    REQUIRE(created);
    return created.value();
}

}  // namespace

TEST_CASE("wecom-app sends a user notice as an app message to that userid",
          "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomAppSender sender(f.client, MessageFormat::text);
    const auto outcome =
        f.send(sender, notice_to("wecom-app", bot::model::NoticeTarget::Kind::user, "zhangsan"),
               "请补充走访记录");
    CHECK(outcome.delivered);
    const auto messages = f.fake.app_messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["touser"] == "zhangsan");
    CHECK(messages[0]["agentid"] == 1000002);
    CHECK(messages[0]["msgtype"] == "text");
    CHECK(messages[0]["text"]["content"] == "请补充走访记录");
}

TEST_CASE("wecom-app does not retry a recipient WeCom refused", "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomAppSender sender(f.client, MessageFormat::text);
    const auto outcome =
        f.send(sender, notice_to("wecom-app", bot::model::NoticeTarget::Kind::user, "ghost"), "hi");
    CHECK_FALSE(outcome.delivered);
    CHECK_FALSE(outcome.retryable);
    CHECK_THAT(outcome.error, Catch::Contains("81013"));
}

TEST_CASE("wecom-app sends a chat notice into the app's own group, split when long",
          "[integration][wecom]") {
    SenderFixture f;
    const std::string chat_id = create_app_chat(f);
    app::delivery::WecomAppSender sender(f.client, MessageFormat::markdown);
    std::string text;
    for (int i = 0; i < 80; ++i) {
        text += "- 第" + std::to_string(i) + "项：请及时更新台账\n";
    }
    REQUIRE(text.size() > 2048);
    const auto outcome =
        f.send(sender, notice_to("wecom-app", bot::model::NoticeTarget::Kind::chat, chat_id), text);
    CHECK(outcome.delivered);
    const auto messages = f.fake.appchat_messages(chat_id);
    REQUIRE(messages.size() >= 2);
    for (const auto& message : messages) {
        CHECK(message["msgtype"] == "markdown");
        CHECK(message["markdown"]["content"].get<std::string>().size() <= 2048);
    }
}

TEST_CASE("wecom-app follows the text with the attachment as a file message",
          "[integration][wecom]") {
    SenderFixture f;
    const std::string chat_id = create_app_chat(f);
    app::delivery::WecomAppSender sender(f.client, MessageFormat::markdown);
    // Bytes a text protocol would mangle: NUL, CR LF, and what looks like a boundary.
    static const char kRaw[] = "PK\x03\x04\0\r\n--ledgerbot-media-1\r\n";
    const std::string bytes = std::string(kRaw, sizeof kRaw - 1) + "表";
    const app::delivery::Attachment table{"企业走访积分表-2026-W47-业务一线.xlsx", "application/x",
                                          bytes};
    const auto outcome =
        f.send(sender, notice_to("wecom-app", bot::model::NoticeTarget::Kind::chat, chat_id),
               "**积分表**", table);
    REQUIRE(outcome.delivered);
    const auto messages = f.fake.appchat_messages(chat_id);
    REQUIRE(messages.size() == 2);
    CHECK(messages[0]["msgtype"] == "markdown");
    CHECK(messages[1]["msgtype"] == "file");
    const auto media = f.fake.media(messages[1]["file"]["media_id"]);
    REQUIRE(media);
    CHECK(media->type == "file");
    CHECK(media->file_name == "企业走访积分表-2026-W47-业务一线.xlsx");
    CHECK(media->bytes == bytes);

    // To a person: message/send with the same file.
    const auto direct =
        f.send(sender, notice_to("wecom-app", bot::model::NoticeTarget::Kind::user, "zhangsan"),
               "积分表", table);
    REQUIRE(direct.delivered);
    const auto app_messages = f.fake.app_messages();
    REQUIRE(app_messages.size() == 2);
    CHECK(app_messages[1]["msgtype"] == "file");
    CHECK(f.fake.media(app_messages[1]["file"]["media_id"])->bytes == bytes);

    // A failed upload fails the notice so the dispatcher retries it.
    f.fake.fail_next("/cgi-bin/media/upload", 1, 45009);
    const auto busy =
        f.send(sender, notice_to("wecom-app", bot::model::NoticeTarget::Kind::chat, chat_id),
               "积分表", table);
    CHECK_FALSE(busy.delivered);
    CHECK(busy.retryable);
    CHECK_THAT(busy.error, Catch::Contains("media/upload"));
}

TEST_CASE("wecom-app maps WeCom failures to retryable or final outcomes", "[integration][wecom]") {
    const auto [errcode, retryable] = GENERATE(table<int, bool>({
        {-1, true},
        {45009, true},
        {45033, true},
        {86008, false},
        {48002, false},
    }));
    INFO("errcode " << errcode);
    SenderFixture f;
    const std::string chat_id = create_app_chat(f);
    f.fake.fail_next("/cgi-bin/appchat/send", 3, errcode);
    app::delivery::WecomAppSender sender(f.client, MessageFormat::text);
    const auto outcome =
        f.send(sender, notice_to("wecom-app", bot::model::NoticeTarget::Kind::chat, chat_id), "hi");
    CHECK_FALSE(outcome.delivered);
    CHECK(outcome.retryable == retryable);
    CHECK_THAT(outcome.error, Catch::Contains(std::to_string(errcode)));
}

TEST_CASE("wecom-app treats a timeout and a dropped connection as retryable",
          "[integration][wecom]") {
    SenderFixture f;
    const std::string chat_id = create_app_chat(f);
    app::delivery::WecomAppSender sender(f.client, MessageFormat::text);
    const auto target = notice_to("wecom-app", bot::model::NoticeTarget::Kind::chat, chat_id);
    f.fake.delay_next("/cgi-bin/appchat/send", 1, std::chrono::milliseconds(1000));
    const auto slow = f.send(sender, target, "hi");
    CHECK_FALSE(slow.delivered);
    CHECK(slow.retryable);
    f.fake.drop_next("/cgi-bin/appchat/send", 1);
    const auto dropped = f.send(sender, target, "hi");
    CHECK_FALSE(dropped.delivered);
    CHECK(dropped.retryable);
    CHECK(f.send(sender, target, "hi").delivered);
}

TEST_CASE("wecom-webhook posts to the robot named by the target, never naming its key",
          "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomWebhookSender sender(f.client, {{"ops", "key-ops"}},
                                             MessageFormat::markdown);
    const auto outcome =
        f.send(sender, notice_to("wecom-webhook", bot::model::NoticeTarget::Kind::chat, "ops"),
               "**周报**");
    CHECK(outcome.delivered);
    const auto messages = f.fake.webhook_messages("key-ops");
    REQUIRE(messages.size() == 1);
    CHECK(messages[0] == json({{"msgtype", "markdown"}, {"markdown", {{"content", "**周报**"}}}}));

    const auto unknown = f.send(
        sender, notice_to("wecom-webhook", bot::model::NoticeTarget::Kind::chat, "sales"), "x");
    CHECK_FALSE(unknown.delivered);
    CHECK_FALSE(unknown.retryable);

    f.fake.fail_next("/cgi-bin/webhook/send", 1, 93000);
    const auto removed = f.send(
        sender, notice_to("wecom-webhook", bot::model::NoticeTarget::Kind::chat, "ops"), "x");
    CHECK_FALSE(removed.retryable);
    CHECK_THAT(removed.error, !Catch::Contains("key-ops"));
}

TEST_CASE("wecom-webhook uploads an attachment with the robot's key and posts it as a file",
          "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomWebhookSender sender(f.client, {{"ops", "key-ops"}},
                                             MessageFormat::markdown);
    const app::delivery::Attachment table{"企业走访积分表-2026-W47-业务一线.xlsx", "application/x",
                                          std::string("PK\x03\x04\0xlsx", 9)};
    const auto outcome =
        f.send(sender, notice_to("wecom-webhook", bot::model::NoticeTarget::Kind::chat, "ops"),
               "**积分表**", table);
    REQUIRE(outcome.delivered);
    const auto messages = f.fake.webhook_messages("key-ops");
    REQUIRE(messages.size() == 2);
    CHECK(messages[0]["msgtype"] == "markdown");
    CHECK(messages[1]["msgtype"] == "file");
    const auto media = f.fake.media(messages[1]["file"]["media_id"]);
    REQUIRE(media);
    CHECK(media->file_name == "企业走访积分表-2026-W47-业务一线.xlsx");
    CHECK(media->bytes == table.bytes);
    // The upload went with the robot's key, not an access token.
    const auto uploads = f.fake.calls_to("/cgi-bin/webhook/upload_media");
    REQUIRE(uploads.size() == 1);
    CHECK(uploads[0].query.at("key") == "key-ops");
    CHECK(uploads[0].query.count("access_token") == 0);
}

TEST_CASE("wecom-bot answers through the response_url, then falls back to the chat's robot",
          "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomBotSender sender(f.client, {{"wr-chat", "key-ops"}});
    const std::string url = f.fake.issue_response_url();
    const auto target =
        notice_to("wecom-bot", bot::model::NoticeTarget::Kind::chat, "wr-chat", url);

    CHECK(f.send(sender, target, "已记录走访 V1").delivered);
    REQUIRE(f.fake.bot_replies().size() == 1);
    CHECK(f.fake.bot_replies()[0]["markdown"]["content"] == "已记录走访 V1");
    CHECK(f.fake.webhook_messages("key-ops").empty());

    // The response_url works once; the second notice for the same message goes to the robot.
    CHECK(f.send(sender, target, "补充说明").delivered);
    REQUIRE(f.fake.webhook_messages("key-ops").size() == 1);
    CHECK(f.fake.webhook_messages("key-ops")[0]["markdown"]["content"] == "补充说明");

    const auto nowhere = f.send(
        sender, notice_to("wecom-bot", bot::model::NoticeTarget::Kind::chat, "other-chat"), "x");
    CHECK_FALSE(nowhere.delivered);
    CHECK_FALSE(nowhere.retryable);
}

TEST_CASE("wecom-bot retries a response_url reply that failed for a passing reason",
          "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomBotSender sender(f.client, {{"wr-chat", "key-ops"}});
    const std::string url = f.fake.issue_response_url();
    f.fake.drop_next("/cgi-bin/aibot/response", 1);
    const auto target =
        notice_to("wecom-bot", bot::model::NoticeTarget::Kind::chat, "wr-chat", url);
    const auto first = f.send(sender, target, "答复");
    CHECK_FALSE(first.delivered);
    CHECK(first.retryable);
    CHECK(f.fake.webhook_messages("key-ops").empty());
    CHECK(f.send(sender, target, "答复").delivered);
    CHECK(f.fake.bot_replies().size() == 1);
}

namespace {

const std::string kAppChatCreate = "/cgi-bin/appchat/create";
const std::string kAppChatSend = "/cgi-bin/appchat/send";

/// The engine's /建群 notice: its own chat id, and the group to create there first.
bot::model::Notice project_group_notice(const std::vector<std::string>& userlist) {
    bot::model::Notice notice =
        notice_to("wecom-app", bot::model::NoticeTarget::Kind::chat, "LbProj7f3a9c21");
    notice.template_id = "project_group_welcome";
    notice.fields["create_chat"] = {
        {"name", "宁夏示例科技有限公司服务项目专属服务群"},
        {"owner", "zhangsan"},
        {"userlist", userlist},
    };
    return notice;
}

}  // namespace

TEST_CASE("wecom-app creates the project group with the engine's chat id, then posts in it",
          "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomAppSender sender(f.client, MessageFormat::text);

    const auto outcome = f.send(sender, project_group_notice({"zhangsan", "lisi"}), "欢迎加入");

    CHECK(outcome.delivered);
    const auto creates = f.fake.calls_to(kAppChatCreate);
    REQUIRE(creates.size() == 1);
    CHECK(creates[0].body == json({{"chatid", "LbProj7f3a9c21"},
                                   {"name", "宁夏示例科技有限公司服务项目专属服务群"},
                                   {"owner", "zhangsan"},
                                   {"userlist", {"zhangsan", "lisi"}}}));
    const auto chat = f.fake.app_chat("LbProj7f3a9c21");
    REQUIRE(chat);
    CHECK((*chat)["owner"] == "zhangsan");
    CHECK((*chat)["userlist"] == json({"zhangsan", "lisi"}));
    const auto messages = f.fake.appchat_messages("LbProj7f3a9c21");
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["text"]["content"] == "欢迎加入");
    // Created first, then the message: the send would fail (86003) on a chat not yet there.
    std::vector<std::string> order;
    for (const auto& call : f.fake.calls()) {
        if (call.path == kAppChatCreate || call.path == kAppChatSend) {
            order.push_back(call.path);
        }
    }
    CHECK(order == std::vector<std::string>{kAppChatCreate, kAppChatSend});
}

TEST_CASE("wecom-app retrying a project-group notice finds its chat and posts once per send",
          "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomAppSender sender(f.client, MessageFormat::text);
    const bot::model::Notice notice = project_group_notice({"zhangsan", "lisi"});
    // The group is created, then posting fails for a passing reason (the client's three
    // system-busy attempts): the dispatcher will send the whole notice again.
    f.fake.fail_next(kAppChatSend, 3, -1);

    const auto first = f.send(sender, notice, "欢迎加入");
    CHECK_FALSE(first.delivered);
    CHECK(first.retryable);
    REQUIRE(f.fake.app_chat("LbProj7f3a9c21"));
    CHECK(f.fake.appchat_messages("LbProj7f3a9c21").empty());

    // The retry's create answers 86215 (the chat id exists): that is our group, so post.
    const auto retry = f.send(sender, notice, "欢迎加入");
    CHECK(retry.delivered);
    CHECK(f.fake.calls_to(kAppChatCreate).size() == 2);
    CHECK(f.fake.appchat_messages("LbProj7f3a9c21").size() == 1);

    // Each send posts exactly once, also when the chat was there before it.
    CHECK(f.send(sender, notice, "欢迎加入").delivered);
    CHECK(f.fake.appchat_messages("LbProj7f3a9c21").size() == 2);
}

TEST_CASE("wecom-app gives up on a project group WeCom refuses to create", "[integration][wecom]") {
    SenderFixture f;
    app::delivery::WecomAppSender sender(f.client, MessageFormat::text);

    const auto refused = f.send(sender, project_group_notice({"zhangsan", "ghost"}), "欢迎加入");

    CHECK_FALSE(refused.delivered);
    CHECK_FALSE(refused.retryable);
    CHECK_THAT(refused.error, Catch::Contains("86216"));
    CHECK_FALSE(f.fake.app_chat("LbProj7f3a9c21"));
    CHECK(f.fake.count(kAppChatSend) == 0);

    // A create_chat the engine got wrong is not sent at all.
    bot::model::Notice malformed = project_group_notice({"zhangsan", "lisi"});
    malformed.fields["create_chat"]["userlist"] = "zhangsan|lisi";
    const auto bad = f.send(sender, malformed, "欢迎加入");
    CHECK_FALSE(bad.delivered);
    CHECK_FALSE(bad.retryable);
    CHECK(f.fake.count(kAppChatCreate) == 1);
}
