#include "storage/sqlite_process.hpp"

#include <sqlite3.h>

namespace ledgerbot::storage {

bool configure_sqlite_process() {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

}  // namespace ledgerbot::storage
