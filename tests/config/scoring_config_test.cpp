#include <catch2/catch.hpp>

#include <string>

#include "config/config_loader.hpp"

using ledgerbot::config::ConfigError;
using ledgerbot::config::load_default_scoring_rules;
using ledgerbot::config::load_scoring_rules;

namespace {

const std::string kValid =
    "[truthfulness]\ncomplete = 2\naccurate = 2\nevidence = 1\nfull_marks_bonus = 0\n"
    "finding_deduction = 1\nvisits_per_company_per_year = 5\n"
    "omission_supplement_working_days = 3\nvisit_cap_scope = \"company_and_reporter\"\n"
    "[quality]\nlanded = 4\nrevenue = 8\nreferral_landed = 5\n"
    "first_visit_needs_landing = false\njoint_visit_share = 0.5\n";

std::string error_of(const std::string& text) {
    try {
        load_scoring_rules(text, "scoring.toml");
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("The embedded scoring rules are the article's", "[config][scoring]") {
    const auto rules = load_default_scoring_rules();
    CHECK(rules.complete == 2);
    CHECK(rules.accurate == 2);
    CHECK(rules.evidence == 1);
    CHECK(rules.full_marks_bonus == 2);
    CHECK(rules.finding_deduction == 1);
    CHECK(rules.visits_per_company_per_year == 3);
    CHECK(rules.omission_supplement_working_days == 2);
    CHECK_FALSE(rules.visit_cap_per_reporter);
    CHECK(rules.landed == 3);
    CHECK(rules.revenue == 10);
    CHECK(rules.referral_landed == 5);
    CHECK(rules.first_visit_needs_landing);
    CHECK(rules.joint_visit_share == 0.5);
}

TEST_CASE("Another centre's scoring file changes the values, not the code", "[config][scoring]") {
    const auto rules = load_scoring_rules(kValid, "scoring.toml");
    CHECK(rules.full_marks_bonus == 0);
    CHECK(rules.visits_per_company_per_year == 5);
    CHECK(rules.omission_supplement_working_days == 3);
    CHECK(rules.visit_cap_per_reporter);
    CHECK(rules.landed == 4);
    CHECK(rules.revenue == 8);
    CHECK_FALSE(rules.first_visit_needs_landing);
}

TEST_CASE("A bad scoring file is refused naming the key", "[config][scoring]") {
    CHECK_THAT(error_of(kValid + "[bonus]\nx = 1\n"), Catch::Contains("unknown key 'bonus'"));
    std::string negative = kValid;
    negative.replace(negative.find("landed = 4"), 10, "landed = -4");
    CHECK_THAT(error_of(negative), Catch::Contains("'quality.landed'"));
    std::string share = kValid;
    share.replace(share.find("0.5"), 3, "1.5");
    CHECK_THAT(error_of(share), Catch::Contains("'quality.joint_visit_share'"));
    std::string missing = kValid;
    missing.erase(missing.find("evidence = 1\n"), 13);
    CHECK_THAT(error_of(missing), Catch::Contains("truthfulness.evidence"));
    std::string scope = kValid;
    scope.replace(scope.find("company_and_reporter"), 20, "department");
    CHECK_THAT(error_of(scope), Catch::Contains("'truthfulness.visit_cap_scope'"));
    CHECK_THAT(error_of(kValid + "joint_split = \"half\"\n"),
               Catch::Contains("'quality.joint_split'"));
}

TEST_CASE("joint_split: absent means all, quality_only keeps truthfulness whole",
          "[config][scoring]") {
    CHECK(ledgerbot::config::load_scoring_rules(kValid, "centre.toml").joint_split_truthfulness);
    CHECK_FALSE(ledgerbot::config::load_scoring_rules(kValid + "joint_split = \"quality_only\"\n",
                                                      "centre.toml")
                    .joint_split_truthfulness);
}

TEST_CASE("omission_deadline in hours or working days, refused when unreadable or doubled",
          "[config][scoring]") {
    std::string base = kValid;
    base.erase(base.find("omission_supplement_working_days = 3\n"), 37);
    const auto with = [&](const std::string& value) {
        std::string text = base;
        text.insert(text.find("[quality]"), "omission_deadline = \"" + value + "\"\n");
        return text;
    };
    const auto rules = [](const std::string& text) {
        return ledgerbot::config::load_scoring_rules(text, "centre.toml");
    };
    CHECK(rules(with("24h")).omission_deadline_hours == 24);
    CHECK(rules(with("48 小时")).omission_deadline_hours == 48);
    CHECK(rules(with("1 working day")).omission_supplement_working_days == 1);
    CHECK(rules(with("1 working day")).omission_deadline_hours == 0);
    CHECK(rules(with("3个工作日")).omission_supplement_working_days == 3);
    CHECK_THAT(error_of(with("soon")), Catch::Contains("'truthfulness.omission_deadline'"));
    CHECK_THAT(error_of(with("0h")), Catch::Contains("omission_deadline"));
    std::string both = kValid;
    both.insert(both.find("[quality]"), "omission_deadline = \"24h\"\n");
    CHECK_THAT(error_of(both), Catch::Contains("keep one"));
}
