#include "storage/xlsx_table.hpp"

#include <zip.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <pugixml.hpp>

#include "bot/time/civil_time.hpp"

namespace ledgerbot::storage {
namespace {

constexpr std::size_t kMaxEntryBytes = 64U << 20;
constexpr int kMaxRows = 100000;
constexpr std::size_t kMaxColumns = 200;

// Its own type, so a Result<std::string> cannot confuse the value with the error.
struct Failure {
    std::string message;
};
template <class T>
using Result = boost::outcome_v2::checked<T, Failure>;

struct ArchiveCloser {
    void operator()(zip_t* archive) const { zip_discard(archive); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

Result<Archive> open_archive(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
        std::string why = zip_error_strerror(&error);
        zip_error_fini(&error);
        return Failure{"not a readable xlsx file: " + why};
    }
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive == nullptr) {
        zip_source_free(source);
        std::string why = zip_error_strerror(&error);
        zip_error_fini(&error);
        return Failure{"not a readable xlsx file (the zip archive: " + why + ")"};
    }
    zip_error_fini(&error);
    return Archive(archive);
}

// nullopt when the archive has no such entry; an error when it cannot be read or is too big.
Result<std::optional<std::string>> read_entry(zip_t* archive, const std::string& name) {
    const zip_int64_t index = zip_name_locate(archive, name.c_str(), 0);
    if (index < 0) {
        return std::optional<std::string>{};
    }
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) {
        return Failure{name + " in the xlsx file cannot be read: " +
                       zip_error_strerror(zip_get_error(archive))};
    }
    std::string out;
    char buffer[1 << 16];
    for (;;) {
        const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
        if (n < 0) {
            std::string why = zip_error_strerror(zip_file_get_error(file));
            zip_fclose(file);
            return Failure{name + " in the xlsx file is damaged: " + why};
        }
        if (n == 0) {
            break;
        }
        // Counted as it is inflated: the sizes a zip declares can lie.
        if (out.size() + static_cast<std::size_t>(n) > kMaxEntryBytes) {
            zip_fclose(file);
            return Failure{name + " in the xlsx file is larger than 64 MiB uncompressed"};
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
    zip_fclose(file);
    return std::optional<std::string>(std::move(out));
}

Result<pugi::xml_document> parse_xml(const std::string& text, const std::string& name) {
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
    if (!parsed) {
        return Failure{name + " in the xlsx file is not valid XML: " + parsed.description()};
    }
    return doc;
}

// The text of every <t> under `node` (a shared string or inline string may be split in runs).
std::string text_runs(const pugi::xml_node& node) {
    std::string out;
    for (const pugi::xpath_node& t : node.select_nodes(".//t")) {
        out += t.node().text().get();
    }
    return out;
}

// The first sheet's part name, through the workbook and its relationships.
Result<std::string> first_sheet_path(zip_t* archive) {
    constexpr const char* kDefault = "xl/worksheets/sheet1.xml";
    auto workbook_text = read_entry(archive, "xl/workbook.xml");
    auto rels_text = read_entry(archive, "xl/_rels/workbook.xml.rels");
    if (!workbook_text) {
        return workbook_text.error();
    }
    if (!rels_text) {
        return rels_text.error();
    }
    if (!workbook_text.value() || !rels_text.value()) {
        return std::string(kDefault);
    }
    auto workbook = parse_xml(*workbook_text.value(), "xl/workbook.xml");
    auto rels = parse_xml(*rels_text.value(), "xl/_rels/workbook.xml.rels");
    if (!workbook || !rels) {
        return workbook ? rels.error() : workbook.error();
    }
    const pugi::xml_node sheet = workbook.value().child("workbook").child("sheets").child("sheet");
    const std::string id = sheet.attribute("r:id").value();
    for (const pugi::xml_node& rel : rels.value().child("Relationships").children("Relationship")) {
        if (id.empty() || rel.attribute("Id").value() != id) {
            continue;
        }
        std::string target = rel.attribute("Target").value();
        if (target.empty()) {
            break;
        }
        return target.front() == '/' ? target.substr(1) : "xl/" + target;
    }
    return std::string(kDefault);
}

bool is_date_format_code(std::string_view code) {
    // Quoted text and [colour]/[$-locale] sections say nothing about dates.
    bool quoted = false;
    int bracket = 0;
    for (const char c : code) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == '[') {
            ++bracket;
        } else if (!quoted && c == ']') {
            bracket = std::max(0, bracket - 1);
        } else if (!quoted && bracket == 0 &&
                   (c == 'y' || c == 'Y' || c == 'd' || c == 'D' || c == 'e')) {
            return true;
        }
    }
    return false;
}

// Style index (a cell's `s`) → whether its number format shows a date.
Result<std::vector<bool>> date_styles(zip_t* archive) {
    auto text = read_entry(archive, "xl/styles.xml");
    if (!text) {
        return text.error();
    }
    std::vector<bool> out;
    if (!text.value()) {
        return out;
    }
    auto doc = parse_xml(*text.value(), "xl/styles.xml");
    if (!doc) {
        return doc.error();
    }
    const pugi::xml_node sheet = doc.value().child("styleSheet");
    std::set<unsigned> custom_dates;
    for (const pugi::xml_node& format : sheet.child("numFmts").children("numFmt")) {
        if (is_date_format_code(format.attribute("formatCode").value())) {
            custom_dates.insert(format.attribute("numFmtId").as_uint());
        }
    }
    for (const pugi::xml_node& xf : sheet.child("cellXfs").children("xf")) {
        const unsigned id = xf.attribute("numFmtId").as_uint();
        // Built-in date formats (ECMA-376 18.8.30, and the East Asian ones 27-36, 50-58).
        const bool builtin =
            (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
        out.push_back(builtin || custom_dates.count(id) > 0);
    }
    return out;
}

// "B12" → 1 (zero-based column); nullopt when the reference has no column letters.
std::optional<std::size_t> column_of(std::string_view ref) {
    std::size_t column = 0;
    std::size_t letters = 0;
    for (const char c : ref) {
        if (c < 'A' || c > 'Z') {
            break;
        }
        column = column * 26 + static_cast<std::size_t>(c - 'A' + 1);
        if (++letters > 3) {
            return std::nullopt;
        }
    }
    if (letters == 0) {
        return std::nullopt;
    }
    return column - 1;
}

std::optional<double> number_of(std::string_view text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::string number_text(std::string_view raw) {
    const auto value = number_of(raw);
    // Integers (a phone or an id typed as a number) without the ".0" or exponent Excel keeps.
    if (value && std::floor(*value) == *value && std::fabs(*value) < 1e15) {
        return std::to_string(static_cast<long long>(*value));
    }
    return std::string(raw);
}

std::string date_text(std::string_view raw) {
    const auto serial = number_of(raw);
    // Excel's day 0 is 1899-12-30 for every serial after its phantom 1900-02-29 (day 60).
    if (!serial || *serial < 61 || *serial > 2958465) {
        return number_text(raw);
    }
    using namespace std::chrono;
    const sys_days day = sys_days{year{1899} / December / 30} + days{static_cast<int>(*serial)};
    return bot::time::format_date(year_month_day{day});
}

}  // namespace

bool looks_like_xlsx(std::string_view bytes) {
    return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

boost::outcome_v2::result<TextTable, std::string> read_xlsx_table(std::string_view bytes) {
    auto archive = open_archive(bytes);
    if (!archive) {
        return archive.error().message;
    }
    zip_t* zip = archive.value().get();
    auto sheet_path = first_sheet_path(zip);
    if (!sheet_path) {
        return sheet_path.error().message;
    }
    auto sheet_text = read_entry(zip, sheet_path.value());
    if (!sheet_text) {
        return sheet_text.error().message;
    }
    if (!sheet_text.value()) {
        return std::string("the xlsx file has no worksheet (" + sheet_path.value() + ")");
    }
    std::vector<std::string> shared;
    auto shared_text = read_entry(zip, "xl/sharedStrings.xml");
    if (!shared_text) {
        return shared_text.error().message;
    }
    if (shared_text.value()) {
        auto doc = parse_xml(*shared_text.value(), "xl/sharedStrings.xml");
        if (!doc) {
            return doc.error().message;
        }
        for (const pugi::xml_node& item : doc.value().child("sst").children("si")) {
            shared.push_back(text_runs(item));
        }
    }
    auto dates = date_styles(zip);
    if (!dates) {
        return dates.error().message;
    }
    auto sheet = parse_xml(*sheet_text.value(), sheet_path.value());
    if (!sheet) {
        return sheet.error().message;
    }

    TextTable table;
    bool have_header = false;
    int rows_read = 0;
    int previous_row = 0;
    for (const pugi::xml_node& row :
         sheet.value().child("worksheet").child("sheetData").children("row")) {
        if (++rows_read > kMaxRows) {
            return std::string("the sheet has more than 100000 rows");
        }
        const int number = row.attribute("r") ? row.attribute("r").as_int() : previous_row + 1;
        previous_row = number;
        std::vector<std::string> cells;
        std::size_t next_column = 0;
        for (const pugi::xml_node& cell : row.children("c")) {
            const std::size_t column = column_of(cell.attribute("r").value()).value_or(next_column);
            if (column >= kMaxColumns) {
                return std::string("row " + std::to_string(number) +
                                   " has a cell beyond column 200");
            }
            next_column = column + 1;
            const std::string_view type = cell.attribute("t").value();
            const std::string raw = cell.child("v").text().get();
            std::string value;
            if (type == "s") {
                const auto index = number_of(raw);
                if (!index || *index < 0 || *index >= static_cast<double>(shared.size())) {
                    return std::string("cell " + std::string(cell.attribute("r").value()) +
                                       " refers to a shared string that does not exist");
                }
                value = shared[static_cast<std::size_t>(*index)];
            } else if (type == "inlineStr") {
                value = text_runs(cell.child("is"));
            } else if (type == "str" || type == "e") {
                value = raw;
            } else if (type == "b") {
                value = raw == "1" ? "TRUE" : "FALSE";
            } else if (type == "d") {
                value = raw.substr(0, 10);
            } else {
                const unsigned style = cell.attribute("s").as_uint();
                value = style < dates.value().size() && dates.value()[style] ? date_text(raw)
                                                                             : number_text(raw);
            }
            if (cells.size() <= column) {
                cells.resize(column + 1);
            }
            cells[column] = std::move(value);
        }
        while (!cells.empty() && cells.back().empty()) {
            cells.pop_back();
        }
        if (cells.empty()) {
            continue;
        }
        if (!have_header) {
            table.header = std::move(cells);
            have_header = true;
            continue;
        }
        table.rows.push_back(std::move(cells));
        table.row_numbers.push_back(number);
    }
    if (!have_header) {
        return std::string("the first sheet of the xlsx file is empty");
    }
    return table;
}

}  // namespace ledgerbot::storage
