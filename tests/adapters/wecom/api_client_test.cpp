#include "adapters/wecom/api_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/run_awaitable.hpp"
#include "tests/support/self_signed.hpp"

using namespace ledgerbot::adapters::wecom;
using ledgerbot::testing::FakeWecomServer;
using ledgerbot::testing::run_awaitable;
using ledgerbot::testing::WecomCall;
using nlohmann::json;
namespace asio = boost::asio;

namespace {

const std::string kGroupGet = "/cgi-bin/externalcontact/groupchat/get";
const std::string kGroupList = "/cgi-bin/externalcontact/groupchat/list";
const std::string kGetToken = "/cgi-bin/gettoken";
const std::string kMessageSend = "/cgi-bin/message/send";
const std::string kAppChatCreate = "/cgi-bin/appchat/create";
const std::string kAppChatUpdate = "/cgi-bin/appchat/update";
const std::string kAppChatGet = "/cgi-bin/appchat/get";
const std::string kAppChatSend = "/cgi-bin/appchat/send";
const std::string kWebhookSend = "/cgi-bin/webhook/send";

/// "ok" or "category:value (message)", so a failed CHECK says what came back.
template <class T>
std::string outcome_of(const Result<T>& result) {
    if (result) {
        return "ok";
    }
    return std::string(result.error().category().name()) + ":" +
           std::to_string(result.error().value()) + " (" + result.error().message() + ")";
}

std::string api(int errcode) {
    return "wecom.api:" + std::to_string(errcode) + " (" + make_api_error(errcode).message() + ")";
}

/// The doc's groupchat/get example (doc 96338), as the fake stores and answers it.
json sample_group() {
    return json::parse(R"({
      "chat_id":"wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA","name":"销售客服群","owner":"ZhuShengBen",
      "create_time":1572505490,"notice":"文明沟通，拒绝脏话",
      "member_list":[
        {"userid":"abel","type":1,"join_time":1572505491,"join_scene":1,"invitor":{"userid":"jack"},
         "group_nickname":"客服小张","name":"张三丰"},
        {"userid":"wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA","type":2,"unionid":"ozynqsulJFCZ2z1aYeS8h-nuasdAAA",
         "join_time":1572505491,"join_scene":3,"group_nickname":"顾客老王","name":"王语嫣"}],
      "admin_list":[{"userid":"sam"},{"userid":"pony"}],
      "member_version":"71217227bbd112ecfe3a49c482195cb4"})");
}

/// A client against the fake with a manual clock and millisecond backoffs.
struct Fixture {
    explicit Fixture(FakeWecomServer::Options options = {},
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(2000))
        : fake(options) {
        fake.seed_customer_group(sample_group());
        settings.base_url = fake.base_url();
        settings.corp_id = fake.options().corp_id;
        settings.secret = fake.options().secret;
        settings.agent_id = fake.options().agent_id;
        settings.request_timeout = timeout;
        settings.busy_backoff = std::chrono::milliseconds(20);
    }

    ApiClient& client() {
        if (!client_) {
            client_ = std::make_unique<ApiClient>(io.get_executor(), settings,
                                                  [this] { return now_ms.load(); });
        }
        return *client_;
    }

    Result<GroupChat> group_get(const std::string& chat_id = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA") {
        return run_awaitable(io, client().groupchat_get(chat_id, true));
    }

    void advance_seconds(std::int64_t seconds) { now_ms += seconds * 1000; }

    FakeWecomServer fake;
    ApiClientSettings settings;
    asio::io_context io;
    std::atomic<std::int64_t> now_ms{1'000'000};

private:
    std::unique_ptr<ApiClient> client_;
};

std::string token_of(const WecomCall& call) {
    const auto it = call.query.find("access_token");
    return it == call.query.end() ? "" : it->second;
}

}  // namespace

// --- access token ---

TEST_CASE("The access token is fetched once with corpid and secret and then reused",
          "[wecom][api_client]") {
    Fixture f;
    for (int i = 0; i < 3; ++i) {
        CHECK(outcome_of(f.group_get()) == "ok");
    }
    const auto gettoken = f.fake.calls_to(kGetToken);
    REQUIRE(gettoken.size() == 1);
    CHECK(gettoken[0].method == "GET");
    CHECK(gettoken[0].query.at("corpid") == "ww-fake-corp");
    CHECK(gettoken[0].query.at("corpsecret") == "fake-app-secret");
    const auto calls = f.fake.calls_to(kGroupGet);
    REQUIRE(calls.size() == 3);
    for (const auto& call : calls) {
        CHECK(token_of(call) == "tok-1");
    }
}

TEST_CASE("The access token is refreshed shortly before it expires, not after",
          "[wecom][api_client]") {
    Fixture f;
    REQUIRE(outcome_of(f.group_get()) == "ok");
    // expires_in 7200, margin 60 s: still fresh 7139 s later.
    f.advance_seconds(7139);
    REQUIRE(outcome_of(f.group_get()) == "ok");
    CHECK(f.fake.count(kGetToken) == 1);
    f.advance_seconds(2);
    REQUIRE(outcome_of(f.group_get()) == "ok");
    CHECK(f.fake.count(kGetToken) == 2);
    CHECK(token_of(f.fake.calls_to(kGroupGet).back()) == "tok-2");
}

TEST_CASE("A short-lived token is refreshed at half its lifetime", "[wecom][api_client]") {
    FakeWecomServer::Options options;
    options.expires_in = 100;  // shorter than twice the 60 s margin
    Fixture f(options);
    REQUIRE(outcome_of(f.group_get()) == "ok");
    f.advance_seconds(49);
    REQUIRE(outcome_of(f.group_get()) == "ok");
    CHECK(f.fake.count(kGetToken) == 1);
    f.advance_seconds(2);
    REQUIRE(outcome_of(f.group_get()) == "ok");
    CHECK(f.fake.count(kGetToken) == 2);
}

TEST_CASE("Concurrent calls share one gettoken (single flight)", "[wecom][api_client]") {
    Fixture f;
    // A slow gettoken makes sure every caller arrives while the refresh is in flight.
    f.fake.delay_next(kGetToken, 1, std::chrono::milliseconds(150));
    const std::string chat_id = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA";
    int succeeded = 0;
    for (int i = 0; i < 5; ++i) {
        asio::co_spawn(
            f.io,
            [&]() -> asio::awaitable<void> {
                auto result = co_await f.client().groupchat_get(chat_id, false);
                succeeded += result ? 1 : 0;
            },
            [](std::exception_ptr e) {
                if (e) {
                    std::rethrow_exception(e);
                }
            });
    }
    f.io.run();
    CHECK(succeeded == 5);
    CHECK(f.fake.count(kGetToken) == 1);
    for (const auto& call : f.fake.calls_to(kGroupGet)) {
        CHECK(token_of(call) == "tok-1");
    }
}

TEST_CASE("Callers waiting on a failed refresh get its error without another gettoken",
          "[wecom][api_client]") {
    Fixture f;
    f.settings.secret = "wrong-secret";
    f.fake.delay_next(kGetToken, 1, std::chrono::milliseconds(100));
    const std::string chat_id = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA";
    std::vector<std::string> outcomes;
    for (int i = 0; i < 4; ++i) {
        asio::co_spawn(
            f.io,
            [&]() -> asio::awaitable<void> {
                auto result = co_await f.client().groupchat_get(chat_id, false);
                outcomes.push_back(outcome_of(result));
            },
            [](std::exception_ptr e) {
                if (e) {
                    std::rethrow_exception(e);
                }
            });
    }
    f.io.run();
    REQUIRE(outcomes.size() == 4);
    for (const auto& outcome : outcomes) {
        CHECK(outcome == api(40001));
    }
    CHECK(f.fake.count(kGetToken) == 1);
    CHECK(f.fake.count(kGroupGet) == 0);
}

TEST_CASE("A rejected token is refreshed and the call retried once", "[wecom][api_client]") {
    const int errcode = GENERATE(42001, 40014, 40001);
    INFO("errcode " << errcode);
    Fixture f;
    REQUIRE(outcome_of(f.group_get()) == "ok");
    f.fake.fail_next(kGroupGet, 1, errcode);
    CHECK(outcome_of(f.group_get()) == "ok");
    CHECK(f.fake.count(kGetToken) == 2);
    const auto calls = f.fake.calls_to(kGroupGet);
    REQUIRE(calls.size() == 3);
    CHECK(token_of(calls[1]) == "tok-1");
    CHECK(token_of(calls[2]) == "tok-2");
}

TEST_CASE("A token rejected twice in a row is reported, not retried again", "[wecom][api_client]") {
    Fixture f;
    f.fake.fail_next(kGroupGet, 2, 42001);
    CHECK(outcome_of(f.group_get()) == api(42001));
    CHECK(f.fake.count(kGroupGet) == 2);
    CHECK(f.fake.count(kGetToken) == 2);
}

TEST_CASE("Tokens the server expired or revoked by itself are replaced", "[wecom][api_client]") {
    Fixture f;
    REQUIRE(outcome_of(f.group_get()) == "ok");
    f.fake.expire_tokens();  // the fake now answers 42001 for tok-1 on its own
    CHECK(outcome_of(f.group_get()) == "ok");
    f.fake.revoke_tokens();  // and 40014 for tok-1 and tok-2
    CHECK(outcome_of(f.group_get()) == "ok");
    CHECK(f.fake.count(kGetToken) == 3);
    CHECK(token_of(f.fake.calls_to(kGroupGet).back()) == "tok-3");
}

// --- errcode handling ---

TEST_CASE("System busy (-1) is retried with backoff, three attempts in all",
          "[wecom][api_client]") {
    SECTION("succeeds on the third attempt") {
        Fixture f;
        f.fake.fail_next(kGroupGet, 2, -1);
        const auto start = std::chrono::steady_clock::now();
        CHECK(outcome_of(f.group_get()) == "ok");
        const auto elapsed = std::chrono::steady_clock::now() - start;
        CHECK(f.fake.count(kGroupGet) == 3);
        // 20 ms, then 40 ms of backoff.
        CHECK(elapsed >= std::chrono::milliseconds(60));
    }
    SECTION("gives up after the third") {
        Fixture f;
        f.fake.fail_next(kGroupGet, 5, -1);
        const auto result = f.group_get();
        CHECK(outcome_of(result) == api(-1));
        CHECK(result.error() == ApiCondition::system_busy);
        CHECK(result.error() == ApiCondition::retryable);
        CHECK(f.fake.count(kGroupGet) == 3);
    }
}

TEST_CASE("Rate limits come back at once as rate_limited, without a retry", "[wecom][api_client]") {
    const int errcode = GENERATE(45009, 45033);
    INFO("errcode " << errcode);
    Fixture f;
    f.fake.fail_next(kGroupGet, 1, errcode);
    const auto result = f.group_get();
    CHECK(outcome_of(result) == api(errcode));
    CHECK(result.error() == ApiCondition::rate_limited);
    CHECK(result.error() == ApiCondition::retryable);
    CHECK(f.fake.count(kGroupGet) == 1);
    CHECK(f.fake.count(kGetToken) == 1);
}

TEST_CASE("Other errcodes are returned as wecom.api errors carrying the errcode",
          "[wecom][api_client]") {
    Fixture f;
    SECTION("answered by the fake's own checks") {
        const auto result = f.group_get("no-such-chat");
        CHECK(outcome_of(result) == api(40050));
        CHECK(std::string(result.error().category().name()) == "wecom.api");
        CHECK(result.error().value() == 40050);
        CHECK_FALSE(result.error() == ApiCondition::retryable);
        CHECK_FALSE(result.error() == ApiCondition::rate_limited);
    }
    SECTION("injected") {
        f.fake.fail_next(kGroupGet, 1, 48002);
        const auto result = f.group_get();
        CHECK(result.error() == make_api_error(48002));
        CHECK(result.error().message() == "errcode 48002: API not authorized for this app");
        CHECK(f.fake.count(kGroupGet) == 1);
    }
}

// --- the network ---

TEST_CASE("An answer slower than the request timeout is a timeout error", "[wecom][api_client]") {
    Fixture f({}, std::chrono::milliseconds(200));
    REQUIRE(outcome_of(f.group_get()) == "ok");
    f.fake.delay_next(kGroupGet, 1, std::chrono::milliseconds(1000));
    const auto start = std::chrono::steady_clock::now();
    const auto result = f.group_get();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(result);
    CHECK(result.error() == std::errc::timed_out);
    CHECK(result.error() == ApiCondition::retryable);
    CHECK(elapsed < std::chrono::milliseconds(800));
    // Not retried here: the dispatcher decides.
    CHECK(f.fake.count(kGroupGet) == 2);
}

TEST_CASE("A dropped connection is an error, and the next call works", "[wecom][api_client]") {
    Fixture f;
    REQUIRE(outcome_of(f.group_get()) == "ok");
    f.fake.drop_next(kGroupGet, 1);
    const auto dropped = f.group_get();
    REQUIRE_FALSE(dropped);
    CHECK(dropped.error() == ApiCondition::retryable);
    CHECK(std::string(dropped.error().category().name()) != "wecom.api");
    CHECK(outcome_of(f.group_get()) == "ok");
}

TEST_CASE("A dropped gettoken connection fails the call; the next call fetches a token",
          "[wecom][api_client]") {
    Fixture f;
    f.fake.drop_next(kGetToken, 1);
    CHECK_FALSE(f.group_get());
    CHECK(outcome_of(f.group_get()) == "ok");
    CHECK(f.fake.count(kGetToken) == 2);
}

namespace {

/// Sends three app messages and returns the connections the fake saw the calls on (gettoken
/// first, then the sends).
std::set<std::uint16_t> connections_of_three_sends(Fixture& f) {
    f.fake.add_staff({"zhangsan"});
    const std::vector<std::string> to{"zhangsan"};
    const MessageContent text{MessageFormat::text, "已登记：走访记录 V12"};
    for (int i = 0; i < 3; ++i) {
        REQUIRE(outcome_of(run_awaitable(f.io, f.client().message_send(to, text))) == "ok");
    }
    const auto calls = f.fake.calls();
    REQUIRE(calls.size() == 4);
    CHECK(calls.front().path == kGetToken);
    std::set<std::uint16_t> connections;
    for (const auto& call : calls) {
        connections.insert(call.client_port);
    }
    return connections;
}

}  // namespace

TEST_CASE("Calls share one kept connection to WeCom: one connect for a token and three sends",
          "[wecom][api_client]") {
    Fixture f;
    CHECK(connections_of_three_sends(f).size() == 1);
}

TEST_CASE("Over HTTPS, as WeCom speaks, the calls share one TLS connection",
          "[wecom][api_client]") {
    const ledgerbot::testing::SelfSigned identity("DNS:localhost,IP:127.0.0.1");
    asio::ssl::context trust(asio::ssl::context::tls_client);
    X509_STORE_add_cert(SSL_CTX_get_cert_store(trust.native_handle()),
                        static_cast<X509*>(identity.cert()));
    trust.set_verify_mode(asio::ssl::verify_peer);
    FakeWecomServer::Options options;
    options.tls_cert_pem = identity.cert_pem();
    options.tls_key_pem = identity.key_pem();
    Fixture f(options);
    REQUIRE(f.settings.base_url.starts_with("https://127.0.0.1:"));
    f.settings.tls_context = &trust;
    CHECK(connections_of_three_sends(f).size() == 1);
}

TEST_CASE("With keep_alive zero every call has a connection of its own", "[wecom][api_client]") {
    Fixture f;
    f.settings.keep_alive = std::chrono::milliseconds(0);
    CHECK(connections_of_three_sends(f).size() == 4);
}

TEST_CASE("Nobody listening is a network error", "[wecom][api_client]") {
    Fixture f;
    std::uint16_t closed_port = 0;
    {
        FakeWecomServer gone;
        closed_port = gone.port();
    }
    f.settings.base_url = "http://127.0.0.1:" + std::to_string(closed_port);
    const auto result = f.group_get();
    REQUIRE_FALSE(result);
    CHECK(result.error() == ApiCondition::retryable);
}

// --- typed calls: request bodies and response parsing ---

TEST_CASE("groupchat_get sends chat_id and need_name and reads the whole group",
          "[wecom][api_client]") {
    Fixture f;
    const auto result = f.group_get();
    REQUIRE(outcome_of(result) == "ok");
    const auto call = f.fake.calls_to(kGroupGet).at(0);
    CHECK(call.method == "POST");
    CHECK(call.body == json({{"chat_id", "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA"}, {"need_name", 1}}));

    const GroupChat& chat = result.value();
    CHECK(chat.chat_id == "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA");
    CHECK(chat.name == "销售客服群");
    CHECK(chat.owner == "ZhuShengBen");
    CHECK(chat.create_time == 1572505490);
    CHECK(chat.notice == "文明沟通，拒绝脏话");
    CHECK(chat.member_version == "71217227bbd112ecfe3a49c482195cb4");
    CHECK(chat.admins == std::vector<std::string>{"sam", "pony"});
    REQUIRE(chat.members.size() == 2);
    CHECK(chat.members[0] ==
          GroupChatMember{"abel", 1, 1572505491, 1, "jack", "客服小张", "张三丰", ""});
    CHECK(chat.members[1] == GroupChatMember{"wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA", 2, 1572505491, 3,
                                             "", "顾客老王", "王语嫣",
                                             "ozynqsulJFCZ2z1aYeS8h-nuasdAAA"});

    const std::string chat_id = chat.chat_id;
    const auto without_names = run_awaitable(f.io, f.client().groupchat_get(chat_id, false));
    REQUIRE(outcome_of(without_names) == "ok");
    CHECK(f.fake.calls_to(kGroupGet).at(1).body["need_name"] == 0);
    CHECK(without_names.value().members.at(0).name.empty());
}

TEST_CASE("groupchat_list pages through the groups with filters", "[wecom][api_client]") {
    Fixture f;
    for (int i = 0; i < 4; ++i) {
        f.fake.seed_customer_group({{"chat_id", "wr-" + std::to_string(i)},
                                    {"name", "g"},
                                    {"owner", i < 3 ? "li" : "wang"}},
                                   i == 2 ? 1 : 0);
    }
    GroupChatListRequest request;
    request.owner_userids = {"li"};
    request.limit = 2;
    auto first = run_awaitable(f.io, f.client().groupchat_list(request));
    REQUIRE(outcome_of(first) == "ok");
    CHECK(f.fake.calls_to(kGroupList).at(0).body ==
          json({{"status_filter", 0}, {"limit", 2}, {"owner_filter", {{"userid_list", {"li"}}}}}));
    REQUIRE(first.value().chats.size() == 2);
    CHECK(first.value().chats[0].chat_id == "wr-0");
    CHECK(first.value().chats[1].chat_id == "wr-1");
    REQUIRE_FALSE(first.value().next_cursor.empty());

    request.cursor = first.value().next_cursor;
    auto second = run_awaitable(f.io, f.client().groupchat_list(request));
    REQUIRE(outcome_of(second) == "ok");
    CHECK(f.fake.calls_to(kGroupList).at(1).body["cursor"] == request.cursor);
    REQUIRE(second.value().chats.size() == 1);
    CHECK(second.value().chats[0].chat_id == "wr-2");
    CHECK(second.value().chats[0].status == 1);
    CHECK(second.value().next_cursor.empty());

    GroupChatListRequest owner_left;
    owner_left.status_filter = 1;
    auto left = run_awaitable(f.io, f.client().groupchat_list(owner_left));
    REQUIRE(outcome_of(left) == "ok");
    REQUIRE(left.value().chats.size() == 1);
    CHECK(left.value().chats[0].chat_id == "wr-2");

    GroupChatListRequest too_many;
    too_many.limit = 1001;
    CHECK(outcome_of(run_awaitable(f.io, f.client().groupchat_list(too_many))) == api(40058));
}

TEST_CASE("message_send posts an app message and reports refused recipients",
          "[wecom][api_client]") {
    Fixture f;
    f.fake.add_staff({"zhangsan", "lisi"});
    const std::vector<std::string> to{"zhangsan", "ghost", "lisi"};
    const MessageContent text{MessageFormat::text, "提醒：请补充走访记录"};
    auto sent = run_awaitable(f.io, f.client().message_send(to, text));
    REQUIRE(outcome_of(sent) == "ok");
    CHECK(f.fake.calls_to(kMessageSend).at(0).body ==
          json({{"touser", "zhangsan|ghost|lisi"},
                {"agentid", 1000002},
                {"safe", 0},
                {"msgtype", "text"},
                {"text", {{"content", "提醒：请补充走访记录"}}}}));
    CHECK(sent.value().invalid_users == std::vector<std::string>{"ghost"});
    CHECK_FALSE(sent.value().msgid.empty());

    const std::vector<std::string> one{"lisi"};
    const MessageContent markdown{MessageFormat::markdown, "**合规提醒**"};
    REQUIRE(outcome_of(run_awaitable(f.io, f.client().message_send(one, markdown))) == "ok");
    CHECK(f.fake.app_messages().at(1)["markdown"]["content"] == "**合规提醒**");

    const std::vector<std::string> nobody{"ghost"};
    CHECK(outcome_of(run_awaitable(f.io, f.client().message_send(nobody, text))) == api(81013));

    const MessageContent too_long{MessageFormat::text, std::string(2049, 'x')};
    CHECK(run_awaitable(f.io, f.client().message_send(one, too_long)).error() ==
          ClientError::content_too_long);
    CHECK(f.fake.count(kMessageSend) == 3);
}

TEST_CASE("message_send without an agent id is refused before the wire", "[wecom][api_client]") {
    Fixture f;
    f.settings.agent_id = 0;
    const std::vector<std::string> to{"zhangsan"};
    const MessageContent text{MessageFormat::text, "hi"};
    CHECK(run_awaitable(f.io, f.client().message_send(to, text)).error() ==
          ClientError::not_configured);
    CHECK(f.fake.calls().empty());
}

TEST_CASE("The app creates, renames, fills, reads and posts into its own group",
          "[wecom][api_client]") {
    Fixture f;
    f.fake.add_staff({"zhangsan", "lisi", "wangwu", "zhaoliu"});
    AppChatCreate create;
    create.name = "宁夏示例科技有限公司服务项目专属服务群";
    create.owner = "zhangsan";
    create.members = {"zhangsan", "lisi", "wangwu"};
    create.chat_id = "proj0001";
    auto created = run_awaitable(f.io, f.client().appchat_create(create));
    REQUIRE(outcome_of(created) == "ok");
    CHECK(created.value() == "proj0001");
    CHECK(f.fake.calls_to(kAppChatCreate).at(0).body ==
          json({{"name", create.name},
                {"owner", "zhangsan"},
                {"userlist", {"zhangsan", "lisi", "wangwu"}},
                {"chatid", "proj0001"}}));

    AppChatUpdate update;
    update.chat_id = "proj0001";
    update.name = "宁夏示例科技有限公司挂牌项目专属服务群";
    update.add_members = {"zhaoliu"};
    update.remove_members = {"wangwu"};
    REQUIRE(outcome_of(run_awaitable(f.io, f.client().appchat_update(update))) == "ok");
    CHECK(f.fake.calls_to(kAppChatUpdate).at(0).body == json({{"chatid", "proj0001"},
                                                              {"name", *update.name},
                                                              {"add_user_list", {"zhaoliu"}},
                                                              {"del_user_list", {"wangwu"}}}));

    const std::string chat_id = "proj0001";
    auto chat = run_awaitable(f.io, f.client().appchat_get(chat_id));
    REQUIRE(outcome_of(chat) == "ok");
    CHECK(f.fake.calls_to(kAppChatGet).at(0).method == "GET");
    CHECK(f.fake.calls_to(kAppChatGet).at(0).query.at("chatid") == "proj0001");
    CHECK(chat.value().chat_id == "proj0001");
    CHECK(chat.value().name == *update.name);
    CHECK(chat.value().owner == "zhangsan");
    CHECK(chat.value().members == std::vector<std::string>{"zhangsan", "lisi", "zhaoliu"});

    const MessageContent markdown{MessageFormat::markdown, "欢迎加入项目群"};
    REQUIRE(outcome_of(run_awaitable(f.io, f.client().appchat_send(chat_id, markdown))) == "ok");
    CHECK(f.fake.calls_to(kAppChatSend).at(0).body ==
          json({{"chatid", "proj0001"},
                {"safe", 0},
                {"msgtype", "markdown"},
                {"markdown", {{"content", "欢迎加入项目群"}}}}));
    CHECK(f.fake.appchat_messages("proj0001").size() == 1);
}

TEST_CASE("appchat errors carry WeCom's errcodes", "[wecom][api_client]") {
    Fixture f;
    f.fake.add_staff({"zhangsan", "lisi"});
    AppChatCreate too_small;
    too_small.name = "x";
    too_small.members = {"zhangsan"};
    CHECK(outcome_of(run_awaitable(f.io, f.client().appchat_create(too_small))) == api(86006));
    AppChatCreate stranger;
    stranger.name = "x";
    stranger.members = {"zhangsan", "ghost"};
    CHECK(outcome_of(run_awaitable(f.io, f.client().appchat_create(stranger))) == api(86216));

    const std::string missing = "nochat";
    CHECK(outcome_of(run_awaitable(f.io, f.client().appchat_get(missing))) == api(86003));
    f.fake.seed_foreign_app_chat("theirs");
    const std::string theirs = "theirs";
    const MessageContent text{MessageFormat::text, "hi"};
    CHECK(outcome_of(run_awaitable(f.io, f.client().appchat_send(theirs, text))) == api(86008));
}

// --- webhook ---

TEST_CASE("webhook_send posts text with mentions and markdown to the robot's key, no token",
          "[wecom][api_client]") {
    Fixture f;
    f.fake.add_robot("robot-key/+=");
    const std::string key = "robot-key/+=";
    const MessageContent text{MessageFormat::text, "本周积分已发布"};
    const std::vector<std::string> mentions{"zhangsan", "@all"};
    REQUIRE(outcome_of(run_awaitable(f.io, f.client().webhook_send(key, text, mentions))) == "ok");
    const MessageContent markdown{MessageFormat::markdown, "## 积分\n> 张三 12"};
    const std::vector<std::string> none;
    REQUIRE(outcome_of(run_awaitable(f.io, f.client().webhook_send(key, markdown, none))) == "ok");

    const auto calls = f.fake.calls_to(kWebhookSend);
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].query.at("key") == "robot-key/+=");  // percent-encoded on the wire
    CHECK(calls[0].query.count("access_token") == 0);
    CHECK(calls[0].body ==
          json({{"msgtype", "text"},
                {"text",
                 {{"content", "本周积分已发布"}, {"mentioned_list", {"zhangsan", "@all"}}}}}));
    CHECK(calls[1].body ==
          json({{"msgtype", "markdown"}, {"markdown", {{"content", "## 积分\n> 张三 12"}}}}));
    CHECK(f.fake.count(kGetToken) == 0);
    CHECK(f.fake.webhook_messages(key).size() == 2);
}

TEST_CASE("Long webhook content is split under the byte limit and sent in order",
          "[wecom][api_client]") {
    Fixture f;
    f.fake.add_robot("k");
    const std::string key = "k";
    std::string long_text;
    for (int i = 0; i < 150; ++i) {
        long_text += "第" + std::to_string(i) + "行：走访记录已登记，请各位同事及时补充。\n";
    }
    REQUIRE(long_text.size() > 2 * kTextLimitBytes);
    const MessageContent text{MessageFormat::text, long_text};
    const std::vector<std::string> mentions{"zhangsan"};
    REQUIRE(outcome_of(run_awaitable(f.io, f.client().webhook_send(key, text, mentions))) == "ok");
    const auto delivered = f.fake.webhook_messages(key);
    REQUIRE(delivered.size() == split_message(long_text, kTextLimitBytes).size());
    std::string joined;
    for (std::size_t i = 0; i < delivered.size(); ++i) {
        const std::string part = delivered[i]["text"]["content"];
        CHECK(part.size() <= kTextLimitBytes);
        // Every cut fell on a line break, which the splitter drops.
        joined += (i == 0 ? "" : "\n") + part;
        CHECK(delivered[i]["text"].contains("mentioned_list") == (i == 0));
    }
    CHECK(joined == long_text);
}

TEST_CASE("The robot budget of 20 messages a minute is kept on our side", "[wecom][api_client]") {
    // The fake counts in real time and this test moves only the client's clock.
    FakeWecomServer::Options options;
    options.webhook_messages_per_minute = 1000;
    Fixture f(options);
    f.fake.add_robot("k");
    const std::string key = "k";
    const MessageContent text{MessageFormat::text, "ping"};
    const std::vector<std::string> none;
    for (int i = 0; i < 20; ++i) {
        REQUIRE(outcome_of(run_awaitable(f.io, f.client().webhook_send(key, text, none))) == "ok");
    }
    const auto refused = run_awaitable(f.io, f.client().webhook_send(key, text, none));
    CHECK(refused.error() == ClientError::rate_limited_locally);
    CHECK(refused.error() == ApiCondition::rate_limited);
    CHECK(f.fake.count(kWebhookSend) == 20);

    // A two-part message does not start when only one slot is free.
    f.advance_seconds(60);
    const MessageContent two_parts{MessageFormat::text,
                                   std::string(2000, 'a') + "\n" + std::string(2000, 'b')};
    for (int i = 0; i < 19; ++i) {
        REQUIRE(outcome_of(run_awaitable(f.io, f.client().webhook_send(key, text, none))) == "ok");
    }
    CHECK(run_awaitable(f.io, f.client().webhook_send(key, two_parts, none)).error() ==
          ClientError::rate_limited_locally);
    CHECK(f.fake.count(kWebhookSend) == 39);
}

TEST_CASE("The server's own webhook limit answers 45009, which is not retried",
          "[wecom][api_client]") {
    Fixture f;
    f.settings.webhook_messages_per_minute = 100;  // let the fake's limit speak
    f.fake.add_robot("k");
    const std::string key = "k";
    const MessageContent text{MessageFormat::text, "ping"};
    const std::vector<std::string> none;
    for (int i = 0; i < 20; ++i) {
        REQUIRE(outcome_of(run_awaitable(f.io, f.client().webhook_send(key, text, none))) == "ok");
    }
    const auto limited = run_awaitable(f.io, f.client().webhook_send(key, text, none));
    CHECK(outcome_of(limited) == api(45009));
    CHECK(limited.error() == ApiCondition::rate_limited);
    CHECK(f.fake.count(kWebhookSend) == 21);
}

TEST_CASE("An unknown robot key and empty content are errors", "[wecom][api_client]") {
    Fixture f;
    const std::string key = "removed";
    const MessageContent text{MessageFormat::text, "ping"};
    const std::vector<std::string> none;
    CHECK(outcome_of(run_awaitable(f.io, f.client().webhook_send(key, text, none))) == api(93000));
    const MessageContent empty{MessageFormat::text, ""};
    CHECK(run_awaitable(f.io, f.client().webhook_send(key, empty, none)).error() ==
          ClientError::empty_content);
}

// --- intelligent bot ---

TEST_CASE("response_url_reply posts markdown to the one-shot URL", "[wecom][api_client]") {
    Fixture f;
    const std::string url = f.fake.issue_response_url();
    const std::string markdown = "已记录走访 **V1**";
    REQUIRE(outcome_of(run_awaitable(f.io, f.client().response_url_reply(url, markdown))) == "ok");
    const auto replies = f.fake.bot_replies();
    REQUIRE(replies.size() == 1);
    CHECK(replies[0] == json({{"msgtype", "markdown"}, {"markdown", {{"content", markdown}}}}));
    CHECK(f.fake.count(kGetToken) == 0);
    // Usable once.
    CHECK_FALSE(run_awaitable(f.io, f.client().response_url_reply(url, markdown)));
}

TEST_CASE("A response_url off the API origin is refused without a request", "[wecom][api_client]") {
    Fixture f;
    const std::string markdown = "x";
    const std::string url =
        GENERATE(as<std::string>{}, "http://169.254.169.254/latest/meta-data",
                 "https://example.com/cgi-bin/aibot/response?response_code=1", "not a url");
    INFO(url);
    CHECK(run_awaitable(f.io, f.client().response_url_reply(url, markdown)).error() ==
          ClientError::foreign_url);
    CHECK(f.fake.calls().empty());
}

// --- responses that are not WeCom's ---

TEST_CASE("A base_url that is not http(s) is a startup error", "[wecom][api_client]") {
    asio::io_context io;
    ApiClientSettings settings;
    settings.base_url = "ftp://qyapi.weixin.qq.com";
    CHECK_THROWS_AS(ApiClient(io.get_executor(), settings), std::invalid_argument);
}

TEST_CASE("A base_url with a path prefix keeps it", "[wecom][api_client]") {
    Fixture f;
    f.settings.base_url = f.fake.base_url() + "/proxy/";
    // The fake knows no /proxy paths: the 404 proves where the request went.
    const auto result = f.group_get();
    CHECK(result.error() == ClientError::http_status);
    CHECK(f.fake.calls().at(0).path == "/proxy/cgi-bin/gettoken");
}

// --- logs ---

TEST_CASE("Logs name token fingerprints and paths but never the secret, token or robot key",
          "[wecom][api_client]") {
    std::ostringstream captured;
    auto previous = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
    {
        Fixture f;
        f.fake.add_robot("secret-robot-key");
        f.fake.fail_next(kGroupGet, 1, 42001);
        f.fake.fail_next(kGroupGet, 2, -1);
        CHECK(outcome_of(f.group_get()) == "ok");
        const std::string key = "secret-robot-key";
        const MessageContent text{MessageFormat::text, "ping"};
        const std::vector<std::string> none;
        f.fake.fail_next(kWebhookSend, 1, 45009);
        CHECK_FALSE(run_awaitable(f.io, f.client().webhook_send(key, text, none)));
    }
    {
        Fixture wrong;
        wrong.settings.secret = "another-secret-value";
        CHECK_FALSE(wrong.group_get());
    }
    spdlog::set_default_logger(previous);
    const std::string text = captured.str();
    INFO(text);
    // Something was logged, or the absence checks below would prove nothing.
    CHECK_THAT(text, Catch::Contains("access token refreshed (fingerprint"));
    CHECK_THAT(text, Catch::Contains("system busy"));
    CHECK_THAT(text, Catch::Contains("gettoken failed"));
    CHECK_THAT(text, !Catch::Contains("fake-app-secret"));
    CHECK_THAT(text, !Catch::Contains("another-secret-value"));
    CHECK_THAT(text, !Catch::Contains("tok-"));
    CHECK_THAT(text, !Catch::Contains("secret-robot-key"));
}
