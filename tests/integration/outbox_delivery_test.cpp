#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/time/civil_time.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/recording_http_server.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

/// A chat bridge that takes its time with each notice and remembers how many it was handling
/// at once, and what it was given for each chat.
class SlowBridge {
public:
    explicit SlowBridge(std::chrono::milliseconds latency)
        : server_([this, latency](const RecordedRequest& request) {
              const auto body = nlohmann::json::parse(request.body, nullptr, false);
              const int now = ++in_flight_;
              int seen = most_in_flight_.load();
              while (now > seen && !most_in_flight_.compare_exchange_weak(seen, now)) {
              }
              std::this_thread::sleep_for(latency);
              --in_flight_;
              if (body.is_object() && body.contains("notice_id")) {
                  std::lock_guard lock(mutex_);
                  by_chat_[body["target"]["id"].get<std::string>()].push_back(
                      body["notice_id"].get<std::int64_t>());
              }
              return ScriptedReply{200, "{}"};
          }) {}

    std::string url() const { return server_.url("/out"); }
    int most_in_flight() const { return most_in_flight_; }
    std::map<std::string, std::vector<std::int64_t>> by_chat() const {
        std::lock_guard lock(mutex_);
        return by_chat_;
    }

private:
    std::atomic<int> in_flight_{0};
    std::atomic<int> most_in_flight_{0};
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<std::int64_t>> by_chat_;
    RecordingHttpServer server_;
};

/// Posts the complete report twice into each of `chats` chats ("g-out-0", …) and waits until
/// every notice they caused went out.
void post_reports(RunningService& service, int chats) {
    HttpTestClient client(service.port());
    for (int round = 0; round < 2; ++round) {
        for (int chat = 0; chat < chats; ++chat) {
            const std::string body =
                message_event("out-" + std::to_string(round) + "-" + std::to_string(chat),
                              kCompleteVisitReport, "g-out-" + std::to_string(chat));
            REQUIRE(
                client
                    .post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                    .status == 200);
        }
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM inbox WHERE status = 'done'", 2 * chats));
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status != 'sent'", 0));
}

/// Every notice was handed to the bridge once, each chat's in the order decided.
void check_each_once_in_order(const RunningService& service, const SlowBridge& bridge) {
    const auto by_chat = bridge.by_chat();
    std::set<std::int64_t> delivered;
    std::size_t handed = 0;
    for (const auto& [chat, ids] : by_chat) {
        CHECK(std::is_sorted(ids.begin(), ids.end()));
        delivered.insert(ids.begin(), ids.end());
        handed += ids.size();
    }
    CHECK(handed == delivered.size());
    CHECK(static_cast<std::int64_t>(delivered.size()) ==
          service.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'"));
}

}  // namespace

TEST_CASE("Notices to different chats go out side by side; each chat's one at a time, in order",
          "[integration][outbox]") {
    SlowBridge bridge(std::chrono::milliseconds(150));
    RunningService service("outbound_url = \"" + bridge.url() + "\"", "concurrency = 4");
    service.import_demo_directory();
    post_reports(service, 6);
    REQUIRE(service.count("SELECT COUNT(*) FROM outbox WHERE template_id = 'visit_recorded'") ==
            12);
    // Six chats, four at a time: never more than the setting, and more than one.
    CHECK(bridge.most_in_flight() > 1);
    CHECK(bridge.most_in_flight() <= 4);
    CHECK(bridge.by_chat().size() >= 6);
    check_each_once_in_order(service, bridge);
}

TEST_CASE("With concurrency 1 the dispatcher hands over one notice at a time",
          "[integration][outbox]") {
    SlowBridge bridge(std::chrono::milliseconds(50));
    RunningService service("outbound_url = \"" + bridge.url() + "\"", "concurrency = 1");
    service.import_demo_directory();
    post_reports(service, 3);
    CHECK(bridge.most_in_flight() == 1);
    check_each_once_in_order(service, bridge);
}

TEST_CASE("An answer goes out when its decision is committed, not at the next poll",
          "[integration][outbox]") {
    // A poll a minute apart: only the store thread's wake-up can deliver within the wait.
    RunningService service("", "poll_interval_ms = 60000");
    service.import_demo_directory();
    // The dispatcher's first look at the (empty) outbox starts its minute.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    HttpTestClient client(service.port());
    const std::string body = message_event("wake-1", kCompleteVisitReport);
    REQUIRE(client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
    CHECK(service.wait_for_sent("visit_recorded", "g-demo"));
}

TEST_CASE("Answers in one chat in quick succession all go out without waiting for the poll",
          "[integration][outbox]") {
    // The second answer is decided while the first is still queued: it is not the head of the
    // chat's queue and wakes nothing. The dispatcher looks again after the pass that sent the
    // first, or is woken once the first is recorded sent.
    SlowBridge bridge(std::chrono::milliseconds(100));
    RunningService service("outbound_url = \"" + bridge.url() + "\"", "poll_interval_ms = 60000");
    service.import_demo_directory();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    HttpTestClient client(service.port());
    for (int i = 0; i < 3; ++i) {
        const std::string body = message_event("burst-" + std::to_string(i), kCompleteVisitReport);
        REQUIRE(
            client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
                .status == 200);
    }
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM inbox WHERE status = 'done'", 3));
    CHECK(service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE status != 'sent'", 0));
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE target_id = 'g-demo'") >= 3);
    check_each_once_in_order(service, bridge);
}

TEST_CASE("A /移出 the bridge refuses is said in the group, and the next one is refused up front",
          "[integration][delivery]") {
    // A WeChat bridge whose bot account lost the group's ownership: it refuses removals (409,
    // as adapters/wechaty does) and delivers everything else.
    std::mutex mutex;
    std::vector<nlohmann::json> delivered;
    RecordingHttpServer bridge([&](const RecordedRequest& request) {
        auto body = nlohmann::json::parse(request.body, nullptr, false);
        if (body.is_object() && body.contains("remove_members")) {
            return ScriptedReply{409, R"({"error":"not_permitted"})"};
        }
        std::lock_guard lock(mutex);
        delivered.push_back(std::move(body));
        return ScriptedReply{200, "{}"};
    });
    RunningService service("outbound_url = \"" + bridge.url("/out") + "\"");
    service.import_demo_directory();
    const auto post = [&service](const nlohmann::json& event) {
        const std::string body = event.dump();
        HttpTestClient client(service.port());
        return client.post("/hooks/generic", body, signed_headers(kTestSecret, now_seconds(), body))
            .status;
    };
    const nlohmann::json chat{{"id", "room-9"},
                              {"name", "宁夏示例科技有限公司服务项目专属服务群"},
                              {"owner", "zhangsan"},
                              {"bot_can_remove", true}};
    const std::string now = bot::time::format_rfc3339(now_seconds());
    REQUIRE(post({{"id", "created"},
                  {"type", "group_created"},
                  {"time", now},
                  {"chat", chat},
                  {"members",
                   {{{"id", "zhangsan"}, {"name", "张三"}, {"nickname", "张三-项目负责人"}},
                    {{"id", "lisi"}, {"name", "李四"}, {"nickname", "李四-财务专员"}}}}}) == 200);
    const auto remove = [&](const std::string& id) {
        return post({{"id", id},
                     {"type", "message"},
                     {"time", now},
                     {"chat", chat},
                     {"sender", {{"id", "zhangsan"}, {"name", "张三"}}},
                     {"text", "／移出 李四"}});
    };
    REQUIRE(remove("remove-1") == 200);

    REQUIRE(
        service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE template_id = "
                               "'member_removal_refused' AND status = 'sent'",
                               1));
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE template_id = 'member_removal' AND "
                        "status = 'dead'") == 1);
    CHECK(service.count("SELECT bot_can_remove FROM groups WHERE chat_id = 'room-9'") == 0);
    CHECK(service.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'lisi' AND "
                        "left_at = 0 AND removal_requested_at = 0") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.removal_refused'") ==
          1);
    {
        std::lock_guard lock(mutex);
        const auto told = std::find_if(delivered.begin(), delivered.end(), [](const auto& body) {
            return body.value("text", "").find("机器人未能将 李四 移出") != std::string::npos;
        });
        REQUIRE(told != delivered.end());
        CHECK((*told)["target"]["id"] == "room-9");
        CHECK_THAT(
            (*told)["text"].get<std::string>(),
            Catch::Contains("机器人已不是该群的群主或管理员") && Catch::Contains("/已移出 李四"));
    }

    // Asked again: the bot now knows it cannot, and says how to do it by hand.
    REQUIRE(remove("remove-2") == 200);
    REQUIRE(
        service.wait_for_count("SELECT COUNT(*) FROM outbox WHERE template_id = "
                               "'convention_command_refused' AND status = 'sent'",
                               1));
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE template_id = 'member_removal'") == 1);
}
