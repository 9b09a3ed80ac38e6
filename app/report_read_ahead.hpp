#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "bot/engine.hpp"

namespace ledgerbot::app {

/// Reads acknowledged events as visit reports (Engine::read_ahead) on a thread of its own,
/// `lb-read`, while the store thread handles the events before them. Reading a report is about
/// a fifth of the store thread's work per event, and the store thread is the one that must keep
/// up (issue 15): this moves that fifth to the other core.
///
/// It reads the received file through its own connection, ahead of the ledger's cursor by at
/// most `window` events, and the directory through its own read connection to the ledger.
/// A reading is kept in memory only, with the import version of the directory it was made with;
/// the store thread uses it only when its own directory has that version, and reads the event
/// itself otherwise, so a reading can be missing or late but never wrong. Nothing here writes.
class ReportReadAhead {
public:
    struct Options {
        /// Events read ahead of the ledger's cursor at most: bounds the memory readings take.
        std::int64_t window = 1024;
        int batch = 128;
        std::chrono::milliseconds idle_wait{200};
    };

    ReportReadAhead(std::filesystem::path ledger_path, std::filesystem::path received_path,
                    const bot::Engine& engine, Options options);
    ~ReportReadAhead();
    ReportReadAhead(const ReportReadAhead&) = delete;
    ReportReadAhead& operator=(const ReportReadAhead&) = delete;

    void start();
    void stop();
    /// Events were committed to the received file.
    void wake();

    /// The reading of `event` (its dedup key `dedup_key`) if one was made of the same text,
    /// time, sender and chat with the directory of import version `directory_version`; a
    /// reading is handed out once.
    std::optional<bot::reports::ReportCheck> take(const bot::model::InboundEvent& event,
                                                  const std::string& dedup_key,
                                                  std::int64_t directory_version);
    /// The ledger took the received events up to `seq`: their readings are soon no longer
    /// needed. A lower `seq` than before means another received file: what was read is dropped.
    void taken_through(std::int64_t seq);

    struct Counts {
        std::int64_t read = 0;    ///< readings made
        std::int64_t used = 0;    ///< handed to the store thread
        std::int64_t missed = 0;  ///< asked for and not there (not read yet, or another directory)
    };
    Counts counts() const;

private:
    struct Reading {
        std::int64_t directory_version = 0;
        bot::model::InboundEvent event;  // as it was read
        bot::reports::ReportCheck check;
    };

    void loop();
    void forget_through(std::int64_t seq);  // with mutex_ held

    std::filesystem::path ledger_path_;
    std::filesystem::path received_path_;
    const bot::Engine& engine_;
    Options options_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool hint_ = true;
    std::int64_t taken_ = 0;   // the ledger's cursor, as the store thread last said
    std::int64_t cursor_ = 0;  // read through this received seq
    std::unordered_map<std::string, Reading> readings_;
    std::deque<std::pair<std::int64_t, std::string>> order_;  // (seq, dedup key), oldest first
    Counts counts_;
    std::thread thread_;
};

}  // namespace ledgerbot::app
