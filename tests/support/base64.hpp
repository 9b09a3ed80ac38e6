#pragma once

#include <string>

namespace ledgerbot::testing {

/// Standard base64 with padding, decoded (OpenSSL); throws std::invalid_argument on bad input.
/// For reading what the service encoded: WeCom ciphertexts, generic attachments.
std::string base64_decode(const std::string& text);

}  // namespace ledgerbot::testing
