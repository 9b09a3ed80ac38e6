#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "app/cli/command.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/time/schedule.hpp"
#include "storage/inbox_repair.hpp"
#include "storage/job_runs.hpp"
#include "storage/service_lock.hpp"

namespace ledgerbot::app::cli {
namespace {

// Far enough for a yearly job either way; the calendar walk is cheap.
constexpr std::int64_t kSearchSeconds = 400LL * 86400;

const config::ScheduledJob* find_job(const config::Settings& settings, const std::string& name) {
    for (const auto& job : settings.schedule.jobs) {
        if (job.name == name) {
            return &job;
        }
    }
    return nullptr;
}

std::string job_names(const config::Settings& settings) {
    std::string out;
    for (const auto& job : settings.schedule.jobs) {
        out += (out.empty() ? "" : ", ") + job.name;
    }
    return out.empty() ? std::string("none configured") : out;
}

int list_jobs(const CommandContext& context) {
    storage::Database database = open_database(context, storage::OpenMode::read_only);
    const std::int64_t now = context.clock.now_seconds();
    if (context.settings.schedule.jobs.empty()) {
        std::cout << "no jobs configured ([schedule] jobs)\n";
        return 0;
    }
    if (!context.settings.schedule.enabled) {
        std::cout << "the scheduler is off ([schedule] enabled = false): no job runs by itself\n";
    }
    std::cout << fmt::format("{:<22} {:<8} {:<30} {:<17} {}\n", "JOB", "ENABLED", "SCHEDULE",
                             "NEXT DUE", "LAST RUN");
    for (const auto& job : context.settings.schedule.jobs) {
        const auto upcoming = bot::time::due_slots(job.at, now, now + kSearchSeconds);
        auto runs = storage::recent_job_runs(database.sql(), job.name, 1);
        if (!runs) {
            std::cerr << "jobs list failed: " << runs.error().message() << "\n";
            return 1;
        }
        const std::string last = runs.value().empty()
                                     ? std::string("never")
                                     : runs.value().front().run_key + " at " +
                                           local_time_text(runs.value().front().ran_at);
        std::cout << fmt::format(
            "{:<22} {:<8} {:<30} {:<17} {}\n", job.name, job.enabled ? "yes" : "no", job.at.text,
            upcoming.empty() ? std::string("-") : local_time_text(upcoming.front().time), last);
    }
    return 0;
}

struct RunRequest {
    std::string job;
    std::string period;
    bool again = false;
    int wait_seconds = 10;
};

// Reports what became of the queued tick: processing is the running service's.
int await_result(const CommandContext& context, storage::Database& database, std::int64_t inbox_id,
                 const std::string& key, int wait_seconds) {
    if (auto lock = storage::ServiceLock::try_acquire(context.settings.storage.database_path)) {
        std::cout << key
                  << " is queued; no service is running on this database, so it runs at the "
                     "next `ledgerbot serve`\n";
        return 0;
    }
    storage::InboxRepair inbox(database.sql());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
    for (;;) {
        auto row = inbox.find(inbox_id);
        if (!row || !row.value()) {
            std::cerr << "jobs run: the queued tick cannot be read back\n";
            return 1;
        }
        if (row.value()->status == "done") {
            const auto notices = inbox.notices_of(inbox_id);
            std::cout << key << " ran at " << local_time_text(row.value()->processed_at) << ": "
                      << (notices ? notices.value() : 0) << " notice(s) queued for delivery\n";
            return 0;
        }
        if (row.value()->status == "failed") {
            std::cerr << key << " failed: " << row.value()->error
                      << "\n(fix the cause, then `ledgerbot inbox retry " << inbox_id << "`)\n";
            return 1;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            std::cout << key << " is queued (event " << inbox_id << ") and not processed after "
                      << wait_seconds << " s; `ledgerbot inbox list` shows it\n";
            return 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

int run(const CommandContext& context, const RunRequest& request) {
    const config::ScheduledJob* job = find_job(context.settings, request.job);
    if (job == nullptr) {
        std::cerr << "jobs run: there is no job named " << request.job
                  << " (jobs: " << job_names(context.settings) << ")\n";
        return 2;
    }
    const std::int64_t now = context.clock.now_seconds();
    std::optional<bot::time::Slot> slot;
    if (request.period.empty()) {
        // The latest slot that has come: what the scheduler would have run last.
        const auto past = bot::time::due_slots(job->at, now - kSearchSeconds, now);
        if (!past.empty()) {
            slot = past.back();
        }
    } else {
        // `2026-w47` means 2026-W47, `2026-q4` 2026-Q4.
        std::string period = request.period;
        for (char& c : period) {
            c = (c == 'w' || c == 'q' || c == 't') ? static_cast<char>(c - 'a' + 'A') : c;
        }
        for (const auto& candidate :
             bot::time::due_slots(job->at, now - kSearchSeconds, now + kSearchSeconds)) {
            if (candidate.period == period) {
                slot = candidate;
                break;
            }
        }
        if (!slot) {
            const auto past = bot::time::due_slots(job->at, now - kSearchSeconds, now);
            std::cerr << "jobs run: " << job->name << " (" << job->at.text
                      << ") has no slot in period " << request.period << " within 400 days";
            if (!past.empty()) {
                std::cerr << "; its periods look like " << past.back().period;
            }
            std::cerr << "\n";
            return 2;
        }
        if (slot->time > now) {
            std::cerr << "jobs run: " << job->name << " for " << request.period
                      << " is not due until " << local_time_text(slot->time)
                      << "; a period runs only once it has come\n";
            return 1;
        }
    }
    if (!slot) {
        std::cerr << "jobs run: " << job->name << " has had no slot in the last 400 days\n";
        return 1;
    }

    bot::model::InboundEvent tick;
    tick.source = std::string(bot::model::kSchedulerSource);
    tick.type = bot::model::EventType::tick;
    tick.time = slot->time;
    tick.job = job->name;
    const std::string run_key = bot::time::run_key(job->name, *slot);
    // A repeat keeps the period after the last ':' (handlers read it there) and gets a key of
    // its own, so the inbox still lets each repeat run exactly once.
    tick.id = request.again ? fmt::format("{}#again-{}:{}", job->name, now, slot->period) : run_key;

    storage::Database database = open_database(context, storage::OpenMode::read_write);
    auto request_result = storage::request_job_run(database.sql(), tick, operator_actor(), now);
    if (!request_result) {
        std::cerr << "jobs run failed: " << request_result.error().message() << "\n";
        return 1;
    }
    const storage::JobRequest& stored = request_result.value();
    switch (stored.result) {
        case storage::JobRequestResult::already_ran:
            std::cerr << "jobs run: " << run_key << " already ran at "
                      << local_time_text(stored.processed_at)
                      << "; add --again to run it once more\n";
            return 1;
        case storage::JobRequestResult::already_queued:
            std::cout << run_key << " is already queued (event " << stored.inbox_id
                      << "); nothing added\n";
            return 0;
        case storage::JobRequestResult::failed_before:
            std::cerr << "jobs run: " << run_key << " ran and failed (event " << stored.inbox_id
                      << "); `ledgerbot inbox retry " << stored.inbox_id
                      << "` processes it again, or add --again\n";
            return 1;
        case storage::JobRequestResult::queued:
            break;
    }
    return await_result(context, database, stored.inbox_id, tick.id, request.wait_seconds);
}

}  // namespace

void add_jobs_commands(CLI::App& app, const SelectedCommand& selected) {
    auto* jobs = app.add_subcommand("jobs", "scheduled jobs: when they run, run one now");
    jobs->require_subcommand(1);
    jobs->add_subcommand("list", "every configured job: schedule, next due, last run")
        ->callback([selected] { *selected = list_jobs; });

    auto request = std::make_shared<RunRequest>();
    auto* run_command = jobs->add_subcommand(
        "run",
        "run a job for a period now, through the inbox like a scheduled run (at most once per "
        "period unless --again); waits for the running service to process it");
    run_command->add_option("name", request->job, "the job's name (see `jobs list`)")->required();
    run_command->add_option(
        "--period", request->period,
        "the period, as in run keys: 2026-W47 (weekly), 2026-11 (monthly), 2026-Q4, 2026-11-23 "
        "(daily), 2026-11-23T10 (hourly); default: the latest slot that has come");
    run_command->add_flag("--again", request->again,
                          "run once more even though the period already ran");
    run_command
        ->add_option("--wait", request->wait_seconds,
                     "seconds to wait for the service to process it (default 10)")
        ->check(CLI::NonNegativeNumber);
    run_command->callback([selected, request] {
        *selected = [request](const CommandContext& context) { return run(context, *request); };
    });
}

}  // namespace ledgerbot::app::cli
