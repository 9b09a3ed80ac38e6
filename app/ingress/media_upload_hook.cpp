#include "app/ingress/media_upload_hook.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <variant>

#include "app/ingress/generic_hook.hpp"

namespace ledgerbot::app::ingress {

namespace asio = boost::asio;

http::Handler make_media_upload_hook(const storage::EvidenceStore& evidence, Metrics& metrics,
                                     const Clock& clock, adapters::generic::Verifier verifier) {
    return [&evidence, &metrics, &clock, verifier = std::move(verifier)](
               const http::Request& request) -> asio::awaitable<http::Response> {
        const adapters::generic::SignedRequest signed_request{
            request[adapters::generic::kTimestampHeader],
            request[adapters::generic::kSignatureHeader], request.body()};
        if (auto refusal =
                adapters::generic::verify(signed_request, verifier, clock.now_seconds())) {
            co_return refuse(request, metrics, "generic-media", *refusal);
        }
        const auto stored = evidence.put(request.body());
        if (const auto* refused = std::get_if<storage::StoreRefusal>(&stored)) {
            if (refused->code == "io") {
                spdlog::error("generic-media: storing an upload failed: {}", refused->detail);
                co_return http::json_error(request, http::status::service_unavailable,
                                           "storage_unavailable",
                                           "the image could not be stored; retry later");
            }
            const auto code = refused->code == "too_large"
                                  ? adapters::IngestError::body_too_large
                                  : adapters::IngestError::unsupported_media;
            co_return refuse(request, metrics, "generic-media",
                             adapters::Refusal{code, refused->detail});
        }
        const auto& image = std::get<storage::StoredImage>(stored);
        spdlog::info("generic-media: stored {} ({} bytes, {} {}x{})", image.sha256, image.size,
                     image.image.mime, image.image.width, image.image.height);
        const nlohmann::json body{{"upload_id", image.sha256},
                                  {"mime", image.image.mime},
                                  {"size", image.size},
                                  {"width", image.image.width},
                                  {"height", image.image.height}};
        co_return http::make_response(request, http::status::ok, body.dump(), "application/json");
    };
}

}  // namespace ledgerbot::app::ingress
