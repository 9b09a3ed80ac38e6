#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ledgerbot::app::console {

/// Where the console starts after signing in.
inline constexpr const char* kConsoleHome = "/console/risks";

/// A random token as console_tokens makes them: 64 lowercase hex digits.
bool is_token(std::string_view text);

/// Where to go after signing in or after an action: a console path only, never another site
/// (an open redirect); anything else is the home page.
std::string safe_next(std::string_view next);

/// A field of a parsed form or query ("" when absent).
std::string form_value(const std::map<std::string, std::string>& form, const char* name);

/// A field holding a positive whole number (a page, a sequence number), else nullopt: absent,
/// zero, negative, or not a number at all.
std::optional<std::int64_t> positive_value(const std::map<std::string, std::string>& form,
                                           const char* name);

/// The query fields of a request target (`/console/scores?week=2026-W47`); empty when there is
/// no query or it is not valid form data.
std::map<std::string, std::string> query_fields(std::string_view target);

}  // namespace ledgerbot::app::console
