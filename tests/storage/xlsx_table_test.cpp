#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "storage/xlsx_table.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_workbook.hpp"

using namespace ledgerbot::storage;
using ledgerbot::testing::TempDir;
using ledgerbot::testing::WorkbookCell;

namespace {

std::string bytes_of(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST_CASE("An xlsx sheet reads as text cells: shared strings, numbers as digits, dates as ISO",
          "[storage][xlsx]") {
    TempDir dir;
    const auto file = dir / "companies.xlsx";
    ledgerbot::testing::write_workbook(
        file, {{"企业全称", "简称", "挂牌状态", "客户经理", "服务起始日期", "联系电话"},
               {"宁夏示例科技有限公司", "示例科技", "挂牌", "张三",
                WorkbookCell::of_date(2024, 3, 1), WorkbookCell::of_number(13912345678)},
               // A row with blank cells in the middle and at the end.
               {"银川星河新材料股份有限公司", "", "培育", "", "", WorkbookCell::of_number(2.5)},
               {},
               {"宁夏贺兰山葡萄酒庄有限公司", "贺兰山酒庄"}});
    const std::string bytes = bytes_of(file);
    REQUIRE(looks_like_xlsx(bytes));
    auto table = read_xlsx_table(bytes);
    INFO((table ? std::string() : table.error()));
    REQUIRE(table);
    const TextTable& t = table.value();
    CHECK(t.header == std::vector<std::string>{"企业全称", "简称", "挂牌状态", "客户经理",
                                               "服务起始日期", "联系电话"});
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0] == std::vector<std::string>{"宁夏示例科技有限公司", "示例科技", "挂牌", "张三",
                                                "2024-03-01", "13912345678"});
    CHECK(t.rows[1] ==
          std::vector<std::string>{"银川星河新材料股份有限公司", "", "培育", "", "", "2.5"});
    CHECK(t.rows[2] == std::vector<std::string>{"宁夏贺兰山葡萄酒庄有限公司", "贺兰山酒庄"});
    // Spreadsheet row numbers, the empty row 4 skipped.
    CHECK(t.row_numbers == std::vector<int>{2, 3, 5});
}

TEST_CASE("Files that are not a readable workbook get a reason, never a crash", "[storage][xlsx]") {
    CHECK_FALSE(looks_like_xlsx("full_name,short_names\n"));
    const auto not_zip = read_xlsx_table("PK\x03\x04 not really a zip");
    REQUIRE_FALSE(not_zip);
    CHECK_THAT(not_zip.error(), Catch::Contains("not a readable xlsx file"));

    TempDir dir;
    ledgerbot::testing::write_workbook(dir / "empty.xlsx", {});
    const auto empty = read_xlsx_table(bytes_of(dir / "empty.xlsx"));
    REQUIRE_FALSE(empty);
    CHECK_THAT(empty.error(), Catch::Contains("empty"));

    // Cut short: the central directory is gone.
    ledgerbot::testing::write_workbook(dir / "cut.xlsx", {{"企业全称"}, {"宁夏示例科技有限公司"}});
    const std::string whole = bytes_of(dir / "cut.xlsx");
    const auto cut = read_xlsx_table(whole.substr(0, whole.size() / 2));
    CHECK_FALSE(cut);
}

TEST_CASE(
    "Workbooks from other programs: rich-text runs, inline and formula strings, booleans, "
    "errors, custom date formats",
    "[storage][xlsx]") {
    // Written by hand (tests/fuzz/corpus/xlsx_table/types.xlsx): what WPS and Excel put in cells
    // that libxlsxwriter does not write.
    const auto table = read_xlsx_table(bytes_of(std::filesystem::path(LEDGERBOT_SOURCE_DIR) /
                                                "tests/fuzz/corpus/xlsx_table/types.xlsx"));
    INFO((table ? std::string() : table.error()));
    REQUIRE(table);
    CHECK(table.value().header ==
          std::vector<std::string>{"企业全称", "挂牌状态", "服务起始日期", "联系电话"});
    REQUIRE(table.value().rows.size() == 2);
    CHECK(table.value().rows[0] ==
          std::vector<std::string>{"宁夏示例科技有限公司", "挂牌", "2024-03-01", "13912345678"});
    CHECK(table.value().rows[1] ==
          std::vector<std::string>{"银川星河", "", "2023-03-15", "", "TRUE", "#N/A"});
    CHECK(table.value().row_numbers == std::vector<int>{2, 4});

    const auto no_rels = read_xlsx_table(bytes_of(std::filesystem::path(LEDGERBOT_SOURCE_DIR) /
                                                  "tests/fuzz/corpus/xlsx_table/no_rels.xlsx"));
    REQUIRE(no_rels);
    CHECK(no_rels.value().header == std::vector<std::string>{"1", "2500"});
    CHECK(no_rels.value().rows == std::vector<std::vector<std::string>>{{"a"}});
}
