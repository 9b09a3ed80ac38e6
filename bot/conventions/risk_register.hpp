#pragma once

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"

/// The risk register in chat: every risk — the bot's own (conventions, deadlines, coverage,
/// findings) and compliance's 【风险提示】 — is numbered R-n, listed by /风险 for what the asker's
/// roles cover, acknowledged with a note by the project's people (/确认 R5 已整改) and closed
/// with a note by compliance (/关闭 R5 说明).
namespace ledgerbot::bot::conventions {

/// `/风险`, `/风险 星河新材`, `/风险 R12`.
Decision show_risks(const CommandCall& call);
/// `/确认 R5 [说明]`: the risk's lead, the company's account manager or a head of its
/// department.
Decision acknowledge_risk(const CommandCall& call);
/// `/关闭 R5 说明`: compliance, or the person who raised it.
Decision close_risk(const CommandCall& call);

}  // namespace ledgerbot::bot::conventions
