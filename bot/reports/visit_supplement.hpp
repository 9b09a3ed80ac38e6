#pragma once

#include <optional>

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::reports {

/// `/补充 V12 联系电话：13912345678 企业联系人：王总` (also `/补充 v12`, `V-12`, fields on
/// separate lines, full-width colons): adds fields to a visit record after it was reported.
///
/// The fields are read by the visit report parser (labels and aliases from [report], dates
/// relative to the message time, phone validation), and only fields written under a label count:
/// guessing from free text is right for a whole report but would let a passing word (客户反馈：
/// 电话里说…) overwrite a recorded mode or time. New values replace old ones, a supplemented
/// company re-resolves the company id, `missing` is recomputed, and stated demands become new
/// ledger rows. Who may: see VisitEditors; others are told who may.
class VisitSupplement {
public:
    explicit VisitSupplement(const settings::EngineSettings& settings) : settings_(settings) {}

    /// `argument`: the text after the command word.
    Decision supplement(const model::InboundEvent& message, const std::string& argument,
                        const State& state) const;

private:
    const settings::EngineSettings& settings_;
};

/// The `/补充` command's handler.
Decision supplement_visit(const CommandCall& call);

}  // namespace ledgerbot::bot::reports
