#include "bot/dispatch.hpp"

#include <array>
#include <stdexcept>

#include "bot/chat/help.hpp"
#include "bot/conventions/convention_engine.hpp"
#include "bot/conventions/risk_notice_engine.hpp"
#include "bot/conventions/risk_register.hpp"
#include "bot/decision_context.hpp"
#include "bot/ledger/demand_commands.hpp"
#include "bot/ledger/ledger_query.hpp"
#include "bot/ledger/periodic_reviews.hpp"
#include "bot/operations/retention.hpp"
#include "bot/reply_routing.hpp"
#include "bot/reports/briefing.hpp"
#include "bot/reports/visit_lookup.hpp"
#include "bot/reports/visit_recording.hpp"
#include "bot/reports/visit_supplement.hpp"
#include "bot/reports/visit_withdrawal.hpp"
#include "bot/scoring/score_commands.hpp"
#include "bot/scoring/score_publisher.hpp"
#include "bot/text/chat_command.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::bot {

namespace {

// `/导出 台账 …` and `/导出 积分表 …`: the first word says which file; each feature builds its own.
Decision export_file(const CommandCall& call) {
    const std::vector<std::string> words = text::split_words(call.command.argument);
    const auto rest = [&] {
        const std::string trimmed = text::trim(call.command.argument);
        return text::trim(std::string_view(trimmed).substr(words.front().size()));
    };
    const auto& chat = call.settings.chat;
    if (!words.empty() && text::is_command_word(words.front(), chat.ledger_export_words)) {
        return ledger::export_ledger(call, rest());
    }
    if (!words.empty() && text::is_command_word(words.front(), chat.table_export_words)) {
        return scoring::export_table(call, rest());
    }
    Decision decision;
    DecisionContext ctx(call.settings, call.state, decision);
    ctx.notify(reply_target(call.message), "export_refused",
               {{"usage", true},
                {"command", "/" + call.command.word},
                {"ledger_word", chat.ledger_export_words.front()},
                {"table_word", chat.table_export_words.front()}});
    return decision;
}

}  // namespace

std::vector<CommandRow> command_rows(const settings::EngineSettings& settings) {
    std::vector<std::string> demand_words;
    for (const auto& [action, words] : settings.ledger.commands) {
        demand_words.insert(demand_words.end(), words.begin(), words.end());
    }
    return {
        {settings.risk_notices.acknowledge_commands, &conventions::acknowledge_risk},
        {settings.risk_notices.close_commands, &conventions::close_risk},
        {settings.chat.risk_commands, &conventions::show_risks, true},
        {settings.chat.ledger_commands, &ledger::show_ledger, true},
        {settings.chat.demand_commands, &ledger::show_demand},
        {settings.chat.export_commands, &export_file, true},
        // A member's name glued to these words is theirs: `/移出李四` is `/移出 李四`.
        {settings.conventions.stage_done_commands, &conventions::mark_stage_done, true},
        {settings.conventions.create_group_commands, &conventions::create_project_group},
        {settings.conventions.confirm_self_leave_commands, &conventions::confirm_self_leave, true},
        {settings.conventions.confirm_removed_commands, &conventions::confirm_removed, true},
        {settings.conventions.remove_member_commands, &conventions::remove_member, true},
        {demand_words, &ledger::update_demand},
        {settings.scores.check_commands, &scoring::check_visit},
        {settings.scores.review_commands, &scoring::review_scores},
        {settings.scores.score_commands, &scoring::show_scores},
        {settings.scores.table_commands, &scoring::show_table},
        {settings.report.supplement_commands, &reports::supplement_visit},
        {settings.report.show_commands, &reports::show_visit, true},
        {settings.report.withdraw_commands, &reports::withdraw_visit},
        {settings.chat.help_commands, &chat::show_help},
    };
}

std::vector<HeaderRow> header_rows(const settings::EngineSettings& settings) {
    return {
        {settings.risk_notices.headers, &conventions::raise_risk_notice, false},
        {settings.briefing.headers, &reports::record_briefing, false},
        {settings.report.headers, &reports::record_visit_report, true},
    };
}

std::span<const JobRow> job_rows() {
    static constexpr std::array<JobRow, 12> kJobs{{
        {"conventions-check", &conventions::check_groups},
        {"coverage-reminder", &ledger::remind_coverage},
        {"coverage-gaps", &ledger::report_coverage_gaps},
        {"monthly-digest", &ledger::send_monthly_digest},
        {"sla-check", &ledger::check_plan_deadlines},
        {"risk-escalation", &conventions::escalate_risk_notices},
        {"nickname-evening", &conventions::remind_nicknames},
        {"nickname-morning", &conventions::escalate_nicknames},
        {"score-draft", &scoring::draft_scores},
        {"weekly-scores", &scoring::publish_scores},
        {"annual-ranking", &scoring::announce_annual_ranking},
        {"retention", &operations::run_retention},
    }};
    return kJobs;
}

JobHandler job_handler(std::string_view name) {
    for (const JobRow& row : job_rows()) {
        if (row.name == name) {
            return row.handler;
        }
    }
    return nullptr;
}

CommandTable::CommandTable(std::vector<CommandRow> rows) : rows_(std::move(rows)) {
    std::vector<std::string> seen;
    for (const auto& row : rows_) {
        for (const auto& word : row.words) {
            if (std::find(seen.begin(), seen.end(), word) != seen.end()) {
                throw std::invalid_argument("the command word '" + word +
                                            "' is configured for two commands");
            }
            seen.push_back(word);
        }
    }
}

namespace {

// `V12`, `d-3`, `Ｒ２`: a record id glued to the command word (`/补充V12`). Anything else glued
// on makes another word (`/补充说明` is not `/补充`).
bool starts_with_record_id(std::string_view rest) {
    const std::u32string folded = text::fold_width(text::decode_utf8(rest));
    std::size_t i = 0;
    if (i >= folded.size() || !text::is_ascii_letter(folded[i])) {
        return false;
    }
    ++i;
    if (i < folded.size() && folded[i] == U'-') {
        ++i;
    }
    return i < folded.size() && text::is_digit(folded[i]);
}

}  // namespace

std::optional<CommandTable::Route> CommandTable::route(const text::ChatCommand& typed) const {
    const CommandRow* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& row : rows_) {
        for (const auto& word : row.words) {
            if (word == typed.word) {
                return Route{row.handler, typed};
            }
            if (word.size() > best_length && typed.word.size() > word.size() &&
                text::starts_with(typed.word, word) &&
                (row.glued_text ||
                 starts_with_record_id(std::string_view(typed.word).substr(word.size())))) {
                best = &row;
                best_length = word.size();
            }
        }
    }
    if (best == nullptr) {
        return std::nullopt;
    }
    // `/补充V12 联系电话：…`: the rest of the typed word leads the argument.
    std::string argument = typed.word.substr(best_length);
    if (!typed.argument.empty()) {
        argument += " " + typed.argument;
    }
    return Route{best->handler, text::ChatCommand{typed.word.substr(0, best_length), argument}};
}

}  // namespace ledgerbot::bot
