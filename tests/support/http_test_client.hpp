#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ledgerbot::testing {

struct TestResponse {
    unsigned status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
    bool keep_alive = false;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// A blocking HTTP/1.1 client over a real TCP connection, kept alive between requests.
/// Throws on network errors (tests want them loud).
class HttpTestClient {
public:
    explicit HttpTestClient(std::uint16_t port, std::string host = "127.0.0.1");
    ~HttpTestClient();

    TestResponse get(const std::string& target, const HeaderList& headers = {});
    TestResponse post(const std::string& target, const std::string& body,
                      const HeaderList& headers = {});
    /// Sends raw bytes and reads one response (for malformed-request tests).
    TestResponse raw(const std::string& bytes);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Generic-adapter headers for `body` signed with `secret` at `timestamp`.
HeaderList signed_headers(const std::string& secret, std::int64_t timestamp,
                          const std::string& body);

}  // namespace ledgerbot::testing
