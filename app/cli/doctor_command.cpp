// `ledgerbot doctor`: what an administrator runs after installing or changing the config, and
// when something looks wrong. One line per check, ✔ or ✘ with what to do; exit 0 only if every
// check passed.
#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "adapters/wecom/api_client.hpp"
#include "adapters/wecom/api_error.hpp"
#include "app/cli/command.hpp"
#include "app/wecom_api_settings.hpp"
#include "storage/database.hpp"
#include "storage/statement_cache.hpp"

namespace ledgerbot::app::cli {
namespace {

// Below this the database, the received inbox and the evidence store may fill the disk.
constexpr std::uintmax_t kMinimumFreeBytes = 1ULL << 30;

struct Check {
    bool ok = false;
    std::string name;
    std::string detail;  ///< what was found, and when it failed, what to do
};

Check check_config(const config::Settings& settings) {
    if (settings.generic.enabled && settings.generic.secret_is_development_default) {
        return {false, "config",
                "the generic adapter uses the development secret: set LEDGERBOT_GENERIC_SECRET "
                "in the service's environment, or [adapters.generic] secret"};
    }
    return {true, "config",
            "loaded; generic adapter " + std::string(settings.generic.enabled ? "on" : "off") +
                ", WeCom callbacks " + (settings.wecom.enabled ? "on" : "off")};
}

Check check_database(const config::Settings& settings) {
    const std::string& path = settings.storage.database_path;
    try {
        storage::Database database(path, storage::OpenMode::read_only);
        const std::string integrity =
            storage::single_string(database.sql(), "PRAGMA integrity_check");
        if (integrity != "ok") {
            return {false, "database",
                    path + ": integrity_check says \"" + integrity +
                        "\": stop the service and restore the newest backup (docs/operations.md)"};
        }
        return {true, "database",
                path + ": schema " + std::to_string(database.schema_version()) +
                    " (this binary's), integrity ok"};
    } catch (const storage::DatabaseRefused& e) {
        return {false, "database", e.what()};
    } catch (const std::exception& e) {
        return {false, "database", path + ": " + e.what()};
    }
}

Check check_free_disk(const config::Settings& settings) {
    std::filesystem::path dir =
        std::filesystem::absolute(settings.storage.database_path).parent_path();
    std::error_code ec;
    while (!dir.empty() && !std::filesystem::exists(dir, ec) && dir != dir.root_path()) {
        dir = dir.parent_path();
    }
    const auto space = std::filesystem::space(dir, ec);
    if (ec) {
        return {false, "free disk", dir.string() + ": " + ec.message()};
    }
    const std::string free = std::to_string(space.available >> 20) + " MiB free on " + dir.string();
    if (space.available < kMinimumFreeBytes) {
        return {false, "free disk",
                free + ": below 1 GiB; free space or move [storage] paths to a larger disk"};
    }
    return {true, "free disk", free};
}

Check check_evidence_store(const config::Settings& settings) {
    const std::filesystem::path dir = settings.evidence.directory;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const auto probe = dir / ".doctor-probe";
    {
        std::ofstream out(probe, std::ios::binary);
        out << "probe";
        if (ec || !out) {
            return {false, "evidence store",
                    dir.string() +
                        ": not writable by this user; give the service user write "
                        "access (ReadWritePaths in the systemd unit)"};
        }
    }
    std::filesystem::remove(probe, ec);
    return {true, "evidence store", dir.string() + ": writable"};
}

const char* const kTrustedIpFix =
    "this server's IP is not a trusted IP of the app. In the WeCom admin console, 应用管理 → the "
    "app → 企业可信IP, add this server's public IP";

// gettoken, then agent/get: the token alone says the corp id and secret are right; agent/get
// is a call with the token, so it also meets the trusted-IP check every send will meet, and it
// says whether the app is on and whom it can reach (可见范围).
std::vector<Check> check_wecom(const config::Settings& settings) {
    const auto& wecom = settings.wecom;
    if (!wecom.api_configured()) {
        return {{true, "WeCom API",
                 "no corp_id/secret: skipped (the bot cannot answer on WeCom until they are set)"}};
    }
    adapters::wecom::ApiClientSettings api = wecom_api_settings(wecom);
    api.busy_attempts = 1;
    boost::asio::io_context io;
    adapters::wecom::ApiClient client(io.get_executor(), api);
    std::optional<adapters::wecom::Result<std::string>> token;
    std::optional<adapters::wecom::Result<adapters::wecom::AgentInfo>> agent;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            auto fetched = co_await client.access_token();
            const bool ok = fetched.has_value();
            token.emplace(std::move(fetched));
            if (ok && wecom.agent_id != 0) {
                agent.emplace(co_await client.agent_get());
            }
        },
        boost::asio::detached);
    io.run();
    const auto ip_refused = [](const std::error_code& error) {
        return error == adapters::wecom::make_api_error(adapters::wecom::errcode::kIpNotAllowed);
    };
    if (!token) {
        return {{false, "WeCom API", "gettoken did not complete"}};
    }
    if (!*token) {
        const std::error_code error = token->error();
        if (ip_refused(error)) {
            return {
                {false, "WeCom API", std::string("gettoken refused with 60020: ") + kTrustedIpFix}};
        }
        return {{false, "WeCom API",
                 "gettoken failed: " + error.message() +
                     " (check [adapters.wecom] corp_id, LEDGERBOT_WECOM_SECRET and api_base_url)"}};
    }
    std::vector<Check> checks{{true, "WeCom API", "gettoken ok for corp " + wecom.corp_id}};
    const std::string agent_id = std::to_string(wecom.agent_id);
    if (wecom.agent_id == 0) {
        checks.push_back({false, "WeCom app",
                          "[adapters.wecom] agent_id is not set: set it to the AgentId shown in "
                          "应用管理 → the app (answers to staff are app messages)"});
        return checks;
    }
    if (!agent || !*agent) {
        const std::error_code error = agent ? agent->error() : std::error_code{};
        if (ip_refused(error)) {
            checks.push_back({false, "WeCom app",
                              "agent/get refused with 60020: " + std::string(kTrustedIpFix) +
                                  " (gettoken works from any IP; every send would fail)"});
        } else if (error == adapters::wecom::make_api_error(40056)) {
            checks.push_back({false, "WeCom app",
                              "agent " + agent_id +
                                  " is not an app of this corp (40056): set [adapters.wecom] "
                                  "agent_id to the AgentId shown in 应用管理 → the app"});
        } else {
            checks.push_back({false, "WeCom app",
                              "agent/get for agent " + agent_id + " failed: " +
                                  (agent ? error.message() : std::string("did not complete")) +
                                  " (check [adapters.wecom] agent_id and that the secret is "
                                  "this app's)"});
        }
        return checks;
    }
    const adapters::wecom::AgentInfo& info = agent->value();
    if (info.closed) {
        checks.push_back(
            {false, "WeCom app",
             "「" + info.name + "」 (agent " + agent_id + ") is disabled: enable it in 应用管理"});
    } else if (info.visible_users.empty() && info.visible_departments == 0 &&
               info.visible_tags == 0) {
        checks.push_back({false, "WeCom app",
                          "「" + info.name + "」 (agent " + agent_id +
                              ") is visible to nobody: set its 可见范围 to the staff who report "
                              "visits, or they cannot message it"});
    } else {
        checks.push_back({true, "WeCom app",
                          "「" + info.name + "」 (agent " + agent_id + ") visible to " +
                              std::to_string(info.visible_users.size()) + " user(s), " +
                              std::to_string(info.visible_departments) + " department(s), " +
                              std::to_string(info.visible_tags) + " tag(s)"});
    }
    return checks;
}

}  // namespace

void add_doctor_command(CLI::App& app, const SelectedCommand& selected) {
    app.add_subcommand("doctor",
                       "check the config, database, disk, evidence store and WeCom credentials; "
                       "exit 0 only if all pass")
        ->callback([selected] {
            *selected = [](const CommandContext& context) {
                std::vector<Check> checks{
                    check_config(context.settings), check_database(context.settings),
                    check_free_disk(context.settings), check_evidence_store(context.settings)};
                for (Check& check : check_wecom(context.settings)) {
                    checks.push_back(std::move(check));
                }
                bool all_ok = true;
                for (const Check& check : checks) {
                    std::cout << (check.ok ? "✔ " : "✘ ") << check.name << ": " << check.detail
                              << "\n";
                    all_ok = all_ok && check.ok;
                }
                return all_ok ? 0 : 1;
            };
        });
}

}  // namespace ledgerbot::app::cli
