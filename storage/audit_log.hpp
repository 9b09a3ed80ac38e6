#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/decision.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

struct AuditVerification {
    bool ok = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> bad_seq;  ///< first row whose content or link does not verify
    std::string reason;
};

/// One stored row of the trail, hashes included (an export can be verified without the database).
struct AuditRecord {
    std::int64_t seq = 0;
    std::int64_t at = 0;
    std::string actor;
    std::string action;
    std::string subject;
    std::string detail_json;
    std::string source_event;
    std::string prev_hash;
    std::string hash;
};

/// Which rows `each` reads; empty fields do not filter.
struct AuditFilter {
    std::optional<std::int64_t> since;  ///< at >= since
    std::string actor;
    std::string action;  ///< exact, or a prefix ending in '.' ("visit." for every visit action)
    std::optional<std::int64_t> before;  ///< seq < before: the page before one already shown
    std::int64_t limit = 0;              ///< the newest `limit` rows (still oldest first); 0 = all
};

/// The append-only, hash-chained audit trail (第二条 跟踪留痕、考评有据). Each row's hash covers
/// its content and the previous row's hash; the chain tip is also kept in `meta`, so editing,
/// deleting or truncating rows is detected by `verify`.
class AuditLog {
public:
    explicit AuditLog(SQLite::Database& db) : db_(db) {}

    /// Appends within the caller's transaction.
    void append(const bot::AuditEntry& entry, std::int64_t at, const std::string& source_event);
    /// The entries of one event, in order: the chain's head is read and written once for all.
    void append_all(const std::vector<bot::AuditEntry>& entries, std::int64_t at,
                    const std::string& source_event);
    result<AuditVerification> verify();
    /// Calls `visit` for each row that passes `filter`, oldest first; returns how many.
    result<std::int64_t> each(const AuditFilter& filter,
                              const std::function<void(const AuditRecord&)>& visit);

    static std::string entry_hash(const std::string& prev_hash, std::int64_t seq, std::int64_t at,
                                  const std::string& actor, const std::string& action,
                                  const std::string& subject, const std::string& detail_json,
                                  const std::string& source_event);

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
