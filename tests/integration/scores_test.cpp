#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "app/score_setup_check.hpp"
#include "bot/time/civil_time.hpp"
#include "storage/database.hpp"
#include "storage/directory_repository.hpp"
#include "storage/group_repository.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/base64.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_images.hpp"
#include "tests/support/zip_archive.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

const std::string kBinary = std::string(LEDGERBOT_BINARY_DIR) + "/app/ledgerbot";

std::int64_t at(unsigned day, int hour, int minute = 0) {
    return bot::time::from_local(std::chrono::year{2026} / 11 / day, hour, minute, 0);
}

const std::string kConfig =
    "[schedule]\ncheck_interval_seconds = 1\nmax_lateness_hours = 2\n"
    "[[schedule.jobs]]\nname = \"score-draft\"\nat = \"weekly Mon 09:00\"\nenabled = true\n"
    "[[schedule.jobs]]\nname = \"weekly-scores\"\nat = \"weekly Mon 15:00\"\nenabled = true\n"
    "[[scores.lines]]\nname = \"业务一线\"\ndirector = \"zhengshi\"\n"
    "departments = [\"市场发展部\", \"企业服务部\", \"投行业务部\"]\n"
    "[[scores.publish_to]]\nchannel = \"generic\"\nchat_id = \"staff-room\"\n";

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

class ScoreService {
public:
    ScoreService() : clock_(at(18, 10)), service_("", "", kConfig, &clock_) {
        service_.import_demo_directory();
    }

    int post(nlohmann::json event) {
        event["time"] = bot::time::format_rfc3339(clock_.now_seconds());
        HttpTestClient client(service_.port());
        const std::string body = event.dump();
        return client
            .post("/hooks/generic", body, signed_headers(kTestSecret, clock_.now_seconds(), body))
            .status;
    }
    int say(const std::string& id, const std::string& sender, const std::string& name,
            const std::string& text, bool direct = false) {
        return post({{"id", id},
                     {"type", "message"},
                     {"chat",
                      {{"id", direct ? "dm-" + sender : "g-demo"},
                       {"name", "宁夏示例科技有限公司服务项目专属服务群"},
                       {"type", direct ? "direct" : "group"}}},
                     {"sender", {{"id", sender}, {"name", name}}},
                     {"text", text}});
    }

    void set_time(std::int64_t seconds) { clock_.set_seconds(seconds); }
    RunningService& service() { return service_; }

    bool sent(const std::string& template_id, const std::string& target) {
        return service_.wait_for_sent(template_id, target);
    }
    std::string sink_text(const std::string& template_id, const std::string& target) {
        return service_.last_sink_notice(template_id, target)["text"];
    }

private:
    app::ManualClock clock_;
    RunningService service_;
};

}  // namespace

TEST_CASE("A week of scoring through HTTP: report, evidence, spot check, draft, review, post",
          "[integration][scores]") {
    FakeWecomServer images;  // where the screenshot's URL points
    const std::string screenshot =
        images.host_file("/call-log.png", png_image(40, 30), "image/png");
    ScoreService bot;
    RunningService& service = bot.service();

    // Wednesday of 2026-W47: 张三 reports yesterday's visit with 李四 (another department), then
    // posts the call-log screenshot.
    REQUIRE(bot.say("r-1", "zhangsan", "张三", kCompleteVisitReport) == 200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits", 1));
    nlohmann::json image{{"id", "i-1"},
                         {"type", "message"},
                         {"chat", {{"id", "g-demo"}, {"type", "group"}}},
                         {"sender", {{"id", "zhangsan"}, {"name", "张三"}}},
                         {"image", {{"url", screenshot}}}};
    REQUIRE(bot.post(image) == 200);
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM visit_evidence WHERE fetch_status = 'fetched'", 1));

    // The director finds the record inaccurate: −1 and no bonus; 张三 is told.
    bot.set_time(at(19, 11));
    REQUIRE(bot.say("c-1", "zhengshi", "郑十", "/核查 V1 不准确 走访人员与实际不符", true) == 200);
    REQUIRE(bot.sent("score_finding_notice", "zhangsan"));
    CHECK(service.count("SELECT COUNT(*) FROM visit_findings WHERE visit_number = 1 AND "
                        "kind = 'inaccurate' AND by_id = 'zhengshi'") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'score.finding'") == 1);

    // /积分 V1 answers 张三 with the breakdown.
    REQUIRE(bot.say("q-1", "zhangsan", "张三", "/积分 V1") == 200);
    REQUIRE(bot.sent("score_visit_answer", "zhangsan"));
    CHECK_THAT(bot.sink_text("score_visit_answer", "zhangsan"), Catch::Contains("核查扣分 -1"));

    // Monday 09:00: the draft to the director.
    bot.set_time(at(23, 9, 0) + 5);
    REQUIRE(bot.sent("score_table", "zhengshi"));
    const std::string draft = bot.sink_text("score_table", "zhengshi");
    CHECK_THAT(draft,
               Catch::Contains("【待复核】企业走访积分表 2026-W47（2026-11-16 至 2026-11-22）"));
    CHECK_THAT(draft,
               Catch::Contains("| 1 | 宁夏示例科技有限公司 | 市场发展部 | 张三 | 4 | 0 | 4 |"));
    CHECK_THAT(draft,
               Catch::Contains("| 2 | 宁夏示例科技有限公司 | 企业服务部 | 李四 | 4 | 0 | 4 |"));

    // The director approves; at 15:00 the table goes to the staff group without 未复核.
    bot.set_time(at(23, 10));
    REQUIRE(bot.say("a-1", "zhengshi", "郑十", "/复核 通过", true) == 200);
    REQUIRE(bot.sent("score_review_recorded", "zhengshi"));
    bot.set_time(at(23, 15, 0) + 5);
    REQUIRE(bot.sent("score_table", "staff-room"));
    const std::string posted = bot.sink_text("score_table", "staff-room");
    CHECK_THAT(posted, Catch::Contains("| 序号 | 被走访企业（机构） | 责任部门 | 客户经理 | "
                                       "真实性考核得分 | 质效考核得分 | 积分小计 |"));
    CHECK_THAT(posted, Catch::Contains("| 合计 | | | | 8 | 0 | 8 |"));
    CHECK_THAT(posted, !Catch::Contains("未复核"));
    // Stored as published, with the version the director approved; the journal holds one
    // entry per item earned.
    CHECK(service.count("SELECT COUNT(*) FROM published_tables WHERE week = '2026-W47' AND "
                        "line = '业务一线' AND approved_by = 'zhengshi' AND version = (SELECT "
                        "version FROM score_reviews WHERE week = '2026-W47')") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM point_entries WHERE visit_number = 1") > 0);
    // The generic channel carries the table as an xlsx attachment too.
    const auto file = service.last_sink_notice("score_table", "staff-room")["attachments"][0];
    REQUIRE(file.is_object());
    CHECK(file["file_name"] == "企业走访积分表-2026-W47-业务一线.xlsx");
    const auto attached = service.database_path().parent_path() / "attached.xlsx";
    std::ofstream(attached, std::ios::binary) << base64_decode(file["content_base64"]);
    const auto attached_cells = read_xlsx_cells(attached);
    CHECK(attached_cells.at("A1") == "序号");
    CHECK(attached_cells.at("D2") == "张三");
    CHECK(attached_cells.at("A4") == "合计");
    CHECK(attached_cells.at("E4") == "8");

    // The director asks for the published table as a file: the same version, as published.
    REQUIRE(bot.say("x-1", "zhengshi", "郑十", "/导出 积分表 2026-W47", true) == 200);
    REQUIRE(bot.sent("score_table_export", "zhengshi"));
    const auto exported = service.last_sink_notice("score_table_export", "zhengshi");
    CHECK_THAT(exported["text"].get<std::string>(), Catch::Contains("已公示版本"));
    const auto table_file = exported["attachments"][0];
    CHECK(table_file["file_name"] == "企业走访积分表-2026-W47-业务一线.xlsx");
    CHECK(base64_decode(table_file["content_base64"]) == base64_decode(file["content_base64"]));
    // Dated by its publication (15:00 in Shanghai), not by when it is written out: otherwise
    // the two files above differ whenever they are written in different seconds.
    CHECK_THAT(read_zip(attached).at("docProps/core.xml"),
               Catch::Contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-23T07:00"));

    // 张三 acknowledges the finding's risk typed without a space, and exports his ledger.
    REQUIRE(bot.say("k-1", "zhangsan", "张三", "/确认R1 已与郑总核实走访人员", true) == 200);
    REQUIRE(bot.sent("risk_acknowledged", "zhangsan"));
    CHECK(service.count("SELECT COUNT(*) FROM risks WHERE number = 1 AND kind = 'finding' AND "
                        "acknowledged_by = 'zhangsan' AND ack_note = '已与郑总核实走访人员'") == 1);
    REQUIRE(bot.say("x-2", "zhangsan", "张三", "/导出 台账", true) == 200);
    REQUIRE(bot.sent("ledger_export", "zhangsan"));
    const auto ledger_file =
        service.last_sink_notice("ledger_export", "zhangsan")["attachments"][0];
    REQUIRE(ledger_file.is_object());
    const auto ledger_path = service.database_path().parent_path() / "ledger.xlsx";
    std::ofstream(ledger_path, std::ios::binary) << base64_decode(ledger_file["content_base64"]);
    const auto ledger_cells = read_xlsx_cells(ledger_path);
    CHECK(ledger_cells.at("A2") == "D1");
    CHECK(ledger_cells.at("B2") == "宁夏示例科技有限公司");

    // A restart within the slot's lateness window posts nothing twice: the run key is taken.
    service.restart();
    bot.set_time(at(23, 15, 2));
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM job_runs WHERE run_key = 'weekly-scores:2026-W48'", 1));
    REQUIRE(service.wait_for_scheduler_checks());
    CHECK(service.count("SELECT COUNT(*) FROM outbox WHERE template_id = 'score_table' AND "
                        "target_id = 'staff-room'") == 1);
    CHECK(service.count_received("SELECT COUNT(*) FROM received WHERE dedup_key LIKE "
                                 "'scheduler:weekly-scores:%'") == 1);
    service.stop();

    // The same numbers from the command line, as markdown, CSV and xlsx.
    const auto dir = service.database_path().parent_path();
    const auto config = dir / "scores.toml";
    std::ofstream(config) << "[storage]\ndatabase_path = \"" << service.database_path().string()
                          << "\"\n[log]\nlevel = \"warn\"\n"
                          << kConfig;
    const std::string base = kBinary + " --config " + config.string() + " scores --week 2026-W47 ";
    const auto md = dir / "scores.md";
    const auto csv = dir / "scores.csv";
    const auto xlsx = dir / "scores.xlsx";
    REQUIRE(std::system((base + "--out " + md.string()).c_str()) == 0);
    REQUIRE(std::system((base + "--format csv --out " + csv.string() + " > /dev/null").c_str()) ==
            0);
    REQUIRE(std::system((base + "--format xlsx --out " + xlsx.string() + " > /dev/null").c_str()) ==
            0);
    CHECK_THAT(read_all(md),
               Catch::Contains("| 1 | 宁夏示例科技有限公司 | 市场发展部 | 张三 | 4 | 0 | 4 |"));
    // libcsv quotes every field.
    CHECK(
        read_all(csv) ==
        "\xEF\xBB\xBF"
        R"("序号","被走访企业（机构）","责任部门","客户经理","真实性考核得分","质效考核得分","积分小计")"
        "\r\n"
        R"("1","宁夏示例科技有限公司","市场发展部","张三","4","0","4")"
        "\r\n"
        R"("2","宁夏示例科技有限公司","企业服务部","李四","4","0","4")"
        "\r\n"
        R"("合计","","","","8","0","8")"
        "\r\n");
    const auto cells = read_xlsx_cells(xlsx);
    CHECK(cells.at("A1") == "序号");
    CHECK(cells.at("G1") == "积分小计");
    CHECK(cells.at("B2") == "宁夏示例科技有限公司");
    CHECK(cells.at("D2") == "张三");
    CHECK(cells.at("E2") == "4");
    CHECK(cells.at("C3") == "企业服务部");
    CHECK(cells.at("A4") == "合计");
    CHECK(cells.at("G4") == "8");
    CHECK(cells.size() == 7 * 3 + 4);  // the 合计 row leaves B-D empty

    // A bad week is refused with a clear line and exit code 2.
    CHECK(WEXITSTATUS(std::system(
              (base.substr(0, base.find("--week")) + "--week 2025-W53 2> /dev/null").c_str())) ==
          2);
}

TEST_CASE("Startup names what is wrong with [scores] against the directory and registry",
          "[integration][scores]") {
    TempDir dir;
    storage::Database database(dir / "setup.db");
    REQUIRE(storage::DirectoryRepository(database.sql())
                .import_staff("id,name,department,titles\nzhengshi,郑十,业务一线,条线业务总监\n"
                              "zhangsan,张三,市场发展部,客户经理\n",
                              0));
    bot::settings::ScoreSettings scores;
    scores.lines = {{"业务一线", "zhengshi", {"市场发展部"}},
                    {"业务二线", "nobody", {"存管交易部"}}};
    auto problems = app::score_setup_problems(database.sql(), scores);
    REQUIRE(problems.size() == 3);
    CHECK_THAT(problems[0], Catch::Contains("director 'nobody'"));
    CHECK_THAT(problems[1], Catch::Contains("'存管交易部'"));
    CHECK_THAT(problems[2], Catch::Contains("publish_to is empty"));

    // A registered group with an outsider, and one the registry has never seen.
    {
        SQLite::Transaction tx(database.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        storage::GroupRepository groups(database.sql());
        bot::model::GroupRecord group;
        group.source = "generic";
        group.chat_id = "mixed";
        group.name = "混合群";
        groups.apply(bot::GroupSaved{group});
        bot::model::GroupMemberRecord outsider;
        outsider.id = "wm-1";
        outsider.external = true;
        groups.apply(bot::MemberSaved{"generic", "mixed", outsider});
        tx.commit();
    }
    scores.lines.pop_back();
    scores.publish_to = {{"generic", bot::model::NoticeTarget::Kind::chat, "mixed", ""},
                         {"wecom-app", bot::model::NoticeTarget::Kind::chat, "lbstaff", ""}};
    problems = app::score_setup_problems(database.sql(), scores);
    REQUIRE(problems.size() == 2);
    CHECK_THAT(problems[0], Catch::Contains("generic:mixed has external members"));
    CHECK_THAT(problems[1], Catch::Contains("wecom-app:lbstaff is not in the group registry"));
}
