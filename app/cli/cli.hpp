#pragma once

namespace ledgerbot::app::cli {

/// The `ledgerbot` command line (CLI11). Returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace ledgerbot::app::cli
