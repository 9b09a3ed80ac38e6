#pragma once

#include <cstddef>
#include <optional>

#include "bot/reports/parsing/report_text.hpp"
#include "bot/reports/parsing/report_vocabulary.hpp"

/// How the visit was made (走访方式) and the words saying a visit took place (走访, 调研).
namespace ledgerbot::bot::reports::parsing {

/// Where a mode keyword or visit cue was found; `mode` is null for a cue that is not a mode.
struct Hit {
    std::size_t begin = 0;
    std::size_t end = 0;
    const Vocabulary::Mode* mode = nullptr;
};

/// The mode a text states: a mode's own name (电话回访) wins; otherwise the keyword written
/// first. A keyword that names a number (联系电话, 电话：139…) or an appointment (电话预约)
/// does not count.
std::optional<Hit> find_mode(View f, const Vocabulary& vocabulary);

/// The first mode keyword or visit cue.
std::optional<Hit> find_cue(View f, const Vocabulary& vocabulary);

}  // namespace ledgerbot::bot::reports::parsing
