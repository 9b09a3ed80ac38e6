#include "storage/directory_import.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>

#include "bot/model/directory.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "storage/audit_log.hpp"
#include "storage/statement_cache.hpp"

namespace ledgerbot::storage {
namespace {

struct Column {
    std::string key;
    std::vector<std::string> headers;
    bool required;
    std::string label;  ///< how messages name it
};

std::vector<Column> with_configured(std::vector<Column> columns,
                                    const std::map<std::string, std::vector<std::string>>& extra) {
    for (auto& column : columns) {
        if (auto it = extra.find(column.key); it != extra.end()) {
            column.headers.insert(column.headers.end(), it->second.begin(), it->second.end());
        }
    }
    return columns;
}

std::vector<Column> company_columns(const bot::settings::ImportSettings& settings) {
    return with_configured(
        {
            {"full_name", {"full_name", "企业全称", "企业名称", "公司名称"}, true, "企业全称"},
            {"short_names", {"short_names", "简称", "企业简称"}, false, "简称"},
            {"industry", {"industry", "所属行业", "行业"}, false, "所属行业"},
            {"listing_status", {"listing_status", "挂牌状态", "上市挂牌状态"}, false, "挂牌状态"},
            {"department", {"department", "责任部门", "所属部门", "部门"}, false, "责任部门"},
            {"account_manager", {"account_manager", "客户经理"}, false, "客户经理"},
            {"served_since",
             {"served_since", "服务起始日期", "首次服务日期"},
             false,
             "服务起始日期"},
        },
        settings.company_headers);
}

std::vector<Column> staff_columns(const bot::settings::ImportSettings& settings) {
    return with_configured(
        {
            {"id", {"id", "账号", "工号", "userid", "企业微信账号"}, true, "账号"},
            {"name", {"name", "姓名"}, true, "姓名"},
            {"department", {"department", "部门", "所属部门"}, false, "部门"},
            {"titles", {"titles", "职务", "岗位"}, false, "职务"},
            {"wechat_id", {"wechat_id", "微信号", "微信ID", "微信id", "微信"}, false, "微信号"},
        },
        settings.staff_headers);
}

using Row = std::map<std::string, std::string>;

struct Rows {
    std::vector<Row> rows;
    std::vector<int> numbers;
    std::set<std::string> columns;  ///< the keys the file has: only those are updated
};

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Maps header cells to column keys; an unknown header is an error so that a misspelt column is
// not silently dropped.
Rows read_rows(const TextTable& table, const std::vector<Column>& columns,
               std::vector<ImportProblem>& problems) {
    std::vector<std::optional<std::string>> keys;
    std::set<std::string> seen;
    for (const auto& raw : table.header) {
        const std::string cell = trimmed(raw);
        std::optional<std::string> key;
        for (const auto& column : columns) {
            if (std::find(column.headers.begin(), column.headers.end(), cell) !=
                column.headers.end()) {
                key = column.key;
            }
        }
        if (!key) {
            problems.push_back({1, "unknown column \"" + cell +
                                       "\" (add it to [import] headers in the config if it is "
                                       "one of ours under another name)"});
        } else if (!seen.insert(*key).second) {
            problems.push_back({1, "column \"" + cell + "\" repeats " + *key});
        }
        keys.push_back(key);
    }
    for (const auto& column : columns) {
        if (column.required && !seen.count(column.key)) {
            problems.push_back(
                {1, "required column \"" + column.label + "\" (" + column.key + ") is missing"});
        }
    }
    Rows out;
    out.columns = seen;
    if (!problems.empty()) {
        return out;
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& cells = table.rows[r];
        const int number = table.row_numbers[r];
        if (cells.size() > keys.size()) {
            problems.push_back({number, "has " + std::to_string(cells.size()) +
                                            " fields but the header has " +
                                            std::to_string(keys.size())});
            continue;
        }
        Row row;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            row[*keys[c]] = trimmed(cells[c]);
        }
        for (const auto& column : columns) {
            if (column.required && row[column.key].empty()) {
                problems.push_back({number, "\"" + column.label + "\" is empty"});
            }
        }
        out.rows.push_back(std::move(row));
        out.numbers.push_back(number);
    }
    return out;
}

std::vector<std::string> split_list(const std::string& cell) {
    return bot::text::split_any(cell, U";；、|,，");
}

std::string cell(const Row& row, const std::string& key) {
    auto it = row.find(key);
    return it == row.end() ? std::string{} : it->second;
}

std::string list_text(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : "、") + item;
    }
    return out;
}

void bump_version(SQLite::Database& db) {
    db.exec(
        "INSERT INTO meta (key, value) VALUES ('directory_version', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
}

/// A 服务起始日期 as unix seconds (local midnight); nullopt when none was given.
std::optional<std::int64_t> served_since_seconds(const std::string& text) {
    const auto date = bot::time::parse_iso_date(text);
    return date ? std::optional(bot::time::from_local(*date, 0, 0, 0)) : std::nullopt;
}

void sort_problems(std::vector<ImportProblem>& problems) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const auto& a, const auto& b) { return a.row < b.row; });
}

void diff(std::vector<std::string>& out, const std::string& label, const std::string& before,
          const std::string& after) {
    if (before != after) {
        out.push_back(label + ": " + (before.empty() ? "(empty)" : before) + " → " +
                      (after.empty() ? "(empty)" : after));
    }
}

struct StoredStaff {
    std::string name;
    std::string department;
    std::vector<std::string> titles;
    bool active = true;
    std::string wechat_id;
};

std::map<std::string, StoredStaff> stored_staff(SQLite::Database& db) {
    std::map<std::string, StoredStaff> out;
    Prepared query(db,
                   "SELECT id, name, department, titles, deactivated_at IS NULL, "
                   "COALESCE(wechat_id, '') FROM staff ORDER BY id");
    while (query->executeStep()) {
        out[query->getColumn(0).getString()] = {
            query->getColumn(1).getString(), query->getColumn(2).getString(),
            nlohmann::json::parse(query->getColumn(3).getString()).get<std::vector<std::string>>(),
            query->getColumn(4).getInt() != 0, query->getColumn(5).getString()};
    }
    return out;
}

void audit_import(SQLite::Database& db, const ImportOptions& options, const char* what,
                  const ImportReport& report, std::int64_t now) {
    if (options.actor.empty()) {
        return;
    }
    AuditLog(db).append({options.actor,
                         "directory.imported",
                         what,
                         {{"file", options.file},
                          {"added", report.inserted},
                          {"updated", report.updated},
                          {"deactivated", report.deactivated},
                          {"replace", options.replace}}},
                        now, "cli");
}

// A WeChat id names one person: not another row's WeChat id, and not another person's staff id
// (a bridge's id that is a staff id is taken as that staff member).
void check_wechat_ids(const Rows& rows, const std::map<std::string, StoredStaff>& stored,
                      ImportReport& report) {
    std::map<std::string, std::string> owner_of;  // WeChat id → staff id, after this import
    std::set<std::string> in_file;
    for (const Row& row : rows.rows) {
        in_file.insert(cell(row, "id"));
    }
    for (const auto& [id, member] : stored) {
        if (!member.wechat_id.empty() && (!in_file.count(id) || !rows.columns.count("wechat_id"))) {
            owner_of.emplace(member.wechat_id, id);
        }
    }
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        const std::string id = cell(rows.rows[i], "id");
        const std::string wechat_id = cell(rows.rows[i], "wechat_id");
        if (wechat_id.empty()) {
            continue;
        }
        if (auto it = owner_of.find(wechat_id); it != owner_of.end() && it->second != id) {
            report.problems.push_back(
                {rows.numbers[i], "微信号 \"" + wechat_id + "\" already belongs to " + it->second});
        } else if (wechat_id != id && (stored.count(wechat_id) || in_file.count(wechat_id))) {
            report.problems.push_back(
                {rows.numbers[i], "微信号 \"" + wechat_id + "\" is the 账号 of another person"});
        }
    }
}

// Group memberships a WeChat bridge recorded under the WeChat id before the id was imported
// become the staff row's, so the next snapshot does not see the person leave and come back.
void relink_wechat_memberships(SQLite::Database& db, const std::string& staff_id,
                               const std::string& wechat_id, ImportReport& report) {
    if (wechat_id.empty() || wechat_id == staff_id) {
        return;
    }
    Prepared members(db,
                     "UPDATE OR IGNORE group_members SET member_id = ?, external = 0 WHERE "
                     "member_id = ?");
    members->bind(1, staff_id);
    members->bind(2, wechat_id);
    const int moved = members->exec();
    Prepared leftovers(db, "DELETE FROM group_members WHERE member_id = ?");
    leftovers->bind(1, wechat_id);
    leftovers->exec();
    Prepared owners(db, "UPDATE groups SET owner_id = ? WHERE owner_id = ?");
    owners->bind(1, staff_id);
    owners->bind(2, wechat_id);
    const int owned = owners->exec();
    if (moved + owned > 0) {
        report.warnings.push_back(staff_id + ": " + std::to_string(moved) +
                                  " group membership(s) and " + std::to_string(owned) +
                                  " group(s) owned under WeChat id " + wechat_id +
                                  " now belong to this staff row");
    }
}

}  // namespace

result<ImportReport> DirectoryImport::companies(const TextTable& table,
                                                const ImportOptions& options, std::int64_t now) {
    ImportReport report;
    const std::vector<Column> columns = company_columns(settings_);
    Rows rows = read_rows(table, columns, report.problems);
    if (!report.ok()) {
        return report;
    }
    const auto& allowed = settings_.listing_statuses;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        const Row& row = rows.rows[i];
        const int number = rows.numbers[i];
        const std::string since = cell(row, "served_since");
        if (!since.empty() && !bot::time::parse_iso_date(since)) {
            report.problems.push_back(
                {number, "服务起始日期 \"" + since + "\" is not a date such as 2024-03-01"});
        }
        const std::string status = cell(row, "listing_status");
        if (!status.empty() && !allowed.empty() &&
            std::find(allowed.begin(), allowed.end(), status) == allowed.end()) {
            report.problems.push_back({number, "挂牌状态 \"" + status + "\" is not one of " +
                                                   list_text(allowed) +
                                                   " ([import] listing_statuses)"});
        }
    }
    // Names must identify one company: a full or short name used twice would make reports
    // ambiguous, so that is a row error, not a silent overwrite.
    std::map<std::string, int> owner_of_name;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        const Row& row = rows.rows[i];
        std::vector<std::string> names{cell(row, "full_name")};
        for (auto& name : split_list(cell(row, "short_names"))) {
            names.push_back(name);
        }
        for (const auto& name : names) {
            auto [it, fresh] =
                owner_of_name.emplace(bot::model::normalize_name(name), rows.numbers[i]);
            if (!fresh && it->second != rows.numbers[i]) {
                report.problems.push_back(
                    {rows.numbers[i],
                     "name \"" + name + "\" is already used in row " + std::to_string(it->second)});
            }
        }
    }
    // Row problems so far are reported together with those found against the database.
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        // The account manager: a staff id, or a name exactly one active staff member has.
        const std::map<std::string, StoredStaff> staff = stored_staff(db_);
        std::map<std::string, std::vector<std::string>> ids_by_name;
        for (const auto& [id, member] : staff) {
            if (member.active) {
                ids_by_name[member.name].push_back(id);
            }
        }
        if (ids_by_name.empty()) {
            report.warnings.push_back(
                "account managers were not checked: the staff directory is empty (import staff "
                "first)");
        }
        for (std::size_t i = 0; i < rows.rows.size(); ++i) {
            Row& row = rows.rows[i];
            const std::string manager = cell(row, "account_manager");
            if (manager.empty() || ids_by_name.empty()) {
                continue;
            }
            if (auto it = staff.find(manager); it != staff.end()) {
                if (!it->second.active) {
                    report.problems.push_back(
                        {rows.numbers[i],
                         "客户经理 \"" + manager + "\" (" + it->second.name + ") is deactivated"});
                }
                continue;
            }
            const auto named = ids_by_name.find(manager);
            if (named == ids_by_name.end()) {
                report.problems.push_back(
                    {rows.numbers[i], "客户经理 \"" + manager +
                                          "\" is not in the staff directory (give a staff id or "
                                          "the name of one staff member)"});
            } else if (named->second.size() > 1) {
                report.problems.push_back(
                    {rows.numbers[i], "客户经理 \"" + manager +
                                          "\" is the name of several staff (" +
                                          list_text(named->second) + "): give the id"});
            } else {
                row["account_manager"] = named->second.front();
            }
        }
        // Names must also be unique against companies already stored that this file does not
        // re-import (their names stay); re-imported ones get the file's names.
        struct StoredCompany {
            std::vector<std::string> short_names;
            std::string industry, listing_status, department, account_manager;
            std::optional<std::int64_t> served_since;
        };
        std::map<std::string, StoredCompany> stored;
        {
            Prepared query(db_,
                           "SELECT full_name, short_names, industry, listing_status, department, "
                           "account_manager, served_since FROM companies ORDER BY id");
            while (query->executeStep()) {
                StoredCompany company{nlohmann::json::parse(query->getColumn(1).getString())
                                          .get<std::vector<std::string>>(),
                                      query->getColumn(2).getString(),
                                      query->getColumn(3).getString(),
                                      query->getColumn(4).getString(),
                                      query->getColumn(5).getString(),
                                      std::nullopt};
                if (!query->getColumn(6).isNull()) {
                    company.served_since = query->getColumn(6).getInt64();
                }
                stored.emplace(query->getColumn(0).getString(), std::move(company));
            }
        }
        std::set<std::string> reimported;
        for (const auto& row : rows.rows) {
            reimported.insert(cell(row, "full_name"));
        }
        for (const auto& [full_name, company] : stored) {
            if (reimported.count(full_name)) {
                continue;
            }
            std::vector<std::string> names{full_name};
            names.insert(names.end(), company.short_names.begin(), company.short_names.end());
            for (const auto& name : names) {
                auto it = owner_of_name.find(bot::model::normalize_name(name));
                if (it != owner_of_name.end()) {
                    report.problems.push_back(
                        {it->second, "name \"" + name + "\" is already used by " + full_name});
                }
            }
        }
        if (!report.ok()) {
            sort_problems(report.problems);
            return report;  // the transaction rolls back: nothing was written
        }
        Prepared upsert(
            db_,
            "INSERT INTO companies (full_name, short_names, industry, listing_status, department, "
            "account_manager, served_since, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (full_name) DO UPDATE SET short_names = excluded.short_names, "
            "industry = excluded.industry, listing_status = excluded.listing_status, "
            "department = excluded.department, account_manager = excluded.account_manager, "
            "served_since = excluded.served_since, updated_at = excluded.updated_at");
        for (Row row : rows.rows) {
            const std::string full_name = cell(row, "full_name");
            const auto existing = stored.find(full_name);
            if (existing != stored.end()) {
                // A column the file does not have leaves that field as it is.
                const StoredCompany& kept = existing->second;
                const auto keep = [&](const char* key, std::string value) {
                    if (!rows.columns.count(key)) {
                        row[key] = std::move(value);
                    }
                };
                keep("short_names", list_text(kept.short_names));
                keep("industry", kept.industry);
                keep("listing_status", kept.listing_status);
                keep("department", kept.department);
                keep("account_manager", kept.account_manager);
                keep("served_since",
                     kept.served_since
                         ? bot::time::format_date(bot::time::local_date(*kept.served_since))
                         : std::string{});
            }
            const std::vector<std::string> short_names = split_list(cell(row, "short_names"));
            const std::optional<std::int64_t> since =
                served_since_seconds(cell(row, "served_since"));
            ImportChange change{ImportChange::Kind::added, full_name, "", {}};
            if (existing != stored.end()) {
                const StoredCompany& before = existing->second;
                diff(change.fields, "简称", list_text(before.short_names), list_text(short_names));
                diff(change.fields, "所属行业", before.industry, cell(row, "industry"));
                diff(change.fields, "挂牌状态", before.listing_status, cell(row, "listing_status"));
                diff(change.fields, "责任部门", before.department, cell(row, "department"));
                diff(change.fields, "客户经理", before.account_manager,
                     cell(row, "account_manager"));
                const auto date_of = [](const std::optional<std::int64_t>& t) {
                    return t ? bot::time::format_date(bot::time::local_date(*t)) : std::string{};
                };
                diff(change.fields, "服务起始日期", date_of(before.served_since), date_of(since));
                change.kind = ImportChange::Kind::updated;
                if (change.fields.empty()) {
                    continue;  // unchanged: not written, not counted
                }
            }
            upsert->bind(1, full_name);
            upsert->bind(2, nlohmann::json(short_names).dump());
            upsert->bind(3, cell(row, "industry"));
            upsert->bind(4, cell(row, "listing_status"));
            upsert->bind(5, cell(row, "department"));
            upsert->bind(6, cell(row, "account_manager"));
            if (since) {
                upsert->bind(7, *since);
            } else {
                upsert->bind(7);
            }
            upsert->bind(8, now);
            upsert->exec();
            upsert->reset();
            ++(change.kind == ImportChange::Kind::added ? report.inserted : report.updated);
            report.changes.push_back(std::move(change));
        }
        if (options.dry_run) {
            return report;  // rolled back
        }
        bump_version(db_);
        audit_import(db_, options, "companies", report, now);
        tx.commit();
        return report;
    });
}

result<ImportReport> DirectoryImport::staff(const TextTable& table, const ImportOptions& options,
                                            std::int64_t now) {
    ImportReport report;
    Rows rows = read_rows(table, staff_columns(settings_), report.problems);
    if (!report.ok()) {
        return report;
    }
    std::map<std::string, int> first_row;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        auto [it, fresh] = first_row.emplace(cell(rows.rows[i], "id"), rows.numbers[i]);
        if (!fresh) {
            report.problems.push_back({rows.numbers[i], "账号 \"" + it->first +
                                                            "\" is already used in row " +
                                                            std::to_string(it->second)});
        }
    }
    std::map<std::string, int> wechat_row;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        const std::string wechat_id = cell(rows.rows[i], "wechat_id");
        if (wechat_id.empty()) {
            continue;
        }
        auto [it, fresh] = wechat_row.emplace(wechat_id, rows.numbers[i]);
        if (!fresh) {
            report.problems.push_back({rows.numbers[i], "微信号 \"" + wechat_id +
                                                            "\" is already used in row " +
                                                            std::to_string(it->second)});
        }
    }
    if (!report.ok()) {
        return report;
    }
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        const std::map<std::string, StoredStaff> stored = stored_staff(db_);
        check_wechat_ids(rows, stored, report);
        if (!report.ok()) {
            return report;  // rolled back: nothing written
        }
        // Listed means active: a person deactivated earlier and listed again comes back.
        Prepared upsert(db_,
                        "INSERT INTO staff (id, name, department, titles, updated_at, wechat_id) "
                        "VALUES (?, ?, ?, ?, ?, NULLIF(?, '')) ON CONFLICT (id) DO UPDATE SET "
                        "name = excluded.name, department = excluded.department, titles = "
                        "excluded.titles, updated_at = excluded.updated_at, wechat_id = "
                        "excluded.wechat_id, deactivated_at = NULL");
        for (Row row : rows.rows) {
            const std::string id = cell(row, "id");
            if (auto it = stored.find(id); it != stored.end()) {
                if (!rows.columns.count("department")) {
                    row["department"] = it->second.department;
                }
                if (!rows.columns.count("titles")) {
                    row["titles"] = list_text(it->second.titles);
                }
                if (!rows.columns.count("wechat_id")) {
                    row["wechat_id"] = it->second.wechat_id;
                }
            }
            const std::vector<std::string> titles = split_list(cell(row, "titles"));
            ImportChange change{ImportChange::Kind::added, id, cell(row, "name"), {}};
            if (auto it = stored.find(id); it != stored.end()) {
                const StoredStaff& before = it->second;
                diff(change.fields, "姓名", before.name, cell(row, "name"));
                diff(change.fields, "部门", before.department, cell(row, "department"));
                diff(change.fields, "职务", list_text(before.titles), list_text(titles));
                diff(change.fields, "微信号", before.wechat_id, cell(row, "wechat_id"));
                change.kind =
                    before.active ? ImportChange::Kind::updated : ImportChange::Kind::reactivated;
                if (before.active && change.fields.empty()) {
                    continue;
                }
            }
            upsert->bind(1, id);
            upsert->bind(2, cell(row, "name"));
            upsert->bind(3, cell(row, "department"));
            upsert->bind(4, nlohmann::json(titles).dump());
            upsert->bind(5, now);
            upsert->bind(6, cell(row, "wechat_id"));
            upsert->exec();
            upsert->reset();
            relink_wechat_memberships(db_, id, cell(row, "wechat_id"), report);
            if (change.kind == ImportChange::Kind::reactivated && !options.actor.empty()) {
                AuditLog(db_).append({options.actor,
                                      "staff.reactivated",
                                      id,
                                      {{"name", change.name}, {"file", options.file}}},
                                     now, "cli");
            }
            ++(change.kind == ImportChange::Kind::added ? report.inserted : report.updated);
            report.changes.push_back(std::move(change));
        }
        if (options.replace) {
            Prepared deactivate(db_,
                                "UPDATE staff SET deactivated_at = ?, updated_at = ? WHERE id = ?");
            for (const auto& [id, member] : stored) {
                if (!member.active || first_row.count(id)) {
                    continue;
                }
                deactivate->bind(1, now);
                deactivate->bind(2, now);
                deactivate->bind(3, id);
                deactivate->exec();
                deactivate->reset();
                if (!options.actor.empty()) {
                    AuditLog(db_).append({options.actor,
                                          "staff.deactivated",
                                          id,
                                          {{"name", member.name},
                                           {"department", member.department},
                                           {"file", options.file}}},
                                         now, "cli");
                }
                ++report.deactivated;
                report.changes.push_back({ImportChange::Kind::deactivated, id, member.name, {}});
            }
        }
        // Companies whose account manager is no longer active need a new one.
        Prepared orphaned(db_,
                          "SELECT c.full_name, s.id, s.name FROM companies c JOIN staff s ON "
                          "s.id = c.account_manager WHERE s.deactivated_at IS NOT NULL ORDER BY "
                          "c.id");
        while (orphaned->executeStep()) {
            report.warnings.push_back(
                orphaned->getColumn(0).getString() + ": its account manager " +
                orphaned->getColumn(2).getString() + " (" + orphaned->getColumn(1).getString() +
                ") is deactivated; import the company list with a new one");
        }
        if (options.dry_run) {
            return report;  // rolled back
        }
        bump_version(db_);
        audit_import(db_, options, "staff", report, now);
        tx.commit();
        return report;
    });
}

}  // namespace ledgerbot::storage
