#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>

#include "http/router.hpp"

namespace lienthong::bus::http {

struct server_limits {
    std::size_t max_body_bytes = 10 * 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::chrono::milliseconds read_timeout{30'000};
    std::chrono::milliseconds write_timeout{30'000};
};

/// The REST listener, shaped like Beast's async server examples: one session per connection,
/// each on its own strand, a timeout on every read and write, the body limit on the parser.
class server final {
public:
    server(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& at,
           const router& r, server_limits limits);
    ~server();

    /// Starts accepting. Throws boost::system::system_error if the address cannot be bound.
    void start();
    /// Stops accepting new connections; sessions in flight finish their current exchange.
    void stop();
    /// The bound port (useful with port 0).
    unsigned short port() const;

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace lienthong::bus::http
