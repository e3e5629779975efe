#pragma once
#include <boost/beast/http.hpp>

#include <functional>
#include <string>

namespace lienthong::bus::http {

namespace beast_http = boost::beast::http;
using request = beast_http::request<beast_http::string_body>;
using response = beast_http::response<beast_http::string_body>;
/// Sends the response of one request; callable from any thread, exactly once.
using responder = std::function<void(response&&)>;

/// Who is calling, as established from the request header.
struct caller {
    std::string agency;  ///< authenticated agency code; empty on anonymous endpoints
};

}  // namespace lienthong::bus::http
