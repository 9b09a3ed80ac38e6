#pragma once

#include <optional>
#include <string>

#include "bot/reports/parsing/report_text.hpp"
#include "bot/reports/parsing/report_vocabulary.hpp"
#include "bot/text/phone_number.hpp"

/// Phone numbers of a report: the 联系电话 (the contact's mobile before a landline), the company's
/// landline kept beside it, and numbers that look meant as a phone but are not valid.
namespace ledgerbot::bot::reports::parsing {

/// Where numbers may be written, as original and folded text.
struct PhoneSources {
    bool phone_labelled = false;  ///< a 联系电话 line has text
    Text phone_original, phone_folded;
    Text contact_original, contact_folded;      ///< 联系人：王总 13912345678
    Text narrative_original, narrative_folded;  ///< unlabelled and prose text
};

struct PhoneReading {
    std::optional<std::string> phone;     ///< digits
    std::optional<std::string> landline;  ///< digits, when a mobile is the phone
    bool inferred = false;                ///< found in unlabelled text
    std::optional<Text> invalid;          ///< as written, when only an invalid number was meant
};

/// The first valid mobile, else the first valid number; the labelled line first, then the
/// contact's line, then running text. In running text only numbers that look meant as a phone
/// (a mobile with a digit too many or too few, or one after a phone word) are called invalid.
PhoneReading read_phones(const PhoneSources& sources, const Vocabulary& vocabulary);

}  // namespace ledgerbot::bot::reports::parsing
