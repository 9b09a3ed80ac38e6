#include "bot/reports/parsing/report_sentences.hpp"

#include <algorithm>

#include "bot/reports/parsing/report_people.hpp"

namespace ledgerbot::bot::reports::parsing {
namespace {

// The longest of `words` starting at `pos`, or 0.
std::size_t word_at(View f, std::size_t pos, const std::vector<Text>& words) {
    for (const Text& word : words) {  // longest first
        if (starts_at(f, pos, word)) {
            return word.size();
        }
    }
    return 0;
}

bool ends_sentence(char32_t c) {
    return contains(U"。.!?;", c);
}

bool ends_clause(char32_t c) {
    return c == U',';
}

// Voice input (语音转文字) and quick typing leave spaces where a comma would be: 现场看了下产线
// 陈总说明年打算上市. A space between two Chinese characters ends a clause.
bool spoken_pause(View f, std::size_t i, std::size_t b, std::size_t e) {
    if (!is_space(f[i]) || i == b) {
        return false;
    }
    std::size_t next = i;
    while (next < e && is_space(f[next])) {
        ++next;
    }
    return next < e && is_han(f[i - 1]) && is_han(f[next]);
}

// Who opens a clause: the company side, us (or a field of the report), or nobody new.
enum class Speaker { none, company, ours };

// Who a clause opens with: after openers (但, 另外), our subject or a company-side subject that
// a speech verb follows within a few characters.
Speaker speaker_of(View f, Range clause, const Vocabulary& vocabulary,
                   const std::vector<Text>& company_names) {
    constexpr std::size_t kVerbWithin = 6;
    std::size_t pos = trim_range(f, clause, true).first;
    for (std::size_t n; (n = word_at(f, pos, vocabulary.sentence_openers)) != 0;) {
        pos += n;
        while (pos < clause.second && is_blank(f[pos])) {
            ++pos;
        }
    }
    const View c = sub(f, 0, clause.second);
    if (word_at(c, pos, vocabulary.our_subjects) != 0) {
        return Speaker::ours;
    }
    // 联系电话13912345678 after 王总说…: a field of the report, not what the company said.
    std::size_t subject = word_at(c, pos, vocabulary.company_subjects);
    if (subject == 0 &&
        std::any_of(vocabulary.labels.begin(), vocabulary.labels.end(),
                    [&](const auto& label) { return starts_at(c, pos, label.text); })) {
        return Speaker::ours;
    }
    if (subject == 0) {
        subject = surname_title_at(c, pos);
    }
    if (subject == 0) {
        subject = word_at(c, pos, company_names);
    }
    if (subject == 0) {
        return Speaker::none;
    }
    const std::size_t from = pos + subject;
    for (std::size_t at = from; at <= from + kVerbWithin && at < clause.second; ++at) {
        if (word_at(c, at, vocabulary.speech_verbs) != 0) {
            return Speaker::company;
        }
    }
    return Speaker::none;
}

}  // namespace

std::vector<Clause> read_clauses(View f, const std::vector<Range>& ranges,
                                 const Vocabulary& vocabulary,
                                 const std::vector<Text>& company_names) {
    std::vector<Clause> out;
    std::size_t sentence = 0;
    for (const auto& [b, e] : ranges) {
        bool feedback = false;  // the sentence's feedback run
        std::size_t start = b;
        for (std::size_t i = b; i <= e; ++i) {
            const bool end = i == e || f[i] == U'\n';
            const bool sentence_end = end || ends_sentence(f[i]);
            if (!sentence_end && !ends_clause(f[i]) && !spoken_pause(f, i, b, e)) {
                continue;
            }
            // 1.5亿 and 3.2%: a dot between digits ends nothing.
            if (!end && f[i] == U'.' && i > b && is_digit(f[i - 1]) && i + 1 < e &&
                is_digit(f[i + 1])) {
                continue;
            }
            const Range clause = trim_range(f, {start, i}, false);
            if (clause.first < clause.second) {
                const Speaker speaker = speaker_of(f, clause, vocabulary, company_names);
                if (speaker == Speaker::company) {
                    feedback = true;
                } else if (speaker == Speaker::ours) {
                    feedback = false;
                }
                const std::size_t span_end = i < e && f[i] != U'\n' ? i + 1 : clause.second;
                out.push_back({clause, {clause.first, span_end}, sentence, feedback});
            }
            start = i + 1;
            if (sentence_end) {
                feedback = false;
                ++sentence;
            }
        }
    }
    return out;
}

Text join_pieces(View original, View folded, const std::vector<Range>& ranges) {
    Text out;
    std::size_t previous_end = 0;
    for (const auto& range : ranges) {
        if (const Range words = trim_range(folded, range, true); words.first >= words.second) {
            continue;  // punctuation left between clauses taken out
        }
        Range r = trim_range(folded, range, false);
        // Punctuation left at the start where a clause before was taken out.
        while (out.empty() && r.first < r.second && is_edge_punct(folded[r.first])) {
            ++r.first;
        }
        if (!out.empty()) {
            const View gap = sub(folded, previous_end, r.first);
            if (gap.find(U'\n') != View::npos) {
                out.push_back(U'\n');
            } else if (!gap.empty() && !is_edge_punct(folded[previous_end - 1]) &&
                       !is_edge_punct(folded[r.first])) {
                // Pieces that stood apart (a space, a clause taken out between) stay apart.
                out.push_back(U'，');
            }
        }
        out += sub(original, r.first, r.second);
        previous_end = r.second;
    }
    const Range r = trim_range(out, {0, out.size()}, false);
    Text trimmed(sub(out, r.first, r.second));
    // A comma left dangling where a clause was taken out: 今天回访示例科技，
    while (!trimmed.empty() && contains(U",，、", trimmed.back())) {
        trimmed.pop_back();
    }
    return trimmed;
}

std::vector<Range> subtract(const std::vector<Range>& ranges, const std::vector<Range>& taken) {
    std::vector<Range> out;
    for (auto [b, e] : ranges) {
        for (const auto& [tb, te] : taken) {
            if (te <= b || tb >= e) {
                continue;
            }
            if (tb > b) {
                out.emplace_back(b, tb);
            }
            b = std::max(b, te);
        }
        if (b < e) {
            out.emplace_back(b, e);
        }
    }
    return out;
}

}  // namespace ledgerbot::bot::reports::parsing
