#include <fmt/format.h>

#include <iostream>

#include "app/cli/command.hpp"
#include "storage/inbox_repair.hpp"

namespace ledgerbot::app::cli {
namespace {

std::string short_inbox_error(const std::string& error) {
    constexpr std::size_t kMax = 160;
    return error.size() <= kMax ? error : error.substr(0, kMax) + "…";
}

int list_inbox(const CommandContext& context, bool failed_only, int limit) {
    storage::Database database = open_database(context, storage::OpenMode::read_only);
    auto rows = storage::InboxRepair(database.sql()).list(failed_only, limit);
    if (!rows) {
        std::cerr << "inbox list failed: " << rows.error().message() << "\n";
        return 1;
    }
    if (rows.value().empty()) {
        std::cout << (failed_only ? "no failed events\n" : "no events waiting or failed\n");
        return 0;
    }
    std::cout << fmt::format("{:<8} {:<8} {:<10} {:<16}  {:<24} {:<40} {}\n", "ID", "STATUS",
                             "TYPE", "RECEIVED", "CHAT", "EVENT", "ERROR");
    for (const storage::InboxRow& row : rows.value()) {
        std::cout << fmt::format("{:<8} {:<8} {:<10} {:<16}  {:<24} {:<40} {}\n", row.id,
                                 row.status, row.type, local_time_text(row.received_at),
                                 row.chat_id.empty() ? std::string("-") : row.chat_id,
                                 row.dedup_key, short_inbox_error(row.error));
    }
    if (static_cast<int>(rows.value().size()) == limit) {
        std::cout << "(the first " << limit << "; --limit shows more)\n";
    }
    return 0;
}

int retry(const CommandContext& context, std::int64_t id) {
    storage::Database database = open_database(context, storage::OpenMode::read_write);
    storage::InboxRepair repair(database.sql());
    auto outcome = repair.retry(id, operator_actor(), context.clock.now_seconds());
    if (!outcome) {
        std::cerr << "inbox retry failed: " << outcome.error().message() << "\n";
        return 1;
    }
    switch (outcome.value()) {
        case storage::RetryResult::not_found:
            std::cerr << "inbox retry: there is no event " << id
                      << " (`ledgerbot inbox list --failed` shows the failed ones)\n";
            return 1;
        case storage::RetryResult::already_done:
            std::cerr << "inbox retry: event " << id
                      << " was processed; an event is never processed twice\n";
            return 1;
        case storage::RetryResult::already_pending:
            std::cout << "event " << id << " is already waiting to be processed; nothing changed\n";
            return 0;
        case storage::RetryResult::retried:
            break;
    }
    std::cout << "event " << id
              << " is queued for processing again; the running service takes it within a "
                 "second (audited as inbox.retried)\n";
    return 0;
}

}  // namespace

void add_inbox_commands(CLI::App& app, const SelectedCommand& selected) {
    auto* inbox = app.add_subcommand("inbox", "received events: list those not done, retry one");
    inbox->require_subcommand(1);

    auto failed_only = std::make_shared<bool>(false);
    auto limit = std::make_shared<int>(50);
    auto* list_command =
        inbox->add_subcommand("list", "events not processed (waiting and failed), oldest first");
    list_command->add_flag("--failed", *failed_only, "only those whose processing failed");
    list_command->add_option("--limit", *limit, "at most this many rows (default 50)")
        ->check(CLI::PositiveNumber);
    list_command->callback([selected, failed_only, limit] {
        *selected = [failed_only, limit](const CommandContext& context) {
            return list_inbox(context, *failed_only, *limit);
        };
    });

    auto id = std::make_shared<std::int64_t>(0);
    auto* retry_command =
        inbox->add_subcommand("retry", "process a failed event again (after fixing the cause)");
    retry_command->add_option("id", *id, "the event's ID from `inbox list --failed`")
        ->required()
        ->check(CLI::PositiveNumber);
    retry_command->callback([selected, id] {
        *selected = [id](const CommandContext& context) { return retry(context, *id); };
    });
}

}  // namespace ledgerbot::app::cli
