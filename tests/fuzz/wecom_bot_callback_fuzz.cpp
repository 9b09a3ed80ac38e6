// libFuzzer target for the decrypted JSON of an intelligent-bot callback: whatever bytes a
// correctly signed and encrypted callback holds, parse_bot_callback refuses, ignores or yields an
// event the inbox can store. Build and run: see tests/fuzz/CMakeLists.txt.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/wecom/bot_callback.hpp"
#include "bot/text/text.hpp"
#include "tests/fuzz/wecom_callback_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    ledgerbot::fuzz::check_translated(
        ledgerbot::adapters::wecom::parse_bot_callback(input, 1700000000));
    // The mention stripper sees the raw text too. It must not read past a broken sequence, and
    // on valid UTF-8 it only ever removes a prefix.
    const std::string stripped = ledgerbot::adapters::wecom::strip_leading_mention(input);
    if (ledgerbot::bot::text::is_valid_utf8(input)) {
        ledgerbot::fuzz::check(input.ends_with(stripped));
    }
    return 0;
}
