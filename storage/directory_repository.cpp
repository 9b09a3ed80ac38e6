#include "storage/directory_repository.hpp"
#include "storage/statement_cache.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>

#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "storage/csv_table.hpp"

namespace ledgerbot::storage {
namespace {

struct Column {
    std::string_view key;
    std::vector<std::string_view> headers;
    bool required;
};

const std::vector<Column> kCompanyColumns{
    {"full_name", {"full_name", "企业全称", "企业名称"}, true},
    {"short_names", {"short_names", "简称", "企业简称"}, false},
    {"industry", {"industry", "所属行业", "行业"}, false},
    {"listing_status", {"listing_status", "挂牌状态", "上市挂牌状态"}, false},
    {"department", {"department", "责任部门", "部门"}, false},
    {"account_manager", {"account_manager", "客户经理"}, false},
    {"served_since", {"served_since", "服务起始日期", "首次服务日期"}, false},
};

const std::vector<Column> kStaffColumns{
    {"id", {"id", "账号", "工号", "userid"}, true},
    {"name", {"name", "姓名"}, true},
    {"department", {"department", "部门"}, false},
    {"titles", {"titles", "职务", "岗位"}, false},
};

using Row = std::map<std::string_view, std::string>;

// Maps header cells to column keys; unknown headers are an error so a misspelt column is not
// silently dropped.
outcome::result<std::vector<Row>, std::vector<ImportProblem>> read_rows(
    std::string_view csv, const std::vector<Column>& columns) {
    auto table = parse_csv(csv);
    if (!table) {
        return std::vector<ImportProblem>{{0, table.error()}};
    }
    std::vector<ImportProblem> problems;
    std::vector<std::optional<std::string_view>> keys;
    std::set<std::string_view> seen;
    for (const auto& cell : table.value().header) {
        std::optional<std::string_view> key;
        for (const auto& column : columns) {
            for (auto header : column.headers) {
                if (cell == header) {
                    key = column.key;
                }
            }
        }
        if (!key) {
            problems.push_back({1, "unknown column \"" + cell + "\""});
        } else {
            seen.insert(*key);
        }
        keys.push_back(key);
    }
    for (const auto& column : columns) {
        if (column.required && !seen.count(column.key)) {
            problems.push_back(
                {1, "required column \"" + std::string(column.key) + "\" is missing"});
        }
    }
    if (!problems.empty()) {
        return problems;
    }
    std::vector<Row> rows;
    for (std::size_t r = 0; r < table.value().rows.size(); ++r) {
        const auto& cells = table.value().rows[r];
        const int number = table.value().row_numbers[r];
        if (cells.size() > keys.size()) {
            problems.push_back({number, "has " + std::to_string(cells.size()) +
                                            " fields but the header has " +
                                            std::to_string(keys.size())});
            continue;
        }
        Row row;
        row.emplace("#", std::to_string(number));
        for (std::size_t c = 0; c < cells.size(); ++c) {
            row[*keys[c]] = cells[c];
        }
        for (const auto& column : columns) {
            if (column.required && row[column.key].empty()) {
                problems.push_back({number, "\"" + std::string(column.key) + "\" is empty"});
            }
        }
        rows.push_back(std::move(row));
    }
    if (!problems.empty()) {
        return problems;
    }
    return rows;
}

std::vector<std::string> split_list(const std::string& cell) {
    return bot::text::split_any(cell, U";；、|,，");
}

int row_number(const Row& row) {
    return std::stoi(row.at("#"));
}

void bump_version(SQLite::Database& db) {
    db.exec(
        "INSERT INTO meta (key, value) VALUES ('directory_version', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
}

std::string cell(const Row& row, std::string_view key) {
    auto it = row.find(key);
    return it == row.end() ? std::string{} : it->second;
}

struct UpsertCounts {
    int inserted = 0;
    int updated = 0;
};

// Writes every row with one prepared upsert inside the caller's transaction, then bumps the
// directory version. `values` gives a row's bind values in statement order, key first; `now`
// is bound last.
UpsertCounts upsert_rows(SQLite::Database& db, const std::vector<Row>& rows,
                         const std::string& exists_sql, const std::string& upsert_sql,
                         const std::function<std::vector<std::string>(const Row&)>& values,
                         std::int64_t now) {
    UpsertCounts counts;
    Prepared exists(db, exists_sql);
    Prepared upsert(db, upsert_sql);
    for (const auto& row : rows) {
        const std::vector<std::string> bound = values(row);
        exists->bind(1, bound.front());
        const bool known = exists->executeStep();
        exists->reset();
        int index = 1;
        for (const auto& value : bound) {
            upsert->bind(index++, value);
        }
        upsert->bind(index, now);
        upsert->exec();
        upsert->reset();
        ++(known ? counts.updated : counts.inserted);
    }
    bump_version(db);
    return counts;
}

/// A 服务起始日期 as unix seconds (local midnight), "" when none was given.
std::string served_since_seconds(const std::string& text) {
    const auto date = bot::time::parse_iso_date(text);
    return date ? std::to_string(bot::time::from_local(*date, 0, 0, 0)) : std::string{};
}

}  // namespace

result<ImportReport> DirectoryRepository::import_companies(std::string_view csv, std::int64_t now) {
    ImportReport report;
    auto rows = read_rows(csv, kCompanyColumns);
    if (!rows) {
        report.problems = rows.error();
        return report;
    }
    for (const auto& row : rows.value()) {
        const std::string since = cell(row, "served_since");
        if (!since.empty() && !bot::time::parse_iso_date(since)) {
            report.problems.push_back({row_number(row), "served_since \"" + since +
                                                            "\" is not a date such as 2024-03-01"});
        }
    }
    // Names must identify one company: a full or short name used twice would make reports
    // ambiguous, so that is a row error, not a silent overwrite.
    std::map<std::string, int> owner_of_name;
    for (const auto& row : rows.value()) {
        std::vector<std::string> names{row.at("full_name")};
        if (row.count("short_names")) {
            for (auto& name : split_list(row.at("short_names"))) {
                names.push_back(name);
            }
        }
        for (const auto& name : names) {
            auto [it, fresh] =
                owner_of_name.emplace(bot::model::normalize_name(name), row_number(row));
            if (!fresh && it->second != row_number(row)) {
                report.problems.push_back(
                    {row_number(row),
                     "name \"" + name + "\" is already used in row " + std::to_string(it->second)});
            }
        }
    }
    if (!report.ok()) {
        return report;
    }
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        // The same holds against companies already stored that this file does not re-import
        // (their names stay); re-imported ones get the file's names, so they are not checked.
        std::set<std::string> reimported;
        for (const auto& row : rows.value()) {
            reimported.insert(row.at("full_name"));
        }
        Prepared stored(db_, "SELECT full_name, short_names FROM companies ORDER BY id");
        while (stored->executeStep()) {
            const std::string full_name = stored->getColumn(0).getString();
            if (reimported.count(full_name)) {
                continue;
            }
            std::vector<std::string> names{full_name};
            for (auto& name : nlohmann::json::parse(stored->getColumn(1).getString())
                                  .get<std::vector<std::string>>()) {
                names.push_back(std::move(name));
            }
            for (const auto& name : names) {
                auto it = owner_of_name.find(bot::model::normalize_name(name));
                if (it != owner_of_name.end()) {
                    report.problems.push_back(
                        {it->second, "name \"" + name + "\" is already used by " + full_name});
                }
            }
        }
        if (!report.ok()) {
            std::stable_sort(report.problems.begin(), report.problems.end(),
                             [](const auto& a, const auto& b) { return a.row < b.row; });
            return report;  // the transaction rolls back: nothing was written
        }
        const auto counts = upsert_rows(
            db_, rows.value(), "SELECT 1 FROM companies WHERE full_name = ?",
            "INSERT INTO companies (full_name, short_names, industry, listing_status, department, "
            "account_manager, served_since, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
            "CAST(NULLIF(?, '') AS INTEGER), ?) "
            "ON CONFLICT (full_name) DO UPDATE SET short_names = excluded.short_names, "
            "industry = excluded.industry, listing_status = excluded.listing_status, "
            "department = excluded.department, account_manager = excluded.account_manager, "
            "served_since = excluded.served_since, updated_at = excluded.updated_at",
            [](const Row& row) {
                return std::vector<std::string>{
                    cell(row, "full_name"),
                    nlohmann::json(split_list(cell(row, "short_names"))).dump(),
                    cell(row, "industry"),
                    cell(row, "listing_status"),
                    cell(row, "department"),
                    cell(row, "account_manager"),
                    served_since_seconds(cell(row, "served_since"))};
            },
            now);
        report.inserted = counts.inserted;
        report.updated = counts.updated;
        tx.commit();
        return report;
    });
}

result<ImportReport> DirectoryRepository::import_staff(std::string_view csv, std::int64_t now) {
    ImportReport report;
    auto rows = read_rows(csv, kStaffColumns);
    if (!rows) {
        report.problems = rows.error();
        return report;
    }
    std::map<std::string, int> first_row;
    for (const auto& row : rows.value()) {
        auto [it, fresh] = first_row.emplace(row.at("id"), row_number(row));
        if (!fresh) {
            report.problems.push_back({row_number(row), "id \"" + row.at("id") +
                                                            "\" is already used in row " +
                                                            std::to_string(it->second)});
        }
    }
    if (!report.ok()) {
        return report;
    }
    return guarded([&] {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        const auto counts = upsert_rows(
            db_, rows.value(), "SELECT 1 FROM staff WHERE id = ?",
            "INSERT INTO staff (id, name, department, titles, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, department = "
            "excluded.department, titles = excluded.titles, updated_at = excluded.updated_at",
            [](const Row& row) {
                return std::vector<std::string>{
                    cell(row, "id"), cell(row, "name"), cell(row, "department"),
                    nlohmann::json(split_list(cell(row, "titles"))).dump()};
            },
            now);
        report.inserted = counts.inserted;
        report.updated = counts.updated;
        tx.commit();
        return report;
    });
}

result<bot::model::Directory> DirectoryRepository::load() {
    return guarded([&] {
        std::vector<bot::model::Company> companies;
        Prepared company_query(
            db_,
            "SELECT id, full_name, short_names, industry, listing_status, department, "
            "account_manager, served_since FROM companies ORDER BY id");
        while (company_query->executeStep()) {
            bot::model::Company company;
            company.id = company_query->getColumn(0).getInt64();
            company.full_name = company_query->getColumn(1).getString();
            company.short_names = nlohmann::json::parse(company_query->getColumn(2).getString())
                                      .get<std::vector<std::string>>();
            company.industry = company_query->getColumn(3).getString();
            company.listing_status = company_query->getColumn(4).getString();
            company.department = company_query->getColumn(5).getString();
            company.account_manager = company_query->getColumn(6).getString();
            if (!company_query->getColumn(7).isNull()) {
                company.served_since = company_query->getColumn(7).getInt64();
            }
            companies.push_back(std::move(company));
        }
        std::vector<bot::model::StaffMember> staff;
        Prepared staff_query(db_, "SELECT id, name, department, titles FROM staff ORDER BY id");
        while (staff_query->executeStep()) {
            bot::model::StaffMember member;
            member.id = staff_query->getColumn(0).getString();
            member.name = staff_query->getColumn(1).getString();
            member.department = staff_query->getColumn(2).getString();
            member.titles = nlohmann::json::parse(staff_query->getColumn(3).getString())
                                .get<std::vector<std::string>>();
            staff.push_back(std::move(member));
        }
        return bot::model::Directory(std::move(companies), std::move(staff));
    });
}

result<std::int64_t> DirectoryRepository::version() {
    return guarded([&] {
        Prepared query(db_, "SELECT value FROM meta WHERE key = 'directory_version'");
        return static_cast<std::int64_t>(
            query->executeStep() ? std::stoll(query->getColumn(0).getString()) : 0);
    });
}

}  // namespace ledgerbot::storage
