#pragma once
// A small HTTP/1.1 server on 127.0.0.1 for tests and test tools (fake receivers, the national
// axis simulator): one I/O thread, a plain handler function per request, port 0 by default,
// stopped and joined on destruction. Not the bus's server on purpose: it plays the systems the
// bus talks to, so it must not share the bus's admission rules.
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>

namespace lienthong::test {

using loopback_request = boost::beast::http::request<boost::beast::http::string_body>;
using loopback_response = boost::beast::http::response<boost::beast::http::string_body>;

class loopback_http_server final {
  public:
    /// `handle` runs on the server thread, one request at a time; its response is sent as is
    /// (Content-Length is set by the server).
    explicit loopback_http_server(std::function<loopback_response(const loopback_request&)> handle,
                                  unsigned short port = 0);
    ~loopback_http_server();
    loopback_http_server(const loopback_http_server&) = delete;
    loopback_http_server& operator=(const loopback_http_server&) = delete;

    unsigned short port() const;

  private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace lienthong::test
