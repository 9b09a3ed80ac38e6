#pragma once

namespace ledgerbot::storage {

/// Process-wide SQLite settings, applied before the first connection opens (SQLite accepts
/// them only then; later calls change nothing and return false).
///
/// Memory statistics off: with them on, every allocation inside SQLite takes one global mutex,
/// and the ingest thread (the received file) and the store thread (the ledger) allocate
/// constantly; under load the store thread spent a large share of its time waiting for that
/// mutex (perf sched:sched_switch, issue 15). ledgerbot never reads the statistics.
bool configure_sqlite_process();

}  // namespace ledgerbot::storage
