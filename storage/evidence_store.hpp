#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/image_sniffer.hpp"

namespace ledgerbot::storage {

/// What may be stored: a size limit and the image types ([evidence] in the config).
struct EvidenceLimits {
    std::int64_t max_bytes = 20 << 20;
    std::vector<std::string> types{"jpeg", "png", "gif", "webp"};
};

struct StoredImage {
    std::string sha256;
    std::int64_t size = 0;
    ImageInfo image;
};

/// Why bytes were not stored: `code` is too_large, not_image or io (a write failed).
struct StoreRefusal {
    std::string code;
    std::string detail;
};

/// Evidence images as bytes, content-addressed under one directory: `ab/cd/<sha256>`. A file is
/// written under a temporary name, synced and renamed into place, so a crash leaves either the
/// whole file or none; identical bytes are stored once. Files are never changed afterwards.
class EvidenceStore {
public:
    EvidenceStore(std::filesystem::path root, EvidenceLimits limits);

    /// Checks and stores `bytes`: refused when over the size limit or not an allowed image.
    std::variant<StoredImage, StoreRefusal> put(std::string_view bytes) const;

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path path_of(std::string_view sha256) const;
    bool contains(std::string_view sha256) const;
    /// Whether the stored file still hashes to its name; false when it is missing or changed.
    bool intact(std::string_view sha256) const;
    /// Removes the temporary files a crash during a write left behind; returns how many.
    int remove_partial_files() const;

private:
    std::filesystem::path root_;
    EvidenceLimits limits_;
};

}  // namespace ledgerbot::storage
