#include "adapters/ingest_error.hpp"

#include <string>

namespace ledgerbot::adapters {
namespace {

class IngestCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "ledgerbot.ingest"; }

    std::string message(int value) const override {
        switch (static_cast<IngestError>(value)) {
            case IngestError::missing_signature:
                return "signature or timestamp header missing";
            case IngestError::bad_signature:
                return "signature does not match";
            case IngestError::stale_timestamp:
                return "timestamp outside the allowed clock skew (possible replay)";
            case IngestError::body_too_large:
                return "body exceeds the configured limit";
            case IngestError::invalid_utf8:
                return "body is not valid UTF-8";
            case IngestError::invalid_json:
                return "body is not valid JSON";
            case IngestError::invalid_xml:
                return "body is not valid XML";
            case IngestError::schema_violation:
                return "body does not follow the event schema";
            case IngestError::illegal_aes_key:
                return "EncodingAESKey must be 43 characters decoding to 32 bytes";
            case IngestError::bad_base64:
                return "ciphertext is not valid base64";
            case IngestError::bad_ciphertext_length:
                return "ciphertext length is not a non-zero multiple of 32";
            case IngestError::decrypt_failed:
                return "AES-256-CBC decryption failed";
            case IngestError::bad_padding:
                return "PKCS#7 padding byte outside 1..32";
            case IngestError::truncated_plaintext:
                return "plaintext shorter than its length field says";
            case IngestError::receiveid_mismatch:
                return "receiveid does not match the configured one";
            case IngestError::unsupported_media:
                return "the upload is not an accepted image type";
            case IngestError::missing_encrypt:
                return "envelope has no Encrypt field";
        }
        return "unknown ingest error";
    }
};

}  // namespace

const std::error_category& ingest_category() {
    static const IngestCategory kCategory;
    return kCategory;
}

std::error_code make_error_code(IngestError e) {
    return {static_cast<int>(e), ingest_category()};
}

unsigned http_status_for(IngestError e) {
    switch (e) {
        case IngestError::missing_signature:
        case IngestError::bad_signature:
        case IngestError::stale_timestamp:
            return 401;
        case IngestError::body_too_large:
            return 413;
        case IngestError::unsupported_media:
            return 415;
        default:
            return 400;
    }
}

std::string_view error_name(IngestError e) {
    switch (e) {
        case IngestError::unsupported_media:
            return "unsupported_media";
        case IngestError::missing_signature:
            return "missing_signature";
        case IngestError::bad_signature:
            return "bad_signature";
        case IngestError::stale_timestamp:
            return "stale_timestamp";
        case IngestError::body_too_large:
            return "body_too_large";
        case IngestError::invalid_utf8:
            return "invalid_utf8";
        case IngestError::invalid_json:
            return "invalid_json";
        case IngestError::invalid_xml:
            return "invalid_xml";
        case IngestError::schema_violation:
            return "schema_violation";
        case IngestError::illegal_aes_key:
            return "illegal_aes_key";
        case IngestError::bad_base64:
            return "bad_base64";
        case IngestError::bad_ciphertext_length:
            return "bad_ciphertext_length";
        case IngestError::decrypt_failed:
            return "decrypt_failed";
        case IngestError::bad_padding:
            return "bad_padding";
        case IngestError::truncated_plaintext:
            return "truncated_plaintext";
        case IngestError::receiveid_mismatch:
            return "receiveid_mismatch";
        case IngestError::missing_encrypt:
            return "missing_encrypt";
    }
    return "unknown";
}

}  // namespace ledgerbot::adapters
