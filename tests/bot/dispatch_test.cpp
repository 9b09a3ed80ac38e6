#include "bot/dispatch.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <stdexcept>
#include <string>

#include "config/config_loader.hpp"

namespace {

using Catch::Matchers::Contains;
using ledgerbot::bot::CommandCall;
using ledgerbot::bot::CommandRow;
using ledgerbot::bot::CommandTable;
using ledgerbot::bot::Decision;
using ledgerbot::bot::text::ChatCommand;

Decision first(const CommandCall&) {
    return {};
}
Decision second(const CommandCall&) {
    return {};
}

ledgerbot::config::Settings default_settings() {
    return ledgerbot::config::load_default_settings(
        [](std::string_view) -> std::optional<std::string> { return std::nullopt; });
}

}  // namespace

TEST_CASE("A command word routes to its handler with the argument as typed", "[dispatch]") {
    const CommandTable table({{{"补充"}, &first}, {{"确认", "ack"}, &second}});

    const auto supplement = table.route(ChatCommand{"补充", "V12 联系电话：13912345678"});
    REQUIRE(supplement);
    CHECK(supplement->handler == &first);
    CHECK(supplement->command.word == "补充");
    CHECK(supplement->command.argument == "V12 联系电话：13912345678");

    const auto ack = table.route(ChatCommand{"ack", "R3"});
    REQUIRE(ack);
    CHECK(ack->handler == &second);
}

TEST_CASE("A record id typed against the command word is split off as the argument", "[dispatch]") {
    const CommandTable commands({{{"转介"}, &first}, {{"转介落地"}, &second}, {{"确认"}, &first}});
    const auto [typed, argument, word, handler] =
        GENERATE(table<std::string, std::string, std::string, decltype(&first)>({
            {"确认R2", "", "确认", &first},
            {"确认r2", "已整改", "确认", &first},
            {"确认Ｒ２", "", "确认", &first},
            {"转介D3", "部门：投行业务部", "转介", &first},
            {"转介落地D3", "", "转介落地", &second},
            {"转介落地D-3", "", "转介落地", &second},
        }));
    INFO(typed);
    const auto route = commands.route(ChatCommand{typed, argument});
    REQUIRE(route);
    CHECK(route->handler == handler);
    CHECK(route->command.word == word);
    const std::string rest = typed.substr(word.size());
    CHECK(route->command.argument == (argument.empty() ? rest : rest + " " + argument));
}

TEST_CASE("A longer word that only starts with a command word is another command", "[dispatch]") {
    const CommandTable table({{{"补充"}, &first}});
    const auto typed = GENERATE(as<std::string>{}, "补充说明", "补充V", "补充-12", "补充 ", "补");
    INFO(typed);
    CHECK_FALSE(table.route(ChatCommand{typed, "联系电话：13912345678"}).has_value());
}

TEST_CASE("One word configured for two commands is refused with its name", "[dispatch]") {
    CHECK_THROWS_WITH(CommandTable({{{"确认"}, &first}, {{"核查", "确认"}, &second}}),
                      Contains("'确认'"));
}

TEST_CASE("The shipped configuration routes every command word once", "[dispatch]") {
    const auto settings = default_settings();
    CHECK_NOTHROW(CommandTable(ledgerbot::bot::command_rows(settings.engine)));
    for (const auto& row : ledgerbot::bot::command_rows(settings.engine)) {
        CHECK_FALSE(row.words.empty());
    }
    for (const auto& row : ledgerbot::bot::header_rows(settings.engine)) {
        CHECK_FALSE(row.headers.empty());
    }
}

TEST_CASE("Every job of the shipped schedule has a handler, and only known names do",
          "[dispatch]") {
    const auto settings = default_settings();
    REQUIRE_FALSE(settings.schedule.jobs.empty());
    for (const auto& job : settings.schedule.jobs) {
        INFO(job.name);
        CHECK(ledgerbot::bot::job_handler(job.name) != nullptr);
    }
    CHECK(ledgerbot::bot::job_handler("weekly-score") == nullptr);
    CHECK(ledgerbot::bot::job_handler("") == nullptr);
}
