#pragma once

#include "adapters/generic/generic_adapter.hpp"
#include "app/clock.hpp"
#include "app/http_types.hpp"
#include "app/metrics.hpp"
#include "app/store_worker.hpp"

namespace ledgerbot::app {

/// POST /hooks/generic: verify and decode (adapters/generic), commit to the inbox, and only then
/// answer 200. Refusals are answered with a JSON error, logged with their reason and counted;
/// nothing refused is stored.
Handler make_generic_hook(StoreWorker& store, Metrics& metrics, const Clock& clock,
                          adapters::generic::Verifier verifier);

/// The answer for a refused request, logged and counted the same way for every adapter.
Response refuse(const Request& request, Metrics& metrics, std::string_view adapter,
                const adapters::Refusal& refusal);

/// Stores `event` durably and answers: 200 once committed (also for a redelivery), 503 when the
/// commit failed so the platform retries.
boost::asio::awaitable<Response> store_and_acknowledge(StoreWorker& store, const Request& request,
                                                       bot::InboundEvent event,
                                                       Response acknowledgement);

}  // namespace ledgerbot::app
