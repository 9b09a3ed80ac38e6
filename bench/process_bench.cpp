// Processing benchmark: how fast the store thread turns acknowledged events into ledger rows,
// points and answers, without HTTP or a load generator sharing the CPU. The events are what
// ingest_bench sends (the corpus's visit reports from staff of the demo directory about a
// registry of companies, as WeCom app messages); they are put in the received file first, then
// processed exactly as StoreWorker does: taken and processed in one transaction per batch.
// Prints, per slice of events, the processing thread's CPU time per event and the events per
// second it could sustain: the ledger grows as it runs (each company's year holds more records
// to score), so later slices cost more. With --read-ahead, the service's read-ahead thread reads
// the reports ahead as StoreWorker has it, and the processing thread's figures are what is left
// to it; the read-ahead thread's CPU is printed apart. Asserts nothing.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "adapters/wecom/app_callback.hpp"
#include "app/report_read_ahead.hpp"
#include "bench/bench_corpus.hpp"
#include "bot/engine.hpp"
#include "config/config_loader.hpp"
#include "storage/database.hpp"
#include "storage/event_processor.hpp"
#include "storage/inbox_import.hpp"
#include "storage/received_inbox.hpp"
#include "storage/sqlite_process.hpp"
#include "storage/statement_cache.hpp"

namespace {

double thread_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double process_cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
    if (!ledgerbot::storage::configure_sqlite_process()) {
        std::fprintf(stderr, "SQLite was initialised before it could be configured\n");
    }
    int events = 20000;
    int companies = 2000;
    int batch = 256;
    int slices = 4;
    bool read_ahead = false;
    CLI::App cli{"ledgerbot processing benchmark: received events through the engine"};
    cli.add_option("--events", events, "events to process")->check(CLI::Range(1, 1000000));
    cli.add_option("--companies", companies, "companies on the registry")
        ->check(CLI::Range(0, 2400));
    cli.add_option("--batch", batch, "events per transaction (the store thread's batch)")
        ->check(CLI::Range(1, 10000));
    cli.add_option("--slices", slices, "report the cost per slice of the events")
        ->check(CLI::Range(1, 100));
    cli.add_flag("--read-ahead", read_ahead,
                 "read the reports ahead on the service's read-ahead thread, as StoreWorker does");
    CLI11_PARSE(cli, argc, argv);
    spdlog::set_level(spdlog::level::warn);

    const auto dir = std::filesystem::temp_directory_path() /
                     ("ledgerbot-process-bench-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    ledgerbot::bench::Messages messages = ledgerbot::bench::load_messages();
    messages.companies = ledgerbot::bench::company_names(companies);

    ledgerbot::storage::Database ledger(dir / "ledger.db");
    if (!ledgerbot::bench::import_registry(ledger.sql(), messages)) {
        std::fprintf(stderr, "cannot import the registry\n");
        return 1;
    }
    // As the service has it: the received file with its own writer connection and the store
    // thread's read connection, each keeping its statements.
    SQLite::Database writer = ledgerbot::storage::ReceivedInbox::open(dir / "received.db");
    ledgerbot::storage::StatementCache writer_statements(writer);
    SQLite::Database reader = ledgerbot::storage::ReceivedInbox::open(dir / "received.db", true);
    ledgerbot::storage::StatementCache reader_statements(reader);

    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    {
        std::vector<ledgerbot::bot::model::InboundEvent> pending;
        ledgerbot::storage::ReceivedInbox received(writer);
        for (int n = 0; n < events; ++n) {
            // What adapters/wecom/app_callback makes of a text message to the app.
            ledgerbot::bot::model::InboundEvent event;
            event.source = std::string(ledgerbot::adapters::wecom::kAppSource);
            event.type = ledgerbot::bot::model::EventType::message;
            event.time = now;
            event.id = "bench-" + std::to_string(n);
            event.sender.id =
                messages.senders[static_cast<std::size_t>(n) % messages.senders.size()];
            event.chat = ledgerbot::bot::model::Chat{
                std::string(ledgerbot::adapters::wecom::kAppDirectChatPrefix) + event.sender.id, "",
                ledgerbot::bot::model::ChatKind::direct, "", 0};
            event.text = messages.text_for(static_cast<std::size_t>(n));
            pending.push_back(std::move(event));
            if (pending.size() == 256 || n + 1 == events) {
                if (!received.insert_batch(pending, now)) {
                    std::fprintf(stderr, "cannot store the events\n");
                    return 1;
                }
                pending.clear();
            }
        }
    }

    const auto settings = ledgerbot::config::load_settings_from_string(
        "[schedule]\nenabled = false\n", "bench", [](std::string_view) { return std::nullopt; });
    const ledgerbot::bot::Engine engine(settings.engine);
    ledgerbot::storage::EventProcessor processor(ledger.sql(), engine);
    ledgerbot::storage::ReceivedInbox received(reader);
    std::optional<ledgerbot::app::ReportReadAhead> reader_thread;
    if (read_ahead) {
        reader_thread.emplace(dir / "ledger.db", dir / "received.db", engine,
                              ledgerbot::app::ReportReadAhead::Options{});
        processor.take_readings_from(
            [&](const ledgerbot::bot::model::InboundEvent& event, const std::string& key,
                std::int64_t version) { return reader_thread->take(event, key, version); });
        reader_thread->start();
    }

    std::printf(
        "events: %d visit reports of the corpus (%zu texts) from %zu staff about %zu "
        "companies; %d per transaction\n",
        events, messages.reports.size(), messages.senders.size(), messages.companies.size(), batch);
    std::printf("%-16s %10s %12s %12s %9s\n", "events", "cpu s", "us/event", "events/s", "notices");
    const int per_slice = (events + slices - 1) / slices;
    int done = 0;
    int notices = 0;
    int slice_start = 0;
    int slice_notices = 0;
    double slice_cpu = thread_cpu_seconds();
    const double total_cpu = slice_cpu;
    const double process_cpu_start = process_cpu_seconds();
    const auto wall = std::chrono::steady_clock::now();
    while (done < events) {
        auto take = ledgerbot::storage::received_to_take(ledger.sql(), received, batch);
        if (!take) {
            std::fprintf(stderr, "reading the received file failed: %s\n",
                         take.error().message().c_str());
            return 1;
        }
        auto outcome = processor.process_pending(batch, now, {}, take.value());
        if (!outcome) {
            std::fprintf(stderr, "processing failed: %s\n", outcome.error().message().c_str());
            return 1;
        }
        if (reader_thread && !take.value().empty()) {
            reader_thread->taken_through(outcome.value().taken.taken_through);
        }
        const int round = outcome.value().processed + outcome.value().failed;
        if (round == 0) {
            break;
        }
        done += round;
        notices += outcome.value().notices;
        slice_notices += outcome.value().notices;
        if (done - slice_start >= per_slice || done >= events) {
            const double cpu = thread_cpu_seconds() - slice_cpu;
            const int count = done - slice_start;
            std::printf("%6d..%-9d %10.2f %12.0f %12.0f %9d\n", slice_start + 1, done, cpu,
                        cpu / count * 1e6, count / cpu, slice_notices);
            slice_start = done;
            slice_notices = 0;
            slice_cpu = thread_cpu_seconds();
        }
    }
    const double cpu = thread_cpu_seconds() - total_cpu;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    std::printf("%-16s %10.2f %12.0f %12.0f %9d  (wall %.2f s, %.0f events/s)\n", "all", cpu,
                cpu / done * 1e6, done / cpu, notices, elapsed, done / elapsed);
    if (reader_thread) {
        const double others = process_cpu_seconds() - process_cpu_start - cpu;
        reader_thread->stop();
        const auto counts = reader_thread->counts();
        std::printf(
            "read ahead: %lld reports read, %lld used, %lld missed; other threads' cpu "
            "%.2f s (%.0f us/event)\n",
            static_cast<long long>(counts.read), static_cast<long long>(counts.used),
            static_cast<long long>(counts.missed), others, others / done * 1e6);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
