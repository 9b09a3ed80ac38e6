#include <iostream>

#include "app/cli/command.hpp"
#include "storage/audit_log.hpp"
#include "storage/evidence_repository.hpp"
#include "storage/evidence_store.hpp"

namespace ledgerbot::app::cli {
namespace {

// The hash chain, then every stored evidence file against the hash its name (and the audit
// entry that recorded it) carries.
int verify(const CommandContext& context) {
    storage::Database database = open_database(context, storage::OpenMode::read_only);
    auto chain = storage::AuditLog(database.sql()).verify();
    if (!chain) {
        std::cerr << "audit verify failed: " << chain.error().message() << "\n";
        return 1;
    }
    if (!chain.value().ok) {
        std::cout << "audit trail is NOT intact: " << chain.value().reason << "\n";
        return 3;
    }
    auto files = storage::EvidenceRepository(database.sql()).stored_files();
    if (!files) {
        std::cerr << "audit verify failed: " << files.error().message() << "\n";
        return 1;
    }
    const storage::EvidenceStore store(context.settings.evidence.directory, {});
    for (const auto& [sha256, evidence_id] : files.value()) {
        if (!store.intact(sha256)) {
            std::cout << "evidence file is NOT intact: " << store.path_of(sha256).string()
                      << " (evidence " << evidence_id << ") is "
                      << (store.contains(sha256) ? "changed" : "missing") << "\n";
            return 3;
        }
    }
    std::cout << "audit trail intact: " << chain.value().entries << " entries verified; "
              << files.value().size() << " evidence files match their hashes\n";
    return 0;
}

}  // namespace

void add_audit_commands(CLI::App& app, const SelectedCommand& selected) {
    auto* audit = app.add_subcommand("audit", "work with the tamper-evident audit trail");
    audit->require_subcommand(1);
    audit->add_subcommand("verify", "check the hash chain and every stored evidence file")
        ->callback([selected] { *selected = verify; });
}

}  // namespace ledgerbot::app::cli
