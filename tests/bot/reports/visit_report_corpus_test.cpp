// The visit report corpus: realistic chat messages under tests/fixtures/visit_reports/cases/,
// one file per message, each saying what a careful colleague would file from it (see the
// README there). Every field of every case must come out right; bench/report_accuracy prints
// the same comparison as per-field accuracy.

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "config/config_loader.hpp"
#include "tests/bot/visit_report_fixtures.hpp"
#include "tests/support/report_corpus.hpp"

namespace corpus = ledgerbot::testing::report_corpus;

TEST_CASE("The visit report corpus holds at least 250 messages of every kind") {
    const auto cases = corpus::load(ledgerbot::testing::visit_report_fixtures());
    CHECK(cases.size() >= 250);
    auto count = [&](const std::string& kind) {
        return std::count_if(cases.begin(), cases.end(),
                             [&](const auto& c) { return c.expect.at("is_report") == kind; });
    };
    CHECK(count("yes") >= 150);
    CHECK(count("plan") >= 15);
    CHECK(count("no") >= 40);
    CHECK(static_cast<std::size_t>(count("yes") + count("plan") + count("no")) == cases.size());
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(c.expect.count("message_time") == 1);
        CHECK(c.expect.count("note") == 1);
        if (c.expect.at("is_report") == "yes") {
            for (const auto& key : corpus::required_report_keys()) {
                INFO("key " << key);
                CHECK(c.expect.count(key) == 1);
            }
        }
    }
}

TEST_CASE("Every corpus message parses the way its case file says") {
    const auto settings = ledgerbot::config::load_default_settings().engine.report;
    const auto fixtures = ledgerbot::testing::visit_report_fixtures();
    const auto directory = corpus::directory(fixtures);
    for (const auto& c : corpus::load(fixtures)) {
        DYNAMIC_SECTION(c.name) {
            INFO("note: " << c.expect.at("note"));
            INFO("text: " << c.text);
            for (const auto& result : corpus::score(c, directory, settings)) {
                INFO("field " << result.field << ": expected '" << result.expected << "', got '"
                              << result.actual << "'");
                CHECK(result.right);
            }
        }
    }
}

TEST_CASE("On held-out messages the parser gets at least 95% of the fields right") {
    const auto settings = ledgerbot::config::load_default_settings().engine.report;
    const auto fixtures =
        ledgerbot::testing::visit_report_fixtures().parent_path() / "visit_reports_heldout";
    const auto directory = corpus::directory(fixtures);
    const auto cases = corpus::load(fixtures);
    REQUIRE(cases.size() >= 40);
    int right = 0;
    int stated = 0;
    for (const auto& c : cases) {
        for (const auto& result : corpus::score(c, directory, settings)) {
            ++stated;
            right += result.right ? 1 : 0;
            if (!result.right) {
                WARN(c.name << " " << result.field << ": expected '" << result.expected
                            << "', got '" << result.actual << "'");
            }
        }
    }
    CHECK(right * 100 >= stated * 95);
}
