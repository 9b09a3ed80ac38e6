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
std::string xlsx_bytes(const std::vector<std::vector<std::string>>& table) {
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
    cli::write_table(table, cli::ExportFormat::xlsx, path);
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

std::optional<Attachment> render_attachment(const bot::model::Notice& notice,
                                            const templates::Renderer& renderer) {
    const auto field = notice.fields.find("attachment");
    if (field == notice.fields.end()) {
        return std::nullopt;
    }
    try {
        if (field->at("kind") != "score_table") {
            throw std::runtime_error("unknown attachment kind " + field->at("kind").dump());
        }
        Attachment attachment;
        attachment.file_name = bot::text::trim(renderer.render("score_table_file_name", *field));
        attachment.content_type = kXlsxType;
        attachment.bytes = xlsx_bytes(cli::score_table_cells(*field, renderer));
        return attachment;
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(std::string("malformed attachment: ") + e.what());
    }
}

}  // namespace ledgerbot::app::delivery
