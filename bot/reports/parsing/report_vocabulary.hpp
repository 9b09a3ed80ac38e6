#pragma once

#include <string>
#include <vector>

#include "bot/model/visit_field.hpp"
#include "bot/reports/parsing/report_text.hpp"
#include "bot/settings/report_settings.hpp"

namespace ledgerbot::bot::reports::parsing {

/// The words of one centre's report conventions ([report] in the config), decoded and folded
/// once per parse so that every part compares code points with code points.
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
    struct Need {
        std::string type;
        std::vector<Text> phrases;
        std::vector<std::string> unless;  // types that make this one redundant
    };
    std::vector<Label> labels;  // longest first, so 联系人电话 wins over 电话
    std::vector<Text> headers;
    std::vector<Mode> modes;
    std::vector<Text> cues;
    std::vector<Text> phone_words;   // labels of the phone field: 联系电话, 手机, …
    std::vector<Text> placeholders;  // 待补充, 暂无, 略, —: a value that says there is none
    std::vector<Text> remark_words;  // 详见, 附件, 后续: (详见附件) is a remark, not the value
    std::vector<Text> first_person_words;
    std::vector<Text> visitor_joiners;
    std::vector<Need> needs;
    std::vector<Text> need_cues;
    std::vector<Text> need_negations;
    std::vector<Text> company_subjects;  // 对方, 企业, 董秘: who speaks for the company
    std::vector<Text> our_subjects;      // 我们, 我方: who speaks for the centre
    std::vector<Text> speech_verbs;      // 表示, 反馈, 希望: what the company side said
    std::vector<Text> sentence_openers;  // 但, 另外: words before a clause's subject

    explicit Vocabulary(const settings::ReportSettings& settings);

    /// A value that only stands in for one (待补充, 暂无。, —, /): the field counts as missing.
    bool is_placeholder(View value) const;
    const Label* exact(View word) const;
    /// A label of 4+ characters written with one character wrong, as input methods do
    /// (企业明称, 联系电化): only where a label is expected, at the start of a line.
    const Label* near(View word) const;
    /// A header word, or one of 4+ characters with one character wrong (走访纪录).
    bool is_header(View word) const;
};

/// The vocabulary of `settings`, built once and kept (per thread) while the same settings are
/// passed: building it decodes and sorts every configured word, which costs more than parsing
/// a report.
const Vocabulary& vocabulary_for(const settings::ReportSettings& settings);

/// A configured word as the parser compares it: decoded, folded to half-width, without blanks.
Text prepared_word(std::string_view word);

}  // namespace ledgerbot::bot::reports::parsing
