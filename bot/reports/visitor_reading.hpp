#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/settings/report_settings.hpp"

namespace ledgerbot::bot::reports {

/// Who visited, read from running text in the first person: 「我和李四上午去星河新材聊了聊」 is
/// the sender and 李四. Colleagues count when the staff directory knows them and a joining word
/// (和, 与, 同, 陪同, …) stands next to their name. Empty when the text is not in the first
/// person ([report] first_person_words). `sender_name` comes first.
std::vector<std::string> first_person_visitors(std::string_view text,
                                               const std::string& sender_name,
                                               const model::Directory& directory,
                                               const settings::ReportSettings& settings);

}  // namespace ledgerbot::bot::reports
