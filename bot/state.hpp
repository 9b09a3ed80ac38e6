#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/model/group_registry.hpp"
#include "bot/model/ledger_types.hpp"
#include "bot/model/points.hpp"
#include "bot/model/score_review.hpp"

namespace ledgerbot::bot {

/// The read-only view of current state the engine decides against. Storage implements it inside
/// the processing transaction; unit tests implement it in memory.
class State {
public:
    virtual ~State() = default;

    virtual const model::Directory& directory() const = 0;
    virtual std::int64_t next_visit_number() const = 0;
    virtual std::int64_t next_demand_number() const = 0;
    virtual std::int64_t next_risk_number() const = 0;

    /// A stored visit record, or nullopt when there is none with this number.
    virtual std::optional<model::VisitRecord> visit(std::int64_t number) const = 0;
    /// The latest (highest-numbered) record `reporter_id` reported in that chat, if any.
    virtual std::optional<model::VisitRecord> latest_visit_by(const std::string& reporter_id,
                                                              const std::string& channel,
                                                              const std::string& chat_id) const = 0;
    /// How many evidence items are attached to the record (not counting those whose bytes
    /// could not be fetched).
    virtual std::int64_t evidence_count(std::int64_t visit_number) const = 0;
    /// The latest `/补充 V12` with nothing else that `by_id` typed in that chat: the next image
    /// they post there is V12's evidence.
    virtual std::optional<model::EvidenceWait> evidence_wait(const std::string& by_id,
                                                             const std::string& channel,
                                                             const std::string& chat_id) const = 0;

    /// A registered group with all its members, or nullopt when the bot has not seen it.
    virtual std::optional<model::GroupView> group(std::string_view source,
                                                  std::string_view chat_id) const = 0;
    /// Every group 第九条 is enforced on (GroupRecord::enforced), for the scheduled checks.
    virtual std::vector<model::GroupView> enforced_groups() const = 0;

    virtual std::optional<model::Demand> demand(std::int64_t number) const = 0;
    /// Demands still waiting for a plan and an owner (status collected), for the 第八条 check.
    virtual std::vector<model::Demand> demands_awaiting_plan() const = 0;
    /// A company's demands not yet completed or found infeasible.
    virtual std::vector<model::Demand> open_demands(std::int64_t company_id) const = 0;
    /// Every demand of a company, open or closed, by number (/台账 <企业>).
    virtual std::vector<model::Demand> company_demands(std::int64_t company_id) const = 0;
    /// A demand's follow-up history (跟进情况记录), oldest first.
    virtual std::vector<model::DemandHistoryEntry> demand_history(std::int64_t number) const = 0;
    virtual std::int64_t next_briefing_number() const = 0;
    /// Every demand not yet completed or found infeasible, for the monthly digest (第十二条).
    virtual std::vector<model::Demand> all_open_demands() const = 0;
    /// Companies with at least one visit (phone or on site) whose visit time is in [from, to],
    /// for quarterly coverage (第六条).
    virtual std::vector<std::int64_t> companies_visited(std::int64_t from,
                                                        std::int64_t to) const = 0;

    /// Scoring (第十七条). Visit records whose visit time (or, without one, report time) is in
    /// [from, to], oldest first.
    virtual std::vector<model::VisitRecord> visits_between(std::int64_t from,
                                                           std::int64_t to) const = 0;
    /// What scoring reads besides the records themselves, for every record `visits_between`
    /// returns, by record number (records without any are absent). One read per kind, not per
    /// record: a year holds tens of thousands of records.
    virtual std::map<std::int64_t, model::VisitScoringDetails> scoring_details(
        std::int64_t from, std::int64_t to) const = 0;
    virtual std::optional<model::VisitVoid> visit_void(std::int64_t visit_number) const = 0;
    virtual std::optional<model::ScoreReview> score_review(const std::string& week,
                                                           const std::string& line) const = 0;

    /// The points journal. The visits of these companies whose time is in [from, to], oldest
    /// first: what a change to one visit can shift (annual cap places, first visits). Without
    /// their field values and raw text (`values` and `raw_text` may be empty); `missing` is set.
    virtual std::vector<model::VisitRecord> company_visits_between(
        const std::vector<std::int64_t>& companies, std::int64_t from, std::int64_t to) const = 0;
    /// These records as company_visits_between reads them (without field values and raw text),
    /// by number; those that do not exist are left out.
    virtual std::vector<model::VisitRecord> visits_for_journal(
        const std::vector<std::int64_t>& numbers) const {
        std::vector<model::VisitRecord> out;
        for (const std::int64_t number : numbers) {
            if (auto found = visit(number)) {
                out.push_back(std::move(*found));
            }
        }
        return out;
    }
    /// scoring_details for these records only.
    virtual std::map<std::int64_t, model::VisitScoringDetails> scoring_details_of(
        const std::vector<std::int64_t>& visit_numbers) const = 0;
    /// scoring_details_of `scored`, and of `cap_only` what only their annual cap places need:
    /// findings, supplements and void, not demands nor the evidence count. A journal update
    /// scores a company's latest record or few, and reads its year's earlier records for their
    /// cap places alone. By default all are read in full.
    virtual std::map<std::int64_t, model::VisitScoringDetails> scoring_details_for_journal(
        const std::vector<std::int64_t>& scored, const std::vector<std::int64_t>& cap_only) const {
        std::vector<std::int64_t> all = scored;
        all.insert(all.end(), cap_only.begin(), cap_only.end());
        return scoring_details_of(all);
    }
    /// Those of `companies` with a visit before `before`: not new companies any more.
    virtual std::vector<std::int64_t> companies_visited_before(
        const std::vector<std::int64_t>& companies, std::int64_t before) const = 0;
    /// Demands that came from no visit (/签约 <企业>), by number.
    virtual std::vector<model::Demand> demands_without_visit() const = 0;
    /// Visits with an omission finding whose deadline is in [from, to].
    virtual std::vector<std::int64_t> omission_deadlines_between(std::int64_t from,
                                                                 std::int64_t to) const = 0;
    /// Every journal entry about these visits, in journal order.
    virtual std::vector<model::PointEntry> point_entries_of_visits(
        const std::vector<std::int64_t>& visit_numbers) const = 0;
    /// Every journal entry dated in [from, to], in journal order.
    virtual std::vector<model::PointEntry> point_entries_between(std::int64_t from,
                                                                 std::int64_t to) const = 0;
    /// A line's table of a week as published, or nullopt when that week was not published.
    virtual std::optional<model::PublishedTable> published_table(const std::string& week,
                                                                 const std::string& line) const = 0;

    /// When the audit trail last recorded `action` on `subject`, or nullopt: for answers given
    /// at most so often (the stranger's "how to be added").
    virtual std::optional<std::int64_t> last_audited(const std::string& action,
                                                     const std::string& subject) const = 0;

    virtual std::optional<model::Risk> risk(std::int64_t number) const = 0;
    /// Open 【风险提示】 notices nobody has acknowledged yet, for the escalation check.
    virtual std::vector<model::Risk> unacknowledged_notices() const = 0;
    /// Every open risk in the register, oldest first (for /风险).
    virtual std::vector<model::Risk> open_risks() const = 0;
};

}  // namespace ledgerbot::bot
