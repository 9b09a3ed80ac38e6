#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/command_run.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ledgerbot::testing;

TEST_CASE("A scheduled job without a handler stops startup with a message naming it",
          "[integration][startup]") {
    TempDir dir;
    const auto config = dir / "typo.toml";
    std::ofstream(config) << "[storage]\ndatabase_path = \"" << (dir / "ledger.db").string()
                          << "\"\n[server]\nlisten_port = 0\nops_listen_port = 0\n"
                             "[[schedule.jobs]]\nname = \"weekly-score\"\nat = \"weekly Mon "
                             "15:00\"\nenabled = true\n";

    const CommandRun run = run_command(ledgerbot_binary(), {"--config", config.string(), "serve"});

    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Matchers::Contains("'weekly-score'"));
    CHECK_THAT(run.err, Catch::Matchers::Contains("weekly-scores"));
    CHECK_FALSE(std::filesystem::exists(dir / "ledger.db"));
}
