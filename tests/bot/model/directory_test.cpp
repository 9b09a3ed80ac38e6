#include "bot/model/directory.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

namespace {

using ledgerbot::bot::model::Company;
using ledgerbot::bot::model::Directory;
using ledgerbot::bot::model::normalize_name;
using ledgerbot::bot::model::StaffMember;

Directory sample_directory() {
    return Directory(
        {
            Company{
                1, "宁夏示例科技有限公司", {"示例科技"}, "软件", "挂牌", "市场发展部", "zhangsan"},
            Company{2, "宁夏示例科技集团（控股）有限公司", {"示例集团"}, "", "", "", ""},
            Company{3, "银川星河新材料股份有限公司", {"星河新材", "星河"}, "新材料", "", "", ""},
            Company{4, "ABC Tech (Ningxia) Co., Ltd.", {"ABC"}, "", "", "", ""},
        },
        {
            StaffMember{"zhangsan", "张三", "市场发展部", {"客户经理"}},
            StaffMember{"wangwu", "王五", "投行业务部", {"客户经理", "项目负责人"}},
            StaffMember{"ou-yang", "欧阳 娜娜", "合规风控部", {"合规质效督办"}},
        });
}

}  // namespace

TEST_CASE("Names normalize full-width letters, brackets and spaces to one form", "[directory]") {
    const auto [written, canonical] = GENERATE(table<std::string, std::string>({
        {"宁夏示例科技（集团）有限公司", "宁夏示例科技(集团)有限公司"},
        {"宁夏示例科技(集团)有限公司", "宁夏示例科技(集团)有限公司"},
        {" 宁夏 示例科技\u3000有限公司 ", "宁夏示例科技有限公司"},
        {"ＡＢＣ　Ｔｅｃｈ", "abctech"},
        {"ABC-Tech_Ltd", "abctechltd"},
        {"“星河”新材", "星河新材"},
        {"欧阳·娜娜", "欧阳娜娜"},
    }));
    CHECK(normalize_name(written) == canonical);
}

TEST_CASE("A company is found by its full name or a short name however it is written",
          "[directory]") {
    const Directory directory = sample_directory();
    const auto [query, id] = GENERATE(table<std::string, std::int64_t>({
        {"宁夏示例科技有限公司", 1},
        {"宁夏示例科技 有限公司", 1},
        {"示例科技", 1},
        {"宁夏示例科技集团(控股)有限公司", 2},
        {"宁夏示例科技集团（控股）有限公司", 2},
        {"示例集团", 2},
        {"星河", 3},
        {"ｓｔａｒ", 0},
        {"abc tech (ningxia) co., ltd.", 4},
        {"ＡＢＣ", 4},
        {"宁夏示例", 0},
        {"", 0},
    }));
    INFO(query);
    const Company* found = directory.find_company(query);
    if (id == 0) {
        CHECK(found == nullptr);
    } else {
        REQUIRE(found != nullptr);
        CHECK(found->id == id);
    }
}

TEST_CASE("A company named inside free text is found by the longest name that occurs",
          "[directory]") {
    const Directory directory = sample_directory();
    const auto [text, id, why] = GENERATE(table<std::string, std::int64_t, std::string>({
        {"今天电话回访了宁夏示例科技有限公司的王总", 1, "full name"},
        {"今天电话回访了示例科技王总", 1, "short name"},
        {"走访宁夏示例科技集团（控股）有限公司，沟通融资", 2,
         "the group's full name contains 示例科技 too"},
        {"与星河新材的李总通话", 3, "星河新材 is longer than 星河"},
        {"与星河通话", 3, "only the shorter short name"},
        {"没有提到任何企业", 0, "no name"},
    }));
    INFO(why);
    const Company* found = directory.find_company_in_text(text);
    if (id == 0) {
        CHECK(found == nullptr);
    } else {
        REQUIRE(found != nullptr);
        CHECK(found->id == id);
    }
}

TEST_CASE("Staff are found by exact id or by normalized name", "[directory]") {
    const Directory directory = sample_directory();

    const StaffMember* by_id = directory.find_staff("wangwu");
    REQUIRE(by_id != nullptr);
    CHECK(by_id->name == "王五");
    CHECK(by_id->has_title("项目负责人"));
    CHECK_FALSE(by_id->has_title("合规质效督办"));

    CHECK(directory.find_staff("WANGWU") == nullptr);
    CHECK(directory.find_staff("王五") == nullptr);

    const auto [name, id] = GENERATE(table<std::string, std::string>({
        {"张三", "zhangsan"},
        {" 张三 ", "zhangsan"},
        {"欧阳娜娜", "ou-yang"},
        {"欧阳·娜娜", "ou-yang"},
        {"李四", ""},
    }));
    INFO(name);
    const StaffMember* found = directory.find_staff_by_name(name);
    if (id.empty()) {
        CHECK(found == nullptr);
    } else {
        REQUIRE(found != nullptr);
        CHECK(found->id == id);
    }
}

TEST_CASE("An empty directory finds nothing", "[directory]") {
    const Directory directory;
    CHECK(directory.find_company("宁夏示例科技有限公司") == nullptr);
    CHECK(directory.find_company_in_text("宁夏示例科技有限公司") == nullptr);
    CHECK(directory.find_staff("zhangsan") == nullptr);
    CHECK(directory.find_staff_by_name("张三") == nullptr);
}
