#include "bot/reports/visit_report_parser.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "bot/text/phone_number.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/time_expression.hpp"

namespace ledgerbot::bot::reports {
namespace {

// A chat message longer than this is read up to here: nobody types a longer report on a
// phone, and it bounds the work any input can cause.
constexpr std::size_t kMaxReportBytes = 16 * 1024;

using Text = std::u32string;
using View = std::u32string_view;
using Range = std::pair<std::size_t, std::size_t>;

// ---------------------------------------------------------------------------------------------
// Code points

using text::is_digit;
using text::is_han;

bool is_letter(char32_t c) {
    return text::is_ascii_letter(c);
}

// Spaces within a line (a \r before the \n of a line break counts as one); lines are split
// at \n.
bool is_space(char32_t c) {
    return c != U'\n' && text::is_space(c);
}

bool is_blank(char32_t c) {
    return text::is_space(c);
}

// Punctuation that may end (or start) a value without being part of it (folded forms):
// 示例科技；, 王总/13912345678 once the number is taken out.
bool is_edge_punct(char32_t c) {
    return View(U",.;:!?~、。…·/|-").find(c) != View::npos;
}

bool is_open_bracket(char32_t c) {
    return c == U'[' || c == U'【' || c == U'〖' || c == U'〔';
}
bool is_close_bracket(char32_t c) {
    return c == U']' || c == U'】' || c == U'〗' || c == U'〕';
}

bool contains(View haystack, char32_t c) {
    return haystack.find(c) != View::npos;
}

View sub(View v, std::size_t begin, std::size_t end) {
    begin = std::min(begin, v.size());
    end = std::clamp(end, begin, v.size());
    return v.substr(begin, end - begin);
}

bool starts_at(View v, std::size_t pos, View word) {
    return pos <= v.size() && v.substr(pos).starts_with(word);
}

Range trim_range(View v, Range r, bool punctuation) {
    auto [b, e] = r;
    e = std::min(e, v.size());
    b = std::min(b, e);
    while (b < e && (is_blank(v[b]) || (punctuation && is_edge_punct(v[b])))) {
        ++b;
    }
    while (e > b && (is_blank(v[e - 1]) || (punctuation && is_edge_punct(v[e - 1])))) {
        --e;
    }
    return {b, e};
}

Text compact(View v) {
    Text out;
    for (char32_t c : v) {
        if (!is_blank(c)) {
            out.push_back(c);
        }
    }
    return out;
}

std::string utf8(View v) {
    return text::encode_utf8(v);
}

// ---------------------------------------------------------------------------------------------
// List markers: 1. 1、 1) (1) ① 一、 - * •

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

// ---------------------------------------------------------------------------------------------
// Vocabulary, prepared once per call from the settings

struct Vocabulary {
    struct Label {
        Text text;
        model::VisitField field = model::VisitField::company;
    };
    struct Mode {
        std::string name;
        Text name_text;
        std::vector<Text> keywords;
    };
    std::vector<Label> labels;  // longest first, so 联系人电话 wins over 电话
    std::vector<Text> headers;
    std::vector<Mode> modes;
    std::vector<Text> cues;
    std::vector<Text> phone_words;   // labels of the phone field: 联系电话, 手机, …
    std::vector<Text> placeholders;  // 待补充, 暂无, 略, —: a value that says there is none
    std::vector<Text> remark_words;  // 详见, 附件, 后续: (详见附件) is a remark, not the value

    explicit Vocabulary(const settings::ReportSettings& settings) {
        auto prepared = [](std::string_view word) {
            return compact(text::fold_width(text::decode_utf8(word)));
        };
        for (const auto& field : settings.fields) {
            std::vector<Text> words{prepared(field.label)};
            for (const auto& alias : field.aliases) {
                words.push_back(prepared(alias));
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
        std::stable_sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) {
            return a.text.size() > b.text.size();
        });
        std::stable_sort(phone_words.begin(), phone_words.end(),
                         [](const Text& a, const Text& b) { return a.size() > b.size(); });
        for (const auto& header : settings.headers) {
            if (auto h = prepared(header); !h.empty()) {
                headers.push_back(std::move(h));
            }
        }
        for (const auto& mode : settings.modes) {
            Mode m{mode.name, prepared(mode.name), {}};
            for (const auto& keyword : mode.keywords) {
                if (auto k = prepared(keyword); !k.empty()) {
                    m.keywords.push_back(std::move(k));
                }
            }
            modes.push_back(std::move(m));
        }
        for (const auto& cue : settings.visit_cues) {
            if (auto c = prepared(cue); !c.empty()) {
                cues.push_back(std::move(c));
            }
        }
        for (const auto& word : settings.remark_words) {
            if (auto w = prepared(word); !w.empty()) {
                remark_words.push_back(std::move(w));
            }
        }
        for (const auto& placeholder : settings.placeholders) {
            if (auto p = prepared(placeholder); !p.empty()) {
                placeholders.push_back(std::move(p));
            }
        }
    }

    /// A value that only stands in for one (待补充, 暂无。, —, /): the field counts as missing.
    bool is_placeholder(View value) const {
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

    const Label* exact(View word) const {
        for (const auto& label : labels) {
            if (label.text == word) {
                return &label;
            }
        }
        return nullptr;
    }

    bool is_header(View word) const {
        return std::find(headers.begin(), headers.end(), word) != headers.end();
    }
};

// ---------------------------------------------------------------------------------------------
// The message: decoded, folded, header located

struct Message {
    Text original;
    Text folded;  // same length: one code point per code point
    std::size_t body_begin = 0;
    bool header = false;
    bool other_header = false;  // opens with 【something else】: another parser's message
    bool command = false;       // opens with / (a bot command such as /补充)
    bool form = false;          // known to be labelled fields (a supplement's)
};

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

std::size_t line_end(View f, std::size_t pos) {
    const std::size_t end = f.find(U'\n', pos);
    return end == View::npos ? f.size() : end;
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
                if (vocabulary.is_header(inner)) {
                    m.header = true;
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

// ---------------------------------------------------------------------------------------------
// Labels and segments

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
            if (auto span = label_ending_at(f, floor, i, vocabulary)) {
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

// Fields whose value is prose and may run over several lines.
bool is_narrative(model::VisitField field) {
    return field == model::VisitField::content || field == model::VisitField::feedback ||
           field == model::VisitField::business_status || field == model::VisitField::demand ||
           field == model::VisitField::matchable_services;
}

struct FieldText {
    bool labelled = false;
    std::vector<Range> ranges;
};

struct Segments {
    std::map<model::VisitField, FieldText> fields;
    std::vector<Range> unlabelled;

    std::size_t labelled_count() const {
        return static_cast<std::size_t>(std::count_if(
            fields.begin(), fields.end(), [](const auto& entry) { return entry.second.labelled; }));
    }
    bool labelled(model::VisitField field) const {
        auto it = fields.find(field);
        return it != fields.end() && it->second.labelled;
    }
    const std::vector<Range>* ranges(model::VisitField field) const {
        auto it = fields.find(field);
        return it == fields.end() || it->second.ranges.empty() ? nullptr : &it->second.ranges;
    }
};

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
        const Range before = trim_range(f, {b, line_spans.front().label_begin}, false);
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

Text join(View source, const std::vector<Range>& ranges) {
    Text out;
    for (const auto& [b, e] : ranges) {
        if (!out.empty()) {
            out.push_back(U'\n');
        }
        out += sub(source, b, e);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Modes and cues

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

struct Hit {
    std::size_t begin = 0;
    std::size_t end = 0;
    const Vocabulary::Mode* mode = nullptr;
};

std::optional<Hit> first_occurrence(View f, View word, const Vocabulary& vocabulary) {
    for (std::size_t pos = f.find(word); pos != View::npos; pos = f.find(word, pos + 1)) {
        if (!keyword_not_a_mode(f, pos, word, vocabulary)) {
            return Hit{pos, pos + word.size(), nullptr};
        }
    }
    return std::nullopt;
}

// A mode's own name (电话回访) wins; otherwise the keyword written first.
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

// ---------------------------------------------------------------------------------------------
// Free-text judgement

bool window_has(View f, std::size_t begin, std::size_t end, std::initializer_list<View> words) {
    const View window = sub(f, begin, end);
    return std::any_of(words.begin(), words.end(),
                       [&](View word) { return window.find(word) != View::npos; });
}

// Only ？ and 吗 mark a question reliably: 呢 and 嘛 end statements as often (还在考虑呢).
bool is_question(View f) {
    std::size_t e = f.size();
    while (e > 0 && (is_blank(f[e - 1]) || contains(U".。!~…", f[e - 1]))) {
        --e;
    }
    return e > 0 && contains(U"?吗", f[e - 1]);
}

bool free_text_report(const Message& m, View body, bool company_named,
                      const Vocabulary& vocabulary) {
    if (m.command || m.other_header || !company_named || is_question(body)) {
        return false;
    }
    const auto cue = find_cue(body, vocabulary);
    if (!cue) {
        return false;
    }
    // 拜访了 / 回访过 / 已上门: it happened. 了解 and 过程 are words, not aspect markers.
    bool completed = window_has(body, cue->begin >= 3 ? cue->begin - 3 : 0, cue->begin, {U"已"});
    for (std::size_t i = cue->end; i < cue->end + 3 && i < body.size(); ++i) {
        const char32_t next = i + 1 < body.size() ? body[i + 1] : U'\0';
        if ((body[i] == U'了' && next != U'解') || (body[i] == U'过' && next != U'程')) {
            completed = true;
        }
    }
    const std::size_t before = cue->begin >= 4 ? cue->begin - 4 : 0;
    if (!completed &&
        window_has(body, before, cue->begin,
                   {U"准备", U"打算", U"计划", U"拟", U"将", U"预约", U"安排", U"要去", U"想去"})) {
        return false;
    }
    const auto tense = time::time_expression::first_tense(body);
    if (tense == time::time_expression::Tense::future) {
        return false;
    }
    const auto phones = text::phone_number::scan(body);
    const bool phone = std::any_of(phones.begin(), phones.end(),
                                   [](const auto& c) { return c.valid.has_value(); });
    return tense == time::time_expression::Tense::past_or_present || phone || completed;
}

// ---------------------------------------------------------------------------------------------
// Field values

// 王总, 李经理, 张董事长: a common surname followed by a title is how staff name a contact.
// Surnames that are also everyday characters in front of 总 (万: 3000万总投资, 和: 和总经理)
// are left out.
constexpr View kSurnames =
    U"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    U"魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    U"龚邵钱严覃武戴莫孔汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘"
    U"祝宁符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤"
    U"穆农卓吉缪简车芦麦褚娄窦戚岑景党宫费卜冷晏卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁荣巫寇"
    U"桑郎甄丛仲虞敖巩佘池麻苑迟邝";

constexpr std::array<View, 17> kTitles{
    U"副总经理", U"董事长", U"总经理", U"总监", U"副总", U"经理", U"主任", U"部长", U"董秘",
    U"会计",     U"秘书",   U"老师",   U"女士", U"先生", U"主管", U"总",   U"董",
};

std::optional<Range> find_contact_name(View f) {
    for (std::size_t i = 0; i + 1 < f.size(); ++i) {
        if (!contains(kSurnames, f[i])) {
            continue;
        }
        for (View title : kTitles) {
            if (!starts_at(f, i + 1, title)) {
                continue;
            }
            const std::size_t end = i + 1 + title.size();
            const char32_t next = end < f.size() ? f[end] : U'\0';
            // 总结, 总体, 总部, 董事会: words, not titles.
            if ((title == U"总" && contains(U"结体部额共计量数之务站署线", next)) ||
                (title == U"董" && next == U'事')) {
                break;
            }
            return Range{i, end};
        }
    }
    return std::nullopt;
}

std::vector<std::string> split_visitors(View value) {
    // Notes in brackets are roles or departments: 张三（客户经理）.
    Text cleaned;
    int depth = 0;
    for (char32_t c : value) {
        const char32_t folded = text::fold_width(c);
        if (folded == U'(' || is_open_bracket(folded)) {
            ++depth;
        } else if ((folded == U')' || is_close_bracket(folded)) && depth > 0) {
            --depth;
        } else if (depth == 0) {
            cleaned.push_back(c);
        }
    }
    std::vector<std::string> out;
    auto add = [&](View name) {
        const Range r = trim_range(name, {0, name.size()}, true);
        View piece = sub(name, r.first, r.second);
        for (View suffix : {View(U"等人"), View(U"等"), View(U"一行")}) {
            if (piece.size() > suffix.size() && piece.ends_with(suffix)) {
                piece.remove_suffix(suffix.size());
                break;
            }
        }
        if (piece.empty()) {
            return;
        }
        std::string name_utf8 = utf8(piece);
        if (std::find(out.begin(), out.end(), name_utf8) == out.end()) {
            out.push_back(std::move(name_utf8));
        }
    };
    Text current;
    auto flush = [&] {
        // 张三和李四: split on a conjunction only between two name-sized pieces.
        for (char32_t conj : View(U"和与及跟同")) {
            const std::size_t at = current.find(conj);
            if (at != Text::npos && at >= 2 && at <= 4 && current.size() - at - 1 >= 2 &&
                current.size() - at - 1 <= 4) {
                add(View(current).substr(0, at));
                add(View(current).substr(at + 1));
                current.clear();
                return;
            }
        }
        add(current);
        current.clear();
    };
    for (char32_t c : cleaned) {
        if (is_blank(c) || contains(U"、,;/|", text::fold_width(c))) {
            flush();
        } else {
            current.push_back(c);
        }
    }
    flush();
    return out;
}

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

std::vector<std::string> split_demands(View original, View folded) {
    if (means_none(folded)) {
        return {};
    }
    std::vector<std::string> out;
    std::size_t start = 0;
    int expected = 1;
    auto cut = [&](std::size_t end) {
        const Range r = trim_range(folded, {start, end}, true);
        if (r.first < r.second && !means_none(sub(folded, r.first, r.second))) {
            out.push_back(utf8(sub(original, r.first, r.second)));
        }
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

// The contact's name once phone numbers and phone words are taken out: 王总，电话139… → 王总.
std::string contact_name(View original, View folded,
                         const std::vector<text::phone_number::Candidate>& phones,
                         const Vocabulary& vocabulary) {
    std::vector<bool> drop(folded.size(), false);
    for (const auto& phone : phones) {
        for (std::size_t i = phone.begin; i < phone.end && i < drop.size(); ++i) {
            drop[i] = true;
        }
    }
    for (const Text& word : vocabulary.phone_words) {
        for (std::size_t pos = folded.find(word); pos != View::npos;
             pos = folded.find(word, pos + 1)) {
            for (std::size_t i = pos; i < pos + word.size(); ++i) {
                drop[i] = true;
            }
        }
    }
    Text kept;
    for (std::size_t i = 0; i < folded.size(); ++i) {
        if (drop[i]) {
            if (!kept.empty() && kept.back() != U' ') {
                kept.push_back(U' ');
            }
        } else if (is_blank(folded[i])) {
            if (!kept.empty() && kept.back() != U' ') {
                kept.push_back(U' ');
            }
        } else {
            kept.push_back(original[i]);
        }
    }
    // Brackets emptied by the removal go (王总（13912345678）); balanced ones stay
    // (王建国（总经理）). Then blanks and punctuation left at the ends.
    std::size_t open = 0;
    while (open < kept.size()) {
        if (text::fold_width(kept[open]) == U'(') {
            std::size_t close = open + 1;
            while (close < kept.size() && kept[close] == U' ') {
                ++close;
            }
            if (close < kept.size() && text::fold_width(kept[close]) == U')') {
                kept.erase(open, close + 1 - open);
                continue;
            }
        }
        ++open;
    }
    std::size_t b = 0;
    std::size_t e = kept.size();
    auto edge = [](char32_t c) { return is_blank(c) || is_edge_punct(text::fold_width(c)); };
    while (b < e && edge(kept[b])) {
        ++b;
    }
    while (e > b && edge(kept[e - 1])) {
        --e;
    }
    return utf8(sub(kept, b, e));
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

// ---------------------------------------------------------------------------------------------
// Assembly

class Builder {
public:
    Builder(const Message& message, const Segments& segments, std::int64_t now,
            const model::Directory& directory, const settings::ReportSettings& settings,
            const Vocabulary& vocabulary)
        : m_(message),
          segments_(segments),
          now_(now),
          directory_(directory),
          settings_(settings),
          vocabulary_(vocabulary) {}

    ParsedReport build() {
        const View body = sub(m_.folded, m_.body_begin, m_.folded.size());
        narrative_ = narrative_ranges();
        narrative_folded_ = join(m_.folded, narrative_);

        company();
        visit_time();
        mode();
        visitors();
        phone_and_contact();
        prose_fields();
        content();

        const bool company_named = report_.company_id.has_value() ||
                                   segments_.labelled(model::VisitField::company) ||
                                   directory_.find_company_in_text(
                                       utf8(sub(m_.original, m_.body_begin, m_.original.size())));
        report_.labelled = segments_.labelled_count() > 0;
        report_.is_report =
            m_.header ||
            (!m_.other_header && !m_.command && segments_.labelled_count() >= 3 && company_named) ||
            free_text_report(m_, body, company_named, vocabulary_);
        drop_trailing_remarks();
        for (model::VisitField field : settings_.required) {
            if (!report_.has(field)) {
                report_.missing.push_back(field);
            }
        }
        return std::move(report_);
    }

private:
    // 希望对接银行（后续再跟进）: a bracket at the end of a value that holds a remark about the
    // report (configured words) is not part of the value; (总经理) after a name is. A value that
    // was nothing but a remark is missing.
    void drop_trailing_remarks() {
        for (auto it = report_.values.begin(); it != report_.values.end();) {
            if (it->first == model::VisitField::company ||
                it->first == model::VisitField::visit_time) {
                ++it;
                continue;
            }
            Text value = text::decode_utf8(it->second);
            for (;;) {
                const Range r = trim_range(value, {0, value.size()}, true);
                value = Text(sub(value, r.first, r.second));
                if (value.empty() || text::fold_width(value.back()) != U')') {
                    break;
                }
                const std::size_t open = value.find_last_of(U"(（");
                if (open == Text::npos) {
                    break;
                }
                const Text inner = compact(text::fold_width(value.substr(open + 1)));
                const bool remark =
                    std::any_of(vocabulary_.remark_words.begin(), vocabulary_.remark_words.end(),
                                [&](const Text& word) { return inner.find(word) != Text::npos; });
                if (!remark) {
                    break;
                }
                value.erase(open);
            }
            if (value.empty()) {
                it = report_.values.erase(it);
            } else {
                it->second = utf8(value);
                ++it;
            }
        }
    }

    // Where fields without a label of their own are looked for: unlabelled text, the prose
    // fields, and the one-line fields people run on into (企业：清源农业 昨天电话回访了…).
    std::vector<Range> narrative_ranges() const {
        std::vector<Range> out = segments_.unlabelled;
        for (model::VisitField field :
             {model::VisitField::company, model::VisitField::visit_time, model::VisitField::mode,
              model::VisitField::content, model::VisitField::feedback, model::VisitField::contact,
              model::VisitField::business_status, model::VisitField::demand,
              model::VisitField::matchable_services}) {
            if (const auto* ranges = segments_.ranges(field)) {
                out.insert(out.end(), ranges->begin(), ranges->end());
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    // A labelled field with an empty value is looked for in the free text like an absent one.
    bool written(model::VisitField field) const { return segments_.ranges(field) != nullptr; }

    Text original_of(model::VisitField field) const {
        const auto* ranges = segments_.ranges(field);
        return ranges ? join(m_.original, *ranges) : Text{};
    }
    Text folded_of(model::VisitField field) const {
        const auto* ranges = segments_.ranges(field);
        return ranges ? join(m_.folded, *ranges) : Text{};
    }

    void infer(model::VisitField field, std::string value) {
        report_.values[field] = std::move(value);
        report_.inferred.push_back(field);
    }

    void issue(model::VisitField field, std::string code, View value) {
        report_.issues.push_back({field, std::move(code), utf8(value)});
    }

    void accept_company(const model::Company& company) {
        report_.company_id = company.id;
        report_.values[model::VisitField::company] = company.full_name;
    }

    void company() {
        if (written(model::VisitField::company)) {
            const Text value = original_of(model::VisitField::company);
            const Range r = trim_range(value, {0, value.size()}, true);
            const std::string name = utf8(sub(value, r.first, r.second));
            const model::Company* found = directory_.find_company(name);
            if (!found) {
                found = directory_.find_company_in_text(name);
            }
            if (found) {
                accept_company(*found);
                take_run_on_text(*found);
            } else {
                issue(model::VisitField::company, "company_not_listed",
                      sub(value, r.first, r.second));
            }
            return;
        }
        const std::string body = utf8(sub(m_.original, m_.body_begin, m_.original.size()));
        if (const model::Company* found = directory_.find_company_in_text(body)) {
            accept_company(*found);
            report_.inferred.push_back(model::VisitField::company);
        }
    }

    // 企业：清源农业 昨天电话回访了… runs the account on after the name; that part is content.
    void take_run_on_text(const model::Company& company) {
        std::vector<Text> names{text::fold_width(text::decode_utf8(company.full_name))};
        for (const auto& short_name : company.short_names) {
            names.push_back(text::fold_width(text::decode_utf8(short_name)));
        }
        std::sort(names.begin(), names.end(),
                  [](const Text& a, const Text& b) { return a.size() > b.size(); });
        for (const auto& [b, e] : *segments_.ranges(model::VisitField::company)) {
            const View value = sub(m_.folded, b, e);
            for (const Text& name : names) {
                const std::size_t at = name.empty() ? View::npos : value.find(name);
                if (at == View::npos) {
                    continue;
                }
                const Range rest = trim_range(m_.folded, {b + at + name.size(), e}, true);
                if (rest.second - rest.first >= 4 && m_.folded[rest.first] != U'(') {
                    unlabelled_.push_back(rest);
                }
                break;
            }
        }
    }

    void set_time(const time::time_expression::Resolved& when, bool inferred) {
        report_.visit_time = when.unix_seconds;
        report_.visit_time_date_only = when.date_only;
        std::string shown = when.date_only ? time::format_date(time::local_date(when.unix_seconds))
                                           : time::format_local_minutes(when.unix_seconds);
        if (inferred) {
            infer(model::VisitField::visit_time, std::move(shown));
        } else {
            report_.values[model::VisitField::visit_time] = std::move(shown);
        }
    }

    void visit_time() {
        if (written(model::VisitField::visit_time)) {
            const Text value = original_of(model::VisitField::visit_time);
            const auto when = time::time_expression::find_in_field(
                folded_of(model::VisitField::visit_time), now_);
            if (!when) {
                issue(model::VisitField::visit_time, "time_unrecognized", value);
            } else if (time::time_expression::is_after(*when, now_)) {
                issue(model::VisitField::visit_time, "time_in_future", value);
            } else {
                set_time(*when, false);
            }
            return;
        }
        if (auto when = time::time_expression::find_in_free_text(narrative_folded_, now_)) {
            set_time(*when, true);
        }
    }

    void mode() {
        if (written(model::VisitField::mode)) {
            if (auto hit = find_mode(folded_of(model::VisitField::mode), vocabulary_)) {
                report_.values[model::VisitField::mode] = hit->mode->name;
            } else {
                issue(model::VisitField::mode, "mode_unrecognized",
                      original_of(model::VisitField::mode));
            }
            return;
        }
        if (auto hit = find_mode(narrative_folded_, vocabulary_)) {
            infer(model::VisitField::mode, hit->mode->name);
        }
    }

    void visitors() {
        if (!written(model::VisitField::visitors)) {
            return;
        }
        report_.visitors = split_visitors(folded_of(model::VisitField::visitors).empty()
                                              ? View{}
                                              : View(original_of(model::VisitField::visitors)));
        if (!report_.visitors.empty()) {
            std::string joined;
            for (const auto& name : report_.visitors) {
                joined += (joined.empty() ? "" : "、") + name;
            }
            report_.values[model::VisitField::visitors] = std::move(joined);
        }
    }

    void phone_and_contact() {
        using text::phone_number::Candidate;
        // The contact's mobile is the 联系电话 when a landline (the company's switchboard) is
        // given too; otherwise the first valid number.
        auto first_valid = [](const std::vector<Candidate>& candidates) -> const Candidate* {
            const Candidate* first = nullptr;
            for (const auto& c : candidates) {
                if (c.valid && c.valid->front() == '1') {
                    return &c;
                }
                if (c.valid && first == nullptr) {
                    first = &c;
                }
            }
            return first;
        };

        // The contact field often carries the number too: 王总 13912345678.
        const Text contact_original = original_of(model::VisitField::contact);
        const Text contact_folded = folded_of(model::VisitField::contact);
        const auto contact_phones = text::phone_number::scan(contact_folded);
        if (written(model::VisitField::contact)) {
            std::string name =
                contact_name(contact_original, contact_folded, contact_phones, vocabulary_);
            if (!name.empty()) {
                report_.values[model::VisitField::contact] = std::move(name);
            }
        }

        if (written(model::VisitField::phone)) {
            const Text value = original_of(model::VisitField::phone);
            const auto candidates = text::phone_number::scan(folded_of(model::VisitField::phone));
            if (const Candidate* valid = first_valid(candidates)) {
                report_.values[model::VisitField::phone] = *valid->valid;
            } else {
                issue(model::VisitField::phone, "phone_invalid", value);
            }
        } else if (const Candidate* valid = first_valid(contact_phones)) {
            report_.values[model::VisitField::phone] = *valid->valid;
        } else {
            const auto candidates = text::phone_number::scan(narrative_folded_);
            if (const Candidate* found = first_valid(candidates)) {
                infer(model::VisitField::phone, *found->valid);
            } else if (!contact_phones.empty()) {
                const auto& bad = contact_phones.front();
                issue(model::VisitField::phone, "phone_invalid",
                      sub(contact_original, bad.begin, bad.end));
            } else {
                // Only numbers written where a phone is expected are reported: 电话139123456
                // or an 11-digit-ish number starting with 1 (a mobile with a digit missing).
                const Text narrative_original = join(m_.original, narrative_);
                for (const auto& c : candidates) {
                    const bool mobile_like =
                        (c.digits.size() == 10 || c.digits.size() == 12) && c.digits[0] == '1';
                    if (mobile_like ||
                        preceded_by_phone_word(narrative_folded_, c.begin, vocabulary_)) {
                        issue(model::VisitField::phone, "phone_invalid",
                              sub(narrative_original, c.begin, c.end));
                        break;
                    }
                }
            }
        }

        if (!report_.has(model::VisitField::contact)) {
            Text scope = narrative_folded_;
            Text scope_original = join(m_.original, narrative_);
            if (written(model::VisitField::phone)) {
                scope += U'\n';
                scope += folded_of(model::VisitField::phone);
                scope_original += U'\n';
                scope_original += original_of(model::VisitField::phone);
            }
            if (auto name = find_contact_name(scope)) {
                infer(model::VisitField::contact,
                      utf8(sub(scope_original, name->first, name->second)));
            }
        }
    }

    void prose_fields() {
        for (model::VisitField field :
             {model::VisitField::content, model::VisitField::feedback,
              model::VisitField::business_status, model::VisitField::industry,
              model::VisitField::demand, model::VisitField::matchable_services}) {
            if (!written(field)) {
                continue;
            }
            const Text value = original_of(field);
            const Range r = trim_range(value, {0, value.size()}, false);
            if (r.first < r.second) {
                report_.values[field] = utf8(sub(value, r.first, r.second));
            }
        }
        if (written(model::VisitField::demand)) {
            report_.demands = split_demands(original_of(model::VisitField::demand),
                                            folded_of(model::VisitField::demand));
        }
    }

    // Unlabelled text is what the person said about the visit: free text is all content.
    void content() {
        if (written(model::VisitField::content) || unlabelled_.empty()) {
            return;
        }
        std::sort(unlabelled_.begin(), unlabelled_.end());
        const Text text = join(m_.original, unlabelled_);
        const Range r = trim_range(text, {0, text.size()}, false);
        if (r.first < r.second) {
            infer(model::VisitField::content, utf8(sub(text, r.first, r.second)));
        }
    }

    const Message& m_;
    const Segments& segments_;
    std::int64_t now_;
    const model::Directory& directory_;
    const settings::ReportSettings& settings_;
    const Vocabulary& vocabulary_;
    std::vector<Range> narrative_;
    Text narrative_folded_;
    std::vector<Range> unlabelled_ = segments_.unlabelled;
    ParsedReport report_;
};

}  // namespace

std::string ParsedReport::value(model::VisitField field) const {
    auto it = values.find(field);
    return it == values.end() ? std::string{} : it->second;
}

bool ParsedReport::was_inferred(model::VisitField field) const {
    return std::find(inferred.begin(), inferred.end(), field) != inferred.end();
}

bool has_report_header(std::string_view text, const settings::ReportSettings& settings) {
    const Vocabulary vocabulary(settings);
    return prepare(text, vocabulary).header;
}

bool looks_like_visit_report(std::string_view text, const model::Directory& directory,
                             const settings::ReportSettings& settings) {
    const Vocabulary vocabulary(settings);
    const Message message = prepare(text, vocabulary);
    if (message.header) {
        return true;
    }
    const Segments segments = segment(message, vocabulary);
    const std::string body =
        utf8(sub(message.original, message.body_begin, message.original.size()));
    bool company_named = directory.find_company_in_text(body) != nullptr;
    if (!company_named && segments.labelled(model::VisitField::company)) {
        company_named = true;
    }
    if (!message.other_header && !message.command && segments.labelled_count() >= 3 &&
        company_named) {
        return true;
    }
    return free_text_report(message, sub(message.folded, message.body_begin, message.folded.size()),
                            company_named, vocabulary);
}

ParsedReport parse_visit_report(std::string_view text, std::int64_t message_time,
                                const model::Directory& directory,
                                const settings::ReportSettings& settings) {
    const Vocabulary vocabulary(settings);
    const Message message = prepare(text, vocabulary);
    const Segments segments = segment(message, vocabulary);
    return Builder(message, segments, message_time, directory, settings, vocabulary).build();
}

ParsedReport parse_visit_supplement(std::string_view text, std::int64_t message_time,
                                    const model::Directory& directory,
                                    const settings::ReportSettings& settings) {
    const Vocabulary vocabulary(settings);
    Message message = prepare(text, vocabulary);
    message.form = true;
    const Segments segments = segment(message, vocabulary);
    return Builder(message, segments, message_time, directory, settings, vocabulary).build();
}

std::optional<ParsedTime> parse_time_expression(std::string_view text, std::int64_t now) {
    const Text folded = text::fold_width(text::decode_utf8(truncated(text)));
    if (auto when = time::time_expression::find_in_field(folded, now)) {
        return ParsedTime{when->unix_seconds, when->date_only};
    }
    return std::nullopt;
}

std::optional<std::string> normalize_phone(std::string_view text) {
    std::string digits;
    const Text folded = text::fold_width(text::decode_utf8(truncated(text)));
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const char32_t c = folded[i];
        if (is_digit(c)) {
            digits.push_back(static_cast<char>(c));
        } else if (c == U'+' && digits.empty()) {
            continue;
        } else if (!is_space(c) && c != U'-' && c != U'(' && c != U')' && c != U'—') {
            return std::nullopt;
        }
    }
    return text::phone_number::validate_digits(digits);
}

}  // namespace ledgerbot::bot::reports
