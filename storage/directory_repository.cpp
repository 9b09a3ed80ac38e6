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

result<ImportReport> import_csv(SQLite::Database& db, std::string_view csv, bool companies,
                                std::int64_t now) {
    auto table = parse_csv(csv);
    if (!table) {
        ImportReport report;
        report.problems.push_back({0, table.error()});
        return report;
    }
    DirectoryImport import(db, {});
    const ImportOptions options{false, false, "", "csv"};
    return companies ? import.companies(table.value(), options, now)
                     : import.staff(table.value(), options, now);
}

}  // namespace

result<ImportReport> DirectoryRepository::import_companies(std::string_view csv, std::int64_t now) {
    return import_csv(db_, csv, true, now);
}

result<ImportReport> DirectoryRepository::import_staff(std::string_view csv, std::int64_t now) {
    return import_csv(db_, csv, false, now);
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
        std::vector<bot::model::StaffMember> former;
        Prepared staff_query(db_,
                             "SELECT id, name, department, titles, deactivated_at IS NOT NULL, "
                             "COALESCE(wechat_id, '') FROM staff ORDER BY id");
        while (staff_query->executeStep()) {
            bot::model::StaffMember member;
            member.id = staff_query->getColumn(0).getString();
            member.name = staff_query->getColumn(1).getString();
            member.department = staff_query->getColumn(2).getString();
            member.titles = nlohmann::json::parse(staff_query->getColumn(3).getString())
                                .get<std::vector<std::string>>();
            member.wechat_id = staff_query->getColumn(5).getString();
            (staff_query->getColumn(4).getInt() != 0 ? former : staff).push_back(std::move(member));
        }
        return bot::model::Directory(std::move(companies), std::move(staff), std::move(former));
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
