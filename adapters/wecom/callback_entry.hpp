#pragma once

#include <string>
#include <string_view>

#include <boost/outcome.hpp>

#include "adapters/ingest_error.hpp"
#include "adapters/wecom/callback_crypto.hpp"
#include "adapters/wecom/envelope.hpp"

/// The two things a WeCom callback URL is asked: GET verifies the URL (the echo), POST carries an
/// encrypted event. Pure: a request's target and body in, the plaintext or a refusal out; the
/// app's handler only stores and answers.
namespace ledgerbot::adapters::wecom {

namespace outcome = boost::outcome_v2;

/// The envelope a callback's ciphertext comes in: XML for the self-built app, JSON for the
/// intelligent bot.
enum class EnvelopeFormat { xml, json };

struct DecryptedCallback {
    CallbackQuery query;
    std::string plaintext;
};

using DecryptResult = outcome::result<DecryptedCallback, Refusal, outcome::policy::terminate>;
using EchoResult = outcome::result<std::string, Refusal, outcome::policy::terminate>;

/// GET: checks the signature over `echostr` and returns its plaintext, which the URL must
/// answer with.
EchoResult verify_url(std::string_view target, const CallbackCrypto& crypto);

/// POST: reads the query's signature fields and the envelope's ciphertext, verifies and
/// decrypts.
DecryptResult decrypt_callback(std::string_view target, std::string_view body,
                               const CallbackCrypto& crypto, EnvelopeFormat format);

}  // namespace ledgerbot::adapters::wecom
