#pragma once
// Synchronous helpers for [integration] tests against the private RabbitMQ node started by
// deploy/rabbitmq/start.sh (tests/run.sh exports LIENTHONG_TEST_AMQP_PORT). Test code only:
// failures throw std::runtime_error so Catch2 reports them with the broker's reason.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lienthong::test {

/// Port of the test broker from LIENTHONG_TEST_AMQP_PORT. Fails the current test (does not
/// skip it) when the variable is unset or invalid: a missing broker must never look green.
int test_amqp_port();

/// A unique name for test queues / exchanges, e.g. "lienthong.test.pub.3f9a1c2b".
std::string unique_name(const std::string& prefix);

struct received_message {
    std::string body;
    std::string message_id;
    std::string content_type;
    int delivery_mode = 0;                                     ///< 2 = persistent
    std::vector<std::pair<std::string, std::string>> headers;  ///< string-valued entries only
};

/// basic.get with auto-ack: the next message of `queue`, or nullopt when it is empty.
std::optional<received_message> basic_get(int port, const std::string& queue);

/// Ready messages in `queue` (passive declare; throws if the queue does not exist).
std::size_t queue_depth(int port, const std::string& queue);

void purge(int port, const std::string& queue);
void delete_queue(int port, const std::string& queue);
void delete_exchange(int port, const std::string& exchange);

}  // namespace lienthong::test
