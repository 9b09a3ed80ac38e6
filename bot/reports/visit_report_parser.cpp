#include "bot/reports/visit_report_parser.hpp"

#include <algorithm>
#include <utility>

#include "bot/reports/parsing/report_kind.hpp"
#include "bot/reports/parsing/report_layout.hpp"
#include "bot/reports/parsing/report_modes.hpp"
#include "bot/reports/parsing/report_needs.hpp"
#include "bot/reports/parsing/report_people.hpp"
#include "bot/reports/parsing/report_phones.hpp"
#include "bot/reports/parsing/report_sentences.hpp"
#include "bot/reports/parsing/report_text.hpp"
#include "bot/reports/parsing/report_vocabulary.hpp"
#include "bot/text/phone_number.hpp"
#include "bot/time/civil_time.hpp"
#include "bot/time/time_expression.hpp"

namespace ledgerbot::bot::reports {
namespace {

using namespace parsing;

// Assembles a report from what each part reads, field by field: a labelled field is taken as
// written; a field without one is looked for in the unlabelled text.
class Builder {
public:
    Builder(const Message& message, const Segments& segments, std::int64_t now,
            const model::Directory& directory, const settings::ReportSettings& settings,
            const Vocabulary& vocabulary, const std::string& sender_name)
        : m_(message),
          segments_(segments),
          now_(now),
          directory_(directory),
          settings_(settings),
          vocabulary_(vocabulary),
          sender_name_(sender_name) {}

    ParsedReport build() {
        const View body = sub(m_.folded, m_.body_begin, m_.folded.size());
        narrative_ = narrative_ranges();
        narrative_folded_ = join(m_.folded, narrative_);

        company();
        visit_time();
        mode();
        visitors(body);
        phones_and_contact();
        prose_fields();
        std::sort(unlabelled_.begin(), unlabelled_.end());
        clauses_ = read_clauses(m_.folded, unlabelled_, vocabulary_, company_names_);
        feedback();
        content();
        demands();

        const bool company_named = report_.company_id.has_value() ||
                                   segments_.labelled(model::VisitField::company) ||
                                   directory_.find_company_in_text(
                                       utf8(sub(m_.original, m_.body_begin, m_.original.size())));
        report_.labelled = segments_.labelled_count() > 0;
        MessageKind kind = MessageKind::other;
        if (m_.header ||
            (!m_.other_header && !m_.command && segments_.labelled_count() >= 3 && company_named)) {
            kind = labelled_plan_ || m_.plan_header ? MessageKind::plan : MessageKind::report;
        } else {
            kind = judge_free_text(m_, body, company_named, now_, vocabulary_);
        }
        report_.is_report = kind == MessageKind::report;
        report_.is_plan = kind == MessageKind::plan;
        if (report_.is_plan && !report_.planned_time) {
            if (auto first = time::time_expression::first_date(body, now_);
                first && time::time_expression::is_after(*first, now_)) {
                report_.planned_time = first->unix_seconds;
            }
        }
        drop_trailing_remarks();
        for (model::VisitField field : settings_.required) {
            if (!report_.has(field)) {
                report_.missing.push_back(field);
            }
        }
        return std::move(report_);
    }

private:
    // 希望对接银行（后续再跟进）: a bracket at the end of a value that holds a remark about the
    // report (configured words) is not part of the value; (总经理) after a name is. A value that
    // was nothing but a remark is missing.
    void drop_trailing_remarks() {
        for (auto it = report_.values.begin(); it != report_.values.end();) {
            if (it->first == model::VisitField::company ||
                it->first == model::VisitField::visit_time) {
                ++it;
                continue;
            }
            const auto [value, remark] = without_remarks(text::decode_utf8(it->second));
            // 联系人：暂无（后续补充） says as little as 暂无.
            if (value.empty() || (remark && vocabulary_.is_placeholder(value))) {
                it = report_.values.erase(it);
            } else {
                it->second = utf8(value);
                ++it;
            }
        }
        std::vector<std::string> demands;
        for (const std::string& item : report_.demands) {
            const auto [value, remark] = without_remarks(text::decode_utf8(item));
            const Text folded = text::fold_width(value);
            if (!value.empty() && !means_none(folded) && !vocabulary_.is_placeholder(folded)) {
                demands.push_back(utf8(value));
            }
        }
        report_.demands = std::move(demands);
    }

    // The value without trailing brackets that hold a remark, and whether there were any.
    std::pair<Text, bool> without_remarks(Text value) const {
        bool removed = false;
        for (;;) {
            const Range r = trim_range(value, {0, value.size()}, true);
            value = Text(sub(value, r.first, r.second));
            if (value.empty() || text::fold_width(value.back()) != U')') {
                break;
            }
            const std::size_t open = value.find_last_of(U"(（");
            if (open == Text::npos) {
                break;
            }
            const Text inner = compact(text::fold_width(value.substr(open + 1)));
            const bool remark =
                std::any_of(vocabulary_.remark_words.begin(), vocabulary_.remark_words.end(),
                            [&](const Text& word) { return inner.find(word) != Text::npos; });
            if (!remark) {
                break;
            }
            value.erase(open);
            removed = true;
        }
        return {std::move(value), removed};
    }

    // Where fields without a label of their own are looked for: unlabelled text, the prose
    // fields, and the one-line fields people run on into (企业：清源农业 昨天电话回访了…).
    std::vector<Range> narrative_ranges() const {
        std::vector<Range> out = segments_.unlabelled;
        for (model::VisitField field :
             {model::VisitField::company, model::VisitField::visit_time, model::VisitField::mode,
              model::VisitField::content, model::VisitField::feedback, model::VisitField::contact,
              model::VisitField::business_status, model::VisitField::demand,
              model::VisitField::matchable_services}) {
            if (const auto* ranges = segments_.ranges(field)) {
                out.insert(out.end(), ranges->begin(), ranges->end());
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    // A labelled field with an empty value is looked for in the free text like an absent one.
    bool written(model::VisitField field) const { return segments_.ranges(field) != nullptr; }

    Text original_of(model::VisitField field) const {
        const auto* ranges = segments_.ranges(field);
        return ranges ? join(m_.original, *ranges) : Text{};
    }
    Text folded_of(model::VisitField field) const {
        const auto* ranges = segments_.ranges(field);
        return ranges ? join(m_.folded, *ranges) : Text{};
    }

    void infer(model::VisitField field, std::string value) {
        report_.values[field] = std::move(value);
        report_.inferred.push_back(field);
    }

    void issue(model::VisitField field, std::string code, View value) {
        report_.issues.push_back({field, std::move(code), utf8(value)});
    }

    void accept_company(const model::Company& company) {
        report_.company_id = company.id;
        report_.values[model::VisitField::company] = company.full_name;
        // 示例科技表示…: the company's own names speak for it.
        company_names_.push_back(text::fold_width(text::decode_utf8(company.full_name)));
        for (const auto& name : company.short_names) {
            company_names_.push_back(text::fold_width(text::decode_utf8(name)));
        }
        std::sort(company_names_.begin(), company_names_.end(),
                  [](const Text& a, const Text& b) { return a.size() > b.size(); });
    }

    void company() {
        if (written(model::VisitField::company)) {
            const Text value = original_of(model::VisitField::company);
            const Range r = trim_range(value, {0, value.size()}, true);
            const std::string name = utf8(sub(value, r.first, r.second));
            const model::Company* found = directory_.find_company(name);
            if (!found) {
                found = directory_.find_company_in_text(name);
            }
            if (found) {
                accept_company(*found);
                take_run_on_text(*found);
            } else {
                issue(model::VisitField::company, "company_not_listed",
                      sub(value, r.first, r.second));
            }
            return;
        }
        const std::string body = utf8(sub(m_.original, m_.body_begin, m_.original.size()));
        if (const model::Company* found = directory_.find_company_in_text(body)) {
            accept_company(*found);
            report_.inferred.push_back(model::VisitField::company);
        }
    }

    // 企业：清源农业 昨天电话回访了… runs the account on after the name; that part is content.
    void take_run_on_text(const model::Company& company) {
        std::vector<Text> names{text::fold_width(text::decode_utf8(company.full_name))};
        for (const auto& short_name : company.short_names) {
            names.push_back(text::fold_width(text::decode_utf8(short_name)));
        }
        std::sort(names.begin(), names.end(),
                  [](const Text& a, const Text& b) { return a.size() > b.size(); });
        for (const auto& [b, e] : *segments_.ranges(model::VisitField::company)) {
            const View value = sub(m_.folded, b, e);
            for (const Text& name : names) {
                const std::size_t at = name.empty() ? View::npos : value.find(name);
                if (at == View::npos) {
                    continue;
                }
                const Range rest = trim_range(m_.folded, {b + at + name.size(), e}, true);
                if (rest.second - rest.first >= 4 && m_.folded[rest.first] != U'(') {
                    unlabelled_.push_back(rest);
                }
                break;
            }
        }
    }

    void set_time(const time::time_expression::Resolved& when, bool inferred) {
        report_.visit_time = when.unix_seconds;
        report_.visit_time_date_only = when.date_only;
        std::string shown = when.date_only ? time::format_date(time::local_date(when.unix_seconds))
                                           : time::format_local_minutes(when.unix_seconds);
        if (inferred) {
            infer(model::VisitField::visit_time, std::move(shown));
        } else {
            report_.values[model::VisitField::visit_time] = std::move(shown);
        }
    }

    void visit_time() {
        if (written(model::VisitField::visit_time)) {
            const Text value = original_of(model::VisitField::visit_time);
            const auto when = time::time_expression::find_in_field(
                folded_of(model::VisitField::visit_time), now_);
            if (!when) {
                issue(model::VisitField::visit_time, "time_unrecognized", value);
            } else if (time::time_expression::is_after(*when, now_)) {
                // A supplement may not move a visit ahead; a report about a day ahead is a plan.
                if (m_.form) {
                    issue(model::VisitField::visit_time, "time_in_future", value);
                } else {
                    report_.planned_time = when->unix_seconds;
                    labelled_plan_ = true;
                }
            } else {
                set_time(*when, false);
            }
            return;
        }
        if (auto when = time::time_expression::find_in_free_text(narrative_folded_, now_)) {
            set_time(*when, true);
        }
    }

    void mode() {
        if (written(model::VisitField::mode)) {
            if (auto hit = find_mode(folded_of(model::VisitField::mode), vocabulary_)) {
                report_.values[model::VisitField::mode] = hit->mode->name;
            } else {
                issue(model::VisitField::mode, "mode_unrecognized",
                      original_of(model::VisitField::mode));
            }
            return;
        }
        if (auto hit = find_mode(narrative_folded_, vocabulary_)) {
            infer(model::VisitField::mode, hit->mode->name);
        }
    }

    // A 走访人员 line wins; otherwise first-person text names the sender and the colleagues it
    // joins to the visit.
    void visitors(View body) {
        if (written(model::VisitField::visitors)) {
            // 走访人员：我和张三 — 我 is the sender.
            Text value = original_of(model::VisitField::visitors);
            if (!sender_name_.empty()) {
                const Text sender = text::decode_utf8(sender_name_);
                for (const Text& word : vocabulary_.first_person_words) {  // longest first
                    for (std::size_t at = value.find(word); at != Text::npos;
                         at = value.find(word, at + sender.size())) {
                        value.replace(at, word.size(), sender);
                    }
                }
            }
            report_.visitors = split_visitors(value);
        } else if (!segments_.labelled(model::VisitField::visitors)) {
            const bool free_text = !m_.header && segments_.labelled_count() < 3;
            report_.visitors =
                first_person_visitors(body, sender_name_, directory_, vocabulary_, free_text);
            if (!report_.visitors.empty()) {
                report_.inferred.push_back(model::VisitField::visitors);
            }
        }
        if (!report_.visitors.empty()) {
            std::string joined;
            for (const auto& name : report_.visitors) {
                joined += (joined.empty() ? "" : "、") + name;
            }
            report_.values[model::VisitField::visitors] = std::move(joined);
        }
    }

    void phones_and_contact() {
        PhoneSources sources;
        sources.phone_labelled = written(model::VisitField::phone);
        sources.phone_original = original_of(model::VisitField::phone);
        sources.phone_folded = folded_of(model::VisitField::phone);
        sources.contact_original = original_of(model::VisitField::contact);
        sources.contact_folded = folded_of(model::VisitField::contact);
        sources.narrative_original = join(m_.original, narrative_);
        sources.narrative_folded = narrative_folded_;
        const PhoneReading reading = read_phones(sources, vocabulary_);
        if (reading.phone) {
            report_.values[model::VisitField::phone] = *reading.phone;
            if (reading.inferred) {
                report_.inferred.push_back(model::VisitField::phone);
            }
        } else if (reading.invalid) {
            issue(model::VisitField::phone, "phone_invalid", *reading.invalid);
        }
        if (written(model::VisitField::company_phone)) {
            const auto candidates =
                text::phone_number::scan(folded_of(model::VisitField::company_phone));
            const auto valid = std::find_if(candidates.begin(), candidates.end(),
                                            [](const auto& c) { return c.valid.has_value(); });
            if (valid != candidates.end()) {
                report_.values[model::VisitField::company_phone] = *valid->valid;
            } else {
                issue(model::VisitField::company_phone, "phone_invalid",
                      original_of(model::VisitField::company_phone));
            }
        } else if (reading.landline) {
            report_.values[model::VisitField::company_phone] = *reading.landline;
        }

        // The contact field often carries the number too: 王总 13912345678.
        if (written(model::VisitField::contact)) {
            const auto contact_phones = text::phone_number::scan(sources.contact_folded);
            std::string name = contact_name(sources.contact_original, sources.contact_folded,
                                            contact_phones, vocabulary_);
            if (!name.empty()) {
                report_.values[model::VisitField::contact] = std::move(name);
                return;
            }
        }
        Text scope = narrative_folded_;
        Text scope_original = sources.narrative_original;
        if (written(model::VisitField::phone)) {
            scope += U'\n';
            scope += sources.phone_folded;
            scope_original += U'\n';
            scope_original += sources.phone_original;
        }
        if (auto name = find_contact_name(scope)) {
            infer(model::VisitField::contact, utf8(sub(scope_original, name->first, name->second)));
        }
    }

    void prose_fields() {
        for (model::VisitField field :
             {model::VisitField::content, model::VisitField::feedback,
              model::VisitField::business_status, model::VisitField::industry,
              model::VisitField::demand, model::VisitField::matchable_services}) {
            if (!written(field)) {
                continue;
            }
            const Text value = original_of(field);
            const Range r = trim_range(value, {0, value.size()}, false);
            if (r.first < r.second) {
                report_.values[field] = utf8(sub(value, r.first, r.second));
            }
        }
    }

    // Without a 客户反馈 line, what the company side said in the unlabelled text is the feedback
    // (王总表示…, 对方希望…); it leaves the content.
    void feedback() {
        if (segments_.labelled(model::VisitField::feedback)) {
            return;
        }
        std::vector<Range> spans;
        for (const Clause& clause : clauses_) {
            if (clause.feedback) {
                spans.push_back(clause.span);
            }
        }
        if (spans.empty()) {
            return;
        }
        const Text text = join_pieces(m_.original, m_.folded, spans);
        if (!text.empty()) {
            infer(model::VisitField::feedback, utf8(text));
            feedback_spans_ = std::move(spans);
        }
    }

    // Unlabelled text is what the person said about the visit: free text is content, less what
    // the company side said.
    void content() {
        if (written(model::VisitField::content) || unlabelled_.empty()) {
            return;
        }
        const Text text =
            join_pieces(m_.original, m_.folded, subtract(unlabelled_, feedback_spans_));
        if (!text.empty()) {
            infer(model::VisitField::content, utf8(text));
        }
    }

    // A 服务需求 line gives its items as written; otherwise the needs the text states, by the
    // configured vocabulary, in the unlabelled text and the content and feedback lines.
    void demands() {
        if (segments_.labelled(model::VisitField::demand)) {
            if (written(model::VisitField::demand)) {
                report_.demands = split_demands(original_of(model::VisitField::demand),
                                                folded_of(model::VisitField::demand));
            }
            return;
        }
        std::vector<Clause> clauses = clauses_;
        for (model::VisitField field : {model::VisitField::content, model::VisitField::feedback}) {
            if (const auto* ranges = segments_.ranges(field)) {
                for (Clause clause :
                     read_clauses(m_.folded, *ranges, vocabulary_, company_names_)) {
                    clause.feedback = clause.feedback || field == model::VisitField::feedback;
                    clauses.push_back(clause);
                }
            }
        }
        std::sort(clauses.begin(), clauses.end(),
                  [](const Clause& a, const Clause& b) { return a.range.first < b.range.first; });
        report_.demands = needs_in_clauses(m_.folded, clauses, vocabulary_);
        report_.demands_inferred = !report_.demands.empty();
    }

    const Message& m_;
    const Segments& segments_;
    std::int64_t now_;
    const model::Directory& directory_;
    const settings::ReportSettings& settings_;
    const Vocabulary& vocabulary_;
    const std::string& sender_name_;
    std::vector<Range> narrative_;
    Text narrative_folded_;
    std::vector<Range> unlabelled_ = segments_.unlabelled;
    std::vector<Text> company_names_;
    std::vector<Clause> clauses_;
    std::vector<Range> feedback_spans_;
    bool labelled_plan_ = false;
    ParsedReport report_;
};

}  // namespace

std::string ParsedReport::value(model::VisitField field) const {
    auto it = values.find(field);
    return it == values.end() ? std::string{} : it->second;
}

bool ParsedReport::was_inferred(model::VisitField field) const {
    return std::find(inferred.begin(), inferred.end(), field) != inferred.end();
}

bool has_report_header(std::string_view text, const settings::ReportSettings& settings) {
    const Vocabulary& vocabulary = vocabulary_for(settings);
    return prepare(text, vocabulary).header;
}

MessageKind classify_message(std::string_view text, std::int64_t message_time,
                             const model::Directory& directory,
                             const settings::ReportSettings& settings,
                             const std::string& sender_name,
                             std::optional<ParsedReport>* parsed_out) {
    const Vocabulary& vocabulary = vocabulary_for(settings);
    const Message message = prepare(text, vocabulary);
    const auto full_parse = [&] {
        ParsedReport parsed =
            parse_visit_report(text, message_time, directory, settings, sender_name);
        const MessageKind kind = parsed.is_plan ? MessageKind::plan : MessageKind::report;
        if (parsed_out != nullptr) {
            parsed_out->emplace(std::move(parsed));
        }
        return kind;
    };
    if (message.header) {
        // A header's report is answered either way; whether it is a plan needs the full parse.
        return full_parse();
    }
    const Segments segments = segment(message, vocabulary);
    const std::string body =
        utf8(sub(message.original, message.body_begin, message.original.size()));
    bool company_named = directory.find_company_in_text(body) != nullptr;
    if (!company_named && segments.labelled(model::VisitField::company)) {
        company_named = true;
    }
    if (!message.other_header && !message.command && segments.labelled_count() >= 3 &&
        company_named) {
        return full_parse();
    }
    return judge_free_text(message, sub(message.folded, message.body_begin, message.folded.size()),
                           company_named, message_time, vocabulary);
}

ParsedReport parse_visit_report(std::string_view text, std::int64_t message_time,
                                const model::Directory& directory,
                                const settings::ReportSettings& settings,
                                const std::string& sender_name) {
    const Vocabulary& vocabulary = vocabulary_for(settings);
    const Message message = prepare(text, vocabulary);
    const Segments segments = segment(message, vocabulary);
    return Builder(message, segments, message_time, directory, settings, vocabulary, sender_name)
        .build();
}

ParsedReport parse_visit_supplement(std::string_view text, std::int64_t message_time,
                                    const model::Directory& directory,
                                    const settings::ReportSettings& settings) {
    const Vocabulary& vocabulary = vocabulary_for(settings);
    Message message = prepare(text, vocabulary);
    message.form = true;
    const Segments segments = segment(message, vocabulary);
    const std::string no_sender;
    return Builder(message, segments, message_time, directory, settings, vocabulary, no_sender)
        .build();
}

std::optional<ParsedTime> parse_time_expression(std::string_view text, std::int64_t now) {
    const Text folded = text::fold_width(text::decode_utf8(truncated(text)));
    if (auto when = time::time_expression::find_in_field(folded, now)) {
        return ParsedTime{when->unix_seconds, when->date_only};
    }
    return std::nullopt;
}

std::optional<std::string> normalize_phone(std::string_view text) {
    std::string digits;
    const Text folded = text::fold_width(text::decode_utf8(truncated(text)));
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const char32_t c = folded[i];
        if (is_digit(c)) {
            digits.push_back(static_cast<char>(c));
        } else if (c == U'+' && digits.empty()) {
            continue;
        } else if (!is_space(c) && c != U'-' && c != U'(' && c != U')' && c != U'—') {
            return std::nullopt;
        }
    }
    return text::phone_number::validate_digits(digits);
}

}  // namespace ledgerbot::bot::reports
