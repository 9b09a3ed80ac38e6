#pragma once

#include "bot/decision.hpp"
#include "bot/handler_call.hpp"

/// Personal data kept only as long as needed (JR/T 0171-2020 treats phone and ID numbers as C2):
/// the daily `retention` job.
namespace ledgerbot::bot::operations {

/// Redacts processed raw events older than [retention] raw_events_days and drops the text of
/// notices sent more than sent_notices_days ago (storage applies it and audits the counts).
Decision run_retention(const JobCall& call);

}  // namespace ledgerbot::bot::operations
