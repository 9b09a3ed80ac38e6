#include "adapters/wecom/callback_crypto.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "adapters/ingest_error.hpp"
#include "adapters/wecom/envelope.hpp"
#include "tests/adapters/wecom/result_name.hpp"

namespace {

using ledgerbot::adapters::wecom::CallbackCrypto;
using ledgerbot::adapters::wecom::encrypt_from_json;
using ledgerbot::adapters::wecom::encrypt_from_xml;
using ledgerbot::adapters::wecom::kRandomSize;
using ledgerbot::adapters::wecom::parse_callback_query;
using ledgerbot::adapters::wecom::reply_json;
using ledgerbot::adapters::wecom::reply_xml;
using ledgerbot::adapters::wecom::ReplyEnvelope;
using ledgerbot::adapters::wecom::testing::result_name;

// Vectors from wecom-protocol.md §2 (official samples, wechatpy, go-workwx).
constexpr std::string_view kV1Token = "QDG6eK";
constexpr std::string_view kV1Key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr std::string_view kV1ReceiveId = "wx5823bf96d3bd56c7";
constexpr std::string_view kV1PostSignature = "477715d11cdb4164915debcba66cb864d751f3e6";
constexpr std::string_view kV1PostTimestamp = "1409659813";
constexpr std::string_view kV1PostNonce = "1372623149";
constexpr std::string_view kV2Token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
constexpr std::string_view kV2Key = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
constexpr std::string_view kV2ReceiveId = "ww1436e0e65a779aee";
constexpr std::string_view kV3Token = "123456";
constexpr std::string_view kV3Key = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
constexpr std::string_view kV3ReceiveId = "wx49f0ab532d5d035a";
constexpr std::string_view kV4Token = "kjr2TKI8umCBfVF3wAHk8JiPwma5VBme";
constexpr std::string_view kV4Key = "4Ma3YBrSBbX2aez8MJpXGBne5LSDwgGqHbhM9WPYIws";
constexpr std::string_view kV4ReceiveId = "ww6a112864f8022910";
constexpr std::string_view kV5Token = "kz7Yx62CH8SaLN";
constexpr std::string_view kV5Key = "cD0d7jx4tYvVtzqrmh3Dm3QFCXe6f8SlHoMtMh3qQEP";
constexpr std::string_view kV5ReceiveId = "ww6a112864f8022910";

constexpr std::string_view kV1PostEncrypt =
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3"
    "QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48"
    "kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izo"
    "un1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUa"
    "x5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl"
    "/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

constexpr std::string_view kV1PostPlaintext =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
    "<FromUserName><![CDATA[mycreate]]></FromUserName>\n"
    "<CreateTime>1409659813</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[hello]]></Content>\n"
    "<MsgId>4561255354251345929</MsgId>\n"
    "<AgentID>218</AgentID>\n"
    "</xml>";

constexpr std::string_view kV2PostBody =
    "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n"
    "<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQ"
    "TNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87H"
    "a3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvh"
    "KkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjay"
    "JOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n"
    "<AgentID><![CDATA[1000002]]></AgentID>\n"
    "</xml>";

constexpr std::string_view kV2PostPlaintext =
    "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserN"
    "ame><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><"
    "MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";

constexpr std::string_view kV3PostEncrypt =
    "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu"
    "6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm"
    "7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e2"
    "9mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5"
    "t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdC"
    "RxthuL0=";

constexpr std::string_view kV3PostPlaintext =
    "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n"
    "<FromUserName><![CDATA[messense]]></FromUserName>\n"
    "<CreateTime>1411525903</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[test]]></Content>\n"
    "<MsgId>4363689963896700987</MsgId>\n"
    "<AgentID>1</AgentID>\n"
    "</xml>";

constexpr std::string_view kV3Reply =
    "<xml>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[test]]></Content>\n"
    "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n"
    "<ToUserName><![CDATA[messense]]></ToUserName>\n"
    "<AgentID>1</AgentID>\n"
    "<CreateTime>1411525903</CreateTime>\n"
    "</xml>";

constexpr std::string_view kV3ReplyEncrypt =
    "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYq"
    "xgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCF"
    "M2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2I"
    "EvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nT"
    "YjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3";

constexpr std::string_view kV5PostBody =
    "<xml><ToUserName><![CDATA[ww6a112864f8022910]]></ToUserName><Encrypt><![CDATA[EUCt7x"
    "McNiyASzZj0Hjc5yDjFQrCum6AfQ3ntHiUzjGQ51xieKmbvtrZ40/EcB2W/W8yH0n4Lqx48gJl/T9HD/R309"
    "I0P/r5pIZucK3lyEn48FYMr4YdE0QdL2jIJ3xkcXUr6uzefzCxG6lMvwpAJaOyVCzN7sRRw47njfxy5EIqU6"
    "R9ZBhlTzfdnhhOhK/nTwzrZX3SoGlXFA9OBeZ6ru1NWpXFk76x9DUMe0lcxPPiUqK8ctnQcYXSGUHVqC6DfG"
    "7E7mab0OmruNN8cBZY5d3dYOBA4OgaH55Q0AJmUpdT8vNiXpXx+6TxT3TIjySXpDrHVyrsb772aYywgg/Nu4"
    "kUmGkALwFZlzhjNegR7wDwb9lr4ERXsSSS8JZ8lbBmaQ3F2Tq584xoPj5rIhXAF734ynm4no1g+SdHiNqR32"
    "8=]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";

constexpr std::string_view kV5PostPlaintext =
    "<xml><ToUserName><![CDATA[ww6a112864f8022910]]></ToUserName><FromUserName><![CDATA[f"
    "oobar]]></FromUserName><CreateTime>1583995625</CreateTime><MsgType><![CDATA[text]]><"
    "/MsgType><Content><![CDATA[x123]]></Content><MsgId>2018405441</MsgId><AgentID>100000"
    "2</AgentID></xml>";

constexpr std::string_view kV6PostBody =
    "{ \"tousername\": \"wx5823bf96d3bd56c7\", \"encrypt\": \"cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMV"
    "WriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvF"
    "p9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP"
    "1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KP"
    "fOdRte6P1T4JU=\", \"agentid\": 218 }";

constexpr std::string_view kV6PostPlaintext =
    "{ \"ToUserName\": \"wx5823bf96d3bd56c7\", \"FromUserName\": :mycreate\", \"CreateTime\": 1409"
    "659813, \"MsgType\": \"text\", \"Content\": \"hello\", \"MsgId\": 4561255354251345929, "
    "\"AgentI"
    "D\": 218}";

CallbackCrypto make_crypto(std::string_view token, std::string_view key,
                           std::string_view receive_id) {
    auto crypto = CallbackCrypto::create(std::string(token), key, std::string(receive_id));
    REQUIRE(result_name(crypto) == "ok");
    return std::move(crypto).value();
}

std::string wrap_in_xml(std::string_view to_user, std::string_view encrypt) {
    return "<xml><ToUserName><![CDATA[" + std::string(to_user) +
           "]]></ToUserName><Encrypt><![CDATA[" + std::string(encrypt) +
           "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
}

// Test-side base64 and raw AES, independent of the code under test, so that the tests can craft
// plaintexts that CallbackCrypto::encrypt would never produce.
std::string base64(std::string_view bytes) {
    std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string unbase64(std::string_view text) {
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    REQUIRE(n >= 0);
    const auto padding = static_cast<std::size_t>(std::count(text.end() - 2, text.end(), '='));
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

std::string aes_key(std::string_view encoding_aes_key) {
    std::string key = unbase64(std::string(encoding_aes_key) + "=");
    REQUIRE(key.size() == 32);
    return key;
}

std::string raw_cbc(std::string_view encoding_aes_key, std::string_view input, bool encrypt) {
    const std::string key = aes_key(encoding_aes_key);
    const auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    REQUIRE(ctx != nullptr);
    std::string out(input.size() + 16, '\0');
    int written = 0;
    int final_written = 0;
    const bool ok = EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key_bytes, key_bytes,
                                      encrypt ? 1 : 0) == 1 &&
                    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
                    EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &written,
                                     reinterpret_cast<const unsigned char*>(input.data()),
                                     static_cast<int>(input.size())) == 1 &&
                    EVP_CipherFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + written,
                                       &final_written) == 1;
    EVP_CIPHER_CTX_free(ctx);
    REQUIRE(ok);
    out.resize(static_cast<std::size_t>(written + final_written));
    return out;
}

// random | msg_len (BE) | msg | receive_id, with msg_len given separately so it can lie.
std::string layout(std::uint32_t msg_len, std::string_view msg, std::string_view receive_id) {
    std::string plain = "0123456789abcdef";
    for (int shift = 24; shift >= 0; shift -= 8) {
        plain.push_back(static_cast<char>((msg_len >> shift) & 0xff));
    }
    plain += msg;
    plain += receive_id;
    return plain;
}

std::string pkcs7_32(std::string plain) {
    const std::size_t pad = 32 - plain.size() % 32;
    plain.append(pad, static_cast<char>(pad));
    return plain;
}

std::string seal_blocks(std::string_view encoding_aes_key, std::string_view padded_plain) {
    REQUIRE(padded_plain.size() % 32 == 0);
    return base64(raw_cbc(encoding_aes_key, padded_plain, true));
}

std::string sha1_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    REQUIRE(EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha1(), nullptr) == 1);
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
        static constexpr char kDigits[] = "0123456789abcdef";
        hex.push_back(kDigits[digest[i] >> 4]);
        hex.push_back(kDigits[digest[i] & 0x0f]);
    }
    return hex;
}

}  // namespace

TEST_CASE("URL verification of every published vector answers with the echostr's plaintext",
          "[wecom][crypto]") {
    // V1 and V4 carry the echostr percent-encoded as WeCom sends it; V2 and V3 keep literal
    // '+', '/' and '=' to show those survive the query parser untouched.
    const auto [name, token, key, receive_id, target, expected] =
        GENERATE(table<std::string_view, std::string_view, std::string_view, std::string_view,
                       std::string_view, std::string_view>({
            {"V1", kV1Token, kV1Key, kV1ReceiveId,
             "/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
             "&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3"
             "Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D",
             "1616140317555161061"},
            {"V2", kV2Token, kV2Key, kV2ReceiveId,
             "/wecom/callback?msg_signature=012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb"
             "&timestamp=1476416373&nonce=47744683&echostr=fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7"
             "xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
             "1288432023552776189"},
            {"V3", kV3Token, kV3Key, kV3ReceiveId,
             "/wecom/callback?msg_signature=dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"
             "&timestamp=1411443780&nonce=437374425&echostr=4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxy"
             "bjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==",
             "5927782489442352469"},
            {"V4", kV4Token, kV4Key, kV4ReceiveId,
             "/wecom/callback?echostr=6KmUQuPVu7UhjyVqRdbo5SfcRqaHvbUlKSHFvBV2ZuR6TIlKsygcfeSd1"
             "GDplg1C5KSKr6UPHCaC%2FnIX3ZNt9w%3D%3D&msg_signature=1ba3cb09c0d2c2b3ed6900d37f91a6"
             "efae6cb011&timestamp=1583940690&nonce=VHh7ymSeb0jc4lSb",
             "94966531020182955848408"},
        }));
    INFO(name);
    const CallbackCrypto crypto = make_crypto(token, key, receive_id);
    const auto query = parse_callback_query(target);
    REQUIRE(result_name(query) == "ok");
    CHECK(crypto.signature(query.value().timestamp, query.value().nonce, query.value().echostr) ==
          query.value().msg_signature);

    const auto reply =
        crypto.verify_and_decrypt(query.value().msg_signature, query.value().timestamp,
                                  query.value().nonce, query.value().echostr);
    REQUIRE(result_name(reply) == "ok");
    CHECK(reply.value() == expected);
}

TEST_CASE("POST callbacks of every published vector verify and decrypt to the exact plaintext",
          "[wecom][crypto]") {
    const auto [name, token, key, receive_id, target, envelope, body, expected] =
        GENERATE(table<std::string_view, std::string_view, std::string_view, std::string_view,
                       std::string_view, std::string_view, std::string, std::string_view>({
            {"V1", kV1Token, kV1Key, kV1ReceiveId,
             "/wecom/callback?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6"
             "&timestamp=1409659813&nonce=1372623149",
             "xml", wrap_in_xml(kV1ReceiveId, kV1PostEncrypt), kV1PostPlaintext},
            {"V2", kV2Token, kV2Key, kV2ReceiveId,
             "/wecom/callback?msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e"
             "&timestamp=1476422779&nonce=1597212914",
             "xml", std::string(kV2PostBody), kV2PostPlaintext},
            {"V3", kV3Token, kV3Key, kV3ReceiveId,
             "/wecom/callback?msg_signature=74d92dfeb87ba7c714f89d98870ae5eb62dff26d"
             "&timestamp=1411525903&nonce=461056294",
             "xml", wrap_in_xml(kV3ReceiveId, kV3PostEncrypt), kV3PostPlaintext},
            {"V5", kV5Token, kV5Key, kV5ReceiveId,
             "/wecom/callback?msg_signature=f265ae551b1932727204c3d707628d01376a6940"
             "&timestamp=1583995625&nonce=1584392382",
             "xml", std::string(kV5PostBody), kV5PostPlaintext},
            {"V6", kV2Token, kV2Key, kV2ReceiveId,
             "/wecom/callback?msg_signature=e3647471e395139e2308c1fa963f2d648a00b90e"
             "&timestamp=1409659813&nonce=1372623149",
             "json", std::string(kV6PostBody), kV6PostPlaintext},
        }));
    INFO(name);
    const CallbackCrypto crypto = make_crypto(token, key, receive_id);
    const auto query = parse_callback_query(target);
    REQUIRE(result_name(query) == "ok");
    CHECK(query.value().echostr.empty());
    const auto encrypt = envelope == "xml" ? encrypt_from_xml(body) : encrypt_from_json(body);
    REQUIRE(result_name(encrypt) == "ok");
    CHECK(crypto.signature(query.value().timestamp, query.value().nonce, encrypt.value()) ==
          query.value().msg_signature);

    const auto message = crypto.verify_and_decrypt(
        query.value().msg_signature, query.value().timestamp, query.value().nonce, encrypt.value());
    REQUIRE(result_name(message) == "ok");
    CHECK(message.value() == expected);
}

TEST_CASE("The V2 POST plaintext carries a pad value of 22, so padding is to 32-byte blocks",
          "[wecom][crypto]") {
    const auto encrypt = encrypt_from_xml(kV2PostBody);
    REQUIRE(result_name(encrypt) == "ok");
    const std::string plain = raw_cbc(kV2Key, unbase64(encrypt.value()), false);
    CHECK(static_cast<int>(static_cast<unsigned char>(plain.back())) == 22);
}

TEST_CASE("The V3 URL signature fails when the nonce is off by one", "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV3Token, kV3Key, kV3ReceiveId);
    constexpr std::string_view kEchostr =
        "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";
    constexpr std::string_view kSignature = "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96";
    CHECK(crypto.verify_signature(kSignature, "1411443780", "437374425", kEchostr));
    CHECK_FALSE(crypto.verify_signature(kSignature, "1411443780", "437374424", kEchostr));
    CHECK(result_name(crypto.verify_and_decrypt(kSignature, "1411443780", "437374424", kEchostr)) ==
          "bad_signature");
}

TEST_CASE("Encrypting the V3 reply with random 1234567890123456 reproduces wechatpy's vector",
          "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV3Token, kV3Key, kV3ReceiveId);
    constexpr std::string_view kRandomText = "1234567890123456";
    std::array<unsigned char, kRandomSize> random{};
    std::copy(kRandomText.begin(), kRandomText.end(), random.begin());

    CHECK(crypto.encrypt(kV3Reply, random) == kV3ReplyEncrypt);
    const ReplyEnvelope reply = crypto.make_reply(kV3Reply, "1411525903", "461056294", random);
    CHECK(reply.encrypt == kV3ReplyEncrypt);
    CHECK(reply.msg_signature == "407518b7649e86ef23978113f92d27afa9296533");
    CHECK(reply.timestamp == "1411525903");
    CHECK(reply.nonce == "461056294");

    CHECK(reply_xml(reply) ==
          "<xml><Encrypt><![CDATA[" + std::string(kV3ReplyEncrypt) +
              "]]></Encrypt><MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]>"
              "</MsgSignature><TimeStamp>1411525903</TimeStamp><Nonce><![CDATA[461056294]]>"
              "</Nonce></xml>");
    CHECK(reply_json(reply) == "{\"encrypt\":\"" + std::string(kV3ReplyEncrypt) +
                                   "\",\"msgsignature\":\"407518b7649e86ef23978113f92d27afa929"
                                   "6533\",\"nonce\":\"461056294\",\"timestamp\":\"1411525903\"}");
}

TEST_CASE("A passive reply envelope reads back through the envelope parsers and decrypts",
          "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, kV1ReceiveId);
    const std::string message = "<xml><Content><![CDATA[回复 ✓]]></Content></xml>";
    // A nonce with XML and JSON metacharacters must not break either body.
    const ReplyEnvelope reply = crypto.make_reply(message, "1700000000", "n]]>&<\"x");

    const auto from_xml = encrypt_from_xml(reply_xml(reply));
    REQUIRE(result_name(from_xml) == "ok");
    const auto from_json = encrypt_from_json(reply_json(reply));
    REQUIRE(result_name(from_json) == "ok");
    CHECK(from_xml.value() == reply.encrypt);
    CHECK(from_json.value() == reply.encrypt);
    const auto decrypted = crypto.verify_and_decrypt(reply.msg_signature, reply.timestamp,
                                                     reply.nonce, from_xml.value());
    REQUIRE(result_name(decrypted) == "ok");
    CHECK(decrypted.value() == message);
}

TEST_CASE("Re-encrypting the V1 POST plaintext with its recovered random reproduces the ciphertext",
          "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, kV1ReceiveId);
    const std::string plain = raw_cbc(kV1Key, unbase64(kV1PostEncrypt), false);
    std::array<unsigned char, kRandomSize> random{};
    std::copy(plain.begin(), plain.begin() + kRandomSize, random.begin());
    CHECK(std::string(plain.begin(), plain.begin() + kRandomSize) == "0960688932c47ef1");

    const auto message = crypto.decrypt(kV1PostEncrypt);
    REQUIRE(result_name(message) == "ok");
    CHECK(crypto.encrypt(message.value(), random) == kV1PostEncrypt);
}

TEST_CASE("V6's JSON envelope decrypts with the sample's corp id, not with its tousername",
          "[wecom][crypto]") {
    const auto encrypt = encrypt_from_json(kV6PostBody);
    REQUIRE(result_name(encrypt) == "ok");
    const CallbackCrypto right = make_crypto(kV2Token, kV2Key, kV2ReceiveId);
    const CallbackCrypto by_tousername = make_crypto(kV2Token, kV2Key, "wx5823bf96d3bd56c7");

    const auto message = right.decrypt(encrypt.value());
    REQUIRE(result_name(message) == "ok");
    CHECK(message.value() == kV6PostPlaintext);
    CHECK(result_name(by_tousername.decrypt(encrypt.value())) == "receiveid_mismatch");
}

TEST_CASE("Messages of every length around the 32-byte block round-trip", "[wecom][crypto]") {
    const std::string_view receive_id = GENERATE(as<std::string_view>{}, "", "ww1436e0e65a779aee");
    const std::size_t length = GENERATE(range<std::size_t>(0, 100));
    INFO("receive id '" << receive_id << "', length " << length);
    const CallbackCrypto crypto = make_crypto(kV2Token, kV2Key, receive_id);
    std::string message;
    for (std::size_t i = 0; i < length; ++i) {
        message.push_back(static_cast<char>(i * 37 % 256));
    }

    const std::string encrypt = crypto.encrypt(message);
    const std::size_t unpadded = 20 + length + receive_id.size();
    CHECK(unbase64(encrypt).size() == (unpadded / 32 + 1) * 32);
    const auto decrypted = crypto.decrypt(encrypt);
    REQUIRE(result_name(decrypted) == "ok");
    CHECK(decrypted.value() == message);
}

TEST_CASE("Each encryption draws a fresh random prefix", "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, kV1ReceiveId);
    const std::string first = crypto.encrypt("same message");
    const std::string second = crypto.encrypt("same message");
    CHECK(first != second);
    CHECK(raw_cbc(kV1Key, unbase64(first), false).substr(0, 16) !=
          raw_cbc(kV1Key, unbase64(second), false).substr(0, 16));
}

TEST_CASE("The signature sorts its four parts by unsigned byte value", "[wecom][crypto]") {
    // 0xC3 sorts after ASCII only under an unsigned comparison; a signed one would put it first.
    const CallbackCrypto crypto = make_crypto("a", kV1Key, kV1ReceiveId);
    CHECK(crypto.signature("B", "\xC3\xA9", "_") == sha1_hex("B_a\xC3\xA9"));
    CHECK(crypto.signature("B", "\xC3\xA9", "_").size() == 40);
}

TEST_CASE("An EncodingAESKey that is not 43 characters decoding to 32 bytes is refused",
          "[wecom][crypto]") {
    const auto [what, key,
                expected] = GENERATE(table<std::string_view, std::string, std::string_view>({
        {"the valid key", std::string(kV1Key), "ok"},
        {"42 characters", std::string(kV1Key.substr(0, 42)), "illegal_aes_key"},
        {"44 characters", std::string(kV1Key) + "A", "illegal_aes_key"},
        {"44 characters ending in =", std::string(kV1Key) + "=", "illegal_aes_key"},
        {"43 characters ending in =", std::string(kV1Key.substr(0, 42)) + "=", "illegal_aes_key"},
        {"a character outside base64", "-" + std::string(kV1Key.substr(1)), "illegal_aes_key"},
        {"a space", std::string(kV1Key.substr(0, 21)) + " " + std::string(kV1Key.substr(22)),
         "illegal_aes_key"},
        {"empty", "", "illegal_aes_key"},
    }));
    INFO(what);
    CHECK(result_name(CallbackCrypto::create("token", key, "corp")) == expected);
}

TEST_CASE("Ciphertext that is not strict padded base64 is refused", "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, kV1ReceiveId);
    const std::string valid(kV1PostEncrypt);
    const std::string text = GENERATE_COPY(
        std::string("abc"), std::string("ab!d"), std::string("a==="), std::string("===="),
        std::string("ab=c"), std::string("QQ==QQ=="), valid.substr(0, valid.size() - 2),
        valid + "=", valid + "\n", " " + valid, valid.substr(0, 40) + "-" + valid.substr(41),
        valid.substr(0, 40) + "\r\n" + valid.substr(40, valid.size() - 42),
        std::string("abc\0", 4));
    INFO(text);
    CHECK(result_name(crypto.decrypt(text)) == "bad_base64");
}

TEST_CASE("Ciphertext whose length is not a non-zero multiple of 32 is refused",
          "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, kV1ReceiveId);
    const std::string ciphertext = unbase64(kV1PostEncrypt);
    const std::string text = GENERATE_COPY(
        std::string(), base64(std::string(16, 'x')), base64(std::string(31, 'x')),
        base64(std::string(33, 'x')), base64(ciphertext.substr(0, ciphertext.size() - 16)),
        base64(ciphertext.substr(0, ciphertext.size() - 1)));
    INFO(text);
    CHECK(result_name(crypto.decrypt(text)) == "bad_ciphertext_length");
}

TEST_CASE("A pad byte outside 1..32 or pad bytes that disagree are refused", "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, kV1ReceiveId);
    const std::string valid = pkcs7_32(layout(5, "hello", kV1ReceiveId));
    REQUIRE(valid.size() == 64);
    REQUIRE(valid.back() == 21);

    const auto [what, plain,
                expected] = GENERATE_COPY(table<std::string_view, std::string, std::string_view>({
        {"valid padding", valid, "ok"},
        {"pad byte 0", valid.substr(0, 63) + '\x00', "bad_padding"},
        {"pad byte 33", valid.substr(0, 63) + '\x21', "bad_padding"},
        {"pad byte 255", valid.substr(0, 63) + '\xff', "bad_padding"},
        {"first pad byte differs", valid.substr(0, 43) + '\x20' + valid.substr(44), "bad_padding"},
        {"pad 32 over a block that is not all 32s", valid.substr(0, 63) + '\x20', "bad_padding"},
    }));
    INFO(what);
    CHECK(result_name(crypto.decrypt(seal_blocks(kV1Key, plain))) == expected);
}

TEST_CASE("Plaintext shorter than its header or its length field is refused as truncated",
          "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, kV1ReceiveId);
    const std::size_t rest = 5 + kV1ReceiveId.size();
    const auto [what, plain, expected] =
        GENERATE_COPY(table<std::string_view, std::string, std::string_view>({
            {"19 bytes before the padding", pkcs7_32(layout(0, "", "").substr(0, 19)),
             "truncated_plaintext"},
            {"no bytes before the padding", std::string(32, '\x20'), "truncated_plaintext"},
            {"msg_len one past the end", pkcs7_32(layout(rest + 1, "hello", kV1ReceiveId)),
             "truncated_plaintext"},
            {"msg_len 0xffffffff", pkcs7_32(layout(0xffffffffU, "hello", kV1ReceiveId)),
             "truncated_plaintext"},
            // Boundary: msg_len may reach the end exactly; the receive id is then empty.
            {"msg_len up to the end", pkcs7_32(layout(rest, "hello", kV1ReceiveId)),
             "receiveid_mismatch"},
            {"exactly the 20-byte header and the receive id", pkcs7_32(layout(0, "", kV1ReceiveId)),
             "ok"},
        }));
    INFO(what);
    CHECK(result_name(crypto.decrypt(seal_blocks(kV1Key, plain))) == expected);
}

TEST_CASE("A receiveid other than the configured one is refused", "[wecom][crypto]") {
    const auto [receive_id, expected] = GENERATE(table<std::string_view, std::string_view>({
        {"wx5823bf96d3bd56c7", "ok"},
        {"wx5823bf96d3bd56c8", "receiveid_mismatch"},
        {"wx5823bf96d3bd56c", "receiveid_mismatch"},
        {"wx5823bf96d3bd56c7 ", "receiveid_mismatch"},
        {"", "receiveid_mismatch"},
    }));
    INFO("configured '" << receive_id << "'");
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, receive_id);
    CHECK(result_name(crypto.decrypt(kV1PostEncrypt)) == expected);
}

TEST_CASE("A tampered signature is refused before anything is decrypted", "[wecom][crypto]") {
    const CallbackCrypto crypto = make_crypto(kV1Token, kV1Key, kV1ReceiveId);
    const std::string good(kV1PostSignature);
    const auto [what, signature, encrypt, expected] =
        GENERATE_COPY(table<std::string_view, std::string, std::string, std::string_view>({
            {"the genuine signature", good, std::string(kV1PostEncrypt), "ok"},
            {"last digit changed", good.substr(0, 39) + "7", std::string(kV1PostEncrypt),
             "bad_signature"},
            {"upper case", "477715D11CDB4164915DEBCBA66CB864D751F3E6", std::string(kV1PostEncrypt),
             "bad_signature"},
            {"39 digits", good.substr(0, 39), std::string(kV1PostEncrypt), "bad_signature"},
            {"41 digits", good + "0", std::string(kV1PostEncrypt), "bad_signature"},
            {"empty", "", std::string(kV1PostEncrypt), "bad_signature"},
            {"ciphertext changed under the signature", good,
             "A" + std::string(kV1PostEncrypt.substr(1)), "bad_signature"},
            {"invalid ciphertext under a wrong signature", good, "!!!", "bad_signature"},
        }));
    INFO(what);
    CHECK(result_name(crypto.verify_and_decrypt(signature, kV1PostTimestamp, kV1PostNonce,
                                                encrypt)) == expected);
}
