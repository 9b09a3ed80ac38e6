#include "storage/csv_table.hpp"

#include <csv.h>

#include <memory>

#include "bot/text/text.hpp"

namespace ledgerbot::storage {
namespace {

struct Collector {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> current;
};

void on_field(void* data, std::size_t length, void* context) {
    auto* collector = static_cast<Collector*>(context);
    collector->current.emplace_back(static_cast<const char*>(data), length);
}

void on_row(int, void* context) {
    auto* collector = static_cast<Collector*>(context);
    collector->records.push_back(std::move(collector->current));
    collector->current.clear();
}

}  // namespace

boost::outcome_v2::result<TextTable, std::string> parse_csv(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    }
    if (!bot::text::is_valid_utf8(text)) {
        return std::string("file is not UTF-8 text (save it as \"CSV UTF-8\")");
    }
    csv_parser parser{};
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        return std::string("cannot initialise the CSV parser");
    }
    std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
    Collector collector;
    if (csv_parse(&parser, text.data(), text.size(), on_field, on_row, &collector) != text.size() ||
        csv_fini(&parser, on_field, on_row, &collector) != 0) {
        return "CSV syntax error near record " + std::to_string(collector.records.size() + 1) +
               ": " + csv_strerror(csv_error(&parser));
    }
    TextTable table;
    int record_number = 0;
    for (auto& record : collector.records) {
        ++record_number;
        bool blank = true;
        for (auto& field : record) {
            field = bot::text::trim(field);
            blank = blank && field.empty();
        }
        if (blank) {
            continue;
        }
        if (table.header.empty()) {
            table.header = std::move(record);
            continue;
        }
        table.rows.push_back(std::move(record));
        table.row_numbers.push_back(record_number);
    }
    if (table.header.empty()) {
        return std::string("file is empty (a header row is required)");
    }
    return table;
}

}  // namespace ledgerbot::storage
