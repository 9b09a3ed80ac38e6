#include "storage/storage_error.hpp"

#include <sqlite3.h>

#include <string>

namespace ledgerbot::storage {
namespace {

class SqliteCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "sqlite"; }
    std::string message(int value) const override { return sqlite3_errstr(value); }
};

}  // namespace

const std::error_category& sqlite_category() {
    static const SqliteCategory kCategory;
    return kCategory;
}

bool is_transient(int sqlite_extended_code) {
    const int primary = sqlite_extended_code & 0xFF;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
           primary == SQLITE_FULL || primary == SQLITE_NOMEM || primary == SQLITE_CANTOPEN ||
           primary == SQLITE_PROTOCOL;
}

bool is_transient(const std::error_code& error) {
    return error.category() == sqlite_category() && is_transient(error.value());
}

std::error_code to_error_code(const SQLite::Exception& e) {
    const int code = e.getExtendedErrorCode() != -1 ? e.getExtendedErrorCode() : SQLITE_ERROR;
    return {code, sqlite_category()};
}

}  // namespace ledgerbot::storage
