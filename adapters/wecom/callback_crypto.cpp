#include "adapters/wecom/callback_crypto.hpp"

#include "adapters/http/hmac.hpp"

#include "bot/text/text.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <stdexcept>
#include <utility>

#include "adapters/ingest_error.hpp"

namespace ledgerbot::adapters::wecom {
namespace {

// WeCom pads to 32-byte blocks although AES itself works on 16 (protocol §1.1).
constexpr std::size_t kPadBlock = 32;
constexpr std::size_t kKeySize = 32;
constexpr std::size_t kIvSize = 16;
constexpr std::size_t kEncodingAesKeySize = 43;
constexpr std::size_t kLengthFieldSize = 4;
constexpr std::size_t kHeaderSize = kRandomSize + kLengthFieldSize;

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// Only reachable on allocation failure or a broken OpenSSL build, which no request can cause,
// so it is a bug-class failure rather than an IngestError.
[[noreturn]] void throw_openssl_failure(const char* what) {
    throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

const unsigned char* as_bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* as_bytes(std::string& text) {
    return reinterpret_cast<unsigned char*>(text.data());
}

bool is_base64_alphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

// Strict standard base64 with mandatory "=" padding. EVP_DecodeUpdate would also skip
// whitespace and stop silently at a '-', so the alphabet is checked here and EVP_DecodeBlock
// (which counts padding as zero bytes) only does the arithmetic.
outcome::result<std::string, std::error_code> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0 || text.size() > static_cast<std::size_t>(INT_MAX)) {
        return make_error_code(IngestError::bad_base64);
    }
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') {
        padding = text[text.size() - 2] == '=' ? 2 : 1;
    }
    if (!std::all_of(text.begin(), text.end() - static_cast<std::ptrdiff_t>(padding),
                     is_base64_alphabet)) {
        return make_error_code(IngestError::bad_base64);
    }
    if (text.empty()) {
        return std::string();
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int decoded =
        EVP_DecodeBlock(as_bytes(out), as_bytes(text), static_cast<int>(text.size()));
    if (decoded < 0 || static_cast<std::size_t>(decoded) != out.size()) {
        return make_error_code(IngestError::bad_base64);
    }
    out.resize(out.size() - padding);
    return out;
}

enum class Direction { encrypt, decrypt };

// Raw AES-256-CBC without library padding: WeCom's 32-byte PKCS#7 is done by the callers.
std::optional<std::string> run_cbc(const std::array<unsigned char, kKeySize>& key,
                                   std::string_view input, Direction direction) {
    if (input.size() > static_cast<std::size_t>(INT_MAX) - kIvSize) {
        return std::nullopt;
    }
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx) {
        return std::nullopt;
    }
    const int enc = direction == Direction::encrypt ? 1 : 0;
    // The IV is the first 16 key bytes by protocol (§1.1), not a per-message value.
    if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), key.data(), enc) !=
            1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
        return std::nullopt;
    }
    std::string out(input.size() + kIvSize, '\0');
    int written = 0;
    if (EVP_CipherUpdate(ctx.get(), as_bytes(out), &written, as_bytes(input),
                         static_cast<int>(input.size())) != 1) {
        return std::nullopt;
    }
    int final_written = 0;
    if (EVP_CipherFinal_ex(ctx.get(), as_bytes(out) + written, &final_written) != 1) {
        return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(written) + static_cast<std::size_t>(final_written));
    return out;
}

// PKCS#7 to 32-byte blocks: every one of the last n bytes is n, with n in 1..32. `padded` is
// never empty (the ciphertext length was checked).
std::optional<std::size_t> pad_length(std::string_view padded) {
    const auto pad = static_cast<unsigned char>(padded.back());
    if (pad < 1 || pad > kPadBlock) {
        return std::nullopt;
    }
    const auto is_pad = [pad](char c) { return static_cast<unsigned char>(c) == pad; };
    if (!std::all_of(padded.end() - pad, padded.end(), is_pad)) {
        return std::nullopt;
    }
    return pad;
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    return bot::text::to_hex(std::string_view(reinterpret_cast<const char*>(bytes), size));
}

class StringWriter final : public pugi::xml_writer {
public:
    void write(const void* data, std::size_t size) override {
        out_.append(static_cast<const char*>(data), size);
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

void append_text_child(pugi::xml_node parent, const char* name, std::string_view value,
                       pugi::xml_node_type type) {
    parent.append_child(name).append_child(type).set_value(value.data(), value.size());
}

}  // namespace

CallbackCrypto::CallbackCrypto(std::string token, const std::array<unsigned char, 32>& key,
                               std::string receive_id)
    : token_(std::move(token)), key_(key), receive_id_(std::move(receive_id)) {}

outcome::result<CallbackCrypto, std::error_code> CallbackCrypto::create(
    std::string token, std::string_view encoding_aes_key, std::string receive_id) {
    if (encoding_aes_key.size() != kEncodingAesKeySize) {
        return make_error_code(IngestError::illegal_aes_key);
    }
    // The console strips the single "=" of a 32-byte key's base64 form; put it back.
    auto decoded = decode_base64(std::string(encoding_aes_key) + "=");
    if (!decoded || decoded.value().size() != kKeySize) {
        return make_error_code(IngestError::illegal_aes_key);
    }
    std::array<unsigned char, kKeySize> key{};
    std::copy(decoded.value().begin(), decoded.value().end(), key.begin());
    OPENSSL_cleanse(decoded.value().data(), decoded.value().size());
    return CallbackCrypto(std::move(token), key, std::move(receive_id));
}

std::string CallbackCrypto::signature(std::string_view timestamp, std::string_view nonce,
                                      std::string_view encrypt) const {
    // char_traits<char> compares as unsigned char, which is the samples' byte-wise order.
    std::array<std::string_view, 4> parts{token_, timestamp, nonce, encrypt};
    std::sort(parts.begin(), parts.end());

    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) != 1) {
        throw_openssl_failure("SHA1 init");
    }
    for (const auto part : parts) {
        if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) {
            throw_openssl_failure("SHA1 update");
        }
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int digest_size = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &digest_size) != 1) {
        throw_openssl_failure("SHA1 final");
    }
    return to_hex(digest.data(), digest_size);
}

bool CallbackCrypto::verify_signature(std::string_view msg_signature, std::string_view timestamp,
                                      std::string_view nonce, std::string_view encrypt) const {
    const std::string expected = signature(timestamp, nonce, encrypt);
    // The length is public (always 40), so only the bytes need the constant-time compare.
    return msg_signature.size() == expected.size() &&
           CRYPTO_memcmp(msg_signature.data(), expected.data(), expected.size()) == 0;
}

outcome::result<std::string, std::error_code> CallbackCrypto::decrypt(
    std::string_view encrypt_base64) const {
    BOOST_OUTCOME_TRY(ciphertext, decode_base64(encrypt_base64));
    if (ciphertext.empty() || ciphertext.size() % kPadBlock != 0) {
        return make_error_code(IngestError::bad_ciphertext_length);
    }
    const std::optional<std::string> plain = run_cbc(key_, ciphertext, Direction::decrypt);
    if (!plain) {
        return make_error_code(IngestError::decrypt_failed);
    }
    const std::string_view padded = *plain;

    // A padding oracle needs unsigned ciphertexts to be decrypted; verify_and_decrypt checks the
    // signature first, so distinct errors here leak nothing an attacker can use.
    const std::optional<std::size_t> pad = pad_length(padded);
    if (!pad) {
        return make_error_code(IngestError::bad_padding);
    }
    const std::string_view content = padded.substr(0, padded.size() - *pad);
    if (content.size() < kHeaderSize) {
        return make_error_code(IngestError::truncated_plaintext);
    }
    // Assembled byte by byte: the official sample's unaligned uint32_t* cast is UB.
    std::uint32_t msg_len = 0;
    for (std::size_t i = kRandomSize; i < kHeaderSize; ++i) {
        msg_len = (msg_len << 8) | static_cast<unsigned char>(content[i]);
    }
    // Written as a subtraction so that a huge msg_len cannot wrap a 32-bit size_t.
    if (msg_len > content.size() - kHeaderSize) {
        return make_error_code(IngestError::truncated_plaintext);
    }
    const std::string_view message = content.substr(kHeaderSize, msg_len);
    const std::string_view receive_id = content.substr(kHeaderSize + msg_len);
    if (receive_id != receive_id_) {
        return make_error_code(IngestError::receiveid_mismatch);
    }
    return std::string(message);
}

outcome::result<std::string, std::error_code> CallbackCrypto::verify_and_decrypt(
    std::string_view msg_signature, std::string_view timestamp, std::string_view nonce,
    std::string_view encrypt_base64) const {
    if (!verify_signature(msg_signature, timestamp, nonce, encrypt_base64)) {
        return make_error_code(IngestError::bad_signature);
    }
    return decrypt(encrypt_base64);
}

std::string CallbackCrypto::encrypt(std::string_view message,
                                    std::span<const unsigned char, kRandomSize> random) const {
    if (message.size() > UINT32_MAX) {
        throw std::length_error("WeCom message longer than its 32-bit length field");
    }
    const auto msg_len = static_cast<std::uint32_t>(message.size());
    std::string plain;
    plain.reserve(kHeaderSize + message.size() + receive_id_.size() + kPadBlock);
    plain.append(reinterpret_cast<const char*>(random.data()), random.size());
    for (int shift = 24; shift >= 0; shift -= 8) {
        plain.push_back(static_cast<char>((msg_len >> shift) & 0xff));
    }
    plain.append(message);
    plain.append(receive_id_);
    // A full block of 32s when already aligned, so the last byte is always a pad length.
    const std::size_t pad = kPadBlock - plain.size() % kPadBlock;
    plain.append(pad, static_cast<char>(pad));

    const std::optional<std::string> ciphertext = run_cbc(key_, plain, Direction::encrypt);
    if (!ciphertext) {
        throw_openssl_failure("AES-256-CBC encrypt");
    }
    return base64_encode(*ciphertext);
}

outcome::result<std::string, std::error_code> CallbackCrypto::decrypt_media(
    std::string_view ciphertext) const {
    if (ciphertext.empty() || ciphertext.size() % kPadBlock != 0) {
        return make_error_code(IngestError::bad_ciphertext_length);
    }
    std::optional<std::string> plain = run_cbc(key_, ciphertext, Direction::decrypt);
    if (!plain) {
        return make_error_code(IngestError::decrypt_failed);
    }
    const std::optional<std::size_t> pad = pad_length(*plain);
    if (!pad) {
        return make_error_code(IngestError::bad_padding);
    }
    plain->resize(plain->size() - *pad);
    return std::move(*plain);
}

std::string CallbackCrypto::encrypt_media(std::string_view bytes) const {
    std::string plain(bytes);
    const std::size_t pad = kPadBlock - plain.size() % kPadBlock;
    plain.append(pad, static_cast<char>(pad));
    const std::optional<std::string> ciphertext = run_cbc(key_, plain, Direction::encrypt);
    if (!ciphertext) {
        throw_openssl_failure("AES-256-CBC encrypt");
    }
    return *ciphertext;
}

std::string CallbackCrypto::encrypt(std::string_view message) const {
    std::array<unsigned char, kRandomSize> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw_openssl_failure("RAND_bytes");
    }
    return encrypt(message, random);
}

ReplyEnvelope CallbackCrypto::make_reply(std::string_view message, std::string_view timestamp,
                                         std::string_view nonce) const {
    std::array<unsigned char, kRandomSize> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        throw_openssl_failure("RAND_bytes");
    }
    return make_reply(message, timestamp, nonce, random);
}

ReplyEnvelope CallbackCrypto::make_reply(std::string_view message, std::string_view timestamp,
                                         std::string_view nonce,
                                         std::span<const unsigned char, kRandomSize> random) const {
    ReplyEnvelope reply;
    reply.encrypt = encrypt(message, random);
    reply.msg_signature = signature(timestamp, nonce, reply.encrypt);
    reply.timestamp = std::string(timestamp);
    reply.nonce = std::string(nonce);
    return reply;
}

std::string reply_xml(const ReplyEnvelope& reply) {
    // pugixml escapes the PCDATA and splits a "]]>" inside CDATA, so an odd nonce cannot
    // break the document.
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("xml");
    append_text_child(root, "Encrypt", reply.encrypt, pugi::node_cdata);
    append_text_child(root, "MsgSignature", reply.msg_signature, pugi::node_cdata);
    append_text_child(root, "TimeStamp", reply.timestamp, pugi::node_pcdata);
    append_text_child(root, "Nonce", reply.nonce, pugi::node_cdata);
    StringWriter writer;
    doc.save(writer, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
    return writer.take();
}

std::string reply_json(const ReplyEnvelope& reply) {
    const nlohmann::json body = {
        {"encrypt", reply.encrypt},
        {"msgsignature", reply.msg_signature},
        {"timestamp", reply.timestamp},
        {"nonce", reply.nonce},
    };
    // Replace rather than throw: timestamp and nonce come from the request's query.
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ledgerbot::adapters::wecom
