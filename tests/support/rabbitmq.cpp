#include "support/rabbitmq.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "broker/amqp.hpp"

namespace lienthong::test {

namespace {

namespace amqp = bus::broker::amqp;

template <class T>
T check(core::result<T> r) {
    if (!r) {
        throw std::runtime_error(r.error().message);
    }
    if constexpr (!std::is_void_v<T>) {
        return std::move(r).value();
    }
}

void check_rpc(amqp_connection_state_t conn, const std::string& what) {
    check(amqp::check_reply(amqp_get_rpc_reply(conn), what));
}

/// One short-lived connection per helper call: a channel error (e.g. 404 on a passive declare)
/// closes the channel, and a fresh connection keeps every helper independent of the last.
amqp::connection_ptr connect(int port) {
    amqp::connect_params params{{{"127.0.0.1", static_cast<std::uint16_t>(port)}},
                                "/",
                                "guest",
                                "guest",
                                0,
                                std::chrono::seconds{5}};
    return check(amqp::open(params));
}

struct message_guard {
    amqp_message_t* m;
    ~message_guard() { amqp_destroy_message(m); }
};

}  // namespace

int test_amqp_port() {
    const char* value = std::getenv("LIENTHONG_TEST_AMQP_PORT");
    if (value == nullptr || *value == '\0') {
        FAIL(
            "LIENTHONG_TEST_AMQP_PORT is not set: [integration] tests need a private RabbitMQ "
            "node. "
            "Run tests/run.sh, or deploy/rabbitmq/start.sh DIR PORT and export "
            "LIENTHONG_TEST_AMQP_PORT=PORT (stop it with deploy/rabbitmq/stop.sh DIR).");
        return 0;  // not reached: FAIL aborts the test case
    }
    char* end = nullptr;
    const long port = std::strtol(value, &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535) {
        FAIL("LIENTHONG_TEST_AMQP_PORT is not a port number: " << value);
        return 0;
    }
    return static_cast<int>(port);
}

std::string unique_name(const std::string& prefix) {
    std::random_device rd;
    std::uniform_int_distribution<std::uint32_t> dist;
    char suffix[9];
    std::snprintf(suffix, sizeof suffix, "%08x", dist(rd));
    return prefix + "." + suffix;
}

std::optional<received_message> basic_get(int port, const std::string& queue) {
    auto conn = connect(port);
    const amqp_rpc_reply_t reply = amqp_basic_get(conn.get(), amqp::channel, amqp::bytes(queue),
                                                  /*no_ack=*/1);
    check(amqp::check_reply(reply, "basic.get " + queue));
    if (reply.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) {
        amqp::close(conn.get());
        return std::nullopt;
    }
    amqp_message_t message{};
    check(amqp::check_reply(amqp_read_message(conn.get(), amqp::channel, &message, 0),
                            "read message from " + queue));
    message_guard guard{&message};

    received_message out;
    out.body = amqp::to_string(message.body);
    const auto& p = message.properties;
    if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) {
        out.message_id = amqp::to_string(p.message_id);
    }
    if (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) {
        out.content_type = amqp::to_string(p.content_type);
    }
    if (p._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) {
        out.delivery_mode = p.delivery_mode;
    }
    if (p._flags & AMQP_BASIC_HEADERS_FLAG) {
        for (int i = 0; i < p.headers.num_entries; ++i) {
            const auto& e = p.headers.entries[i];
            if (e.value.kind == AMQP_FIELD_KIND_UTF8 || e.value.kind == AMQP_FIELD_KIND_BYTES) {
                out.headers.emplace_back(amqp::to_string(e.key),
                                         amqp::to_string(e.value.value.bytes));
            }
        }
    }
    amqp::close(conn.get());
    return out;
}

std::size_t queue_depth(int port, const std::string& queue) {
    auto conn = connect(port);
    const auto* ok = amqp_queue_declare(conn.get(), amqp::channel, amqp::bytes(queue),
                                        /*passive=*/1, 0, 0, 0, amqp_empty_table);
    check_rpc(conn.get(), "passive declare " + queue);
    const std::size_t depth = ok->message_count;
    amqp::close(conn.get());
    return depth;
}

void purge(int port, const std::string& queue) {
    auto conn = connect(port);
    amqp_queue_purge(conn.get(), amqp::channel, amqp::bytes(queue));
    check_rpc(conn.get(), "purge " + queue);
    amqp::close(conn.get());
}

void delete_queue(int port, const std::string& queue) {
    auto conn = connect(port);
    amqp_queue_delete(conn.get(), amqp::channel, amqp::bytes(queue), /*if_unused=*/0,
                      /*if_empty=*/0);
    check_rpc(conn.get(), "delete queue " + queue);
    amqp::close(conn.get());
}

void delete_exchange(int port, const std::string& exchange) {
    auto conn = connect(port);
    amqp_exchange_delete(conn.get(), amqp::channel, amqp::bytes(exchange), /*if_unused=*/0);
    check_rpc(conn.get(), "delete exchange " + exchange);
    amqp::close(conn.get());
}

}  // namespace lienthong::test
