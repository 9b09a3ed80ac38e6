#include "templates/page_renderer.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <mstch/mstch.hpp>

#include "templates/mstch_node.hpp"

namespace ledgerbot::templates {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_pages();

namespace {

constexpr std::string_view kPageSuffix = ".mustache";

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
        if (file.size() > kPageSuffix.size() &&
            file.substr(file.size() - kPageSuffix.size()) == kPageSuffix) {
            pages_.emplace(std::string(file.substr(0, file.size() - kPageSuffix.size())),
                           std::string(contents));
        } else {
            assets_.emplace(std::string(file), contents);
        }
    }
    partials_ = partials_of_each(pages_);
}

std::string PageRenderer::render(std::string_view page, const nlohmann::json& fields) const {
    const auto it = pages_.find(page);
    if (it == pages_.end()) {
        throw std::out_of_range("no console page named " + std::string(page));
    }
    return mstch::render(it->second, to_mstch_node(fields, true), partials_.find(page)->second);
}

std::optional<std::string_view> PageRenderer::asset(std::string_view name) const {
    const auto it = assets_.find(name);
    if (it == assets_.end()) {
        return std::nullopt;
    }
    return it->second;
}

}  // namespace ledgerbot::templates
