#include "storage/audit_log.hpp"
#include "storage/statement_cache.hpp"

#include "storage/sha256.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <memory>

namespace ledgerbot::storage {
namespace {

constexpr std::string_view kGenesis = "genesis";

// Length-prefixing each field makes the encoding unambiguous: no choice of field contents can
// make two different entries hash the same input.
void put(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
    out += ';';
}

std::string meta_value(SQLite::Database& db, const char* key, std::string fallback) {
    Prepared query(db, "SELECT value FROM meta WHERE key = ?");
    query->bind(1, key);
    return query->executeStep() ? query->getColumn(0).getString() : fallback;
}

void set_meta(SQLite::Database& db, const char* key, const std::string& value) {
    Prepared upsert(db,
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO "
                    "UPDATE SET value = excluded.value");
    upsert->bind(1, key);
    upsert->bind(2, value);
    upsert->exec();
}

}  // namespace

std::string AuditLog::entry_hash(const std::string& prev_hash, std::int64_t seq, std::int64_t at,
                                 const std::string& actor, const std::string& action,
                                 const std::string& subject, const std::string& detail_json,
                                 const std::string& source_event) {
    std::string input;
    put(input, prev_hash);
    put(input, std::to_string(seq));
    put(input, std::to_string(at));
    put(input, actor);
    put(input, action);
    put(input, subject);
    put(input, detail_json);
    put(input, source_event);
    return sha256_hex(input);
}

void AuditLog::append(const bot::AuditEntry& entry, std::int64_t at,
                      const std::string& source_event) {
    append_all(std::vector<bot::AuditEntry>{entry}, at, source_event);
}

void AuditLog::append_all(const std::vector<bot::AuditEntry>& entries, std::int64_t at,
                          const std::string& source_event) {
    if (entries.empty()) {
        return;
    }
    std::string prev_hash = meta_value(db_, "audit_head_hash", std::string(kGenesis));
    std::int64_t seq = std::stoll(meta_value(db_, "audit_head_seq", "0"));
    Prepared insert(db_,
                    "INSERT INTO audit_log (seq, at, actor, action, subject, detail_json, "
                    "source_event, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const bot::AuditEntry& entry : entries) {
        ++seq;
        const std::string detail = entry.detail.dump();
        std::string hash = entry_hash(prev_hash, seq, at, entry.actor, entry.action, entry.subject,
                                      detail, source_event);
        insert->reset();
        insert->bind(1, seq);
        insert->bind(2, at);
        insert->bind(3, entry.actor);
        insert->bind(4, entry.action);
        insert->bind(5, entry.subject);
        insert->bind(6, detail);
        insert->bind(7, source_event);
        insert->bind(8, prev_hash);
        insert->bind(9, hash);
        insert->exec();
        prev_hash = std::move(hash);
    }
    set_meta(db_, "audit_head_hash", prev_hash);
    set_meta(db_, "audit_head_seq", std::to_string(seq));
}

result<AuditVerification> AuditLog::verify() {
    return guarded([&] {
        AuditVerification result;
        Prepared query(db_,
                       "SELECT seq, at, actor, action, subject, detail_json, "
                       "source_event, prev_hash, hash FROM audit_log ORDER BY seq");
        std::string expected_prev(kGenesis);
        std::int64_t expected_seq = 1;
        auto fail = [&](std::int64_t seq, std::string reason) {
            result.ok = false;
            result.bad_seq = seq;
            result.reason = std::move(reason);
        };
        while (query->executeStep()) {
            const std::int64_t seq = query->getColumn(0).getInt64();
            const std::string prev = query->getColumn(7).getString();
            const std::string stored = query->getColumn(8).getString();
            ++result.entries;
            if (seq != expected_seq) {
                fail(expected_seq, "entry " + std::to_string(expected_seq) + " is missing");
                return result;
            }
            if (prev != expected_prev) {
                fail(seq, "entry " + std::to_string(seq) + " does not link to the previous entry");
                return result;
            }
            const std::string computed = entry_hash(
                prev, seq, query->getColumn(1).getInt64(), query->getColumn(2).getString(),
                query->getColumn(3).getString(), query->getColumn(4).getString(),
                query->getColumn(5).getString(), query->getColumn(6).getString());
            if (computed != stored) {
                fail(seq, "entry " + std::to_string(seq) + " was modified after it was written");
                return result;
            }
            expected_prev = stored;
            ++expected_seq;
        }
        const std::int64_t head_seq = std::stoll(meta_value(db_, "audit_head_seq", "0"));
        const std::string head_hash = meta_value(db_, "audit_head_hash", std::string(kGenesis));
        if (head_seq != expected_seq - 1 || head_hash != expected_prev) {
            fail(expected_seq, "entries after " + std::to_string(expected_seq - 1) +
                                   " were deleted (chain tip is entry " + std::to_string(head_seq) +
                                   ")");
        }
        return result;
    });
}

result<std::int64_t> AuditLog::each(const AuditFilter& filter,
                                    const std::function<void(const AuditRecord&)>& visit) {
    return guarded([&] {
        // The filters are bound, never spliced; "newest N" reads the tail and turns it around.
        const std::string where =
            "WHERE (?1 IS NULL OR at >= ?1) AND (?2 = '' OR actor = ?2) AND (?3 = '' OR "
            "action = ?3 OR (substr(?3, -1) = '.' AND substr(action, 1, length(?3)) = ?3)) AND "
            "(?5 IS NULL OR seq < ?5)";
        const std::string columns =
            "seq, at, actor, action, subject, detail_json, source_event, prev_hash, hash";
        const std::string sql =
            filter.limit > 0 ? "SELECT * FROM (SELECT " + columns + " FROM audit_log " + where +
                                   " ORDER BY seq DESC LIMIT ?4) ORDER BY seq"
                             : "SELECT " + columns + " FROM audit_log " + where + " ORDER BY seq";
        SQLite::Statement query(db_, sql);
        if (filter.since) {
            query.bind(1, *filter.since);
        } else {
            query.bind(1);
        }
        query.bind(2, filter.actor);
        query.bind(3, filter.action);
        if (filter.limit > 0) {
            query.bind(4, filter.limit);
        }
        if (filter.before) {
            query.bind(5, *filter.before);
        } else {
            query.bind(5);
        }
        std::int64_t count = 0;
        while (query.executeStep()) {
            AuditRecord record;
            record.seq = query.getColumn(0).getInt64();
            record.at = query.getColumn(1).getInt64();
            record.actor = query.getColumn(2).getString();
            record.action = query.getColumn(3).getString();
            record.subject = query.getColumn(4).getString();
            record.detail_json = query.getColumn(5).getString();
            record.source_event = query.getColumn(6).getString();
            record.prev_hash = query.getColumn(7).getString();
            record.hash = query.getColumn(8).getString();
            visit(record);
            ++count;
        }
        return count;
    });
}

}  // namespace ledgerbot::storage
