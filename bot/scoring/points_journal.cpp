#include "bot/scoring/points_journal.hpp"

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <variant>

#include "bot/scoring/score_sheet.hpp"
#include "bot/time/score_period.hpp"

namespace ledgerbot::bot::scoring {
namespace {

// An omission deadline this far back is still checked at each tick, so a missed day of ticks
// (a restart, an outage) does not skip one.
constexpr std::int64_t kOmissionLookback = 14 * 86400;
// Points are multiples of 0.01 after a share; anything smaller is rounding.
constexpr double kEpsilon = 1e-6;

// visit, demand (for entries of a demand without a visit, else 0), person, item
using Key = std::tuple<std::int64_t, std::int64_t, std::string, std::string>;

struct Target {
    double points = 0;
    std::int64_t at = 0;
    double share = 1;
    std::int64_t demand_number = 0;
    const ScoreRow* row = nullptr;
};

/// Why a row no longer has points it had: its zero line (voided, omission_overdue, …), if any.
std::string cause_of(const ScoreRow& row) {
    for (const ScoreLine& line : row.score.lines) {
        if (line.points == 0) {
            return line.item;
        }
    }
    return "changed";
}

}  // namespace

const char* rule_of_item(const std::string& item) {
    static const std::map<std::string, const char*> kRules{
        {"complete", "scoring.truthfulness.complete"},
        {"accurate", "scoring.truthfulness.accurate"},
        {"evidence", "scoring.truthfulness.evidence"},
        {"full_marks_bonus", "scoring.truthfulness.full_marks_bonus"},
        {"finding", "scoring.truthfulness.finding_deduction"},
        {"no_negative", "scoring.truthfulness.finding_deduction"},
        {"landed", "scoring.quality.landed"},
        {"revenue", "scoring.quality.revenue"},
        {"referral_landed", "scoring.quality.referral_landed"},
    };
    const auto it = kRules.find(item);
    return it == kRules.end() ? "scoring" : it->second;
}

bool is_quality_item(const std::string& item) {
    return item == "landed" || item == "revenue" || item == "referral_landed";
}

JournalScope journal_scope(const model::InboundEvent& event, const Decision& decided,
                           const State& state) {
    std::set<std::int64_t> visits;
    std::set<std::int64_t> demands;
    const auto add = [&](std::int64_t number) {
        if (number > 0) {
            visits.insert(number);
        }
    };
    for (const LedgerChange& change : decided.changes) {
        std::visit(
            [&](const auto& c) {
                using T = std::decay_t<decltype(c)>;
                if constexpr (std::is_same_v<T, VisitRecordCreated> ||
                              std::is_same_v<T, VisitRecordSupplemented>) {
                    add(c.record.number);
                } else if constexpr (std::is_same_v<T, DemandCreated> ||
                                     std::is_same_v<T, DemandUpdated>) {
                    if (c.demand.visit_number != 0) {
                        add(c.demand.visit_number);
                    } else {
                        demands.insert(c.demand.number);
                    }
                } else if constexpr (std::is_same_v<T, EvidenceAttached>) {
                    add(c.evidence.visit_number);
                } else if constexpr (std::is_same_v<T, EvidenceFetchRecorded>) {
                    add(c.fetch.visit_number);
                }
            },
            change);
    }
    for (const ScoreChange& change : decided.score_changes) {
        if (const auto* finding = std::get_if<FindingRecorded>(&change)) {
            add(finding->finding.visit_number);
        } else if (const auto* voided = std::get_if<VisitVoided>(&change)) {
            add(voided->voided.visit_number);
        }
    }
    if (event.type == model::EventType::tick) {
        for (const std::int64_t number :
             state.omission_deadlines_between(event.time - kOmissionLookback, event.time)) {
            add(number);
        }
    }
    return {{visits.begin(), visits.end()}, {demands.begin(), demands.end()}};
}

std::vector<model::PointEntry> reconcile_points(const State& state,
                                                const settings::ScoreSettings& settings,
                                                const JournalScope& scope, std::int64_t now) {
    if (scope.visits.empty() && scope.demands.empty()) {
        return {};
    }
    std::vector<ScoreRow> rows = score_visits(state, settings, scope.visits, now);
    for (ScoreRow& row : score_unvisited_demands(state, settings, scope.demands, now)) {
        rows.push_back(std::move(row));
    }
    std::set<std::int64_t> scored(scope.visits.begin(), scope.visits.end());
    const std::set<std::int64_t> demands(scope.demands.begin(), scope.demands.end());
    if (!demands.empty()) {
        scored.insert(0);  // their entries carry visit 0 and the demand's number
    }
    std::map<std::tuple<std::int64_t, std::int64_t, std::string>, const ScoreRow*> row_of;
    std::map<Key, Target> targets;
    for (const ScoreRow& row : rows) {
        scored.insert(row.visit_number);
        const std::int64_t demand = row.visit_number == 0 ? row.demand_number : 0;
        row_of[{row.visit_number, demand, row.staff_id}] = &row;
        for (const ScoreLine& line : row.score.lines) {
            if (line.points == 0) {
                continue;
            }
            Target& target = targets[{row.visit_number, demand, row.staff_id, line.item}];
            target.points += line.points;
            target.at = std::max(target.at, line.at);
            target.share = line.share;
            target.demand_number = line.demand_number;
            target.row = &row;
        }
    }
    std::map<Key, double> have;
    std::map<Key, model::PointEntry> last;
    for (model::PointEntry& entry :
         state.point_entries_of_visits(std::vector<std::int64_t>(scored.begin(), scored.end()))) {
        if (entry.visit_number == 0 && demands.count(entry.demand_number) == 0) {
            continue;  // another demand without a visit, not in this scope
        }
        const Key key{entry.visit_number, entry.visit_number == 0 ? entry.demand_number : 0,
                      entry.person_id, entry.item};
        have[key] += entry.points;
        last[key] = std::move(entry);
    }
    std::set<Key> keys;
    for (const auto& [key, target] : targets) {
        keys.insert(key);
    }
    for (const auto& [key, points] : have) {
        keys.insert(key);
    }

    std::map<std::pair<std::string, std::string>, bool> published;  // (week, line)
    std::vector<model::PointEntry> out;
    for (const Key& key : keys) {
        const auto target = targets.find(key);
        const double want = target == targets.end() ? 0 : target->second.points;
        const auto held = have.find(key);
        const double delta = want - (held == have.end() ? 0 : held->second);
        if (std::abs(delta) < kEpsilon) {
            continue;
        }
        const auto& [visit, demand, person, item] = key;
        model::PointEntry entry;
        const ScoreRow* row = target != targets.end() ? target->second.row : nullptr;
        if (row == nullptr) {
            const auto found = row_of.find({visit, demand, person});
            row = found == row_of.end() ? nullptr : found->second;
        }
        if (row != nullptr) {
            entry.person_name = row->staff_name;
            entry.department = row->department;
            entry.line = row->line;
            entry.company_id = row->company_id;
            entry.company = row->company;
        } else if (const auto before = last.find(key); before != last.end()) {
            // The person is no longer credited (a visitor removed by a supplement).
            entry.person_name = before->second.person_name;
            entry.department = before->second.department;
            entry.line = before->second.line;
            entry.company_id = before->second.company_id;
            entry.company = before->second.company;
        }
        entry.visit_number = visit;
        entry.demand_number = demand;
        entry.person_id = person;
        entry.item = item;
        entry.axis = is_quality_item(item) ? "quality" : "truthfulness";
        entry.rule = rule_of_item(item);
        entry.detail["article"] = 17;  // 第十七条 of the regulation
        entry.points = delta;
        entry.recorded_at = now;
        if (target != targets.end()) {
            entry.at = target->second.at != 0 ? target->second.at : now;
            entry.share = target->second.share;
            entry.demand_number = visit == 0 ? demand : target->second.demand_number;
            entry.detail["cause"] = held == have.end() ? "earned" : "changed";
        } else {
            entry.at = row != nullptr ? row->changed_at : now;
            entry.detail["cause"] = row != nullptr ? cause_of(*row) : "not_credited";
        }
        entry.at = std::min(entry.at, now);
        const std::string week = time::week_of(entry.at).label;
        const auto [known, inserted] = published.try_emplace({week, entry.line}, false);
        if (inserted) {
            known->second = state.published_table(week, entry.line).has_value();
        }
        if (known->second) {
            // 考评有据: a published week stays as published; the change counts now, as 调整.
            entry.adjusts_week = week;
            entry.detail["earned_at"] = entry.at;
            entry.at = now;
        }
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace ledgerbot::bot::scoring
