#pragma once

#include <vector>

#include "bot/reports/parsing/report_text.hpp"
#include "bot/reports/parsing/report_vocabulary.hpp"

/// Sentences and clauses of running text, and who speaks in each: the company side (客户反馈:
/// 王总表示…, 对方希望…) or us (走访内容: 我们介绍了…, 现场查看了…).
namespace ledgerbot::bot::reports::parsing {

struct Clause {
    Range range;            ///< in the scanned text, without its closing punctuation
    Range span;             ///< with its closing punctuation (what is cut out of content)
    std::size_t sentence;   ///< index of its sentence, counted over all ranges
    bool feedback = false;  ///< said by the company side
};

/// The clauses of `ranges` of `f` (folded text): sentences end at 。!?; and line ends, clauses
/// at commas. A clause opening (after an opener such as 但, 另外) with a company-side subject
/// (vocabulary.company_subjects, a surname with a title, or one of `company_names`) followed
/// within 6 characters by a speech verb starts feedback; the rest of its sentence stays
/// feedback until a clause opens with one of our subjects (我们, 我方).
std::vector<Clause> read_clauses(View f, const std::vector<Range>& ranges,
                                 const Vocabulary& vocabulary,
                                 const std::vector<Text>& company_names);

/// `ranges` as text: pieces on one line are joined as they stand, lines with a line break; edge
/// blanks and punctuation trimmed.
Text join_pieces(View original, View folded, const std::vector<Range>& ranges);

/// `ranges` without the clauses `taken` (both sorted): what is left, in order.
std::vector<Range> subtract(const std::vector<Range>& ranges, const std::vector<Range>& taken);

}  // namespace ledgerbot::bot::reports::parsing
