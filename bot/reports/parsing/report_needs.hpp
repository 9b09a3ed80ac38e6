#pragma once

#include <string>
#include <vector>

#include "bot/reports/parsing/report_sentences.hpp"
#include "bot/reports/parsing/report_text.hpp"
#include "bot/reports/parsing/report_vocabulary.hpp"

/// Service needs (服务需求): the items of a labelled 服务需求 line, and the needs running text
/// states in the configured vocabulary ([[report.needs]]).
namespace ledgerbot::bot::reports::parsing {

/// A value that says there is no need: 无, 暂无需求, 不需要, -.
bool means_none(View value);

/// The items of a labelled value as written: split at line breaks, semicolons and item numbers
/// (1、 2. (3) ④); 无 / 暂无需求 gives none.
std::vector<std::string> split_demands(View original, View folded);

/// The need types the clauses state, in order of first mention, each once. A phrase counts when
/// its clause is feedback or carries a need cue (需要, 希望, 意向) and no negation (暂无, 不需要)
/// stands before it in the clause; where phrases overlap the longest wins; a type is dropped when
/// a type of its `unless` list is found too.
std::vector<std::string> needs_in_clauses(View f, const std::vector<Clause>& clauses,
                                          const Vocabulary& vocabulary);

}  // namespace ledgerbot::bot::reports::parsing
