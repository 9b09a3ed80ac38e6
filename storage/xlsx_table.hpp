#pragma once

#include <string>
#include <string_view>

#include <boost/outcome.hpp>

#include "storage/csv_table.hpp"

namespace ledgerbot::storage {

/// Whether `bytes` start like a zip archive (an xlsx workbook), rather than CSV text.
bool looks_like_xlsx(std::string_view bytes);

/// The first worksheet of an xlsx workbook as text cells: the archive opened with libzip, the
/// shared strings, the sheet and the cell styles read with pugixml. Numbers are written without
/// a trailing ".0" (phone numbers and ids typed as numbers stay digits), cells with a date
/// format become ISO dates (2024-03-01), empty rows are skipped and missing cells are empty.
/// Bounded against hostile files: entries over 64 MiB uncompressed, more than 100,000 rows or
/// 200 columns are refused. Errors say what is wrong, in English, for the operator.
boost::outcome_v2::result<TextTable, std::string> read_xlsx_table(std::string_view bytes);

}  // namespace ledgerbot::storage
