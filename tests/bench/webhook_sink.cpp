// lienthong-bench-webhook: the receiving agency of the delivery benchmark, on loopback.
//
//   lienthong-bench-webhook serve SECONDS ARRIVALS
//     listens on 127.0.0.1 (free port, printed as "port N"), answers 200 to every request and
//     records "<X-Lienthong-Id> <steady-clock ns>" per request; stops after SECONDS or on
//     SIGTERM/SIGINT and then writes the records to ARRIVALS.
//   lienthong-bench-webhook join ACCEPTED ARRIVALS
//     ACCEPTED: "<id> <sent ns> <answered ns>" per 202 from lienthong-bench-load. Prints one JSON
//     object: how many accepted documents arrived, their latency from the POST being sent to
//     the webhook receiving them (p50/p95/p99/max ms), and the arrival rate over that run.
//
// Both programs read the same system-wide monotonic clock, so their times compare.
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "percentile.hpp"

namespace {

namespace asio = boost::asio;
using lienthong::bench::percentile;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

using arrivals = std::vector<std::pair<std::string, long long>>;

class session final : public std::enable_shared_from_this<session> {
  public:
    session(tcp::socket socket, arrivals& log) : socket_(std::move(socket)), log_(log) {}

    void read() {
        parser_.emplace();
        parser_->body_limit(64 * 1024 *
                            1024);  // the 1 MB packets and more (Beast's default: 1 MiB)
        http::async_read(socket_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (!ec) {
                                 self->answer();
                             }
                         });
    }

  private:
    void answer() {
        const auto& request = parser_->get();
        log_.emplace_back(std::string(request["X-Lienthong-Id"]), now_ns());
        response_ = {http::status::ok, request.version()};
        response_.keep_alive(request.keep_alive());
        response_.prepare_payload();
        http::async_write(socket_, response_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (!ec && self->response_.keep_alive()) {
                                  self->read();
                              }
                          });
    }

    tcp::socket socket_;
    arrivals& log_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::empty_body> response_;
};

void accept(tcp::acceptor& acceptor, arrivals& log) {
    acceptor.async_accept([&](beast::error_code ec, tcp::socket socket) {
        if (ec) {
            return;
        }
        std::make_shared<session>(std::move(socket), log)->read();
        accept(acceptor, log);
    });
}

int serve(double seconds, const std::string& out) {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    arrivals log;
    accept(acceptor, log);
    asio::signal_set stop(io, SIGTERM, SIGINT);
    stop.async_wait([&](beast::error_code, int) { io.stop(); });
    std::printf("port %u\n", acceptor.local_endpoint().port());
    std::fflush(stdout);
    io.run_for(std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(seconds)));
    std::ofstream file(out);
    for (const auto& [id, ns] : log) {
        file << id << ' ' << ns << '\n';
    }
    return file ? 0 : 1;
}

int join(const std::string& accepted_path, const std::string& arrivals_path) {
    std::unordered_map<std::string, long long> accepted;
    {
        std::ifstream in(accepted_path);
        std::string id;
        long long sent = 0;
        long long answered = 0;
        while (in >> id >> sent >> answered) {
            accepted.emplace(id, sent);
        }
    }
    std::ifstream in(arrivals_path);
    std::string id;
    long long ns = 0;
    std::vector<double> latencies_ms;
    long long first = 0;
    long long last = 0;
    while (in >> id >> ns) {
        const auto found = accepted.find(id);
        if (found == accepted.end()) {
            continue;  // a document of another run
        }
        latencies_ms.push_back(static_cast<double>(ns - found->second) / 1e6);
        first = latencies_ms.size() == 1 ? ns : std::min(first, ns);
        last = std::max(last, ns);
        accepted.erase(found);  // a redelivery counts once
    }
    std::sort(latencies_ms.begin(), latencies_ms.end());
    const double span = static_cast<double>(last - first) / 1e9;
    std::printf(
        "{\"delivered\":%zu,\"missing\":%zu,\"delivered_per_s\":%.1f,\"p50_ms\":%.2f,"
        "\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
        latencies_ms.size(), accepted.size(),
        span > 0 ? static_cast<double>(latencies_ms.size()) / span : 0.0,
        percentile(latencies_ms, 0.50), percentile(latencies_ms, 0.95),
        percentile(latencies_ms, 0.99), latencies_ms.empty() ? 0.0 : latencies_ms.back());
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "serve" && argc == 4) {
        return serve(std::stod(argv[2]), argv[3]);
    }
    if (mode == "join" && argc == 4) {
        return join(argv[2], argv[3]);
    }
    std::cerr << "usage: lienthong-bench-webhook serve SECONDS ARRIVALS\n"
                 "       lienthong-bench-webhook join ACCEPTED ARRIVALS\n";
    return 2;
} catch (const std::exception& e) {
    std::cerr << "lienthong-bench-webhook: " << e.what() << '\n';
    return 1;
}
