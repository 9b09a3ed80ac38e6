#include <fmt/format.h>

#include <iostream>

#include "app/cli/command.hpp"
#include "storage/outbox_repair.hpp"

namespace ledgerbot::app::cli {
namespace {

// The error column is last and cut: a WeCom error message can run long.
std::string short_outbox_error(const std::string& error) {
    constexpr std::size_t kMax = 120;
    return error.size() <= kMax ? error : error.substr(0, kMax) + "…";
}

int list_outbox(const CommandContext& context, bool dead_only, int limit) {
    storage::Database database = open_database(context, storage::OpenMode::read_only);
    auto rows = storage::OutboxRepair(database.sql()).list(dead_only, limit);
    if (!rows) {
        std::cerr << "outbox list failed: " << rows.error().message() << "\n";
        return 1;
    }
    if (rows.value().empty()) {
        std::cout << (dead_only ? "no dead notices\n" : "no undelivered notices\n");
        return 0;
    }
    std::cout << fmt::format("{:<8} {:<8} {:>8}  {:<16}  {:<16}  {:<32} {:<24} {}\n", "ID",
                             "STATUS", "ATTEMPTS", "CREATED", "NEXT ATTEMPT", "TARGET", "TEMPLATE",
                             "LAST ERROR");
    for (const storage::OutboxRow& row : rows.value()) {
        const std::string next =
            row.status == "pending" ? local_time_text(row.next_attempt_at) : std::string("-");
        std::cout << fmt::format("{:<8} {:<8} {:>8}  {:<16}  {:<16}  {:<32} {:<24} {}\n", row.id,
                                 row.status, row.attempts, local_time_text(row.created_at), next,
                                 row.channel + ":" + row.target_kind + ":" + row.target_id,
                                 row.template_id, short_outbox_error(row.last_error));
    }
    if (static_cast<int>(rows.value().size()) == limit) {
        std::cout << "(the first " << limit << "; --limit shows more)\n";
    }
    return 0;
}

int retry_one(const CommandContext& context, std::int64_t id) {
    storage::Database database = open_database(context, storage::OpenMode::read_write);
    storage::OutboxRepair repair(database.sql());
    const auto before = repair.find(id);
    auto outcome = repair.retry(id, operator_actor(), context.clock.now_seconds());
    if (!before || !outcome) {
        std::cerr << "outbox retry failed: "
                  << (before ? outcome.error() : before.error()).message() << "\n";
        return 1;
    }
    switch (outcome.value()) {
        case storage::RetryResult::not_found:
            std::cerr << "outbox retry: there is no notice " << id
                      << " (`ledgerbot outbox list` shows the undelivered ones)\n";
            return 1;
        case storage::RetryResult::already_done:
            std::cerr << "outbox retry: notice " << id << " was sent at "
                      << local_time_text(before.value()->sent_at)
                      << "; a sent notice is never sent again\n";
            return 1;
        case storage::RetryResult::already_pending:
            std::cout << "notice " << id << " is already waiting to be sent (next attempt at "
                      << local_time_text(before.value()->next_attempt_at) << "); nothing changed\n";
            return 0;
        case storage::RetryResult::retried:
            break;
    }
    const storage::OutboxRow& row = *before.value();
    std::cout << "notice " << id << " (" << row.template_id << " to " << row.channel << ":"
              << row.target_kind << ":" << row.target_id
              << ") is queued again with a fresh retry budget; the running service sends it "
                 "within a second (audited as outbox.retried)\n";
    return 0;
}

int retry_dead(const CommandContext& context) {
    storage::Database database = open_database(context, storage::OpenMode::read_write);
    auto ids = storage::OutboxRepair(database.sql())
                   .retry_dead(operator_actor(), context.clock.now_seconds());
    if (!ids) {
        std::cerr << "outbox retry failed: " << ids.error().message() << "\n";
        return 1;
    }
    if (ids.value().empty()) {
        std::cout << "no dead notices: nothing to retry\n";
        return 0;
    }
    std::cout << ids.value().size()
              << " dead notice(s) queued again with a fresh retry budget (audited as "
                 "outbox.retried):";
    for (const std::int64_t id : ids.value()) {
        std::cout << " " << id;
    }
    std::cout << "\n";
    return 0;
}

}  // namespace

void add_outbox_commands(CLI::App& app, const SelectedCommand& selected) {
    auto* outbox = app.add_subcommand("outbox", "undelivered notices: list them, send again");
    outbox->require_subcommand(1);

    auto dead_only = std::make_shared<bool>(false);
    auto limit = std::make_shared<int>(50);
    auto* list_command =
        outbox->add_subcommand("list", "notices not sent yet (pending and dead), oldest first");
    list_command->add_flag("--dead", *dead_only, "only the dead ones (retry budget spent)");
    list_command->add_option("--limit", *limit, "at most this many rows (default 50)")
        ->check(CLI::PositiveNumber);
    list_command->callback([selected, dead_only, limit] {
        *selected = [dead_only, limit](const CommandContext& context) {
            return list_outbox(context, *dead_only, *limit);
        };
    });

    auto id = std::make_shared<std::int64_t>(0);
    auto all_dead = std::make_shared<bool>(false);
    auto* retry = outbox->add_subcommand(
        "retry", "queue a dead notice (or every dead one) again, with a fresh retry budget");
    auto* id_option = retry->add_option("id", *id, "the notice's ID from `outbox list`")
                          ->check(CLI::PositiveNumber);
    auto* dead_flag = retry->add_flag("--dead", *all_dead, "every dead notice");
    id_option->excludes(dead_flag);
    retry->callback([selected, id, all_dead, id_option] {
        if (!*all_dead && id_option->count() == 0) {
            throw CLI::ValidationError("outbox retry",
                                       "give a notice ID, or --dead for every dead notice");
        }
        *selected = [id, all_dead](const CommandContext& context) {
            return *all_dead ? retry_dead(context) : retry_one(context, *id);
        };
    });
}

}  // namespace ledgerbot::app::cli
