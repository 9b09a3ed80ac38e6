#include "tests/support/report_corpus.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "bot/reports/visit_report_parser.hpp"
#include "bot/text/text.hpp"
#include "bot/time/civil_time.hpp"

namespace ledgerbot::testing::report_corpus {
namespace {

using bot::model::VisitField;
using bot::reports::ParsedReport;

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
    if (items.empty()) {
        return "-";
    }
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : separator) + item;
    }
    return out;
}

std::string keys_of(const std::vector<VisitField>& fields, bool sorted) {
    std::vector<std::string> keys;
    for (VisitField field : fields) {
        keys.emplace_back(bot::model::to_key(field));
    }
    if (sorted) {
        std::sort(keys.begin(), keys.end());
    }
    return joined(keys, ",");
}

// A list as the case files write it (a, b or a,b; a | b): items trimmed, optionally sorted.
std::string list_of(const std::string& value, std::u32string_view separators, bool sorted) {
    if (value == "-") {
        return value;
    }
    std::vector<std::string> items;
    for (const auto& item : bot::text::split_any(value, separators)) {
        if (auto trimmed = bot::text::trim(item); !trimmed.empty()) {
            items.emplace_back(trimmed);
        }
    }
    if (sorted) {
        std::sort(items.begin(), items.end());
    }
    return joined(items, ",");
}

std::string in_order(const std::string& value) {
    return list_of(value, U",", false);
}
std::string any_order(const std::string& value) {
    return list_of(value, U",", true);
}
std::string demand_list(const std::string& value) {
    return list_of(value, U"|", false);
}

// Prose compared as words: punctuation, symbols and white space do not count.
std::string words_only(const std::string& value) {
    if (value == "-") {
        return "";
    }
    std::u32string out;
    for (char32_t c : bot::text::fold_width(bot::text::decode_utf8(value))) {
        const bool kept = bot::text::is_han(c) || bot::text::is_digit(c) ||
                          bot::text::is_ascii_letter(c) ||
                          (c > 0x7F && !bot::text::is_space(c) &&
                           std::u32string_view(U"。，、；：？！“”‘’（）【】《》…—·～").find(c) ==
                               std::u32string::npos);
        if (kept) {
            out.push_back(c);
        }
    }
    return bot::text::encode_utf8(out);
}

std::string shown_time(const ParsedReport& parsed) {
    if (!parsed.visit_time) {
        return "-";
    }
    return parsed.visit_time_date_only
               ? bot::time::format_date(bot::time::local_date(*parsed.visit_time))
               : bot::time::format_local_minutes(*parsed.visit_time);
}

std::string value_or_dash(const ParsedReport& parsed, VisitField field) {
    const std::string value = parsed.value(field);
    return value.empty() ? "-" : value;
}

}  // namespace

const std::vector<std::string>& known_keys() {
    static const std::vector<std::string> keys{
        "note",    "message_time", "is_report", "sender", "company",  "visit_time",
        "mode",    "visitors",     "contact",   "phone",  "landline", "demands",
        "content", "feedback",     "missing",   "issues", "inferred"};
    return keys;
}

const std::vector<std::string>& required_report_keys() {
    static const std::vector<std::string> keys{"company", "visit_time", "mode",  "visitors",
                                               "phone",   "missing",    "issues"};
    return keys;
}

Case read_case(const std::filesystem::path& path) {
    Case out;
    out.name = path.filename().string();
    const std::string contents = read_text(path);
    const std::string separator = "\n=====\n";
    const std::size_t split = contents.find(separator);
    if (split == std::string::npos) {
        throw std::runtime_error(out.name + ": no ===== line");
    }
    const auto& keys = known_keys();
    for (const std::string& line : bot::text::split_lines(contents.substr(0, split))) {
        const std::size_t colon = line.find(": ");
        if (colon == std::string::npos ||
            std::find(keys.begin(), keys.end(), line.substr(0, colon)) == keys.end()) {
            throw std::runtime_error(out.name + ": bad header line '" + line + "'");
        }
        out.expect[line.substr(0, colon)] = line.substr(colon + 2);
    }
    out.text = contents.substr(split + separator.size());
    if (!out.text.empty() && out.text.back() == '\n') {
        out.text.pop_back();
    }
    return out;
}

std::vector<Case> load(const std::filesystem::path& fixtures) {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(fixtures / "cases")) {
        if (entry.path().extension() == ".txt") {
            paths.push_back(entry.path());
        }
    }
    std::sort(paths.begin(), paths.end());
    std::vector<Case> out;
    for (const auto& path : paths) {
        out.push_back(read_case(path));
    }
    return out;
}

bot::model::Directory directory(const std::filesystem::path& fixtures) {
    const auto json = nlohmann::json::parse(read_text(fixtures / "directory.json"));
    std::vector<bot::model::Company> companies;
    for (const auto& entry : json.at("companies")) {
        bot::model::Company company;
        company.id = entry.at("id").get<std::int64_t>();
        company.full_name = entry.at("full_name").get<std::string>();
        company.short_names = entry.at("short_names").get<std::vector<std::string>>();
        company.industry = entry.at("industry").get<std::string>();
        companies.push_back(std::move(company));
    }
    std::vector<bot::model::StaffMember> staff;
    for (const auto& entry : json.value("staff", nlohmann::json::array())) {
        bot::model::StaffMember member;
        member.id = entry.at("id").get<std::string>();
        member.name = entry.at("name").get<std::string>();
        member.department = entry.at("department").get<std::string>();
        staff.push_back(std::move(member));
    }
    return bot::model::Directory(std::move(companies), std::move(staff));
}

std::vector<FieldResult> score(const Case& c, const bot::model::Directory& directory,
                               const bot::settings::ReportSettings& settings) {
    const auto now = bot::time::parse_rfc3339(c.expect.at("message_time"));
    if (!now) {
        throw std::runtime_error(c.name + ": bad message_time");
    }
    const auto sender = c.expect.find("sender");
    const ParsedReport parsed = bot::reports::parse_visit_report(
        c.text, *now, directory, settings, sender == c.expect.end() ? "" : sender->second);
    const auto kind_of = [](bool report, bool plan) {
        return report ? std::string("yes") : plan ? std::string("plan") : std::string("no");
    };

    std::vector<FieldResult> out;
    auto compare = [&](const std::string& field, std::string actual,
                       std::string (*normalize)(const std::string&) = nullptr) {
        const auto it = c.expect.find(field);
        if (it == c.expect.end()) {
            return;
        }
        const bool right =
            normalize ? normalize(it->second) == normalize(actual) : it->second == actual;
        out.push_back({field, it->second, std::move(actual), right});
    };
    // The engine decides with the cheap classification; it must agree with the full parse.
    const auto classified = bot::reports::classify_message(c.text, *now, directory, settings);
    const std::string kind = kind_of(parsed.is_report, parsed.is_plan);
    const std::string quick = kind_of(classified == bot::reports::MessageKind::report,
                                      classified == bot::reports::MessageKind::plan);
    compare("is_report", kind == quick ? kind : kind + " (classified " + quick + ")");
    if (c.expect.at("is_report") != "yes") {
        return out;
    }
    compare("company", value_or_dash(parsed, VisitField::company));
    compare("visit_time", shown_time(parsed));
    compare("mode", value_or_dash(parsed, VisitField::mode));
    compare("visitors", joined(parsed.visitors, "、"));
    compare("contact", value_or_dash(parsed, VisitField::contact));
    compare("phone", value_or_dash(parsed, VisitField::phone));
    compare("landline", value_or_dash(parsed, VisitField::company_phone));
    compare("demands", joined(parsed.demands, "|"), demand_list);
    compare("content", value_or_dash(parsed, VisitField::content), words_only);
    compare("feedback", value_or_dash(parsed, VisitField::feedback), words_only);
    compare("missing", keys_of(parsed.missing, false), in_order);
    std::vector<std::string> codes;
    for (const auto& issue : parsed.issues) {
        codes.push_back(issue.code);
    }
    // Issues in any order: each names its field.
    compare("issues", joined(codes, ","), any_order);
    compare("inferred", keys_of(parsed.inferred, true), any_order);
    return out;
}

}  // namespace ledgerbot::testing::report_corpus
