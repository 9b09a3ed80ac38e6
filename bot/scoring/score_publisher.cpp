#include "bot/scoring/score_publisher.hpp"

#include <algorithm>

#include "bot/decision_context.hpp"
#include "bot/scoring/score_fields.hpp"
#include "bot/scoring/score_sheet.hpp"
#include "bot/scoring/score_table.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/score_period.hpp"

namespace ledgerbot::bot::scoring {
namespace {

// Directors are reached the way the generic adapter reaches people, unless the routing sends
// that channel elsewhere (the WeCom app when configured).
constexpr const char* kDirectSource = "generic";

/// The period a weekly tick is about: the ISO week before the one its slot is in.
time::ScorePeriod week_of_tick(const model::InboundEvent& tick) {
    return time::previous_week(tick.time);
}

/// A configured group may be posted to unless the registry knows it with an external member.
bool has_external_members(const model::NoticeTarget& target, const State& state) {
    const auto group = state.group(target.channel, target.id);
    return group && group->has_active_external_member();
}

/// The year a ranking tick is about: its run key's quarter (`annual-ranking:2026-Q4`, also when
/// the slot is days after the quarter's end, in January), else the year of its time in December.
/// Other quarters rank nothing.
std::optional<time::ScorePeriod> ranking_year(const model::InboundEvent& tick) {
    const auto colon = tick.id.rfind(':');
    const std::string period =
        colon == std::string::npos ? std::string{} : tick.id.substr(colon + 1);
    if (period.size() == 7 && period[4] == '-' && period[5] == 'Q') {
        return period[6] == '4' ? time::parse_year(period.substr(0, 4)) : std::nullopt;
    }
    if (static_cast<unsigned>(time::local_date(tick.time).month()) == 12) {
        return time::year_of(tick.time);
    }
    return std::nullopt;
}

/// A line's table title: the week, the line and its director.
nlohmann::json table_fields(const time::ScorePeriod& week, const settings::ScoreLineSettings& line,
                            const DecisionContext& ctx) {
    nlohmann::json fields = score_period_fields(week);
    fields["line"] = line.name;
    fields["director"] =
        line.director_id.empty() ? std::string{} : ctx.person_name(line.director_id);
    return fields;
}

}  // namespace

Decision draft_scores(const JobCall& call) {
    return ScorePublisher(call.settings).draft_weekly(call.tick, call.state);
}

Decision publish_scores(const JobCall& call) {
    return ScorePublisher(call.settings).publish_weekly(call.tick, call.state);
}

Decision announce_annual_ranking(const JobCall& call) {
    return ScorePublisher(call.settings).announce_annual(call.tick, call.state);
}

Decision ScorePublisher::draft_weekly(const model::InboundEvent& tick, const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const settings::ScoreSettings& scores = settings_.scores;
    const time::ScorePeriod week = week_of_tick(tick);
    std::size_t rows = 0;
    for (const WeekTable& table : week_tables(state, scores, week)) {
        rows += table.rows.size();
        if (table.line.director_id.empty()) {
            continue;
        }
        nlohmann::json base = table_fields(week, table.line, ctx);
        base["draft"] = true;
        for (auto& part :
             week_table_parts(week_table_fields(table.rows, table.adjustments, table.version), base,
                              scores.message_max_bytes)) {
            ctx.notify(ctx.person_target(kDirectSource, table.line.director_id), "score_table",
                       std::move(part));
        }
    }
    ctx.audit(std::string(kBotActor), "score.drafted", week.label, {{"rows", rows}});
    return decision;
}

Decision ScorePublisher::publish_weekly(const model::InboundEvent& tick, const State& state) const {
    Decision decision;
    DecisionContext ctx(settings_, state, decision);
    const settings::ScoreSettings& scores = settings_.scores;
    const time::ScorePeriod week = week_of_tick(tick);

    std::vector<model::NoticeTarget> targets;
    for (const auto& target : scores.publish_to) {
        if (has_external_members(target, state)) {
            // Never into a group with people from outside the centre: scores name companies.
            ctx.audit(std::string(kBotActor), "score.publish_refused", target.id,
                      {{"channel", target.channel}, {"week", week.label}});
            ctx.notify_compliance(target.channel, "score_publish_refused",
                                  {{"chat_id", target.id}, {"week", week.label}});
            continue;
        }
        targets.push_back(target);
    }

    nlohmann::json published = nlohmann::json::array();
    for (const WeekTable& current : week_tables(state, scores, week)) {
        const settings::ScoreLineSettings& line = current.line;
        // A week is published once; a second tick for it (a job run again by hand) posts the
        // stored table again rather than another one.
        const std::optional<model::PublishedTable> stored =
            state.published_table(week.label, line.name);
        const std::optional<model::ScoreReview> review =
            line.name.empty() ? std::nullopt : state.score_review(week.label, line.name);
        // An approval covers the version the director saw; a later entry makes another.
        const bool reviewed = stored ? !stored->approved_by.empty()
                                     : review.has_value() && (review->version.empty() ||
                                                              review->version == current.version);
        const nlohmann::json table =
            stored ? stored->table
                   : week_table_fields(current.rows, current.adjustments, current.version);
        const model::PublishedTable publication =
            stored ? *stored
                   : model::PublishedTable{week.label,
                                           line.name,
                                           current.version,
                                           table,
                                           reviewed ? review->by_id : std::string{},
                                           reviewed ? review->at : 0,
                                           tick.time};
        if (!stored) {
            decision.score_changes.emplace_back(TablePublished{publication});
        }
        nlohmann::json base = table_fields(week, line, ctx);
        base["unreviewed"] = !reviewed;
        base["stale_review"] = !stored && review.has_value() && !reviewed;
        std::vector<nlohmann::json> parts = week_table_parts(table, base, scores.message_max_bytes);
        // The whole table as a spreadsheet, with the last part, where the channel carries files.
        // Built from the publication itself, so a later /导出 of the week gives the same bytes.
        parts.back()["attachment"] = published_table_attachment(publication);
        for (const auto& part : parts) {
            for (const auto& target : targets) {
                ctx.notify(target, "score_table", part);
            }
        }
        if (!reviewed && !line.director_id.empty()) {
            ctx.notify(ctx.person_target(kDirectSource, line.director_id), "score_review_reminder",
                       {{"week", week.label},
                        {"line", line.name},
                        {"rows", table.at("rows").size()},
                        {"version", table.value("version", "")},
                        {"stale", base["stale_review"]}});
        }
        published.push_back({{"line", line.name},
                             {"rows", table.at("rows").size()},
                             {"reviewed", reviewed},
                             {"version", table.value("version", "")},
                             {"again", stored.has_value()}});
    }
    ctx.audit(std::string(kBotActor), "score.published", week.label,
              {{"lines", published}, {"groups", targets.size()}});
    return decision;
}

Decision ScorePublisher::announce_annual(const model::InboundEvent& tick,
                                         const State& state) const {
    Decision decision;
    const std::optional<time::ScorePeriod> ranked = ranking_year(tick);
    if (!ranked) {
        return decision;
    }
    DecisionContext ctx(settings_, state, decision);
    const settings::ScoreSettings& scores = settings_.scores;
    const time::ScorePeriod& year = *ranked;
    const std::vector<ScoreRow> rows = visit_rows(state.point_entries_between(year.from, year.to));
    const Ranking ranking = rank(rows, scores, ctx.directory());
    nlohmann::json fields = ranking_fields(ranking);
    fields["year"] = year.label;
    fields["at"] = time::format_local_minutes(tick.time);
    for (const auto& target : scores.publish_to) {
        if (!has_external_members(target, state)) {
            ctx.notify(target, "annual_ranking", fields);
        }
    }
    ctx.audit(std::string(kBotActor), "score.annual_ranking", year.label,
              {{"star_department", fields.value("star_department", "")},
               {"star_director", fields.value("star_director", "")}});
    return decision;
}

}  // namespace ledgerbot::bot::scoring
