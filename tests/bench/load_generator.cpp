// lienthong-bench-load: a bounded HTTP load generator for POST /v1/documents on loopback.
//
//   lienthong-bench-load post PORT TOKEN PACKETS CONNECTIONS SECONDS RATE [ACCEPTED]
//     CONNECTIONS keep-alive connections post the packets of PACKETS (each once: the bus treats a
//     repeated DocumentId as a repeat) until SECONDS have passed or the packets run out.
//     RATE 0 = saturation (each connection sends its next request as soon as the answer came;
//     latency from send). RATE > 0 = open loop at RATE requests/s (request k is due at
//     t0 + k/RATE; latency from the due time, so a slow answer also counts for those queued
//     behind it). ACCEPTED: also write "<bus id> <sent ns> <answered ns>" (steady clock; "sent"
//     is the due time in open loop) per 202 to this file, for the delivery latency of
//     lienthong-bench-webhook join.
//   lienthong-bench-load idle PORT CONNECTIONS SECONDS
//     opens CONNECTIONS keep-alive connections, sends GET /healthz on each, prints "ready N"
//     (N answered), holds them idle for SECONDS, then checks each with a second GET /healthz.
//
// Prints one JSON object on the last line. Loopback only (127.0.0.1).
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "packet_file.hpp"
#include "percentile.hpp"

namespace {

namespace asio = boost::asio;
using lienthong::bench::percentile;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

struct run_state {
    std::vector<std::string> packets;
    std::string token;
    std::size_t connections = 1;
    double rate = 0;
    clock_type::time_point start;
    clock_type::time_point deadline;
    clock_type::time_point last_answer;
    std::size_t next = 0;  // saturation: next packet
    std::vector<double> latencies_ms;
    std::map<unsigned, long> statuses;
    long errors = 0;
    long sent = 0;  // requests written; those never answered count as errors
    bool log_accepted = false;
    struct accepted_doc {
        std::string id;
        clock_type::time_point sent, answered;
    };
    std::vector<accepted_doc> accepted;
};

/// The "id" of a 202 body ({"id":"...", ...}).
std::string accepted_id(const std::string& body) {
    const std::string key = "\"id\":\"";
    const auto start = body.find(key);
    if (start == std::string::npos) {
        return {};
    }
    const auto end = body.find('"', start + key.size());
    return end == std::string::npos ? std::string{}
                                    : body.substr(start + key.size(), end - start - key.size());
}

class poster final : public std::enable_shared_from_this<poster> {
  public:
    poster(asio::io_context& io, run_state& state, std::size_t index)
        : socket_(io), timer_(io), state_(state), k_(index) {}

    void start(const tcp::endpoint& to) {
        socket_.async_connect(to, [self = shared_from_this()](beast::error_code ec) {
            if (ec) {
                ++self->state_.errors;
                return;
            }
            self->socket_.set_option(tcp::no_delay(true));
            self->schedule();
        });
    }

  private:
    void schedule() {
        std::size_t packet = 0;
        clock_type::time_point due = clock_type::now();
        if (state_.rate > 0) {
            // Open loop: this connection owns requests k, k + N, k + 2N, ...
            packet = k_;
            k_ += state_.connections;
            due = state_.start + std::chrono::duration_cast<clock_type::duration>(
                                     std::chrono::duration<double>(packet / state_.rate));
        } else {
            packet = state_.next++;
        }
        if (packet >= state_.packets.size() || due >= state_.deadline) {
            return;  // done: the connection closes when this object goes away
        }
        timer_.expires_at(due);
        timer_.async_wait([self = shared_from_this(), packet, due](beast::error_code) {
            self->send(packet, state_due(self->state_, due));
        });
    }

    static clock_type::time_point state_due(const run_state& s, clock_type::time_point due) {
        // Saturation measures from the send; open loop from the due time.
        return s.rate > 0 ? due : clock_type::now();
    }

    void send(std::size_t packet, clock_type::time_point from) {
        ++state_.sent;
        request_ = {http::verb::post, "/v1/documents", 11};
        request_.set(http::field::host, "127.0.0.1");
        request_.set(http::field::content_type, "application/xml");
        request_.set(http::field::authorization, "Bearer " + state_.token);
        request_.body() = state_.packets[packet];
        request_.prepare_payload();
        http::async_write(socket_, request_,
                          [self = shared_from_this(), from](beast::error_code ec, std::size_t) {
                              if (ec) {
                                  ++self->state_.errors;
                                  return;
                              }
                              self->receive(from);
                          });
    }

    void receive(clock_type::time_point from) {
        response_ = {};
        http::async_read(
            socket_, buffer_, response_,
            [self = shared_from_this(), from](beast::error_code ec, std::size_t) {
                auto& s = self->state_;
                if (ec) {
                    ++s.errors;
                    return;
                }
                const auto now = clock_type::now();
                s.last_answer = std::max(s.last_answer, now);
                s.latencies_ms.push_back(
                    std::chrono::duration<double, std::milli>(now - from).count());
                ++s.statuses[self->response_.result_int()];
                if (s.log_accepted && self->response_.result_int() == 202) {
                    s.accepted.push_back({accepted_id(self->response_.body()), from, now});
                }
                if (!self->response_.keep_alive()) {
                    ++s.errors;
                    return;
                }
                self->schedule();
            });
    }

    tcp::socket socket_;
    asio::steady_timer timer_;
    run_state& state_;
    std::size_t k_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
};

int post(unsigned short port, int argc, char** argv) {
    run_state s;
    s.token = argv[3];
    s.packets = lienthong::bench::read_packets(argv[4]);
    s.connections = std::stoul(argv[5]);
    const double seconds = std::stod(argv[6]);
    s.rate = std::stod(argv[7]);
    s.log_accepted = argc > 8;

    asio::io_context io;
    const tcp::endpoint to(asio::ip::make_address("127.0.0.1"), port);
    s.start = clock_type::now();
    s.last_answer = s.start;
    s.deadline = s.start + std::chrono::duration_cast<clock_type::duration>(
                               std::chrono::duration<double>(seconds));
    for (std::size_t i = 0; i < s.connections; ++i) {
        std::make_shared<poster>(io, s, i)->start(to);
    }
    // Bounded: nothing is sent after the deadline; answers get 30 s more at most.
    io.run_until(s.deadline + std::chrono::seconds(30));

    // Requests still unanswered after the grace period are failures, not silently dropped.
    const long unanswered =
        std::max(0L, s.sent - static_cast<long>(s.latencies_ms.size()) - s.errors);
    s.errors += unanswered;
    std::sort(s.latencies_ms.begin(), s.latencies_ms.end());
    const double elapsed = std::chrono::duration<double>(s.last_answer - s.start).count();
    const long accepted = s.statuses.count(202) ? s.statuses[202] : 0;
    std::string statuses;
    for (const auto& [code, n] : s.statuses) {
        statuses +=
            (statuses.empty() ? "\"" : ",\"") + std::to_string(code) + "\":" + std::to_string(n);
    }
    std::printf(
        "{\"connections\":%zu,\"rate\":%.2f,\"answers\":%zu,\"accepted\":%ld,"
        "\"errors\":%ld,\"unanswered\":%ld,\"statuses\":{%s},\"elapsed_s\":%.3f,\"accepted_per_s\":"
        "%.1f,"
        "\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
        s.connections, s.rate, s.latencies_ms.size(), accepted, s.errors, unanswered,
        statuses.c_str(), elapsed, elapsed > 0 ? accepted / elapsed : 0.0,
        percentile(s.latencies_ms, 0.50), percentile(s.latencies_ms, 0.95),
        percentile(s.latencies_ms, 0.99), s.latencies_ms.empty() ? 0.0 : s.latencies_ms.back());
    if (s.log_accepted) {
        const auto ns = [](clock_type::time_point t) {
            return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch())
                .count();
        };
        std::ofstream log(argv[8]);
        for (const auto& a : s.accepted) {
            log << a.id << ' ' << ns(a.sent) << ' ' << ns(a.answered) << '\n';
        }
    }
    return s.errors == 0 ? 0 : 1;
}

/// One GET /healthz on each connection, all at once; returns how many answered 200 and kept
/// the connection open.
std::size_t check_all(asio::io_context& io, std::vector<tcp::socket>& sockets) {
    struct probe {
        http::request<http::empty_body> request{http::verb::get, "/healthz", 11};
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
    };
    std::vector<probe> probes(sockets.size());
    std::size_t ok = 0;
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        if (!sockets[i].is_open()) {
            continue;
        }
        auto& p = probes[i];
        p.request.set(http::field::host, "127.0.0.1");
        http::async_write(sockets[i], p.request, [&, i](beast::error_code ec, std::size_t) {
            if (ec) {
                return;
            }
            http::async_read(sockets[i], probes[i].buffer, probes[i].response,
                             [&, i](beast::error_code ec2, std::size_t) {
                                 if (!ec2 && probes[i].response.result_int() == 200 &&
                                     probes[i].response.keep_alive()) {
                                     ++ok;
                                 }
                             });
        });
    }
    io.restart();
    io.run_for(std::chrono::seconds(30));
    return ok;
}

int idle(unsigned short port, char** argv) {
    const std::size_t n = std::stoul(argv[3]);
    const double seconds = std::stod(argv[4]);
    asio::io_context io;
    const tcp::endpoint to(asio::ip::make_address("127.0.0.1"), port);
    std::vector<tcp::socket> sockets;
    for (std::size_t i = 0; i < n; ++i) {
        sockets.emplace_back(io);
        beast::error_code ec;
        sockets.back().connect(to, ec);
        if (ec) {
            sockets.back().close(ec);
        }
    }
    const std::size_t ready = check_all(io, sockets);
    std::printf("ready %zu\n", ready);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const std::size_t alive = check_all(io, sockets);
    std::printf("{\"connections\":%zu,\"answered\":%zu,\"alive_after_idle\":%zu}\n", n, ready,
                alive);
    return ready == n && alive == n ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "post" && (argc == 8 || argc == 9)) {
        return post(static_cast<unsigned short>(std::stoi(argv[2])), argc, argv);
    }
    if (mode == "idle" && argc == 5) {
        return idle(static_cast<unsigned short>(std::stoi(argv[2])), argv);
    }
    std::cerr << "usage: lienthong-bench-load post PORT TOKEN PACKETS CONNECTIONS SECONDS RATE "
                 "[ACCEPTED]\n"
                 "       lienthong-bench-load idle PORT CONNECTIONS SECONDS\n";
    return 2;
} catch (const std::exception& e) {
    std::cerr << "lienthong-bench-load: " << e.what() << '\n';
    return 1;
}
