#pragma once

#include <optional>
#include <vector>

#include "bot/decision.hpp"
#include "bot/dispatch.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/reports/visit_recording.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot {

/// The bot core: one normalized event and the current state in, one decision out. Pure: it
/// reads no clock (time comes with the event), no files and no database.
///
/// A message is routed once, through the tables of dispatch.hpp: a header (【风险提示】, 【简报】,
/// 【走访记录】) to its handler; else a chat command, parsed once, by its word; else a visit report
/// in free text; else an image as evidence. A tick goes to its job's handler; any other event
/// is a group event for the conventions.
class Engine {
public:
    /// Throws std::invalid_argument when the settings configure one command word twice.
    explicit Engine(settings::EngineSettings settings);

    /// `read`: read_ahead's reading of this event, made with the directory `state` has (the
    /// caller checks that); handle then does not read the message again.
    Decision handle(const model::InboundEvent& event, const State& state,
                    std::optional<reports::ReportCheck> read = std::nullopt) const;

    /// What handle would read from `event` as a visit report with `directory`: the judgement
    /// whether free text is a report and the parse, about a fifth of handling a report. Reading
    /// needs no state but the directory, so it can be made ahead, on another thread, while
    /// earlier events are handled. nullopt for what handle does not read as a report (a
    /// command, another header, a non-message event).
    std::optional<reports::ReportCheck> read_ahead(const model::InboundEvent& event,
                                                   const model::Directory& directory) const;

    /// The points journal's entries for what `decided` changed, read from `after`: the state
    /// with `decided` applied (storage calls it in the same transaction). See
    /// scoring/points_journal.hpp.
    Decision record_points(const model::InboundEvent& event, const Decision& decided,
                           const State& after) const;
    /// `notices` with the points `points` (record_points' result) gave each new visit record
    /// written into its answer (visit_recorded: has_points, points_text), since the answer is
    /// decided before the journal has the record.
    static std::vector<model::Notice> tell_points(std::vector<model::Notice> notices,
                                                  const Decision& points);

    /// The journal entries that bring every visit up to `now`: for a database that had records
    /// before the journal existed (the upgrade), and for tests that build a ledger directly.
    Decision rebuild_points(const State& state, std::int64_t now) const;

    const settings::EngineSettings& settings() const { return settings_; }

private:
    Decision dispatch(const model::InboundEvent& event, const State& state,
                      std::optional<reports::ReportCheck> read) const;
    Decision handle_message(const model::InboundEvent& event, const State& state,
                            std::optional<reports::ReportCheck> read) const;
    /// The header row `event` opens with, and the text after it.
    std::optional<std::pair<const HeaderRow*, std::string>> header_of(
        const model::InboundEvent& event) const;
    Decision handle_tick(const model::InboundEvent& tick, const State& state) const;

    settings::EngineSettings settings_;
    CommandTable commands_;
    std::vector<HeaderRow> headers_;
};

}  // namespace ledgerbot::bot
