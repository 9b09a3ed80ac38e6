#pragma once

#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/ledger_types.hpp"
#include "bot/notice.hpp"

namespace ledgerbot::bot {

struct VisitRecordCreated {
    VisitRecord record;
};

struct DemandCreated {
    Demand demand;
};

using LedgerChange = std::variant<VisitRecordCreated, DemandCreated>;

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
    std::vector<Notice> notices;
    std::vector<AuditEntry> audit;

    bool empty() const { return changes.empty() && notices.empty() && audit.empty(); }
};

}  // namespace ledgerbot::bot
