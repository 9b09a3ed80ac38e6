#include "config/config_loader.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace {

using Catch::Matchers::Contains;
using ledgerbot::bot::model::VisitField;
using ledgerbot::config::ConfigError;
using ledgerbot::config::embedded_default_config;
using ledgerbot::config::EnvironmentLookup;
using ledgerbot::config::load_default_settings;
using ledgerbot::config::load_settings_file;
using ledgerbot::config::load_settings_from_string;
using ledgerbot::config::Settings;

EnvironmentLookup environment(std::map<std::string, std::string> variables = {}) {
    return [variables](std::string_view name) -> std::optional<std::string> {
        auto it = variables.find(std::string(name));
        if (it == variables.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

Settings load(const std::string& toml, const EnvironmentLookup& env = environment()) {
    return load_settings_from_string(toml, "override.toml", env);
}

std::string error_of(const std::string& toml, const EnvironmentLookup& env = environment()) {
    try {
        load(toml, env);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

// The embedded defaults with one line replaced, for keys inside arrays of tables (an override
// file would have to repeat the whole array, since arrays replace).
std::string defaults_with(const std::string& line, const std::string& replacement) {
    std::string text(embedded_default_config());
    const auto pos = text.find(line);
    REQUIRE(pos != std::string::npos);
    text.replace(pos, line.size(), replacement);
    return text;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

}  // namespace

TEST_CASE("The embedded defaults load into complete settings", "[config]") {
    const Settings settings = load_default_settings(environment());

    CHECK(settings.server.listen_address == "127.0.0.1");
    CHECK(settings.server.listen_port == 8080);
    CHECK(settings.server.body_limit_bytes == 1048576);
    CHECK(settings.storage.database_path == "var/ledgerbot.db");
    CHECK(settings.log.level == "info");
    CHECK(settings.log.format == "text");
    CHECK(settings.generic.enabled);
    CHECK(settings.generic.secret == "ledgerbot-dev-secret");
    CHECK(settings.generic.secret_is_development_default);
    CHECK(settings.outbox.retry_for_hours == 24);
    CHECK(settings.outbox.alert_after_minutes == 30);
    CHECK(settings.evidence.max_bytes == 20 << 20);
    CHECK(settings.evidence.types == std::vector<std::string>{"jpeg", "png", "gif", "webp"});
    CHECK(settings.evidence.directory == "var/evidence");
    CHECK(settings.storage.backup_directory == "var/backups");
    CHECK(settings.engine.retention.raw_events_days == 30);
    CHECK(settings.outbox.rate_for_channel("generic") == 120);
    CHECK(settings.outbox.rate_for_channel("wecom-app") == 60);

    const auto& report = settings.engine.report;
    CHECK(report.headers == std::vector<std::string>{"走访记录", "走访报告", "拜访记录"});
    CHECK(report.fields.size() == 13);
    CHECK(report.label(VisitField::company) == "企业全称");
    CHECK(report.label(VisitField::phone) == "联系电话");
    CHECK(report.required.size() == 8);
    CHECK(report.required.front() == VisitField::company);
    CHECK(report.required.back() == VisitField::phone);
    REQUIRE(report.modes.size() == 3);
    CHECK(report.modes[0].name == "电话回访");
    CHECK(report.evidence_window_seconds == 600);
    CHECK(report.supplement_commands == std::vector<std::string>{"补充"});
    CHECK(report.supplement_command() == "/补充");
}

TEST_CASE("The embedded defaults loaded as an override file change nothing", "[config]") {
    const Settings from_file = load(std::string(embedded_default_config()));
    const Settings defaults = load_default_settings(environment());
    CHECK(from_file.server.listen_port == defaults.server.listen_port);
    CHECK(from_file.engine.report.headers == defaults.engine.report.headers);
    CHECK(from_file.engine.report.fields.size() == defaults.engine.report.fields.size());
}

TEST_CASE("An override file merges tables key by key over the defaults", "[config]") {
    const Settings settings = load(
        "[server]\n"
        "listen_port = 9000\n"
        "[outbox.channel_rate_per_minute]\n"
        "wecom-app = 20\n"
        "[adapters.generic]\n"
        "console_sink = \"\"\n");

    CHECK(settings.server.listen_port == 9000);
    CHECK(settings.server.listen_address == "127.0.0.1");
    CHECK(settings.server.read_timeout_seconds == 30);
    CHECK(settings.outbox.rate_for_channel("wecom-app") == 20);
    CHECK(settings.outbox.rate_for_channel("generic") == 120);
    CHECK(settings.generic.console_sink.empty());
    CHECK(settings.generic.path == "/hooks/generic");
    CHECK(settings.engine.report.fields.size() == 13);
}

TEST_CASE("An override file replaces arrays instead of appending to them", "[config]") {
    const Settings settings = load(
        "[report]\n"
        "headers = [\"拜访纪要\"]\n"
        "required = [\"company\", \"visit_time\"]\n");

    CHECK(settings.engine.report.headers == std::vector<std::string>{"拜访纪要"});
    CHECK(settings.engine.report.required ==
          std::vector<VisitField>{VisitField::company, VisitField::visit_time});
    CHECK(settings.engine.report.modes.size() == 3);
}

TEST_CASE("An unknown key stops loading with a message naming the key", "[config]") {
    const auto [toml, key] = GENERATE(table<std::string, std::string>({
        {"colour = \"red\"\n", "'colour'"},
        {"[server]\nlistn_port = 8081\n", "'server.listn_port'"},
        {"[adapters.generic]\nsecrett = \"x\"\n", "'adapters.generic.secrett'"},
        {"[adapters.wechat]\nenabled = true\n", "'adapters.wechat'"},
        {"[adapters.wecom]\ntokn = \"x\"\n", "'adapters.wecom.tokn'"},
        {"[report]\nheader = [\"走访记录\"]\n", "'report.header'"},
        {"[outbox]\nmax_attempt = 3\n", "'outbox.max_attempt'"},
    }));
    CHECK_THAT(error_of(toml), Contains("unknown key " + key));
}

TEST_CASE("An unknown key inside a report field or mode table is named with its index",
          "[config]") {
    const auto [line, replacement, key] = GENERATE(table<std::string, std::string, std::string>({
        {"key = \"mode\"", "key = \"mode\"\nlable = \"方式\"", "'report.fields[2].lable'"},
        {"key = \"company\"", "key = \"company\"\nrequired = true", "'report.fields[0].required'"},
        {"name = \"实地走访\"", "name = \"实地走访\"\nkeyword = [\"上门\"]",
         "'report.modes[1].keyword'"},
    }));
    CHECK_THAT(error_of(defaults_with(line, replacement)), Contains("unknown key " + key));
}

TEST_CASE("A value of the wrong type or out of range names the key", "[config]") {
    const auto [toml, message] = GENERATE(table<std::string, std::string>({
        {"[server]\nlisten_port = \"8080\"\n", "'server.listen_port' must be an integer"},
        {"[server]\nlisten_port = 70000\n",
         "'server.listen_port' must be an integer from 0 to 65535"},
        {"[server]\nlisten_port = -1\n", "'server.listen_port' must be an integer"},
        {"[server]\nlisten_port = 8080.0\n", "'server.listen_port' must be an integer"},
        {"[server]\nbody_limit_bytes = 10\n",
         "'server.body_limit_bytes' must be an integer from 1024"},
        {"[server]\nread_timeout_seconds = 0\n", "'server.read_timeout_seconds'"},
        {"[server]\nlisten_address = 127\n", "'server.listen_address' must be a string"},
        {"server = 1\n", "'server' must be a table"},
        {"[adapters.generic]\nenabled = \"yes\"\n",
         "'adapters.generic.enabled' must be true or false"},
        {"[adapters.generic]\nmax_clock_skew_seconds = 0\n",
         "'adapters.generic.max_clock_skew_seconds'"},
        {"[outbox]\nretry_for_hours = 0\n", "'outbox.retry_for_hours' must be an integer from 1"},
        {"[outbox]\nmax_attempts = 8\n", "unknown key 'outbox.max_attempts'"},
        {"[evidence]\ntypes = [\"png\", \"bmp\"]\n", "may list jpeg, png, gif and webp, not 'bmp'"},
        {"[evidence]\nmax_bytes = 10\n", "'evidence.max_bytes'"},
        {"[retention]\nraw_events_days = 0\n", "'retention.raw_events_days'"},
        {"[adapters.wecom]\ngroup_sync_delay_ms = -1\n", "'adapters.wecom.group_sync_delay_ms'"},
        {"[adapters.wecom]\ngroup_resync_minutes = 20000\n",
         "'adapters.wecom.group_resync_minutes' must be an integer from 0 to 10080"},
        {"[adapters.wecom]\napi_keep_alive_seconds = 301\n",
         "'adapters.wecom.api_keep_alive_seconds' must be an integer from 0 to 300"},
        {"[outbox.channel_rate_per_minute]\ngeneric = 0\n",
         "'outbox.channel_rate_per_minute.generic'"},
        {"[outbox.channel_rate_per_minute]\ngeneric = \"fast\"\n",
         "'outbox.channel_rate_per_minute.generic'"},
        {"[log]\nlevel = \"verbose\"\n", "'log.level' must be one of"},
        {"[log]\nformat = \"xml\"\n", "'log.format' must be text or json"},
        {"[report]\nheaders = \"走访记录\"\n", "'report.headers' must be an array of strings"},
        {"[report]\nheaders = [\"走访记录\", 2]\n", "'report.headers' must be an array of strings"},
        {"[report]\nevidence_window_minutes = -1\n", "'report.evidence_window_minutes'"},
        {"[report]\nevidence_window_minutes = 1441\n", "'report.evidence_window_minutes'"},
        {"[report]\nfields = \"company\"\n", "'report.fields' must be an array of tables"},
        {"[report]\nsupplement_commands = []\n",
         "'report.supplement_commands' must list at least one command word"},
        {"[report]\nsupplement_commands = \"补充\"\n",
         "'report.supplement_commands' must be an array of strings"},
        {"[report]\nsupplement_commands = [\"/补充\"]\n",
         "'report.supplement_commands' entries are words without '/'"},
        {"[report]\nsupplement_commands = [\"补 充\"]\n",
         "'report.supplement_commands' entries are words without '/'"},
        {"[report]\nsupplement_commands = [\"补充\", \"\"]\n",
         "'report.supplement_commands' must not contain"},
        {"[report]\nsupplement_commands = [\"补充\", \"建群\"]\n",
         "'report.supplement_commands' names '建群', which is a [conventions] command too"},
    }));
    CHECK_THAT(error_of(toml), Contains(message));
}

TEST_CASE("A wrong value in an override file is located in that file", "[config]") {
    // Line 3 of the override, not a line of the embedded defaults.
    CHECK_THAT(error_of("# comment\n[server]\nlisten_port = \"8080\"\n"),
               Contains("(override.toml:line 3)"));
    CHECK_THAT(error_of("[server]\nlistn_port = 1\n"), Contains("(override.toml:line 2)"));
}

TEST_CASE("The generic secret from the environment overrides the configured one", "[config]") {
    const Settings settings =
        load_default_settings(environment({{"LEDGERBOT_GENERIC_SECRET", "s3cret-from-env"}}));
    CHECK(settings.generic.secret == "s3cret-from-env");
    CHECK_FALSE(settings.generic.secret_is_development_default);

    const Settings overridden = load("[adapters.generic]\nsecret = \"from-file\"\n",
                                     environment({{"LEDGERBOT_GENERIC_SECRET", "from-env"}}));
    CHECK(overridden.generic.secret == "from-env");
    CHECK_FALSE(overridden.generic.secret_is_development_default);
}

TEST_CASE("A secret set in the override file replaces the development default", "[config]") {
    const Settings settings = load("[adapters.generic]\nsecret = \"from-file\"\n");
    CHECK(settings.generic.secret == "from-file");
    CHECK_FALSE(settings.generic.secret_is_development_default);
}

TEST_CASE("An empty generic secret is rejected while the adapter is enabled", "[config]") {
    const auto [env_value, why] = GENERATE(table<std::string, std::string>({
        {"", "an empty environment variable does not count"},
        {"(unset)", "no environment variable"},
    }));
    INFO(why);
    const auto env = env_value == "(unset)"
                         ? environment()
                         : environment({{"LEDGERBOT_GENERIC_SECRET", env_value}});
    CHECK_THAT(error_of("[adapters.generic]\nsecret = \"\"\n", env),
               Contains("'adapters.generic.secret' is empty"));

    const Settings disabled = load("[adapters.generic]\nenabled = false\nsecret = \"\"\n", env);
    CHECK_FALSE(disabled.generic.enabled);
}

TEST_CASE("A TOML syntax error names the file and the line", "[config]") {
    ledgerbot::testing::TempDir dir;
    const auto path = dir / "ledgerbot.toml";
    write_file(path, "[server]\nlisten_port = 8081\nlisten_address = = \"0.0.0.0\"\n");

    try {
        load_settings_file(path, environment());
        FAIL("a syntax error was accepted");
    } catch (const ConfigError& error) {
        CHECK_THAT(error.what(), Contains(path.string() + ":3:"));
    }
}

TEST_CASE("A configuration file is read and merged over the defaults", "[config]") {
    ledgerbot::testing::TempDir dir;
    const auto path = dir / "ledgerbot.toml";
    write_file(path, "[storage]\ndatabase_path = \"/srv/ledgerbot/ledger.db\"\n");

    const Settings settings = load_settings_file(path, environment());

    CHECK(settings.storage.database_path == "/srv/ledgerbot/ledger.db");
    CHECK(settings.server.listen_port == 8080);
}

TEST_CASE("A configuration file that cannot be read stops loading", "[config]") {
    ledgerbot::testing::TempDir dir;
    CHECK_THROWS_WITH(load_settings_file(dir / "absent.toml", environment()),
                      Contains("cannot read") && Contains("absent.toml"));
}

TEST_CASE("Report settings that name no known field are rejected", "[config]") {
    CHECK_THAT(error_of("[report]\nrequired = [\"company\", \"budget\"]\n"),
               Contains("'report.required' names no report field: budget"));
    CHECK_THAT(error_of(defaults_with("key = \"industry\"", "key = \"sector\"")),
               Contains("'report.fields[10].key' names no report field: sector"));
}

TEST_CASE("Report fields must cover every visit field", "[config]") {
    // Arrays replace, so a file listing only some fields loses the others.
    CHECK_THAT(error_of("[[report.fields]]\nkey = \"company\"\nlabel = \"企业\"\naliases = []\n"),
               Contains("'report.fields' has no entry for 'visit_time'"));
}

namespace {

const std::string kWecomApp =
    "[adapters.wecom]\nenabled = true\ncorp_id = \"ww1436e0e65a779aee\"\n"
    "token = \"file-token\"\nencoding_aes_key = \"6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt\"\n";

}  // namespace

TEST_CASE("WeCom is off by default, with the documented paths and API base URL", "[config]") {
    const Settings settings = load_default_settings(environment());

    CHECK_FALSE(settings.wecom.enabled);
    CHECK_FALSE(settings.wecom.bot_enabled);
    CHECK(settings.wecom.app_path == "/wecom/app");
    CHECK(settings.wecom.bot_path == "/wecom/bot");
    CHECK(settings.wecom.api_base_url == "https://qyapi.weixin.qq.com");
    CHECK(settings.wecom.agent_id == 0);
    CHECK(settings.wecom.corp_id.empty());
    CHECK(settings.wecom.group_sync_delay_ms == 2000);
    CHECK(settings.wecom.group_resync_minutes == 360);
    CHECK(settings.wecom.api_keep_alive_seconds == 15);
}

TEST_CASE("WeCom settings are read from [adapters.wecom]", "[config]") {
    const Settings settings =
        load(kWecomApp +
             "app_path = \"/cb/app\"\nagent_id = 1000002\nsecret = \"s\"\n"
             "api_base_url = \"http://127.0.0.1:9\"\nbot_enabled = true\n"
             "bot_path = \"/cb/bot\"\nbot_token = \"bt\"\n"
             "bot_encoding_aes_key = \"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C\"\n"
             "group_sync_delay_ms = 50\ngroup_resync_minutes = 0\napi_keep_alive_seconds = 0\n");

    CHECK(settings.wecom.enabled);
    CHECK(settings.wecom.app_path == "/cb/app");
    CHECK(settings.wecom.corp_id == "ww1436e0e65a779aee");
    CHECK(settings.wecom.token == "file-token");
    CHECK(settings.wecom.encoding_aes_key == "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt");
    CHECK(settings.wecom.bot_enabled);
    CHECK(settings.wecom.bot_path == "/cb/bot");
    CHECK(settings.wecom.bot_token == "bt");
    CHECK(settings.wecom.bot_encoding_aes_key == "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C");
    CHECK(settings.wecom.agent_id == 1000002);
    CHECK(settings.wecom.secret == "s");
    CHECK(settings.wecom.api_base_url == "http://127.0.0.1:9");
    CHECK(settings.wecom.group_sync_delay_ms == 50);
    CHECK(settings.wecom.group_resync_minutes == 0);
    CHECK(settings.wecom.api_keep_alive_seconds == 0);
}

TEST_CASE("WeCom secrets from the environment override the configured ones", "[config]") {
    const Settings settings =
        load(kWecomApp, environment({{"LEDGERBOT_WECOM_TOKEN", "env-token"},
                                     {"LEDGERBOT_WECOM_AES_KEY", "env-key"},
                                     {"LEDGERBOT_WECOM_BOT_TOKEN", "env-bot-token"},
                                     {"LEDGERBOT_WECOM_BOT_AES_KEY", "env-bot-key"},
                                     {"LEDGERBOT_WECOM_SECRET", "env-secret"}}));

    CHECK(settings.wecom.token == "env-token");
    CHECK(settings.wecom.encoding_aes_key == "env-key");
    CHECK(settings.wecom.bot_token == "env-bot-token");
    CHECK(settings.wecom.bot_encoding_aes_key == "env-bot-key");
    CHECK(settings.wecom.secret == "env-secret");
}

TEST_CASE("An enabled WeCom callback without its credentials names the missing key, not a secret",
          "[config]") {
    const auto [toml, key] = GENERATE(table<std::string, std::string>({
        {"[adapters.wecom]\nenabled = true\ntoken = \"SECRET-T\"\nencoding_aes_key = "
         "\"SECRET-K\"\n",
         "adapters.wecom.corp_id"},
        {"[adapters.wecom]\nenabled = true\ncorp_id = \"c\"\nencoding_aes_key = \"SECRET-K\"\n",
         "adapters.wecom.token"},
        {"[adapters.wecom]\nenabled = true\ncorp_id = \"c\"\ntoken = \"SECRET-T\"\n",
         "adapters.wecom.encoding_aes_key"},
        {"[adapters.wecom]\nbot_enabled = true\nbot_encoding_aes_key = \"SECRET-K\"\n",
         "adapters.wecom.bot_token"},
        {"[adapters.wecom]\nbot_enabled = true\nbot_token = \"SECRET-T\"\n",
         "adapters.wecom.bot_encoding_aes_key"},
    }));
    INFO(toml);
    const std::string error = error_of(toml);
    CHECK_THAT(error, Contains("'" + key + "' is required"));
    CHECK_THAT(error, !Contains("SECRET"));
}

TEST_CASE("A disabled WeCom callback needs no credentials", "[config]") {
    CHECK(error_of("[adapters.wecom]\nenabled = false\nbot_enabled = false\n") == "(no error)");
}

TEST_CASE("WeCom paths must be distinct absolute paths", "[config]") {
    const auto [toml, expected] = GENERATE(table<std::string, std::string>({
        {kWecomApp + "app_path = \"wecom\"\n", "'adapters.wecom.app_path' must be a path"},
        {kWecomApp + "app_path = \"/a?x=1\"\n", "'adapters.wecom.app_path' must be a path"},
        {kWecomApp + "bot_enabled = true\nbot_token = \"t\"\nbot_encoding_aes_key = \"k\"\n"
                     "bot_path = \"/wecom/app\"\n",
         "must differ"},
        {kWecomApp + "app_path = \"/hooks/generic\"\n", "the generic adapter's path too"},
        {kWecomApp + "api_base_url = \"qyapi.weixin.qq.com\"\n", "'adapters.wecom.api_base_url'"},
        {kWecomApp + "agent_id = -1\n", "'adapters.wecom.agent_id'"},
        {kWecomApp + "corp_ids = \"x\"\n", "unknown key 'adapters.wecom.corp_ids'"},
    }));
    INFO(toml);
    CHECK_THAT(error_of(toml), Contains(expected));
}

TEST_CASE("The scheduler is on by default with the built features' jobs enabled",
          "[config][schedule]") {
    const Settings settings = load_default_settings(environment());
    CHECK(settings.schedule.enabled);
    CHECK(settings.schedule.check_interval_seconds == 30);
    CHECK(settings.schedule.max_lateness_hours == 2);
    std::map<std::string, std::string> jobs;
    std::set<std::string> enabled;
    for (const auto& job : settings.schedule.jobs) {
        if (job.enabled) {
            enabled.insert(job.name);
        }
        jobs[job.name] = job.at.text;
    }
    // Every shipped job has its handler and is on.
    CHECK(enabled == std::set<std::string>{"conventions-check", "risk-escalation",
                                           "nickname-evening", "nickname-morning", "sla-check",
                                           "score-draft", "weekly-scores", "annual-ranking",
                                           "monthly-digest", "coverage-reminder", "coverage-gaps",
                                           "retention"});
    CHECK(jobs == std::map<std::string, std::string>{
                      {"conventions-check", "hourly :05"},
                      {"risk-escalation", "hourly :15"},
                      {"nickname-evening", "daily 20:00"},
                      {"nickname-morning", "daily 09:00"},
                      {"sla-check", "daily 09:30"},
                      {"score-draft", "weekly Mon 09:00"},
                      {"weekly-scores", "weekly Mon 15:00"},
                      {"annual-ranking", "quarterly-end -0d 17:00"},
                      {"monthly-digest", "monthly 1 09:00"},
                      {"coverage-reminder", "quarterly-end -14d 10:00"},
                      {"coverage-gaps", "quarterly-end +1d 10:00"},
                      {"retention", "daily 03:30"},
                  });
}

TEST_CASE("Scheduled jobs from an override file replace the shipped list", "[config][schedule]") {
    const Settings settings = load(
        "[schedule]\ncheck_interval_seconds = 5\nmax_lateness_hours = 6\n"
        "[[schedule.jobs]]\nname = \"nickname-evening\"\nat = \"daily 20:00\"\nenabled = true\n");
    CHECK(settings.schedule.check_interval_seconds == 5);
    CHECK(settings.schedule.max_lateness_hours == 6);
    REQUIRE(settings.schedule.jobs.size() == 1);
    const auto& job = settings.schedule.jobs[0];
    CHECK(job.name == "nickname-evening");
    CHECK(job.enabled);
    CHECK(job.at.kind == ledgerbot::bot::time::ScheduleSpec::Kind::daily);
    CHECK(job.at.hour == 20);
}

TEST_CASE("Bad [schedule] settings stop loading with a message naming the key",
          "[config][schedule]") {
    const auto [toml, key] = GENERATE(table<std::string, std::string>({
        {"[schedule]\nenabled = \"yes\"\n", "'schedule.enabled'"},
        {"[schedule]\ncheck_interval_seconds = 0\n", "'schedule.check_interval_seconds'"},
        {"[schedule]\nmax_lateness_hours = 0\n", "'schedule.max_lateness_hours'"},
        {"[schedule]\nmax_latenes_hours = 3\n", "'schedule.max_latenes_hours'"},
        {"[[schedule.jobs]]\nname = \"a\"\nat = \"daily 25:00\"\nenabled = true\n",
         "'schedule.jobs[0].at'"},
        {"[[schedule.jobs]]\nname = \"a\"\nat = \"hourly\"\nenabled = true\n",
         "'schedule.jobs[0].at'"},
        {"[[schedule.jobs]]\nname = \"Weekly Scores\"\nat = \"daily 09:00\"\nenabled = true\n",
         "'schedule.jobs[0].name'"},
        {"[[schedule.jobs]]\nname = \"a:b\"\nat = \"daily 09:00\"\nenabled = true\n",
         "'schedule.jobs[0].name'"},
        {"[[schedule.jobs]]\nname = \"a\"\nat = \"daily 09:00\"\nenabled = true\n"
         "[[schedule.jobs]]\nname = \"a\"\nat = \"daily 10:00\"\nenabled = true\n",
         "'schedule.jobs[1].name'"},
        {"[[schedule.jobs]]\nname = \"a\"\nat = \"daily 09:00\"\n", "'schedule.jobs[0].enabled'"},
        {"[[schedule.jobs]]\nname = \"a\"\nat = \"daily 09:00\"\nenabled = true\nwhen = 1\n",
         "'schedule.jobs[0].when'"},
    }));
    CHECK_THAT(error_of(toml), Contains(key));
}

TEST_CASE("[scores]: lines, publish groups and the rules file", "[config][scoring]") {
    const Settings defaults = load_default_settings(environment());
    CHECK(defaults.engine.scores.lines.empty());
    CHECK(defaults.engine.scores.publish_to.empty());
    CHECK(defaults.engine.scores.check_commands == std::vector<std::string>{"核查"});
    CHECK(defaults.engine.scores.rules.full_marks_bonus == 2);

    ledgerbot::testing::TempDir dir;
    const auto rules = dir / "qilu-scoring.toml";
    std::ofstream(rules)
        << "[truthfulness]\ncomplete = 2\naccurate = 2\nevidence = 1\n"
           "full_marks_bonus = 0\nfinding_deduction = 2\n"
           "visits_per_company_per_year = 0\nomission_supplement_working_days = 5\n"
           "visit_cap_scope = \"company\"\n"
           "[quality]\nlanded = 3\nrevenue = 10\nreferral_landed = 5\n"
           "first_visit_needs_landing = true\njoint_visit_share = 0.5\n";
    const Settings settings = load(
        "[scores]\nrules_file = \"" + rules.string() +
        "\"\n"
        "[[scores.lines]]\nname = \"业务一线\"\ndirector = \"zhengshi\"\n"
        "departments = [\"市场发展部\", \"企业服务部\"]\n"
        "[[scores.lines]]\nname = \"业务二线\"\ndirector = \"\"\ndepartments = [\"存管交易部\"]\n"
        "[[scores.publish_to]]\nchannel = \"wecom-app\"\nchat_id = \"lbstaff\"\n");
    const auto& scores = settings.engine.scores;
    CHECK(scores.rules.full_marks_bonus == 0);
    CHECK(scores.rules.finding_deduction == 2);
    CHECK(scores.rules.omission_supplement_working_days == 5);
    REQUIRE(scores.lines.size() == 2);
    CHECK(scores.lines[0].departments == std::vector<std::string>{"市场发展部", "企业服务部"});
    REQUIRE(scores.publish_to.size() == 1);
    CHECK(scores.publish_to[0].channel == "wecom-app");
    CHECK(scores.publish_to[0].id == "lbstaff");
}

TEST_CASE("[scores] mistakes stop startup naming the key", "[config][scoring]") {
    const auto [toml, expected] = GENERATE(table<std::string, std::string>({
        {"[scores]\nrules_file = \"/nonexistent/scoring.toml\"\n", "'scores.rules_file'"},
        {"[[scores.lines]]\nname = \"A\"\ndirector = \"x\"\ndepartments = [\"市场发展部\"]\n"
         "[[scores.lines]]\nname = \"B\"\ndirector = \"y\"\ndepartments = [\"市场发展部\"]\n",
         "another line lists too"},
        {"[[scores.lines]]\nname = \"A\"\ndirector = \"x\"\ndepartments = []\n"
         "[[scores.lines]]\nname = \"A\"\ndirector = \"y\"\ndepartments = []\n",
         "'scores.lines[1].name'"},
        {"[[scores.lines]]\nname = \"A\"\ndepartments = []\n", "'scores.lines[0].director'"},
        {"[[scores.publish_to]]\nchannel = \"generic\"\nchat_id = \"\"\n",
         "'scores.publish_to[0].chat_id'"},
        {"[scores]\ncheck_commands = [\"补充\"]\n",
         "'补充' is already the word of another command"},
        {"[scores]\nscore_commands = [\"方案\"]\n",
         "'方案' is already the word of another command"},
        {"[scores]\nmessage_max_bytes = 100\n", "'scores.message_max_bytes'"},
        {"[scores]\nlines = 3\n", "'scores.lines'"},
    }));
    INFO(toml);
    CHECK_THAT(error_of(toml), Contains(expected));
}
