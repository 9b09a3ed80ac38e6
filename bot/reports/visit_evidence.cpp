#include "bot/reports/visit_evidence.hpp"
#include "bot/reply_routing.hpp"

#include <optional>
#include <string>

#include "bot/reports/visit_answer.hpp"
#include "bot/reports/visit_editors.hpp"
#include "bot/reports/visit_reference.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::bot::reports {
namespace {

bool within(std::int64_t since, std::int64_t at, std::int64_t window_seconds) {
    return at - since >= 0 && at - since <= window_seconds;
}

// The record the sender last reported in this chat, or announced evidence for with
// `/补充 V12`, when the image came within the window after that.
std::optional<model::VisitRecord> reported_just_before(const model::InboundEvent& image,
                                                       const State& state,
                                                       std::int64_t window_seconds) {
    if (window_seconds <= 0) {
        return std::nullopt;
    }
    std::optional<model::VisitRecord> latest =
        state.latest_visit_by(image.sender.id, image.source, image.chat.id);
    const std::optional<model::EvidenceWait> wait =
        state.evidence_wait(image.sender.id, image.source, image.chat.id);
    if (wait && within(wait->at, image.time, window_seconds) &&
        (!latest || wait->at >= latest->reported_at)) {
        return state.visit(wait->visit_number);
    }
    if (latest && within(latest->reported_at, image.time, window_seconds)) {
        return latest;
    }
    return std::nullopt;
}

}  // namespace

Decision attach_evidence(const model::InboundEvent& image, const State& state,
                         const settings::EngineSettings& settings) {
    Decision decision;
    if (!image.image) {
        return decision;
    }
    std::optional<model::VisitRecord> record;
    std::string how;
    if (const auto quoted = find_visit_reference(image.text)) {
        // A quoted id that names no record may be a typo or no id at all (a model name): the
        // window rule still applies and nothing is said.
        record = state.visit(*quoted);
        if (record) {
            const VisitEditors editors(*record, state.directory(),
                                       settings.conventions.department_head_titles);
            if (!editors.may_edit(image.sender.id)) {
                model::Notice refusal;
                refusal.template_id = "visit_supplement_refused";
                refusal.target = reply_target(image);
                refusal.fields = editors.names();
                refusal.fields.update({{"command", settings.report.supplement_command()},
                                       {"has_record_id", true},
                                       {"record_id", model::visit_code(record->number)},
                                       {"evidence", true},
                                       {"not_allowed", true}});
                decision.notices.push_back(std::move(refusal));
                return decision;
            }
            how = "quoted";
        }
    }
    if (!record) {
        record = reported_just_before(image, state, settings.report.evidence_window_seconds);
        how = "after_report";
    }
    if (!record) {
        return decision;
    }
    // A withdrawn record is kept as it was withdrawn (as /补充 is refused): the image is not
    // registered, and its sender is told so rather than seeing it silently taken.
    if (const auto voided = state.visit_void(record->number); voided && voided->withdrawn) {
        model::Notice refusal;
        refusal.template_id = "visit_supplement_refused";
        refusal.target = reply_target(image);
        refusal.fields = {{"command", settings.report.supplement_command()},
                          {"has_record_id", true},
                          {"record_id", model::visit_code(record->number)},
                          {"evidence", true},
                          {"withdrawn", true},
                          {"withdrawn_at", time::format_local_minutes(voided->at)}};
        decision.notices.push_back(std::move(refusal));
        return decision;
    }

    model::Evidence evidence;
    evidence.visit_number = record->number;
    evidence.channel = image.source;
    evidence.event_id = image.id;
    evidence.url = image.image->url;
    evidence.media_id = image.image->media_id;
    evidence.upload_id = image.image->upload_id;
    evidence.by_id = image.sender.id;
    evidence.chat_id = image.chat.id;
    evidence.direct = image.chat.kind == model::ChatKind::direct;
    evidence.at = image.time;
    const std::string code = model::visit_code(record->number);
    const std::int64_t count = state.evidence_count(record->number) + 1;

    model::Notice answer;
    answer.template_id = "evidence_attached";
    answer.target = reply_target(image);
    answer.fields = {{"record_id", code},
                     {"count", count},
                     {"by", visit_answer::person_name(image.sender, state.directory())}};
    decision.notices.push_back(std::move(answer));

    AuditEntry audit;
    audit.actor = image.sender.id;
    audit.action = "visit.evidence_attached";
    audit.subject = code;
    audit.detail = {{"how", how},
                    {"url", evidence.url},
                    {"media_id", evidence.media_id},
                    {"upload_id", evidence.upload_id},
                    {"count", count},
                    {"chat", image.chat.id}};
    decision.audit.push_back(std::move(audit));
    decision.changes.emplace_back(EvidenceAttached{std::move(evidence)});
    return decision;
}

Decision record_evidence_fetch(const model::InboundEvent& event,
                               const settings::EngineSettings& settings) {
    Decision decision;
    if (!event.evidence) {
        return decision;
    }
    const model::EvidenceFetch& fetch = *event.evidence;
    const std::string code = model::visit_code(fetch.visit_number);
    AuditEntry audit;
    audit.actor = std::string(kBotActor);
    audit.subject = code;
    if (fetch.fetched()) {
        // The hash in the audit chain is what `audit verify` checks the stored file against.
        audit.action = "visit.evidence_stored";
        audit.detail = {{"evidence_id", fetch.evidence_id},
                        {"sha256", fetch.sha256},
                        {"size", fetch.size},
                        {"mime", fetch.mime},
                        {"width", fetch.width},
                        {"height", fetch.height}};
    } else {
        audit.action = "visit.evidence_unavailable";
        audit.detail = {
            {"evidence_id", fetch.evidence_id}, {"reason", fetch.reason}, {"error", fetch.error}};
        // The author can still post the screenshot again while it is on their phone.
        model::Notice notice;
        notice.template_id = "evidence_unavailable";
        notice.target = model::NoticeTarget{settings.routing.direct_channel_for(fetch.channel),
                                            model::NoticeTarget::Kind::user, fetch.by_id, ""};
        notice.fields = {{"record_id", code},
                         {"in_group", !fetch.direct},
                         {"command", settings.report.supplement_command()}};
        notice.fields[fetch.reason.empty() ? std::string("unreachable") : fetch.reason] = true;
        decision.notices.push_back(std::move(notice));
    }
    decision.audit.push_back(std::move(audit));
    decision.changes.emplace_back(EvidenceFetchRecorded{fetch, event.time});
    return decision;
}

}  // namespace ledgerbot::bot::reports
