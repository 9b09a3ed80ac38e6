#include "bot/conventions/group_name_rule.hpp"

#include <algorithm>
#include <vector>

#include "bot/text/compact.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::bot::conventions {
namespace {

using text::compact;

// Quotes and brackets people put around the company (「示例科技」, “示例科技”, 【示例科技】), and
// separators between it and the suffix (示例科技-服务项目专属服务群). Full-width ASCII forms are
// already folded by compact().
constexpr std::u32string_view kDecoration = U"「」『』“”‘’\"'《》〈〉【】〔〕[]()<>-_·—–:|/";

std::string trimmed(std::u32string_view text) {
    return text::encode_utf8(text::trim_any(text, kDecoration));
}

// The company that `part` names exactly: as written first (a full name may end in a bracket),
// then without the decoration around it.
const model::Company* exact_company(std::u32string_view part, const model::Directory& directory) {
    if (const model::Company* company = directory.find_company(text::encode_utf8(part))) {
        return company;
    }
    const std::string bare = trimmed(part);
    return bare.empty() ? nullptr : directory.find_company(bare);
}

GroupNameVerdict near_miss(GroupNameProblem problem, const model::Company* company,
                           std::u32string_view company_text,
                           const settings::ConventionSettings& settings) {
    GroupNameVerdict verdict;
    verdict.kind = model::GroupKind::near_miss;
    verdict.what_is_wrong = problem;
    verdict.company_text = trimmed(company_text);
    if (company) {
        verdict.company = CompanyRef{company->id, company->full_name};
        verdict.expected_name = company->full_name + settings.group_name_suffix;
    }
    return verdict;
}

}  // namespace

std::string_view to_code(GroupNameProblem problem) {
    switch (problem) {
        case GroupNameProblem::none:
            return "none";
        case GroupNameProblem::company_missing:
            return "company_missing";
        case GroupNameProblem::company_not_listed:
            return "company_not_listed";
        case GroupNameProblem::wrong_suffix:
            return "wrong_suffix";
        case GroupNameProblem::extra_text:
            return "extra_text";
    }
    return "unknown";
}

GroupNameVerdict check_group_name(std::string_view name, const model::Directory& directory,
                                  const settings::ConventionSettings& settings) {
    const std::u32string folded = text::compact(name);
    const std::u32string suffix = text::compact(settings.group_name_suffix);
    if (folded.empty() || suffix.empty()) {
        return {};
    }

    // The configured suffix anywhere makes it a project group, right or wrong. The last
    // occurrence splits company from suffix (a company name never contains the suffix).
    if (const std::size_t at = folded.rfind(suffix); at != std::u32string::npos) {
        const std::u32string_view before = std::u32string_view(folded).substr(0, at);
        const std::u32string_view after = std::u32string_view(folded).substr(at + suffix.size());
        const bool trailing_text = !text::trim_any(after, kDecoration).empty();
        if (text::trim_any(before, kDecoration).empty()) {
            return near_miss(GroupNameProblem::company_missing, nullptr, before, settings);
        }
        if (const model::Company* company = exact_company(before, directory)) {
            if (trailing_text) {
                return near_miss(GroupNameProblem::extra_text, company, before, settings);
            }
            GroupNameVerdict verdict;
            verdict.kind = model::GroupKind::project;
            verdict.company = CompanyRef{company->id, company->full_name};
            verdict.company_text = trimmed(before);
            verdict.expected_name = company->full_name + settings.group_name_suffix;
            return verdict;
        }
        if (const model::Company* company =
                directory.find_company_in_text(text::encode_utf8(before))) {
            return near_miss(GroupNameProblem::extra_text, company, before, settings);
        }
        return near_miss(GroupNameProblem::company_not_listed, nullptr, before, settings);
    }

    // Without the suffix, only a listed company makes the name a project group's: plenty of
    // ordinary groups end in 服务群 or 项目群.
    std::vector<std::u32string> near_misses;
    for (const auto& entry : settings.near_miss_suffixes) {
        if (std::u32string folded_entry = text::compact(entry); !folded_entry.empty()) {
            near_misses.push_back(std::move(folded_entry));
        }
    }
    std::sort(near_misses.begin(), near_misses.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& near : near_misses) {
        if (!text::ends_with(folded, near)) {
            continue;
        }
        const std::u32string_view before =
            std::u32string_view(folded).substr(0, folded.size() - near.size());
        if (const model::Company* company = exact_company(before, directory)) {
            return near_miss(GroupNameProblem::wrong_suffix, company, before, settings);
        }
        if (const model::Company* company =
                directory.find_company_in_text(text::encode_utf8(before))) {
            return near_miss(GroupNameProblem::wrong_suffix, company, before, settings);
        }
        break;
    }

    const std::string whole = text::encode_utf8(folded);
    if (const model::Company* company = directory.find_company_in_text(whole)) {
        for (const auto& cue : settings.project_group_cues) {
            const std::u32string folded_cue = text::compact(cue);
            if (!folded_cue.empty() && folded.find(folded_cue) != std::u32string::npos) {
                return near_miss(GroupNameProblem::wrong_suffix, company, {}, settings);
            }
        }
    }
    return {};
}

}  // namespace ledgerbot::bot::conventions
