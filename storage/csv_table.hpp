#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/outcome.hpp>

namespace ledgerbot::storage {

/// A table of text cells, the first row being the header: a CSV file read with libcsv (RFC 4180
/// quoting, strict mode) or an xlsx sheet (storage/xlsx_table). `row_numbers` count from 1 (the
/// header), which is what people see as row numbers in a spreadsheet.
struct TextTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<int> row_numbers;
};

/// Parses CSV text; a leading UTF-8 byte-order mark (Excel's "CSV UTF-8") is skipped. Errors
/// say what is wrong in English for the operator's log and terminal.
boost::outcome_v2::result<TextTable, std::string> parse_csv(std::string_view text);

}  // namespace ledgerbot::storage
