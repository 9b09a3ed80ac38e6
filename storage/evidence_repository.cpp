#include "storage/evidence_repository.hpp"
#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Statement.h>

namespace ledgerbot::storage {
namespace {

constexpr const char* kItemColumns =
    "e.id, e.visit_number, e.fetch_status, COALESCE(e.sha256, ''), COALESCE(e.mime, ''), "
    "COALESCE(e.size_bytes, 0), CASE WHEN e.upload_id != '' THEN 'upload:' || e.upload_id "
    "WHEN e.media_id != '' THEN 'media_id:' || e.media_id ELSE e.url END, e.channel, e.by_id, "
    "e.at, e.fetch_error";

EvidenceItem item_from_row(SQLite::Statement& q) {
    return EvidenceItem{
        q.getColumn(0).getInt64(),  q.getColumn(1).getInt64(),  q.getColumn(2).getString(),
        q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64(),
        q.getColumn(6).getString(), q.getColumn(7).getString(), q.getColumn(8).getString(),
        q.getColumn(9).getInt64(),  q.getColumn(10).getString()};
}

}  // namespace

result<std::vector<EvidenceFetchJob>> EvidenceRepository::due(std::int64_t now, int limit) {
    return guarded([&] {
        Prepared query(
            db_,
            "SELECT id, visit_number, channel, event_id, url, media_id, upload_id, by_id, "
            "chat_id, direct, at, fetch_attempts FROM visit_evidence WHERE fetch_status = "
            "'pending' AND next_fetch_at <= ? ORDER BY next_fetch_at, id LIMIT ?");
        query->bind(1, now);
        query->bind(2, limit);
        std::vector<EvidenceFetchJob> out;
        while (query->executeStep()) {
            out.push_back(
                EvidenceFetchJob{query->getColumn(0).getInt64(), query->getColumn(1).getInt64(),
                                 query->getColumn(2).getString(), query->getColumn(3).getString(),
                                 query->getColumn(4).getString(), query->getColumn(5).getString(),
                                 query->getColumn(6).getString(), query->getColumn(7).getString(),
                                 query->getColumn(8).getString(), query->getColumn(9).getInt() != 0,
                                 query->getColumn(10).getInt64(), query->getColumn(11).getInt()});
        }
        return out;
    });
}

result<void> EvidenceRepository::retry_later(std::int64_t id, std::int64_t next_at,
                                             const std::string& error) {
    return guarded([&] {
        Prepared update(db_,
                        "UPDATE visit_evidence SET fetch_attempts = fetch_attempts + 1, "
                        "next_fetch_at = ?, fetch_error = ? WHERE id = ? AND "
                        "fetch_status = 'pending'");
        update->bind(1, next_at);
        update->bind(2, error);
        update->bind(3, id);
        update->exec();
    });
}

result<void> EvidenceRepository::hold(std::int64_t id, std::int64_t until) {
    return guarded([&] {
        Prepared update(db_,
                        "UPDATE visit_evidence SET next_fetch_at = ? WHERE id = ? AND "
                        "fetch_status = 'pending'");
        update->bind(1, until);
        update->bind(2, id);
        update->exec();
    });
}

result<EvidenceCounts> EvidenceRepository::counts() {
    return guarded([&] {
        EvidenceCounts counts;
        Prepared query(db_,
                       "SELECT fetch_status, COUNT(*) FROM visit_evidence GROUP BY fetch_status");
        while (query->executeStep()) {
            const std::string status = query->getColumn(0).getString();
            const std::int64_t n = query->getColumn(1).getInt64();
            (status == "fetched"  ? counts.fetched
             : status == "failed" ? counts.failed
                                  : counts.pending) += n;
        }
        return counts;
    });
}

result<std::vector<EvidenceItem>> EvidenceRepository::of_visit(std::int64_t visit_number) {
    return guarded([&] {
        Prepared query(db_, std::string("SELECT ") + kItemColumns +
                                " FROM visit_evidence e WHERE e.visit_number = ? "
                                "ORDER BY e.id");
        query->bind(1, visit_number);
        std::vector<EvidenceItem> out;
        while (query->executeStep()) {
            out.push_back(item_from_row(query));
        }
        return out;
    });
}

result<std::vector<EvidenceItem>> EvidenceRepository::of_visits_between(std::int64_t from,
                                                                        std::int64_t to) {
    return guarded([&] {
        Prepared query(
            db_, std::string("SELECT ") + kItemColumns +
                     " FROM visit_evidence e JOIN visits v ON v.number = e.visit_number WHERE "
                     "COALESCE(v.visit_time, v.reported_at) BETWEEN ? AND ? ORDER BY "
                     "e.visit_number, e.id");
        query->bind(1, from);
        query->bind(2, to);
        std::vector<EvidenceItem> out;
        while (query->executeStep()) {
            out.push_back(item_from_row(query));
        }
        return out;
    });
}

result<std::vector<std::pair<std::string, std::int64_t>>> EvidenceRepository::stored_files() {
    return guarded([&] {
        Prepared query(db_,
                       "SELECT sha256, MIN(id) FROM visit_evidence WHERE fetch_status = "
                       "'fetched' GROUP BY sha256 ORDER BY MIN(id)");
        std::vector<std::pair<std::string, std::int64_t>> out;
        while (query->executeStep()) {
            out.emplace_back(query->getColumn(0).getString(), query->getColumn(1).getInt64());
        }
        return out;
    });
}

}  // namespace ledgerbot::storage
