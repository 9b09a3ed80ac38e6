#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/command.hpp"
#include "storage/csv_table.hpp"
#include "storage/directory_import.hpp"
#include "storage/xlsx_table.hpp"

namespace ledgerbot::app::cli {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct ImportRequest {
    std::string file;
    bool dry_run = false;
    bool replace = false;
};

const char* kind_word(storage::ImportChange::Kind kind) {
    switch (kind) {
        case storage::ImportChange::Kind::added:
            return "add";
        case storage::ImportChange::Kind::updated:
            return "update";
        case storage::ImportChange::Kind::deactivated:
            return "deactivate";
        case storage::ImportChange::Kind::reactivated:
            return "reactivate";
    }
    return "change";
}

int print_import(const char* what, const storage::ImportReport& report,
                 const ImportRequest& request) {
    if (!report.ok()) {
        std::cerr << "import " << what << ": " << request.file
                  << " was not imported (nothing changed):\n";
        for (const auto& problem : report.problems) {
            if (problem.row > 0) {
                std::cerr << "  row " << problem.row << ": " << problem.message << "\n";
            } else {
                std::cerr << "  " << problem.message << "\n";
            }
        }
        return 1;
    }
    // A dry run lists every change; a real import only the deactivations (they stop people's
    // notices and permissions, so they should never go unnoticed).
    for (const auto& change : report.changes) {
        if (!request.dry_run && change.kind != storage::ImportChange::Kind::deactivated) {
            continue;
        }
        std::cout << "  " << kind_word(change.kind) << " " << change.key;
        if (!change.name.empty()) {
            std::cout << " (" << change.name << ")";
        }
        for (std::size_t i = 0; i < change.fields.size(); ++i) {
            std::cout << (i == 0 ? ": " : "; ") << change.fields[i];
        }
        std::cout << "\n";
    }
    for (const auto& warning : report.warnings) {
        std::cout << "  warning: " << warning << "\n";
    }
    std::cout << "import " << what << (request.dry_run ? " (dry run, nothing written): " : ": ")
              << report.inserted << (request.dry_run ? " to add, " : " added, ") << report.updated
              << (request.dry_run ? " to update" : " updated");
    if (request.replace) {
        std::cout << ", " << report.deactivated
                  << (request.dry_run ? " to deactivate" : " deactivated");
    }
    std::cout << " from " << request.file << "\n";
    return 0;
}

int run_import(const CommandContext& context, const ImportRequest& request, bool companies) {
    const char* what = companies ? "companies" : "staff";
    const std::string bytes = read_file(request.file);
    auto table = storage::looks_like_xlsx(bytes) ? storage::read_xlsx_table(bytes)
                                                 : storage::parse_csv(bytes);
    if (!table) {
        std::cerr << "import " << what << ": " << request.file
                  << " was not imported (nothing changed): " << table.error() << "\n";
        return 1;
    }
    storage::Database database = open_database(context, storage::OpenMode::read_write);
    storage::DirectoryImport import(database.sql(), context.settings.import);
    const storage::ImportOptions options{request.dry_run, request.replace, operator_actor(),
                                         request.file};
    const std::int64_t now = context.clock.now_seconds();
    auto report = companies ? import.companies(table.value(), options, now)
                            : import.staff(table.value(), options, now);
    if (!report) {
        std::cerr << "import " << what << " failed: " << report.error().message() << "\n";
        return 1;
    }
    return print_import(what, report.value(), request);
}

}  // namespace

void add_import_commands(CLI::App& app, const SelectedCommand& selected) {
    auto* import = app.add_subcommand(
        "import", "load the qualified company list or the staff directory (CSV or xlsx)");
    import->require_subcommand(1);

    auto companies_request = std::make_shared<ImportRequest>();
    auto* companies = import->add_subcommand(
        "companies",
        "companies: 企业全称 (full_name), 简称, 所属行业, 挂牌状态, 责任部门, 客户经理 (a staff id "
        "or name), 服务起始日期; headers in English or Chinese, more in [import] company_headers");
    companies->add_option("file", companies_request->file, "CSV (UTF-8) or xlsx file")
        ->required()
        ->check(CLI::ExistingFile);
    companies->add_flag("--dry-run", companies_request->dry_run,
                        "check the file and print what would change; write nothing");
    companies->callback([selected, companies_request] {
        *selected = [companies_request](const CommandContext& context) {
            return run_import(context, *companies_request, true);
        };
    });

    auto staff_request = std::make_shared<ImportRequest>();
    auto* staff = import->add_subcommand("staff",
                                         "staff: 账号 (id), 姓名 (name), 部门, 职务, 微信号 "
                                         "(optional); headers in English or Chinese");
    staff->add_option("file", staff_request->file, "CSV (UTF-8) or xlsx file")
        ->required()
        ->check(CLI::ExistingFile);
    staff->add_flag("--dry-run", staff_request->dry_run,
                    "check the file and print what would change; write nothing");
    staff->add_flag("--replace", staff_request->replace,
                    "the file is the whole directory: people not in it are deactivated (records "
                    "and history kept; their roles, notices and permissions stop)");
    staff->callback([selected, staff_request] {
        *selected = [staff_request](const CommandContext& context) {
            return run_import(context, *staff_request, false);
        };
    });
}

}  // namespace ledgerbot::app::cli
