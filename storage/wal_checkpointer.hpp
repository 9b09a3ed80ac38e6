#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace ledgerbot::storage {

/// Copies the write-ahead logs of the given files back into them from a thread of its own, so
/// that the threads that commit (the ingest thread acknowledging callbacks, the store thread
/// processing them) do not. SQLite's automatic checkpoint runs inside the COMMIT that crosses
/// its threshold: under load a third of the store thread's waits were checkpoint writes and
/// their fsyncs (perf sched:sched_switch, issue 15).
///
/// A PASSIVE checkpoint never blocks the writer; the writers keep an automatic checkpoint at a
/// high threshold (`kWriterFallbackPages`) so that the log stays bounded should this thread
/// fall behind.
class WalCheckpointer {
public:
    /// The automatic checkpoint threshold for a writer whose file has a checkpointer.
    static constexpr int kWriterFallbackPages = 10000;

    WalCheckpointer(std::vector<std::filesystem::path> files, std::chrono::milliseconds interval);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    /// Raises `writer`'s automatic checkpoint threshold to the fallback.
    static void hand_over(SQLite::Database& writer);

    void start();
    /// Runs a last checkpoint and stops; called before the writers close.
    void stop();

private:
    void loop();

    std::vector<std::filesystem::path> files_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ledgerbot::storage
