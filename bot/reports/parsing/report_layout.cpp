#include "bot/reports/parsing/report_layout.hpp"

#include <algorithm>
#include <optional>

namespace ledgerbot::bot::reports::parsing {
namespace {

// Drops a list marker (and spaces) from the end of a value: "宁夏示例科技 2." before "时间：".
std::size_t strip_marker_tail(View f, std::size_t b, std::size_t e) {
    auto trim_spaces = [&] {
        while (e > b && is_space(f[e - 1])) {
            --e;
        }
    };
    trim_spaces();
    if (e == b) {
        return e;
    }
    const char32_t last = f[e - 1];
    if (contains(U"-*•·", last) || (last >= U'\u2460' && last <= U'\u2473')) {
        --e;
    } else if (contains(U".、)", last)) {
        std::size_t d = e - 1;
        while (d > b && is_digit(f[d - 1]) && e - 1 - d < 2) {
            --d;
        }
        const bool digits = d < e - 1 && (d == b || !is_digit(f[d - 1]));
        if (digits) {
            e = d;
            if (last == U')' && e > b && f[e - 1] == U'(') {
                --e;
            }
        } else if (last == U'、' && e - b >= 2 && contains(U"一二三四五六七八九十", f[e - 2])) {
            e -= 2;
        }
    }
    trim_spaces();
    return e;
}

struct Span {
    model::VisitField field = model::VisitField::company;
    std::size_t label_begin = 0;
    std::size_t value_begin = 0;
};

// The label that ends at `end` (exclusive) and starts no earlier than `floor`, if any.
std::optional<Span> label_ending_at(View f, std::size_t floor, std::size_t end,
                                    const Vocabulary& vocabulary) {
    while (end > floor && is_space(f[end - 1])) {
        --end;
    }
    // 企业全称*： marks a required field; 联系电话（手机）： adds a note.
    if (end > floor && f[end - 1] == U'*') {
        --end;
    }
    if (end > floor && f[end - 1] == U')') {
        for (std::size_t open = end - 1; open > floor && end - open < 12; --open) {
            if (f[open - 1] == U'(') {
                end = open - 1;
                break;
            }
        }
    }
    for (const auto& label : vocabulary.labels) {
        const std::size_t n = label.text.size();
        if (end < floor + n || sub(f, end - n, end) != View(label.text)) {
            continue;
        }
        const std::size_t begin = end - n;
        // A short label must not be the tail of a word (王总反馈：… is content); labels of 4+
        // characters are distinctive enough to stand after text without a separator.
        const bool boundary =
            begin == floor || !(is_han(f[begin - 1]) || is_letter(f[begin - 1])) || n >= 4;
        if (boundary) {
            return Span{label.field, begin, 0};
        }
    }
    return std::nullopt;
}

std::vector<Span> find_labels(View f, std::size_t b, std::size_t e, const Vocabulary& vocabulary,
                              bool space_form) {
    std::vector<Span> spans;
    std::size_t floor = b;
    for (std::size_t i = b; i < e; ++i) {
        if (is_open_bracket(f[i])) {
            // 【企业名称】宁夏示例科技有限公司
            for (std::size_t close = i + 1; close < e && close < i + 16; ++close) {
                if (!is_close_bracket(f[close])) {
                    continue;
                }
                if (const auto* label = vocabulary.exact(compact(sub(f, i + 1, close)))) {
                    std::size_t value = close + 1;
                    while (value < e && is_space(f[value])) {
                        ++value;
                    }
                    if (value < e && f[value] == U':') {
                        ++value;
                    }
                    spans.push_back({label->field, i, value});
                    floor = value;
                    i = value - 1;
                }
                break;
            }
            continue;
        }
        if (f[i] == U':') {
            auto span = label_ending_at(f, floor, i, vocabulary);
            if (!span && spans.empty()) {
                // 企业明称：… — a label with a typo, alone before the line's first colon.
                const std::size_t start = skip_marker(f, trim_range(f, {b, i}, false).first, i);
                if (const auto* label = vocabulary.near(compact(sub(f, start, i)))) {
                    span = Span{label->field, start, 0};
                }
            }
            if (span) {
                span->value_begin = i + 1;
                spans.push_back(*span);
                floor = i + 1;
            }
        }
    }
    if (space_form) {
        // 企业名称 宁夏示例科技有限公司, or a label alone on its line with the value below.
        const std::size_t start = skip_marker(f, trim_range(f, {b, e}, false).first, e);
        if (spans.empty() || spans.front().label_begin > start) {
            for (const auto& label : vocabulary.labels) {
                const std::size_t n = label.text.size();
                if (!starts_at(sub(f, 0, e), start, label.text)) {
                    continue;
                }
                std::size_t value = start + n;
                if (value < e && !is_space(f[value])) {
                    continue;
                }
                while (value < e && is_space(f[value])) {
                    ++value;
                }
                if (spans.empty() || spans.front().label_begin >= value) {
                    spans.insert(spans.begin(), Span{label.field, start, value});
                }
                break;
            }
        }
    }
    return spans;
}

}  // namespace

std::string_view truncated(std::string_view bytes) {
    if (bytes.size() <= kMaxReportBytes) {
        return bytes;
    }
    std::size_t end = kMaxReportBytes;
    while (end > 0 && (static_cast<unsigned char>(bytes[end]) & 0xC0) == 0x80) {
        --end;
    }
    return bytes.substr(0, end);
}

Message prepare(std::string_view raw, const Vocabulary& vocabulary) {
    Message m;
    m.original = text::decode_utf8(truncated(raw));
    // Adapters refuse invalid UTF-8, but should some reach us, no value may carry it on (JSON
    // answers would fail to serialize): surrogates and code points past U+10FFFF become U+FFFD.
    for (char32_t& c : m.original) {
        if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
            c = U'\uFFFD';
        }
    }
    m.folded = text::fold_width(m.original);
    const View f = m.folded;
    std::size_t pos = 0;
    auto skip_blank = [&] {
        while (pos < f.size() && is_blank(f[pos])) {
            ++pos;
        }
    };
    skip_blank();
    // "@ledgerbot 【走访记录】…": mentions come first when the bot is addressed.
    while (pos < f.size() && f[pos] == U'@') {
        while (pos < f.size() && !is_blank(f[pos])) {
            ++pos;
        }
        skip_blank();
    }
    m.command = pos < f.size() && f[pos] == U'/';
    const std::size_t eol = line_end(f, pos);
    if (pos < eol && is_open_bracket(f[pos])) {
        for (std::size_t close = pos + 1; close < eol && close < pos + 24; ++close) {
            if (is_close_bracket(f[close])) {
                const Text inner = compact(sub(f, pos + 1, close));
                // 【企业走访】, 【走访情况】: a header naming a visit is a report's; with 计划 in
                // it (【走访计划】) a plan's.
                const bool names_visit =
                    std::any_of(vocabulary.cues.begin(), vocabulary.cues.end(),
                                [&](const Text& cue) { return inner.find(cue) != Text::npos; });
                if (vocabulary.is_header(inner) || (names_visit && f[pos] != U'[')) {
                    m.header = true;
                    m.plan_header = names_visit && (inner.find(U"计划") != Text::npos ||
                                                    inner.find(U"安排") != Text::npos);
                    m.body_begin = close + 1;
                } else if (f[pos] != U'[' && !inner.empty() && !vocabulary.exact(inner)) {
                    // 【风险提示】, 【简报】: another parser's message. [] is left out: WeChat
                    // writes its emoji as [微笑].
                    m.other_header = true;
                    m.body_begin = pos;
                }
                break;
            }
        }
    } else if (pos < eol) {
        // The header word alone on the first line: 走访记录 or 走访记录：
        Text line = compact(sub(f, pos, eol));
        while (!line.empty() && line.back() == U':') {
            line.pop_back();
        }
        if (vocabulary.is_header(line)) {
            m.header = true;
            m.body_begin = eol;
        }
    }
    if (!m.header) {
        m.body_begin = pos;
    }
    return m;
}

// The end of a list marker starting at `p`, or `p` when there is none.
std::size_t skip_marker(View f, std::size_t p, std::size_t e) {
    auto at = [&](std::size_t i) { return i < e ? f[i] : U'\0'; };
    std::size_t q = p;
    if (contains(U"-*•·>", at(q))) {
        q += 1;
    } else if (at(q) >= U'\u2460' && at(q) <= U'\u2473') {  // ① … ⑳
        q += 1;
    } else if (at(q) == U'(' && is_digit(at(q + 1))) {
        std::size_t d = q + 1;
        while (is_digit(at(d)) && d - q < 3) {
            ++d;
        }
        if (at(d) != U')') {
            return p;
        }
        q = d + 1;
    } else if (is_digit(at(q))) {
        std::size_t d = q;
        while (is_digit(at(d)) && d - q < 2) {
            ++d;
        }
        // 1.5亿 is a number, not an item.
        if (!(contains(U".、)", at(d)) && !is_digit(at(d + 1)))) {
            return p;
        }
        q = d + 1;
    } else if (contains(U"一二三四五六七八九十", at(q)) && at(q + 1) == U'、') {
        q += 2;
    } else {
        return p;
    }
    while (q < e && is_space(f[q])) {
        ++q;
    }
    return q;
}

bool is_narrative(model::VisitField field) {
    return field == model::VisitField::content || field == model::VisitField::feedback ||
           field == model::VisitField::business_status || field == model::VisitField::demand ||
           field == model::VisitField::matchable_services;
}

Segments segment(const Message& m, const Vocabulary& vocabulary) {
    const View f = m.folded;
    std::vector<Range> lines;
    for (std::size_t pos = m.body_begin; pos <= f.size();) {
        const std::size_t end = line_end(f, pos);
        lines.emplace_back(pos, end);
        pos = end + 1;
    }
    std::vector<std::vector<Span>> spans;
    std::size_t colon_labels = 0;
    for (const auto& [b, e] : lines) {
        spans.push_back(find_labels(f, b, e, vocabulary, false));
        colon_labels += spans.back().size();
    }
    // Labels without a colon are only believed where the message is clearly a form.
    if (m.header || m.form || colon_labels >= 2) {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            spans[i] = find_labels(f, lines[i].first, lines[i].second, vocabulary, true);
        }
    }

    Segments out;
    std::optional<model::VisitField> flowing;  // a narrative field that takes the following lines
    std::optional<model::VisitField> pending;  // a field whose label ended its line: value below
    auto route = [&](Range r) {
        if (r.first >= r.second) {
            return;
        }
        if (pending) {
            out.fields[*pending].ranges.push_back(r);
            flowing = is_narrative(*pending) ? pending : std::nullopt;
            pending.reset();
        } else if (flowing) {
            out.fields[*flowing].ranges.push_back(r);
        } else {
            out.unlabelled.push_back(r);
        }
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto [b, e] = lines[i];
        const auto& line_spans = spans[i];
        if (line_spans.empty()) {
            route(trim_range(f, {b, e}, false));
            continue;
        }
        Range before = trim_range(f, {b, line_spans.front().label_begin}, false);
        // 7【联系人】白部长: an item number without punctuation before the line's label.
        if (before.second - before.first <= 2 &&
            std::all_of(f.begin() + static_cast<std::ptrdiff_t>(before.first),
                        f.begin() + static_cast<std::ptrdiff_t>(before.second), is_digit)) {
            before.second = before.first;
        }
        route({before.first, strip_marker_tail(f, before.first, before.second)});
        flowing.reset();
        pending.reset();
        for (std::size_t k = 0; k < line_spans.size(); ++k) {
            const Span& span = line_spans[k];
            const bool last = k + 1 == line_spans.size();
            std::size_t value_end = last ? e : line_spans[k + 1].label_begin;
            if (!last) {
                value_end = strip_marker_tail(f, span.value_begin, value_end);
            }
            const Range value = trim_range(f, {span.value_begin, value_end}, false);
            FieldText& field = out.fields[span.field];
            field.labelled = true;
            // 联系电话：待补充 says the value is missing: labelled, but nothing to read.
            const bool placeholder = value.first < value.second &&
                                     vocabulary.is_placeholder(sub(f, value.first, value.second));
            if (value.first < value.second && !placeholder) {
                field.ranges.push_back(value);
            }
            if (last && !placeholder) {
                if (is_narrative(span.field)) {
                    flowing = span.field;
                } else if (value.first >= value.second) {
                    pending = span.field;
                }
            }
        }
    }
    return out;
}

}  // namespace ledgerbot::bot::reports::parsing
