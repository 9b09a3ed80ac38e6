#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/settings/import_settings.hpp"
#include "storage/csv_table.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

struct ImportProblem {
    int row = 0;  ///< the spreadsheet row, the header being row 1; 0 = the file as a whole
    std::string message;
};

/// One row the import adds, changes, deactivates or brings back.
struct ImportChange {
    enum class Kind { added, updated, deactivated, reactivated };
    Kind kind = Kind::added;
    std::string key;                  ///< the company's full name, the staff member's id
    std::string name;                 ///< the staff member's name (companies: empty)
    std::vector<std::string> fields;  ///< updated: `department: 市场发展部 → 企业服务部`
};

struct ImportReport {
    int inserted = 0;
    int updated = 0;
    int deactivated = 0;
    std::vector<ImportProblem> problems;  ///< non-empty means nothing was written
    std::vector<ImportChange> changes;    ///< what was (or, in a dry run, would be) written
    std::vector<std::string> warnings;    ///< written anyway, but the operator should know

    bool ok() const { return problems.empty(); }
};

struct ImportOptions {
    bool dry_run = false;  ///< check and report the changes, write nothing
    bool replace = false;  ///< staff: people absent from the file are deactivated
    /// The audit trail's actor (operator:<login>). Empty only for fixtures loaded by code
    /// (DirectoryRepository's CSV helpers, tests): not audited. `ledgerbot import` always sets it.
    std::string actor;
    std::string file;  ///< for the audit entry
};

/// The company list (名单库) and the staff directory from a table (CSV or xlsx). All or
/// nothing: every row is checked first and one bad row leaves the database untouched. Headers
/// are matched by the built-in names and the configured ones; values are checked (a listing
/// status from the configured list; an account manager who is in the staff directory, by id or
/// by a name only one person has). A staff member is never deleted: `replace` deactivates those
/// absent from the file (their records keep their names; roles, notices and permissions stop).
/// Every import and every (de)activation is audited in the import's transaction.
class DirectoryImport {
public:
    DirectoryImport(SQLite::Database& db, bot::settings::ImportSettings settings)
        : db_(db), settings_(std::move(settings)) {}

    result<ImportReport> companies(const TextTable& table, const ImportOptions& options,
                                   std::int64_t now);
    result<ImportReport> staff(const TextTable& table, const ImportOptions& options,
                               std::int64_t now);

private:
    SQLite::Database& db_;
    bot::settings::ImportSettings settings_;
};

}  // namespace ledgerbot::storage
