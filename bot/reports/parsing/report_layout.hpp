#pragma once

#include <map>
#include <string_view>
#include <vector>

#include "bot/model/visit_field.hpp"
#include "bot/reports/parsing/report_text.hpp"
#include "bot/reports/parsing/report_vocabulary.hpp"

/// The layout of a report message: its header (【走访记录】, the header word alone, or another
/// parser's 【风险提示】), the labels it is written with (`label：value`, `【label】value`,
/// numbered labels, a label alone above its value) and which text each field's label claims.
namespace ledgerbot::bot::reports::parsing {

/// A chat message longer than this is read up to here: nobody types a longer report on a
/// phone, and it bounds the work any input can cause.
constexpr std::size_t kMaxReportBytes = 16 * 1024;

/// The message: decoded, folded, header located.
struct Message {
    Text original;
    Text folded;  // same length: one code point per code point
    std::size_t body_begin = 0;
    bool header = false;
    bool plan_header = false;   // 【走访计划】: what follows is a plan, not a report
    bool other_header = false;  // opens with 【something else】: another parser's message
    bool command = false;       // opens with / (a bot command such as /补充)
    bool form = false;          // known to be labelled fields (a supplement's)
};

/// `bytes` cut to kMaxReportBytes at a code point boundary.
std::string_view truncated(std::string_view bytes);

/// Decodes and folds the message and locates its header.
Message prepare(std::string_view raw, const Vocabulary& vocabulary);

/// The end of a list marker (1. 1、 (1) ① 一、 - •) starting at `p`, or `p` when there is none.
std::size_t skip_marker(View f, std::size_t p, std::size_t e);

/// Fields whose value is prose and may run over several lines.
bool is_narrative(model::VisitField field);

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

/// Which text each label claims; what no label claims is `unlabelled`. Labels without a colon
/// (企业名称 宁夏…) are believed only where the message is clearly a form (a header, a
/// supplement, or at least two colon labels). A placeholder value leaves its field labelled
/// but without text.
Segments segment(const Message& m, const Vocabulary& vocabulary);

}  // namespace ledgerbot::bot::reports::parsing
