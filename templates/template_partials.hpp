#pragma once

#include <functional>
#include <map>
#include <string>

namespace ledgerbot::templates {

using TemplateTexts = std::map<std::string, std::string, std::less<>>;

/// The partials `text` includes (`{{> name}}`), and the ones those include, taken from `all`.
/// mstch::render parses every partial it is given on every call, so each template is rendered
/// with only what it uses: with all of them, rendering one notice parsed ~90 templates.
/// A name `all` lacks is left out, as mstch renders an unknown partial as empty anyway.
std::map<std::string, std::string> partials_used(const std::string& text, const TemplateTexts& all);

/// `partials_used` for each template of `all`, by name.
std::map<std::string, std::map<std::string, std::string>, std::less<>> partials_of_each(
    const TemplateTexts& all);

}  // namespace ledgerbot::templates
