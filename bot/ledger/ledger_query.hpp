#pragma once

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"

/// The service-demand ledger in chat (第七、八条), for what the asker's roles cover, about a
/// company in its own project group or directly to the asker (第十一条).
namespace ledgerbot::bot::ledger {

/// `/台账 星河新材`: the company's demands with status, owner, plan deadline and the latest
/// follow-up; `/台账` alone: the open demands the asker covers.
Decision show_ledger(const CommandCall& call);
/// `/需求 D3`: one demand with its whole follow-up history.
Decision show_demand(const CommandCall& call);
/// `/导出 台账 [企业]`: the ledger with the 第七条 columns as an xlsx file, to the asker
/// directly: every demand (open or closed) of the company, or of all companies they cover.
/// `argument` is what follows 台账.
Decision export_ledger(const CommandCall& call, const std::string& argument);

}  // namespace ledgerbot::bot::ledger
