#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "templates/template_partials.hpp"

namespace ledgerbot::templates {

/// Renders notice texts from the *.mustache files embedded from templates/ (mstch). Plain-text
/// output: no HTML escaping, since the texts go to chat, not to a browser.
class Renderer {
public:
    Renderer();

    bool has(std::string_view template_id) const;
    /// Throws std::out_of_range for an unknown template id (a bug: ids come from the bot).
    std::string render(std::string_view template_id, const nlohmann::json& fields) const;

private:
    TemplateTexts templates_;
    std::map<std::string, std::map<std::string, std::string>, std::less<>> partials_;
};

}  // namespace ledgerbot::templates
