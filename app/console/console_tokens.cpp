#include "app/console/console_tokens.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include <fmt/format.h>

#include "adapters/http/hmac.hpp"

namespace ledgerbot::app::console {

std::string random_token() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        // Without randomness no session can be safe: a broken machine, not a user error.
        throw std::runtime_error("RAND_bytes failed");
    }
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const unsigned char byte : bytes) {
        out += fmt::format("{:02x}", byte);
    }
    return out;
}

std::string csrf_token(std::string_view session_id) {
    return adapters::hmac_sha256_hex(session_id, "ledgerbot-console-csrf");
}

std::string console_base_url(const std::string& public_base_url, const std::string& address,
                             unsigned short port) {
    if (!public_base_url.empty()) {
        return public_base_url;
    }
    return fmt::format("http://{}:{}", address, port);
}

}  // namespace ledgerbot::app::console
