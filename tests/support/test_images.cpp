#include "tests/support/test_images.hpp"

#include <stb/stb_image_write.h>
#include <webp/encode.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace ledgerbot::testing {
namespace {

std::vector<unsigned char> gradient(int width, int height) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width * height * 3));
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            unsigned char* p = &pixels[static_cast<std::size_t>((y * width + x) * 3)];
            p[0] = static_cast<unsigned char>(x * 255 / std::max(1, width - 1));
            p[1] = static_cast<unsigned char>(y * 255 / std::max(1, height - 1));
            p[2] = 128;
        }
    }
    return pixels;
}

void append(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                               static_cast<std::size_t>(size));
}

}  // namespace

std::string png_image(int width, int height) {
    const auto pixels = gradient(width, height);
    std::string out;
    if (stbi_write_png_to_func(append, &out, width, height, 3, pixels.data(), width * 3) == 0) {
        throw std::runtime_error("stbi_write_png_to_func failed");
    }
    return out;
}

std::string jpeg_image(int width, int height) {
    const auto pixels = gradient(width, height);
    std::string out;
    if (stbi_write_jpg_to_func(append, &out, width, height, 3, pixels.data(), 90) == 0) {
        throw std::runtime_error("stbi_write_jpg_to_func failed");
    }
    return out;
}

std::string webp_image(int width, int height) {
    const auto pixels = gradient(width, height);
    uint8_t* encoded = nullptr;
    const std::size_t size = WebPEncodeRGB(pixels.data(), width, height, width * 3, 80, &encoded);
    if (size == 0) {
        throw std::runtime_error("WebPEncodeRGB failed");
    }
    std::string out(reinterpret_cast<const char*>(encoded), size);
    WebPFree(encoded);
    return out;
}

std::string gif_image() {
    static const unsigned char kGif[] = {
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};
    return std::string(reinterpret_cast<const char*>(kGif), sizeof kGif);
}

}  // namespace ledgerbot::testing
