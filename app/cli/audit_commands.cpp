#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <optional>

#include "app/cli/command.hpp"
#include "bot/time/civil_time.hpp"
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

// `2026-12-01` (midnight), `2026-12-01 10:00` / `2026-12-01T10:00` (Asia/Shanghai) or a full
// RFC 3339 time with its offset.
std::optional<std::int64_t> parse_since(const std::string& text) {
    if (auto exact = bot::time::parse_rfc3339(text)) {
        return exact;
    }
    if (auto date = bot::time::parse_iso_date(text)) {
        return bot::time::from_local(*date, 0, 0, 0);
    }
    if (text.size() == 16 && (text[10] == ' ' || text[10] == 'T') && text[13] == ':') {
        if (auto with_seconds = bot::time::parse_rfc3339(text.substr(0, 10) + "T" +
                                                         text.substr(11) + ":00+08:00")) {
            return with_seconds;
        }
    }
    return std::nullopt;
}

nlohmann::ordered_json record_json(const storage::AuditRecord& record) {
    nlohmann::ordered_json line;
    line["seq"] = record.seq;
    line["at"] = bot::time::format_rfc3339(record.at);
    line["actor"] = record.actor;
    line["action"] = record.action;
    line["subject"] = record.subject;
    line["detail"] = nlohmann::ordered_json::parse(record.detail_json, nullptr, false);
    line["source_event"] = record.source_event;
    return line;
}

struct ShowRequest {
    std::string since;
    std::string actor;
    std::string action;
    std::int64_t limit = 50;
    std::string format = "text";
};

storage::AuditFilter filter_of(const ShowRequest& request) {
    storage::AuditFilter filter;
    if (!request.since.empty()) {
        filter.since = parse_since(request.since);
    }
    filter.actor = request.actor;
    filter.action = request.action;
    filter.limit = request.limit;
    return filter;
}

int show(const CommandContext& context, const ShowRequest& request) {
    storage::Database database = open_database(context, storage::OpenMode::read_only);
    const bool jsonl = request.format == "jsonl";
    auto count =
        storage::AuditLog(database.sql())
            .each(filter_of(request), [&](const storage::AuditRecord& record) {
                if (jsonl) {
                    std::cout << record_json(record).dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace)
                              << "\n";
                    return;
                }
                std::cout << fmt::format("#{:<7} {}  {:<24} {:<26} {:<14} {}\n", record.seq,
                                         bot::time::format_local_minutes(record.at), record.actor,
                                         record.action, record.subject, record.detail_json);
            });
    if (!count) {
        std::cerr << "audit show failed: " << count.error().message() << "\n";
        return 1;
    }
    if (count.value() == 0 && !jsonl) {
        std::cout << "no audit entries match\n";
    } else if (!jsonl && request.limit > 0 && count.value() == request.limit) {
        std::cout << "(the newest " << request.limit << "; --limit 0 shows all)\n";
    }
    return 0;
}

// Every entry with its hashes, one JSON object per line: the chain can be checked again from
// the file alone (each hash covers its row and the previous hash).
int export_trail(const CommandContext& context, const std::string& since, const std::string& out) {
    storage::Database database = open_database(context, storage::OpenMode::read_only);
    storage::AuditLog log(database.sql());
    auto chain = log.verify();
    if (!chain) {
        std::cerr << "audit export failed: " << chain.error().message() << "\n";
        return 1;
    }
    std::ofstream file;
    if (!out.empty()) {
        file.open(out, std::ios::binary | std::ios::trunc);
        if (!file) {
            std::cerr << "audit export: cannot write " << out << "\n";
            return 1;
        }
    }
    std::ostream& sink = out.empty() ? std::cout : file;
    storage::AuditFilter filter;
    if (!since.empty()) {
        filter.since = parse_since(since);
    }
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::string head;
    auto count = log.each(filter, [&](const storage::AuditRecord& record) {
        nlohmann::ordered_json line = record_json(record);
        line["at_unix"] = record.at;
        line["detail_json"] = record.detail_json;
        line["prev_hash"] = record.prev_hash;
        line["hash"] = record.hash;
        sink << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        first = first == 0 ? record.seq : first;
        last = record.seq;
        head = record.hash;
    });
    sink.flush();
    if (!count || !sink) {
        std::cerr << "audit export failed: "
                  << (count ? std::string("write error") : count.error().message()) << "\n";
        return 1;
    }
    std::ostream& report = out.empty() ? std::cerr : std::cout;
    report << "audit export: " << count.value() << " entries";
    if (count.value() > 0) {
        report << " (#" << first << " to #" << last << ", last hash " << head << ")";
    }
    if (!out.empty()) {
        report << " written to " << out;
    }
    report << "; chain " << (chain.value().ok ? "verified" : "NOT intact: " + chain.value().reason)
           << "\n";
    return chain.value().ok ? 0 : 3;
}

}  // namespace

void add_audit_commands(CLI::App& app, const SelectedCommand& selected) {
    auto* audit = app.add_subcommand("audit", "work with the tamper-evident audit trail");
    audit->require_subcommand(1);
    audit->add_subcommand("verify", "check the hash chain and every stored evidence file")
        ->callback([selected] { *selected = verify; });

    auto request = std::make_shared<ShowRequest>();
    auto* show_command = audit->add_subcommand("show", "the newest audit entries, filtered");
    const auto since_check = CLI::Validator(
        [](const std::string& text) {
            return parse_since(text) ? std::string{}
                                     : "expected 2026-12-01, 2026-12-01 10:00 or an RFC 3339 time";
        },
        "DATE", "since");
    show_command->add_option("--since", request->since, "entries at or after this time")
        ->check(since_check);
    show_command->add_option("--actor", request->actor, "only this actor (a staff id, operator:…)");
    show_command->add_option("--action", request->action,
                             "only this action (visit.recorded), or a prefix ending in '.'");
    show_command
        ->add_option("--limit", request->limit, "the newest this many (default 50; 0 = all)")
        ->check(CLI::NonNegativeNumber);
    show_command->add_option("--format", request->format, "text (default) or jsonl")
        ->check(CLI::IsMember({"text", "jsonl"}));
    show_command->callback([selected, request] {
        *selected = [request](const CommandContext& context) { return show(context, *request); };
    });

    auto export_since = std::make_shared<std::string>();
    auto export_out = std::make_shared<std::string>();
    auto* export_command = audit->add_subcommand(
        "export",
        "the whole trail (or since a time) as JSON lines with hashes, after verifying it");
    export_command->add_option("--since", *export_since, "entries at or after this time")
        ->check(since_check);
    export_command->add_option("--out", *export_out, "file to write (default: standard output)");
    export_command->callback([selected, export_since, export_out] {
        *selected = [export_since, export_out](const CommandContext& context) {
            return export_trail(context, *export_since, *export_out);
        };
    });
}

}  // namespace ledgerbot::app::cli
