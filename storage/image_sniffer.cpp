#include "storage/image_sniffer.hpp"

#include <magic.h>
#include <stb/stb_image.h>
#include <webp/decode.h>

#include <array>
#include <memory>
#include <mutex>
#include <utility>

namespace ledgerbot::storage {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kImageTypes{{
    {"image/jpeg", "jpeg"},
    {"image/png", "png"},
    {"image/gif", "gif"},
    {"image/webp", "webp"},
}};

// One libmagic handle for the process: loading the database costs milliseconds, and a handle is
// not safe to share between threads without the lock.
std::string magic_mime(std::string_view bytes) {
    static std::mutex lock;
    static const std::unique_ptr<magic_set, decltype(&magic_close)> handle = [] {
        std::unique_ptr<magic_set, decltype(&magic_close)> opened(
            magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR),
            &magic_close);
        if (opened && magic_load(opened.get(), nullptr) != 0) {
            opened.reset();
        }
        return opened;
    }();
    if (!handle) {
        return {};
    }
    const std::lock_guard guard(lock);
    const char* mime = magic_buffer(handle.get(), bytes.data(), bytes.size());
    return mime != nullptr ? std::string(mime) : std::string{};
}

}  // namespace

std::optional<ImageInfo> sniff_image(std::string_view bytes) {
    if (bytes.empty()) {
        return std::nullopt;
    }
    const std::string mime = magic_mime(bytes);
    for (const auto& [known_mime, type] : kImageTypes) {
        if (mime != known_mime) {
            continue;
        }
        ImageInfo info{std::string(type), mime, 0, 0};
        const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
        if (type == "webp") {
            if (WebPGetInfo(data, bytes.size(), &info.width, &info.height) == 0) {
                return std::nullopt;
            }
        } else {
            int components = 0;
            if (stbi_info_from_memory(data, static_cast<int>(bytes.size()), &info.width,
                                      &info.height, &components) == 0) {
                return std::nullopt;
            }
        }
        if (info.width <= 0 || info.height <= 0) {
            return std::nullopt;
        }
        return info;
    }
    return std::nullopt;
}

}  // namespace ledgerbot::storage
