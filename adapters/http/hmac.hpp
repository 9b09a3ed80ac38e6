#pragma once

#include <string>
#include <string_view>

namespace ledgerbot::adapters {

/// Lowercase hex HMAC-SHA256 (OpenSSL).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
/// Lowercase hex SHA-256 (OpenSSL), for content fingerprints such as dedup ids.
std::string sha256_hex(std::string_view data);
/// Standard base64 with "=" padding (OpenSSL EVP_EncodeBlock).
std::string base64_encode(std::string_view bytes);
/// Constant-time equality for secrets and signatures (CRYPTO_memcmp after a length check).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace ledgerbot::adapters
