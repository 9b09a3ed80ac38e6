#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>

/// What the benchmarks send: the visit reports of the corpus (tests/fixtures/visit_reports/cases)
/// from staff of the demo directory, about the companies of a registry the size of a regional
/// exchange's, so that every message is a report the engine records and answers.
namespace ledgerbot::bench {

// What staff post, and who: reports of the corpus, senders of the demo directory, about the
// companies of a registry the size of a regional exchange's (--companies).
struct Messages {
    struct Report {
        std::string text;
        std::string company;                   // the case's company, "" = none
        std::vector<std::string> short_names;  // as the corpus directory lists them
    };
    std::vector<Report> reports;
    std::vector<std::string> senders{"zhangsan", "lisi",   "wangwu", "zhaoliu",
                                     "sunqi",    "zhouba", "wujiu",  "zhengshi"};
    std::vector<std::string> companies;  // full names on the registry
    /// More account managers besides the demo's ("am0001", …), and their names: answers go to
    /// each sender in order, so how many people post decides how many answers can be on their
    /// way at once.
    std::vector<std::pair<std::string, std::string>> extra_staff;

    // The report for the n-th send: a corpus text about one of the registry's companies, so
    // that, as in production, each company has a few visits rather than thousands.
    std::string text_for(std::size_t n) const {
        const Report& report = reports[n % reports.size()];
        if (report.company.empty() || companies.empty()) {
            return report.text;
        }
        const std::string& company = companies[(n * 2654435761U) % companies.size()];
        // Full name first, then the short names (a short name can be part of the full one),
        // through markers so that a replacement is never replaced again.
        std::string text = replace_all(report.text, report.company, "\x01");
        for (const std::string& short_name : report.short_names) {
            text = replace_all(text, short_name, "\x02");
        }
        text = replace_all(text, "\x01", company);
        return replace_all(text, "\x02", company.substr(0, company.size() - kSuffix.size()));
    }

    static constexpr std::string_view kSuffix = "有限公司";

private:
    static std::string replace_all(std::string text, const std::string& from,
                                   const std::string& to) {
        for (std::size_t at = text.find(from); !from.empty() && at != std::string::npos;
             at = text.find(from, at + to.size())) {
            text.replace(at, from.size(), to);
        }
        return text;
    }
};

/// Distinct, plausible company names: place + trade name + business + 有限公司.
std::vector<std::string> company_names(int count);

std::string read_text(const std::filesystem::path& path);

/// The corpus's reports (is_report: yes) with their companies and short names.
Messages load_messages();

/// `count` account managers with distinct Chinese names, ids "am0001", ….
std::vector<std::pair<std::string, std::string>> staff_names(int count);

/// Imports the demo directory's staff (and `messages.extra_staff`) and companies plus
/// `messages.companies`, each with a department and account manager of the demo. False when an
/// import is refused.
bool import_registry(SQLite::Database& db, const Messages& messages);

}  // namespace ledgerbot::bench
