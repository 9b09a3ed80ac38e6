#include "app/http/router.hpp"

namespace ledgerbot::app::http {

void Router::add(http::verb method, std::string path, Handler handler) {
    routes_[{std::move(path), method}] = std::move(handler);
}

Router::Match Router::match(http::verb method, std::string_view target) const {
    const std::string path(path_of(target));
    Match result;
    if (auto it = routes_.find({path, method}); it != routes_.end()) {
        result.handler = &it->second;
        result.route = path;
        return result;
    }
    result.status = http::status::not_found;
    result.route = "unmatched";
    for (const auto& [key, handler] : routes_) {
        if (key.first == path) {
            result.status = http::status::method_not_allowed;
            result.route = path;
        }
    }
    return result;
}

}  // namespace ledgerbot::app::http
