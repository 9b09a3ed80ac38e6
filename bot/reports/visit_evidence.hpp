#pragma once

#include "bot/decision.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/settings/engine_settings.hpp"
#include "bot/state.hpp"

namespace ledgerbot::bot::reports {

/// Evidence (有效证据: screenshots of SMS, WeChat chats, call logs) for visit records. An image
/// message is attached to:
/// - the record its text quotes (`V12`), when the sender may edit that record (VisitEditors;
///   others are told who may), whenever it is posted;
/// - otherwise the sender's latest record in the same chat, when the image comes at most
///   [report] evidence_window_minutes after that report.
/// Several images may attach to one record. An image that matches no record gets an empty
/// decision and no answer: people post pictures for many reasons. An image for a record its
/// reporter withdrew is not attached; its sender is told the record was withdrawn.
Decision attach_evidence(const model::InboundEvent& image, const State& state,
                         const settings::EngineSettings& settings);

/// The fetcher's result (an evidence_fetched event): the stored file's hash goes into the audit
/// chain; an image that could not be fetched stops counting as evidence (有效证据) and its
/// author is asked to post it again.
Decision record_evidence_fetch(const model::InboundEvent& event,
                               const settings::EngineSettings& settings);

}  // namespace ledgerbot::bot::reports
