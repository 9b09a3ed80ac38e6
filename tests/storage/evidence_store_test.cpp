#include "storage/evidence_store.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <variant>

#include "storage/image_sniffer.hpp"
#include "storage/sha256.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_images.hpp"

namespace {

using ledgerbot::storage::EvidenceLimits;
using ledgerbot::storage::EvidenceStore;
using ledgerbot::storage::StoredImage;
using ledgerbot::storage::StoreRefusal;
using namespace ledgerbot::testing;

}  // namespace

TEST_CASE("Image type and size are read from the bytes themselves", "[evidence]") {
    const auto [bytes, type, mime, width, height] =
        GENERATE(table<std::string, std::string, std::string, int, int>({
            {png_image(40, 30), "png", "image/png", 40, 30},
            {jpeg_image(64, 48), "jpeg", "image/jpeg", 64, 48},
            {webp_image(20, 10), "webp", "image/webp", 20, 10},
            {gif_image(), "gif", "image/gif", 1, 1},
        }));
    const auto info = ledgerbot::storage::sniff_image(bytes);
    REQUIRE(info);
    CHECK(info->type == type);
    CHECK(info->mime == mime);
    CHECK(info->width == width);
    CHECK(info->height == height);
}

TEST_CASE("Anything but the four image types is not an image", "[evidence]") {
    const std::string png = png_image(8, 8);
    const auto [bytes, why] = GENERATE_COPY(table<std::string, std::string>({
        {"", "empty"},
        {"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "a PDF"},
        {"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", "SVG (an image, but text)"},
        {"hello", "text"},
        {std::string("PK\x03\x04", 4) + std::string(60, '\0'), "a zip archive"},
        {png.substr(0, 12), "a PNG cut before its header"},
        {std::string("BM") + std::string(60, '\0'), "a BMP header"},
    }));
    INFO(why);
    CHECK_FALSE(ledgerbot::storage::sniff_image(bytes).has_value());
}

TEST_CASE("Stored evidence is content-addressed, stored once, and refused when not allowed",
          "[evidence]") {
    TempDir dir;
    const EvidenceStore store(dir / "evidence", EvidenceLimits{4096, {"png", "jpeg"}});
    const std::string png = png_image(16, 16);

    const auto first = store.put(png);
    REQUIRE(std::holds_alternative<StoredImage>(first));
    const auto& stored = std::get<StoredImage>(first);
    CHECK(stored.sha256 == ledgerbot::storage::sha256_hex(png));
    CHECK(stored.size == static_cast<std::int64_t>(png.size()));
    CHECK(stored.image.mime == "image/png");
    const auto path = store.path_of(stored.sha256);
    CHECK(path == dir / "evidence" / stored.sha256.substr(0, 2) / stored.sha256.substr(2, 2) /
                      stored.sha256);
    CHECK(std::filesystem::file_size(path) == png.size());
    CHECK(store.intact(stored.sha256));

    // The same bytes again: one file.
    REQUIRE(std::holds_alternative<StoredImage>(store.put(png)));
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "evidence")) {
        files += entry.is_regular_file() ? 1 : 0;
    }
    CHECK(files == 1);

    const auto webp = store.put(webp_image(8, 8));
    REQUIRE(std::holds_alternative<StoreRefusal>(webp));
    CHECK(std::get<StoreRefusal>(webp).code == "not_image");  // a type not in the list
    const auto big = store.put(png_image(16, 16) + std::string(5000, 'x'));
    REQUIRE(std::holds_alternative<StoreRefusal>(big));
    CHECK(std::get<StoreRefusal>(big).code == "too_large");
    const auto text = store.put("not an image at all");
    REQUIRE(std::holds_alternative<StoreRefusal>(text));
    CHECK(std::get<StoreRefusal>(text).code == "not_image");
}

TEST_CASE("A stored file changed or removed on disk is no longer intact", "[evidence]") {
    TempDir dir;
    const EvidenceStore store(dir / "evidence", EvidenceLimits{});
    const auto stored = std::get<StoredImage>(store.put(jpeg_image(20, 20)));
    std::ofstream(store.path_of(stored.sha256), std::ios::binary | std::ios::app) << "x";
    CHECK_FALSE(store.intact(stored.sha256));
    std::filesystem::remove(store.path_of(stored.sha256));
    CHECK_FALSE(store.intact(stored.sha256));
    CHECK_FALSE(store.contains(stored.sha256));
}

TEST_CASE("Partial files a crash left behind are removed; stored files are kept", "[evidence]") {
    TempDir dir;
    const EvidenceStore store(dir / "evidence", EvidenceLimits{});
    const auto stored = std::get<StoredImage>(store.put(png_image(4, 4)));
    const auto partial = store.path_of(stored.sha256).parent_path() / "abc.123.partial";
    std::ofstream(partial) << "half an image";
    CHECK(store.remove_partial_files() == 1);
    CHECK_FALSE(std::filesystem::exists(partial));
    CHECK(store.intact(stored.sha256));
}
