#include "broker/amqp.hpp"

#include <vector>

namespace lienthong::bus::broker::amqp {

core::failure unavailable(std::string detail) {
    auto f = core::fail(core::errc::broker_unavailable, "message broker unavailable");
    f.log_detail = std::move(detail);
    return f;
}

namespace {

core::failure unavailable(std::string_view what, std::string_view detail) {
    return amqp::unavailable(std::string(what) + ": " + std::string(detail));
}

}  // namespace

void connection_deleter::operator()(amqp_connection_state_t conn) const noexcept {
    // Nothing useful can be done about a failure while destroying.
    (void)amqp_destroy_connection(conn);
}

core::result<void> check_status(int status, std::string_view what) {
    if (status == AMQP_STATUS_OK) {
        return {};
    }
    return unavailable(what, amqp_error_string2(status));
}

core::result<void> check_reply(const amqp_rpc_reply_t& reply, std::string_view what) {
    switch (reply.reply_type) {
        case AMQP_RESPONSE_NORMAL:
            return {};
        case AMQP_RESPONSE_NONE:
            return unavailable(what, "missing RPC reply");
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return unavailable(what, amqp_error_string2(reply.library_error));
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
                const auto* m = static_cast<const amqp_connection_close_t*>(reply.reply.decoded);
                return unavailable(
                    what, "connection closed by broker: " + std::to_string(m->reply_code) + " " +
                              to_string(m->reply_text));
            }
            if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
                const auto* m = static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
                return unavailable(
                    what, "channel closed by broker: " + std::to_string(m->reply_code) + " " +
                              to_string(m->reply_text));
            }
            return unavailable(what, "unexpected server method " + std::to_string(reply.reply.id));
    }
    return unavailable(what, "unknown reply type");
}

namespace {

core::result<connection_ptr> open_one(const connect_params& params,
                                      const config::broker_address& address) {
    connection_ptr conn{amqp_new_connection()};
    if (!conn) {
        return unavailable("connect", "out of memory");
    }
    // The socket is owned (and freed) by the connection.
    amqp_socket_t* socket = amqp_tcp_socket_new(conn.get());
    if (socket == nullptr) {
        return unavailable("connect", "cannot create socket");
    }
    timeval tv = to_timeval(params.timeout);
    if (auto r = check_status(amqp_set_handshake_timeout(conn.get(), &tv), "set handshake timeout");
        !r) {
        return std::move(r).error();
    }
    // Without an RPC timeout a broker that stops answering would block the worker forever.
    if (auto r = check_status(amqp_set_rpc_timeout(conn.get(), &tv), "set rpc timeout"); !r) {
        return std::move(r).error();
    }
    const std::string where = "connect to " + address.host + ":" + std::to_string(address.port);
    if (auto r = check_status(
            amqp_socket_open_noblock(socket, address.host.c_str(), address.port, &tv), where);
        !r) {
        return std::move(r).error();
    }
    // Ask for connection.blocked / connection.unblocked (RabbitMQ's resource alarms): without
    // this capability the broker just stops reading from a publisher and confirms never come.
    // rabbitmq-c merges this "capabilities" table into its default one.
    amqp_table_entry_t capability[1];
    capability[0].key = amqp_cstring_bytes("connection.blocked");
    capability[0].value.kind = AMQP_FIELD_KIND_BOOLEAN;
    capability[0].value.value.boolean = 1;
    amqp_table_entry_t property[1];
    property[0].key = amqp_cstring_bytes("capabilities");
    property[0].value.kind = AMQP_FIELD_KIND_TABLE;
    property[0].value.value.table = amqp_table_t{1, capability};
    const amqp_table_t properties{1, property};
    if (auto r = check_reply(
            amqp_login_with_properties(conn.get(), params.vhost.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE,
                                       params.heartbeat_s, &properties, AMQP_SASL_METHOD_PLAIN,
                                       params.user.c_str(), params.password.c_str()),
            "login");
        !r) {
        return std::move(r).error();
    }
    if (amqp_channel_open(conn.get(), channel) == nullptr) {
        if (auto r = check_reply(amqp_get_rpc_reply(conn.get()), "channel.open"); !r) {
            return std::move(r).error();
        }
        return unavailable("channel.open", "no reply");
    }
    return conn;
}

}  // namespace

core::result<connection_ptr> open(const connect_params& params) {
    if (params.addresses.empty()) {
        return unavailable("connect", "no broker address configured");
    }
    std::string reasons;
    for (const auto& address : params.addresses) {
        auto conn = open_one(params, address);
        if (conn) {
            return conn;
        }
        // A failed login on a live node may leave a half-open connection: it is destroyed here.
        reasons += (reasons.empty() ? "" : "; ") + conn.error().log_detail;
    }
    return amqp::unavailable(reasons);
}

void close(amqp_connection_state_t conn) noexcept {
    (void)amqp_channel_close(conn, channel, AMQP_REPLY_SUCCESS);
    (void)amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
}

connect_params params_of(const config::broker_config& cfg, int heartbeat_s) {
    auto addresses = cfg.addresses;
    if (addresses.empty()) {
        addresses.push_back({cfg.host, cfg.port});
    }
    return {std::move(addresses), cfg.vhost,   cfg.user,
            cfg.password,         heartbeat_s, std::chrono::milliseconds{cfg.confirm_timeout_ms}};
}

core::result<connection_ptr> open_declared(const config::broker_config& cfg, const topology& topo) {
    auto conn = open(params_of(cfg, heartbeat_s));
    if (!conn) {
        return conn;
    }
    if (auto r = declare_topology(conn->get(), channel, topo); !r) {
        return std::move(r).error();
    }
    return conn;
}

core::result<void> declare_topology(amqp_connection_state_t conn, amqp_channel_t ch,
                                    const topology& topo) {
    auto declare_exchange = [&](const std::string& name, const char* type) {
        amqp_exchange_declare(conn, ch, bytes(name), amqp_cstring_bytes(type), /*passive=*/0,
                              /*durable=*/1, /*auto_delete=*/0, /*internal=*/0, amqp_empty_table);
        return check_reply(amqp_get_rpc_reply(conn), "declare exchange " + name);
    };
    if (auto r = declare_exchange(topo.exchange, "direct"); !r) {
        return r;
    }
    for (const auto& x : topo.exchanges) {
        if (auto r = declare_exchange(x.name, x.type.c_str()); !r) {
            return r;
        }
    }
    for (const auto& q : topo.queues) {
        // Quorum queues replicate and fsync before confirming: a confirm means the document is
        // safe. Dead-lettering is at-least-once (needs reject-publish overflow) so that a retry
        // step never drops a message on its way back.
        std::vector<amqp_table_entry_t> args;
        auto add = [&](const char* key, amqp_field_value_t value) {
            amqp_table_entry_t e{};
            e.key = amqp_cstring_bytes(key);
            e.value = value;
            args.push_back(e);
        };
        auto text = [](std::string_view s) {
            amqp_field_value_t v{};
            v.kind = AMQP_FIELD_KIND_UTF8;
            v.value.bytes = bytes(s);
            return v;
        };
        auto number = [](std::int64_t n) {
            amqp_field_value_t v{};
            v.kind = AMQP_FIELD_KIND_I64;
            v.value.i64 = n;
            return v;
        };
        add("x-queue-type", text("quorum"));
        if (q.message_ttl_ms > 0) {
            add("x-message-ttl", number(q.message_ttl_ms));
        }
        if (!q.dead_letter_exchange.empty()) {
            add("x-dead-letter-exchange", text(q.dead_letter_exchange));
            add("x-dead-letter-strategy", text("at-least-once"));
            add("x-overflow", text("reject-publish"));
        }
        if (q.delivery_limit > 0) {
            add("x-delivery-limit", number(q.delivery_limit));
        }
        const amqp_table_t queue_args{static_cast<int>(args.size()), args.data()};
        amqp_queue_declare(conn, ch, bytes(q.queue), /*passive=*/0, /*durable=*/1, /*exclusive=*/0,
                           /*auto_delete=*/0, queue_args);
        if (auto r = check_reply(amqp_get_rpc_reply(conn), "declare queue " + q.queue); !r) {
            return r;
        }
        const std::string& exchange = q.exchange.empty() ? topo.exchange : q.exchange;
        amqp_queue_bind(conn, ch, bytes(q.queue), bytes(exchange), bytes(q.routing_key),
                        amqp_empty_table);
        if (auto r = check_reply(amqp_get_rpc_reply(conn), "bind queue " + q.queue); !r) {
            return r;
        }
    }
    return {};
}

}  // namespace lienthong::bus::broker::amqp
