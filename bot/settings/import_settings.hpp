#pragma once

#include <map>
#include <string>
#include <vector>

namespace ledgerbot::bot::settings {

/// How the company list and the staff directory are imported ([import]): headers people's own
/// spreadsheets use, on top of the built-in English and Chinese ones, and the values checked.
struct ImportSettings {
    /// Allowed 挂牌状态 values; a company row with another one is refused. Empty: any value.
    std::vector<std::string> listing_statuses;
    /// Column key (full_name, short_names, industry, listing_status, department,
    /// account_manager, served_since) → extra header names.
    std::map<std::string, std::vector<std::string>> company_headers;
    /// Column key (id, name, department, titles) → extra header names.
    std::map<std::string, std::vector<std::string>> staff_headers;
};

}  // namespace ledgerbot::bot::settings
