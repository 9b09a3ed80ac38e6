#pragma once

#include <cstdint>
#include <vector>

#include "bot/decision.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/model/points.hpp"
#include "bot/settings/score_settings.hpp"
#include "bot/state.hpp"

/// The points journal (积分流水, 第十七条): after every event the points of the visits it touched
/// are scored again, and the difference to what the journal holds is appended, dated when it
/// was earned or lost. Nothing in the journal is changed afterwards: a difference dated in a
/// week already published is entered now, as an adjustment (调整) of that week.
namespace ledgerbot::bot::scoring {

/// What a journal update scores again: visits, and demands that came from no visit.
struct JournalScope {
    std::vector<std::int64_t> visits;
    std::vector<std::int64_t> demands;  ///< demands without a visit (/签约 <企业>)
};

/// What `decided` may have changed: records created or supplemented, evidence, demands,
/// findings and voids; on a tick also visits whose omission deadline passed in the last days
/// (an unsupplemented omission costs the visit its points at the deadline).
JournalScope journal_scope(const model::InboundEvent& event, const Decision& decided,
                           const State& state);

/// The entries that bring the scope's points in the journal to what the rules give at `now`
/// (the visits of the same companies in the same years come along: cap places move together).
/// A demand without a visit earns its quality points (落地, 创收, 推荐落地) for the person
/// credited: its owner, else the company's account manager. Empty when the journal agrees.
std::vector<model::PointEntry> reconcile_points(const State& state,
                                                const settings::ScoreSettings& settings,
                                                const JournalScope& scope, std::int64_t now);

/// The config key of an item's points (scoring.truthfulness.complete, …) and its axis.
const char* rule_of_item(const std::string& item);
bool is_quality_item(const std::string& item);

}  // namespace ledgerbot::bot::scoring
