#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// An evidence item whose bytes are still to be fetched: the row is its own fetch job.
struct EvidenceFetchJob {
    std::int64_t id = 0;
    std::int64_t visit_number = 0;
    std::string channel;
    std::string event_id;
    std::string url;
    std::string media_id;
    std::string upload_id;
    std::string by_id;
    std::string chat_id;
    bool direct = false;
    std::int64_t at = 0;  ///< posted
    int attempts = 0;
};

/// One evidence item as the export lists it.
struct EvidenceItem {
    std::int64_t id = 0;
    std::int64_t visit_number = 0;
    std::string status;  ///< pending | fetched | failed
    std::string sha256;
    std::string mime;
    std::int64_t size = 0;
    std::string source;  ///< the platform reference: media_id, URL or upload id
    std::string channel;
    std::string by_id;
    std::int64_t at = 0;
    std::string error;
};

struct EvidenceCounts {
    std::int64_t pending = 0;
    std::int64_t fetched = 0;
    std::int64_t failed = 0;
};

/// The evidence rows' fetch state, for the fetcher, the metrics, the export and `audit verify`.
/// What a fetch found is recorded by the engine (EvidenceFetchRecorded), not here.
class EvidenceRepository {
public:
    explicit EvidenceRepository(SQLite::Database& db) : db_(db) {}

    /// Pending rows whose next attempt is due, oldest first.
    result<std::vector<EvidenceFetchJob>> due(std::int64_t now, int limit);
    /// After a failed attempt that may pass: when to try again, and why it failed.
    result<void> retry_later(std::int64_t id, std::int64_t next_at, const std::string& error);
    /// The result went to the inbox: not offered again while the engine records it (and
    /// offered again after `until` should that event never be processed).
    result<void> hold(std::int64_t id, std::int64_t until);
    result<EvidenceCounts> counts();
    result<std::vector<EvidenceItem>> of_visit(std::int64_t visit_number);
    /// Items of records whose visit (or, without one, report) time is in [from, to].
    result<std::vector<EvidenceItem>> of_visits_between(std::int64_t from, std::int64_t to);
    /// Every stored file's hash, each once, with the first evidence id that uses it.
    result<std::vector<std::pair<std::string, std::int64_t>>> stored_files();

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
