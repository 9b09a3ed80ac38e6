#include "templates/mstch_node.hpp"

#include "templates/page_renderer.hpp"

namespace ledgerbot::templates {

mstch::node to_mstch_node(const nlohmann::json& value, bool html_escaped) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            mstch::map map;
            for (const auto& [key, item] : value.items()) {
                map.emplace(key, to_mstch_node(item, html_escaped));
            }
            return map;
        }
        case nlohmann::json::value_t::array: {
            mstch::array array;
            for (const auto& item : value) {
                array.push_back(to_mstch_node(item, html_escaped));
            }
            return array;
        }
        case nlohmann::json::value_t::string:
            return html_escaped ? html_escape(value.get<std::string>()) : value.get<std::string>();
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

}  // namespace ledgerbot::templates
