#include "tests/support/test_workbook.hpp"

#include <xlsxwriter.h>

#include <stdexcept>

namespace ledgerbot::testing {

WorkbookCell WorkbookCell::of_number(double value) {
    WorkbookCell cell("");
    cell.kind = Kind::number;
    cell.number = value;
    return cell;
}

WorkbookCell WorkbookCell::of_date(int year, int month, int day) {
    WorkbookCell cell("");
    cell.kind = Kind::date;
    cell.year = year;
    cell.month = month;
    cell.day = day;
    return cell;
}

void write_workbook(const std::filesystem::path& path,
                    const std::vector<std::vector<WorkbookCell>>& rows) {
    lxw_workbook* workbook = workbook_new(path.c_str());
    if (workbook == nullptr) {
        throw std::runtime_error("cannot create " + path.string());
    }
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, "名单");
    lxw_format* date_format = workbook_add_format(workbook);
    format_set_num_format(date_format, "yyyy/m/d");
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            const WorkbookCell& cell = rows[r][c];
            const auto row = static_cast<lxw_row_t>(r);
            const auto column = static_cast<lxw_col_t>(c);
            switch (cell.kind) {
                case WorkbookCell::Kind::text:
                    if (!cell.text.empty()) {
                        worksheet_write_string(sheet, row, column, cell.text.c_str(), nullptr);
                    }
                    break;
                case WorkbookCell::Kind::number:
                    worksheet_write_number(sheet, row, column, cell.number, nullptr);
                    break;
                case WorkbookCell::Kind::date: {
                    lxw_datetime when{cell.year, cell.month, cell.day, 0, 0, 0};
                    worksheet_write_datetime(sheet, row, column, &when, date_format);
                    break;
                }
            }
        }
    }
    if (workbook_close(workbook) != LXW_NO_ERROR) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

}  // namespace ledgerbot::testing
