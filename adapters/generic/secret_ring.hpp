#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ledgerbot::adapters::generic {

/// The generic adapter's shared secrets, newest first. Requests signed with any of them are
/// accepted and notices are signed with the newest, so a bridge's secret can be rotated without
/// a moment when one side refuses the other: add the new one in front, switch the bridge, drop
/// the old one. Replaced whole when the service reloads its config (SIGHUP) while other threads
/// verify; readers hold the list they got until they are done.
class SecretRing {
public:
    explicit SecretRing(std::vector<std::string> secrets);

    std::shared_ptr<const std::vector<std::string>> secrets() const;
    /// The one notices are signed with.
    std::string newest() const;
    void replace(std::vector<std::string> secrets);

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<std::string>> secrets_;
};

}  // namespace ledgerbot::adapters::generic
