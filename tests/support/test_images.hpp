#pragma once

#include <string>

namespace ledgerbot::testing {

/// Real image files, encoded by the image libraries (stb_image_write, libwebp), for tests of the
/// evidence store and the uploads: a gradient of `width` × `height`.
std::string png_image(int width, int height);
std::string jpeg_image(int width, int height);
std::string webp_image(int width, int height);
/// The smallest GIF: one transparent pixel (GIF89a), as byte constants.
std::string gif_image();

}  // namespace ledgerbot::testing
