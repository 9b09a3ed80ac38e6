#include "bot/reports/parsing/report_kind.hpp"

#include <algorithm>

#include "bot/reports/parsing/report_modes.hpp"
#include "bot/text/phone_number.hpp"
#include "bot/time/time_expression.hpp"

namespace ledgerbot::bot::reports::parsing {
namespace {

// Only ？ and 吗 mark a question reliably: 呢 and 嘛 end statements as often (还在考虑呢).
bool is_question(View f) {
    std::size_t e = f.size();
    while (e > 0 && (is_blank(f[e - 1]) || contains(U".。!~…", f[e - 1]))) {
        --e;
    }
    return e > 0 && contains(U"?吗", f[e - 1]);
}

// 拜访了 / 回访过 / 已上门 / 去了: it happened. 了解 and 过程 are words, not aspect markers.
bool told_as_done(View body, const Hit& cue) {
    if (cue.end > cue.begin && contains(U"了过", body[cue.end - 1])) {
        return true;
    }
    if (window_has(body, cue.begin >= 3 ? cue.begin - 3 : 0, cue.begin, {U"已"})) {
        return true;
    }
    for (std::size_t i = cue.end; i < cue.end + 3 && i < body.size(); ++i) {
        const char32_t next = i + 1 < body.size() ? body[i + 1] : U'\0';
        if ((body[i] == U'了' && next != U'解') || (body[i] == U'过' && next != U'程')) {
            return true;
        }
    }
    return false;
}

}  // namespace

MessageKind judge_free_text(const Message& m, View body, bool company_named, std::int64_t now,
                            const Vocabulary& vocabulary) {
    if (m.command || m.other_header || is_question(body)) {
        return MessageKind::other;
    }
    const auto cue = find_cue(body, vocabulary);
    if (!cue) {
        return MessageKind::other;
    }
    const bool done = told_as_done(body, *cue);
    // 准备去示例科技拜访王总, 打算这两天电话回访: a plan word in the words before the cue.
    constexpr std::size_t kPlanWithin = 12;
    std::size_t before = cue->begin >= kPlanWithin ? cue->begin - kPlanWithin : 0;
    for (std::size_t i = cue->begin; i > before; --i) {
        if (contains(U".。!?;,\n", body[i - 1])) {
            before = i;  // the cue's own clause
            break;
        }
    }
    if (!company_named) {
        // Only a visit that happened is worth telling its author about; a plan or talk about
        // another company is not said to the bot.
        const auto tense = time::time_expression::first_tense(body);
        const bool plan_word = window_has(
            body, before, cue->begin,
            {U"准备", U"打算", U"计划", U"拟", U"将", U"预约", U"安排", U"要去", U"想去"});
        const bool past = tense == time::time_expression::Tense::past_or_present || done;
        return past && !plan_word && tense != time::time_expression::Tense::future
                   ? MessageKind::unlisted_report
                   : MessageKind::other;
    }
    if (!done &&
        window_has(body, before, cue->begin,
                   {U"准备", U"打算", U"计划", U"拟", U"将", U"预约", U"安排", U"要去", U"想去"})) {
        return MessageKind::plan;
    }
    const auto tense = time::time_expression::first_tense(body);
    if (tense == time::time_expression::Tense::future) {
        return MessageKind::plan;
    }
    if (const auto first = time::time_expression::first_date(body, now);
        first && !done && time::time_expression::is_after(*first, now)) {
        return MessageKind::plan;
    }
    const auto phones = text::phone_number::scan(body);
    const bool phone = std::any_of(phones.begin(), phones.end(),
                                   [](const auto& c) { return c.valid.has_value(); });
    const bool happened = tense == time::time_expression::Tense::past_or_present || phone || done;
    return happened ? MessageKind::report : MessageKind::other;
}

}  // namespace ledgerbot::bot::reports::parsing
