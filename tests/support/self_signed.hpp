#pragma once

#include <memory>
#include <string>

namespace ledgerbot::testing {

/// A throw-away self-signed certificate for the names given (OpenSSL's subjectAltName syntax,
/// "localhost" only by default), made in memory with a P-256 key and valid for an hour. Trust is
/// given per TLS context (or, for a child process, through SSL_CERT_FILE pointing at cert_pem()),
/// never system-wide.
class SelfSigned {
public:
    explicit SelfSigned(const std::string& subject_alt_names = "DNS:localhost");
    ~SelfSigned();
    SelfSigned(const SelfSigned&) = delete;
    SelfSigned& operator=(const SelfSigned&) = delete;

    std::string cert_pem() const;
    std::string key_pem() const;
    /// OpenSSL's X509* and EVP_PKEY*, for code that configures a context directly.
    void* cert() const;
    void* key() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ledgerbot::testing
