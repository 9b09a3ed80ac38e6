#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.hpp"

namespace {

using Catch::Matchers::Contains;
using ledgerbot::bot::TimeOfDay;
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
    const auto conventions = load_default_settings(no_environment).conventions;

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
    CHECK(conventions.nickname_check_time == TimeOfDay{20, 0});
    CHECK(conventions.nickname_risk_time == TimeOfDay{9, 0});
    CHECK_FALSE(conventions.check_external_nicknames);
}

TEST_CASE("An override file changes single convention keys", "[config][conventions]") {
    const auto conventions = load_settings_from_string(
                                 "[conventions]\n"
                                 "group_name_suffix = \"企业服务群\"\n"
                                 "first_members_grace_hours = 48\n"
                                 "nickname_check_time = \"18:30\"\n"
                                 "check_external_nicknames = true\n",
                                 "override.toml", no_environment)
                                 .conventions;
    CHECK(conventions.group_name_suffix == "企业服务群");
    CHECK(conventions.first_members_grace_seconds == 48 * 3600);
    CHECK(conventions.nickname_check_time == TimeOfDay{18, 30});
    CHECK(conventions.nickname_risk_time == TimeOfDay{9, 0});
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
        {"nickname_check_time = \"25:00\"",
         "'conventions.nickname_check_time' must be a time HH:MM"},
        {"nickname_check_time = \"8:00\"",
         "'conventions.nickname_check_time' must be a time HH:MM"},
        {"nickname_risk_time = \"09:60\"", "'conventions.nickname_risk_time' must be a time HH:MM"},
        {"nickname_risk_time = \"早上九点\"", "'conventions.nickname_risk_time' must be a time"},
        {"nickname_risk_time = 9", "'conventions.nickname_risk_time' must be a string"},
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
