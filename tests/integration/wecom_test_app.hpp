#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "adapters/wecom/callback_crypto.hpp"
#include "tests/integration/running_service.hpp"
#include "tests/support/fake_wecom_server.hpp"
#include "tests/support/http_test_client.hpp"

/// The self-built app WeCom integration tests post callbacks as: the official Python sample's
/// credentials (as in wecom_callback_test.cpp), and a fake WeCom that knows the same corp.
namespace ledgerbot::testing::wecom_app {

inline const std::string kCorpId = "ww1436e0e65a779aee";
inline const std::string kAppToken = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
inline const std::string kAppKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

inline FakeWecomServer::Options fake_options() {
    FakeWecomServer::Options options;
    options.corp_id = kCorpId;
    return options;
}

/// Encrypts and signs `plaintext` as WeCom does and posts it to the app callback.
inline unsigned post_app(HttpTestClient& client, const std::string& plaintext) {
    auto crypto = adapters::wecom::CallbackCrypto::create(kAppToken, kAppKey, kCorpId);
    REQUIRE(crypto);
    const std::string timestamp = std::to_string(now_seconds());
    const std::string nonce = "app-nonce";
    const std::string encrypt = crypto.value().encrypt(plaintext);
    const std::string signature = crypto.value().signature(timestamp, nonce, encrypt);
    const std::string body = "<xml><ToUserName><![CDATA[" + kCorpId +
                             "]]></ToUserName><Encrypt><![CDATA[" + encrypt +
                             "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
    return client
        .post(
            "/wecom/app?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce,
            body)
        .status;
}

}  // namespace ledgerbot::testing::wecom_app
