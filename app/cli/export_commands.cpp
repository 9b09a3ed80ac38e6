#include <filesystem>
#include <iostream>
#include <map>

#include "app/cli/command.hpp"
#include "app/cli/ledger_export.hpp"
#include "bot/model/ledger_types.hpp"
#include "bot/text/message_header.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/score_period.hpp"
#include "storage/evidence_repository.hpp"
#include "storage/evidence_store.hpp"
#include "storage/ledger_export.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app::cli {
namespace {

struct EvidenceRequest {
    std::string visit;
    std::string week;
    std::string out;
};

std::string extension_of(const std::string& mime) {
    static const std::map<std::string, std::string> kExtensions{{"image/jpeg", ".jpg"},
                                                                {"image/png", ".png"},
                                                                {"image/gif", ".gif"},
                                                                {"image/webp", ".webp"}};
    const auto it = kExtensions.find(mime);
    return it == kExtensions.end() ? "" : it->second;
}

// `ledgerbot export evidence`: the evidence files of one record or of a week's records, named
// after the record, with a manifest that ties each file to its hash, source and poster.
int export_evidence(const CommandContext& context, const EvidenceRequest& request) {
    std::vector<storage::EvidenceItem> items;
    storage::Database database = open_database(context, storage::OpenMode::read_only);
    storage::EvidenceRepository repository(database.sql());
    if (!request.visit.empty()) {
        const auto number = bot::text::parse_numbered_id(request.visit, 'V');
        if (!number) {
            std::cerr << "export evidence: '" << request.visit
                      << "' is not a record id such as V12\n";
            return 2;
        }
        items = repository.of_visit(*number).value();
    } else {
        const auto week = bot::time::parse_week(request.week);
        if (!week) {
            std::cerr << "export evidence: '" << request.week
                      << "' is not a week such as 2026-W47\n";
            return 2;
        }
        items = repository.of_visits_between(week->from, week->to).value();
    }
    const storage::EvidenceStore store(context.settings.evidence.directory, {});
    const std::filesystem::path out(request.out);
    std::filesystem::create_directories(out);
    std::vector<std::vector<std::string>> manifest{
        {"visit", "sha256", "file", "source", "posted_by", "posted_at", "status"}};
    int written = 0;
    int numbered = 0;
    std::int64_t last_visit = 0;
    for (const auto& item : items) {
        numbered = item.visit_number == last_visit ? numbered + 1 : 1;
        last_visit = item.visit_number;
        std::string file;
        if (item.status == "fetched") {
            file = bot::model::visit_code(item.visit_number) + "-" + std::to_string(numbered) +
                   extension_of(item.mime);
            std::filesystem::copy_file(store.path_of(item.sha256), out / file,
                                       std::filesystem::copy_options::overwrite_existing);
            ++written;
        }
        manifest.push_back({bot::model::visit_code(item.visit_number), item.sha256, file,
                            item.source, item.by_id, bot::time::format_rfc3339(item.at),
                            item.status});
    }
    write_table(manifest, ExportFormat::csv, (out / "manifest.csv").string());
    std::cout << "export evidence: " << written << " files of " << items.size()
              << " evidence items written to " << out.string() << " (manifest.csv)\n";
    return 0;
}

}  // namespace

void add_export_commands(CLI::App& app, const SelectedCommand& selected) {
    auto* export_command =
        app.add_subcommand("export", "write data out for people and other systems");
    export_command->require_subcommand(1);

    auto* ledger = export_command->add_subcommand(
        "ledger", "the service-demand ledger (企业服务需求台账) with the columns of 第七条");
    auto format = std::make_shared<ExportFormat>(ExportFormat::xlsx);
    auto file = std::make_shared<std::string>();
    ledger->add_option("--format", *format, "xlsx (Excel) or csv (UTF-8 with BOM)")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, ExportFormat>{{"xlsx", ExportFormat::xlsx},
                                                {"csv", ExportFormat::csv}},
            CLI::ignore_case));
    ledger->add_option("--out", *file, "file to write")->required();
    ledger->callback([selected, format, file] {
        *selected = [format, file](const CommandContext& context) {
            storage::Database database = open_database(context, storage::OpenMode::read_only);
            auto rows = storage::read_ledger(database.sql());
            if (!rows) {
                std::cerr << "export ledger failed: " << rows.error().message() << "\n";
                return 1;
            }
            const templates::Renderer renderer;
            write_table(ledger_table(rows.value(), renderer), *format, *file);
            std::cout << "export ledger: " << rows.value().size() << " demands written to " << *file
                      << "\n";
            return 0;
        };
    });

    auto* evidence = export_command->add_subcommand(
        "evidence", "evidence images (有效证据) of a record or a week, with a manifest CSV");
    auto request = std::make_shared<EvidenceRequest>();
    auto* visit = evidence->add_option("--visit", request->visit, "one record, e.g. V12");
    auto* week =
        evidence->add_option("--week", request->week, "the records of an ISO week, e.g. 2026-W47");
    visit->excludes(week);
    evidence
        ->add_option("--out", request->out, "directory to write the files and manifest.csv into")
        ->required();
    evidence->callback([selected, request] {
        if (request->visit.empty() && request->week.empty()) {
            throw CLI::RequiredError("--visit or --week");
        }
        *selected = [request](const CommandContext& context) {
            return export_evidence(context, *request);
        };
    });
}

}  // namespace ledgerbot::app::cli
