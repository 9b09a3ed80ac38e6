#include "bot/visit_report_parser.hpp"

#include <algorithm>
#include <regex>

#include "bot/civil_time.hpp"
#include "bot/text.hpp"

namespace ledgerbot::bot {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

// Removes list markers people put before labels: "1.", "1、", "-", "•", "*".
std::string strip_label(std::string_view raw) {
    std::string label = text::trim(text::to_half_width(raw));
    static const std::regex marker(R"(^(\d+[.、)]|[-*•·]))");
    label = std::regex_replace(label, marker, "");
    label = text::trim(label);
    // Brackets around labels: 【企业全称】 or [企业全称].
    for (const std::string_view open : {"【", "["}) {
        if (text::starts_with(label, open)) {
            label.erase(0, open.size());
        }
    }
    for (const std::string_view close : {"】", "]"}) {
        if (label.size() >= close.size() &&
            label.compare(label.size() - close.size(), close.size(), close) == 0) {
            label.erase(label.size() - close.size());
        }
    }
    return text::trim(label);
}

std::optional<VisitField> field_for_label(std::string_view label, const ReportSettings& settings) {
    const std::string wanted = normalize_name(label);
    if (wanted.empty()) {
        return std::nullopt;
    }
    for (const auto& vocabulary : settings.fields) {
        if (normalize_name(vocabulary.label) == wanted) {
            return vocabulary.field;
        }
        for (const auto& alias : vocabulary.aliases) {
            if (normalize_name(alias) == wanted) {
                return vocabulary.field;
            }
        }
    }
    return std::nullopt;
}

// Splits "label：value" on the first full- or half-width colon.
std::optional<std::pair<std::string, std::string>> split_label(std::string_view line) {
    const std::size_t half = line.find(':');
    const std::size_t full = line.find("：");
    std::size_t pos = std::min(half, full);
    if (pos == std::string_view::npos) {
        return std::nullopt;
    }
    const std::size_t width = pos == full ? std::string_view("：").size() : 1;
    return std::pair{std::string(line.substr(0, pos)), text::trim(line.substr(pos + width))};
}

std::string header_of(std::string_view line, const ReportSettings& settings) {
    const std::string trimmed = text::trim(line);
    for (const auto& header : settings.headers) {
        for (const auto& form : {"【" + header + "】", "[" + header + "]", "［" + header + "］"}) {
            if (text::starts_with(trimmed, form)) {
                return form;
            }
        }
    }
    return {};
}

std::string match_mode(std::string_view value, const ReportSettings& settings) {
    for (const auto& mode : settings.modes) {
        if (value.find(mode.name) != std::string_view::npos) {
            return mode.name;
        }
    }
    for (const auto& mode : settings.modes) {
        for (const auto& keyword : mode.keywords) {
            if (value.find(keyword) != std::string_view::npos) {
                return mode.name;
            }
        }
    }
    return {};
}

int hour_with_period(int hour, std::string_view period) {
    if ((period == "下午" || period == "晚上" || period == "傍晚") && hour < 12) {
        return hour + 12;
    }
    if (period == "中午" && hour < 11) {
        return hour + 12;
    }
    return hour;
}

}  // namespace

std::string ParsedReport::value(VisitField field) const {
    auto it = values.find(field);
    return it == values.end() ? std::string{} : it->second;
}

bool has_report_header(std::string_view text, const ReportSettings& settings) {
    for (const auto& line : text::split_lines(text)) {
        if (!text::trim(line).empty()) {
            return !header_of(line, settings).empty();
        }
    }
    return false;
}

std::optional<std::string> normalize_phone(std::string_view raw) {
    std::string digits;
    for (char c : text::to_half_width(raw)) {
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c == '+' && digits.empty()) {
            continue;
        } else if (c != '-' && c != ' ' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    if (digits.size() == 13 && text::starts_with(digits, "86")) {
        digits.erase(0, 2);
    }
    static const std::regex mobile(R"(^1[3-9]\d{9}$)");
    static const std::regex landline(R"(^0\d{2,3}\d{7,8}$)");
    if (std::regex_match(digits, mobile) || std::regex_match(digits, landline)) {
        return digits;
    }
    return std::nullopt;
}

std::optional<ParsedTime> parse_time_expression(std::string_view raw, std::int64_t now) {
    const std::string value = text::trim(text::to_half_width(raw));
    const year_month_day today = local_date(now);
    std::optional<year_month_day> date;
    std::smatch m;

    static const std::regex full_date(R"((\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?)");
    static const std::regex month_day(R"((\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)");
    if (std::regex_search(value, m, full_date)) {
        date = year_month_day{year{std::stoi(m[1])}, month{static_cast<unsigned>(std::stoi(m[2]))},
                              day{static_cast<unsigned>(std::stoi(m[3]))}};
    } else if (std::regex_search(value, m, month_day)) {
        date = year_month_day{today.year(), month{static_cast<unsigned>(std::stoi(m[1]))},
                              day{static_cast<unsigned>(std::stoi(m[2]))}};
        // A month-day later than today means last year's date (reports describe the past).
        if (date->ok() && sys_days{*date} > sys_days{today}) {
            date = year_month_day{today.year() - std::chrono::years{1}, date->month(), date->day()};
        }
    } else if (value.find("前天") != std::string::npos) {
        date = year_month_day{sys_days{today} - days{2}};
    } else if (value.find("昨天") != std::string::npos || value.find("昨日") != std::string::npos) {
        date = year_month_day{sys_days{today} - days{1}};
    } else if (value.find("今天") != std::string::npos || value.find("今日") != std::string::npos) {
        date = today;
    }

    std::optional<std::pair<int, int>> clock;
    static const std::regex hh_mm(R"((上午|下午|中午|晚上|傍晚|早上)?\s*(\d{1,2})\s*[:点时]\s*(\d{1,2})?\s*(分|半)?)");
    std::string rest = value;
    if (date) {
        // Look for a clock time after the date part so "2026-07-01" is not read as 07:01.
        static const std::regex date_prefix(
            R"(^.*?(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|前天|昨天|昨日|今天|今日))");
        rest = std::regex_replace(value, date_prefix, "", std::regex_constants::format_first_only);
    }
    if (std::regex_search(rest, m, hh_mm)) {
        int hour = std::stoi(m[2]);
        int minute = m[3].matched ? std::stoi(m[3]) : (m[4].matched && m[4] == "半" ? 30 : 0);
        hour = hour_with_period(hour, m[1].matched ? std::string_view(m[1].first.base(), m[1].length()) : "");
        if (hour <= 23 && minute <= 59) {
            clock = std::pair{hour, minute};
        }
    }
    if (!date && clock) {
        date = today;
    }
    if (!date || !date->ok()) {
        return std::nullopt;
    }
    ParsedTime out;
    out.date_only = !clock.has_value();
    out.unix_seconds = from_local(*date, clock ? clock->first : 0, clock ? clock->second : 0, 0);
    return out;
}

ParsedReport parse_visit_report(std::string_view text, std::int64_t message_time,
                                const Directory& directory, const ReportSettings& settings) {
    ParsedReport report;
    std::map<VisitField, std::string> raw;
    const auto lines = text::split_lines(text);
    std::optional<VisitField> current;
    bool header_seen = false;
    for (const auto& line : lines) {
        std::string body = line;
        if (!header_seen) {
            const std::string header = header_of(line, settings);
            if (!header.empty()) {
                header_seen = true;
                body = text::trim(std::string_view(line).substr(line.find(header) + header.size()));
                if (body.empty()) {
                    continue;
                }
            }
        }
        if (auto labelled = split_label(body)) {
            if (auto field = field_for_label(strip_label(labelled->first), settings)) {
                current = field;
                auto& slot = raw[*field];
                if (!slot.empty() && !labelled->second.empty()) {
                    slot += "\n";
                }
                slot += labelled->second;
                continue;
            }
        }
        if (current && !text::trim(body).empty()) {
            auto& slot = raw[*current];
            if (!slot.empty()) {
                slot += "\n";
            }
            slot += text::trim(body);
        }
    }
    report.labelled = !raw.empty();
    report.is_report = header_seen || raw.size() >= 3;

    for (auto& [field, value] : raw) {
        value = text::trim(value);
        if (value.empty()) {
            continue;
        }
        switch (field) {
            case VisitField::company: {
                const Company* company = directory.find_company(value);
                if (!company) {
                    company = directory.find_company_in_text(value);
                }
                if (company) {
                    report.company_id = company->id;
                    report.values[field] = company->full_name;
                } else {
                    report.issues.push_back({field, "company_not_listed", value});
                }
                break;
            }
            case VisitField::visit_time: {
                if (auto parsed = parse_time_expression(value, message_time)) {
                    report.visit_time = parsed->unix_seconds;
                    report.visit_time_date_only = parsed->date_only;
                    report.values[field] = parsed->date_only
                                               ? format_date(local_date(parsed->unix_seconds))
                                               : format_local_minutes(parsed->unix_seconds);
                } else {
                    report.issues.push_back({field, "time_unrecognized", value});
                }
                break;
            }
            case VisitField::mode: {
                const std::string mode = match_mode(value, settings);
                if (!mode.empty()) {
                    report.values[field] = mode;
                } else {
                    report.issues.push_back({field, "mode_unrecognized", value});
                }
                break;
            }
            case VisitField::visitors: {
                report.visitors = text::split_any(value, U"、,，;； /");
                if (!report.visitors.empty()) {
                    std::string joined;
                    for (const auto& name : report.visitors) {
                        joined += (joined.empty() ? "" : "、") + name;
                    }
                    report.values[field] = joined;
                }
                break;
            }
            case VisitField::phone: {
                if (auto phone = normalize_phone(value)) {
                    report.values[field] = *phone;
                } else {
                    report.issues.push_back({field, "phone_invalid", value});
                }
                break;
            }
            case VisitField::demand: {
                report.demands = text::split_any(value, U"\n；;");
                report.values[field] = value;
                break;
            }
            default:
                report.values[field] = value;
                break;
        }
    }

    // "联系人：张总 13800001111" carries the phone too.
    if (!report.has(VisitField::phone) && report.has(VisitField::contact)) {
        static const std::regex phone_in_text(R"((\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8}))");
        std::smatch m;
        const std::string contact = text::to_half_width(report.value(VisitField::contact));
        if (std::regex_search(contact, m, phone_in_text)) {
            if (auto phone = normalize_phone(m.str(0))) {
                report.values[VisitField::phone] = *phone;
                std::erase_if(report.issues, [](const ParseIssue& issue) {
                    return issue.field == VisitField::phone;
                });
            }
        }
    }

    for (VisitField field : settings.required) {
        if (!report.has(field)) {
            report.missing.push_back(field);
        }
    }
    return report;
}

}  // namespace ledgerbot::bot
