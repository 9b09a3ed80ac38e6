// The console's audit trail (compliance and administrators) and operations page
// (administrators): ConsoleService members.
#include "app/console/console_service.hpp"

#include <spdlog/spdlog.h>

#include "app/console/console_request.hpp"
#include "app/console/console_tokens.hpp"
#include "app/http/form_data.hpp"
#include "bot/time/civil_time.hpp"
#include "storage/audit_log.hpp"
#include "storage/inbox_repair.hpp"
#include "storage/job_runs.hpp"
#include "storage/outbox_repair.hpp"
#include "storage/received_inbox.hpp"
#include "storage/sqlite_state.hpp"

namespace ledgerbot::app::console {
namespace asio = boost::asio;

namespace {

// The newest rows the audit page lists; the CLI exports the whole trail.
constexpr std::int64_t kAuditRows = 300;
constexpr int kRepairRows = 100;

std::string time_text(std::optional<std::int64_t> at) {
    return at && *at != 0 ? bot::time::format_local_minutes(*at) : std::string{};
}

}  // namespace

asio::awaitable<http::Response> ConsoleService::audit_trail(const http::Request& request,
                                                            const SignedIn& user) {
    if (!user.viewer.compliance && !user.viewer.admin) {
        bot::AuditEntry entry{user.viewer.id, "console.refused", "audit", {{"reason", "role"}}};
        co_await audit(std::move(entry));
        co_return message(request, http::status::forbidden, "page_not_allowed", user);
    }
    const auto query = query_fields(request.target());
    storage::AuditFilter filter;
    filter.actor = form_value(query, "actor");
    filter.action = form_value(query, "action");
    filter.limit = kAuditRows;
    const std::string since = form_value(query, "since");
    if (const auto date = bot::time::parse_iso_date(since)) {
        filter.since = bot::time::from_local(*date, 0, 0, 0);
    }
    // "更早的记录": the page of entries before the oldest one shown.
    filter.before = positive_value(query, "before");
    const bool verify = form_value(query, "verify") == "1";
    struct Trail {
        nlohmann::json rows = nlohmann::json::array();
        std::optional<storage::AuditVerification> verification;
    };
    const auto read = [&filter, verify](SQLite::Database& db) {
        Trail out;
        storage::SqliteState state(db);
        state.refresh();
        storage::AuditLog log(db);
        log.each(filter,
                 [&](const storage::AuditRecord& record) {
                     const auto* person = state.directory().find_person(record.actor);
                     out.rows.push_back(
                         {{"seq", record.seq},
                          {"at", bot::time::format_local_minutes(record.at)},
                          {"actor", record.actor},
                          {"actor_name", person != nullptr ? person->name : std::string{}},
                          {"action", record.action},
                          {"subject", record.subject},
                          {"detail", record.detail_json},
                          {"source", record.source_event}});
                 })
            .value();
        if (verify) {
            out.verification = log.verify().value();
        }
        return out;
    };
    Trail trail = co_await store_.run<Trail>(read);
    std::reverse(trail.rows.begin(), trail.rows.end());  // newest first
    nlohmann::json fields{
        {"rows", trail.rows},           {"has_rows", !trail.rows.empty()}, {"limit", kAuditRows},
        {"actor_filter", filter.actor}, {"action_filter", filter.action},  {"since_filter", since}};
    // A full page may have older entries behind it: link them, the filter kept.
    if (trail.rows.size() == static_cast<std::size_t>(kAuditRows)) {
        fields["has_older"] = true;
        fields["older_href"] = "/console/audit?actor=" + http::encode_query_value(filter.actor) +
                               "&action=" + http::encode_query_value(filter.action) +
                               "&since=" + http::encode_query_value(since) +
                               "&before=" + trail.rows.back()["seq"].dump();
    }
    fields["has_before"] = filter.before.has_value();
    if (trail.verification) {
        fields["verified"] = true;
        fields["verify_ok"] = trail.verification->ok;
        fields["verify_entries"] = trail.verification->entries;
        fields["verify_bad_seq"] = trail.verification->bad_seq.value_or(0);
        fields["verify_reason"] = trail.verification->reason;
    }
    fields.update(co_await page_fields(user, request, "nav_audit"));
    bot::AuditEntry entry{
        user.viewer.id, verify ? "console.audit_verified" : "console.viewed", "audit",
        verify ? nlohmann::json{{"ok", fields.value("verify_ok", false)}}
               : nlohmann::json{{"actor", filter.actor}, {"action", filter.action}}};
    co_await audit(std::move(entry));
    co_return html(request, http::status::ok, "audit", fields);
}

asio::awaitable<http::Response> ConsoleService::operations(const http::Request& request,
                                                           const SignedIn& user) {
    if (!user.viewer.admin) {
        bot::AuditEntry entry{
            user.viewer.id, "console.refused", "operations", {{"reason", "role"}}};
        co_await audit(std::move(entry));
        co_return message(request, http::status::forbidden, "page_not_allowed", user);
    }
    std::vector<std::string> jobs;
    for (const auto& job : settings_.schedule.jobs) {
        jobs.push_back(job.name);
    }
    const auto read = [&jobs](SQLite::Database& db) {
        nlohmann::json out;
        nlohmann::json notices = nlohmann::json::array();
        const auto dead_notices = storage::OutboxRepair(db).list(true, kRepairRows).value();
        for (const auto& row : dead_notices) {
            notices.push_back({{"id", row.id},
                               {"channel", row.channel},
                               {"target", row.target_kind + ":" + row.target_id},
                               {"template", row.template_id},
                               {"attempts", row.attempts},
                               {"created_at", time_text(row.created_at)},
                               {"error", row.last_error}});
        }
        nlohmann::json events = nlohmann::json::array();
        const auto failed_events = storage::InboxRepair(db).list(true, kRepairRows).value();
        for (const auto& row : failed_events) {
            events.push_back({{"id", row.id},
                              {"key", row.dedup_key},
                              {"type", row.type},
                              {"received_at", time_text(row.received_at)},
                              {"error", row.error}});
        }
        nlohmann::json runs = nlohmann::json::array();
        for (const std::string& job : jobs) {
            const auto recent = storage::recent_job_runs(db, job, 1).value();
            runs.push_back(
                {{"job", job},
                 {"last", recent.empty() ? std::string{} : recent.front().run_key},
                 {"at", recent.empty() ? std::string{} : time_text(recent.front().ran_at)}});
        }
        out["notices"] = notices;
        out["has_notices"] = !notices.empty();
        out["events"] = events;
        out["has_events"] = !events.empty();
        out["jobs"] = runs;
        out["pending_events"] =
            db.execAndGet("SELECT COUNT(*) FROM inbox WHERE status = 'pending'").getInt64();
        out["pending_notices"] =
            db.execAndGet("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").getInt64();
        return out;
    };
    nlohmann::json fields = co_await store_.run<nlohmann::json>(read);
    for (const char* list : {"notices", "events"}) {
        for (nlohmann::json& row : fields[list]) {
            row["nonce"] = random_token();
            row["csrf"] = user.csrf;
        }
    }
    fields.update(co_await page_fields(user, request, "nav_operations"));
    bot::AuditEntry entry{user.viewer.id, "console.viewed", "operations", {}};
    co_await audit(std::move(entry));
    co_return html(request, http::status::ok, "operations", fields);
}

asio::awaitable<http::Response> ConsoleService::operations_retry(const http::Request& request) {
    const auto form = http::parse_form(request.body());
    if (!form) {
        co_return message(request, http::status::bad_request, "bad_form", false);
    }
    auto guarded = co_await require_session(request, &*form);
    if (auto* refused = std::get_if<http::Response>(&guarded)) {
        co_return std::move(*refused);
    }
    const SignedIn& user = std::get<SignedIn>(guarded);
    if (!user.viewer.admin) {
        co_return message(request, http::status::forbidden, "page_not_allowed", user);
    }
    // A repair, like `ledgerbot outbox retry` / `inbox retry`: audited as the signed-in admin.
    // Retrying twice is harmless (the second finds the row pending), so no nonce is needed.
    const std::string kind = form_value(*form, "kind");
    std::int64_t id = 0;
    try {
        id = std::stoll(form_value(*form, "id"));
    } catch (const std::exception&) {
        co_return message(request, http::status::bad_request, "bad_form", user);
    }
    if (kind != "notice" && kind != "event") {
        co_return message(request, http::status::bad_request, "bad_form", user);
    }
    const std::string actor = user.viewer.id;
    const std::int64_t now = clock_.now_seconds();
    const auto retry = [&kind, id, &actor, now](SQLite::Database& db) {
        return kind == "notice" ? storage::OutboxRepair(db).retry(id, actor, now).value()
                                : storage::InboxRepair(db).retry(id, actor, now).value();
    };
    const storage::RetryResult result = co_await store_.run<storage::RetryResult>(retry);
    if (result == storage::RetryResult::retried) {
        store_.wake();
    }
    spdlog::info("console: {} retry of {} {} by {}", kind, id,
                 result == storage::RetryResult::retried ? "done" : "not needed", actor);
    co_return redirect(request, std::string("/console/operations?retried=") +
                                    (result == storage::RetryResult::retried ? "1" : "0"));
}

}  // namespace ledgerbot::app::console
