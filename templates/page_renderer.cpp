#include "templates/page_renderer.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <mstch/mstch.hpp>

namespace ledgerbot::templates {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_pages();

namespace {

constexpr std::string_view kSuffix = ".mustache";

mstch::node to_escaped_node(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            mstch::map map;
            for (const auto& [key, item] : value.items()) {
                map.emplace(key, to_escaped_node(item));
            }
            return map;
        }
        case nlohmann::json::value_t::array: {
            mstch::array array;
            for (const auto& item : value) {
                array.push_back(to_escaped_node(item));
            }
            return array;
        }
        case nlohmann::json::value_t::string:
            return html_escape(value.get<std::string>());
        case nlohmann::json::value_t::boolean:
            return value.get<bool>();
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
            return std::to_string(value.get<std::int64_t>());
        case nlohmann::json::value_t::number_float:
            return value.dump();
        default:
            return std::string{};
    }
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

PageRenderer::PageRenderer() {
    for (const auto& [file, contents] : embedded_pages()) {
        if (file.size() > kSuffix.size() && file.substr(file.size() - kSuffix.size()) == kSuffix) {
            pages_.emplace(std::string(file.substr(0, file.size() - kSuffix.size())),
                           std::string(contents));
        } else {
            assets_.emplace(std::string(file), contents);
        }
    }
}

std::string PageRenderer::render(std::string_view page, const nlohmann::json& fields) const {
    const auto it = pages_.find(page);
    if (it == pages_.end()) {
        throw std::out_of_range("no console page named " + std::string(page));
    }
    const std::map<std::string, std::string> partials(pages_.begin(), pages_.end());
    return mstch::render(it->second, to_escaped_node(fields), partials);
}

std::optional<std::string_view> PageRenderer::asset(std::string_view name) const {
    const auto it = assets_.find(name);
    if (it == assets_.end()) {
        return std::nullopt;
    }
    return it->second;
}

}  // namespace ledgerbot::templates
