#pragma once
// RAII and checked-return helpers around rabbitmq-c. Debian's librabbitmq-dev 0.11 installs the
// headers at the top level (<amqp.h>), not under <rabbitmq-c/>.
#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/topology.hpp"
#include "config/config.hpp"
#include "core/result.hpp"

namespace lienthong::bus::broker::amqp {

/// Destroys the connection (and the socket it owns). Does not send connection.close: call
/// close() first when the peer should see a clean shutdown.
struct connection_deleter {
    void operator()(amqp_connection_state_t conn) const noexcept;
};
using connection_ptr = std::unique_ptr<amqp_connection_state_t_, connection_deleter>;

/// The only channel we use; one channel per connection keeps confirm tags simple.
inline constexpr amqp_channel_t channel = 1;

/// Heartbeat of the long-lived publisher and consumer connections.
inline constexpr int heartbeat_s = 30;

struct connect_params {
    /// The nodes to try, in this order, at every open(): the first that accepts the login wins.
    std::vector<config::broker_address> addresses;
    std::string vhost = "/";
    std::string user;
    std::string password;
    int heartbeat_s = amqp::heartbeat_s;
    /// Bounds TCP connect, login handshake and every synchronous RPC, so no call blocks forever.
    std::chrono::milliseconds timeout{5'000};
};

/// broker_unavailable: callers get a stable message; what the library or broker said goes to
/// log_detail only.
core::failure unavailable(std::string detail);

/// Opens TCP, logs in (SASL PLAIN) and opens `channel`, trying `params.addresses` in order until
/// one node accepts (a cluster's failover: a dead node refuses or times out, the next is tried).
/// Not thread-safe with respect to the returned connection: only one thread may ever use it.
/// Errors: broker_unavailable when no node accepted, with each node's reason in log_detail.
core::result<connection_ptr> open(const connect_params& params);

/// The configured broker (broker.addresses, or host:port when that is empty), every RPC bounded
/// by broker.confirm_timeout_ms; heartbeat_s 0 for the short-lived connections that need none.
connect_params params_of(const config::broker_config& cfg, int heartbeat_s);

/// open() with a heartbeat, then declare_topology(): how the publisher and the consumer start.
core::result<connection_ptr> open_declared(const config::broker_config& cfg, const topology& topo);

/// Best effort channel.close + connection.close; errors are ignored since we are leaving anyway.
void close(amqp_connection_state_t conn) noexcept;

/// Idempotently declares the durable direct exchange, each durable quorum queue and its binding.
core::result<void> declare_topology(amqp_connection_state_t conn, amqp_channel_t ch,
                                    const topology& topo);

/// Turns a status code (AMQP_STATUS_*) into a result; `what` names the failed operation.
core::result<void> check_status(int status, std::string_view what);

/// Turns an RPC reply (amqp_get_rpc_reply, amqp_login, ...) into a result.
core::result<void> check_reply(const amqp_rpc_reply_t& reply, std::string_view what);

/// Views a string as AMQP bytes without copying; the string must outlive the use.
inline amqp_bytes_t bytes(std::string_view s) noexcept {
    return amqp_bytes_t{s.size(), const_cast<char*>(s.data())};  // rabbitmq-c never writes
}

inline std::string to_string(amqp_bytes_t b) {
    return b.len == 0 ? std::string{} : std::string(static_cast<const char*>(b.bytes), b.len);
}

inline timeval to_timeval(std::chrono::milliseconds ms) noexcept {
    auto count = ms.count() < 0 ? 0 : ms.count();
    return timeval{static_cast<time_t>(count / 1000),
                   static_cast<suseconds_t>(count % 1000 * 1000)};
}

}  // namespace lienthong::bus::broker::amqp
