#include <catch2/catch.hpp>

#include <string>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "bot/time/civil_time.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/http_test_client.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kCreated = 1795399800;  // 2026-11-23 10:10 Shanghai

const std::string kSchedule =
    "[schedule]\ncheck_interval_seconds = 1\nmax_lateness_hours = 2\n"
    "[[schedule.jobs]]\nname = \"conventions-check\"\nat = \"hourly :05\"\nenabled = true\n"
    "[[schedule.jobs]]\nname = \"nickname-evening\"\nat = \"daily 20:00\"\nenabled = true\n"
    "[[schedule.jobs]]\nname = \"nickname-morning\"\nat = \"daily 09:00\"\nenabled = true\n"
    "[[schedule.jobs]]\nname = \"risk-escalation\"\nat = \"hourly :15\"\nenabled = true\n";

nlohmann::json person(const std::string& id, const std::string& name, const std::string& nickname) {
    return {{"id", id}, {"name", name}, {"nickname", nickname}};
}

nlohmann::json group_event(const std::string& id, const std::string& type, std::int64_t time,
                           const std::string& name = "示例科技服务项目群") {
    return {{"id", id},
            {"type", type},
            {"time", bot::time::format_rfc3339(time)},
            {"chat", {{"id", "room-7"}, {"name", name}}}};
}

class ConventionService {
public:
    ConventionService() : clock_(kCreated), service_("", "", kSchedule, &clock_) {
        service_.import_demo_directory();
    }

    int post(const nlohmann::json& event) {
        HttpTestClient client(service_.port());
        const std::string body = event.dump();
        return client
            .post("/hooks/generic", body, signed_headers(kTestSecret, clock_.now_seconds(), body))
            .status;
    }

    void set_time(std::int64_t seconds) { clock_.set_seconds(seconds); }
    RunningService& service() { return service_; }

    /// Waits until `count` notices of `template_id` to `target_id` were delivered to the sink.
    bool delivered(const std::string& template_id, const std::string& target_id, int count = 1) {
        return service_.wait_for_sent(template_id, target_id, count);
    }

    /// The text of the last notice of `template_id` in the console sink.
    std::string sink_text(const std::string& template_id) {
        const auto notice = service_.last_sink_notice(template_id);
        return notice.is_null() ? std::string{} : notice["text"].get<std::string>();
    }

private:
    app::ManualClock clock_;
    RunningService service_;
};

}  // namespace

TEST_CASE("第九条 through the generic adapter: name, first members, nicknames, self-leave",
          "[integration][conventions]") {
    ConventionService bot;
    RunningService& service = bot.service();

    // A misnamed project group with only its owner: the owner is told the exact name.
    nlohmann::json created = group_event("c-1", "group_created", kCreated);
    created["chat"]["owner"] = "zhangsan";
    created["members"] = {person("zhangsan", "张三", "张三-项目负责人")};
    REQUIRE(bot.post(created) == 200);
    REQUIRE(bot.delivered("group_name_reminder", "zhangsan"));
    CHECK_THAT(bot.sink_text("group_name_reminder"),
               Catch::Contains("请将群名改为：宁夏示例科技有限公司服务项目专属服务群"));
    CHECK(service.count("SELECT COUNT(*) FROM groups WHERE chat_id = 'room-7' AND "
                        "kind = 'near_miss' AND company_id = 1 AND owner_id = 'zhangsan'") == 1);

    // The owner fixes the name; 李四 joins with a bare name as nickname.
    REQUIRE(bot.post(group_event("r-1", "group_renamed", kCreated + 60,
                                 "宁夏示例科技有限公司服务项目专属服务群")) == 200);
    nlohmann::json joined = group_event("j-1", "member_joined", kCreated + 120,
                                        "宁夏示例科技有限公司服务项目专属服务群");
    joined["members"] = {person("lisi", "李四", "李四")};
    REQUIRE(bot.post(joined) == 200);
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM groups WHERE chat_id = 'room-7' AND kind = 'project'", 1));

    // 12:05: the hourly check reminds the owner of the missing first members (at 11:05 the
    // group was not an hour old yet).
    bot.set_time(kCreated + 2 * kHour);
    REQUIRE(bot.delivered("first_members_reminder", "zhangsan"));
    const std::string reminder = bot.sink_text("first_members_reminder");
    CHECK_THAT(reminder, Catch::Contains("第九条（二）"));
    CHECK_THAT(reminder, Catch::Contains("部门负责人（可邀请：孙七）"));
    CHECK_THAT(reminder, Catch::Contains("合规负责人（可邀请：周八）"));
    CHECK_THAT(reminder, Catch::Contains("2026-11-24 10:10"));

    // 20:00: 李四 is reminded of the nickname form, directly.
    bot.set_time(kCreated + 9 * kHour + 51 * 60);
    REQUIRE(bot.delivered("nickname_reminder", "lisi"));
    CHECK_THAT(bot.sink_text("nickname_reminder"), Catch::Contains("李四-项目负责人"));
    CHECK_THAT(bot.sink_text("nickname_reminder"), Catch::Contains("2026-11-24 09:00"));

    // 09:00 next day: still wrong, compliance (周八) gets the risk.
    bot.set_time(kCreated + 22 * kHour + 51 * 60);
    REQUIRE(bot.delivered("nickname_risk", "zhouba"));
    CHECK_THAT(bot.sink_text("nickname_risk"), Catch::Contains("成员 李四"));

    // 11:05 next day: the grace period is over and the first members are still missing.
    bot.set_time(kCreated + 24 * kHour + 56 * 60);
    REQUIRE(bot.delivered("first_members_risk", "zhouba"));

    // 李四 leaves on his own: owner and compliance are told, and it is on record.
    nlohmann::json left = group_event("l-1", "member_left", kCreated + 25 * kHour,
                                      "宁夏示例科技有限公司服务项目专属服务群");
    left["member"] = person("lisi", "李四", "李四");
    left["by_self"] = true;
    bot.set_time(kCreated + 25 * kHour);
    REQUIRE(bot.post(left) == 200);
    REQUIRE(bot.delivered("self_leave_violation", "zhangsan"));
    REQUIRE(bot.delivered("self_leave_violation", "zhouba"));
    CHECK_THAT(bot.sink_text("self_leave_violation"), Catch::Contains("李四 于 2026-11-24 11:10"));

    // The risk register and the audit trail hold every step; nothing was sent twice.
    CHECK(service.count("SELECT COUNT(*) FROM risks WHERE status = 'open'") == 4);
    CHECK(service.count("SELECT COUNT(*) FROM risks WHERE kind = 'nickname'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM risks WHERE kind = 'self_leave'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'group.name_fixed'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = "
                        "'convention.self_leave'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE template_id = 'nickname_reminder'") ==
          1);
    {
        auto db = service.open_database();
        SQLite::Statement member(db,
                                 "SELECT left_how, left_at FROM group_members "
                                 "WHERE chat_id = 'room-7' AND member_id = 'lisi'");
        REQUIRE(member.executeStep());
        CHECK(member.getColumn(0).getString() == "self");
        CHECK(member.getColumn(1).getInt64() == kCreated + 25 * kHour);
    }
}

TEST_CASE("/阶段完成 and /建群 answer through the generic adapter", "[integration][conventions]") {
    ConventionService bot;
    RunningService& service = bot.service();
    nlohmann::json created =
        group_event("c-1", "group_created", kCreated, "宁夏示例科技有限公司服务项目专属服务群");
    created["chat"]["owner"] = "zhangsan";
    created["members"] = {person("zhangsan", "张三", "张三-项目负责人"),
                          person("wangwu", "王五", "王五-项目专员1")};
    REQUIRE(bot.post(created) == 200);

    nlohmann::json command =
        group_event("m-1", "message", kCreated + 60, "宁夏示例科技有限公司服务项目专属服务群");
    command["sender"] = person("zhangsan", "张三", "张三-项目负责人");
    command["text"] = "/阶段完成 王五";
    REQUIRE(bot.post(command) == 200);
    REQUIRE(bot.delivered("stage_done_recorded", "room-7"));
    CHECK_THAT(bot.sink_text("stage_done_recorded"), Catch::Contains("请群主 张三 将其移出服务群"));
    CHECK(service.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wangwu' AND "
                        "stage_done_at > 0") == 1);

    // The generic platform cannot create groups: the answer says exactly how.
    nlohmann::json create = group_event("m-2", "message", kCreated + 120, "");
    create["chat"] = {{"id", "dm-lisi"}, {"type", "direct"}};
    create["sender"] = person("lisi", "李四", "");
    create["text"] = "/建群 星河新材";
    REQUIRE(bot.post(create) == 200);
    REQUIRE(bot.delivered("group_create_answer", "lisi"));
    const std::string answer = bot.sink_text("group_create_answer");
    CHECK_THAT(answer, Catch::Contains("群名：银川星河新材料股份有限公司服务项目专属服务群"));
    CHECK_THAT(answer, Catch::Contains("吴九（部门负责人）"));
    CHECK_THAT(answer, Catch::Contains("周八（合规负责人）"));
}

TEST_CASE("【风险提示】 is recorded, acknowledged by the lead, and escalated when nobody does",
          "[integration][risks]") {
    ConventionService bot;
    RunningService& service = bot.service();
    nlohmann::json created =
        group_event("c-1", "group_created", kCreated, "宁夏示例科技有限公司服务项目专属服务群");
    created["chat"]["owner"] = "zhangsan";
    created["members"] = {person("zhangsan", "张三", "张三-项目负责人"),
                          person("zhouba", "周八", "周八-合规质效督办")};
    REQUIRE(bot.post(created) == 200);

    const auto post_text = [&](const std::string& id, const std::string& sender,
                               const std::string& name, const std::string& text,
                               std::int64_t time) {
        nlohmann::json event =
            group_event(id, "message", time, "宁夏示例科技有限公司服务项目专属服务群");
        event["sender"] = person(sender, name, "");
        event["text"] = text;
        return bot.post(event);
    };
    REQUIRE(post_text("m-1", "zhouba", "周八", "【风险提示】企业涉诉，暂缓推荐融资。",
                      kCreated + 60) == 200);
    REQUIRE(bot.delivered("risk_notice_recorded", "room-7"));
    REQUIRE(bot.delivered("risk_notice_recorded", "zhangsan"));
    CHECK_THAT(bot.sink_text("risk_notice_recorded"), Catch::Contains("回复 /确认 R1"));
    REQUIRE(post_text("m-2", "zhangsan", "张三", "/确认 R1", kCreated + 120) == 200);
    REQUIRE(bot.delivered("risk_acknowledged", "room-7"));
    CHECK(service.count("SELECT COUNT(*) FROM risks WHERE number = 1 AND kind = 'notice' AND "
                        "acknowledged_by = 'zhangsan' AND raised_by = 'zhouba'") == 1);

    // A second notice nobody acknowledges reaches the department head after 24 hours.
    REQUIRE(post_text("m-3", "zhouba", "周八", "【风险提示】联系人变更未报备。", kCreated + 180) ==
            200);
    REQUIRE(bot.delivered("risk_notice_recorded", "zhangsan", 2));
    bot.set_time(kCreated + 25 * kHour);
    REQUIRE(bot.delivered("risk_escalated", "sunqi"));
    REQUIRE(bot.delivered("risk_escalated", "zhouba"));
    CHECK_THAT(bot.sink_text("risk_escalated"), Catch::Contains("R2"));
    CHECK(service.count("SELECT COUNT(*) FROM risks WHERE number = 2 AND escalated_at > 0") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'risk.escalated'") == 1);
}
