#include "adapters/wecom/envelope.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <utility>

#include "adapters/ingest_error.hpp"

namespace ledgerbot::adapters::wecom {
namespace {

std::optional<int> hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return std::nullopt;
}

}  // namespace

outcome::result<std::string, std::error_code> encrypt_from_xml(std::string_view body) {
    pugi::xml_document doc;
    // parse_default neither loads DTDs nor expands external entities, so no XXE.
    const pugi::xml_parse_result parsed =
        doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        return make_error_code(IngestError::invalid_xml);
    }
    // All text pieces are joined because a writer may split CDATA (pugixml itself does around
    // "]]>"); whitespace-only text next to a CDATA is dropped by parse_default.
    std::string encrypt;
    for (const pugi::xml_node piece : doc.child("xml").child("Encrypt").children()) {
        if (piece.type() == pugi::node_pcdata || piece.type() == pugi::node_cdata) {
            encrypt += piece.value();
        }
    }
    if (encrypt.empty()) {
        return make_error_code(IngestError::missing_encrypt);
    }
    return encrypt;
}

outcome::result<std::string, std::error_code> encrypt_from_json(std::string_view body) {
    const nlohmann::json doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_discarded()) {
        return make_error_code(IngestError::invalid_json);
    }
    if (!doc.is_object()) {
        return make_error_code(IngestError::missing_encrypt);
    }
    const auto it = doc.find("encrypt");
    if (it == doc.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        return make_error_code(IngestError::missing_encrypt);
    }
    return it->get<std::string>();
}

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const auto high = hex_value(text[i + 1]);
            const auto low = hex_value(text[i + 2]);
            if (high && low) {
                out.push_back(static_cast<char>(*high * 16 + *low));
                i += 2;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

outcome::result<CallbackQuery, std::error_code> parse_callback_query(std::string_view target) {
    std::optional<std::string> msg_signature;
    std::optional<std::string> timestamp;
    std::optional<std::string> nonce;
    std::optional<std::string> echostr;

    const std::size_t question = target.find('?');
    std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);

        const std::size_t eq = pair.find('=');
        const std::string key = percent_decode(pair.substr(0, eq));
        const std::string_view raw_value =
            eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        std::optional<std::string>* slot = nullptr;
        if (key == "msg_signature") {
            slot = &msg_signature;
        } else if (key == "timestamp") {
            slot = &timestamp;
        } else if (key == "nonce") {
            slot = &nonce;
        } else if (key == "echostr") {
            slot = &echostr;
        }
        if (slot != nullptr && !slot->has_value()) {
            *slot = percent_decode(raw_value);
        }
    }

    const auto present = [](const std::optional<std::string>& value) {
        return value.has_value() && !value->empty();
    };
    if (!present(msg_signature) || !present(timestamp) || !present(nonce)) {
        return make_error_code(IngestError::missing_signature);
    }
    return CallbackQuery{
        .msg_signature = std::move(*msg_signature),
        .timestamp = std::move(*timestamp),
        .nonce = std::move(*nonce),
        .echostr = echostr.value_or(std::string()),
    };
}

}  // namespace ledgerbot::adapters::wecom
