#include "storage/backup.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::storage {
namespace {

// Pages copied per step: small steps let the service's writer in between them.
constexpr int kPagesPerStep = 256;

void sync_path(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

std::vector<std::string> integrity_problems(SQLite::Database& db) {
    std::vector<std::string> problems;
    SQLite::Statement check(db, "PRAGMA integrity_check");
    while (check.executeStep()) {
        const std::string line = check.getColumn(0).getString();
        if (line != "ok") {
            problems.push_back(line);
        }
    }
    return problems;
}

void backup_database(SQLite::Database& source, const std::filesystem::path& destination) {
    if (std::filesystem::exists(destination)) {
        throw std::runtime_error("backup: " + destination.string() + " already exists");
    }
    if (destination.has_parent_path()) {
        std::filesystem::create_directories(destination.parent_path());
    }
    std::filesystem::path partial = destination;
    partial += ".partial";
    std::filesystem::remove(partial);
    {
        SQLite::Database target(partial.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        SQLite::Backup backup(target, source);
        for (;;) {
            const int step = backup.executeStep(kPagesPerStep);
            if (step == SQLITE_DONE) {
                break;
            }
            if (step == SQLITE_BUSY || step == SQLITE_LOCKED) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        const auto problems = integrity_problems(target);
        if (!problems.empty()) {
            std::filesystem::remove(partial);
            throw std::runtime_error("backup: the copy fails PRAGMA integrity_check: " +
                                     problems.front());
        }
    }
    sync_path(partial);
    std::filesystem::rename(partial, destination);
    sync_path(destination.parent_path().empty() ? "." : destination.parent_path());
}

std::filesystem::path backup_before_migration(SQLite::Database& db,
                                              const std::filesystem::path& directory, int keep,
                                              int from_version, std::int64_t now) {
    std::string stamp = bot::time::format_rfc3339(now, 0);  // 2026-11-23T10:15:00Z
    stamp.erase(std::remove_if(stamp.begin(), stamp.end(),
                               [](char c) { return c == '-' || c == ':' || c == 'Z'; }),
                stamp.end());
    const std::filesystem::path file =
        directory / ("ledgerbot-v" + std::to_string(from_version) + "-" + stamp + ".db");
    backup_database(db, file);

    std::vector<std::filesystem::path> taken;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("ledgerbot-v") && name.ends_with(".db")) {
            taken.push_back(entry.path());
        }
    }
    // Oldest first by the time in the name (ledgerbot-v<version>-<time>.db).
    const auto taken_at = [](const std::filesystem::path& file) {
        const std::string name = file.stem().string();
        return name.substr(name.rfind('-') + 1);
    };
    std::sort(taken.begin(), taken.end(),
              [&](const auto& a, const auto& b) { return taken_at(a) < taken_at(b); });
    for (std::size_t i = 0; keep > 0 && i + static_cast<std::size_t>(keep) < taken.size(); ++i) {
        std::filesystem::remove(taken[i]);
    }
    return file;
}

}  // namespace ledgerbot::storage
