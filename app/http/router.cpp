#include "app/http/router.hpp"

#include <algorithm>

namespace ledgerbot::app::http {

void Router::add(http::verb method, std::string path, Handler handler,
                 std::optional<std::size_t> body_limit) {
    routes_[{std::move(path), method}] = Route{std::move(handler), body_limit};
}

std::size_t Router::largest_body_limit() const {
    std::size_t largest = 0;
    for (const auto& [key, route] : routes_) {
        largest = std::max(largest, route.body_limit.value_or(0));
    }
    return largest;
}

Router::Match Router::match(http::verb method, std::string_view target) const {
    const std::string path(path_of(target));
    Match result;
    if (auto it = routes_.find({path, method}); it != routes_.end()) {
        result.handler = &it->second.handler;
        result.body_limit = it->second.body_limit;
        result.route = path;
        return result;
    }
    result.status = http::status::not_found;
    result.route = "unmatched";
    for (const auto& [key, route] : routes_) {
        if (key.first == path) {
            result.status = http::status::method_not_allowed;
            result.route = path;
        }
    }
    return result;
}

}  // namespace ledgerbot::app::http
