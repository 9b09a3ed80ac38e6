#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "adapters/wecom/callback_crypto.hpp"
#include "app/ingress/wecom_group_sync.hpp"
#include "config/config_loader.hpp"
#include "storage/database.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/integration/wecom_test_app.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;
using nlohmann::json;
using namespace ledgerbot::testing::wecom_app;

namespace {

const std::string kGroupGet = "/cgi-bin/externalcontact/groupchat/get";
const std::string kGroupList = "/cgi-bin/externalcontact/groupchat/list";
const std::string kSnapshotRows =
    "SELECT COUNT(*) FROM inbox WHERE dedup_key LIKE 'wecom-app:sync:%'";

// The service's clock: snapshots are dated with it, not with the wall clock.
constexpr std::int64_t kNow = 1800000000;

/// [adapters.wecom] with the app callback on and the API pointed at the fake.
std::string wecom_toml(const FakeWecomServer& fake, int delay_ms, int resync_minutes) {
    return "[adapters.wecom]\nenabled = true\ncorp_id = \"" + kCorpId + "\"\ntoken = \"" +
           kAppToken + "\"\nencoding_aes_key = \"" + kAppKey + "\"\nsecret = \"" +
           fake.options().secret + "\"\napi_base_url = \"" + fake.base_url() +
           "\"\ngroup_sync_delay_ms = " + std::to_string(delay_ms) +
           "\ngroup_resync_minutes = " + std::to_string(resync_minutes) + "\n";
}

/// groupchat/get's `group_chat`: the owner, a staff member with a nickname and an external
/// contact (type 2), as WeCom answers with need_name=1.
json customer_group(const std::string& chat_id, const std::string& name) {
    return {{"chat_id", chat_id},
            {"name", name},
            {"owner", "zhangsan"},
            {"create_time", 1700000000},
            {"notice", ""},
            {"member_list",
             {{{"userid", "zhangsan"},
               {"type", 1},
               {"join_time", 1700000000},
               {"join_scene", 1},
               {"group_nickname", "张三-服务中心"},
               {"name", "张三"}},
              {{"userid", "wmExternal01"},
               {"type", 2},
               {"join_time", 1700000300},
               {"join_scene", 3},
               {"group_nickname", "王总-示例科技"},
               {"name", "王五"}}}},
            {"admin_list", json::array()},
            {"member_version", "v1"}};
}

std::string chat_callback(const std::string& chat_id, const std::string& change_type,
                          const std::string& detail = "", std::int64_t create_time = 1700000100) {
    std::string xml = "<xml><ToUserName><![CDATA[" + kCorpId +
                      "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>" +
                      std::to_string(create_time) +
                      "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                      "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" +
                      chat_id + "]]></ChatId><ChangeType><![CDATA[" + change_type +
                      "]]></ChangeType>";
    if (!detail.empty()) {
        xml += "<UpdateDetail><![CDATA[" + detail + "]]></UpdateDetail>";
    }
    if (detail == "add_member" || detail == "del_member") {
        xml +=
            "<JoinScene>0</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>1</MemChangeCnt>"
            "<MemChangeList><Item>lisi</Item></MemChangeList>";
    }
    return xml + "</xml>";
}

std::vector<bot::model::InboundEvent> stored_snapshots(const RunningService& service) {
    auto db = service.open_database();
    SQLite::Statement query(db,
                            "SELECT event_json FROM inbox WHERE dedup_key LIKE 'wecom-app:sync:%' "
                            "ORDER BY id");
    std::vector<bot::model::InboundEvent> out;
    while (query.executeStep()) {
        out.push_back(json::parse(query.getColumn(0).getString()).get<bot::model::InboundEvent>());
    }
    return out;
}

std::size_t gets_for(const FakeWecomServer& fake, const std::string& chat_id) {
    std::size_t n = 0;
    for (const auto& call : fake.calls_to(kGroupGet)) {
        n += call.body.value("chat_id", "") == chat_id ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE(
    "A customer group's create callback is followed by groupchat/get and one complete "
    "snapshot in the inbox",
    "[integration][wecom][group_sync]") {
    FakeWecomServer fake(fake_options());
    fake.seed_customer_group(
        customer_group("wrSyncGroup1", "宁夏示例科技有限公司服务项目专属服务群"));
    app::ManualClock clock(kNow);
    RunningService service("", "", wecom_toml(fake, 50, 0), &clock);
    HttpTestClient client(service.port());

    REQUIRE(post_app(client, chat_callback("wrSyncGroup1", "create")) == 200);

    REQUIRE(fake.wait_for(kGroupGet, 1, std::chrono::seconds(10)) == 1);
    REQUIRE(service.wait_for_count(kSnapshotRows, 1));
    const auto get = fake.calls_to(kGroupGet).front();
    const auto tokens = fake.issued_tokens();
    REQUIRE(tokens.size() == 1);
    CHECK(get.method == "POST");
    CHECK(get.query.at("access_token") == tokens.front());
    CHECK(get.body == json({{"chat_id", "wrSyncGroup1"}, {"need_name", 1}}));

    // The callback itself is stored as before, and the snapshot beside it.
    CHECK(service.count_received("SELECT COUNT(*) FROM received WHERE dedup_key = "
                                 "'wecom-app:wrSyncGroup1/1700000100/create'") == 1);
    const auto snapshots = stored_snapshots(service);
    REQUIRE(snapshots.size() == 1);
    const bot::model::InboundEvent& snapshot = snapshots.front();
    CHECK(snapshot.type == bot::model::EventType::group_snapshot);
    CHECK(snapshot.source == "wecom-app");
    CHECK_THAT(snapshot.id, Catch::StartsWith("sync:wrSyncGroup1:"));
    CHECK(snapshot.time == kNow);
    CHECK(snapshot.chat == bot::model::Chat{"wrSyncGroup1",
                                            "宁夏示例科技有限公司服务项目专属服务群",
                                            bot::model::ChatKind::group, "zhangsan", 1700000000});
    CHECK(snapshot.members == std::vector<bot::model::Person>{
                                  {"zhangsan", "张三", "张三-服务中心", false, 1700000000},
                                  {"wmExternal01", "王五", "王总-示例科技", true, 1700000300},
                              });
    CHECK_FALSE(snapshot.by_self);
}

TEST_CASE("Several callbacks for one chat within the delay are read with one groupchat/get",
          "[integration][wecom][group_sync]") {
    FakeWecomServer fake(fake_options());
    fake.seed_customer_group(customer_group("wrBusyGroup", "忙碌的群"));
    fake.seed_customer_group(customer_group("wrQuietGroup", "安静的群"));
    RunningService service("", "", wecom_toml(fake, 500, 0));
    HttpTestClient client(service.port());

    REQUIRE(post_app(client, chat_callback("wrBusyGroup", "create")) == 200);
    REQUIRE(post_app(client, chat_callback("wrBusyGroup", "update", "add_member")) == 200);
    REQUIRE(post_app(client, chat_callback("wrBusyGroup", "update", "change_name")) == 200);
    // Another chat's callback, after them: its read comes after any read of the first chat.
    REQUIRE(post_app(client, chat_callback("wrQuietGroup", "create")) == 200);

    REQUIRE(service.wait_for_count(kSnapshotRows, 2));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(gets_for(fake, "wrBusyGroup") == 1);
    CHECK(gets_for(fake, "wrQuietGroup") == 1);
    CHECK(service.count_received("SELECT COUNT(*) FROM received WHERE dedup_key NOT LIKE "
                                 "'wecom-app:sync:%'") == 4);
}

TEST_CASE("A redelivered callback reads the group again but an unchanged group is stored once",
          "[integration][wecom][group_sync]") {
    FakeWecomServer fake(fake_options());
    fake.seed_customer_group(customer_group("wrSyncGroup1", "项目服务群"));
    RunningService service("", "", wecom_toml(fake, 50, 0));
    HttpTestClient client(service.port());
    const std::string create = chat_callback("wrSyncGroup1", "create");

    REQUIRE(post_app(client, create) == 200);
    REQUIRE(service.wait_for_count(kSnapshotRows, 1));
    REQUIRE(post_app(client, create) == 200);

    // The second read's snapshot arrives as a redelivery of the first: same row, counted twice.
    REQUIRE(service.wait_for_received(
        "SELECT deliveries FROM received WHERE dedup_key LIKE 'wecom-app:sync:%'", 2));
    CHECK(fake.count(kGroupGet) == 2);
    CHECK(service.count(kSnapshotRows) == 1);
    CHECK(service.count_received("SELECT deliveries FROM received WHERE dedup_key = "
                                 "'wecom-app:wrSyncGroup1/1700000100/create'") == 2);

    // A change in WeCom is a new snapshot.
    fake.seed_customer_group(customer_group("wrSyncGroup1", "项目服务群（改名）"));
    REQUIRE(post_app(client, chat_callback("wrSyncGroup1", "update", "change_name", 1700000200)) ==
            200);
    REQUIRE(service.wait_for_count(kSnapshotRows, 2));
    CHECK(stored_snapshots(service).back().chat.name == "项目服务群（改名）");
}

TEST_CASE("The re-sync after startup stores a snapshot of every group groupchat/list names",
          "[integration][wecom][group_sync]") {
    FakeWecomServer fake(fake_options());
    fake.seed_customer_group(customer_group("wrListed1", "一号群"));
    fake.seed_customer_group(customer_group("wrListed2", "二号群"), 1);  // owner left the corp
    RunningService service("", "", wecom_toml(fake, 50, 360));

    REQUIRE(service.wait_for_count(kSnapshotRows, 2));
    const auto lists = fake.calls_to(kGroupList);
    REQUIRE(lists.size() == 1);
    CHECK(lists[0].body == json({{"status_filter", 0}, {"limit", 1000}}));
    CHECK(gets_for(fake, "wrListed1") == 1);
    CHECK(gets_for(fake, "wrListed2") == 1);
    const auto snapshots = stored_snapshots(service);
    REQUIRE(snapshots.size() == 2);
    CHECK(snapshots[0].chat.name == "一号群");
    CHECK(snapshots[1].chat.name == "二号群");
}

TEST_CASE("A failed groupchat/get that may pass is retried and the snapshot stored",
          "[integration][wecom][group_sync]") {
    FakeWecomServer fake(fake_options());
    fake.seed_customer_group(customer_group("wrFlaky", "不稳定的群"));
    const std::string fault = GENERATE("system busy", "rate limited", "dropped connection");
    INFO(fault);
    if (fault == "system busy") {
        // The API client itself retries -1 after its backoff (1 s).
        fake.fail_next(kGroupGet, 1, -1);
    } else if (fault == "rate limited") {
        fake.fail_next(kGroupGet, 1, 45009);
    } else {
        fake.drop_next(kGroupGet, 1);
    }
    RunningService service("", "", wecom_toml(fake, 50, 0));
    HttpTestClient client(service.port());

    REQUIRE(post_app(client, chat_callback("wrFlaky", "create")) == 200);

    REQUIRE(service.wait_for_count(kSnapshotRows, 1));
    CHECK(fake.count(kGroupGet) == 2);
    CHECK(stored_snapshots(service).front().chat.name == "不稳定的群");
}

TEST_CASE("A chat WeCom does not know is read once and dropped; a dismissed one is not read",
          "[integration][wecom][group_sync]") {
    FakeWecomServer fake(fake_options());
    fake.seed_customer_group(customer_group("wrAlive", "正常的群"));
    RunningService service("", "", wecom_toml(fake, 400, 0));
    HttpTestClient client(service.port());

    REQUIRE(post_app(client, chat_callback("wrUnknown", "update", "add_member")) == 200);
    REQUIRE(post_app(client, chat_callback("wrGone", "create")) == 200);
    REQUIRE(post_app(client, chat_callback("wrGone", "dismiss")) == 200);
    REQUIRE(post_app(client, chat_callback("wrAlive", "create")) == 200);

    // wrAlive's read is the last one due: by the time it is stored the others had their turn.
    REQUIRE(service.wait_for_count(kSnapshotRows, 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(gets_for(fake, "wrUnknown") == 1);  // 40050: not retried
    CHECK(gets_for(fake, "wrGone") == 0);
    CHECK(gets_for(fake, "wrAlive") == 1);
    CHECK(HttpTestClient(service.port()).get("/healthz").status == 200);
}

TEST_CASE("Without an API secret the group sync stays off", "[integration][wecom][group_sync]") {
    FakeWecomServer fake(fake_options());
    fake.seed_customer_group(customer_group("wrSyncGroup1", "项目服务群"));
    const std::string toml = "[adapters.wecom]\nenabled = true\ncorp_id = \"" + kCorpId +
                             "\"\ntoken = \"" + kAppToken + "\"\nencoding_aes_key = \"" + kAppKey +
                             "\"\napi_base_url = \"" + fake.base_url() +
                             "\"\ngroup_sync_delay_ms = 0\ngroup_resync_minutes = 1\n";
    RunningService service("", "", toml);
    HttpTestClient client(service.port());

    REQUIRE(post_app(client, chat_callback("wrSyncGroup1", "create")) == 200);

    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(fake.calls().empty());
    CHECK(service.count(kSnapshotRows) == 0);
}

TEST_CASE("The re-sync pages through groupchat/list with its cursor",
          "[integration][wecom][group_sync]") {
    FakeWecomServer fake(fake_options());
    for (int i = 1; i <= 3; ++i) {
        fake.seed_customer_group(customer_group("wrPaged" + std::to_string(i), "群"));
    }
    TempDir dir;
    const auto settings =
        config::load_default_settings([](std::string_view) { return std::nullopt; });
    storage::Database database(dir / "sync.db");
    bot::Engine engine(settings.engine);
    app::Metrics metrics;
    app::ManualClock clock(kNow);
    app::StoreWorker store(database, dir / "sync-received.db", engine, metrics, clock,
                           app::StoreWorker::Options{});
    store.start();
    boost::asio::io_context io;
    adapters::wecom::ApiClientSettings api_settings;
    api_settings.base_url = fake.base_url();
    api_settings.corp_id = fake.options().corp_id;
    api_settings.secret = fake.options().secret;
    auto api = std::make_shared<adapters::wecom::ApiClient>(io.get_executor(), api_settings);
    app::ingress::WecomGroupSyncOptions options;
    options.startup_resync_delay = std::chrono::milliseconds(0);
    options.resync_call_spacing = std::chrono::milliseconds(1);
    options.list_page_limit = 2;
    app::ingress::WecomGroupSync sync(io, api, store, clock, options);

    sync.start();
    std::thread runner([&] { io.run(); });
    REQUIRE(fake.wait_for(kGroupGet, 3, std::chrono::seconds(10)) == 3);
    SQLite::Database reader((dir / "sync.db").string(), SQLite::OPEN_READONLY);
    reader.setBusyTimeout(5000);
    for (int i = 0; i < 500 && reader.execAndGet(kSnapshotRows).getInt() < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    boost::asio::post(io, [&] { sync.stop(); });
    for (int i = 0; i < 500 && !sync.stopped(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(sync.stopped());
    io.stop();
    runner.join();
    store.stop();

    CHECK(reader.execAndGet(kSnapshotRows).getInt() == 3);
    const auto lists = fake.calls_to(kGroupList);
    REQUIRE(lists.size() == 2);
    CHECK(lists[0].body == json({{"status_filter", 0}, {"limit", 2}}));
    CHECK(lists[1].body == json({{"status_filter", 0}, {"limit", 2}, {"cursor", "cur-2"}}));
    for (int i = 1; i <= 3; ++i) {
        CHECK(gets_for(fake, "wrPaged" + std::to_string(i)) == 1);
    }
}
