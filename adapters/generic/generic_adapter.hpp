#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/outcome.hpp>
#include <nlohmann/json.hpp>

#include "adapters/generic/secret_ring.hpp"
#include "adapters/ingest_error.hpp"
#include "bot/model/inbound_event.hpp"
#include "bot/model/notice.hpp"

/// The generic adapter: HMAC-signed JSON over HTTP carrying one normalized event. It is the
/// public way for any chat bridge (the Wechaty bridge, tests, the demo) to talk to ledgerbot.
/// The wire format is documented in docs/generic-adapter.md.
namespace ledgerbot::adapters::generic {

inline constexpr std::string_view kSource = "generic";
inline constexpr std::string_view kTimestampHeader = "X-Ledgerbot-Timestamp";
inline constexpr std::string_view kSignatureHeader = "X-Ledgerbot-Signature";
inline constexpr std::string_view kNoticeIdHeader = "X-Ledgerbot-Notice-Id";

using Decoded = boost::outcome_v2::result<bot::model::InboundEvent, Refusal,
                                          boost::outcome_v2::policy::terminate>;

struct SignedRequest {
    std::string_view timestamp;  ///< X-Ledgerbot-Timestamp: unix seconds
    std::string_view signature;  ///< X-Ledgerbot-Signature: sha256=<hex>
    std::string_view body;
};

/// What a signed request is checked against: the secrets (any of them may have signed) and how
/// far its timestamp may be from the server's clock.
struct Verifier {
    Verifier(std::shared_ptr<SecretRing> ring, std::int64_t max_clock_skew_seconds)
        : secrets(std::move(ring)), max_clock_skew_seconds(max_clock_skew_seconds) {}
    /// One secret (tests, tools).
    Verifier(std::string secret, std::int64_t max_clock_skew_seconds)
        : Verifier(std::make_shared<SecretRing>(std::vector<std::string>{std::move(secret)}),
                   max_clock_skew_seconds) {}

    std::shared_ptr<SecretRing> secrets;
    std::int64_t max_clock_skew_seconds = 300;
};

/// `sha256=` + hex HMAC-SHA256(secret, timestamp + "." + body).
std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);

/// The signature and the timestamp window (replays) alone; nullopt when both hold. Image
/// uploads (POST /hooks/generic/media) are signed the same way over their raw bytes.
std::optional<Refusal> verify(const SignedRequest& request, const Verifier& verifier,
                              std::int64_t now);

/// Checks the signature and the timestamp window (replays), then UTF-8, JSON and the schema.
/// The signature is checked first so nothing unauthenticated is even parsed.
Decoded decode(const SignedRequest& request, const Verifier& verifier, std::int64_t now);

/// Schema validation alone (for the bridge's own tests and the fuzz target).
Decoded parse_event(std::string_view body);

/// The JSON body POSTed to a bridge's outbound_url for one notice.
nlohmann::json outbound_body(std::int64_t notice_id, const bot::model::Notice& notice,
                             std::string_view text);

}  // namespace ledgerbot::adapters::generic
