#include "bot/text.hpp"

namespace ledgerbot::bot::text {
namespace {

// Returns the code point at `pos` and advances it; invalid bytes decode as U+FFFD.
char32_t next_code_point(std::string_view bytes, std::size_t& pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    const unsigned char lead = byte(pos);
    std::size_t length = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
        ++pos;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        cp = lead & 0x07;
    } else {
        ++pos;
        return U'\uFFFD';
    }
    if (pos + length > bytes.size()) {
        // Truncated: consume the continuation bytes that are there, never what follows them.
        ++pos;
        while (pos < bytes.size() && (byte(pos) & 0xC0) == 0x80) {
            ++pos;
        }
        return U'\uFFFD';
    }
    for (std::size_t i = 1; i < length; ++i) {
        const unsigned char cont = byte(pos + i);
        if ((cont & 0xC0) != 0x80) {
            ++pos;
            return U'\uFFFD';
        }
        cp = (cp << 6) | (cont & 0x3F);
    }
    pos += length;
    return cp;
}

bool is_space(char32_t cp) {
    return cp == U' ' || cp == U'\t' || cp == U'\r' || cp == U'\n' || cp == U'\u3000' ||
           cp == U'\u00A0' || cp == U'\uFEFF';
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        std::size_t length = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            cp = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (i + length > bytes.size()) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto cont = static_cast<unsigned char>(bytes[i + k]);
            if ((cont & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (cont & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
        if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return false;
        }
        i += length;
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
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encode_utf8(std::u32string_view cps) {
    std::string out;
    out.reserve(cps.size() * 3);
    for (char32_t cp : cps) {
        append_utf8(out, cp);
    }
    return out;
}

std::string to_half_width(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        char32_t cp = next_code_point(text, pos);
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            cp = cp - 0xFF01 + 0x21;
        } else if (cp == 0x3000) {
            cp = U' ';
        }
        append_utf8(out, cp);
    }
    return out;
}

char32_t fold_width(char32_t cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        return cp - 0xFF01 + 0x21;
    }
    switch (cp) {
        case U'\u3000':
        case U'\u00A0':
            return U' ';
        case U'\u2236':  // RATIO, offered as a colon by some input methods
        case U'\uFE30':  // PRESENTATION FORM FOR VERTICAL TWO DOT LEADER
        case U'\uFE55':  // SMALL COLON
            return U':';
        default:
            return cp;
    }
}

std::u32string fold_width(std::u32string_view cps) {
    std::u32string out(cps);
    for (char32_t& cp : out) {
        cp = fold_width(cp);
    }
    return out;
}

std::string trim(std::string_view text) {
    std::u32string cps = decode_utf8(text);
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
