#pragma once

#include <cstdint>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/received_inbox.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

struct ImportOutcome {
    int taken = 0;          ///< new events now in the ledger's inbox, pending
    int already_known = 0;  ///< events the ledger had already (stored before an upgrade)
    std::int64_t taken_through = 0;
};

/// The ledger side of the two-file inbox. The ledger records the sequence number of the last
/// received event it took (`inbox_import.taken_through`) in the same transaction as the rows it
/// adds to its own inbox table, from which EventProcessor processes them as before. So after a
/// crash an acknowledged event is either still to be taken or taken exactly once: never lost
/// (it is in the received file), never doubled (the ledger's dedup key is unique too). The
/// cursor belongs to one received file (its identity): with another one, taking restarts at its
/// beginning.
result<ImportOutcome> take_received(SQLite::Database& ledger, ReceivedInbox& received, int limit);

/// The two halves of take_received, for a caller that takes events in the transaction that also
/// processes them (EventProcessor): one commit, and the inbox rows written once. The first reads
/// what to take (outside any ledger transaction; it resets the cursor for another received
/// file); the second adds them and advances the cursor in the caller's transaction, skipping
/// what another writer took meanwhile. It throws SQLite::Exception.
result<std::vector<ReceivedEvent>> received_to_take(SQLite::Database& ledger,
                                                    ReceivedInbox& received, int limit);
ImportOutcome take_within(SQLite::Database& ledger, const std::vector<ReceivedEvent>& rows);

/// The last received sequence number the ledger took.
result<std::int64_t> taken_through(SQLite::Database& ledger);

}  // namespace ledgerbot::storage
