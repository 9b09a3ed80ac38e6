#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/model/directory.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

struct ImportProblem {
    int row = 0;  ///< CSV record number, the header being row 1
    std::string message;
};

struct ImportReport {
    int inserted = 0;
    int updated = 0;
    std::vector<ImportProblem> problems;  ///< non-empty means nothing was written

    bool ok() const { return problems.empty(); }
};

/// The qualified company list (名单库) and the staff directory. Imports are all-or-nothing:
/// every row is checked first and one bad row leaves the database untouched.
class DirectoryRepository {
public:
    explicit DirectoryRepository(SQLite::Database& db) : db_(db) {}

    /// Columns (English or Chinese header): full_name/企业全称, short_names/简称,
    /// industry/所属行业, listing_status/挂牌状态, department/责任部门, account_manager/客户经理.
    result<ImportReport> import_companies(std::string_view csv, std::int64_t now);
    /// Columns: id/账号, name/姓名, department/部门, titles/职务.
    result<ImportReport> import_staff(std::string_view csv, std::int64_t now);

    result<bot::model::Directory> load();
    /// Bumped by every import so a running server notices and reloads its snapshot.
    result<std::int64_t> version();

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
