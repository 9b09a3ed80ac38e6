#include "app/generic_hook.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace ledgerbot::app {

namespace asio = boost::asio;

Response refuse(const Request& request, Metrics& metrics, std::string_view adapter,
                const adapters::Refusal& refusal) {
    const std::string_view name = adapters::error_name(refusal.code);
    spdlog::warn("{}: refused {} {}: {} ({})", adapter, std::string(request.method_string()),
                 std::string(path_of(request.target())), name, refusal.detail);
    metrics.count_refused(std::string(name));
    return json_error(request, static_cast<http::status>(adapters::http_status_for(refusal.code)),
                      name, refusal.detail);
}

asio::awaitable<Response> store_and_acknowledge(StoreWorker& store, const Request& request,
                                                bot::InboundEvent event,
                                                Response acknowledgement) {
    storage::InboxInsert stored;
    try {
        stored = co_await store.store(std::move(event));
    } catch (const std::system_error& e) {
        spdlog::error("answering 503 so the sender retries: {}", e.what());
        co_return json_error(request, http::status::service_unavailable, "storage_unavailable",
                             "the event could not be stored; retry later");
    }
    if (stored.duplicate) {
        spdlog::debug("redelivery of inbox event {} acknowledged again", stored.inbox_id);
    }
    co_return acknowledgement;
}

Handler make_generic_hook(StoreWorker& store, Metrics& metrics, const Clock& clock,
                          adapters::generic::Verifier verifier) {
    return [&store, &metrics, &clock, verifier = std::move(verifier)](
               const Request& request) -> asio::awaitable<Response> {
        const adapters::generic::SignedRequest signed_request{
            request[adapters::generic::kTimestampHeader],
            request[adapters::generic::kSignatureHeader], request.body()};
        auto decoded = adapters::generic::decode(signed_request, verifier, clock.now_seconds());
        if (!decoded) {
            co_return refuse(request, metrics, "generic", decoded.error());
        }
        const std::string id = decoded.value().id;
        Response ok = make_response(request, http::status::ok,
                                    nlohmann::json{{"status", "stored"}, {"id", id}}.dump(),
                                    "application/json");
        co_return co_await store_and_acknowledge(store, request, std::move(decoded).value(),
                                                 std::move(ok));
    };
}

}  // namespace ledgerbot::app
