#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::scoring {

/// The scoring commands (第十七条 考核规则):
///  - `/核查 V12 不准确 原因…` / `/核查 V12 遗漏 缺少…`: a director's finding, −1 each; an
///    omission must be supplemented with `/补充 V12 …` by its deadline or the visit scores 0.
///  - `/复核 通过 [2026-W47]`: the line director approves the line's table of that week (the
///    previous week by default); `/复核 作废 V12 原因…` voids a doubtful record, which scores
///    nothing and is reported to compliance.
///  - `/积分`: the sender's points with the breakdown; `/积分 V12`: one visit's.
/// Answers carry scores and companies, so outside a direct chat they go to the sender directly.
class ScoreCommands {
public:
    explicit ScoreCommands(const settings::EngineSettings& settings) : settings_(settings) {}

    /// `argument` is the text after the command word; `words` the same split at spaces.
    Decision check(const model::InboundEvent& message, const State& state,
                   const std::string& argument, const std::vector<std::string>& words) const;
    Decision review(const model::InboundEvent& message, const State& state,
                    const std::string& argument, const std::vector<std::string>& words) const;
    Decision show(const model::InboundEvent& message, const State& state,
                  const std::vector<std::string>& words) const;

private:
    const settings::EngineSettings& settings_;
};

/// Spot checks and voids (/核查, /复核 作废): the director of the record's line, or a reviewer
/// title (业务总监或上级领导).
bool may_review_record(const model::StaffMember* staff, const model::VisitRecord& visit,
                       const settings::ScoreSettings& scores, const model::Directory& directory);

Decision check_visit(const CommandCall& call);
Decision review_scores(const CommandCall& call);
Decision show_scores(const CommandCall& call);
/// `/积分表 [2026-W47] [条线]`: the week's table (the previous week by default) for the line
/// directors of their lines, reviewers and compliance for every line: the published table as
/// published, else the current draft with the version `/复核 通过` would approve. To the asker.
Decision show_table(const CommandCall& call);
/// `/导出 积分表 [2026-W47] [条线]`: the same tables as xlsx files, to the asker directly;
/// `argument` is what follows 积分表.
Decision export_table(const CommandCall& call, const std::string& argument);

}  // namespace ledgerbot::bot::scoring
