#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace ledgerbot::storage {

/// Copies a live database into `destination` with SQLite's online backup API: a consistent
/// snapshot while the service keeps writing (copying the .db file of a running service is not:
/// the WAL holds what the file does not yet). `destination` must not exist; it is written to a
/// temporary name, checked with `PRAGMA integrity_check`, synced and then renamed.
void backup_database(SQLite::Database& source, const std::filesystem::path& destination);

/// Backups taken before a migration: `<directory>/ledgerbot-v<version>-<YYYYMMDDTHHMMSS>.db`,
/// keeping the newest `keep` of them. Returns the new file.
std::filesystem::path backup_before_migration(SQLite::Database& db,
                                              const std::filesystem::path& directory, int keep,
                                              int from_version, std::int64_t now);

/// `PRAGMA integrity_check`: empty when the database is sound, else what SQLite found.
std::vector<std::string> integrity_problems(SQLite::Database& db);

}  // namespace ledgerbot::storage
