#include "bot/scoring/score_sheet.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::scoring {
namespace {

std::int64_t time_of(const model::VisitRecord& visit) {
    return visit.visit_time.value_or(visit.reported_at);
}

/// An omission is overdue when no `/补充` came between the finding and its deadline and the
/// deadline has passed at the scoring date.
bool omission_overdue(const std::vector<model::VisitFinding>& findings,
                      const std::vector<std::int64_t>& supplements, std::int64_t at) {
    for (const auto& finding : findings) {
        if (finding.kind != "omission" || finding.deadline == 0 || at <= finding.deadline) {
            continue;
        }
        const bool supplemented = std::any_of(
            supplements.begin(), supplements.end(),
            [&](std::int64_t when) { return when >= finding.at && when <= finding.deadline; });
        if (!supplemented) {
            return true;
        }
    }
    return false;
}

/// What scoring needs of one record besides the record itself.
struct RecordFacts {
    model::VisitRecord visit;
    model::VisitScoringDetails details;
    bool overdue = false;
    int annual_position = 1;
    bool first_visit_to_new_company = false;
    bool scored = true;  ///< false: read only for the cap places of the records after it
};

struct Person {
    std::string id;
    std::string name;
    std::string department;
};

/// The record's author first, then the named visitors in the directory, each once.
std::vector<Person> people_of(const model::VisitRecord& visit, const model::Directory& directory) {
    std::vector<Person> out;
    const auto add = [&](const model::StaffMember* staff, const std::string& id,
                         const std::string& name) {
        const std::string key = staff ? staff->id : id;
        if (key.empty() ||
            std::any_of(out.begin(), out.end(), [&](const Person& p) { return p.id == key; })) {
            return;
        }
        out.push_back(staff ? Person{staff->id, staff->name, staff->department}
                            : Person{id, name, ""});
    };
    // Former staff too: a visit's points stay with its people after they leave.
    add(directory.find_person(visit.reporter_id), visit.reporter_id, visit.reporter_name);
    for (const auto& name : visit.visitors) {
        if (const model::StaffMember* staff = directory.find_person_by_name(name)) {
            add(staff, staff->id, staff->name);
        }
    }
    return out;
}

class Scorer {
public:
    Scorer(const State& state, const settings::ScoreSettings& settings, std::int64_t at)
        : state_(state), settings_(settings), at_(at) {}

    /// Reads every record of the years `from`..`to` touch, so the annual cap and "first
    /// visit" are known for the records in [from, to].
    void load(std::int64_t from, std::int64_t to) {
        const auto first_year = time::local_date(from).year();
        const std::int64_t year_start =
            time::from_local(first_year / std::chrono::January / 1, 0, 0, 0);
        const std::vector<std::int64_t> before = state_.companies_visited(0, year_start - 1);
        build(state_.visits_between(year_start, to), state_.scoring_details(year_start, to),
              std::set<std::int64_t>(before.begin(), before.end()), from);
    }

    /// Reads what these records' scores depend on: every record of their companies in the
    /// calendar years they fall in (cap places and first visits move together).
    void load_visits(const std::vector<std::int64_t>& numbers) {
        std::vector<model::VisitRecord> visits;
        std::set<std::int64_t> companies;
        std::int64_t from = std::numeric_limits<std::int64_t>::max();
        std::int64_t to = std::numeric_limits<std::int64_t>::min();
        const std::set<std::int64_t> unique(numbers.begin(), numbers.end());
        for (model::VisitRecord& visit :
             state_.visits_for_journal({unique.begin(), unique.end()})) {
            const auto year = time::local_date(time_of(visit)).year();
            from = std::min(from, time::from_local(year / std::chrono::January / 1, 0, 0, 0));
            to = std::max(
                to, time::from_local((year + std::chrono::years{1}) / std::chrono::January / 1, 0,
                                     0, 0) -
                        1);
            if (visit.company_id) {
                companies.insert(*visit.company_id);
            } else {
                visits.push_back(std::move(visit));
            }
        }
        if (visits.empty() && companies.empty()) {
            return;
        }
        const std::vector<std::int64_t> company_list(companies.begin(), companies.end());
        for (auto& visit : state_.company_visits_between(company_list, from, to)) {
            visits.push_back(std::move(visit));
        }
        std::stable_sort(visits.begin(), visits.end(), [](const auto& a, const auto& b) {
            return std::pair{time_of(a), a.number} < std::pair{time_of(b), b.number};
        });
        // A record's cap place and first visit depend only on the records before it, so what
        // the given records changed is themselves and the later records of their companies:
        // only those are scored (a new report is nearly always its company's latest). The
        // earlier ones are read for their cap places alone.
        std::map<std::int64_t, std::int64_t> scored_from;  // company → earliest given record
        const std::set<std::int64_t> given(numbers.begin(), numbers.end());
        for (const auto& visit : visits) {
            if (given.count(visit.number) != 0 && visit.company_id) {
                const auto [it, added] = scored_from.emplace(*visit.company_id, time_of(visit));
                it->second = std::min(it->second, time_of(visit));
            }
        }
        std::set<std::int64_t> scored;
        std::vector<std::int64_t> cap_only;
        for (const auto& visit : visits) {
            const auto company =
                visit.company_id ? scored_from.find(*visit.company_id) : scored_from.end();
            if (given.count(visit.number) != 0 ||
                (company != scored_from.end() && time_of(visit) >= company->second)) {
                scored.insert(visit.number);
            } else {
                cap_only.push_back(visit.number);
            }
        }
        const std::vector<std::int64_t> before =
            state_.companies_visited_before(company_list, from);
        build(std::move(visits),
              state_.scoring_details_for_journal({scored.begin(), scored.end()}, cap_only),
              std::set<std::int64_t>(before.begin(), before.end()), from);
        for (RecordFacts& record : records_) {
            record.scored = scored.count(record.visit.number) != 0;
        }
    }

    /// `visits` oldest first from the start of the first year; records before `from` only set
    /// the cap places and first visits of the companies scored.
    void build(std::vector<model::VisitRecord> visits,
               std::map<std::int64_t, model::VisitScoringDetails> details,
               const std::set<std::int64_t>& seen_before, std::int64_t from) {
        // Earlier records of the year matter only for the companies being scored (their cap
        // places and first visits); the rest of the year is not read further.
        std::set<std::int64_t> companies;
        for (const auto& visit : visits) {
            if (visit.company_id && time_of(visit) >= from) {
                companies.insert(*visit.company_id);
            }
        }
        std::set<std::int64_t> seen;
        std::map<std::pair<std::int64_t, std::string>, std::int64_t> cap_keys;
        std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, bool>> cap_input;
        for (auto& visit : visits) {
            const bool in_period = time_of(visit) >= from;
            if (!in_period && (!visit.company_id || companies.count(*visit.company_id) == 0)) {
                continue;
            }
            RecordFacts facts;
            if (auto found = details.find(visit.number); found != details.end()) {
                facts.details = std::move(found->second);
            }
            facts.overdue =
                omission_overdue(facts.details.findings, facts.details.supplement_times, at_);
            if (visit.company_id) {
                const std::int64_t company = *visit.company_id;
                const bool first_here =
                    seen_before.count(company) == 0 && seen.insert(company).second;
                facts.first_visit_to_new_company = first_here && is_new_company(company, visit);
            }
            // The cap counts per company, or per company and author when configured; records
            // without a listed company are never capped: each gets a key of its own.
            std::int64_t key = -visit.number;
            if (visit.company_id) {
                const std::string who =
                    settings_.rules.visit_cap_per_reporter ? visit.reporter_id : std::string{};
                key = cap_keys
                          .emplace(std::pair{*visit.company_id, who},
                                   static_cast<std::int64_t>(cap_keys.size()) + 1)
                          .first->second;
            }
            cap_input.push_back(
                {{key, time_of(visit)}, facts.details.voided.has_value() || facts.overdue});
            facts.visit = std::move(visit);
            records_.push_back(std::move(facts));
        }
        const std::vector<int> positions = annual_positions(cap_input);
        for (std::size_t i = 0; i < records_.size(); ++i) {
            records_[i].annual_position = positions[i];
        }
    }

    /// 首次走访的新企业: not listed (its status is none of `listed_statuses`) and not served
    /// before the visit by the import's 服务起始日期.
    bool is_new_company(std::int64_t company_id, const model::VisitRecord& visit) const {
        const model::Company* company = state_.directory().find_company_by_id(company_id);
        if (company == nullptr) {
            return true;
        }
        const auto& listed = settings_.rules.listed_statuses;
        if (std::find(listed.begin(), listed.end(), company->listing_status) != listed.end()) {
            return false;
        }
        return !(company->served_since && *company->served_since < time_of(visit));
    }

    void score_record(const RecordFacts& record, std::vector<ScoreRow>& out) const {
        const model::VisitRecord& visit = record.visit;
        const std::vector<model::Demand>& demands = record.details.demands;
        VisitFacts base;
        base.complete = visit.complete();
        base.has_evidence = record.details.evidence > 0;
        for (const auto& finding : record.details.findings) {
            ++(finding.kind == "omission" ? base.omission_findings : base.inaccuracy_findings);
        }
        base.omission_overdue = record.overdue;
        base.voided = record.details.voided.has_value();
        base.annual_position = record.annual_position;
        base.first_visit_to_new_company = record.first_visit_to_new_company;
        for (const auto& demand : demands) {
            if (demand.contracted_at != 0 && demand.contracted_at <= at_) {
                base.landed = true;
                // 按约完成服务且实现创收: revenue points need revenue under the agreement.
                if (demand.revenue_yuan > 0) {
                    base.completion_ratio =
                        std::max(base.completion_ratio, demand.completion_percent / 100.0);
                }
            }
        }
        const auto referral_of = [&](const std::string& person) -> const model::Demand* {
            for (const auto& d : demands) {
                if (d.referred_by == person && d.referral_landed_at != 0 &&
                    d.referral_landed_at <= at_) {
                    return &d;
                }
            }
            return nullptr;
        };
        const model::Demand* landed = nullptr;
        for (const auto& d : demands) {
            if (d.contracted_at != 0 && d.contracted_at <= at_ &&
                (landed == nullptr || d.contracted_at < landed->contracted_at)) {
                landed = &d;
            }
        }
        std::int64_t last_finding = 0;
        std::int64_t overdue_at = 0;
        for (const auto& finding : record.details.findings) {
            last_finding = std::max(last_finding, finding.at);
            if (finding.kind == "omission" && finding.deadline != 0 && finding.deadline < at_) {
                overdue_at =
                    overdue_at == 0 ? finding.deadline : std::min(overdue_at, finding.deadline);
            }
        }
        // When each kind of point was earned: truthfulness at the visit, a deduction at its
        // finding, quality at the agreement or the referral's landing, revenue when its ratio
        // was recorded (the scoring date).
        const std::int64_t visit_at = time_of(visit);
        const auto date_lines = [&](ScoreRow& row, const model::Demand* referral) {
            for (ScoreLine& line : row.score.lines) {
                line.at = visit_at;
                if (line.item == "finding" || line.item == "no_negative") {
                    line.at = std::max(visit_at, last_finding);
                } else if (line.item == "landed" && landed != nullptr) {
                    line.at = std::max(visit_at, landed->contracted_at);
                    line.demand_number = landed->number;
                } else if (line.item == "revenue") {
                    line.at = std::max(visit_at, at_);
                    line.demand_number = landed != nullptr ? landed->number : 0;
                } else if (line.item == "referral_landed" && referral != nullptr) {
                    line.at = std::max(visit_at, referral->referral_landed_at);
                    line.demand_number = referral->number;
                }
            }
            row.changed_at = record.details.voided ? record.details.voided->at
                             : record.overdue      ? std::max(visit_at, overdue_at)
                                                   : std::max(visit_at, at_);
        };

        std::vector<Person> people = people_of(visit, state_.directory());
        std::map<std::string, int> per_department;
        for (const auto& person : people) {
            if (!person.department.empty()) {
                ++per_department[person.department];
            }
        }
        const auto row_for = [&](const Person& person, const VisitFacts& facts,
                                 const model::Demand* referral) {
            ScoreRow row;
            row.visit_number = visit.number;
            row.visit_time = visit_at;
            row.company_id = visit.company_id;
            row.company = visit.company_name;
            row.staff_id = person.id;
            row.staff_name = person.name;
            row.department = person.department;
            if (const settings::ScoreLineSettings* line =
                    line_of_department(settings_, person.department)) {
                row.line = line->name;
            }
            row.score = score_visit(facts, settings_.rules);
            date_lines(row, referral);
            out.push_back(std::move(row));
        };
        // Every staff member who went is credited (the author and the visitors named).
        for (const Person& person : people) {
            VisitFacts facts = base;
            const model::Demand* referral = referral_of(person.id);
            facts.referral_landed = referral != nullptr;
            facts.same_department_visitors =
                person.department.empty() ? 1 : per_department[person.department];
            row_for(person, facts, referral);
        }
        // A referrer who did not go on the visit still earns the referral (to the referrer).
        std::set<std::string> referrers;
        for (const auto& demand : demands) {
            const model::Demand* referral =
                demand.referred_by.empty() ? nullptr : referral_of(demand.referred_by);
            if (referral != nullptr &&
                std::none_of(people.begin(), people.end(),
                             [&](const Person& p) { return p.id == demand.referred_by; }) &&
                referrers.insert(demand.referred_by).second) {
                const model::StaffMember* staff =
                    state_.directory().find_person(demand.referred_by);
                VisitFacts facts;
                facts.voided = base.voided;
                facts.omission_overdue = base.omission_overdue;
                facts.referral_only = true;
                facts.referral_landed = true;
                row_for(staff ? Person{staff->id, staff->name, staff->department}
                              : Person{demand.referred_by, demand.referred_by, ""},
                        facts, referral);
            }
        }
    }

    std::vector<ScoreRow> rows_between(std::int64_t from, std::int64_t to) const {
        std::vector<ScoreRow> out;
        for (const auto& record : records_) {
            const std::int64_t when = time_of(record.visit);
            if (when >= from && when <= to) {
                score_record(record, out);
            }
        }
        return out;
    }

    std::vector<ScoreRow> scored_rows() const {
        std::vector<ScoreRow> out;
        for (const auto& record : records_) {
            if (record.scored) {
                score_record(record, out);
            }
        }
        return out;
    }

    std::vector<ScoreRow> rows_of(std::int64_t visit_number) const {
        std::vector<ScoreRow> out;
        for (const auto& record : records_) {
            if (record.visit.number == visit_number) {
                score_record(record, out);
            }
        }
        return out;
    }

private:
    const State& state_;
    const settings::ScoreSettings& settings_;
    std::int64_t at_;
    std::vector<RecordFacts> records_;
};

}  // namespace

std::vector<ScoreRow> score_period(const State& state, const settings::ScoreSettings& settings,
                                   const time::ScorePeriod& period, std::int64_t at) {
    Scorer scorer(state, settings, at);
    scorer.load(period.from, period.to);
    return scorer.rows_between(period.from, period.to);
}

std::vector<ScoreRow> score_visit_rows(const State& state, const settings::ScoreSettings& settings,
                                       std::int64_t visit_number, std::int64_t at) {
    const auto visit = state.visit(visit_number);
    if (!visit) {
        return {};
    }
    Scorer scorer(state, settings, at);
    const std::int64_t when = time_of(*visit);
    scorer.load(when, when);
    return scorer.rows_of(visit_number);
}

std::vector<ScoreRow> score_visits(const State& state, const settings::ScoreSettings& settings,
                                   const std::vector<std::int64_t>& visit_numbers,
                                   std::int64_t at) {
    Scorer scorer(state, settings, at);
    scorer.load_visits(visit_numbers);
    return scorer.scored_rows();
}

std::vector<ScoreRow> score_unvisited_demands(const State& state,
                                              const settings::ScoreSettings& settings,
                                              const std::vector<std::int64_t>& demand_numbers,
                                              std::int64_t at) {
    std::vector<ScoreRow> out;
    const model::Directory& directory = state.directory();
    for (const std::int64_t number : demand_numbers) {
        const std::optional<model::Demand> demand = state.demand(number);
        if (!demand || demand->visit_number != 0) {
            continue;
        }
        const model::Company* company = directory.find_company_by_id(demand->company_id);
        const std::string credited = !demand->owner_id.empty() ? demand->owner_id
                                     : company != nullptr      ? company->account_manager
                                                               : std::string{};
        const bool referral_landed =
            demand->referral_landed_at != 0 && demand->referral_landed_at <= at;
        const auto row_for = [&](const std::string& person, VisitFacts facts) {
            ScoreRow row;
            row.demand_number = demand->number;
            row.visit_time =
                demand->contracted_at != 0 ? demand->contracted_at : demand->collected_at;
            row.company_id = demand->company_id;
            row.company = demand->company_name;
            row.staff_id = person;
            const model::StaffMember* staff = directory.find_staff(person);
            row.staff_name = staff != nullptr ? staff->name : person;
            row.department = staff != nullptr ? staff->department : std::string{};
            if (const settings::ScoreLineSettings* line =
                    line_of_department(settings, row.department)) {
                row.line = line->name;
            }
            row.score = score_visit(facts, settings.rules);
            for (ScoreLine& line : row.score.lines) {
                line.demand_number = demand->number;
                line.at = line.item == "landed" ? demand->contracted_at
                          : line.item == "revenue"
                              ? (demand->progress_at != 0 ? demand->progress_at : at)
                          : line.item == "referral_landed" ? demand->referral_landed_at
                                                           : at;
            }
            row.changed_at = at;
            out.push_back(std::move(row));
        };
        VisitFacts facts;
        facts.demand_only = true;
        facts.landed = demand->contracted_at != 0 && demand->contracted_at <= at;
        if (facts.landed && demand->revenue_yuan > 0) {
            facts.completion_ratio = demand->completion_percent / 100.0;
        }
        facts.referral_landed = referral_landed && demand->referred_by == credited;
        if (!credited.empty()) {
            row_for(credited, facts);
        }
        if (referral_landed && demand->referred_by != credited && !demand->referred_by.empty()) {
            VisitFacts referral;
            referral.referral_only = true;
            referral.referral_landed = true;
            row_for(demand->referred_by, referral);
        }
    }
    return out;
}

std::vector<ScoreRow> rows_of_line(const std::vector<ScoreRow>& rows, const std::string& line) {
    std::vector<ScoreRow> out;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(out),
                 [&](const ScoreRow& row) { return row.line == line; });
    return out;
}

std::vector<settings::ScoreLineSettings> table_lines(const settings::ScoreSettings& settings,
                                                     const std::vector<ScoreRow>& rows) {
    std::vector<settings::ScoreLineSettings> out = settings.lines;
    if (std::any_of(rows.begin(), rows.end(), [](const ScoreRow& r) { return r.line.empty(); })) {
        out.emplace_back();
    }
    return out;
}

const settings::ScoreLineSettings* line_of_department(const settings::ScoreSettings& settings,
                                                      const std::string& department) {
    for (const auto& line : settings.lines) {
        if (std::find(line.departments.begin(), line.departments.end(), department) !=
            line.departments.end()) {
            return &line;
        }
    }
    return nullptr;
}

std::string format_points(double points) {
    const double rounded = std::round(points * 100) / 100;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", rounded == 0 ? 0.0 : rounded);
    std::string text = buffer;
    while (text.back() == '0') {
        text.pop_back();
    }
    if (text.back() == '.') {
        text.pop_back();
    }
    return text;
}

Ranking rank(const std::vector<ScoreRow>& rows, const settings::ScoreSettings& settings,
             const model::Directory& directory) {
    std::map<std::string, RankEntry> departments;
    std::map<std::string, RankEntry> lines;
    for (const auto& line : settings.lines) {
        RankEntry& entry = lines[line.name];
        entry.name = line.name;
        const model::StaffMember* director = directory.find_staff(line.director_id);
        entry.director = director ? director->name : line.director_id;
    }
    for (const auto& row : rows) {
        if (!row.department.empty()) {
            RankEntry& entry = departments[row.department];
            entry.name = row.department;
            entry.truthfulness += row.score.truthfulness;
            entry.quality += row.score.quality;
        }
        if (const auto it = lines.find(row.line); it != lines.end()) {
            it->second.truthfulness += row.score.truthfulness;
            it->second.quality += row.score.quality;
        }
    }
    const auto sorted = [](std::map<std::string, RankEntry>& entries) {
        std::vector<RankEntry> out;
        for (auto& [name, entry] : entries) {
            out.push_back(std::move(entry));
        }
        std::stable_sort(out.begin(), out.end(), [](const RankEntry& a, const RankEntry& b) {
            return a.total() > b.total();
        });
        return out;
    };
    return Ranking{sorted(departments), sorted(lines)};
}

}  // namespace ledgerbot::bot::scoring
