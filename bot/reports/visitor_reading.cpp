#include "bot/reports/visitor_reading.hpp"

#include <algorithm>
#include <map>

#include "bot/text/text.hpp"

namespace ledgerbot::bot::reports {
namespace {

using Text = std::u32string;

Text folded(std::string_view word) {
    return text::fold_width(text::decode_utf8(word));
}

// Whether a joining word ends right before `pos` or starts right at `end` (spaces between).
bool joined_at(const Text& body, std::size_t pos, std::size_t end,
               const std::vector<Text>& joiners) {
    std::size_t before = pos;
    while (before > 0 && text::is_space(body[before - 1])) {
        --before;
    }
    std::size_t after = end;
    while (after < body.size() && text::is_space(body[after])) {
        ++after;
    }
    return std::any_of(joiners.begin(), joiners.end(), [&](const Text& joiner) {
        const bool ends_before = before >= joiner.size() &&
                                 body.compare(before - joiner.size(), joiner.size(), joiner) == 0;
        const bool starts_after = body.compare(after, joiner.size(), joiner) == 0;
        return ends_before || starts_after;
    });
}

}  // namespace

std::vector<std::string> first_person_visitors(std::string_view message,
                                               const std::string& sender_name,
                                               const model::Directory& directory,
                                               const settings::ReportSettings& settings) {
    const Text body = folded(message);
    const bool first_person =
        std::any_of(settings.first_person_words.begin(), settings.first_person_words.end(),
                    [&](const std::string& word) { return body.find(folded(word)) != Text::npos; });
    if (!first_person || sender_name.empty()) {
        return {};
    }
    std::vector<Text> joiners;
    for (const std::string& joiner : settings.visitor_joiners) {
        joiners.push_back(folded(joiner));
    }
    // Colleagues in the order the text names them.
    std::map<std::size_t, std::string> found;
    for (const model::StaffMember& staff : directory.staff()) {
        const Text name = folded(staff.name);
        if (staff.name == sender_name || name.size() < 2) {
            continue;
        }
        for (std::size_t at = body.find(name); at != Text::npos; at = body.find(name, at + 1)) {
            if (joined_at(body, at, at + name.size(), joiners)) {
                found.emplace(at, staff.name);
                break;
            }
        }
    }
    std::vector<std::string> visitors{sender_name};
    for (const auto& [at, name] : found) {
        visitors.push_back(name);
    }
    return visitors;
}

}  // namespace ledgerbot::bot::reports
