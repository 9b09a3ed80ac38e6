#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "tests/integration/wecom_test_app.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ledgerbot;
using namespace ledgerbot::testing;

namespace {

std::filesystem::path write_config(const TempDir& dir, const std::string& extra) {
    const auto config = dir / "doctor.toml";
    std::ofstream(config) << "[storage]\ndatabase_path = \"" << (dir / "ledger.db").string()
                          << "\"\n[adapters.generic]\nsecret = \"doctor-secret\"\n"
                          << extra;
    return config;
}

CommandRun doctor(const std::filesystem::path& config) {
    return run_command(ledgerbot_binary(), {"--config", config.string(), "doctor"});
}

}  // namespace

TEST_CASE("ledgerbot doctor: one line per check, exit 0 only when all pass", "[integration]") {
    TempDir dir;
    const auto config = write_config(dir, "");

    // Before `migrate`: the database check names what to do, and the exit code says failed.
    const CommandRun missing = doctor(config);
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.out, Catch::Contains("✘ database: "));
    CHECK_THAT(missing.out, Catch::Contains("✔ config: "));

    REQUIRE(run_command(ledgerbot_binary(), {"--config", config.string(), "migrate"}).exit_code ==
            0);
    const CommandRun healthy = doctor(config);
    INFO(healthy.out << healthy.err);
    CHECK(healthy.exit_code == 0);
    CHECK_THAT(healthy.out,
               Catch::Contains("✔ database: " + (dir / "ledger.db").string() + ": schema "));
    CHECK_THAT(healthy.out, Catch::Contains("integrity ok"));
    CHECK_THAT(healthy.out, Catch::Contains("✔ free disk: "));
    CHECK_THAT(healthy.out, Catch::Contains("✔ evidence store: "));
    CHECK_THAT(healthy.out, Catch::Contains("✔ WeCom API: no corp_id/secret: skipped"));

    // The development secret of the embedded default is not for a real installation.
    const auto dev = dir / "dev.toml";
    std::ofstream(dev) << "[storage]\ndatabase_path = \"" << (dir / "ledger.db").string() << "\"\n";
    const CommandRun insecure = doctor(dev);
    CHECK(insecure.exit_code == 1);
    CHECK_THAT(insecure.out, Catch::Contains("✘ config: the generic adapter uses the development "
                                             "secret: set LEDGERBOT_GENERIC_SECRET"));
}

TEST_CASE("ledgerbot doctor calls gettoken and names the trusted-IP error and its fix",
          "[integration]") {
    FakeWecomServer fake(wecom_app::fake_options());
    TempDir dir;
    const auto config =
        write_config(dir, "[adapters.wecom]\ncorp_id = \"" + wecom_app::kCorpId +
                              "\"\nsecret = \"" + fake.options().secret +
                              "\"\nagent_id = " + std::to_string(fake.options().agent_id) +
                              "\napi_base_url = \"" + fake.base_url() + "\"\n");
    REQUIRE(run_command(ledgerbot_binary(), {"--config", config.string(), "migrate"}).exit_code ==
            0);

    fake.fail_next("/cgi-bin/gettoken", 1, 60020);
    const CommandRun refused = doctor(config);
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.out, Catch::Contains("✘ WeCom API: gettoken refused with 60020"));
    CHECK_THAT(refused.out, Catch::Contains("企业可信IP"));
    // The secret is never printed.
    CHECK_THAT(refused.out, !Catch::Contains(fake.options().secret));

    const CommandRun ok = doctor(config);
    INFO(ok.out << ok.err);
    CHECK(ok.exit_code == 0);
    CHECK_THAT(ok.out, Catch::Contains("✔ WeCom API: gettoken ok for corp " + wecom_app::kCorpId));
    CHECK_THAT(ok.out, Catch::Contains("✔ WeCom app: 「服务台账助手」 (agent 1000002) visible to 2 "
                                       "user(s), 1 department(s)"));

    // The token comes from anywhere; the first call with it meets the trusted-IP list.
    fake.fail_next("/cgi-bin/agent/get", 1, 60020);
    const CommandRun untrusted = doctor(config);
    CHECK(untrusted.exit_code == 1);
    CHECK_THAT(untrusted.out, Catch::Contains("✔ WeCom API: gettoken ok"));
    CHECK_THAT(untrusted.out, Catch::Contains("✘ WeCom app: agent/get refused with 60020"));
    CHECK_THAT(untrusted.out, Catch::Contains("企业可信IP"));

    const auto wrong = dir / "wrong.toml";
    std::ofstream(wrong) << "[storage]\ndatabase_path = \"" << (dir / "ledger.db").string()
                         << "\"\n[adapters.generic]\nsecret = \"doctor-secret\"\n"
                         << "[adapters.wecom]\ncorp_id = \"" << wecom_app::kCorpId
                         << "\"\nsecret = \"not-the-secret\"\napi_base_url = \"" << fake.base_url()
                         << "\"\n";
    const CommandRun bad_secret = doctor(wrong);
    CHECK(bad_secret.exit_code == 1);
    CHECK_THAT(bad_secret.out, Catch::Contains("✘ WeCom API: gettoken failed: "));
}

TEST_CASE("ledgerbot doctor names a wrong agent id and an app visible to nobody", "[integration]") {
    auto options = wecom_app::fake_options();
    options.visible_users.clear();
    options.visible_departments.clear();
    FakeWecomServer fake(options);
    TempDir dir;
    const auto wecom = [&](const std::string& agent) {
        return "[adapters.wecom]\ncorp_id = \"" + wecom_app::kCorpId + "\"\nsecret = \"" +
               fake.options().secret + "\"\nagent_id = " + agent + "\napi_base_url = \"" +
               fake.base_url() + "\"\n";
    };
    const auto config = write_config(dir, wecom(std::to_string(options.agent_id)));
    REQUIRE(run_command(ledgerbot_binary(), {"--config", config.string(), "migrate"}).exit_code ==
            0);
    const CommandRun nobody = doctor(config);
    CHECK(nobody.exit_code == 1);
    CHECK_THAT(nobody.out, Catch::Contains("is visible to nobody: set its 可见范围"));

    const auto other = dir / "other.toml";
    std::ofstream(other) << "[storage]\ndatabase_path = \"" << (dir / "ledger.db").string()
                         << "\"\n[adapters.generic]\nsecret = \"doctor-secret\"\n"
                         << wecom("1000099");
    const CommandRun wrong_agent = doctor(other);
    CHECK(wrong_agent.exit_code == 1);
    CHECK_THAT(wrong_agent.out,
               Catch::Contains("agent 1000099 is not an app of this corp (40056)"));

    std::ofstream(other) << "[storage]\ndatabase_path = \"" << (dir / "ledger.db").string()
                         << "\"\n[adapters.generic]\nsecret = \"doctor-secret\"\n"
                         << wecom("0");
    const CommandRun unset = doctor(other);
    CHECK(unset.exit_code == 1);
    CHECK_THAT(unset.out, Catch::Contains("✘ WeCom app: [adapters.wecom] agent_id is not set"));
}
