#include "storage/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "bot/text/text.hpp"

namespace ledgerbot::storage {
namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

DigestContext new_context() {
    DigestContext context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("EVP_DigestInit_ex(sha256) failed");
    }
    return context;
}

std::string finish(EVP_MD_CTX* context) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context, digest.data(), &length) != 1) {
        throw std::runtime_error("EVP_DigestFinal_ex(sha256) failed");
    }
    return bot::text::to_hex(
        std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    const DigestContext context = new_context();
    if (EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1) {
        throw std::runtime_error("EVP_DigestUpdate(sha256) failed");
    }
    return finish(context.get());
}

std::optional<std::string> sha256_of_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    const DigestContext context = new_context();
    std::array<char, 1 << 16> block{};
    while (in) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        const std::streamsize read = in.gcount();
        if (read > 0 &&
            EVP_DigestUpdate(context.get(), block.data(), static_cast<std::size_t>(read)) != 1) {
            throw std::runtime_error("EVP_DigestUpdate(sha256) failed");
        }
    }
    if (in.bad()) {
        return std::nullopt;
    }
    return finish(context.get());
}

}  // namespace ledgerbot::storage
