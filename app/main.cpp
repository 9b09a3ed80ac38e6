#include "app/cli/cli.hpp"

int main(int argc, char** argv) {
    return ledgerbot::app::cli::run_cli(argc, argv);
}
