#include "storage/service_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <stdexcept>
#include <system_error>

namespace ledgerbot::storage {

std::optional<ServiceLock> ServiceLock::try_acquire(const std::filesystem::path& database) {
    std::filesystem::path path = database;
    path += ".lock";
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return std::nullopt;
    }
    return ServiceLock(fd);
}

ServiceLock::ServiceLock(ServiceLock&& other) noexcept : fd_(other.fd_) {
    other.fd_ = -1;
}

ServiceLock::~ServiceLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the flock
    }
}

}  // namespace ledgerbot::storage
