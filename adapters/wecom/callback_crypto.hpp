#pragma once

#include <array>
#include <boost/outcome.hpp>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

namespace ledgerbot::adapters::wecom {

namespace outcome = boost::outcome_v2;

/// Size of the random prefix WeCom puts in front of every plaintext.
inline constexpr std::size_t kRandomSize = 16;

/// The four values of an encrypted passive reply; `msg_signature` signs `encrypt` together with
/// the token, `timestamp` and `nonce`. Serialize with `reply_xml` or `reply_json`.
struct ReplyEnvelope {
    std::string encrypt;
    std::string msg_signature;
    std::string timestamp;
    std::string nonce;

    bool operator==(const ReplyEnvelope&) const = default;
};

/// WeCom callback crypto (WXBizMsgCrypt): SHA1 signatures over the sorted token, timestamp,
/// nonce and ciphertext, and AES-256-CBC with PKCS#7 padding to 32-byte blocks around
/// `random[16] | msg_len (BE uint32) | msg | receive_id`. One instance per configured callback
/// (token, EncodingAESKey, receive id); it is immutable, so it can be shared across threads.
class CallbackCrypto {
public:
    /// `encoding_aes_key` is the 43-character key from the admin console; it must decode (with
    /// a "=" appended) to exactly 32 bytes, else `IngestError::illegal_aes_key`. `receive_id` is
    /// the corp id for self-built apps, the suite id for suites and "" for the intelligent bot.
    static outcome::result<CallbackCrypto, std::error_code> create(
        std::string token, std::string_view encoding_aes_key, std::string receive_id);

    /// Lowercase hex SHA1 of the byte-wise sorted concatenation of token, timestamp, nonce and
    /// encrypt.
    std::string signature(std::string_view timestamp, std::string_view nonce,
                          std::string_view encrypt) const;

    /// Constant-time comparison of `msg_signature` with `signature(timestamp, nonce, encrypt)`.
    bool verify_signature(std::string_view msg_signature, std::string_view timestamp,
                          std::string_view nonce, std::string_view encrypt) const;

    /// Decrypts a base64 ciphertext and returns the message once the receive id matched.
    /// Does not check a signature: call `verify_and_decrypt` for anything off the network.
    outcome::result<std::string, std::error_code> decrypt(std::string_view encrypt_base64) const;

    /// Signature check (`IngestError::bad_signature`) first, then `decrypt`. Used for the URL
    /// verification's echostr as well as for POST bodies' Encrypt field.
    outcome::result<std::string, std::error_code> verify_and_decrypt(
        std::string_view msg_signature, std::string_view timestamp, std::string_view nonce,
        std::string_view encrypt_base64) const;

    /// Encrypts `message` with a caller-chosen random prefix (deterministic; for tests and
    /// vectors). Returns base64.
    std::string encrypt(std::string_view message,
                        std::span<const unsigned char, kRandomSize> random) const;
    /// Encrypts `message` with a fresh random prefix from RAND_bytes. Returns base64.
    std::string encrypt(std::string_view message) const;

    /// Encrypts and signs a passive reply. The request's timestamp and nonce may be reused.
    ReplyEnvelope make_reply(std::string_view message, std::string_view timestamp,
                             std::string_view nonce) const;
    ReplyEnvelope make_reply(std::string_view message, std::string_view timestamp,
                             std::string_view nonce,
                             std::span<const unsigned char, kRandomSize> random) const;

    /// The intelligent bot's file downloads (`image.url`, valid five minutes) are the raw
    /// bytes AES-256-CBC encrypted with this key (IV = its first 16 bytes, PKCS#7 to 32-byte
    /// blocks), without the message framing. Returns the file's bytes.
    outcome::result<std::string, std::error_code> decrypt_media(std::string_view ciphertext) const;
    /// The inverse of decrypt_media (the tests' fake download server uses it).
    std::string encrypt_media(std::string_view bytes) const;

    const std::string& receive_id() const { return receive_id_; }

private:
    CallbackCrypto(std::string token, const std::array<unsigned char, 32>& key,
                   std::string receive_id);

    std::string token_;
    std::array<unsigned char, 32> key_;
    std::string receive_id_;
};

/// The official XML reply body:
/// `<xml><Encrypt><![CDATA[…]]></Encrypt><MsgSignature><![CDATA[…]]></MsgSignature>`
/// `<TimeStamp>…</TimeStamp><Nonce><![CDATA[…]]></Nonce></xml>` (no declaration, no newlines).
std::string reply_xml(const ReplyEnvelope& reply);

/// The JSON reply body used by JSON callbacks and the intelligent bot:
/// `{"encrypt":"…","msgsignature":"…","nonce":"…","timestamp":"…"}`, all values strings.
std::string reply_json(const ReplyEnvelope& reply);

}  // namespace ledgerbot::adapters::wecom
