// libFuzzer target for everything a WeCom callback hands us before (and after) the signature
// check: the query string, the XML and JSON envelopes, the base64 ciphertext and the decrypted
// plaintext layout. Build and run: see tests/fuzz/CMakeLists.txt.

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/wecom/callback_crypto.hpp"
#include "adapters/wecom/envelope.hpp"

namespace {

using ledgerbot::adapters::wecom::CallbackCrypto;
using ledgerbot::adapters::wecom::encrypt_from_json;
using ledgerbot::adapters::wecom::encrypt_from_xml;
using ledgerbot::adapters::wecom::kRandomSize;
using ledgerbot::adapters::wecom::parse_callback_query;
using ledgerbot::adapters::wecom::ReplyEnvelope;

// V1's key and corp id (wecom-protocol.md §2), so that seeds built from V1 decrypt.
constexpr std::string_view kKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr std::string_view kReceiveId = "wx5823bf96d3bd56c7";
// Keeps one execution cheap; longer inputs add no new paths.
constexpr std::size_t kMaxPlaintext = 4096;

const CallbackCrypto& crypto() {
    static const CallbackCrypto instance = [] {
        auto created = CallbackCrypto::create("QDG6eK", kKey, std::string(kReceiveId));
        if (!created) {
            std::abort();
        }
        return std::move(created).value();
    }();
    return instance;
}

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};

// AES-256-CBC over raw blocks with the same key: random ciphertext decrypts to noise, so this is
// how the fuzzer gets to choose the plaintext layout (pad bytes, msg_len, receive id).
std::string seal_raw(std::string_view plain) {
    std::array<unsigned char, 33> key{};
    const std::string encoded = std::string(kKey) + "=";
    check(EVP_DecodeBlock(key.data(), reinterpret_cast<const unsigned char*>(encoded.data()),
                          static_cast<int>(encoded.size())) == 33);
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx(EVP_CIPHER_CTX_new());
    check(ctx != nullptr);
    check(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), key.data()) == 1);
    check(EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1);
    std::string sealed(plain.size(), '\0');
    int written = 0;
    check(EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(sealed.data()), &written,
                            reinterpret_cast<const unsigned char*>(plain.data()),
                            static_cast<int>(plain.size())) == 1);
    check(static_cast<std::size_t>(written) == plain.size());
    std::string out((sealed.size() + 2) / 3 * 4 + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(sealed.data()),
                                  static_cast<int>(sealed.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

void decrypt_everything(std::string_view input) {
    const CallbackCrypto& c = crypto();

    // Straight off the wire: ciphertext, envelopes, query.
    (void)c.decrypt(input);
    (void)c.verify_and_decrypt(input, "1409659813", "1372623149", input);
    if (const auto encrypt = encrypt_from_xml(input)) {
        (void)c.decrypt(encrypt.value());
    }
    if (const auto encrypt = encrypt_from_json(input)) {
        (void)c.decrypt(encrypt.value());
    }
    if (const auto query = parse_callback_query(input)) {
        (void)c.verify_and_decrypt(query.value().msg_signature, query.value().timestamp,
                                   query.value().nonce, query.value().echostr);
        (void)c.decrypt(query.value().echostr);
    }

    // The input as a decrypted plaintext, zero-filled to whole 32-byte blocks.
    std::string plain(input.substr(0, kMaxPlaintext));
    if (!plain.empty()) {
        plain.resize((plain.size() + 31) / 32 * 32, '\0');
        if (const auto message = c.decrypt(seal_raw(plain))) {
            const auto again = c.decrypt(c.encrypt(message.value()));
            check(again && again.value() == message.value());
        }
    }

    // The input as a message and as a hostile timestamp and nonce of a passive reply.
    const std::string_view message = input.substr(0, kMaxPlaintext);
    std::array<unsigned char, kRandomSize> random{};
    const ReplyEnvelope reply = c.make_reply(message, input, input, random);
    const auto round_trip =
        c.verify_and_decrypt(reply.msg_signature, reply.timestamp, reply.nonce, reply.encrypt);
    check(round_trip && round_trip.value() == message);
    const auto from_xml = encrypt_from_xml(reply_xml(reply));
    check(from_xml && from_xml.value() == reply.encrypt);
    const auto from_json = encrypt_from_json(reply_json(reply));
    check(from_json && from_json.value() == reply.encrypt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    decrypt_everything(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
