// Issue 15: the bus on a province-sized directory (deploy/tools/generate-province.py, 3,000
// agencies over four levels, each with a pull-inbox subscription) against the three-node
// cluster. Passes on behaviour only (it starts, declares a quorum queue and a consumer per route,
// delivers to a generated agency); the figures it prints (start-up, RSS, broker memory, queues,
// ingest rate against the six-agency demo in the same run) are what README.md reports.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include "cluster/cluster_support.hpp"
#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq_cluster.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr int province_agencies = 3000;
constexpr std::size_t rate_documents = 150;

/// Writes the generated directory into a temp folder; returns its path.
std::string generate_province(int agencies) {
    const auto path = test::make_temp_dir("lienthong-province") + "/province.yaml";
    const auto cmd = "python3 " + std::string(LIENTHONG_SOURCE_DIR) +
                     "/deploy/tools/generate-province.py --agencies " + std::to_string(agencies) +
                     " --out " + path;
    REQUIRE(std::system(cmd.c_str()) == 0);
    return path;
}

/// The last agency code of the file: a generated one (the demo codes come first).
std::string last_code(const std::string& path) {
    const auto text = test::read_file(path);
    static const std::regex code("- code: ([^\\s]+)");
    std::string last;
    for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it) {
        last = (*it)[1];
    }
    return last;
}

/// Waits until the bus has consumed from every route queue (its consumer.connected log line).
void wait_consuming(const test::bus_process& bus, std::chrono::seconds limit) {
    const auto deadline = steady::now() + limit;
    while (bus.log().find("\"event\":\"consumer.connected\"") == std::string::npos) {
        REQUIRE(steady::now() < deadline);
        std::this_thread::sleep_for(200ms);
    }
}

long rss_bytes(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6)) * 1024;
        }
    }
    return 0;
}

/// Documents per second accepted by `bus` for `rate_documents` edocs commune1 -> district1.
double ingest_rate(const test::bus_process& bus, const std::string& tag) {
    std::vector<std::array<std::string, 3>> packets;
    for (std::size_t i = 0; i < rate_documents; ++i) {
        const auto id = "000.01.01.H41,2026/12/01," + std::to_string(i) + "/" + tag;
        packets.push_back({test::commune1, test::district1,
                           test::cluster::edoc(test::commune1, test::district1, id)});
    }
    std::atomic<int> port{bus.port()};
    std::atomic<std::size_t> answered{0};
    const auto start = steady::now();
    const auto load = test::cluster::run_load(packets, {&port}, 4, answered);
    const std::chrono::duration<double> took = steady::now() - start;
    REQUIRE(load.accepted == rate_documents);
    return static_cast<double>(rate_documents) / took.count();
}

std::size_t queues_with_prefix(const test::rabbitmq_cluster& cluster, const std::string& prefix) {
    std::size_t n = 0;
    for (const auto& [name, depth] : cluster.queue_depths()) {
        n += name.rfind(prefix + ".", 0) == 0 ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE("cluster: the bus starts on a 3000-agency province and delivers to a generated agency",
          "[cluster]") {
    test::rabbitmq_cluster cluster;
    const auto directory = generate_province(province_agencies);
    const auto generated = last_code(directory);
    REQUIRE_FALSE(generated.empty());
    std::vector<std::string> tokens{test::commune1, generated};
    const auto config = test::cluster::cluster_config(cluster, directory, "", {}, tokens);

    const auto started = steady::now();
    test::bus_process bus(config, 900s);
    wait_consuming(bus, 900s);
    const std::chrono::duration<double> startup = steady::now() - started;
    const auto queues = queues_with_prefix(cluster, test::queue_prefix_of(config));
    CHECK(queues >= static_cast<std::size_t>(province_agencies));  // one quorum queue per route

    auto posted = test::post_document(
        bus.port(), test::token_of(test::commune1),
        test::cluster::edoc(test::commune1, generated, "000.01.01.H41,2026/12/01,1/PROV"));
    INFO(posted.body);
    REQUIRE(posted.status == 202);
    std::vector<std::string> inbox;
    for (int i = 0; i < 600 && inbox.empty(); ++i) {
        inbox = test::inbox_document_ids(bus.port(), generated);
        std::this_thread::sleep_for(100ms);
    }
    CHECK(inbox == std::vector<std::string>{"000.01.01.H41,2026/12/01,1/PROV"});

    const auto bus_rss = rss_bytes(bus.pid());
    const auto broker_rss = cluster.memory_bytes();
    const double province_rate = ingest_rate(bus, "PROV-RATE");
    bus.terminate(30s);

    // The six-agency demo on the same cluster, in the same run: the ingest rate to compare.
    const auto demo_config =
        test::cluster::cluster_config(cluster, test::write_directory({}), "", {}, {test::commune1});
    const auto demo_started = steady::now();
    test::bus_process demo(demo_config, 300s);
    wait_consuming(demo, 300s);
    const std::chrono::duration<double> demo_startup = steady::now() - demo_started;
    const double demo_rate = ingest_rate(demo, "DEMO-RATE");
    std::cout << "province: " << province_agencies << " agencies, " << queues
              << " queues; start-up " << startup.count() << " s (demo " << demo_startup.count()
              << " s); bus RSS " << bus_rss / (1024 * 1024) << " MiB; broker RSS (3 nodes) "
              << broker_rss / (1024 * 1024) << " MiB; ingest " << province_rate
              << " docs/s vs demo " << demo_rate << " docs/s (ratio " << province_rate / demo_rate
              << ")" << std::endl;
}
