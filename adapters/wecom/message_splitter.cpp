#include "adapters/wecom/message_splitter.hpp"

namespace ledgerbot::adapters::wecom {
namespace {

bool is_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::vector<std::string> split_message(std::string_view content, std::size_t max_bytes) {
    std::vector<std::string> parts;
    if (max_bytes == 0) {
        return parts;
    }
    while (!content.empty()) {
        if (content.size() <= max_bytes) {
            parts.emplace_back(content);
            break;
        }
        // A line break in the window's second half keeps lines (and markdown blocks) whole
        // without producing short parts, each of which costs one of the robot's 20 per minute.
        const std::size_t newline = content.rfind('\n', max_bytes);
        if (newline != std::string_view::npos && newline >= max_bytes / 2 && newline > 0) {
            std::size_t end = newline;
            if (content[end - 1] == '\r') {
                --end;
            }
            parts.emplace_back(content.substr(0, end));
            content.remove_prefix(newline + 1);
            continue;
        }
        // Back off to the first byte of a character; at most three continuation bytes follow a
        // lead byte, so more means malformed input, which is cut where it stands.
        std::size_t cut = max_bytes;
        while (cut > 0 && max_bytes - cut < 4 && is_continuation(content[cut])) {
            --cut;
        }
        if (cut == 0 || max_bytes - cut >= 4) {
            cut = max_bytes;
        }
        parts.emplace_back(content.substr(0, cut));
        content.remove_prefix(cut);
    }
    return parts;
}

}  // namespace ledgerbot::adapters::wecom
