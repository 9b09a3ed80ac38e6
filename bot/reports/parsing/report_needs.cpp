#include "bot/reports/parsing/report_needs.hpp"

#include <algorithm>

namespace ledgerbot::bot::reports::parsing {
namespace {

// The item number of a marker at `pos` when it is `expected` (1、 2. 3) (4) ⑤), else 0 length.
std::size_t numbered_marker(View f, std::size_t pos, int expected) {
    auto at = [&](std::size_t i) { return i < f.size() ? f[i] : U'\0'; };
    if (pos > 0 && (is_digit(f[pos - 1]) || f[pos - 1] == U'.')) {
        return 0;
    }
    if (at(pos) == static_cast<char32_t>(U'\u2460' + expected - 1) && expected <= 20) {
        return 1;
    }
    const Text number = text::decode_utf8(std::to_string(expected));
    std::size_t q = pos;
    const bool bracketed = at(q) == U'(';
    if (bracketed) {
        ++q;
    }
    if (!starts_at(f, q, number)) {
        return 0;
    }
    q += number.size();
    if (bracketed) {
        return at(q) == U')' ? q + 1 - pos : 0;
    }
    if (contains(U"、.)", at(q)) && !is_digit(at(q + 1))) {
        return q + 1 - pos;
    }
    return 0;
}

bool has_any(View text, const std::vector<Text>& words) {
    return std::any_of(words.begin(), words.end(),
                       [&](const Text& word) { return text.find(word) != View::npos; });
}

}  // namespace

bool means_none(View value) {
    const Range r = trim_range(value, {0, value.size()}, true);
    const View v = sub(value, r.first, r.second);
    for (View none : {View(U"无"), View(U"暂无"), View(U"没有"), View(U"暂时没有"), View(U"无需求"),
                      View(U"暂无需求"), View(U"暂无明确需求"), View(U"无明确需求"),
                      View(U"不需要"), View(U"暂不需要"), View(U"-"), View(U"/")}) {
        if (v == none) {
            return true;
        }
    }
    return v.empty();
}

std::vector<std::string> split_demands(View original, View folded) {
    if (means_none(folded)) {
        return {};
    }
    std::vector<std::string> out;
    std::size_t start = 0;
    int expected = 1;
    // 股改、上市辅导: short items listed with 、 are items too; 对接银行、担保机构等多家机构 is
    // one.
    constexpr std::size_t kShortItem = 6;
    auto add = [&](std::size_t b, std::size_t e) {
        const Range r = trim_range(folded, {b, e}, true);
        if (r.first < r.second && !means_none(sub(folded, r.first, r.second))) {
            out.push_back(utf8(sub(original, r.first, r.second)));
        }
    };
    auto cut = [&](std::size_t end) {
        std::vector<std::size_t> marks;
        for (std::size_t i = start; i < end; ++i) {
            // 3、 is an item number, not a list of short items.
            if (folded[i] == U'、' && (i == 0 || !is_digit(folded[i - 1]))) {
                marks.push_back(i);
            }
        }
        bool short_items = !marks.empty();
        std::size_t from = start;
        for (std::size_t i = 0; i <= marks.size() && short_items; ++i) {
            const std::size_t to = i < marks.size() ? marks[i] : end;
            const Range r = trim_range(folded, {from, to}, true);
            short_items = r.second - r.first >= 1 && r.second - r.first <= kShortItem;
            from = to + 1;
        }
        if (!short_items) {
            add(start, end);
            return;
        }
        from = start;
        for (std::size_t mark : marks) {
            add(from, mark);
            from = mark + 1;
        }
        add(from, end);
    };
    for (std::size_t i = 0; i < folded.size();) {
        if (folded[i] == U'\n' || folded[i] == U';') {
            cut(i);
            start = ++i;
            continue;
        }
        if (const std::size_t length = numbered_marker(folded, i, expected)) {
            cut(i);
            ++expected;
            i += length;
            start = i;
            continue;
        }
        ++i;
    }
    cut(folded.size());
    return out;
}

std::vector<std::string> needs_in_clauses(View f, const std::vector<Clause>& clauses,
                                          const Vocabulary& vocabulary) {
    std::vector<const Vocabulary::Need*> found;
    for (const Clause& clause : clauses) {
        const View text = sub(f, clause.range.first, clause.range.second);
        const bool stated = clause.feedback || has_any(text, vocabulary.need_cues);
        if (!stated) {
            continue;
        }
        for (std::size_t pos = 0; pos < text.size();) {
            const Vocabulary::Need* best = nullptr;
            std::size_t best_size = 0;
            for (const auto& need : vocabulary.needs) {
                for (const Text& phrase : need.phrases) {  // longest first
                    if (phrase.size() > best_size && starts_at(text, pos, phrase)) {
                        best = &need;
                        best_size = phrase.size();
                        break;
                    }
                }
            }
            if (best == nullptr) {
                ++pos;
                continue;
            }
            if (!has_any(text.substr(0, pos), vocabulary.need_negations) &&
                std::find(found.begin(), found.end(), best) == found.end()) {
                found.push_back(best);
            }
            pos += best_size;
        }
    }
    std::vector<std::string> out;
    for (const auto* need : found) {
        const bool redundant = std::any_of(found.begin(), found.end(), [&](const auto* other) {
            return std::find(need->unless.begin(), need->unless.end(), other->type) !=
                   need->unless.end();
        });
        if (!redundant) {
            out.push_back(need->type);
        }
    }
    return out;
}

}  // namespace ledgerbot::bot::reports::parsing
