// libFuzzer target for the decrypted XML of a self-built app's callback: whatever bytes a
// correctly signed and encrypted callback holds, parse_app_callback refuses, ignores or yields an
// event the inbox can store. Build and run: see tests/fuzz/CMakeLists.txt.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/wecom/app_callback.hpp"
#include "tests/fuzz/wecom_callback_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    ledgerbot::fuzz::check_translated(ledgerbot::adapters::wecom::parse_app_callback(input));
    return 0;
}
