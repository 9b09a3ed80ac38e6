#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/model/directory.hpp"
#include "storage/directory_import.hpp"
#include "storage/storage_error.hpp"

namespace ledgerbot::storage {

/// The qualified company list (名单库) and the staff directory as the bot reads them.
class DirectoryRepository {
public:
    explicit DirectoryRepository(SQLite::Database& db) : db_(db) {}

    /// A CSV import with the built-in headers and no value list (storage::DirectoryImport does
    /// the work; `ledgerbot import` uses it with the configured rules, xlsx and dry runs).
    /// Columns: full_name/企业全称, short_names/简称, industry/所属行业, listing_status/挂牌状态,
    /// department/责任部门, account_manager/客户经理, served_since/服务起始日期.
    result<ImportReport> import_companies(std::string_view csv, std::int64_t now);
    /// Columns: id/账号, name/姓名, department/部门, titles/职务.
    result<ImportReport> import_staff(std::string_view csv, std::int64_t now);

    /// Active staff only; those deactivated are in the snapshot's former staff, for names.

    result<bot::model::Directory> load();
    /// Bumped by every import so a running server notices and reloads its snapshot.
    result<std::int64_t> version();

private:
    SQLite::Database& db_;
};

}  // namespace ledgerbot::storage
