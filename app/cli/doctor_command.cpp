// `ledgerbot doctor`: what an administrator runs after installing or changing the config, and
// when something looks wrong. One line per check, ✔ or ✘ with what to do; exit 0 only if every
// check passed.
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

Check check_wecom(const config::Settings& settings) {
    const auto& wecom = settings.wecom;
    if (!wecom.api_configured()) {
        return {true, "WeCom API",
                "no corp_id/secret: skipped (the bot cannot answer on WeCom until they are set)"};
    }
    adapters::wecom::ApiClientSettings api = wecom_api_settings(wecom);
    api.busy_attempts = 1;
    boost::asio::io_context io;
    adapters::wecom::ApiClient client(io.get_executor(), api);
    std::optional<adapters::wecom::Result<std::string>> token;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            auto fetched = co_await client.access_token();
            token.emplace(std::move(fetched));
        },
        boost::asio::detached);
    io.run();
    if (!token) {
        return {false, "WeCom API", "gettoken did not complete"};
    }
    const auto& result = *token;
    if (result) {
        return {true, "WeCom API", "gettoken ok for corp " + wecom.corp_id};
    }
    const std::error_code error = result.error();
    if (error == adapters::wecom::make_api_error(adapters::wecom::errcode::kIpNotAllowed)) {
        return {false, "WeCom API",
                "gettoken refused with 60020: this server's IP is not a trusted IP of the app. "
                "In the WeCom admin console, 应用管理 → the app → 企业可信IP, add this server's "
                "public IP"};
    }
    return {false, "WeCom API",
            "gettoken failed: " + error.message() +
                " (check [adapters.wecom] corp_id, LEDGERBOT_WECOM_SECRET and api_base_url)"};
}

}  // namespace

void add_doctor_command(CLI::App& app, const SelectedCommand& selected) {
    app.add_subcommand("doctor",
                       "check the config, database, disk, evidence store and WeCom credentials; "
                       "exit 0 only if all pass")
        ->callback([selected] {
            *selected = [](const CommandContext& context) {
                const std::vector<Check> checks{
                    check_config(context.settings), check_database(context.settings),
                    check_free_disk(context.settings), check_evidence_store(context.settings),
                    check_wecom(context.settings)};
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
