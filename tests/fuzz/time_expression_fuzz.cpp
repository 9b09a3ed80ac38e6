// libFuzzer target for the date and clock expressions (bot/time/time_expression): every report
// and every running text goes through them. Seeded with the visit report corpus. The first
// bytes choose the message time, so dates are resolved around month and year ends too.

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "bot/text/text.hpp"
#include "bot/time/time_expression.hpp"
#include "tests/fuzz/report_input.hpp"

namespace {

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ledgerbot::bot;
    // 2020-01-01 plus up to ~16 years, to the second.
    std::int64_t now = 1577836800;
    if (size >= 4) {
        std::uint32_t offset = 0;
        std::memcpy(&offset, data, 4);
        now += offset % (16LL * 366 * 86400);
    }
    const std::string_view text = ledgerbot::fuzz::message_of(data, size);
    if (!ledgerbot::fuzz::acceptable(text)) {
        return 0;
    }
    const std::u32string folded = text::fold_width(text::decode_utf8(text));
    for (const auto mode :
         {time::time_expression::ScanMode::field, time::time_expression::ScanMode::free_text}) {
        std::size_t previous_end = 0;
        for (const auto& mention : time::time_expression::scan(folded, mode)) {
            require(mention.begin >= previous_end && mention.end > mention.begin &&
                    mention.end <= folded.size());
            previous_end = mention.end;
        }
    }
    // A visit time read from free text never lies ahead of the message.
    if (const auto when = time::time_expression::find_in_free_text(folded, now)) {
        require(!time::time_expression::is_after(*when, now));
    }
    (void)time::time_expression::find_in_field(folded, now);
    (void)time::time_expression::first_date(folded, now);
    (void)time::time_expression::first_tense(folded);
    return 0;
}
