#pragma once

#include <algorithm>
#include <limits>
#include <map>
#include <utility>
#include <variant>
#include <vector>

#include "bot/decision.hpp"
#include "bot/state.hpp"

namespace ledgerbot::tests {

/// The engine's state port in memory: a directory, counters, visit records with their evidence,
/// and a group registry, applying each decision's changes the way storage does, so tests can
/// play event sequences.
class InMemoryState final : public bot::State {
public:
    explicit InMemoryState(bot::model::Directory directory, std::int64_t next_visit = 1,
                           std::int64_t next_demand = 1)
        : directory_(std::move(directory)), next_visit_(next_visit), next_demand_(next_demand) {}

    const bot::model::Directory& directory() const override { return directory_; }
    std::int64_t next_visit_number() const override { return next_visit_; }
    std::int64_t next_demand_number() const override { return next_demand_; }
    std::int64_t next_risk_number() const override {
        return risks_.empty() ? 1 : risks_.rbegin()->first + 1;
    }

    std::optional<bot::model::VisitRecord> visit(std::int64_t number) const override {
        const auto it = visits_.find(number);
        if (it == visits_.end()) {
            return std::nullopt;
        }
        return it->second;
    }

    std::optional<bot::model::VisitRecord> latest_visit_by(
        const std::string& reporter_id, const std::string& channel,
        const std::string& chat_id) const override {
        for (auto it = visits_.rbegin(); it != visits_.rend(); ++it) {
            const bot::model::VisitRecord& r = it->second;
            if (r.reporter_id == reporter_id && r.channel == channel && r.chat_id == chat_id) {
                return r;
            }
        }
        return std::nullopt;
    }

    std::optional<bot::model::EvidenceWait> evidence_wait(
        const std::string& by_id, const std::string& channel,
        const std::string& chat_id) const override {
        for (auto it = waits_.rbegin(); it != waits_.rend(); ++it) {
            if (it->by_id == by_id && it->channel == channel && it->chat_id == chat_id) {
                return *it;
            }
        }
        return std::nullopt;
    }

    std::int64_t evidence_count(std::int64_t visit_number) const override {
        return static_cast<std::int64_t>(std::count_if(
            evidence_.begin(), evidence_.end(),
            [&](const bot::model::Evidence& e) { return e.visit_number == visit_number; }));
    }

    std::optional<bot::model::GroupView> group(std::string_view source,
                                               std::string_view chat_id) const override {
        const auto it = groups_.find({std::string(source), std::string(chat_id)});
        if (it == groups_.end()) {
            return std::nullopt;
        }
        return it->second;
    }

    std::vector<bot::model::GroupView> enforced_groups() const override {
        std::vector<bot::model::GroupView> out;
        for (const auto& [key, view] : groups_) {
            if (view.group.enforced()) {
                out.push_back(view);
            }
        }
        return out;
    }

    std::optional<bot::model::Demand> demand(std::int64_t number) const override {
        const auto it = demands_.find(number);
        return it == demands_.end() ? std::nullopt : std::optional(it->second);
    }

    std::vector<bot::model::Demand> demands_awaiting_plan() const override {
        std::vector<bot::model::Demand> out;
        for (const auto& [number, demand] : demands_) {
            if (demand.status == "collected") {
                out.push_back(demand);
            }
        }
        return out;
    }

    std::vector<bot::model::Demand> open_demands(std::int64_t company_id) const override {
        std::vector<bot::model::Demand> out;
        for (const auto& [number, demand] : demands_) {
            if (demand.company_id == company_id && demand.open()) {
                out.push_back(demand);
            }
        }
        return out;
    }

    std::vector<bot::model::Demand> company_demands(std::int64_t company_id) const override {
        std::vector<bot::model::Demand> out;
        for (const auto& [number, demand] : demands_) {
            if (demand.company_id == std::optional<std::int64_t>{company_id} &&
                demand.status != "withdrawn") {
                out.push_back(demand);
            }
        }
        return out;
    }
    std::vector<bot::model::DemandHistoryEntry> demand_history(std::int64_t number) const override {
        std::vector<bot::model::DemandHistoryEntry> out;
        for (const auto& entry : history_) {
            if (entry.demand_number == number) {
                out.push_back(entry);
            }
        }
        return out;
    }
    std::vector<bot::model::Demand> all_open_demands() const override {
        std::vector<bot::model::Demand> out;
        for (const auto& [number, demand] : demands_) {
            if (demand.open()) {
                out.push_back(demand);
            }
        }
        return out;
    }

    std::vector<std::int64_t> companies_visited(std::int64_t from, std::int64_t to) const override {
        std::vector<std::int64_t> out;
        for (const auto& [number, visit] : visits_) {
            const auto voided = voids_.find(number);
            if (voided != voids_.end() && voided->second.withdrawn) {
                continue;
            }
            if (visit.company_id && visit.visit_time && *visit.visit_time >= from &&
                *visit.visit_time <= to &&
                std::find(out.begin(), out.end(), *visit.company_id) == out.end()) {
                out.push_back(*visit.company_id);
            }
        }
        return out;
    }

    std::int64_t next_briefing_number() const override {
        return static_cast<std::int64_t>(briefings_.size()) + 1;
    }
    const std::vector<bot::model::Briefing>& briefings() const { return briefings_; }

    std::vector<bot::model::VisitRecord> visits_between(std::int64_t from,
                                                        std::int64_t to) const override {
        std::vector<bot::model::VisitRecord> out;
        for (const auto& [number, visit] : visits_) {
            const std::int64_t at = visit.visit_time.value_or(visit.reported_at);
            if (at >= from && at <= to) {
                out.push_back(visit);
            }
        }
        std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return a.visit_time.value_or(a.reported_at) < b.visit_time.value_or(b.reported_at);
        });
        return out;
    }

    std::map<std::int64_t, bot::model::VisitScoringDetails> scoring_details(
        std::int64_t from, std::int64_t to) const override {
        std::map<std::int64_t, bot::model::VisitScoringDetails> out;
        for (const auto& visit : visits_between(from, to)) {
            bot::model::VisitScoringDetails& d = out[visit.number];
            for (const auto& [number, demand] : demands_) {
                if (demand.visit_number == visit.number) {
                    d.demands.push_back(demand);
                }
            }
            for (const auto& supplement : supplements_) {
                if (supplement.record.number == visit.number) {
                    d.supplement_times.push_back(supplement.at);
                }
            }
            for (const auto& finding : findings_) {
                if (finding.visit_number == visit.number) {
                    d.findings.push_back(finding);
                }
            }
            d.voided = visit_void(visit.number);
            d.evidence = evidence_count(visit.number);
        }
        return out;
    }

    std::optional<bot::model::VisitVoid> visit_void(std::int64_t visit_number) const override {
        const auto it = voids_.find(visit_number);
        return it == voids_.end() ? std::nullopt : std::optional(it->second);
    }

    std::optional<bot::model::ScoreReview> score_review(const std::string& week,
                                                        const std::string& line) const override {
        const auto it = reviews_.find({week, line});
        return it == reviews_.end() ? std::nullopt : std::optional(it->second);
    }

    std::vector<bot::model::VisitRecord> company_visits_between(
        const std::vector<std::int64_t>& companies, std::int64_t from,
        std::int64_t to) const override {
        std::vector<bot::model::VisitRecord> out = visits_between(from, to);
        std::erase_if(out, [&](const bot::model::VisitRecord& visit) {
            return !visit.company_id || std::find(companies.begin(), companies.end(),
                                                  *visit.company_id) == companies.end();
        });
        return out;
    }

    std::map<std::int64_t, bot::model::VisitScoringDetails> scoring_details_of(
        const std::vector<std::int64_t>& visit_numbers) const override {
        std::map<std::int64_t, bot::model::VisitScoringDetails> all = scoring_details(
            std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
        std::map<std::int64_t, bot::model::VisitScoringDetails> out;
        for (const std::int64_t number : visit_numbers) {
            if (const auto it = all.find(number); it != all.end()) {
                out.insert(*it);
            }
        }
        return out;
    }

    std::vector<std::int64_t> companies_visited_before(const std::vector<std::int64_t>& companies,
                                                       std::int64_t before) const override {
        std::vector<std::int64_t> out;
        for (const std::int64_t company : companies) {
            const bool seen = std::any_of(visits_.begin(), visits_.end(), [&](const auto& entry) {
                const bot::model::VisitRecord& visit = entry.second;
                return visit.company_id == company &&
                       visit.visit_time.value_or(visit.reported_at) < before;
            });
            if (seen) {
                out.push_back(company);
            }
        }
        return out;
    }

    std::vector<bot::model::Demand> demands_without_visit() const override {
        std::vector<bot::model::Demand> out;
        for (const auto& [number, demand] : demands_) {
            if (demand.visit_number == 0) {
                out.push_back(demand);
            }
        }
        return out;
    }

    std::vector<std::int64_t> omission_deadlines_between(std::int64_t from,
                                                         std::int64_t to) const override {
        std::vector<std::int64_t> out;
        for (const auto& finding : findings_) {
            if (finding.kind == "omission" && finding.deadline >= from && finding.deadline <= to) {
                out.push_back(finding.visit_number);
            }
        }
        return out;
    }

    std::vector<bot::model::PointEntry> point_entries_of_visits(
        const std::vector<std::int64_t>& visit_numbers) const override {
        std::vector<bot::model::PointEntry> out;
        for (const auto& entry : journal_) {
            if (std::find(visit_numbers.begin(), visit_numbers.end(), entry.visit_number) !=
                visit_numbers.end()) {
                out.push_back(entry);
            }
        }
        return out;
    }

    std::vector<bot::model::PointEntry> point_entries_between(std::int64_t from,
                                                              std::int64_t to) const override {
        std::vector<bot::model::PointEntry> out;
        for (const auto& entry : journal_) {
            if (entry.at >= from && entry.at <= to) {
                out.push_back(entry);
            }
        }
        return out;
    }

    std::optional<bot::model::PublishedTable> published_table(
        const std::string& week, const std::string& line) const override {
        const auto it = published_.find({week, line});
        return it == published_.end() ? std::nullopt : std::optional(it->second);
    }

    const std::vector<bot::model::PointEntry>& journal() const { return journal_; }

    std::optional<bot::model::Risk> risk(std::int64_t number) const override {
        const auto it = risks_.find(number);
        if (it == risks_.end()) {
            return std::nullopt;
        }
        bot::model::Risk risk = it->second.first;
        risk.open = it->second.second;
        return risk;
    }

    std::vector<bot::model::Risk> unacknowledged_notices() const override {
        std::vector<bot::model::Risk> out;
        for (const auto& [number, entry] : risks_) {
            if (entry.second && entry.first.kind == "notice" && entry.first.acknowledged_at == 0 &&
                entry.first.escalated_at == 0) {
                out.push_back(entry.first);
            }
        }
        return out;
    }

    std::vector<bot::model::Risk> open_risks() const override {
        std::vector<bot::model::Risk> out;
        for (const auto& [number, entry] : risks_) {
            if (entry.second) {
                out.push_back(entry.first);
            }
        }
        return out;
    }

    /// Applies what storage would: the ledger, the group registry and the risk register.
    std::optional<std::int64_t> last_audited(const std::string& action,
                                             const std::string& subject) const override {
        const auto it = audited_.find({action, subject});
        return it == audited_.end() ? std::nullopt : std::optional(it->second);
    }

    void apply(const bot::Decision& decision) {
        // Storage dates an entry with its event's time; here the entries that need a time
        // carry it in their detail.
        for (const bot::AuditEntry& entry : decision.audit) {
            if (entry.detail.is_object() && entry.detail.contains("at")) {
                audited_[{entry.action, entry.subject}] = entry.detail["at"].get<std::int64_t>();
            }
        }
        for (const auto& change : decision.changes) {
            if (const auto* created = std::get_if<bot::VisitRecordCreated>(&change)) {
                visits_[created->record.number] = created->record;
                next_visit_ = std::max(next_visit_, created->record.number + 1);
            } else if (const auto* demand = std::get_if<bot::DemandCreated>(&change)) {
                demands_[demand->demand.number] = demand->demand;
                next_demand_ = std::max(next_demand_, demand->demand.number + 1);
            } else if (const auto* updated = std::get_if<bot::DemandUpdated>(&change)) {
                demands_.at(updated->demand.number) = updated->demand;
                if (updated->history) {
                    history_.push_back(*updated->history);
                }
            } else if (const auto* briefing = std::get_if<bot::BriefingRecorded>(&change)) {
                briefings_.push_back(briefing->briefing);
            } else if (const auto* supplemented =
                           std::get_if<bot::VisitRecordSupplemented>(&change)) {
                visits_.at(supplemented->record.number) = supplemented->record;
                supplements_.push_back(*supplemented);
            } else if (const auto* attached = std::get_if<bot::EvidenceAttached>(&change)) {
                evidence_.push_back(attached->evidence);
            } else if (const auto* awaited = std::get_if<bot::EvidenceAwaited>(&change)) {
                waits_.push_back(awaited->wait);
            }
        }
        for (const auto& change : decision.score_changes) {
            if (const auto* finding = std::get_if<bot::FindingRecorded>(&change)) {
                findings_.push_back(finding->finding);
            } else if (const auto* voided = std::get_if<bot::VisitVoided>(&change)) {
                voids_.emplace(voided->voided.visit_number, voided->voided);
            } else if (const auto* reviewed = std::get_if<bot::ScoreReviewed>(&change)) {
                reviews_[std::pair{reviewed->review.week, reviewed->review.line}] =
                    reviewed->review;
            } else if (const auto* entered = std::get_if<bot::PointsEntered>(&change)) {
                for (bot::model::PointEntry entry : entered->entries) {
                    entry.id = static_cast<std::int64_t>(journal_.size()) + 1;
                    journal_.push_back(std::move(entry));
                }
            } else if (const auto* published = std::get_if<bot::TablePublished>(&change)) {
                published_.emplace(std::pair{published->table.week, published->table.line},
                                   published->table);
            }
        }
        for (const auto& change : decision.group_changes) {
            if (const auto* saved = std::get_if<bot::GroupSaved>(&change)) {
                auto& view = groups_[{saved->group.source, saved->group.chat_id}];
                view.group = saved->group;
            } else if (const auto* member = std::get_if<bot::MemberSaved>(&change)) {
                auto& members = groups_[{member->source, member->chat_id}].members;
                auto it = std::find_if(members.begin(), members.end(),
                                       [&](const auto& m) { return m.id == member->member.id; });
                if (it == members.end()) {
                    members.push_back(member->member);
                } else {
                    *it = member->member;
                }
            } else if (const auto* raised = std::get_if<bot::RiskRaised>(&change)) {
                risks_[raised->risk.number] = {raised->risk, true};
            } else if (const auto* closed = std::get_if<bot::RiskClosed>(&change)) {
                auto& risk = risks_.at(closed->number);
                if (risk.second) {
                    risk.second = false;
                    risk.first.open = false;
                    risk.first.closed_at = closed->closed_at;
                    risk.first.closed_by = closed->by;
                    risk.first.close_reason = closed->reason;
                }
            } else if (const auto* ack = std::get_if<bot::RiskAcknowledged>(&change)) {
                risks_.at(ack->number).first.acknowledged_by = ack->by;
                risks_.at(ack->number).first.acknowledged_at = ack->at;
                risks_.at(ack->number).first.ack_note = ack->note;
            } else if (const auto* escalated = std::get_if<bot::RiskEscalated>(&change)) {
                risks_.at(escalated->number).first.escalated_at = escalated->at;
            }
        }
    }

    const std::vector<bot::model::DemandHistoryEntry>& history() const { return history_; }

    /// Sets a demand as the ledger commands would leave it.
    void put_demand(bot::model::Demand demand) {
        next_demand_ = std::max(next_demand_, demand.number + 1);
        demands_[demand.number] = std::move(demand);
    }
    /// Attaches evidence as an image would.
    void add_evidence(bot::model::Evidence evidence) { evidence_.push_back(std::move(evidence)); }

    /// Stores a record as a report would have.
    void add_visit(bot::model::VisitRecord record) {
        next_visit_ = std::max(next_visit_, record.number + 1);
        visits_[record.number] = std::move(record);
    }

    std::vector<bot::model::Demand> demands() const {
        std::vector<bot::model::Demand> out;
        for (const auto& [number, demand] : demands_) {
            out.push_back(demand);
        }
        return out;
    }
    const std::vector<bot::VisitRecordSupplemented>& supplements() const { return supplements_; }
    const std::vector<bot::model::Evidence>& evidence() const { return evidence_; }

    /// Risk number → (risk, open).
    const std::map<std::int64_t, std::pair<bot::model::Risk, bool>>& risks() const {
        return risks_;
    }

private:
    bot::model::Directory directory_;
    std::int64_t next_visit_;
    std::int64_t next_demand_;
    std::map<std::int64_t, bot::model::VisitRecord> visits_;
    std::vector<bot::VisitRecordSupplemented> supplements_;
    std::vector<bot::model::Evidence> evidence_;
    std::vector<bot::model::EvidenceWait> waits_;
    std::map<std::pair<std::string, std::string>, bot::model::GroupView> groups_;
    std::map<std::int64_t, std::pair<bot::model::Risk, bool>> risks_;
    std::map<std::int64_t, bot::model::Demand> demands_;
    std::vector<bot::model::DemandHistoryEntry> history_;
    std::vector<bot::model::Briefing> briefings_;
    std::vector<bot::model::VisitFinding> findings_;
    std::map<std::int64_t, bot::model::VisitVoid> voids_;
    std::map<std::pair<std::string, std::string>, std::int64_t> audited_;
    std::map<std::pair<std::string, std::string>, bot::model::ScoreReview> reviews_;
    std::vector<bot::model::PointEntry> journal_;
    std::map<std::pair<std::string, std::string>, bot::model::PublishedTable> published_;
};

}  // namespace ledgerbot::tests
