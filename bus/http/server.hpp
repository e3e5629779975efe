#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>

#include "http/router.hpp"

namespace lienthong::bus::http {

struct server_limits {
    std::size_t max_body_bytes = 10 * 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    /// The TLS handshake, and then each request header, must arrive within this (also the idle
    /// time allowed between keep-alive requests): a client trickling bytes is cut off.
    std::chrono::milliseconds header_timeout{10'000};
    /// The body must arrive within this once the header is admitted.
    std::chrono::milliseconds body_timeout{30'000};
    std::chrono::milliseconds write_timeout{30'000};
    /// Open connections beyond this are closed as soon as they are accepted (not queued: a queue
    /// would hold sockets and memory for clients that may never be served).
    std::size_t max_connections = 512;
    /// After an answer that closes the connection (a refusal, `Connection: close`), how long and
    /// how many bytes of what the client still sends are read and discarded before closing, so
    /// that the close does not reset the connection under the unread answer.
    std::chrono::milliseconds linger_timeout{5'000};
    std::size_t linger_bytes = 16 * 1024 * 1024;
};

/// The REST listener, shaped like Beast's async server examples: one session per connection,
/// each on its own strand, a timeout on every read and write, the body limit on the parser.
/// With a TLS context every connection starts with a TLS handshake; the client certificate it
/// verified (mutual TLS) goes to the router with each request.
class server final {
  public:
    /// `tls`: nullptr for plain HTTP; otherwise must outlive the server.
    server(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& at, const router& r,
           server_limits limits, boost::asio::ssl::context* tls = nullptr);
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
