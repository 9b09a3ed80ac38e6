#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/ledger_export.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app::cli {

enum class ExportFormat { csv, xlsx };

/// The ledger as a table of cells: the header (templates/ledger_columns.mustache) and one row
/// per demand, times in Asia/Shanghai.
std::vector<std::vector<std::string>> ledger_table(const std::vector<storage::LedgerRow>& rows,
                                                   const templates::Renderer& renderer);

/// Writes the table to `path`; throws std::runtime_error naming the file when it cannot.
/// CSV is UTF-8 with a byte-order mark, so spreadsheet programs show the Chinese correctly.
/// An xlsx file records `created` (Unix seconds; 0 = now) as its creation time: the only part
/// that is not the table, so a published table written twice gives the same bytes.
void write_table(const std::vector<std::vector<std::string>>& table, ExportFormat format,
                 const std::string& path, std::int64_t created = 0);

}  // namespace ledgerbot::app::cli
