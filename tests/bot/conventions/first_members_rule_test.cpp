#include "bot/conventions/first_members_rule.hpp"
#include "bot/staff_roles.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/bot/convention_fixtures.hpp"

namespace {

using ledgerbot::bot::has_compliance_member;
using ledgerbot::bot::conventions::check_first_members;
using ledgerbot::bot::conventions::RequiredRole;
using ledgerbot::bot::conventions::RoleCandidate;
using ledgerbot::bot::conventions::to_code;
using ledgerbot::bot::model::Company;
using ledgerbot::bot::model::GroupMember;
using ledgerbot::tests::default_conventions;
using ledgerbot::tests::demo_directory;

GroupMember internal(std::string id, std::string nickname = {}) {
    return GroupMember{std::move(id), {}, std::move(nickname), false};
}

GroupMember external(std::string id, std::string nickname) {
    return GroupMember{std::move(id), "马小明", std::move(nickname), true};
}

const Company& sample_company(const ledgerbot::bot::model::Directory& directory) {
    const Company* company = directory.find_company("示例科技");
    REQUIRE(company);
    return *company;
}

std::string present_codes(const ledgerbot::bot::conventions::FirstMembersVerdict& verdict) {
    std::string out;
    for (const auto& check : verdict.roles) {
        out += std::string(to_code(check.role)) + (check.present ? "+ " : "- ");
    }
    return out;
}

}  // namespace

TEST_CASE("The first members are recognized from the directory and from nicknames",
          "[first_members]") {
    // 示例科技: department 市场发展部 (head 孙七), account manager 张三. The owner is 张三 unless
    // the row says otherwise.
    const auto [owner, members, expected] =
        GENERATE(table<std::string, std::vector<GroupMember>, std::string>({
            {"zhangsan", {internal("zhangsan")}, "executor- department_head- compliance- "},
            {"zhangsan",
             {internal("zhangsan"), internal("ouyang", "欧阳娜娜-项目专员1"), internal("sunqi"),
              internal("zhouba")},
             "executor+ department_head+ compliance+ "},
            // The account manager fills the executor role when someone else owns the group.
            {"lisi",
             {internal("lisi"), internal("zhangsan"), internal("sunqi"), internal("zhouba")},
             "executor+ department_head+ compliance+ "},
            // An executor title in the directory (王五 is 项目负责人).
            {"zhangsan",
             {internal("zhangsan"), internal("wangwu"), internal("sunqi")},
             "executor+ department_head+ compliance- "},
            // Another department's head is not this company's department head.
            {"zhangsan",
             {internal("zhangsan"), internal("wujiu"), internal("zhouba")},
             "executor- department_head- compliance+ "},
            // A compliance role in an internal member's nickname counts.
            {"zhangsan",
             {internal("zhangsan"), internal("newhire", "钱十一-合规质效督办")},
             "executor- department_head- compliance+ "},
            // An external member cannot claim a role by nickname.
            {"zhangsan",
             {internal("zhangsan"), external("wm1", "马小明-合规质效督办"),
              external("wm2", "马小明-项目负责人")},
             "executor- department_head- compliance- "},
            // The owner's own nickname does not make them the executor.
            {"zhangsan",
             {internal("zhangsan", "张三-项目负责人"), internal("sunqi")},
             "executor- department_head+ compliance- "},
            {"zhangsan", std::vector<GroupMember>{}, "executor- department_head- compliance- "},
        }));
    const auto directory = demo_directory();
    const auto verdict = check_first_members(members, sample_company(directory), owner, directory,
                                             default_conventions());
    CHECK(present_codes(verdict) == expected);
    CHECK(verdict.complete() == (expected == "executor+ department_head+ compliance+ "));
}

TEST_CASE("Missing first members come with the staff who would fill them", "[first_members]") {
    const auto directory = demo_directory();
    const auto verdict = check_first_members({internal("zhangsan")}, sample_company(directory),
                                             "zhangsan", directory, default_conventions());

    CHECK(verdict.missing() == std::vector<RequiredRole>{RequiredRole::executor,
                                                         RequiredRole::department_head,
                                                         RequiredRole::compliance});
    // The owner (张三, the account manager) is not offered as the executor.
    CHECK(verdict.check(RequiredRole::executor).candidates ==
          std::vector<RoleCandidate>{{"wangwu", "王五", "投行业务部"}});
    CHECK(verdict.check(RequiredRole::department_head).candidates ==
          std::vector<RoleCandidate>{{"sunqi", "孙七", "市场发展部"}});
    CHECK(verdict.check(RequiredRole::compliance).candidates ==
          std::vector<RoleCandidate>{{"zhouba", "周八", "合规风控部"}});
}

TEST_CASE("Present first members name the members who fill them", "[first_members]") {
    const auto directory = demo_directory();
    const auto verdict = check_first_members(
        {internal("lisi"), internal("zhangsan"), internal("sunqi"), internal("zhouba")},
        sample_company(directory), "lisi", directory, default_conventions());
    CHECK(verdict.missing().empty());
    CHECK(verdict.check(RequiredRole::executor).member_ids == std::vector<std::string>{"zhangsan"});
    CHECK(verdict.check(RequiredRole::department_head).member_ids ==
          std::vector<std::string>{"sunqi"});
    CHECK(verdict.check(RequiredRole::compliance).member_ids == std::vector<std::string>{"zhouba"});
    CHECK(verdict.check(RequiredRole::executor).candidates.front().id == "zhangsan");
}

TEST_CASE("The owner fills the executor role when the settings say so", "[first_members]") {
    auto settings = default_conventions();
    settings.owner_counts_as_executor = true;
    const auto directory = demo_directory();
    const auto verdict = check_first_members({internal("zhangsan")}, sample_company(directory),
                                             "zhangsan", directory, settings);
    CHECK(verdict.check(RequiredRole::executor).present);
    CHECK(verdict.check(RequiredRole::executor).candidates.front().id == "zhangsan");
}

TEST_CASE("Any department head counts when the company's department has none", "[first_members]") {
    const auto directory = demo_directory();
    const Company* company = directory.find_company("恒达机械");  // 存管交易部: no head listed
    REQUIRE(company);
    const auto verdict = check_first_members({internal("zhaoliu"), internal("wujiu")}, *company,
                                             "zhaoliu", directory, default_conventions());
    CHECK(verdict.check(RequiredRole::department_head).present);
    CHECK(verdict.check(RequiredRole::department_head).candidates.size() == 2);
}

TEST_CASE("A group has a compliance member only with compliance staff or an internal 督办",
          "[first_members]") {
    const auto settings = default_conventions();
    const auto directory = demo_directory();
    const auto [members, expected] = GENERATE(table<std::vector<GroupMember>, bool>({
        {{internal("zhangsan"), internal("zhouba")}, true},
        {{internal("zhangsan"), GroupMember{"wx-9", "周八", "", false}}, true},
        {{internal("zhangsan"), internal("newhire", "钱十一 合规质效督办")}, true},
        {{internal("zhangsan"), internal("sunqi")}, false},
        {{internal("zhangsan"), external("wm1", "马小明-合规质效督办")}, false},
        // An external contact called 周八 is not our 周八.
        {{internal("zhangsan"), GroupMember{"wm-3", "周八", "", true}}, false},
        {std::vector<GroupMember>{}, false},
    }));
    CHECK(has_compliance_member(members, directory, settings) == expected);
}

TEST_CASE("Who counts as compliance comes from the settings", "[first_members]") {
    auto settings = default_conventions();
    settings.compliance_titles = {};
    settings.compliance_departments = {"业务一线"};
    const auto directory = demo_directory();
    CHECK(has_compliance_member({internal("zhengshi")}, directory, settings));
    CHECK_FALSE(has_compliance_member({internal("zhouba")}, directory, settings));
}
