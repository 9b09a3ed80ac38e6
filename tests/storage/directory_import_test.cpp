#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>

#include "storage/database.hpp"
#include "storage/directory_import.hpp"
#include "storage/directory_repository.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ledgerbot::storage;
using ledgerbot::testing::TempDir;

namespace {

TextTable table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
    TextTable t{std::move(header), std::move(rows), {}};
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        t.row_numbers.push_back(static_cast<int>(i) + 2);
    }
    return t;
}

struct Fixture {
    TempDir dir;
    Database db{dir / "ledger.db"};
    ledgerbot::bot::settings::ImportSettings settings{
        {"挂牌", "培育"}, {{"account_manager", {"对接人"}}}, {{"id", {"企微账号"}}}};

    ImportReport staff(const TextTable& t, bool replace = false, bool dry_run = false) {
        auto report = DirectoryImport(db.sql(), settings)
                          .staff(t, {dry_run, replace, "operator:test", "staff.xlsx"}, 1000);
        REQUIRE(report);
        return report.value();
    }
    ImportReport companies(const TextTable& t, bool dry_run = false) {
        auto report = DirectoryImport(db.sql(), settings)
                          .companies(t, {dry_run, false, "operator:test", "companies.xlsx"}, 1000);
        REQUIRE(report);
        return report.value();
    }
    std::int64_t count(const std::string& sql) {
        SQLite::Statement q(db.sql(), sql);
        q.executeStep();
        return q.getColumn(0).getInt64();
    }
};

const TextTable kStaff =
    table({"企微账号", "姓名", "所属部门", "职务"}, {{"zhangsan", "张三", "市场发展部", "客户经理"},
                                                     {"lisi", "李四", "企业服务部", "客户经理"},
                                                     {"wangwu", "王五", "投行业务部", "合规"}});

}  // namespace

TEST_CASE(
    "A company import checks managers and listing statuses against the directory and the "
    "configured list",
    "[storage][import]") {
    Fixture f;
    f.staff(kStaff);
    const TextTable bad =
        table({"企业名称", "挂牌状态", "对接人"}, {{"宁夏示例科技有限公司", "挂牌", "张三"},
                                                   {"银川星河新材料股份有限公司", "展示中", "lisi"},
                                                   {"宁夏贺兰山葡萄酒庄有限公司", "培育", "赵六"}});
    const ImportReport refused = f.companies(bad);
    REQUIRE(refused.problems.size() == 2);
    CHECK(refused.problems[0].row == 3);
    CHECK_THAT(refused.problems[0].message, Catch::Contains("挂牌状态 \"展示中\""));
    CHECK(refused.problems[1].row == 4);
    CHECK_THAT(refused.problems[1].message,
               Catch::Contains("客户经理 \"赵六\" is not in the staff"));
    CHECK(f.count("SELECT COUNT(*) FROM companies") == 0);

    const TextTable good = table(
        {"企业名称", "挂牌状态", "对接人"},
        {{"宁夏示例科技有限公司", "挂牌", "张三"}, {"银川星河新材料股份有限公司", "培育", "lisi"}});
    // A dry run reports what would change and writes nothing.
    const ImportReport preview = f.companies(good, true);
    CHECK(preview.inserted == 2);
    CHECK(f.count("SELECT COUNT(*) FROM companies") == 0);
    CHECK(f.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'companies'") == 0);

    const ImportReport done = f.companies(good);
    CHECK(done.inserted == 2);
    // The manager's name became their id.
    CHECK(f.count("SELECT COUNT(*) FROM companies WHERE account_manager = 'zhangsan'") == 1);
    CHECK(f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'directory.imported' AND "
                  "subject = 'companies'") == 1);

    const ImportReport again = f.companies(
        table({"企业名称", "挂牌状态", "对接人"}, {{"宁夏示例科技有限公司", "培育", "张三"}}),
        true);
    CHECK(again.updated == 1);
    REQUIRE(again.changes.size() == 1);
    CHECK(again.changes[0].fields == std::vector<std::string>{"挂牌状态: 挂牌 → 培育"});
}

TEST_CASE(
    "A staff import with replace deactivates staff absent from the file; they keep their names, "
    "lose their roles, and come back when listed again",
    "[storage][import]") {
    Fixture f;
    f.staff(kStaff);
    f.companies(table({"企业名称", "对接人"}, {{"宁夏示例科技有限公司", "wangwu"}}));
    const TextTable without_wangwu = table({"企微账号", "姓名", "所属部门", "职务"},
                                           {{"zhangsan", "张三", "市场发展部", "客户经理"},
                                            {"lisi", "李四", "企业服务部", "客户经理"}});
    // Without --replace nobody is deactivated.
    CHECK(f.staff(without_wangwu).deactivated == 0);

    const ImportReport preview = f.staff(without_wangwu, true, true);
    CHECK(preview.deactivated == 1);
    CHECK(f.count("SELECT COUNT(*) FROM staff WHERE deactivated_at IS NOT NULL") == 0);

    const ImportReport replaced = f.staff(without_wangwu, true);
    CHECK(replaced.deactivated == 1);
    REQUIRE(replaced.warnings.size() == 1);
    CHECK_THAT(replaced.warnings[0], Catch::Contains("宁夏示例科技有限公司"));
    CHECK(f.count("SELECT COUNT(*) FROM staff") == 3);  // kept, not deleted
    CHECK(f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.deactivated' AND "
                  "subject = 'wangwu' AND actor = 'operator:test'") == 1);

    const auto directory = DirectoryRepository(f.db.sql()).load();
    REQUIRE(directory);
    CHECK(directory.value().find_staff("wangwu") == nullptr);
    CHECK(directory.value().staff().size() == 2);
    REQUIRE(directory.value().find_person("wangwu") != nullptr);
    CHECK(directory.value().find_person("wangwu")->name == "王五");

    // A deactivated person cannot be made an account manager.
    const ImportReport refused =
        f.companies(table({"企业名称", "对接人"}, {{"银川星河新材料股份有限公司", "wangwu"}}));
    REQUIRE(refused.problems.size() == 1);
    CHECK_THAT(refused.problems[0].message, Catch::Contains("deactivated"));

    const ImportReport back = f.staff(kStaff);
    REQUIRE(back.changes.size() == 1);
    CHECK(back.changes[0].kind == ImportChange::Kind::reactivated);
    CHECK(f.count("SELECT COUNT(*) FROM staff WHERE deactivated_at IS NOT NULL") == 0);
    CHECK(f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.reactivated'") == 1);
}

TEST_CASE("Headers the config does not know are refused by name", "[storage][import]") {
    Fixture f;
    const ImportReport report = f.staff(table({"账号", "姓名", "手机"}, {{"a", "甲", "1"}}));
    REQUIRE(report.problems.size() == 1);
    CHECK_THAT(report.problems[0].message, Catch::Contains("unknown column \"手机\""));
}
