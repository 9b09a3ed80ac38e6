#include "app/http/http_types.hpp"

#include <nlohmann/json.hpp>

namespace ledgerbot::app::http {

Response make_response(const Request& request, http::status status, std::string body,
                       std::string_view content_type) {
    Response response{status, request.version()};
    response.set(http::field::server, "ledgerbot");
    response.set(http::field::content_type, content_type);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

Response json_error(const Request& request, http::status status, std::string_view name,
                    std::string_view detail) {
    nlohmann::json body{{"error", name}, {"detail", detail}};
    return make_response(request, status, body.dump(), "application/json");
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

std::string_view query_of(std::string_view target) {
    const auto pos = target.find('?');
    return pos == std::string_view::npos ? std::string_view{} : target.substr(pos + 1);
}

}  // namespace ledgerbot::app::http
