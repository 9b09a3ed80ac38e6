#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::reports {

/// 【简报】 (第九条（五）): progress reached offline (meetings, calls) announced in the project
/// group — 形式、时间、参与人员、邀约情况、阶段性共识、结论性成果、下一步. Recorded as B-n against
/// the company, appended to the follow-up history of its open demands (跟进情况记录), and
/// answered with a summary and what is missing.
Decision record_briefing(const HeaderCall& call);

}  // namespace ledgerbot::bot::reports
