#include "bot/text/labelled_fields.hpp"

#include <algorithm>

#include "bot/text/text.hpp"

namespace ledgerbot::bot::text {

LabelledFields labelled_fields(std::string_view text,
                               const std::map<std::string, std::vector<std::string>>& labels) {
    struct Hit {
        std::size_t at;
        std::size_t value_at;
        std::string field;
    };
    const std::string folded(text);
    std::vector<Hit> hits;
    for (const auto& [field, words] : labels) {
        for (const auto& word : words) {
            for (const std::string colon : {"：", ":"}) {
                const std::string needle = word + colon;
                for (std::size_t at = folded.find(needle); at != std::string::npos;
                     at = folded.find(needle, at + 1)) {
                    hits.push_back(Hit{at, at + needle.size(), field});
                }
            }
        }
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        return a.at != b.at ? a.at < b.at : a.value_at > b.value_at;
    });
    // A shorter label inside a longer one at the same place (比例 in 完成比例) is not a label.
    std::vector<Hit> kept;
    for (const Hit& hit : hits) {
        if (kept.empty() || hit.at >= kept.back().value_at) {
            kept.push_back(hit);
        }
    }
    LabelledFields out;
    out.rest = text::trim(folded.substr(0, kept.empty() ? folded.size() : kept.front().at));
    for (std::size_t i = 0; i < kept.size(); ++i) {
        const std::size_t end = i + 1 < kept.size() ? kept[i + 1].at : folded.size();
        out.values[kept[i].field] =
            text::trim(folded.substr(kept[i].value_at, end - kept[i].value_at));
    }
    return out;
}

}  // namespace ledgerbot::bot::text
