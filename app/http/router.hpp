#pragma once

#include <map>
#include <string>
#include <utility>

#include "app/http/http_types.hpp"

namespace ledgerbot::app::http {

/// Exact (method, path) routing. Unknown paths get 404, known paths with another method 405.
class Router {
public:
    void add(http::verb method, std::string path, Handler handler);

    struct Match {
        const Handler* handler = nullptr;
        http::status status = http::status::ok;  ///< 404 or 405 when handler is null
        std::string route;                       ///< metrics label: the path, or "unmatched"
    };
    Match match(http::verb method, std::string_view target) const;

private:
    std::map<std::pair<std::string, http::verb>, Handler> routes_;
};

}  // namespace ledgerbot::app::http
