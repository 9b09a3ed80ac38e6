#pragma once

#include "adapters/generic/generic_adapter.hpp"
#include "app/clock.hpp"
#include "app/http/http_types.hpp"
#include "app/metrics.hpp"
#include "app/store_worker.hpp"

namespace ledgerbot::app::ingress {

/// POST /hooks/generic: verify and decode (adapters/generic), commit to the inbox, and only then
/// answer 200. Refusals are answered with a JSON error, logged with their reason and counted;
/// nothing refused is stored.
http::Handler make_generic_hook(StoreWorker& store, Metrics& metrics, const Clock& clock,
                                adapters::generic::Verifier verifier);

/// The answer for a refused request, logged and counted the same way for every adapter.
http::Response refuse(const http::Request& request, Metrics& metrics, std::string_view adapter,
                      const adapters::Refusal& refusal);

/// Stores `event` durably and answers: 200 once committed (also for a redelivery), 503 when the
/// commit failed so the platform retries.
/// Takes references to the caller's locals, which outlive the co_await (see StoreWorker::run).
boost::asio::awaitable<http::Response> store_and_acknowledge(StoreWorker& store,
                                                             const http::Request& request,
                                                             bot::model::InboundEvent& event,
                                                             http::Response& acknowledgement);

}  // namespace ledgerbot::app::ingress
