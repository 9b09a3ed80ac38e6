#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "templates/template_partials.hpp"

namespace ledgerbot::templates {

/// Renders the web console's HTML pages from templates/console/*.mustache (mstch). Every string
/// value is HTML-escaped before it reaches mstch, so a company name or a note typed in chat
/// can never become markup, whichever tag form a template uses. (The chat renderer sets
/// mstch's own escaping off process-wide, so it cannot be relied on here.) The pages' partials
/// are the other console templates, by file name.
class PageRenderer {
public:
    PageRenderer();

    /// Throws std::out_of_range for an unknown page (a bug: names come from the code).
    std::string render(std::string_view page, const nlohmann::json& fields) const;
    /// An embedded static file (the stylesheet) by file name.
    std::optional<std::string_view> asset(std::string_view name) const;

private:
    TemplateTexts pages_;
    std::map<std::string, std::map<std::string, std::string>, std::less<>> partials_;
    std::map<std::string, std::string_view, std::less<>> assets_;
};

/// `text` with & < > " ' replaced by entities.
std::string html_escape(std::string_view text);

}  // namespace ledgerbot::templates
