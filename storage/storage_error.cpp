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
    static const SqliteCategory category;
    return category;
}

std::error_code to_error_code(const SQLite::Exception& e) {
    const int code = e.getExtendedErrorCode() != -1 ? e.getExtendedErrorCode() : SQLITE_ERROR;
    return {code, sqlite_category()};
}

}  // namespace ledgerbot::storage
