#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/model/directory.hpp"
#include "bot/reports/parsing/report_text.hpp"
#include "bot/reports/parsing/report_vocabulary.hpp"
#include "bot/text/phone_number.hpp"

/// People in a report: the company's contact (王总, 李经理), the visitors of a 走访人员 line, and
/// the visitors a first-person text names (我和李四…).
namespace ledgerbot::bot::reports::parsing {

/// The length of a surname + title (王总, 李经理, 张董事长) starting at `pos`, or 0.
std::size_t surname_title_at(View f, std::size_t pos);

/// The first surname + title in the text: how staff name a contact.
std::optional<Range> find_contact_name(View f);

/// The names of a 走访人员 value: 张三、李四, 张三和李四, 张三（客户经理）等.
std::vector<std::string> split_visitors(View value);

/// The contact's name once phone numbers and phone words are taken out: 王总，电话139… → 王总.
std::string contact_name(View original, View folded,
                         const std::vector<text::phone_number::Candidate>& phones,
                         const Vocabulary& vocabulary);

/// Who visited, read from running text in the first person: 「我和李四上午去星河新材聊了聊」 is
/// the sender and 李四. Colleagues count when the staff directory knows them and a joining word
/// ([report] visitor_joiners) stands next to their name. The text is in the first person when it
/// has a first-person word ([report] first_person_words), leaves the subject of a joined
/// colleague out (今天和李四去了…), or — with `subject_implied`, for free text — names no other
/// staff member as a subject (昨晚去老城根餐饮拜访了王总). Empty otherwise or when the sender
/// is unknown. `sender_name` comes first.
std::vector<std::string> first_person_visitors(View folded, const std::string& sender_name,
                                               const model::Directory& directory,
                                               const Vocabulary& vocabulary,
                                               bool subject_implied = false);

}  // namespace ledgerbot::bot::reports::parsing
