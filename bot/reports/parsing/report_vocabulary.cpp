#include "bot/reports/parsing/report_vocabulary.hpp"

#include <algorithm>
#include <optional>

namespace ledgerbot::bot::reports::parsing {

Text prepared_word(std::string_view word) {
    return compact(text::fold_width(text::decode_utf8(word)));
}

namespace {

std::vector<Text> prepared_words(const std::vector<std::string>& words) {
    std::vector<Text> out;
    for (const auto& word : words) {
        if (auto w = prepared_word(word); !w.empty()) {
            out.push_back(std::move(w));
        }
    }
    return out;
}

void longest_first(std::vector<Text>& words) {
    std::stable_sort(words.begin(), words.end(),
                     [](const Text& a, const Text& b) { return a.size() > b.size(); });
}

}  // namespace

Vocabulary::Vocabulary(const settings::ReportSettings& settings) {
    for (const auto& field : settings.fields) {
        std::vector<Text> words{prepared_word(field.label)};
        for (const auto& alias : field.aliases) {
            words.push_back(prepared_word(alias));
        }
        for (auto& word : words) {
            if (word.empty()) {
                continue;
            }
            if (field.field == model::VisitField::phone) {
                phone_words.push_back(word);
            }
            labels.push_back({std::move(word), field.field});
        }
    }
    std::stable_sort(labels.begin(), labels.end(),
                     [](const Label& a, const Label& b) { return a.text.size() > b.text.size(); });
    longest_first(phone_words);
    headers = prepared_words(settings.headers);
    for (const auto& mode : settings.modes) {
        modes.push_back({mode.name, prepared_word(mode.name), prepared_words(mode.keywords)});
    }
    cues = prepared_words(settings.visit_cues);
    remark_words = prepared_words(settings.remark_words);
    placeholders = prepared_words(settings.placeholders);
    first_person_words = prepared_words(settings.first_person_words);
    visitor_joiners = prepared_words(settings.visitor_joiners);
    for (const auto& need : settings.needs) {
        Need prepared{need.type, prepared_words(need.phrases), need.unless};
        longest_first(prepared.phrases);
        needs.push_back(std::move(prepared));
    }
    need_cues = prepared_words(settings.need_cues);
    need_negations = prepared_words(settings.need_negations);
    company_subjects = prepared_words(settings.company_subjects);
    our_subjects = prepared_words(settings.our_subjects);
    speech_verbs = prepared_words(settings.speech_verbs);
    sentence_openers = prepared_words(settings.sentence_openers);
    for (auto* words : {&company_subjects, &our_subjects, &speech_verbs, &sentence_openers,
                        &first_person_words}) {
        longest_first(*words);
    }
}

const Vocabulary& vocabulary_for(const settings::ReportSettings& settings) {
    struct Cached {
        settings::ReportSettings settings;
        Vocabulary vocabulary;
    };
    thread_local std::optional<Cached> cached;
    if (!cached || !(cached->settings == settings)) {
        cached.reset();
        cached.emplace(Cached{settings, Vocabulary(settings)});
    }
    return cached->vocabulary;
}

bool Vocabulary::is_placeholder(View value) const {
    Range r = trim_range(value, {0, value.size()}, true);
    // (待补充) in brackets, as forms often show it.
    if (r.second - r.first >= 2 && value[r.first] == U'(' && value[r.second - 1] == U')') {
        r = trim_range(value, {r.first + 1, r.second - 1}, true);
    }
    if (r.first >= r.second) {
        return true;  // punctuation only
    }
    const Text word = compact(sub(value, r.first, r.second));
    return std::find(placeholders.begin(), placeholders.end(), word) != placeholders.end();
}

const Vocabulary::Label* Vocabulary::exact(View word) const {
    for (const auto& label : labels) {
        if (label.text == word) {
            return &label;
        }
    }
    return nullptr;
}

namespace {

// Same length, at least 4 characters, exactly one character different.
bool one_off(View a, View b) {
    if (a.size() != b.size() || a.size() < 4) {
        return false;
    }
    std::size_t different = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        different += a[i] != b[i] ? 1 : 0;
    }
    return different == 1;
}

}  // namespace

const Vocabulary::Label* Vocabulary::near(View word) const {
    if (const Label* label = exact(word)) {
        return label;
    }
    const Label* found = nullptr;
    for (const auto& label : labels) {
        if (one_off(label.text, word)) {
            if (found != nullptr && found->field != label.field) {
                return nullptr;  // 走访时长 is as near 走访时间 as … : ambiguous, not a label
            }
            found = &label;
        }
    }
    return found;
}

bool Vocabulary::is_header(View word) const {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const Text& header) { return header == word || one_off(header, word); });
}

}  // namespace ledgerbot::bot::reports::parsing
