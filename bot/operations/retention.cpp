#include "bot/operations/retention.hpp"

namespace ledgerbot::bot::operations {

namespace {
constexpr std::int64_t kDay = 86400;
}  // namespace

Decision run_retention(const JobCall& call) {
    Decision decision;
    const settings::RetentionSettings& retention = call.settings.retention;
    decision.maintenance.emplace_back(
        RetentionRun{call.tick.time - retention.raw_events_days * kDay,
                     call.tick.time - retention.sent_notices_days * kDay});
    return decision;
}

}  // namespace ledgerbot::bot::operations
