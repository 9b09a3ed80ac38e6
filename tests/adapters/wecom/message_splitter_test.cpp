#include "adapters/wecom/message_splitter.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

using ledgerbot::adapters::wecom::kMarkdownLimitBytes;
using ledgerbot::adapters::wecom::kTextLimitBytes;
using ledgerbot::adapters::wecom::split_message;

namespace {

/// True when `text` is well-formed UTF-8 (no cut character at either end).
bool valid_utf8(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80           ? 1
                                   : (lead >> 5) == 0x6  ? 2
                                   : (lead >> 4) == 0xE  ? 3
                                   : (lead >> 3) == 0x1E ? 4
                                                         : 0;
        if (length == 0 || i + length > text.size()) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += length;
    }
    return true;
}

std::string repeat(const std::string& unit, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) {
        out += unit;
    }
    return out;
}

}  // namespace

TEST_CASE("Content within the limit is one part, empty content none", "[wecom][splitter]") {
    CHECK(split_message("", kTextLimitBytes).empty());
    CHECK(split_message("hello", kTextLimitBytes) == std::vector<std::string>{"hello"});
    const std::string exact = repeat("中", 2048 / 3) + "ab";  // 2046 + 2 = 2048 bytes
    REQUIRE(exact.size() == kTextLimitBytes);
    CHECK(split_message(exact, kTextLimitBytes) == std::vector<std::string>{exact});
}

TEST_CASE("Long content is cut under the limit without splitting a character",
          "[wecom][splitter]") {
    const auto [what, unit, limit] = GENERATE(table<std::string, std::string, std::size_t>({
        {"ASCII", "a", kTextLimitBytes},
        {"3-byte Chinese", "走", kTextLimitBytes},
        {"4-byte emoji", "\xF0\x9F\x98\x80", kTextLimitBytes},
        {"mixed", "a走\xF0\x9F\x98\x80é", kTextLimitBytes},
        {"markdown limit", "访", kMarkdownLimitBytes},
        {"tiny limit", "走", 7},
    }));
    INFO(what);
    const std::string content = repeat(unit, 3000);
    const auto parts = split_message(content, limit);
    REQUIRE(parts.size() > 1);
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        CHECK(parts[i].size() <= limit);
        if (i + 1 < parts.size()) {
            CHECK(parts[i].size() + 4 > limit);  // no needlessly short part but the last
        }
        CHECK(valid_utf8(parts[i]));
        joined += parts[i];
    }
    CHECK(joined == content);
}

TEST_CASE("Cuts prefer line breaks in the second half of the window", "[wecom][splitter]") {
    const std::string line = repeat("走", 100) + "\n";  // 301 bytes
    const std::string content = repeat(line, 20);       // 6020 bytes
    const auto parts = split_message(content, kTextLimitBytes);
    // Six lines (1806 bytes) fit under 2048, seven do not; the break after the sixth is
    // dropped. 20 lines: 6 + 6 + 6 + 2.
    REQUIRE(parts.size() == 4);
    CHECK(parts[0] == repeat(line, 5) + repeat("走", 100));
    CHECK(parts[1] == parts[0]);
    CHECK(parts[2] == parts[0]);
    CHECK(parts[3] == repeat(line, 2));
    for (const auto& part : parts) {
        CHECK(part.size() <= kTextLimitBytes);
    }
}

TEST_CASE("A line break early in the window does not make a short part", "[wecom][splitter]") {
    const std::string content = "标题\n" + repeat("走", 1000);
    const auto parts = split_message(content, kTextLimitBytes);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].size() == 7 + 680 * 3);  // "标题\n", then the 3-byte characters that fit
    CHECK(parts[0].substr(0, 7) == "标题\n");
    CHECK(valid_utf8(parts[0]));
    CHECK(parts[0] + parts[1] == content);
}

TEST_CASE("CRLF line breaks are dropped whole", "[wecom][splitter]") {
    const std::string line = std::string(1500, 'x') + "\r\n";
    const auto parts = split_message(line + line, kTextLimitBytes);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == std::string(1500, 'x'));
    CHECK(parts[1] == line);
}

TEST_CASE("Malformed UTF-8 still makes progress within the limit", "[wecom][splitter]") {
    const std::string content(5000, '\x80');  // continuation bytes only
    const auto parts = split_message(content, kTextLimitBytes);
    std::size_t total = 0;
    for (const auto& part : parts) {
        CHECK(part.size() <= kTextLimitBytes);
        CHECK_FALSE(part.empty());
        total += part.size();
    }
    CHECK(total == content.size());
}
