#include "storage/wal_checkpointer.hpp"

#include <pthread.h>

#include <memory>
#include <string>

#include <SQLiteCpp/Exception.h>
#include <spdlog/spdlog.h>

namespace ledgerbot::storage {

WalCheckpointer::WalCheckpointer(std::vector<std::filesystem::path> files,
                                 std::chrono::milliseconds interval)
    : files_(std::move(files)), interval_(interval) {}

WalCheckpointer::~WalCheckpointer() {
    stop();
}

void WalCheckpointer::hand_over(SQLite::Database& writer) {
    writer.exec("PRAGMA wal_autocheckpoint = " + std::to_string(kWriterFallbackPages));
}

void WalCheckpointer::start() {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { loop(); });
    }
}

void WalCheckpointer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void WalCheckpointer::loop() {
    pthread_setname_np(pthread_self(), "lb-checkpoint");
    std::vector<std::unique_ptr<SQLite::Database>> connections;
    for (const auto& file : files_) {
        try {
            auto connection =
                std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE);
            connection->setBusyTimeout(1000);
            connections.push_back(std::move(connection));
        } catch (const SQLite::Exception& e) {
            // The writers' automatic checkpoint still bounds the log.
            spdlog::warn("checkpointer: cannot open {}: {}", file.string(), e.what());
        }
    }
    bool stopping = false;
    while (!stopping) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, interval_, [&] { return stopping_; });
            stopping = stopping_;
        }
        for (const auto& connection : connections) {
            try {
                connection->exec("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (const SQLite::Exception& e) {
                spdlog::debug("checkpointer: {}: {}", connection->getFilename(), e.what());
            }
        }
    }
}

}  // namespace ledgerbot::storage
