#include "bot/reports/parsing/report_phones.hpp"

#include <algorithm>
#include <vector>

namespace ledgerbot::bot::reports::parsing {
namespace {

using text::phone_number::Candidate;

bool is_mobile(const Candidate& c) {
    return c.valid && c.valid->front() == '1';
}

// The contact's mobile is the 联系电话 when a landline (the company's switchboard) is given too;
// otherwise the first valid number.
const Candidate* first_valid(const std::vector<Candidate>& candidates) {
    const Candidate* first = nullptr;
    for (const auto& c : candidates) {
        if (is_mobile(c)) {
            return &c;
        }
        if (c.valid && first == nullptr) {
            first = &c;
        }
    }
    return first;
}

// The landline beside a chosen mobile.
std::optional<std::string> landline_beside(const std::vector<Candidate>& candidates,
                                           const Candidate& chosen) {
    if (!is_mobile(chosen)) {
        return std::nullopt;
    }
    for (const auto& c : candidates) {
        if (c.valid && !is_mobile(c)) {
            return *c.valid;
        }
    }
    return std::nullopt;
}

bool preceded_by_phone_word(View f, std::size_t pos, const Vocabulary& vocabulary) {
    std::size_t p = pos;
    while (p > 0 && pos - p < 3 && (is_space(f[p - 1]) || f[p - 1] == U':')) {
        --p;
    }
    const View head = sub(f, 0, p);
    return std::any_of(vocabulary.phone_words.begin(), vocabulary.phone_words.end(),
                       [&](const Text& word) { return head.ends_with(word); });
}

}  // namespace

PhoneReading read_phones(const PhoneSources& sources, const Vocabulary& vocabulary) {
    PhoneReading out;
    auto take = [&](const std::vector<Candidate>& candidates, const Candidate& chosen) {
        out.phone = *chosen.valid;
        out.landline = landline_beside(candidates, chosen);
    };
    const auto contact_phones = text::phone_number::scan(sources.contact_folded);
    if (sources.phone_labelled) {
        auto candidates = text::phone_number::scan(sources.phone_folded);
        if (first_valid(candidates) != nullptr) {
            // 联系电话：0951-5012345 with 联系人：王总 139…: both kept, the mobile first.
            candidates.insert(candidates.end(), contact_phones.begin(), contact_phones.end());
            take(candidates, *first_valid(candidates));
        } else {
            out.invalid = sources.phone_original;
        }
        return out;
    }
    if (const Candidate* valid = first_valid(contact_phones)) {
        take(contact_phones, *valid);
        return out;
    }
    const auto candidates = text::phone_number::scan(sources.narrative_folded);
    if (const Candidate* found = first_valid(candidates)) {
        take(candidates, *found);
        out.inferred = true;
        return out;
    }
    if (!contact_phones.empty()) {
        const auto& bad = contact_phones.front();
        out.invalid = Text(sub(sources.contact_original, bad.begin, bad.end));
        return out;
    }
    // Only numbers written where a phone is expected are reported: 电话139123456 or an
    // 11-digit-ish number starting with 1 (a mobile with a digit missing).
    for (const auto& c : candidates) {
        const bool mobile_like =
            (c.digits.size() == 10 || c.digits.size() == 12) && c.digits[0] == '1';
        if (mobile_like || preceded_by_phone_word(sources.narrative_folded, c.begin, vocabulary)) {
            out.invalid = Text(sub(sources.narrative_original, c.begin, c.end));
            break;
        }
    }
    return out;
}

}  // namespace ledgerbot::bot::reports::parsing
