#include "templates/template_partials.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace ledgerbot::templates {

namespace {

/// The names of the partial tags in `text`: `{{>name}}`, with spaces allowed before and after
/// the `>` and around the name, as mstch reads them. None of the templates change the
/// delimiters.
std::vector<std::string> partial_names(std::string_view text) {
    constexpr std::string_view kOpen = "{{";
    constexpr std::string_view kClose = "}}";
    constexpr std::string_view kSpace = " \t\r\n";
    std::vector<std::string> names;
    for (std::size_t at = text.find(kOpen); at != std::string_view::npos;
         at = text.find(kOpen, at)) {
        at += kOpen.size();
        const std::size_t type = text.find_first_not_of(kSpace, at);
        if (type == std::string_view::npos || text[type] != '>') {
            continue;
        }
        const std::size_t end = text.find(kClose, type);
        if (end == std::string_view::npos) {
            break;
        }
        std::string_view name = text.substr(type + 1, end - type - 1);
        name.remove_prefix(std::min(name.size(), name.find_first_not_of(kSpace)));
        name.remove_suffix(name.size() - std::min(name.size(), name.find_last_not_of(kSpace) + 1));
        names.emplace_back(name);
        at = end + kClose.size();
    }
    return names;
}

}  // namespace

std::map<std::string, std::string> partials_used(const std::string& text,
                                                 const TemplateTexts& all) {
    std::map<std::string, std::string> used;
    std::vector<std::string> to_read = partial_names(text);
    while (!to_read.empty()) {
        const std::string name = std::move(to_read.back());
        to_read.pop_back();
        const auto it = all.find(name);
        if (it == all.end() || used.count(name) > 0) {
            continue;
        }
        used.emplace(name, it->second);
        for (auto& nested : partial_names(it->second)) {
            to_read.push_back(std::move(nested));
        }
    }
    return used;
}

std::map<std::string, std::map<std::string, std::string>, std::less<>> partials_of_each(
    const TemplateTexts& all) {
    std::map<std::string, std::map<std::string, std::string>, std::less<>> out;
    for (const auto& [name, text] : all) {
        out.emplace(name, partials_used(text, all));
    }
    return out;
}

}  // namespace ledgerbot::templates
