#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ledgerbot::storage {

/// What an image's bytes are, read from the bytes themselves, never from a header someone sent.
struct ImageInfo {
    std::string type;  ///< jpeg | png | gif | webp
    std::string mime;  ///< image/jpeg …
    int width = 0;
    int height = 0;
};

/// The type (libmagic) and dimensions (stb_image for JPEG, PNG and GIF, libwebp for WebP) of
/// `bytes`; nullopt for anything that is not one of those four image types or whose header
/// cannot be read.
std::optional<ImageInfo> sniff_image(std::string_view bytes);

}  // namespace ledgerbot::storage
