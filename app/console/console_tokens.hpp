#pragma once

#include <string>
#include <string_view>

namespace ledgerbot::app::console {

/// 256 random bits (OpenSSL RAND_bytes) as 64 hex digits: session ids, login states, link
/// tokens, form nonces. Hex keeps them inside WeCom's `state` alphabet [a-zA-Z0-9].
std::string random_token();

/// The CSRF token of a session: an HMAC of its id, so it needs no storage and cannot be
/// derived from the database (which has only the id's hash).
std::string csrf_token(std::string_view session_id);

/// The base URL of the console as browsers reach it: `public_base_url`, else
/// http://address:port of the listener.
std::string console_base_url(const std::string& public_base_url, const std::string& address,
                             unsigned short port);

}  // namespace ledgerbot::app::console
