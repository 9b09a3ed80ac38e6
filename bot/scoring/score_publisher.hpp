#pragma once

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::scoring {

/// The scheduled side of 第十七、十八条:
///  - `score-draft` (Monday morning): each line director gets the line's draft table of the
///    previous ISO week (Mon–Sun, Asia/Shanghai) with how to approve or void.
///  - `weekly-scores` (Monday afternoon): the table of the previous week, per line, goes to the
///    configured internal groups in the appendix's layout, split under the byte limit; a line
///    its director has not approved is marked 未复核 and the director is reminded. A group with
///    external members is never posted to: compliance is told instead. The tick's run key makes
///    a restart harmless (the inbox refuses the second tick).
///  - `annual-ranking` (the last quarter's end): the year's totals per department and per line,
///    and 年度服务明星 for the highest department and line director.
class ScorePublisher {
public:
    explicit ScorePublisher(const settings::EngineSettings& settings) : settings_(settings) {}

    Decision draft_weekly(const model::InboundEvent& tick, const State& state) const;
    Decision publish_weekly(const model::InboundEvent& tick, const State& state) const;
    Decision announce_annual(const model::InboundEvent& tick, const State& state) const;

private:
    const settings::EngineSettings& settings_;
};

Decision draft_scores(const JobCall& call);
Decision publish_scores(const JobCall& call);
Decision announce_annual_ranking(const JobCall& call);

}  // namespace ledgerbot::bot::scoring
