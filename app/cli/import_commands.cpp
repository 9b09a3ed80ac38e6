#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/command.hpp"
#include "storage/directory_repository.hpp"

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

int print_import(const char* what, const storage::ImportReport& report, const std::string& file) {
    if (!report.ok()) {
        std::cerr << "import " << what << ": " << file << " was not imported (nothing changed):\n";
        for (const auto& problem : report.problems) {
            if (problem.row > 0) {
                std::cerr << "  row " << problem.row << ": " << problem.message << "\n";
            } else {
                std::cerr << "  " << problem.message << "\n";
            }
        }
        return 1;
    }
    std::cout << "import " << what << ": " << report.inserted << " added, " << report.updated
              << " updated from " << file << "\n";
    return 0;
}

}  // namespace

void add_import_commands(CLI::App& app, const SelectedCommand& selected) {
    auto* import = app.add_subcommand(
        "import", "load the qualified company list or the staff directory from CSV");
    import->require_subcommand(1);
    auto companies_file = std::make_shared<std::string>();
    auto* companies = import->add_subcommand(
        "companies",
        "companies CSV: full_name,short_names,industry,listing_status,department,account_manager");
    companies->add_option("file", *companies_file, "CSV file (UTF-8)")
        ->required()
        ->check(CLI::ExistingFile);
    companies->callback([selected, companies_file] {
        *selected = [companies_file](const CommandContext& context) {
            storage::Database database = open_database(context, storage::OpenMode::read_write);
            auto report =
                storage::DirectoryRepository(database.sql())
                    .import_companies(read_file(*companies_file), context.clock.now_seconds());
            if (!report) {
                std::cerr << "import companies failed: " << report.error().message() << "\n";
                return 1;
            }
            return print_import("companies", report.value(), *companies_file);
        };
    });
    auto staff_file = std::make_shared<std::string>();
    auto* staff = import->add_subcommand("staff", "staff CSV: id,name,department,titles");
    staff->add_option("file", *staff_file, "CSV file (UTF-8)")
        ->required()
        ->check(CLI::ExistingFile);
    staff->callback([selected, staff_file] {
        *selected = [staff_file](const CommandContext& context) {
            storage::Database database = open_database(context, storage::OpenMode::read_write);
            auto report = storage::DirectoryRepository(database.sql())
                              .import_staff(read_file(*staff_file), context.clock.now_seconds());
            if (!report) {
                std::cerr << "import staff failed: " << report.error().message() << "\n";
                return 1;
            }
            return print_import("staff", report.value(), *staff_file);
        };
    });
}

}  // namespace ledgerbot::app::cli
