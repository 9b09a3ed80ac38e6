#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/model/group_registry.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/model/ledger_types.hpp"
#include "bot/model/notice.hpp"
#include "bot/model/points.hpp"
#include "bot/model/score_review.hpp"

namespace ledgerbot::bot {

struct VisitRecordCreated {
    model::VisitRecord record;
};

struct DemandCreated {
    model::Demand demand;
};

/// A demand as it is after a command or a check, with the history line that says why.
struct DemandUpdated {
    model::Demand demand;
    std::optional<model::DemandHistoryEntry> history;
};

struct BriefingRecorded {
    model::Briefing briefing;
};
/// `/补充 V12 …`: a record's fields after a supplement. Storage updates the parts a supplement
/// can change (company, time, mode, visitors, values, missing, complete) and keeps the
/// supplement itself as history, so no value is overwritten without a trace.
struct VisitRecordSupplemented {
    model::VisitRecord record;                          ///< the whole record as it is afterwards
    std::map<model::VisitField, std::string> supplied;  ///< what this supplement wrote
    std::map<model::VisitField, std::string> previous;  ///< those fields' values before ("" = none)
    std::string by_id;
    std::string by_name;
    std::string channel;   ///< the adapter the supplement came through
    std::string event_id;  ///< the supplement message's event id
    std::int64_t at = 0;
};

/// An image attached as evidence. Storage keeps the reference and starts fetching its bytes.
struct EvidenceAttached {
    model::Evidence evidence;
};

/// The fetcher's result for one evidence item: its bytes are stored (fetch.sha256), or they
/// could not be fetched (fetch.error) and the evidence no longer counts.
struct EvidenceFetchRecorded {
    model::EvidenceFetch fetch;
    std::int64_t at = 0;
};

struct EvidenceAwaited {
    model::EvidenceWait wait;
};

using LedgerChange =
    std::variant<VisitRecordCreated, DemandCreated, DemandUpdated, BriefingRecorded,
                 VisitRecordSupplemented, EvidenceAttached, EvidenceFetchRecorded, EvidenceAwaited>;

/// A group's registry row as it is after the event (inserted or replaced whole).
struct GroupSaved {
    model::GroupRecord group;
};

/// A member's row in a group as it is after the event (inserted or replaced whole).
struct MemberSaved {
    std::string source;
    std::string chat_id;
    model::GroupMemberRecord member;
};

struct RiskRaised {
    model::Risk risk;
};

struct RiskClosed {
    std::int64_t number = 0;
    std::int64_t closed_at = 0;
    std::string reason;  ///< e.g. "a compliance member joined", "group dismissed", or a note
    std::string by{};    ///< who closed it; "" for the bot
};

struct RiskAcknowledged {
    std::int64_t number = 0;
    std::string by;
    std::int64_t at = 0;
    std::string note{};
};

struct RiskEscalated {
    std::int64_t number = 0;
    std::int64_t at = 0;
};

/// Changes to the group registry (第九条) and to the risk register.
using GroupChange =
    std::variant<GroupSaved, MemberSaved, RiskRaised, RiskClosed, RiskAcknowledged, RiskEscalated>;

struct FindingRecorded {
    model::VisitFinding finding;
};

struct VisitVoided {
    model::VisitVoid voided;
};

struct ScoreReviewed {
    model::ScoreReview review;
};

/// Entries appended to the points journal; entries are never changed afterwards.
struct PointsEntered {
    std::vector<model::PointEntry> entries;
};

/// A line's weekly table as the Monday post published it.
struct TablePublished {
    model::PublishedTable table;
};

/// Changes to what scoring reads besides the ledger (第十七条): findings, voids, reviews, the
/// points journal and the published tables.
using ScoreChange =
    std::variant<FindingRecorded, VisitVoided, ScoreReviewed, PointsEntered, TablePublished>;

/// The daily retention run: processed inbox events received before `raw_before` lose their raw
/// JSON (a redacted form with ids, type, times and the original's sha256 remains), and notices
/// sent before `sent_before` lose their text. Storage applies it and audits the counts.
struct RetentionRun {
    std::int64_t raw_before = 0;
    std::int64_t sent_before = 0;
};

/// Work on the service's own records rather than the ledger.
using MaintenanceChange = std::variant<RetentionRun>;

/// The actor of the bot's own actions in the audit trail.
inline constexpr std::string_view kBotActor = "ledgerbot";

/// One line of the audit trail. Storage adds time, source event and the hash chain.
struct AuditEntry {
    std::string actor;    ///< person id, or "ledgerbot" for the bot's own actions
    std::string action;   ///< e.g. visit.recorded
    std::string subject;  ///< e.g. V-12
    nlohmann::json detail = nlohmann::json::object();
};

/// Everything the engine decided about one event. Storage applies it in one transaction
/// together with marking the event processed, so a crash can never apply half of it.
struct Decision {
    std::vector<LedgerChange> changes;
    std::vector<GroupChange> group_changes;
    std::vector<ScoreChange> score_changes;
    std::vector<MaintenanceChange> maintenance;
    std::vector<model::Notice> notices;
    std::vector<AuditEntry> audit;

    bool empty() const {
        return changes.empty() && group_changes.empty() && score_changes.empty() &&
               maintenance.empty() && notices.empty() && audit.empty();
    }
    /// Appends everything `other` decided after what this one decided.
    void append(Decision other);
};

}  // namespace ledgerbot::bot
