#include "app/cli/cli.hpp"
#include "storage/sqlite_process.hpp"

int main(int argc, char** argv) {
    ledgerbot::storage::configure_sqlite_process();
    return ledgerbot::app::cli::run_cli(argc, argv);
}
