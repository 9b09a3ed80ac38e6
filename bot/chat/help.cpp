#include "bot/chat/help.hpp"
#include "bot/reply_routing.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "bot/decision_context.hpp"
#include "bot/staff_roles.hpp"
#include "bot/text/text.hpp"

namespace ledgerbot::bot::chat {
namespace {

/// What a person may be, for choosing the commands help lists.
struct Roles {
    bool staff = false;
    bool director = false;    ///< a line's director, or a reviewer title (may /核查, /复核)
    bool compliance = false;  ///< sees and acknowledges every risk
};

Roles roles_of(const model::InboundEvent& message, const State& state,
               const settings::EngineSettings& settings) {
    Roles roles;
    const model::StaffMember* staff = state.directory().find_staff(message.sender.id);
    if (staff == nullptr) {
        return roles;
    }
    roles.staff = true;
    roles.compliance = is_compliance_staff(*staff, settings.conventions);
    roles.director = has_any_title(*staff, settings.scores.reviewer_titles) ||
                     std::any_of(settings.scores.lines.begin(), settings.scores.lines.end(),
                                 [&](const settings::ScoreLineSettings& line) {
                                     return line.director_id == staff->id;
                                 });
    return roles;
}

/// One command help knows: its key (the template's flag), group, the words that type it and
/// who sees it in the list.
struct Entry {
    std::string key;
    std::string group;  ///< report | ledger | conventions | scoring | risk (the template's flag)
    std::vector<std::string> words;
    bool header = false;  ///< written as 【…】 opening a message, not as /word
    std::function<bool(const Roles&)> shown;
};

const std::vector<std::string>& words_of(const settings::LedgerSettings& ledger,
                                         const std::string& action) {
    static const std::vector<std::string> kNone;
    const auto it = ledger.commands.find(action);
    return it == ledger.commands.end() ? kNone : it->second;
}

std::vector<Entry> catalogue(const settings::EngineSettings& s) {
    const auto staff = [](const Roles& r) { return r.staff; };
    const auto directors = [](const Roles& r) { return r.director; };
    const auto risk_people = [](const Roles& r) { return r.staff; };
    std::vector<Entry> out{
        {"report", "report", s.report.headers, true, staff},
        {"supplement", "report", s.report.supplement_commands, false, staff},
        {"show_visit", "report", s.report.show_commands, false, staff},
        {"withdraw", "report", s.report.withdraw_commands, false, staff},
        {"briefing", "report", s.briefing.headers, true, staff},
        {"ledger", "ledger", s.chat.ledger_commands, false, staff},
        {"demand", "ledger", s.chat.demand_commands, false, staff},
        {"export", "ledger", s.chat.export_commands, false, staff},
        {"plan", "ledger", words_of(s.ledger, "plan"), false, staff},
        {"contract", "ledger", words_of(s.ledger, "contract"), false, staff},
        {"progress", "ledger", words_of(s.ledger, "progress"), false, staff},
        {"refer", "ledger", words_of(s.ledger, "refer"), false, staff},
        {"referral_landed", "ledger", words_of(s.ledger, "referral_landed"), false, staff},
        {"complete", "ledger", words_of(s.ledger, "complete"), false, staff},
        {"infeasible", "ledger", words_of(s.ledger, "infeasible"), false, staff},
        {"create_group", "conventions", s.conventions.create_group_commands, false, staff},
        {"stage_done", "conventions", s.conventions.stage_done_commands, false, staff},
        {"confirm_self_leave", "conventions", s.conventions.confirm_self_leave_commands, false,
         staff},
        {"confirm_removed", "conventions", s.conventions.confirm_removed_commands, false, staff},
        {"remove_member", "conventions", s.conventions.remove_member_commands, false, staff},
        {"score", "scoring", s.scores.score_commands, false, staff},
        {"check", "scoring", s.scores.check_commands, false, directors},
        {"review", "scoring", s.scores.review_commands, false, directors},
        {"table", "scoring", s.scores.table_commands, false,
         [](const Roles& r) { return r.director || r.compliance; }},
        {"risk_notice", "risk", s.risk_notices.headers, true, risk_people},
        {"acknowledge", "risk", s.risk_notices.acknowledge_commands, false, risk_people},
        {"risks", "risk", s.chat.risk_commands, false, risk_people},
        {"close_risk", "risk", s.risk_notices.close_commands, false,
         [](const Roles& r) { return r.compliance; }},
        {"help", "help", s.chat.help_commands, false, [](const Roles&) { return true; }},
    };
    std::erase_if(out, [](const Entry& e) { return e.words.empty(); });
    return out;
}

std::string typed_form(const Entry& entry) {
    return entry.header ? "【" + entry.words.front() + "】" : "/" + entry.words.front();
}

nlohmann::json entry_fields(const Entry& entry) {
    return {
        {"key_" + entry.key, true}, {"word", entry.words.front()}, {"typed", typed_form(entry)}};
}

/// The groups in the order the list shows them, each with the entries this person may use.
nlohmann::json grouped(const std::vector<Entry>& entries, const Roles& roles) {
    nlohmann::json groups = nlohmann::json::array();
    for (const std::string group : {"report", "ledger", "conventions", "scoring", "risk", "help"}) {
        nlohmann::json lines = nlohmann::json::array();
        for (const Entry& entry : entries) {
            if (entry.group == group && entry.shown(roles)) {
                lines.push_back(entry_fields(entry));
            }
        }
        if (!lines.empty()) {
            groups.push_back({{"group_" + group, true}, {"lines", std::move(lines)}});
        }
    }
    return groups;
}

/// The entry a help argument names: a command word with or without its slash or brackets.
const Entry* entry_named(const std::vector<Entry>& entries, std::string_view asked) {
    std::string word = text::trim(asked);
    for (const std::string_view strip : {"/", "／", "【", "[", "】", "]"}) {
        if (text::starts_with(word, strip)) {
            word.erase(0, strip.size());
        }
        if (word.size() >= strip.size() &&
            std::string_view(word).substr(word.size() - strip.size()) == strip) {
            word.erase(word.size() - strip.size());
        }
    }
    for (const Entry& entry : entries) {
        if (std::find(entry.words.begin(), entry.words.end(), word) != entry.words.end()) {
            return &entry;
        }
    }
    return nullptr;
}

/// Edit distance in code points: how far a mistyped command word is from a known one.
std::size_t distance(const std::u32string& a, const std::u32string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

Decision help_answer(const model::InboundEvent& message, const State& state,
                     const settings::EngineSettings& settings, std::string_view asked) {
    Decision decision;
    DecisionContext ctx(settings, state, decision);
    const std::vector<Entry> entries = catalogue(settings);
    const Roles roles = roles_of(message, state, settings);
    const std::string help = "/" + settings.chat.help_commands.front();
    if (!text::trim(asked).empty()) {
        if (const Entry* entry = entry_named(entries, asked)) {
            nlohmann::json fields = entry_fields(*entry);
            fields["help"] = help;
            fields["for_others"] = !entry->shown(roles);
            ctx.notify(reply_target(message), "help_command", std::move(fields));
            return decision;
        }
    }
    ctx.notify(reply_target(message), "help",
               {{"staff", roles.staff},
                {"asked", text::trim(asked)},
                {"unknown_topic", !text::trim(asked).empty()},
                {"groups", grouped(entries, roles)},
                {"help", help}});
    return decision;
}

}  // namespace

Decision show_help(const CommandCall& call) {
    return help_answer(call.message, call.state, call.settings, call.command.argument);
}

bool is_bare_help(std::string_view text, const settings::EngineSettings& settings) {
    std::string rest = text::trim(text);
    // `@ledgerbot 帮助`: the mention comes first, then a space (WeCom puts U+2005 there).
    if (text::starts_with(rest, "@")) {
        const std::vector<std::string> words = text::split_words(rest);
        if (words.size() != 2) {
            return false;
        }
        rest = words[1];
    }
    const std::string folded = text::encode_utf8(text::fold_width(text::decode_utf8(rest)));
    for (const std::string& word : settings.chat.help_words) {
        if (rest == word ||
            folded == text::encode_utf8(text::fold_width(text::decode_utf8(word)))) {
            return true;
        }
    }
    return false;
}

Decision answer_bare_help(const model::InboundEvent& message, const State& state,
                          const settings::EngineSettings& settings) {
    return help_answer(message, state, settings, "");
}

Decision answer_unknown_command(const model::InboundEvent& message, const text::ChatCommand& typed,
                                const State& state, const settings::EngineSettings& settings) {
    Decision decision;
    DecisionContext ctx(settings, state, decision);
    // A record id glued to a mistyped word (/补冲V1) is not part of the word.
    std::u32string word = text::fold_width(text::decode_utf8(typed.word));
    std::size_t cut = word.size();
    while (cut > 0 && (text::is_digit(word[cut - 1]) || word[cut - 1] == U'-')) {
        --cut;
    }
    if (cut < word.size() && cut > 1 && text::is_ascii_letter(word[cut - 1]) &&
        !text::is_ascii_letter(word[cut - 2])) {
        word.resize(cut - 1);
    }
    std::vector<std::pair<std::size_t, std::string>> near;
    for (const Entry& entry : catalogue(settings)) {
        if (entry.header) {
            continue;
        }
        std::size_t best = std::string::npos;
        for (const std::string& known : entry.words) {
            best = std::min(best, distance(word, text::decode_utf8(known)));
        }
        // Close enough to be a slip: one wrong character in a short word, two in a long one.
        const std::size_t allowed = word.size() <= 3 ? 1 : 2;
        if (best <= allowed) {
            near.emplace_back(best, "/" + entry.words.front());
        }
    }
    std::stable_sort(near.begin(), near.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    nlohmann::json suggestions = nlohmann::json::array();
    std::string listed;  // one line, space-separated: no trailing space for the chat to show
    for (std::size_t i = 0; i < near.size() && i < 3; ++i) {
        suggestions.push_back({{"command", near[i].second}});
        listed += (listed.empty() ? "" : " ") + near[i].second;
    }
    ctx.notify(reply_target(message), "unknown_command",
               {{"typed", "/" + typed.word},
                {"has_suggestions", !suggestions.empty()},
                {"suggestions", std::move(suggestions)},
                {"suggestion_text", listed},
                {"help", "/" + settings.chat.help_commands.front()}});
    return decision;
}

}  // namespace ledgerbot::bot::chat
