#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "adapters/wecom/api_client.hpp"
#include "app/clock.hpp"
#include "app/http/router.hpp"
#include "app/metrics.hpp"
#include "app/store_worker.hpp"
#include "bot/console/console_views.hpp"
#include "config/settings.hpp"
#include "storage/evidence_store.hpp"
#include "templates/page_renderer.hpp"
#include "templates/renderer.hpp"

namespace ledgerbot::app::console {

/// The web console under /console/ on a listener of its own: WeCom sign-in (OAuth inside the
/// WeCom client, the QR login on a desktop, one-time links from the CLI), sessions, and the
/// pages. Pages are read on the store thread and scoped by bot::console; every action is a
/// console event in the same inbox as chat messages (sender: the signed-in user, dedup id: the
/// form's nonce), so the engine decides permissions, audit and idempotency as for a chat
/// command, and its answer is shown on the page.
///
/// Security: sessions are `__Host-` cookies (Secure, HttpOnly, SameSite=Lax) whose ids are
/// stored hashed, with idle and absolute timeouts; every POST needs the session's CSRF token and
/// a same-origin Sec-Fetch-Site or Origin; every response carries a strict CSP.
class ConsoleService {
public:
    ConsoleService(StoreWorker& store, const Clock& clock, Metrics& metrics,
                   const config::Settings& settings,
                   std::shared_ptr<adapters::wecom::ApiClient> wecom_api,
                   const templates::Renderer& chat_renderer,
                   const storage::EvidenceStore& evidence_store);

    /// Routes on the console's own router.
    void install(http::Router& router);
    /// Where browsers reach the console (for redirect_uri and the Origin check); set once the
    /// listener is bound, since port 0 picks its port then.
    void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }

private:
    struct SignedIn {
        std::string session_id;
        std::string csrf;
        bot::console::ConsoleViewer viewer;
    };
    using Guarded = std::variant<SignedIn, http::Response>;

    boost::asio::awaitable<http::Response> login(const http::Request& request);
    boost::asio::awaitable<http::Response> callback(const http::Request& request);
    boost::asio::awaitable<http::Response> link_page(const http::Request& request);
    boost::asio::awaitable<http::Response> link_sign_in(const http::Request& request);
    boost::asio::awaitable<http::Response> logout(const http::Request& request);
    boost::asio::awaitable<http::Response> risks(const http::Request& request,
                                                 const SignedIn& user);
    boost::asio::awaitable<http::Response> scores(const http::Request& request,
                                                  const SignedIn& user);
    boost::asio::awaitable<http::Response> action(const http::Request& request);
    // console_pages.cpp
    boost::asio::awaitable<http::Response> ledger(const http::Request& request,
                                                  const SignedIn& user);
    boost::asio::awaitable<http::Response> ledger_export(const http::Request& request,
                                                         const SignedIn& user);
    boost::asio::awaitable<http::Response> visits(const http::Request& request,
                                                  const SignedIn& user);
    boost::asio::awaitable<http::Response> evidence(const http::Request& request,
                                                    const SignedIn& user);
    boost::asio::awaitable<http::Response> coverage(const http::Request& request,
                                                    const SignedIn& user);
    boost::asio::awaitable<http::Response> groups(const http::Request& request,
                                                  const SignedIn& user);
    // console_admin_pages.cpp
    boost::asio::awaitable<http::Response> audit_trail(const http::Request& request,
                                                       const SignedIn& user);
    boost::asio::awaitable<http::Response> operations(const http::Request& request,
                                                      const SignedIn& user);
    boost::asio::awaitable<http::Response> operations_retry(const http::Request& request);

    /// The fields every page has: the viewer, the CSRF token, the current page's nav flag, the
    /// answer to an action just made (`done`).
    boost::asio::awaitable<nlohmann::json> page_fields(const SignedIn& user,
                                                       const http::Request& request,
                                                       const char* nav);

    /// The signed-in user, or the response that refuses the request (a redirect to sign in,
    /// 403 for someone no longer on the staff list, a CSRF refusal for a POST).
    boost::asio::awaitable<Guarded> require_session(const http::Request& request,
                                                    const std::map<std::string, std::string>* form);
    /// Opens a session for `user_id` after a sign-in by `via`; a 403 page when they are not
    /// on the staff list (audited).
    boost::asio::awaitable<http::Response> sign_in(const http::Request& request,
                                                   const std::string& user_id,
                                                   const std::string& via, const std::string& next);
    boost::asio::awaitable<void> audit(bot::AuditEntry entry);
    /// A refusal page with its status, audited as console.sign_in_refused.
    boost::asio::awaitable<http::Response> refuse_sign_in(const http::Request& request,
                                                          http::status status,
                                                          const std::string& reason,
                                                          const std::string& user_id);
    /// The request comes from a page of the console (Sec-Fetch-Site, else Origin).
    bool same_origin(const http::Request& request) const;
    /// The engine's answers to the action `done` (a nonce) as lines, and whether it is pending.
    boost::asio::awaitable<nlohmann::json> flash_fields(const std::string& done,
                                                        const std::string& user_id);

    http::Response html(const http::Request& request, http::status status, std::string_view page,
                        const nlohmann::json& fields) const;
    /// A page that only says something: templates/console/message.mustache's `reason`.
    http::Response message(const http::Request& request, http::status status,
                           const std::string& reason, bool sign_in_link) const;
    /// The same for someone signed in: the page keeps who they are, their links and sign-out.
    http::Response message(const http::Request& request, http::status status,
                           const std::string& reason, const SignedIn& user) const;
    http::Response redirect(const http::Request& request, const std::string& location) const;

    /// The command a console action stands for, in the words typed in chat; or, when the form
    /// is not a valid action, the message reason that refuses it.
    struct ActionCommand {
        std::string text;
        std::string refusal;
    };
    ActionCommand command_of(const std::map<std::string, std::string>& form) const;

    StoreWorker& store_;
    const Clock& clock_;
    Metrics& metrics_;
    const config::Settings& settings_;
    std::shared_ptr<adapters::wecom::ApiClient> wecom_api_;
    const templates::Renderer& chat_renderer_;
    const storage::EvidenceStore& evidence_store_;
    templates::PageRenderer pages_;
    std::string base_url_;
};

/// The security headers every console response carries (CSP, frame and cache rules).
void add_console_headers(http::Response& response);

}  // namespace ledgerbot::app::console
