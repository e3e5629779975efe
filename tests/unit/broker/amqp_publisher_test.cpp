// The amqp_publisher without a broker: needs no RabbitMQ, only a loopback port nobody listens on.
#include "broker/amqp_publisher.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace {

using namespace std::chrono_literals;
namespace broker = lienthong::bus::broker;
namespace core = lienthong::core;

/// Holds a bound but not listening loopback port: connects to it are refused, and nobody else
/// can start listening on it during the test.
class dead_port final {
  public:
    dead_port() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        REQUIRE(fd_ >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        socklen_t len = sizeof addr;
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        port_ = ntohs(addr.sin_port);
    }
    ~dead_port() { ::close(fd_); }
    dead_port(const dead_port&) = delete;
    dead_port& operator=(const dead_port&) = delete;
    std::uint16_t port() const { return port_; }

  private:
    int fd_;
    std::uint16_t port_ = 0;
};

struct waiter {
    std::shared_ptr<std::promise<core::result<void>>> promise =
        std::make_shared<std::promise<core::result<void>>>();
    std::future<core::result<void>> future = promise->get_future();
    broker::publisher::completion done() {
        return [p = promise](core::result<void> r) { p->set_value(std::move(r)); };
    }
};

std::vector<broker::outgoing_message> one_message() {
    return {{"agency.a", std::make_shared<const std::string>("<edXML/>"), "doc-1", {}}};
}

}  // namespace

TEST_CASE("amqp_publisher: with no broker it is disconnected and fails fast", "[unit]") {
    dead_port dead;
    lienthong::bus::config::broker_config cfg;
    cfg.port = dead.port();
    cfg.reconnect_max_ms = 200;
    broker::amqp_publisher publisher(cfg, {"lienthong.test", {{"q", "agency.a"}}});

    SECTION("before start") {
        waiter w;
        publisher.publish(one_message(), w.done());
        REQUIRE(w.future.wait_for(0s) == std::future_status::ready);  // completed inline
        auto r = w.future.get();
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == core::errc::broker_unavailable);
    }
    SECTION("while retrying") {
        publisher.start();
        std::this_thread::sleep_for(300ms);  // a few refused attempts
        CHECK_FALSE(publisher.connected());
        const auto started = std::chrono::steady_clock::now();
        waiter w1;
        waiter w2;
        publisher.publish(one_message(), w1.done());
        publisher.publish({}, w2.done());
        REQUIRE(w1.future.wait_for(2s) == std::future_status::ready);
        REQUIRE(w2.future.wait_for(2s) == std::future_status::ready);
        CHECK(std::chrono::steady_clock::now() - started < 1s);
        auto r = w1.future.get();
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == core::errc::broker_unavailable);
        CHECK_THAT(r.error().message, Catch::Contains("unavailable"));
        CHECK_FALSE(w2.future.get().has_value());
    }
    SECTION("after stop") {
        publisher.start();
        publisher.stop();
        waiter w;
        publisher.publish(one_message(), w.done());
        REQUIRE(w.future.wait_for(0s) == std::future_status::ready);
        CHECK_FALSE(w.future.get().has_value());
    }
}
