#include "adapters/wecom/callback_entry.hpp"

#include <utility>

namespace ledgerbot::adapters::wecom {
namespace {

Refusal refusal_from(const std::error_code& error) {
    if (error.category() == ingest_category()) {
        return {static_cast<IngestError>(error.value()), error.message()};
    }
    // CallbackCrypto only reports ingest errors; anything else is still a failed decryption.
    return {IngestError::decrypt_failed, error.message()};
}

}  // namespace

EchoResult verify_url(std::string_view target, const CallbackCrypto& crypto) {
    auto query = parse_callback_query(target);
    if (!query) {
        return refusal_from(query.error());
    }
    if (query.value().echostr.empty()) {
        return Refusal{IngestError::missing_encrypt, "URL verification needs echostr"};
    }
    auto echo = crypto.verify_and_decrypt(query.value().msg_signature, query.value().timestamp,
                                          query.value().nonce, query.value().echostr);
    if (!echo) {
        return refusal_from(echo.error());
    }
    return std::move(echo).value();
}

DecryptResult decrypt_callback(std::string_view target, std::string_view body,
                               const CallbackCrypto& crypto, EnvelopeFormat format) {
    auto query = parse_callback_query(target);
    if (!query) {
        return refusal_from(query.error());
    }
    auto encrypt = format == EnvelopeFormat::xml ? encrypt_from_xml(body) : encrypt_from_json(body);
    if (!encrypt) {
        return refusal_from(encrypt.error());
    }
    auto plaintext = crypto.verify_and_decrypt(query.value().msg_signature, query.value().timestamp,
                                               query.value().nonce, encrypt.value());
    if (!plaintext) {
        return refusal_from(plaintext.error());
    }
    return DecryptedCallback{std::move(query).value(), std::move(plaintext).value()};
}

}  // namespace ledgerbot::adapters::wecom
