#include "tests/support/base64.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace ledgerbot::testing {

std::string base64_decode(const std::string& text) {
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        throw std::invalid_argument("not base64");
    }
    // EVP_DecodeBlock counts the '=' padding as zero bytes.
    std::size_t size = static_cast<std::size_t>(n);
    for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) {
        --size;
    }
    out.resize(size);
    return out;
}

}  // namespace ledgerbot::testing
