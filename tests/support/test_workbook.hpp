#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ledgerbot::testing {

/// One cell of a workbook a test writes: text, a number, or a date shown with a date format.
struct WorkbookCell {
    enum class Kind { text, number, date } kind = Kind::text;
    std::string text;
    double number = 0;
    int year = 0, month = 0, day = 0;

    WorkbookCell(const char* value) : text(value) {}             // NOLINT: rows read like a table
    WorkbookCell(std::string value) : text(std::move(value)) {}  // NOLINT
    static WorkbookCell of_number(double value);
    static WorkbookCell of_date(int year, int month, int day);
};

/// Writes an xlsx workbook with libxlsxwriter (as Excel or WPS would save one): the rows on the
/// first sheet, strings in the shared string table, dates as serial numbers with a date format.
/// Cells with empty text are left out, as spreadsheets leave blank cells out.
void write_workbook(const std::filesystem::path& path,
                    const std::vector<std::vector<WorkbookCell>>& rows);

}  // namespace ledgerbot::testing
