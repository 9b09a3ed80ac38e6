// libFuzzer target for what the web console reads from a browser before any check: form bodies
// and query strings (uriparser), the Cookie header, and the `next` / `back` paths it redirects
// to. Properties: nothing crashes; a decoded form is valid UTF-8; an encoded value decodes to
// itself; a redirect target is always a console path.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/console/console_request.hpp"
#include "app/http/form_data.hpp"
#include "bot/text/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ledgerbot;
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    if (const auto form = app::http::parse_form(input)) {
        for (const auto& [key, value] : *form) {
            if (!bot::text::is_valid_utf8(key) || !bot::text::is_valid_utf8(value)) {
                std::abort();
            }
        }
    }
    app::http::parse_cookies(input);
    app::console::query_fields(input);

    // uriparser hands out C strings: a %00 ends a value, so NUL is left out of the round trip.
    if (bot::text::is_valid_utf8(input) && input.find('\0') == std::string_view::npos) {
        const auto back = app::http::parse_form("v=" + app::http::encode_query_value(input));
        if (!back || back->at("v") != input) {
            std::abort();
        }
    }

    const std::string next = app::console::safe_next(input);
    if (!next.starts_with("/console/") || next.starts_with("//") ||
        next.find('\\') != std::string::npos) {
        std::abort();
    }
    return 0;
}
