#include "bot/reports/parsing/report_text.hpp"

namespace ledgerbot::bot::reports::parsing {

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

bool window_has(View f, std::size_t begin, std::size_t end, std::initializer_list<View> words) {
    const View window = sub(f, begin, end);
    return std::any_of(words.begin(), words.end(),
                       [&](View word) { return window.find(word) != View::npos; });
}

}  // namespace ledgerbot::bot::reports::parsing
