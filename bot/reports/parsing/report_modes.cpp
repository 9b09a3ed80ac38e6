#include "bot/reports/parsing/report_modes.hpp"

namespace ledgerbot::bot::reports::parsing {
namespace {

// A keyword that names a number (联系电话, 电话：139…, 电话号码) or an appointment (电话预约) says
// nothing about how the visit was made.
bool keyword_not_a_mode(View f, std::size_t pos, View word, const Vocabulary& vocabulary) {
    for (const Text& phone_word : vocabulary.phone_words) {
        if (phone_word.size() <= word.size()) {
            continue;
        }
        const std::size_t offset = View(phone_word).find(word);
        if (offset != View::npos && pos >= offset &&
            sub(f, pos - offset, pos - offset + phone_word.size()) == View(phone_word)) {
            return true;
        }
    }
    std::size_t q = pos + word.size();
    if (starts_at(f, q, U"预约") || starts_at(f, q, U"约")) {
        return true;
    }
    while (q < f.size() && (is_space(f[q]) || f[q] == U':')) {
        ++q;
    }
    for (View filler : {View(U"号码"), View(U"是"), View(U"为")}) {
        if (starts_at(f, q, filler)) {
            q += filler.size();
            break;
        }
    }
    while (q < f.size() && is_space(f[q])) {
        ++q;
    }
    return q < f.size() &&
           (is_digit(f[q]) || (f[q] == U'+' && q + 1 < f.size() && is_digit(f[q + 1])));
}

std::optional<Hit> first_occurrence(View f, View word, const Vocabulary& vocabulary) {
    for (std::size_t pos = f.find(word); pos != View::npos; pos = f.find(word, pos + 1)) {
        if (!keyword_not_a_mode(f, pos, word, vocabulary)) {
            return Hit{pos, pos + word.size(), nullptr};
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<Hit> find_mode(View f, const Vocabulary& vocabulary) {
    std::optional<Hit> best;
    auto consider = [&](View word, const Vocabulary::Mode& mode) {
        if (auto hit = first_occurrence(f, word, vocabulary);
            hit && (!best || hit->begin < best->begin)) {
            best = Hit{hit->begin, hit->end, &mode};
        }
    };
    for (const auto& mode : vocabulary.modes) {
        if (!mode.name_text.empty()) {
            consider(mode.name_text, mode);
        }
    }
    if (best) {
        return best;
    }
    for (const auto& mode : vocabulary.modes) {
        for (const auto& keyword : mode.keywords) {
            consider(keyword, mode);
        }
    }
    return best;
}

std::optional<Hit> find_cue(View f, const Vocabulary& vocabulary) {
    std::optional<Hit> best = find_mode(f, vocabulary);
    for (const auto& cue : vocabulary.cues) {
        if (auto hit = first_occurrence(f, cue, vocabulary);
            hit && (!best || hit->begin < best->begin)) {
            best = hit;
        }
    }
    return best;
}

}  // namespace ledgerbot::bot::reports::parsing
