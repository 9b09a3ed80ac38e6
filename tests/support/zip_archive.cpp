#include "tests/support/zip_archive.hpp"

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <pugixml.hpp>

namespace ledgerbot::testing {
namespace {

std::uint32_t le(const std::string& data, std::size_t at, int bytes) {
    if (at + static_cast<std::size_t>(bytes) > data.size()) {
        throw std::runtime_error("zip: truncated");
    }
    std::uint32_t value = 0;
    for (int i = bytes - 1; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(data[at + static_cast<std::size_t>(i)]);
    }
    return value;
}

std::string inflate_raw(const std::string& compressed, std::size_t size) {
    std::string out(size, '\0');
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) {
        throw std::runtime_error("zip: inflateInit2 failed");
    }
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = inflate(&stream, Z_FINISH);
    inflateEnd(&stream);
    if (status != Z_STREAM_END || stream.total_out != size) {
        throw std::runtime_error("zip: inflate failed");
    }
    return out;
}

}  // namespace

std::map<std::string, std::string> read_zip(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string data = buffer.str();
    // End of central directory: the last "PK\5\6" (a comment may follow it).
    const std::size_t end = data.rfind(std::string("PK\x05\x06", 4));
    if (end == std::string::npos) {
        throw std::runtime_error("zip: no end of central directory in " + path.string());
    }
    const std::uint32_t entries = le(data, end + 10, 2);
    std::size_t at = le(data, end + 16, 4);
    std::map<std::string, std::string> out;
    for (std::uint32_t i = 0; i < entries; ++i) {
        if (le(data, at, 4) != 0x02014b50) {
            throw std::runtime_error("zip: bad central directory entry");
        }
        const std::uint32_t method = le(data, at + 10, 2);
        const std::uint32_t compressed = le(data, at + 20, 4);
        const std::uint32_t size = le(data, at + 24, 4);
        const std::uint32_t name_length = le(data, at + 28, 2);
        const std::uint32_t extra_length = le(data, at + 30, 2);
        const std::uint32_t comment_length = le(data, at + 32, 2);
        const std::uint32_t local = le(data, at + 42, 4);
        const std::string name = data.substr(at + 46, name_length);
        const std::size_t start = local + 30 + le(data, local + 26, 2) + le(data, local + 28, 2);
        const std::string body = data.substr(start, compressed);
        if (method == 0) {
            out[name] = body;
        } else if (method == 8) {
            out[name] = inflate_raw(body, size);
        } else {
            throw std::runtime_error("zip: unsupported method for " + name);
        }
        at += 46 + name_length + extra_length + comment_length;
    }
    return out;
}

std::map<std::string, std::string> read_xlsx_cells(const std::filesystem::path& path) {
    const auto parts = read_zip(path);
    std::vector<std::string> shared;
    if (const auto it = parts.find("xl/sharedStrings.xml"); it != parts.end()) {
        pugi::xml_document strings;
        strings.load_string(it->second.c_str());
        for (const auto& si : strings.child("sst").children("si")) {
            shared.emplace_back(si.child("t").text().get());
        }
    }
    pugi::xml_document sheet;
    sheet.load_string(parts.at("xl/worksheets/sheet1.xml").c_str());
    std::map<std::string, std::string> cells;
    for (const auto& row : sheet.child("worksheet").child("sheetData").children("row")) {
        for (const auto& cell : row.children("c")) {
            const std::string type = cell.attribute("t").value();
            const std::string value = cell.child("v").text().get();
            if (type == "s") {
                cells[cell.attribute("r").value()] = shared.at(std::stoul(value));
            } else if (type == "inlineStr") {
                cells[cell.attribute("r").value()] = cell.child("is").child("t").text().get();
            } else {
                cells[cell.attribute("r").value()] = value;
            }
        }
    }
    return cells;
}

}  // namespace ledgerbot::testing
