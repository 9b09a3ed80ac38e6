#include "adapters/generic/secret_ring.hpp"

#include <stdexcept>

namespace ledgerbot::adapters::generic {

namespace {

std::shared_ptr<const std::vector<std::string>> checked(std::vector<std::string> secrets) {
    if (secrets.empty() || secrets.front().empty()) {
        throw std::invalid_argument("the generic adapter needs a secret");
    }
    return std::make_shared<const std::vector<std::string>>(std::move(secrets));
}

}  // namespace

SecretRing::SecretRing(std::vector<std::string> secrets) : secrets_(checked(std::move(secrets))) {}

std::shared_ptr<const std::vector<std::string>> SecretRing::secrets() const {
    const std::lock_guard lock(mutex_);
    return secrets_;
}

std::string SecretRing::newest() const {
    return secrets()->front();
}

void SecretRing::replace(std::vector<std::string> secrets) {
    auto fresh = checked(std::move(secrets));
    const std::lock_guard lock(mutex_);
    secrets_ = std::move(fresh);
}

}  // namespace ledgerbot::adapters::generic
