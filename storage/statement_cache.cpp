#include "storage/statement_cache.hpp"

#include <mutex>

namespace ledgerbot::storage {
namespace {

// More distinct statements than the code has means SQL built with varying text; those are not
// worth keeping.
constexpr std::size_t kMaxEntries = 512;

std::mutex registry_mutex;
std::unordered_map<const SQLite::Database*, StatementCache*>& registry() {
    static std::unordered_map<const SQLite::Database*, StatementCache*> caches;
    return caches;
}

}  // namespace

StatementCache::StatementCache(SQLite::Database& db) : db_(db) {
    std::lock_guard lock(registry_mutex);
    registry()[&db] = this;
}

StatementCache::~StatementCache() {
    std::lock_guard lock(registry_mutex);
    registry().erase(&db_);
}

StatementCache* StatementCache::of(const SQLite::Database& db) {
    std::lock_guard lock(registry_mutex);
    const auto it = registry().find(&db);
    return it == registry().end() ? nullptr : it->second;
}

StatementCache::Entry* StatementCache::entry(std::string_view sql) {
    const auto it = entries_.find(std::string(sql));
    if (it != entries_.end()) {
        return it->second.get();
    }
    if (entries_.size() >= kMaxEntries) {
        return nullptr;
    }
    auto entry = std::make_unique<Entry>(Entry{SQLite::Statement(db_, std::string(sql))});
    return entries_.emplace(std::string(sql), std::move(entry)).first->second.get();
}

Prepared::Prepared(SQLite::Database& db, std::string_view sql) {
    if (StatementCache* cache = StatementCache::of(db)) {
        entry_ = cache->entry(sql);
        if (entry_ != nullptr && entry_->in_use) {
            entry_ = nullptr;
        }
    }
    if (entry_ != nullptr) {
        entry_->in_use = true;
        statement_ = &entry_->statement;
    } else {
        own_ = std::make_unique<SQLite::Statement>(db, std::string(sql));
        statement_ = own_.get();
    }
}

Prepared::~Prepared() {
    if (entry_ != nullptr) {
        // Reset ends the statement's read of the database (an unfinished SELECT would hold its
        // snapshot open); cleared bindings keep one use's values out of the next.
        (void)entry_->statement.tryReset();
        try {
            entry_->statement.clearBindings();  // sqlite3_clear_bindings cannot fail
        } catch (const SQLite::Exception&) {
        }
        entry_->in_use = false;
    }
}

std::int64_t single_int64(SQLite::Database& db, std::string_view sql) {
    Prepared query(db, sql);
    return query->executeStep() ? query->getColumn(0).getInt64() : 0;
}

std::string single_string(SQLite::Database& db, std::string_view sql) {
    Prepared query(db, sql);
    return query->executeStep() ? query->getColumn(0).getString() : std::string{};
}

}  // namespace ledgerbot::storage
