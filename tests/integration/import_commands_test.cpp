#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "tests/integration/running_service.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_workbook.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

std::filesystem::path operator_config(const std::filesystem::path& database,
                                      const std::string& extra = "") {
    const auto path = database.parent_path() / "operator.toml";
    std::ofstream(path) << "[storage]\ndatabase_path = \"" << database.string()
                        << "\"\n[adapters.generic]\nsecret = \"" << kTestSecret << "\"\n"
                        << extra;
    return path;
}

CommandRun run_cli(const std::filesystem::path& config, std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--config", config.string()});
    return run_command(ledgerbot_binary(), arguments);
}

const std::vector<std::vector<WorkbookCell>> kStaffSheet{
    {"账号", "姓名", "所属部门", "职务"},
    {"zhangsan", "张三", "市场发展部", "客户经理"},
    {"lisi", "李四", "企业服务部", "客户经理"},
    {"wangwu", "王五", "投行业务部", "客户经理、项目负责人"},
};

}  // namespace

TEST_CASE(
    "ledgerbot import reads xlsx with Chinese headers, refuses a bad manager, previews "
    "with --dry-run",
    "[integration][import]") {
    TempDir dir;
    const auto config = operator_config(
        dir / "ledger.db", "[import.company_headers]\naccount_manager = [\"对接人\"]\n");
    REQUIRE(run_cli(config, {"migrate"}).exit_code == 0);
    write_workbook(dir / "staff.xlsx", kStaffSheet);
    const CommandRun staff = run_cli(config, {"import", "staff", (dir / "staff.xlsx").string()});
    INFO(staff.out << staff.err);
    REQUIRE(staff.exit_code == 0);
    CHECK_THAT(staff.out, Catch::Contains("import staff: 3 added, 0 updated"));

    // 对接人 is ours through the config; 赵六 is not in the staff directory; 展示中 is no listing
    // status of the configured list.
    write_workbook(
        dir / "bad.xlsx",
        {{"企业名称", "企业简称", "挂牌状态", "所属部门", "对接人", "服务起始日期"},
         {"宁夏示例科技有限公司", "示例科技", "挂牌", "市场发展部", "张三",
          WorkbookCell::of_date(2024, 3, 1)},
         {"银川星河新材料股份有限公司", "星河新材", "展示中", "企业服务部", "lisi", ""},
         {"宁夏贺兰山葡萄酒庄有限公司", "贺兰山酒庄", "培育", "投行业务部", "赵六", ""}});
    const CommandRun bad = run_cli(config, {"import", "companies", (dir / "bad.xlsx").string()});
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.err, Catch::Contains("was not imported (nothing changed)"));
    CHECK_THAT(bad.err, Catch::Contains("row 3: 挂牌状态 \"展示中\""));
    CHECK_THAT(bad.err, Catch::Contains("row 4: 客户经理 \"赵六\" is not in the staff directory"));

    write_workbook(dir / "good.xlsx",
                   {{"企业名称", "企业简称", "挂牌状态", "所属部门", "对接人", "服务起始日期"},
                    {"宁夏示例科技有限公司", "示例科技", "挂牌", "市场发展部", "张三",
                     WorkbookCell::of_date(2024, 3, 1)},
                    {"银川星河新材料股份有限公司", "星河新材", "培育", "企业服务部", "lisi", ""}});
    const CommandRun preview =
        run_cli(config, {"import", "companies", (dir / "good.xlsx").string(), "--dry-run"});
    INFO(preview.out << preview.err);
    CHECK(preview.exit_code == 0);
    CHECK_THAT(preview.out, Catch::Contains("add 宁夏示例科技有限公司"));
    CHECK_THAT(preview.out, Catch::Contains("(dry run, nothing written): 2 to add"));
    const CommandRun listed_before = run_cli(config, {"audit", "show", "--action", "directory."});
    CHECK_THAT(listed_before.out, !Catch::Contains("companies"));

    const CommandRun done = run_cli(config, {"import", "companies", (dir / "good.xlsx").string()});
    INFO(done.out << done.err);
    CHECK(done.exit_code == 0);
    CHECK_THAT(done.out, Catch::Contains("2 added"));

    // A changed status previews as a field change.
    write_workbook(dir / "changed.xlsx", {{"企业名称", "挂牌状态", "对接人"},
                                          {"宁夏示例科技有限公司", "培育", "zhangsan"}});
    const CommandRun changed =
        run_cli(config, {"import", "companies", (dir / "changed.xlsx").string(), "--dry-run"});
    CHECK_THAT(changed.out, Catch::Contains("update 宁夏示例科技有限公司: 挂牌状态: 挂牌 → 培育"));

    // Not a workbook and not CSV: a reason, nothing changed.
    std::ofstream(dir / "broken.xlsx", std::ios::binary) << std::string("PK\x03\x04garbage", 11);
    const CommandRun broken =
        run_cli(config, {"import", "companies", (dir / "broken.xlsx").string()});
    CHECK(broken.exit_code == 1);
    CHECK_THAT(broken.err, Catch::Contains("not a readable xlsx file"));
}

TEST_CASE(
    "import staff --replace deactivates those absent: audited, their messages no longer "
    "count as staff, their records keep their names",
    "[integration][import]") {
    RunningService service;
    service.import_demo_directory();
    const auto config = operator_config(service.database_path());
    HttpTestClient client(service.port());
    const auto post = [&](const std::string& id, const std::string& text,
                          const std::string& sender) {
        std::string body = message_event(id, text);
        const std::string from = "\"id\":\"zhangsan\",\"name\":\"张三\"";
        body.replace(body.find(from), from.size(), sender);
        return client.post("/hooks/generic", body,
                           signed_headers(kTestSecret, now_seconds(), body));
    };
    REQUIRE(post("before", kCompleteVisitReport, "\"id\":\"lisi\",\"name\":\"李四\"").status ==
            200);
    REQUIRE(service.wait_for_count("SELECT COUNT(*) FROM visits WHERE reporter_id = 'lisi'", 1));

    // Everyone but 李四 (and the others the sheet leaves out).
    const auto sheet = service.database_path().parent_path() / "staff.xlsx";
    write_workbook(sheet, {{"账号", "姓名", "部门", "职务"},
                           {"zhangsan", "张三", "市场发展部", "客户经理"},
                           {"wangwu", "王五", "投行业务部", "客户经理;项目负责人"},
                           {"zhaoliu", "赵六", "存管交易部", "客户经理"},
                           {"sunqi", "孙七", "市场发展部", "部门负责人"},
                           {"zhouba", "周八", "合规风控部", "合规;合规质效督办"},
                           {"wujiu", "吴九", "企业服务部", "部门负责人"},
                           {"zhengshi", "郑十", "业务一线", "条线业务总监"}});
    const CommandRun preview =
        run_cli(config, {"import", "staff", sheet.string(), "--replace", "--dry-run"});
    INFO(preview.out << preview.err);
    CHECK_THAT(preview.out, Catch::Contains("deactivate lisi (李四)"));
    CHECK(service.count("SELECT COUNT(*) FROM staff WHERE deactivated_at IS NOT NULL") == 0);

    const CommandRun replaced = run_cli(config, {"import", "staff", sheet.string(), "--replace"});
    INFO(replaced.out << replaced.err);
    REQUIRE(replaced.exit_code == 0);
    CHECK_THAT(replaced.out, Catch::Contains("1 deactivated"));
    // Companies 李四 manages need a new manager: said, not silently left.
    CHECK_THAT(replaced.out,
               Catch::Contains("银川星河新材料股份有限公司: its account manager 李四"));
    CHECK(service.count("SELECT COUNT(*) FROM staff WHERE id = 'lisi' AND deactivated_at IS NOT "
                        "NULL") == 1);
    CHECK(service.count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.deactivated' AND "
                        "subject = 'lisi' AND actor LIKE 'operator:%'") == 1);

    // The running service reloads the directory: a report from 李四 is no staff member's report.
    REQUIRE(post("after", kCompleteVisitReport, "\"id\":\"lisi\",\"name\":\"李四\"").status == 200);
    REQUIRE(service.wait_for_count(
        "SELECT COUNT(*) FROM inbox WHERE dedup_key = 'generic:after' AND status = 'done'", 1));
    CHECK(service.count("SELECT COUNT(*) FROM visits WHERE reporter_id = 'lisi'") == 1);
    // Her earlier record keeps her name.
    CHECK(service.count("SELECT COUNT(*) FROM visits WHERE reporter_name = '李四'") == 1);
}
