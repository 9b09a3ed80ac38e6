#include "tests/support/http_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "adapters/generic/generic_adapter.hpp"

namespace ledgerbot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct HttpTestClient::Impl {
    std::string host;
    std::uint16_t port;
    asio::io_context io;
    std::unique_ptr<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    void connect() {
        asio::ip::tcp::resolver resolver(io);
        stream = std::make_unique<beast::tcp_stream>(io);
        stream->connect(resolver.resolve(host, std::to_string(port)));
        buffer.clear();
    }

    TestResponse read_response() {
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        http::read(*stream, buffer, parser);
        TestResponse out;
        out.status = parser.get().result_int();
        out.body = parser.get().body();
        out.keep_alive = parser.get().keep_alive();
        for (const auto& field : parser.get()) {
            // A repeated header (Set-Cookie) keeps every value, one per line.
            std::string& value = out.headers[std::string(field.name_string())];
            value += (value.empty() ? "" : "\n") + std::string(field.value());
        }
        if (!out.keep_alive) {
            stream.reset();
        }
        return out;
    }

    TestResponse send(http::request<http::string_body>& request) {
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (!stream) {
                connect();
            }
            try {
                request.set(http::field::host, host);
                request.prepare_payload();
                http::write(*stream, request);
                return read_response();
            } catch (const boost::system::system_error&) {
                // The server may have closed an idle keep-alive connection; retry once fresh.
                stream.reset();
                if (attempt == 1) {
                    throw;
                }
            }
        }
        return {};
    }
};

HttpTestClient::HttpTestClient(std::uint16_t port, std::string host)
    : impl_(std::make_unique<Impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
}

HttpTestClient::~HttpTestClient() = default;

TestResponse HttpTestClient::get(const std::string& target, const HeaderList& headers) {
    http::request<http::string_body> request{http::verb::get, target, 11};
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    return impl_->send(request);
}

TestResponse HttpTestClient::post(const std::string& target, const std::string& body,
                                  const HeaderList& headers) {
    http::request<http::string_body> request{http::verb::post, target, 11};
    request.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    request.body() = body;
    return impl_->send(request);
}

TestResponse HttpTestClient::raw(const std::string& bytes) {
    impl_->connect();
    asio::write(impl_->stream->socket(), asio::buffer(bytes));
    return impl_->read_response();
}

HeaderList signed_headers(const std::string& secret, std::int64_t timestamp,
                          const std::string& body) {
    const std::string ts = std::to_string(timestamp);
    return {{std::string(adapters::generic::kTimestampHeader), ts},
            {std::string(adapters::generic::kSignatureHeader),
             adapters::generic::sign(secret, ts, body)}};
}

}  // namespace ledgerbot::testing
