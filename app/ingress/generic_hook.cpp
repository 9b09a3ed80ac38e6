#include "app/ingress/generic_hook.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

namespace ledgerbot::app::ingress {

namespace asio = boost::asio;

http::Response refuse(const http::Request& request, Metrics& metrics, std::string_view adapter,
                      const adapters::Refusal& refusal) {
    const std::string_view name = adapters::error_name(refusal.code);
    spdlog::warn("{}: refused {} {}: {} ({})", adapter, std::string(request.method_string()),
                 std::string(http::path_of(request.target())), name, refusal.detail);
    metrics.count_refused(std::string(name));
    return http::json_error(request,
                            static_cast<http::status>(adapters::http_status_for(refusal.code)),
                            name, refusal.detail);
}

asio::awaitable<http::Response> store_and_acknowledge(StoreWorker& store,
                                                      const http::Request& request,
                                                      bot::model::InboundEvent& event,
                                                      http::Response& acknowledgement) {
    storage::InboxInsert stored;
    try {
        stored = co_await store.store(std::move(event));
    } catch (const std::system_error& e) {
        spdlog::error("answering 503 so the sender retries: {}", e.what());
        co_return http::json_error(request, http::status::service_unavailable,
                                   "storage_unavailable",
                                   "the event could not be stored; retry later");
    }
    if (stored.duplicate) {
        spdlog::debug("redelivery of inbox event {} acknowledged again", stored.inbox_id);
    }
    co_return std::move(acknowledgement);
}

http::Handler make_generic_hook(StoreWorker& store, Metrics& metrics, const Clock& clock,
                                adapters::generic::Verifier verifier) {
    return [&store, &metrics, &clock, verifier = std::move(verifier)](
               const http::Request& request) -> asio::awaitable<http::Response> {
        const adapters::generic::SignedRequest signed_request{
            request[adapters::generic::kTimestampHeader],
            request[adapters::generic::kSignatureHeader], request.body()};
        auto decoded = adapters::generic::decode(signed_request, verifier, clock.now_seconds());
        if (!decoded) {
            co_return refuse(request, metrics, "generic", decoded.error());
        }
        bot::model::InboundEvent event = std::move(decoded).value();
        http::Response ok = http::make_response(
            request, http::status::ok,
            nlohmann::json{{"status", "stored"}, {"id", event.id}}.dump(), "application/json");
        http::Response answer = co_await store_and_acknowledge(store, request, event, ok);
        co_return answer;
    };
}

}  // namespace ledgerbot::app::ingress
