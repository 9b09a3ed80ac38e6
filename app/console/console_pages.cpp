// The console's ledger, visit and coverage pages (ConsoleService members; sign-in, sessions and
// the risk and score pages are in console_service.cpp).
#include "app/console/console_service.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>

#include "app/cli/ledger_export.hpp"
#include "app/console/console_request.hpp"
#include "app/console/console_tokens.hpp"
#include "app/http/form_data.hpp"
#include "bot/console/groups_view.hpp"
#include "bot/console/ledger_view.hpp"
#include "bot/console/visits_view.hpp"
#include "bot/text/message_header.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/quarter.hpp"
#include "storage/console_sessions.hpp"
#include "storage/evidence_repository.hpp"
#include "storage/group_repository.hpp"
#include "storage/ledger_export.hpp"
#include "storage/sqlite_state.hpp"

namespace ledgerbot::app::console {
namespace asio = boost::asio;

namespace {

// Rows on a page of the ledger: a screen's worth of scrolling on a phone, a few on a desktop.
constexpr std::size_t kLedgerPageSize = 100;

bot::console::LedgerFilter ledger_filter(const std::map<std::string, std::string>& query) {
    return {form_value(query, "company"), form_value(query, "department"),
            form_value(query, "status"), form_value(query, "overdue") == "1"};
}

std::string ledger_query(const bot::console::LedgerFilter& filter) {
    return "company=" + http::encode_query_value(filter.company) +
           "&department=" + http::encode_query_value(filter.department) +
           "&status=" + http::encode_query_value(filter.status) +
           (filter.overdue ? "&overdue=1" : "");
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

asio::awaitable<http::Response> ConsoleService::ledger(const http::Request& request,
                                                       const SignedIn& user) {
    const auto query = query_fields(request.target());
    const bot::console::LedgerFilter filter = ledger_filter(query);
    // Anything but a positive number is the first page.
    const bot::console::LedgerPage page{
        static_cast<std::size_t>(positive_value(query, "page").value_or(1)), kLedgerPageSize};
    const std::int64_t now = clock_.now_seconds();
    const auto read = [&user, &filter, page, now](SQLite::Database& db) {
        storage::SqliteState state(db);
        state.refresh();
        return bot::console::ledger_view(user.viewer, state, filter, now, page);
    };
    nlohmann::json fields = co_await store_.run<nlohmann::json>(read);
    for (nlohmann::json& row : fields["rows"]) {
        row["status_text"] = chat_renderer_.render("demand_status", row);
    }
    for (nlohmann::json& status : fields["statuses"]) {
        status["label"] = status.contains("open") ? std::string("open")
                                                  : chat_renderer_.render("demand_status", status);
    }
    fields["export_query"] = ledger_query(filter);
    const std::string here = "/console/ledger?" + ledger_query(filter) + "&page=";
    fields["prev_href"] = here + fields["prev_page"].dump();
    fields["next_href"] = here + fields["next_page"].dump();
    fields.update(co_await page_fields(user, request, "nav_ledger"));
    bot::AuditEntry entry{user.viewer.id,
                          "console.viewed",
                          "ledger",
                          {{"rows", fields["count"]}, {"filter", ledger_query(filter)}}};
    co_await audit(std::move(entry));
    co_return html(request, http::status::ok, "ledger", fields);
}

asio::awaitable<http::Response> ConsoleService::ledger_export(const http::Request& request,
                                                              const SignedIn& user) {
    const auto query = query_fields(request.target());
    const std::string format = form_value(query, "format");
    if (format != "csv" && format != "xlsx") {
        co_return message(request, http::status::bad_request, "bad_format", user);
    }
    const bot::console::LedgerFilter filter = ledger_filter(query);
    const std::int64_t now = clock_.now_seconds();
    // The viewer's demands decide which rows go out; the export's columns are 第七条's.
    const auto read = [&user, &filter, now](SQLite::Database& db) {
        storage::SqliteState state(db);
        state.refresh();
        std::set<std::int64_t> mine;
        for (const auto& demand : bot::console::ledger_demands(user.viewer, state, filter, now)) {
            mine.insert(demand.number);
        }
        std::vector<storage::LedgerRow> rows;
        auto ledger_rows = storage::read_ledger(db).value();
        for (storage::LedgerRow& row : ledger_rows) {
            if (mine.count(row.demand_number) > 0) {
                rows.push_back(std::move(row));
            }
        }
        return rows;
    };
    const std::vector<storage::LedgerRow> rows =
        co_await store_.run<std::vector<storage::LedgerRow>>(read);
    const auto table = cli::ledger_table(rows, chat_renderer_);
    const auto path = std::filesystem::temp_directory_path() /
                      ("ledgerbot-console-" + random_token() + "." + format);
    std::string bytes;
    try {
        cli::write_table(table, format == "csv" ? cli::ExportFormat::csv : cli::ExportFormat::xlsx,
                         path.string(), now);
        bytes = read_file(path);
    } catch (const std::exception& e) {
        spdlog::error("console: ledger export failed: {}", e.what());
    }
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    if (bytes.empty()) {
        co_return message(request, http::status::internal_server_error, "export_failed", user);
    }
    std::string name = chat_renderer_.render(
        "ledger_file_name", {{"company", filter.company},
                             {"date", bot::time::format_date(bot::time::local_date(now))}});
    if (format == "csv") {
        name = name.substr(0, name.rfind('.')) + ".csv";
    }
    bot::AuditEntry entry{
        user.viewer.id,
        "console.exported",
        "ledger",
        {{"format", format}, {"rows", rows.size()}, {"filter", ledger_query(filter)}}};
    co_await audit(std::move(entry));
    http::Response response = http::make_response(
        request, http::status::ok, std::move(bytes),
        format == "csv" ? "text/csv; charset=utf-8"
                        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    response.set(http::field::content_disposition, "attachment; filename=\"ledger." + format +
                                                       "\"; filename*=UTF-8''" +
                                                       http::encode_query_value(name));
    co_return response;
}

asio::awaitable<http::Response> ConsoleService::visits(const http::Request& request,
                                                       const SignedIn& user) {
    const auto query = query_fields(request.target());
    const std::int64_t now = clock_.now_seconds();
    const auto number = bot::text::parse_numbered_id(form_value(query, "v"), 'V');
    if (number) {
        const std::int64_t wanted = *number;
        const auto read = [this, &user, wanted](SQLite::Database& db) {
            storage::SqliteState state(db);
            state.refresh();
            nlohmann::json fields =
                bot::console::visit_view(user.viewer, wanted, state, settings_.engine);
            if (!fields.contains("not_found") && !fields.contains("not_allowed")) {
                nlohmann::json images = nlohmann::json::array();
                const auto evidence_items =
                    storage::EvidenceRepository(db).of_visit(wanted).value();
                for (const auto& item : evidence_items) {
                    if (item.status == "fetched") {
                        images.push_back({{"sha256", item.sha256},
                                          {"mime", item.mime},
                                          {"size_kb", (item.size + 1023) / 1024},
                                          {"at", bot::time::format_local_minutes(item.at)}});
                    }
                }
                fields["has_images"] = !images.empty();
                fields["images"] = std::move(images);
            }
            return fields;
        };
        nlohmann::json fields = co_await store_.run<nlohmann::json>(read);
        fields.update(co_await page_fields(user, request, "nav_visits"));
        fields["check_nonce"] = random_token();
        fields["void_nonce"] = random_token();
        const bool shown = !fields.contains("not_found") && !fields.contains("not_allowed");
        bot::AuditEntry entry{user.viewer.id,
                              shown ? "console.viewed" : "console.refused",
                              fields.value("visit_id", ""),
                              {{"page", "visit"}, {"allowed", shown}}};
        co_await audit(std::move(entry));
        co_return html(request, shown ? http::status::ok : http::status::not_found, "visit",
                       fields);
    }
    const auto quarter = bot::time::parse_quarter(form_value(query, "quarter"), now)
                             .value_or(bot::time::quarter_at(now));
    const std::string company = form_value(query, "company");
    const auto read = [this, &user, &quarter, &company](SQLite::Database& db) {
        storage::SqliteState state(db);
        state.refresh();
        return bot::console::visits_view(user.viewer, state, settings_.engine, quarter, company);
    };
    nlohmann::json fields = co_await store_.run<nlohmann::json>(read);
    fields.update(co_await page_fields(user, request, "nav_visits"));
    bot::AuditEntry entry{user.viewer.id,
                          "console.viewed",
                          "visits:" + quarter.label,
                          {{"rows", fields["count"]}, {"company", company}}};
    co_await audit(std::move(entry));
    co_return html(request, http::status::ok, "visits", fields);
}

asio::awaitable<http::Response> ConsoleService::evidence(const http::Request& request,
                                                         const SignedIn& user) {
    const auto query = query_fields(request.target());
    const auto number = bot::text::parse_numbered_id(form_value(query, "v"), 'V');
    const std::string sha = form_value(query, "sha");
    if (!number || !is_token(sha)) {
        co_return message(request, http::status::bad_request, "bad_visit", user);
    }
    const std::int64_t wanted = *number;
    // The image is served only to those who may read its record, and only if it is that
    // record's evidence.
    const auto read = [this, &user, wanted, &sha](SQLite::Database& db) -> std::string {
        storage::SqliteState state(db);
        state.refresh();
        const nlohmann::json visit =
            bot::console::visit_view(user.viewer, wanted, state, settings_.engine);
        if (visit.contains("not_found") || visit.contains("not_allowed")) {
            return {};
        }
        const auto evidence_items = storage::EvidenceRepository(db).of_visit(wanted).value();
        for (const auto& item : evidence_items) {
            if (item.status == "fetched" && item.sha256 == sha) {
                return item.mime.empty() ? std::string("application/octet-stream") : item.mime;
            }
        }
        return {};
    };
    const std::string mime = co_await store_.run<std::string>(read);
    bot::AuditEntry entry{user.viewer.id,
                          mime.empty() ? "console.refused" : "console.evidence_viewed",
                          bot::model::visit_code(wanted),
                          {{"sha256", sha}}};
    co_await audit(std::move(entry));
    if (mime.empty()) {
        co_return message(request, http::status::not_found, "no_evidence", user);
    }
    std::string bytes = read_file(evidence_store_.path_of(sha));
    if (bytes.empty()) {
        spdlog::error("console: evidence file {} is missing", sha);
        co_return message(request, http::status::not_found, "no_evidence", user);
    }
    http::Response response =
        http::make_response(request, http::status::ok, std::move(bytes), mime);
    response.set(http::field::cache_control, "private, no-store");
    co_return response;
}

asio::awaitable<http::Response> ConsoleService::coverage(const http::Request& request,
                                                         const SignedIn& user) {
    const std::int64_t now = clock_.now_seconds();
    const auto quarter =
        bot::time::parse_quarter(form_value(query_fields(request.target()), "quarter"), now)
            .value_or(bot::time::quarter_at(now));
    const auto read = [this, &user, &quarter](SQLite::Database& db) {
        storage::SqliteState state(db);
        state.refresh();
        return bot::console::coverage_view(user.viewer, state, settings_.engine, quarter);
    };
    nlohmann::json fields = co_await store_.run<nlohmann::json>(read);
    fields["previous_quarter"] = bot::time::quarter_at(quarter.from - 1).label;
    fields.update(co_await page_fields(user, request, "nav_coverage"));
    bot::AuditEntry entry{user.viewer.id, "console.viewed", "coverage:" + quarter.label, {}};
    co_await audit(std::move(entry));
    co_return html(request, http::status::ok, "coverage", fields);
}

asio::awaitable<http::Response> ConsoleService::groups(const http::Request& request,
                                                       const SignedIn& user) {
    const auto read = [this, &user](SQLite::Database& db) {
        storage::SqliteState state(db);
        state.refresh();
        return bot::console::groups_view(user.viewer, state, settings_.engine,
                                         storage::GroupRepository(db).risks());
    };
    nlohmann::json fields = co_await store_.run<nlohmann::json>(read);
    // What each risk is about, in the chat answers' words.
    for (nlohmann::json& group : fields["groups"]) {
        for (nlohmann::json& risk : group["risks"]) {
            risk["rule_text"] = chat_renderer_.render("risk_rule", risk);
        }
        for (nlohmann::json& moment : group["timeline"]) {
            if (moment.contains("risk_raised")) {
                moment["rule_text"] = chat_renderer_.render("risk_rule", moment);
            }
        }
    }
    fields.update(co_await page_fields(user, request, "nav_groups"));
    bot::AuditEntry entry{
        user.viewer.id, "console.viewed", "groups", {{"groups", fields["count"]}}};
    co_await audit(std::move(entry));
    co_return html(request, http::status::ok, "groups", fields);
}

}  // namespace ledgerbot::app::console
