#include "bot/conventions/group_name_rule.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "tests/bot/convention_fixtures.hpp"

namespace {

using ledgerbot::bot::conventions::check_group_name;
using ledgerbot::bot::conventions::CompanyRef;
using ledgerbot::bot::conventions::GroupNameProblem;
using ledgerbot::bot::conventions::to_code;
using ledgerbot::bot::model::GroupKind;
using ledgerbot::tests::default_conventions;
using ledgerbot::tests::demo_directory;

constexpr std::string_view kSampleExpected = "宁夏示例科技有限公司服务项目专属服务群";

}  // namespace

TEST_CASE("A group named after a listed company and the suffix is that company's project group",
          "[group_name]") {
    const auto [name, company_id,
                expected] = GENERATE(table<std::string, std::int64_t, std::string>({
        {"宁夏示例科技有限公司服务项目专属服务群", 1, std::string(kSampleExpected)},
        {"「宁夏示例科技有限公司」服务项目专属服务群", 1, std::string(kSampleExpected)},
        {"示例科技服务项目专属服务群", 1, std::string(kSampleExpected)},
        {"＂示例科技＂服务项目专属服务群", 1, std::string(kSampleExpected)},
        {"“示例科技”服务项目专属服务群", 1, std::string(kSampleExpected)},
        {"【示例科技】服务项目专属服务群", 1, std::string(kSampleExpected)},
        {"宁夏示例科技 有限公司 服务项目专属服务群", 1, std::string(kSampleExpected)},
        {"宁夏示例科技有限公司\u3000服务项目专属服务群 ", 1, std::string(kSampleExpected)},
        {"示例科技-服务项目专属服务群", 1, std::string(kSampleExpected)},
        {"星河新材服务项目专属服务群", 2, "银川星河新材料股份有限公司服务项目专属服务群"},
        {"「贺兰山葡萄酒」服务项目专属服务群", 3, "宁夏贺兰山葡萄酒庄有限公司服务项目专属服务群"},
        {"石嘴山市恒达机械制造有限公司服务项目专属服务群", 5,
         "石嘴山市恒达机械制造有限公司服务项目专属服务群"},
    }));
    const auto verdict = check_group_name(name, demo_directory(), default_conventions());
    INFO(name);
    CHECK(to_code(verdict.kind) == "project");
    CHECK(to_code(verdict.what_is_wrong) == "none");
    REQUIRE(verdict.company.has_value());
    CHECK(verdict.company->id == company_id);
    CHECK(verdict.expected_name == expected);
}

TEST_CASE("A misnamed project group is a near miss that says the exact expected name",
          "[group_name]") {
    const auto [name, problem, company_id, company_text] =
        GENERATE(table<std::string, std::string, std::int64_t, std::string>({
            {"宁夏示例科技有限公司服务项目群", "wrong_suffix", 1, "宁夏示例科技有限公司"},
            {"宁夏示例科技有限公司专属群", "wrong_suffix", 1, "宁夏示例科技有限公司"},
            {"宁夏示例科技有限公司专属服务群", "wrong_suffix", 1, "宁夏示例科技有限公司"},
            {"示例科技服务项目专属群", "wrong_suffix", 1, "示例科技"},
            {"「示例科技」服务群", "wrong_suffix", 1, "示例科技"},
            {"示例科技项目群", "wrong_suffix", 1, "示例科技"},
            {"示例科技上市项目群", "wrong_suffix", 1, "示例科技上市"},
            {"示例科技项目对接群", "wrong_suffix", 1, ""},
            {"示例科技服务项目专属服务群（二期）", "extra_text", 1, "示例科技"},
            {"新三板示例科技服务项目专属服务群", "extra_text", 1, "新三板示例科技"},
            {"示例科技挂牌服务项目专属服务群", "extra_text", 1, "示例科技挂牌"},
        }));
    const auto verdict = check_group_name(name, demo_directory(), default_conventions());
    INFO(name);
    CHECK(to_code(verdict.kind) == "near_miss");
    CHECK(to_code(verdict.what_is_wrong) == problem);
    REQUIRE(verdict.company.has_value());
    CHECK(*verdict.company == CompanyRef{company_id, "宁夏示例科技有限公司"});
    CHECK(verdict.expected_name == kSampleExpected);
    CHECK(verdict.company_text == company_text);
}

TEST_CASE("The right suffix after an unlisted or missing company is a near miss without a name",
          "[group_name]") {
    const auto [name, problem, company_text] =
        GENERATE(table<std::string, std::string, std::string>({
            {"未知公司服务项目专属服务群", "company_not_listed", "未知公司"},
            {"「宁夏未知贸易有限公司」服务项目专属服务群", "company_not_listed",
             "宁夏未知贸易有限公司"},
            {"宁夏示例服务项目专属服务群", "company_not_listed", "宁夏示例"},
            {"服务项目专属服务群", "company_missing", ""},
            {"「」服务项目专属服务群", "company_missing", ""},
        }));
    const auto verdict = check_group_name(name, demo_directory(), default_conventions());
    INFO(name);
    CHECK(to_code(verdict.kind) == "near_miss");
    CHECK(to_code(verdict.what_is_wrong) == problem);
    CHECK_FALSE(verdict.company.has_value());
    CHECK(verdict.expected_name.empty());
    CHECK(verdict.company_text == company_text);
}

TEST_CASE("Ordinary groups are not project groups and are left alone", "[group_name]") {
    const std::string name =
        GENERATE(as<std::string>{}, "销售部周报群", "家庭群", "", "   ", "客户服务群",
                 "OA升级项目群", "未知公司专属群", "示例科技董事会沟通群", "市场发展部工作群",
                 "合规风控部内部群", "周末羽毛球群");
    const auto verdict = check_group_name(name, demo_directory(), default_conventions());
    INFO(name);
    CHECK(to_code(verdict.kind) == "unrelated");
    CHECK(to_code(verdict.what_is_wrong) == "none");
    CHECK_FALSE(verdict.company.has_value());
    CHECK(verdict.expected_name.empty());
}

TEST_CASE("The suffix and near-miss endings come from the settings", "[group_name]") {
    auto settings = default_conventions();
    settings.group_name_suffix = "企业服务群";
    settings.near_miss_suffixes = {"对接群"};

    const auto conforming = check_group_name("示例科技企业服务群", demo_directory(), settings);
    CHECK(conforming.kind == GroupKind::project);
    CHECK(conforming.expected_name == "宁夏示例科技有限公司企业服务群");

    const auto old_name =
        check_group_name("示例科技服务项目专属服务群", demo_directory(), settings);
    CHECK(old_name.kind == GroupKind::near_miss);
    CHECK(old_name.what_is_wrong == GroupNameProblem::wrong_suffix);

    const auto near = check_group_name("示例科技对接群", demo_directory(), settings);
    CHECK(near.kind == GroupKind::near_miss);
    CHECK(near.expected_name == "宁夏示例科技有限公司企业服务群");
}

TEST_CASE("Every group kind and problem has a distinct code", "[group_name]") {
    CHECK(to_code(GroupKind::project) == "project");
    CHECK(to_code(GroupKind::near_miss) == "near_miss");
    CHECK(to_code(GroupKind::unrelated) == "unrelated");
    CHECK(to_code(GroupNameProblem::company_missing) == "company_missing");
    CHECK(to_code(GroupNameProblem::company_not_listed) == "company_not_listed");
    CHECK(to_code(GroupNameProblem::wrong_suffix) == "wrong_suffix");
    CHECK(to_code(GroupNameProblem::extra_text) == "extra_text");
}
