#include "tests/support/self_signed.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace ledgerbot::testing {

namespace {

struct KeyDeleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
    void operator()(X509* cert) const { X509_free(cert); }
};
struct BioDeleter {
    void operator()(BIO* bio) const { BIO_free(bio); }
};

template <class Write>
std::string to_pem(Write write) {
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1) {
        throw std::runtime_error("cannot write PEM");
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

struct SelfSigned::Impl {
    std::unique_ptr<EVP_PKEY, KeyDeleter> key{EVP_EC_gen("P-256")};
    std::unique_ptr<X509, CertDeleter> cert{X509_new()};
};

SelfSigned::SelfSigned(const std::string& subject_alt_names) : impl_(std::make_unique<Impl>()) {
    X509* cert = impl_->cert.get();
    EVP_PKEY* key = impl_->key.get();
    if (cert == nullptr || key == nullptr) {
        throw std::runtime_error("cannot make a key and certificate");
    }
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, subject_alt_names.c_str());
    if (san == nullptr) {
        throw std::runtime_error("cannot add the subject alternative names");
    }
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
    if (X509_sign(cert, key, EVP_sha256()) <= 0) {
        throw std::runtime_error("cannot sign the certificate");
    }
}

SelfSigned::~SelfSigned() = default;

std::string SelfSigned::cert_pem() const {
    return to_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, impl_->cert.get()); });
}

std::string SelfSigned::key_pem() const {
    return to_pem([&](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, impl_->key.get(), nullptr, nullptr, 0, nullptr,
                                        nullptr);
    });
}

void* SelfSigned::cert() const {
    return impl_->cert.get();
}

void* SelfSigned::key() const {
    return impl_->key.get();
}

}  // namespace ledgerbot::testing
