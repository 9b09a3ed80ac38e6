#include "templates/renderer.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <mstch/mstch.hpp>

#include "templates/mstch_node.hpp"

namespace ledgerbot::templates {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_templates();

namespace {

constexpr std::string_view kSuffix = ".mustache";

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
    partials_ = partials_of_each(templates_);
}

bool Renderer::has(std::string_view template_id) const {
    return templates_.find(template_id) != templates_.end();
}

std::string Renderer::render(std::string_view template_id, const nlohmann::json& fields) const {
    auto it = templates_.find(template_id);
    if (it == templates_.end()) {
        throw std::out_of_range("no template named " + std::string(template_id));
    }
    std::string out = mstch::render(it->second, to_mstch_node(fields, false),
                                    partials_.find(template_id)->second);
    // Templates end with a newline for editors; chat messages should not.
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
        out.pop_back();
    }
    return out;
}

}  // namespace ledgerbot::templates
