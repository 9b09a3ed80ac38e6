#pragma once

#include <filesystem>
#include <optional>

namespace ledgerbot::storage {

/// The running service's claim on its database: an exclusive lock (flock) on `<database>.lock`,
/// held for the process's life and released by the kernel when it ends, however it ends.
/// `restore` refuses to overwrite a database a service holds.
class ServiceLock {
public:
    /// nullopt when another process holds it.
    static std::optional<ServiceLock> try_acquire(const std::filesystem::path& database);

    ServiceLock(ServiceLock&& other) noexcept;
    ServiceLock& operator=(ServiceLock&&) = delete;
    ServiceLock(const ServiceLock&) = delete;
    ~ServiceLock();

private:
    explicit ServiceLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace ledgerbot::storage
