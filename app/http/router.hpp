#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "app/http/http_types.hpp"

namespace ledgerbot::app::http {

/// Exact (method, path) routing. Unknown paths get 404, known paths with another method 405.
class Router {
public:
    /// `body_limit`: this route's largest body (an image upload), when not the server's.
    void add(http::verb method, std::string path, Handler handler,
             std::optional<std::size_t> body_limit = std::nullopt);

    struct Match {
        const Handler* handler = nullptr;
        http::status status = http::status::ok;  ///< 404 or 405 when handler is null
        std::string route;                       ///< metrics label: the path, or "unmatched"
        std::optional<std::size_t> body_limit;
    };
    Match match(http::verb method, std::string_view target) const;
    /// The largest body any route accepts (0 when none sets its own).
    std::size_t largest_body_limit() const;

private:
    struct Route {
        Handler handler;
        std::optional<std::size_t> body_limit;
    };
    std::map<std::pair<std::string, http::verb>, Route> routes_;
};

}  // namespace ledgerbot::app::http
