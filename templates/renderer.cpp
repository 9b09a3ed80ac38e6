#include "templates/renderer.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <mstch/mstch.hpp>

namespace ledgerbot::templates {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_templates();

namespace {

constexpr std::string_view kSuffix = ".mustache";

mstch::node to_node(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            mstch::map map;
            for (const auto& [key, item] : value.items()) {
                map.emplace(key, to_node(item));
            }
            return map;
        }
        case nlohmann::json::value_t::array: {
            mstch::array array;
            for (const auto& item : value) {
                array.push_back(to_node(item));
            }
            return array;
        }
        case nlohmann::json::value_t::string:
            return value.get<std::string>();
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

Renderer::Renderer() {
    // Chat platforms show text as is; HTML escaping would turn 《》 & into entities.
    mstch::config::escape = [](const std::string& text) { return text; };
    for (const auto& [file, contents] : embedded_templates()) {
        if (file.size() > kSuffix.size() && file.substr(file.size() - kSuffix.size()) == kSuffix) {
            templates_.emplace(std::string(file.substr(0, file.size() - kSuffix.size())),
                               std::string(contents));
        }
    }
}

bool Renderer::has(std::string_view template_id) const {
    return templates_.find(template_id) != templates_.end();
}

std::string Renderer::render(std::string_view template_id, const nlohmann::json& fields) const {
    auto it = templates_.find(template_id);
    if (it == templates_.end()) {
        throw std::out_of_range("no template named " + std::string(template_id));
    }
    std::map<std::string, std::string> partials;
    for (const auto& [name, text] : templates_) {
        partials.emplace(name, text);
    }
    std::string out = mstch::render(it->second, to_node(fields), partials);
    // Templates end with a newline for editors; chat messages should not.
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
        out.pop_back();
    }
    return out;
}

}  // namespace ledgerbot::templates
