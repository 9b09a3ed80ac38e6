#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/model/visit_field.hpp"

namespace ledgerbot::bot::settings {

struct FieldVocabulary {
    model::VisitField field = model::VisitField::company;
    std::string label;                 ///< canonical Chinese label, e.g. 企业全称
    std::vector<std::string> aliases;  ///< other labels staff write, e.g. 企业名称, 公司名称

    bool operator==(const FieldVocabulary&) const = default;
};

struct VisitMode {
    std::string name;                   ///< e.g. 电话回访
    std::vector<std::string> keywords;  ///< free-text cues, e.g. 电话, 致电, 回访

    bool operator==(const VisitMode&) const = default;
};

/// A kind of service need (服务需求) and the phrases that name it in free text: 股权融资 ←
/// 引入战投, 增资扩股.
struct NeedType {
    std::string type;
    std::vector<std::string> phrases;
    /// Types that make this one redundant when found too (融资 beside 股权融资).
    std::vector<std::string> unless;

    bool operator==(const NeedType&) const = default;
};

/// Everything the report parser needs to know about one centre's conventions. Filled by the
/// config loader; the defaults live in config/ledgerbot.toml, not here.
struct ReportSettings {
    std::vector<std::string> headers;  ///< e.g. 走访记录 (written as 【走访记录】 or [走访记录])
    std::vector<FieldVocabulary> fields;
    std::vector<model::VisitField> required;
    std::vector<VisitMode> modes;
    /// Words that say a visit took place whatever its mode (走访, 调研): together with a listed
    /// company they let an unlabelled message count as a report.
    std::vector<std::string> visit_cues;
    /// Values that stand in for a missing one (待补充, 暂无, 略, —): the field counts as missing.
    std::vector<std::string> placeholders;
    /// Words that make a bracket at the end of a value a remark, not part of it: 详见, 附件.
    std::vector<std::string> remark_words;
    /// Running text in the first person (我, 我们, 本人) was written by a visitor: the sender.
    std::vector<std::string> first_person_words;
    /// Words joining colleagues to the visit (我和李四, 陪同王五): 和, 与, 同, 陪同, …
    std::vector<std::string> visitor_joiners;
    /// Free text naming a need ([[report.needs]]) makes a demand when its clause is the
    /// company's feedback or carries one of `need_cues` (需要, 希望, 意向), and no
    /// `need_negations` (暂无, 不需要) stands before the phrase.
    std::vector<NeedType> needs;
    std::vector<std::string> need_cues;
    std::vector<std::string> need_negations;
    /// 客户反馈 in free text: a clause whose subject speaks for the company (对方, 企业, 王总)
    /// with a speech verb (表示, 反馈, 希望); one opening with `our_subjects` (我们) is ours.
    std::vector<std::string> company_subjects;
    std::vector<std::string> our_subjects;
    std::vector<std::string> speech_verbs;
    /// Words a clause may open with before its subject: 但, 另外, 同时.
    std::vector<std::string> sentence_openers;
    /// An image the reporter posts in the same chat this long after a report is its evidence.
    std::int64_t evidence_window_seconds = 600;
    /// `/补充 V12 联系电话：…` adds fields to a record; the first word is used in examples.
    std::vector<std::string> supplement_commands;
    std::vector<std::string> show_commands;  ///< 走访: /走访 V12 shows one record in full
    /// 撤回: /撤回 V12 原因 — the reporter withdraws a record posted by mistake, within
    /// `withdraw_window_seconds` of reporting it; later only a director's void.
    std::vector<std::string> withdraw_commands{"撤回"};
    std::int64_t withdraw_window_seconds = 86400;

    bool operator==(const ReportSettings&) const = default;

    const FieldVocabulary* vocabulary(model::VisitField field) const;
    std::string label(model::VisitField field) const;
    /// The first supplement command as typed (`/补充`), for answers that show how to use it.
    std::string supplement_command() const;
};

}  // namespace ledgerbot::bot::settings
