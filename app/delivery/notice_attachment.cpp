#include "app/delivery/notice_attachment.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include "app/cli/ledger_export.hpp"
#include "app/cli/score_export.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::app::delivery {
namespace {

constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// libxlsxwriter writes to a file; a private temporary one is read back and removed.
std::string xlsx_bytes(const std::vector<std::vector<std::string>>& table,
                       std::int64_t created = 0) {
    std::string path = (std::filesystem::temp_directory_path() / "ledgerbot-XXXXXX").string();
    const int fd = mkstemp(path.data());
    if (fd < 0) {
        throw std::runtime_error("cannot create a temporary file for an attachment");
    }
    close(fd);
    struct Remove {
        std::string path;
        ~Remove() { std::remove(path.c_str()); }
    } remove{path};
    cli::write_table(table, cli::ExportFormat::xlsx, path, created);
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// The rows /导出 台账 put in the notice (bot/ledger/ledger_query.cpp), as the export reads them.
std::vector<storage::LedgerRow> ledger_rows(const nlohmann::json& attachment) {
    std::vector<storage::LedgerRow> rows;
    for (const auto& r : attachment.at("rows")) {
        storage::LedgerRow row;
        row.demand_number = r.at("demand_number").get<std::int64_t>();
        row.visit_number = r.at("visit_number").get<std::int64_t>();
        row.company_name = r.at("company_name").get<std::string>();
        row.business_status = r.at("business_status").get<std::string>();
        row.industry = r.at("industry").get<std::string>();
        row.demand = r.at("demand").get<std::string>();
        row.matchable = r.at("matchable").get<std::string>();
        row.status = r.at("status").get<std::string>();
        if (r.contains("visit_time")) {
            row.visit_time = r.at("visit_time").get<std::int64_t>();
        }
        row.reporter = r.at("reporter").get<std::string>();
        row.contact = r.at("contact").get<std::string>();
        row.owner_name = r.at("owner_name").get<std::string>();
        row.contract_signed = r.at("contract_signed").get<bool>();
        row.completion_percent = r.at("completion_percent").get<int>();
        row.revenue_yuan = r.at("revenue_yuan").get<std::int64_t>();
        for (const auto& f : r.at("follow_ups")) {
            row.follow_ups.push_back(storage::LedgerRow::FollowUp{f.at("at").get<std::int64_t>(),
                                                                  f.at("actor").get<std::string>(),
                                                                  f.at("text").get<std::string>()});
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

std::optional<Attachment> render_attachment(const bot::model::Notice& notice,
                                            const templates::Renderer& renderer) {
    const auto field = notice.fields.find("attachment");
    if (field == notice.fields.end()) {
        return std::nullopt;
    }
    try {
        Attachment attachment;
        attachment.content_type = kXlsxType;
        if (field->at("kind") == "score_table") {
            attachment.file_name =
                bot::text::trim(renderer.render("score_table_file_name", *field));
            // A published table is dated by its publication, so its bytes never change.
            attachment.bytes = xlsx_bytes(cli::score_table_cells(*field, renderer),
                                          field->value("published_at", std::int64_t{0}));
        } else if (field->at("kind") == "ledger") {
            attachment.file_name = bot::text::trim(renderer.render("ledger_file_name", *field));
            attachment.bytes = xlsx_bytes(cli::ledger_table(ledger_rows(*field), renderer));
        } else {
            throw std::runtime_error("unknown attachment kind " + field->at("kind").dump());
        }
        return attachment;
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(std::string("malformed attachment: ") + e.what());
    }
}

}  // namespace ledgerbot::app::delivery
