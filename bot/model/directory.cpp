#include "bot/model/directory.hpp"

#include <algorithm>

#include "bot/text/text.hpp"

namespace ledgerbot::bot::model {

bool StaffMember::has_title(std::string_view title) const {
    return std::find(titles.begin(), titles.end(), title) != titles.end();
}

namespace {

// Bytes of the UTF-8 sequence a lead byte starts; 1 for anything else, so a scan always moves.
std::size_t utf8_length(char lead) {
    const auto byte = static_cast<unsigned char>(lead);
    if (byte >= 0xF0) {
        return 4;
    }
    if (byte >= 0xE0) {
        return 3;
    }
    return byte >= 0xC0 ? 2 : 1;
}

}  // namespace

std::string normalize_name(std::string_view name) {
    std::string out;
    for (char32_t cp : text::decode_utf8(text::to_half_width(name))) {
        if (text::is_space(cp) || cp == U'·' || cp == U'-' || cp == U'_' || cp == U'"' ||
            cp == U'\'' || cp == U'“' || cp == U'”') {
            continue;
        }
        if (cp >= U'A' && cp <= U'Z') {
            cp = cp - U'A' + U'a';
        }
        // Half-width brackets after to_half_width; companies write （） and () interchangeably.
        text::append_utf8(out, cp);
    }
    return out;
}

Directory::Directory(std::vector<Company> companies, std::vector<StaffMember> staff,
                     std::vector<StaffMember> former_staff)
    : companies_(std::move(companies)),
      staff_(std::move(staff)),
      former_staff_(std::move(former_staff)) {
    for (std::size_t i = 0; i < companies_.size(); ++i) {
        company_by_id_.emplace(companies_[i].id, i);
        company_by_name_.emplace(normalize_name(companies_[i].full_name), i);
        for (const auto& short_name : companies_[i].short_names) {
            company_by_name_.emplace(normalize_name(short_name), i);
        }
    }
    for (const auto& [name, index] : company_by_name_) {
        if (!name.empty()) {
            names_by_first_char_[name.substr(0, utf8_length(name[0]))].emplace_back(name, index);
        }
    }
    for (std::size_t i = 0; i < staff_.size(); ++i) {
        staff_by_id_.emplace(staff_[i].id, i);
        staff_by_name_.emplace(normalize_name(staff_[i].name), i);
        if (!staff_[i].wechat_id.empty()) {
            staff_by_wechat_id_.emplace(staff_[i].wechat_id, i);
        }
    }
}

const Company* Directory::find_company(std::string_view name) const {
    auto it = company_by_name_.find(normalize_name(name));
    return it == company_by_name_.end() ? nullptr : &companies_[it->second];
}

const Company* Directory::find_company_in_text(std::string_view text) const {
    const std::string haystack = normalize_name(text);
    const Company* best = nullptr;
    std::size_t best_length = 0;
    // The longest name wins; between names of one length, the one that comes first.
    for (std::size_t at = 0; at < haystack.size();) {
        const std::size_t length = utf8_length(haystack[at]);
        const auto candidates = names_by_first_char_.find(haystack.substr(at, length));
        if (candidates != names_by_first_char_.end()) {
            for (const auto& [name, index] : candidates->second) {
                if (name.size() > best_length && haystack.compare(at, name.size(), name) == 0) {
                    best = &companies_[index];
                    best_length = name.size();
                }
            }
        }
        at += length;
    }
    return best;
}

const Company* Directory::find_company_by_id(std::int64_t id) const {
    auto it = company_by_id_.find(id);
    return it == company_by_id_.end() ? nullptr : &companies_[it->second];
}

const StaffMember* Directory::find_staff(std::string_view id) const {
    auto it = staff_by_id_.find(std::string(id));
    return it == staff_by_id_.end() ? nullptr : &staff_[it->second];
}

const StaffMember* Directory::find_staff_by_name(std::string_view name) const {
    auto it = staff_by_name_.find(normalize_name(name));
    return it == staff_by_name_.end() ? nullptr : &staff_[it->second];
}

const StaffMember* Directory::find_staff_by_wechat_id(std::string_view wechat_id) const {
    auto it = staff_by_wechat_id_.find(std::string(wechat_id));
    return it == staff_by_wechat_id_.end() ? nullptr : &staff_[it->second];
}

const StaffMember* Directory::find_person(std::string_view id) const {
    if (const StaffMember* active = find_staff(id)) {
        return active;
    }
    const auto it = std::find_if(former_staff_.begin(), former_staff_.end(),
                                 [&](const StaffMember& member) { return member.id == id; });
    return it == former_staff_.end() ? nullptr : &*it;
}

const StaffMember* Directory::find_person_by_name(std::string_view name) const {
    if (const StaffMember* active = find_staff_by_name(name)) {
        return active;
    }
    const std::string wanted = normalize_name(name);
    const auto it = std::find_if(
        former_staff_.begin(), former_staff_.end(),
        [&](const StaffMember& member) { return normalize_name(member.name) == wanted; });
    return it == former_staff_.end() ? nullptr : &*it;
}

}  // namespace ledgerbot::bot::model
