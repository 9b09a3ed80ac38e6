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

TEST_CASE(
    "A staff member's WeChat id is imported on their row, once, and takes over their "
    "WeChat group memberships",
    "[storage][import]") {
    Fixture f;
    f.staff(kStaff);
    // A WeChat group the bridge reported before anyone's WeChat id was known.
    f.db.sql().exec(
        "INSERT INTO groups (source, chat_id, name, kind, owner_id, can_post, tracks_nicknames, "
        "created_at) "
        "VALUES ('generic', 'room-17@chatroom', '示例群', 'project', 'wxid_zs', 1, 1, 0)");
    f.db.sql().exec(
        "INSERT INTO group_members (source, chat_id, member_id, name, external) VALUES "
        "('generic', 'room-17@chatroom', 'wxid_zs', '张三', 1), "
        "('generic', 'room-17@chatroom', 'wxid_wang', '王总', 1)");

    SECTION("refused: the same WeChat id twice, or another person's 账号") {
        const ImportReport twice =
            f.staff(table({"企微账号", "姓名", "微信号"},
                          {{"zhangsan", "张三", "wxid_zs"}, {"lisi", "李四", "wxid_zs"}}));
        REQUIRE(twice.problems.size() == 1);
        CHECK(twice.problems[0].row == 3);
        CHECK_THAT(twice.problems[0].message, Catch::Contains("already used in row 2"));
        const ImportReport account =
            f.staff(table({"企微账号", "姓名", "微信号"}, {{"zhangsan", "张三", "lisi"}}));
        REQUIRE(account.problems.size() == 1);
        CHECK_THAT(account.problems[0].message, Catch::Contains("账号 of another person"));
        CHECK(f.count("SELECT COUNT(*) FROM staff WHERE wechat_id IS NOT NULL") == 0);
        CHECK(f.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wxid_zs'") == 1);
    }

    SECTION("accepted: stored, shown as a change, and the memberships relinked") {
        const ImportReport report =
            f.staff(table({"企微账号", "姓名", "微信号"}, {{"zhangsan", "张三", "wxid_zs"}}));
        REQUIRE(report.ok());
        REQUIRE(report.changes.size() == 1);
        CHECK(report.changes[0].fields == std::vector<std::string>{"微信号: (empty) → wxid_zs"});
        REQUIRE(report.warnings.size() == 1);
        CHECK_THAT(report.warnings[0], Catch::Contains("1 group membership(s) and 1 group(s)"));
        CHECK(f.count("SELECT COUNT(*) FROM staff WHERE id = 'zhangsan' AND wechat_id = "
                      "'wxid_zs'") == 1);
        CHECK(f.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'zhangsan' AND "
                      "external = 0") == 1);
        CHECK(f.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wxid_zs'") == 0);
        CHECK(f.count("SELECT COUNT(*) FROM groups WHERE owner_id = 'zhangsan'") == 1);
        const auto directory = DirectoryRepository(f.db.sql()).load();
        REQUIRE(directory);
        REQUIRE(directory.value().find_staff_by_wechat_id("wxid_zs") != nullptr);
        CHECK(directory.value().find_staff_by_wechat_id("wxid_zs")->id == "zhangsan");

        // A file without the column keeps it; another person cannot take it.
        CHECK(f.staff(kStaff).ok());
        CHECK(f.count("SELECT COUNT(*) FROM staff WHERE wechat_id = 'wxid_zs'") == 1);
        const ImportReport taken =
            f.staff(table({"企微账号", "姓名", "微信号"}, {{"lisi", "李四", "wxid_zs"}}));
        REQUIRE(taken.problems.size() == 1);
        CHECK_THAT(taken.problems[0].message, Catch::Contains("already belongs to zhangsan"));
        // An empty cell clears it.
        CHECK(f.staff(table({"企微账号", "姓名", "微信号"}, {{"zhangsan", "张三", ""}})).ok());
        CHECK(f.count("SELECT COUNT(*) FROM staff WHERE wechat_id IS NOT NULL") == 0);
    }
}
