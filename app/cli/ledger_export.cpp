#include "app/cli/ledger_export.hpp"

#include <csv.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "bot/model/ledger_types.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::app::cli {
namespace {

std::vector<std::string> header(const templates::Renderer& renderer) {
    std::vector<std::string> columns;
    for (const auto& line : bot::text::split_lines(renderer.render("ledger_columns", {}))) {
        if (!bot::text::trim(line).empty()) {
            columns.push_back(bot::text::trim(line));
        }
    }
    return columns;
}

void write_csv(const std::vector<std::vector<std::string>>& table, const std::string& path) {
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), std::fclose);
    if (!file) {
        throw std::runtime_error("cannot write " + path);
    }
    std::fputs("\xEF\xBB\xBF", file.get());
    for (const auto& row : table) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0) {
                std::fputc(',', file.get());
            }
            csv_fwrite(file.get(), row[i].data(), row[i].size());
        }
        std::fputs("\r\n", file.get());
    }
    if (std::ferror(file.get()) != 0) {
        throw std::runtime_error("cannot write " + path);
    }
}

void write_xlsx(const std::vector<std::vector<std::string>>& table, const std::string& path,
                std::int64_t created) {
    lxw_workbook* workbook = workbook_new(path.c_str());
    if (workbook == nullptr) {
        throw std::runtime_error("cannot create " + path);
    }
    if (created != 0) {
        lxw_doc_properties properties{};
        properties.created = static_cast<time_t>(created);
        workbook_set_properties(workbook, &properties);
    }
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    for (std::size_t r = 0; r < table.size(); ++r) {
        for (std::size_t c = 0; c < table[r].size(); ++c) {
            worksheet_write_string(sheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                                   table[r][c].c_str(), r == 0 ? bold : nullptr);
        }
    }
    if (!table.empty()) {
        worksheet_set_column(sheet, 0, static_cast<lxw_col_t>(table.front().size() - 1), 18,
                             nullptr);
        worksheet_freeze_panes(sheet, 1, 0);
    }
    const lxw_error error = workbook_close(workbook);
    if (error != LXW_NO_ERROR) {
        throw std::runtime_error("cannot write " + path + ": " + lxw_strerror(error));
    }
}

}  // namespace

std::vector<std::vector<std::string>> ledger_table(const std::vector<storage::LedgerRow>& rows,
                                                   const templates::Renderer& renderer) {
    std::vector<std::vector<std::string>> table{header(renderer)};
    for (const auto& row : rows) {
        nlohmann::json status{{"completion_percent", row.completion_percent},
                              {"revenue_yuan", row.revenue_yuan}};
        status[row.status] = true;
        std::string follow_ups;
        for (const auto& entry : row.follow_ups) {
            follow_ups +=
                (follow_ups.empty() ? "" : "\n") +
                bot::text::trim(renderer.render("ledger_follow_up",
                                                {{"at", bot::time::format_local_minutes(entry.at)},
                                                 {"actor", entry.actor},
                                                 {"text", entry.text}}));
        }
        table.push_back({bot::model::demand_code(row.demand_number), row.company_name,
                         row.business_status, row.industry, row.demand, row.matchable, follow_ups,
                         bot::text::trim(renderer.render("yes_no", {{"yes", row.contract_signed}})),
                         bot::text::trim(renderer.render("demand_status", status)),
                         row.visit_time ? bot::time::format_local_minutes(*row.visit_time) : "",
                         row.owner_name, row.contact,
                         row.visit_number != 0 ? bot::model::visit_code(row.visit_number) : "",
                         row.reporter});
    }
    return table;
}

void write_table(const std::vector<std::vector<std::string>>& table, ExportFormat format,
                 const std::string& path, std::int64_t created) {
    if (format == ExportFormat::csv) {
        write_csv(table, path);
    } else {
        write_xlsx(table, path, created);
    }
}

}  // namespace ledgerbot::app::cli
