// libFuzzer target for the xlsx reader of the imports (storage/xlsx_table): any bytes must give
// a table or an error, never a crash, a hang or unbounded memory. A table it returns has a
// header and one row number per row.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "storage/xlsx_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto table = ledgerbot::storage::read_xlsx_table(bytes);
    if (table && (table.value().header.empty() ||
                  table.value().rows.size() != table.value().row_numbers.size())) {
        std::abort();
    }
    return 0;
}
