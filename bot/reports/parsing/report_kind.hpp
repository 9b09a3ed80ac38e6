#pragma once

#include <cstdint>

#include "bot/reports/message_kind.hpp"
#include "bot/reports/parsing/report_layout.hpp"
#include "bot/reports/parsing/report_text.hpp"
#include "bot/reports/parsing/report_vocabulary.hpp"

/// Whether unlabelled text tells of a visit that happened, of one planned, or of neither.
namespace ledgerbot::bot::reports::parsing {

using reports::MessageKind;

/// Judges free text (no header, fewer than 3 labels). A report names a company, has a visit cue
/// and says it happened (a day today or past, a clock, a phone number, 了/过 after the cue or 已
/// before it). A plan names a company and a visit cue and speaks of a day ahead, by its words
/// (明天, 下周三) or by its first date (12月8日, 月底), or puts 准备/打算/计划/要去 before the cue.
/// Questions, commands and other 【…】 headers are neither.
MessageKind judge_free_text(const Message& m, View body, bool company_named, std::int64_t now,
                            const Vocabulary& vocabulary);

}  // namespace ledgerbot::bot::reports::parsing
