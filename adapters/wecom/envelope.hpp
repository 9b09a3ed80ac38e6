#pragma once

#include <boost/outcome.hpp>
#include <string>
#include <string_view>
#include <system_error>

namespace ledgerbot::adapters::wecom {

namespace outcome = boost::outcome_v2;

/// The WeCom callback query parameters, percent-decoded. `echostr` is only sent with the GET
/// URL verification and is empty otherwise.
struct CallbackQuery {
    std::string msg_signature;
    std::string timestamp;
    std::string nonce;
    std::string echostr;

    bool operator==(const CallbackQuery&) const = default;
};

/// The Encrypt text of an XML callback body `<xml><ToUserName/><Encrypt/><AgentID/></xml>`.
/// `IngestError::invalid_xml` if the body does not parse, `missing_encrypt` if there is no
/// non-empty `/xml/Encrypt`.
outcome::result<std::string, std::error_code> encrypt_from_xml(std::string_view body);

/// The `encrypt` member of a JSON callback body: `{"encrypt": …}` (intelligent bot) or
/// `{"tousername", "encrypt", "agentid"}` (JSON app callbacks). `IngestError::invalid_json` if
/// the body does not parse, `missing_encrypt` if it is not an object with a non-empty string
/// `encrypt`.
outcome::result<std::string, std::error_code> encrypt_from_json(std::string_view body);

/// Reads msg_signature, timestamp and nonce (required: `IngestError::missing_signature` if any
/// is absent or empty) and echostr (optional) from a request target such as
/// `/wecom/callback?msg_signature=…&timestamp=…&nonce=…&echostr=…`. The first occurrence of a
/// repeated key wins; unknown keys are ignored.
outcome::result<CallbackQuery, std::error_code> parse_callback_query(std::string_view target);

/// Decodes %XX escapes only. A '+' stays '+' because WeCom's base64 echostr carries literal
/// '+' signs; a '%' not followed by two hex digits is kept as is (WHATWG URL behaviour), so a
/// malformed value fails the signature check later instead of being guessed at here.
std::string percent_decode(std::string_view text);

}  // namespace ledgerbot::adapters::wecom
