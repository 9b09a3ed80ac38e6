#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "bot/decision.hpp"
#include "bot/decision_context.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/group_registry.hpp"

/// The risk register in chat: every risk — the bot's own (conventions, deadlines, coverage,
/// findings) and compliance's 【风险提示】 — is numbered R-n, listed by /风险 for what the asker's
/// roles cover, acknowledged with a note by the project's people (/确认 R5 已整改) and closed
/// with a note by compliance (/关闭 R5 说明).
namespace ledgerbot::bot::conventions {

/// A risk as the templates show it (risk_item, risk_summary, the console's risk page): its
/// number, rule, text, age, who was told and what became of it. `in_group` masks phone numbers
/// in compliance's own text.
nlohmann::json risk_fields(const model::Risk& risk, std::int64_t now, bool in_group,
                           const DecisionContext& ctx);
/// Who may `/确认` a risk: its lead, the company's account manager or a head of its department.
bool may_acknowledge(const std::string& who, const model::Risk& risk, const DecisionContext& ctx);
/// Who may `/关闭` it: compliance, or the person who raised it.
bool may_close(const std::string& who, const model::Risk& risk, const DecisionContext& ctx,
               const settings::EngineSettings& settings);

/// `/风险`, `/风险 星河新材`, `/风险 R12`.
Decision show_risks(const CommandCall& call);
/// `/确认 R5 [说明]`: the risk's lead, the company's account manager or a head of its
/// department.
Decision acknowledge_risk(const CommandCall& call);
/// `/关闭 R5 说明`: compliance, or the person who raised it.
Decision close_risk(const CommandCall& call);

}  // namespace ledgerbot::bot::conventions
