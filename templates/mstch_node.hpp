#pragma once

#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>

namespace ledgerbot::templates {

/// Template fields as mstch's data: objects, arrays, strings, booleans; numbers as their text.
/// With `html_escaped`, every string is HTML-escaped on the way (the console's pages).
mstch::node to_mstch_node(const nlohmann::json& value, bool html_escaped);

}  // namespace ledgerbot::templates
