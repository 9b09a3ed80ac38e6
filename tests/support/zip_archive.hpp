#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace ledgerbot::testing {

/// Every entry of a zip archive (stored or deflated), name → bytes, read through its central
/// directory. For checking what an xlsx export wrote; throws std::runtime_error on a damaged
/// archive.
std::map<std::string, std::string> read_zip(const std::filesystem::path& path);

/// The cells of an xlsx workbook's first sheet as text, cell reference ("A1") → value, with
/// shared strings resolved.
std::map<std::string, std::string> read_xlsx_cells(const std::filesystem::path& path);

}  // namespace ledgerbot::testing
