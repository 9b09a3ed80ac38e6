#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.hpp"

namespace {

using Catch::Matchers::Contains;
using ledgerbot::bot::settings::TimeOfDay;
using ledgerbot::config::ConfigError;
using ledgerbot::config::load_default_settings;
using ledgerbot::config::load_settings_from_string;

std::optional<std::string> no_environment(std::string_view) {
    return std::nullopt;
}

std::string error_of(const std::string& toml) {
    try {
        load_settings_from_string(toml, "override.toml", no_environment);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("The embedded defaults carry the 第九条 conventions", "[config][conventions]") {
    const auto conventions = load_default_settings(no_environment).engine.conventions;

    CHECK(conventions.group_name_suffix == "服务项目专属服务群");
    CHECK(conventions.near_miss_suffixes.front() == "服务项目专属群");
    CHECK(conventions.group_name_grace_seconds == 24 * 3600);
    CHECK(conventions.role_words == std::vector<std::string>{"项目负责人", "项目顾问",
                                                             "合规质效督办", "财务专员",
                                                             "项目专员1", "项目专员2"});
    CHECK(conventions.nickname_separators.front() == "-");
    CHECK(conventions.executor_titles == std::vector<std::string>{"项目负责人"});
    CHECK(conventions.account_manager_is_executor);
    CHECK_FALSE(conventions.owner_counts_as_executor);
    CHECK(conventions.department_head_titles == std::vector<std::string>{"部门负责人"});
    CHECK(conventions.compliance_titles == std::vector<std::string>{"合规", "合规质效督办"});
    CHECK(conventions.compliance_departments == std::vector<std::string>{"合规风控部"});
    CHECK(conventions.compliance_roles == std::vector<std::string>{"合规质效督办"});
    CHECK(conventions.first_members_grace_seconds == 24 * 3600);
    CHECK(conventions.first_members_reminder_seconds == 3600);
    CHECK(conventions.supervisor_titles == std::vector<std::string>{"条线业务总监"});
    CHECK(conventions.stage_done_commands == std::vector<std::string>{"阶段完成", "阶段完结"});
    CHECK(conventions.create_group_commands == std::vector<std::string>{"建群"});
    // The morning nickname job's time, so a reminder can name the deadline.
    CHECK(conventions.nickname_risk_time == TimeOfDay{9, 0});
    CHECK_FALSE(conventions.check_external_nicknames);
}

TEST_CASE("An override file changes single convention keys", "[config][conventions]") {
    const auto conventions = load_settings_from_string(
                                 "[conventions]\n"
                                 "group_name_suffix = \"企业服务群\"\n"
                                 "first_members_grace_hours = 48\n"
                                 "check_external_nicknames = true\n"
                                 "[[schedule.jobs]]\n"
                                 "name = \"nickname-morning\"\n"
                                 "at = \"daily 08:30\"\n"
                                 "enabled = true\n",
                                 "override.toml", no_environment)
                                 .engine.conventions;
    CHECK(conventions.group_name_suffix == "企业服务群");
    CHECK(conventions.first_members_grace_seconds == 48 * 3600);
    CHECK(conventions.nickname_risk_time == TimeOfDay{8, 30});
    CHECK(conventions.check_external_nicknames);
}

TEST_CASE("An unknown convention key is rejected by name", "[config][conventions]") {
    CHECK_THAT(error_of("[conventions]\nrole_word = [\"项目负责人\"]\n"),
               Contains("unknown key 'conventions.role_word'"));
    CHECK_THAT(error_of("[conventions]\nnickname_check = \"20:00\"\n"),
               Contains("unknown key 'conventions.nickname_check'"));
}

TEST_CASE("Bad convention values are rejected naming the key", "[config][conventions]") {
    const auto [toml, message] = GENERATE(table<std::string, std::string>({
        {"nickname_check_time = \"20:00\"", "unknown key 'conventions.nickname_check_time'"},
        {"first_members_reminder_minutes = 1500",
         "'conventions.first_members_reminder_minutes' must not be later than"},
        {"stage_done_commands = []", "'conventions.stage_done_commands' must list at least one"},
        {"create_group_commands = [\"/建群\"]",
         "'conventions.create_group_commands' entries are words without '/'"},
        {"group_name_suffix = \"\"", "'conventions.group_name_suffix' must not be empty"},
        {"role_words = []", "'conventions.role_words' must list at least one role word"},
        {"role_words = [\"项目负责人\", \"\"]", "'conventions.role_words' must not contain"},
        {"nickname_separators = [\"--\"]",
         "'conventions.nickname_separators' entries must be single"},
        {"nickname_separators = [\"\"]",
         "'conventions.nickname_separators' entries must be single"},
        {"executor_roles = [\"项目经理\"]",
         "'conventions.executor_roles' names '项目经理' that conventions.role_words lacks"},
        {"compliance_roles = [\"合规\"]", "'conventions.compliance_roles' names '合规'"},
        {"first_members_grace_hours = -1",
         "'conventions.first_members_grace_hours' must be an integer"},
        {"group_name_grace_hours = 721", "'conventions.group_name_grace_hours' must be an integer"},
        {"check_external_nicknames = \"no\"",
         "'conventions.check_external_nicknames' must be true"},
        {"near_miss_suffixes = \"服务群\"", "'conventions.near_miss_suffixes' must be an array"},
    }));
    CHECK_THAT(error_of("[conventions]\n" + toml + "\n"), Contains(message));
}
