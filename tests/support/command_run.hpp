#pragma once

#include <string>
#include <vector>

namespace ledgerbot::testing {

/// What a finished command left: its exit code and both output streams.
struct CommandRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs `program` with `arguments` (no shell: each is passed as it is) and waits for it.
CommandRun run_command(const std::string& program, const std::vector<std::string>& arguments);

/// The ledgerbot binary of this build.
std::string ledgerbot_binary();

}  // namespace ledgerbot::testing
