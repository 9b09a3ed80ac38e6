#pragma once

#include <string>
#include <string_view>
#include <system_error>

namespace ledgerbot::adapters {

/// Why an inbound request was refused at the network edge. Each value maps to one HTTP status
/// and one logged reason; nothing refused is stored.
enum class IngestError {
    missing_signature = 1,
    bad_signature,
    stale_timestamp,
    body_too_large,
    invalid_utf8,
    invalid_json,
    invalid_xml,
    schema_violation,
    // WeCom callback crypto (WXBizMsgCrypt), one value per check of the protocol's §1.1.
    illegal_aes_key,
    bad_base64,
    bad_ciphertext_length,
    decrypt_failed,
    bad_padding,
    truncated_plaintext,
    receiveid_mismatch,
    missing_encrypt,
    /// An uploaded file that is not one of the accepted image types.
    unsupported_media,
};

/// A refusal with the detail a client needs to fix its request (e.g. which field is wrong).
struct Refusal {
    IngestError code;
    std::string detail;
};

const std::error_category& ingest_category();
std::error_code make_error_code(IngestError e);

/// The HTTP status a refused request gets: 401 for authentication, 413 for size, else 400.
unsigned http_status_for(IngestError e);
/// A stable machine-readable name (`bad_signature`) used in JSON error bodies and metrics.
std::string_view error_name(IngestError e);

inline constexpr IngestError kAllIngestErrors[] = {
    IngestError::missing_signature,     IngestError::bad_signature,
    IngestError::stale_timestamp,       IngestError::body_too_large,
    IngestError::invalid_utf8,          IngestError::invalid_json,
    IngestError::invalid_xml,           IngestError::schema_violation,
    IngestError::illegal_aes_key,       IngestError::bad_base64,
    IngestError::bad_ciphertext_length, IngestError::decrypt_failed,
    IngestError::bad_padding,           IngestError::truncated_plaintext,
    IngestError::receiveid_mismatch,    IngestError::missing_encrypt,
    IngestError::unsupported_media,
};

}  // namespace ledgerbot::adapters

template <>
struct std::is_error_code_enum<ledgerbot::adapters::IngestError> : std::true_type {};
