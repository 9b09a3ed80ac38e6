#include "bot/conventions/nickname_rule.hpp"
#include "bot/staff_roles.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "tests/bot/convention_fixtures.hpp"

namespace {

using ledgerbot::bot::find_role_word;
using ledgerbot::bot::conventions::check_nickname;
using ledgerbot::bot::conventions::NicknameProblem;
using ledgerbot::bot::conventions::to_code;
using ledgerbot::bot::model::GroupMember;
using ledgerbot::tests::default_conventions;
using ledgerbot::tests::demo_directory;

GroupMember staff(std::string id, std::string name) {
    return GroupMember{std::move(id), std::move(name), {}, false};
}

}  // namespace

TEST_CASE("A nickname of the directory name and a vocabulary role passes, however separated",
          "[nickname]") {
    const auto [id, name, nickname, name_part, role] =
        GENERATE(table<std::string, std::string, std::string, std::string, std::string>({
            {"zhangsan", "张三", "张三-项目负责人", "张三", "项目负责人"},
            {"zhangsan", "张三", "张三项目负责人", "张三", "项目负责人"},
            {"zhangsan", "张三", "张三 — 项目顾问", "张三", "项目顾问"},
            {"zhangsan", "张三", "张三_财务专员", "张三", "财务专员"},
            {"zhangsan", "张三", "张三/项目专员1", "张三", "项目专员1"},
            {"zhangsan", "张三", "张三（项目负责人）", "张三", "项目负责人"},
            {"zhangsan", "张三", "【张三】项目负责人", "张三", "项目负责人"},
            {"zhangsan", "张三", "张三－项目负责人", "张三", "项目负责人"},
            {"zhangsan", "张三", "张三·项目负责人", "张三", "项目负责人"},
            {"lisi", "李四", "李四 合规质效督办", "李四", "合规质效督办"},
            {"lisi", "李四", "李四\u3000项目顾问", "李四", "项目顾问"},
            {"wangwu", "王五", "王五项目专员2", "王五", "项目专员2"},
            {"wangwu", "王五", "王五项目专员２", "王五", "项目专员2"},
            {"wangwu", "王五", "王五 项目专员 2", "王五", "项目专员2"},
            {"wangwu", "王五", "  王五-项目负责人  ", "王五", "项目负责人"},
            {"ouyang", "欧阳 娜娜", "欧阳娜娜-项目专员1", "欧阳娜娜", "项目专员1"},
            {"ouyang", "欧阳 娜娜", "欧阳·娜娜 项目专员1", "欧阳·娜娜", "项目专员1"},
            // Not found by id (a WeCom user id that differs): found by the platform name.
            {"wx-7f3a", "周八", "周八-合规质效督办", "周八", "合规质效督办"},
        }));
    const auto verdict =
        check_nickname(nickname, staff(id, name), demo_directory(), default_conventions());
    INFO(nickname);
    CHECK(verdict.ok);
    CHECK(to_code(verdict.problem) == "none");
    CHECK(verdict.name_part == name_part);
    CHECK(verdict.role == role);
}

TEST_CASE("A nickname that breaks the rule says what is wrong and shows a conforming example",
          "[nickname]") {
    const auto [id, nickname, problem, name_part, role, example] = GENERATE(
        table<std::string, std::string, std::string, std::string, std::string, std::string>({
            {"zhangsan", "张三", "missing_role", "张三", "", "张三-项目负责人"},
            {"zhangsan", "张 三", "missing_role", "张三", "", "张三-项目负责人"},
            {"zhangsan", "张三丰-项目负责人", "name_mismatch", "张三丰", "项目负责人",
             "张三-项目负责人"},
            {"zhangsan", "李四 项目顾问", "name_mismatch", "李四", "项目顾问", "张三-项目顾问"},
            {"zhangsan", "项目负责人", "missing_name", "", "项目负责人", "张三-项目负责人"},
            {"zhangsan", "-项目专员1", "missing_name", "", "项目专员1", "张三-项目专员1"},
            {"zhangsan", "", "empty", "", "", "张三-项目负责人"},
            {"zhangsan", "  ", "empty", "", "", "张三-项目负责人"},
            {"zhangsan", "张三-客户经理", "unknown_role", "张三", "客户经理", "张三-项目负责人"},
            {"zhangsan", "张三经理", "unknown_role", "张三", "经理", "张三-项目负责人"},
            {"zhangsan", "张三-项目专员3", "unknown_role", "张三", "项目专员3", "张三-项目负责人"},
            {"zhangsan", "项目负责人-张三", "role_before_name", "张三", "项目负责人",
             "张三-项目负责人"},
            // Titles suggest the role when the nickname shows none.
            {"wangwu", "王五", "missing_role", "王五", "", "王五-项目负责人"},
            {"zhouba", "周八", "missing_role", "周八", "", "周八-合规质效督办"},
            {"zhouba", "周八-合规", "unknown_role", "周八", "合规", "周八-合规质效督办"},
        }));
    const auto directory = demo_directory();
    const auto* member = directory.find_staff(id);
    REQUIRE(member);
    const auto verdict =
        check_nickname(nickname, staff(id, member->name), directory, default_conventions());
    INFO(nickname);
    CHECK_FALSE(verdict.ok);
    CHECK(to_code(verdict.problem) == problem);
    CHECK(verdict.name_part == name_part);
    CHECK(verdict.role == role);
    CHECK(verdict.expected_name == member->name);
    CHECK(verdict.expected_example == example);
}

TEST_CASE("The directory name wins over the platform name for staff found by id", "[nickname]") {
    // The platform shows an English display name; the nickname must still use 张三.
    const GroupMember member{"zhangsan", "Zhang San", "", false};
    const auto verdict =
        check_nickname("Zhang San-项目负责人", member, demo_directory(), default_conventions());
    CHECK(verdict.problem == NicknameProblem::name_mismatch);
    CHECK(verdict.expected_example == "张三-项目负责人");
}

TEST_CASE("An internal member missing from the directory is held to their platform name",
          "[nickname]") {
    const GroupMember member{"newhire", "钱十一", "", false};
    const auto settings = default_conventions();
    CHECK(check_nickname("钱十一-项目专员1", member, demo_directory(), settings).ok);
    const auto wrong = check_nickname("钱十二-项目专员1", member, demo_directory(), settings);
    CHECK(wrong.problem == NicknameProblem::name_mismatch);
    CHECK(wrong.expected_example == "钱十一-项目专员1");
}

TEST_CASE("External members are only checked when configured, and then without a name to match",
          "[nickname]") {
    // An external contact named like staff is not that staff member.
    const GroupMember external{"wm-external-1", "张三", "", true};
    auto settings = default_conventions();
    REQUIRE_FALSE(settings.check_external_nicknames);

    const auto skipped = check_nickname("随便写写", external, demo_directory(), settings);
    CHECK(skipped.ok);
    CHECK(skipped.problem == NicknameProblem::not_checked);

    settings.check_external_nicknames = true;
    const auto [nickname, problem, example] =
        GENERATE(table<std::string, std::string, std::string>({
            {"马小明-财务专员", "none", "马小明-财务专员"},
            {"马小明", "missing_role", "马小明-项目负责人"},
            {"马小明-董事长", "unknown_role", "马小明-项目负责人"},
            {"财务专员", "missing_name", "张三-财务专员"},
        }));
    const auto verdict = check_nickname(nickname, external, demo_directory(), settings);
    INFO(nickname);
    CHECK(to_code(verdict.problem) == problem);
    CHECK(verdict.expected_name.empty());
    CHECK(verdict.expected_example == example);
}

TEST_CASE("An external member with no name at all gets no example", "[nickname]") {
    auto settings = default_conventions();
    settings.check_external_nicknames = true;
    const GroupMember external{"wm-external-2", "", "", true};
    const auto verdict = check_nickname("", external, demo_directory(), settings);
    CHECK(verdict.problem == NicknameProblem::empty);
    CHECK(verdict.expected_example.empty());
}

TEST_CASE("The role vocabulary comes from the settings", "[nickname]") {
    auto settings = default_conventions();
    settings.role_words = {"经理", "项目经理"};
    const auto member = staff("zhangsan", "张三");
    CHECK(check_nickname("张三-经理", member, demo_directory(), settings).ok);
    // The longest word wins, so 项目 is not read as part of the name.
    const auto manager = check_nickname("张三项目经理", member, demo_directory(), settings);
    CHECK(manager.ok);
    CHECK(manager.name_part == "张三");
    CHECK(manager.role == "项目经理");
    CHECK(check_nickname("张三-项目负责人", member, demo_directory(), settings).problem ==
          NicknameProblem::unknown_role);
}

TEST_CASE("The role word at the end of a nickname is found as configured", "[nickname]") {
    const auto settings = default_conventions();
    CHECK(find_role_word("王五项目专员２", settings) == "项目专员2");
    CHECK(find_role_word("李四 合规质效督办 ", settings) == "合规质效督办");
    CHECK(find_role_word("张三（项目负责人）", settings) == "项目负责人");
    CHECK_FALSE(find_role_word("项目负责人-张三", settings).has_value());
    CHECK_FALSE(find_role_word("张三", settings).has_value());
    CHECK_FALSE(find_role_word("", settings).has_value());
}
