#include "storage/evidence_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <system_error>

#include "storage/sha256.hpp"

namespace ledgerbot::storage {
namespace {

constexpr std::string_view kPartialSuffix = ".partial";

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

void sync_directory(const std::filesystem::path& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string random_suffix() {
    std::random_device device;
    return std::to_string(device());
}

}  // namespace

EvidenceStore::EvidenceStore(std::filesystem::path root, EvidenceLimits limits)
    : root_(std::move(root)), limits_(std::move(limits)) {}

std::filesystem::path EvidenceStore::path_of(std::string_view sha256) const {
    const std::string name(sha256);
    if (name.size() < 4) {
        return root_ / name;
    }
    return root_ / name.substr(0, 2) / name.substr(2, 2) / name;
}

bool EvidenceStore::contains(std::string_view sha256) const {
    std::error_code ec;
    return std::filesystem::is_regular_file(path_of(sha256), ec);
}

bool EvidenceStore::intact(std::string_view sha256) const {
    const auto actual = sha256_of_file(path_of(sha256));
    return actual && *actual == sha256;
}

std::variant<StoredImage, StoreRefusal> EvidenceStore::put(std::string_view bytes) const {
    if (static_cast<std::int64_t>(bytes.size()) > limits_.max_bytes) {
        return StoreRefusal{"too_large", std::to_string(bytes.size()) +
                                             " bytes, over the limit of " +
                                             std::to_string(limits_.max_bytes)};
    }
    const std::optional<ImageInfo> image = sniff_image(bytes);
    if (!image ||
        std::find(limits_.types.begin(), limits_.types.end(), image->type) == limits_.types.end()) {
        return StoreRefusal{"not_image", image
                                             ? "images of type " + image->type + " are not accepted"
                                             : "the bytes are not a JPEG, PNG, GIF or WebP image"};
    }
    StoredImage stored{sha256_hex(bytes), static_cast<std::int64_t>(bytes.size()), *image};
    const std::filesystem::path target = path_of(stored.sha256);
    if (contains(stored.sha256)) {
        return stored;  // the same bytes were stored before
    }
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    std::filesystem::path partial = target;
    partial += "." + random_suffix() + std::string(kPartialSuffix);
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        return StoreRefusal{"io", "cannot create " + partial.string() + ": " +
                                      std::generic_category().message(errno)};
    }
    const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
    const int write_errno = errno;
    ::close(fd);
    if (!written) {
        std::filesystem::remove(partial, ec);
        return StoreRefusal{"io", "cannot write " + partial.string() + ": " +
                                      std::generic_category().message(write_errno)};
    }
    std::filesystem::rename(partial, target, ec);
    if (ec) {
        std::filesystem::remove(partial, ec);
        return StoreRefusal{"io", "cannot rename into " + target.string() + ": " + ec.message()};
    }
    sync_directory(target.parent_path());
    return stored;
}

int EvidenceStore::remove_partial_files() const {
    int removed = 0;
    std::error_code ec;
    if (!std::filesystem::exists(root_, ec)) {
        return 0;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(root_, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && it->path().string().ends_with(kPartialSuffix)) {
            std::error_code remove_error;
            removed += std::filesystem::remove(it->path(), remove_error) ? 1 : 0;
        }
    }
    return removed;
}

}  // namespace ledgerbot::storage
