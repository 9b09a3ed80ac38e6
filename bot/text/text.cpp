#include "bot/text/text.hpp"

#include <utf8proc.h>

#include <array>

namespace ledgerbot::bot::text {
namespace {

// Returns the code point at `pos` and advances past it. An invalid sequence decodes as U+FFFD
// and consumes its lead byte and the continuation bytes right after it, never a byte that can
// start a character.
char32_t next_code_point(std::string_view bytes, std::size_t& pos) {
    utf8proc_int32_t cp = 0;
    const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data()) + pos;
    const utf8proc_ssize_t length =
        utf8proc_iterate(data, static_cast<utf8proc_ssize_t>(bytes.size() - pos), &cp);
    if (length > 0) {
        pos += static_cast<std::size_t>(length);
        return static_cast<char32_t>(cp);
    }
    ++pos;
    while (pos < bytes.size() && (static_cast<unsigned char>(bytes[pos]) & 0xC0) == 0x80) {
        ++pos;
    }
    return U'\uFFFD';
}

utf8proc_category_t category(char32_t cp) {
    return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t length =
            utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(bytes.data()) + pos,
                             static_cast<utf8proc_ssize_t>(bytes.size() - pos), &cp);
        if (length <= 0) {
            return false;
        }
        pos += static_cast<std::size_t>(length);
    }
    return true;
}

std::u32string decode_utf8(std::string_view bytes) {
    std::u32string out;
    out.reserve(bytes.size());
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        out.push_back(next_code_point(bytes, pos));
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    std::array<utf8proc_uint8_t, 4> buffer{};
    const utf8proc_ssize_t length =
        utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer.data());
    out.append(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(length));
}

std::string encode_utf8(std::u32string_view cps) {
    std::string out;
    out.reserve(cps.size() * 3);
    for (char32_t cp : cps) {
        append_utf8(out, cp);
    }
    return out;
}

bool is_line_break(char32_t cp) {
    return cp == U'\n' || cp == U'\r' || cp == U'\u0085' || cp == U'\u2028' || cp == U'\u2029';
}

bool is_space(char32_t cp) {
    switch (category(cp)) {
        case UTF8PROC_CATEGORY_ZS:
        case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP:
            return true;
        default:
            return (cp >= U'\t' && cp <= U'\r') || cp == U'\u0085' || cp == U'\u200B' ||
                   cp == U'\uFEFF';
    }
}

bool is_inline_space(char32_t cp) {
    return is_space(cp) && !is_line_break(cp);
}

bool is_digit(char32_t cp) {
    return cp < 0x80 && category(cp) == UTF8PROC_CATEGORY_ND;
}

bool is_ascii_letter(char32_t cp) {
    const utf8proc_category_t c = category(cp);
    return cp < 0x80 && (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL);
}

bool is_han(char32_t cp) {
    return category(cp) == UTF8PROC_CATEGORY_LO &&
           utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp)) == 2;
}

bool is_punctuation(char32_t cp) {
    const utf8proc_category_t c = category(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_SO;
}

char32_t fold_width(char32_t cp) {
    if (cp < 0x80) {
        return cp;
    }
    if (is_space(cp) && cp != U'\u200B' && cp != U'\uFEFF' && !is_line_break(cp)) {
        return U' ';
    }
    // Input methods offer these as colons; NFKC leaves them alone.
    if (cp == U'\u2236' || cp == U'\uFE30') {
        return U':';
    }
    const utf8proc_property_t* property = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
    switch (property->decomp_type) {
        case UTF8PROC_DECOMP_TYPE_WIDE:
        case UTF8PROC_DECOMP_TYPE_SMALL:
        case UTF8PROC_DECOMP_TYPE_NOBREAK:
            break;
        default:
            return cp;
    }
    // Only a mapping to one code point keeps offsets aligned (NFKC maps a few to several).
    std::array<utf8proc_int32_t, 4> mapped{};
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    const utf8proc_ssize_t n = utf8proc_decompose_char(
        static_cast<utf8proc_int32_t>(cp), mapped.data(),
        static_cast<utf8proc_ssize_t>(mapped.size()),
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT), &boundclass);
    return n == 1 ? static_cast<char32_t>(mapped[0]) : cp;
}

std::u32string fold_width(std::u32string_view cps) {
    std::u32string out(cps);
    for (char32_t& cp : out) {
        cp = fold_width(cp);
    }
    return out;
}

std::string to_half_width(std::string_view text) {
    return encode_utf8(fold_width(decode_utf8(text)));
}

std::string trim(std::string_view text) {
    const std::u32string cps = decode_utf8(text);
    std::size_t begin = 0;
    std::size_t end = cps.size();
    while (begin < end && is_space(cps[begin])) {
        ++begin;
    }
    while (end > begin && is_space(cps[end - 1])) {
        --end;
    }
    return encode_utf8(std::u32string_view(cps).substr(begin, end - begin));
}

std::vector<std::string> split_any(std::string_view text, std::u32string_view separators) {
    std::vector<std::string> pieces;
    std::u32string current;
    auto flush = [&] {
        std::string piece = trim(encode_utf8(current));
        if (!piece.empty()) {
            pieces.push_back(std::move(piece));
        }
        current.clear();
    };
    for (char32_t cp : decode_utf8(text)) {
        if (separators.find(cp) != std::u32string_view::npos) {
            flush();
        } else {
            current.push_back(cp);
        }
    }
    flush();
    return pieces;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::u32string current;
    for (char32_t cp : decode_utf8(text)) {
        if (is_space(cp)) {
            if (!current.empty()) {
                words.push_back(encode_utf8(current));
                current.clear();
            }
        } else {
            current.push_back(cp);
        }
    }
    if (!current.empty()) {
        words.push_back(encode_utf8(current));
    }
    return words;
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.emplace_back(line);
        start = end + 1;
    }
    return lines;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 0x0F]);
    }
    return out;
}

}  // namespace ledgerbot::bot::text
