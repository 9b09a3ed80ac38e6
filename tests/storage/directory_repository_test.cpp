#include "storage/directory_repository.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include "storage/database.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using Catch::Matchers::Contains;
using ledgerbot::bot::model::Company;
using ledgerbot::bot::model::Directory;
using ledgerbot::storage::Database;
using ledgerbot::storage::DirectoryRepository;
using ledgerbot::storage::ImportProblem;
using ledgerbot::storage::ImportReport;
using Names = std::vector<std::string>;

const std::string kCompaniesEnglish =
    "full_name,short_names,industry,listing_status,department,account_manager\n"
    "宁夏示例科技有限公司,示例科技,软件和信息技术服务业,挂牌,市场发展部,zhangsan\n"
    "银川星河新材料股份有限公司,星河新材,新材料,挂牌,企业服务部,lisi\n";

const std::string kCompaniesChinese =
    "企业全称,简称,所属行业,挂牌状态,责任部门,客户经理\n"
    "宁夏示例科技有限公司,示例科技,软件和信息技术服务业,挂牌,市场发展部,zhangsan\n"
    "银川星河新材料股份有限公司,星河新材,新材料,挂牌,企业服务部,lisi\n";

const std::string kStaff =
    "id,name,department,titles\n"
    "zhangsan,张三,市场发展部,客户经理\n"
    "wangwu,王五,投行业务部,客户经理;项目负责人\n";

struct Fixture {
    ledgerbot::testing::TempDir dir;
    Database db{dir / "ledger.db"};
    DirectoryRepository repository{db.sql()};

    ImportReport import_companies(const std::string& csv, std::int64_t now = 1000) {
        auto report = repository.import_companies(csv, now);
        REQUIRE(report);
        return report.value();
    }
    ImportReport import_staff(const std::string& csv, std::int64_t now = 1000) {
        auto report = repository.import_staff(csv, now);
        REQUIRE(report);
        return report.value();
    }
    Directory load() {
        auto directory = repository.load();
        REQUIRE(directory);
        return directory.value();
    }
    std::int64_t version() {
        auto v = repository.version();
        REQUIRE(v);
        return v.value();
    }
    std::int64_t count(const std::string& table) {
        return db.sql().execAndGet("SELECT COUNT(*) FROM " + table).getInt64();
    }
};

std::string problems_text(const ImportReport& report) {
    std::string out;
    for (const ImportProblem& problem : report.problems) {
        out += "row " + std::to_string(problem.row) + ": " + problem.message + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("Companies import with English or Chinese headers, with or without a BOM",
          "[directory]") {
    const auto [csv, why] = GENERATE_COPY(table<std::string, std::string>({
        {kCompaniesEnglish, "English headers"},
        {kCompaniesChinese, "Chinese headers"},
        {"\xEF\xBB\xBF" + kCompaniesChinese, "Excel's CSV UTF-8 with a byte-order mark"},
        {"\xEF\xBB\xBF" + kCompaniesEnglish, "BOM and English headers"},
    }));
    INFO(why);
    Fixture f;

    const ImportReport report = f.import_companies(csv);

    INFO(problems_text(report));
    REQUIRE(report.ok());
    CHECK(report.inserted == 2);
    CHECK(report.updated == 0);
    const Directory directory = f.load();
    REQUIRE(directory.companies().size() == 2);
    const Company& first = directory.companies()[0];
    CHECK(first.full_name == "宁夏示例科技有限公司");
    CHECK(first.short_names == Names{"示例科技"});
    CHECK(first.industry == "软件和信息技术服务业");
    CHECK(first.listing_status == "挂牌");
    CHECK(first.department == "市场发展部");
    CHECK(first.account_manager == "zhangsan");
    const Company* found = directory.find_company("星河新材");
    REQUIRE(found != nullptr);
    CHECK(found->full_name == "银川星河新材料股份有限公司");
}

TEST_CASE("Only the full name column is required and columns may come in any order",
          "[directory]") {
    Fixture f;
    const ImportReport report = f.import_companies(
        "客户经理,企业名称\r\n"
        "zhangsan,宁夏示例科技有限公司\r\n"
        ",吴忠市清源农业科技有限公司\r\n");
    INFO(problems_text(report));
    REQUIRE(report.ok());
    const Directory directory = f.load();
    REQUIRE(directory.companies().size() == 2);
    CHECK(directory.companies()[0].account_manager == "zhangsan");
    CHECK(directory.companies()[1].account_manager.empty());
    CHECK(directory.companies()[1].short_names.empty());
}

TEST_CASE("服务起始日期 says since when a company was served; a bad date is a row error",
          "[directory]") {
    Fixture f;
    const ImportReport report = f.import_companies(
        "企业名称,挂牌状态,服务起始日期\n"
        "宁夏示例科技有限公司,培育,2024-03-01\n"
        "吴忠市清源农业科技有限公司,培育,\n");
    INFO(problems_text(report));
    REQUIRE(report.ok());
    const Directory directory = f.load();
    REQUIRE(directory.companies().size() == 2);
    // Local midnight of 2024-03-01 in Shanghai.
    CHECK(directory.companies()[0].served_since == std::optional<std::int64_t>(1709222400));
    CHECK_FALSE(directory.companies()[1].served_since);

    const ImportReport bad = f.import_companies(
        "企业名称,服务起始日期\n"
        "宁夏贺兰山葡萄酒庄有限公司,去年春天\n");
    CHECK_FALSE(bad.ok());
    CHECK_THAT(problems_text(bad), Contains("row 2") && Contains("去年春天"));
    CHECK(f.count("companies") == 2);
}

TEST_CASE("Short names are split on semicolons, 、 and bars", "[directory]") {
    Fixture f;
    const ImportReport report = f.import_companies(
        "full_name,short_names\n"
        "宁夏贺兰山葡萄酒庄有限公司,贺兰山酒庄;贺兰山葡萄酒、贺兰山酒业|HLS；贺兰酒庄\n"
        "银川星河新材料股份有限公司,\" 星河新材 ; ; 星河 \"\n");
    INFO(problems_text(report));
    REQUIRE(report.ok());
    const Directory directory = f.load();
    CHECK(directory.companies()[0].short_names ==
          Names{"贺兰山酒庄", "贺兰山葡萄酒", "贺兰山酒业", "HLS", "贺兰酒庄"});
    CHECK(directory.companies()[1].short_names == Names{"星河新材", "星河"});
    CHECK(directory.find_company("hls") == &directory.companies()[0]);
}

TEST_CASE("A bad company file is rejected with row numbers and nothing is written", "[directory]") {
    const auto [csv, row, message] = GENERATE(table<std::string, int, std::string>({
        {"full_name,industry\n宁夏示例科技有限公司,软件\n,新材料\n", 3, "\"企业全称\" is empty"},
        {"full_name,industry\n宁夏示例科技有限公司,软件\n\"  \",新材料\n", 3,
         "\"企业全称\" is empty"},
        {"full_name,industry\n宁夏示例科技有限公司,软件,多余\n", 2,
         "has 3 fields but the header has 2"},
        {"full_name,short_names\n宁夏示例科技有限公司,示例\n银川示例有限公司,示例\n", 3,
         "name \"示例\" is already used in row 2"},
        {"full_name,short_names\n宁夏示例科技有限公司,示例\n宁夏示例科技有限公司,\n", 3,
         "is already used in row 2"},
        {"full_name,short_names\n宁夏示例科技（集团）有限公司,\n宁夏示例科技(集团)有限公司,\n", 3,
         "is already used in row 2"},
        {"full_name,shortname\n宁夏示例科技有限公司,示例\n", 1, "unknown column \"shortname\""},
        {"short_names,industry\n示例,软件\n", 1,
         "required column \"企业全称\" (full_name) is missing"},
        {"full_name\n\xC4\xFE\xCF\xC4\xCA\xBE\xC0\xFD\n", 0, "not UTF-8"},
        {"full_name,industry\n\"宁夏示例科技有限公司,软件\n", 0, "CSV syntax error"},
        {"full_name,industry\n宁夏\"示例\"科技,软件\n", 0, "CSV syntax error"},
        {"", 0, "file is empty"},
    }));
    INFO(csv);
    Fixture f;
    REQUIRE(f.import_companies(kCompaniesEnglish).ok());
    const std::int64_t version_before = f.version();

    const ImportReport report = f.import_companies(csv, 2000);

    CHECK_FALSE(report.ok());
    CHECK(report.inserted == 0);
    CHECK(report.updated == 0);
    REQUIRE_FALSE(report.problems.empty());
    CHECK(report.problems[0].row == row);
    CHECK_THAT(report.problems[0].message, Contains(message));
    CHECK(f.count("companies") == 2);
    CHECK(f.db.sql().execAndGet("SELECT MAX(updated_at) FROM companies").getInt64() == 1000);
    CHECK(f.version() == version_before);
}

TEST_CASE("A name already used by a company imported earlier is rejected", "[directory]") {
    Fixture f;
    REQUIRE(f.import_companies(kCompaniesEnglish, 1000).ok());
    const auto [csv, message] = GENERATE(table<std::string, std::string>({
        {"full_name,short_names\n宁夏另一家科技有限公司,示例科技\n",
         "name \"示例科技\" is already used by 宁夏示例科技有限公司"},
        {"full_name,short_names\n宁夏另一家科技有限公司,银川星河新材料股份有限公司\n",
         "is already used by 银川星河新材料股份有限公司"},
        {"full_name\n示例科技\n", "is already used by 宁夏示例科技有限公司"},
    }));
    INFO(csv);

    const ImportReport report = f.import_companies(csv, 2000);

    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems[0].row == 2);
    CHECK_THAT(report.problems[0].message, Contains(message));
    CHECK(f.count("companies") == 2);
}

TEST_CASE("A company may take over a short name another company gives up in the same file",
          "[directory]") {
    Fixture f;
    REQUIRE(f.import_companies(kCompaniesEnglish, 1000).ok());

    const ImportReport report = f.import_companies(
        "full_name,short_names\n"
        "宁夏示例科技有限公司,宁夏示例\n"
        "宁夏示例科技集团有限公司,示例科技\n",
        2000);

    INFO(problems_text(report));
    REQUIRE(report.ok());
    const Directory directory = f.load();
    const Company* found = directory.find_company("示例科技");
    REQUIRE(found != nullptr);
    CHECK(found->full_name == "宁夏示例科技集团有限公司");
}

TEST_CASE("Every bad row is reported, not only the first", "[directory]") {
    Fixture f;
    const ImportReport report = f.import_companies(
        "full_name,industry\n"
        "宁夏示例科技有限公司,软件\n"
        ",新材料\n"
        "银川星河新材料股份有限公司,新材料,多余\n"
        ",农业\n");
    REQUIRE(report.problems.size() == 3);
    CHECK(report.problems[0].row == 3);
    CHECK(report.problems[1].row == 4);
    CHECK(report.problems[2].row == 5);
    CHECK(f.count("companies") == 0);
}

TEST_CASE("Re-importing companies updates them in place and adds new ones", "[directory]") {
    Fixture f;
    REQUIRE(f.import_companies(kCompaniesEnglish, 1000).ok());
    const Directory before = f.load();

    const ImportReport report = f.import_companies(
        "full_name,short_names,industry\n"
        "宁夏示例科技有限公司,示例;宁夏示例,人工智能\n"
        "吴忠市清源农业科技有限公司,清源农业,农业\n",
        2000);

    INFO(problems_text(report));
    REQUIRE(report.ok());
    CHECK(report.updated == 1);
    CHECK(report.inserted == 1);
    const Directory after = f.load();
    REQUIRE(after.companies().size() == 3);
    const Company* updated = after.find_company("宁夏示例");
    REQUIRE(updated != nullptr);
    CHECK(updated->id == before.companies()[0].id);
    CHECK(updated->industry == "人工智能");
    CHECK(updated->short_names == Names{"示例", "宁夏示例"});
    CHECK(after.find_company("示例科技") == nullptr);
    CHECK(after.find_company("星河新材") != nullptr);
}

TEST_CASE("Staff import with English or Chinese headers and titles split into a list",
          "[directory]") {
    const auto [csv, why] = GENERATE_COPY(table<std::string, std::string>({
        {kStaff, "English headers"},
        {"\xEF\xBB\xBF账号,姓名,部门,职务\n"
         "zhangsan,张三,市场发展部,客户经理\n"
         "wangwu,王五,投行业务部,客户经理、项目负责人\n",
         "Chinese headers with a BOM"},
    }));
    INFO(why);
    Fixture f;

    const ImportReport report = f.import_staff(csv);

    INFO(problems_text(report));
    REQUIRE(report.ok());
    CHECK(report.inserted == 2);
    const Directory directory = f.load();
    const auto* wangwu = directory.find_staff("wangwu");
    REQUIRE(wangwu != nullptr);
    CHECK(wangwu->name == "王五");
    CHECK(wangwu->department == "投行业务部");
    CHECK(wangwu->titles == Names{"客户经理", "项目负责人"});
    CHECK(wangwu->has_title("项目负责人"));
    CHECK(directory.find_staff_by_name("张三") == directory.find_staff("zhangsan"));
}

TEST_CASE("A bad staff file is rejected with row numbers and nothing is written", "[directory]") {
    const auto [csv, row, message] = GENERATE(table<std::string, int, std::string>({
        {"id,name\nzhangsan,张三\nlisi,\n", 3, "\"姓名\" is empty"},
        {"id,name\nzhangsan,张三\n,李四\n", 3, "\"账号\" is empty"},
        {"id,name\nzhangsan,张三\nzhangsan,张三丰\n", 3,
         "账号 \"zhangsan\" is already used in row 2"},
        {"id\nzhangsan\n", 1, "required column \"姓名\" (name) is missing"},
        {"id,name,email\nzhangsan,张三,z@example.invalid\n", 1, "unknown column \"email\""},
        {"id,name\nzhangsan,\xD5\xC5\xC8\xFD\n", 0, "not UTF-8"},
    }));
    INFO(csv);
    Fixture f;
    REQUIRE(f.import_staff(kStaff).ok());
    const std::int64_t version_before = f.version();

    const ImportReport report = f.import_staff(csv, 2000);

    CHECK_FALSE(report.ok());
    REQUIRE_FALSE(report.problems.empty());
    CHECK(report.problems[0].row == row);
    CHECK_THAT(report.problems[0].message, Contains(message));
    CHECK(f.count("staff") == 2);
    CHECK(f.db.sql().execAndGet("SELECT MAX(updated_at) FROM staff").getInt64() == 1000);
    CHECK(f.version() == version_before);
}

TEST_CASE("Re-importing staff updates them in place", "[directory]") {
    Fixture f;
    REQUIRE(f.import_staff(kStaff).ok());
    const ImportReport report = f.import_staff("id,name,titles\nwangwu,王五,部门负责人\n");
    REQUIRE(report.ok());
    CHECK(report.updated == 1);
    CHECK(report.inserted == 0);
    const Directory directory = f.load();
    CHECK(directory.staff().size() == 2);
    CHECK(directory.find_staff("wangwu")->titles == Names{"部门负责人"});
}

TEST_CASE("Every successful import bumps the directory version", "[directory]") {
    Fixture f;
    CHECK(f.version() == 0);
    REQUIRE(f.import_companies(kCompaniesEnglish).ok());
    CHECK(f.version() == 1);
    // The account managers must now be in the staff directory (lisi too).
    REQUIRE(f.import_staff(kStaff + "lisi,李四,企业服务部,客户经理\n").ok());
    CHECK(f.version() == 2);
    REQUIRE(f.import_companies(kCompaniesEnglish).ok());
    CHECK(f.version() == 3);
    REQUIRE_FALSE(f.import_staff("id\nx\n").ok());
    CHECK(f.version() == 3);
}

TEST_CASE("An empty database loads an empty directory", "[directory]") {
    Fixture f;
    const Directory directory = f.load();
    CHECK(directory.companies().empty());
    CHECK(directory.staff().empty());
}

TEST_CASE("The demo directory files import cleanly", "[directory]") {
    Fixture f;
    const auto read = [](const char* name) {
        std::ifstream in(std::filesystem::path(LEDGERBOT_SOURCE_DIR) / "config" / "demo" / name,
                         std::ios::binary);
        REQUIRE(in);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const ImportReport companies = f.import_companies(read("companies.csv"));
    INFO(problems_text(companies));
    CHECK(companies.ok());
    CHECK(companies.inserted > 0);
    const ImportReport staff = f.import_staff(read("staff.csv"));
    INFO(problems_text(staff));
    CHECK(staff.ok());
    CHECK(staff.inserted > 0);
}
