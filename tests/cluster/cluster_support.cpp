#include "cluster/cluster_support.hpp"

#include <boost/json.hpp>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

namespace lienthong::test::cluster {

std::string cluster_config(const rabbitmq_cluster& nodes, const std::string& directory,
                           const std::string& postgresql_url, const std::string& extra,
                           const std::vector<std::string>& token_agencies) {
    const std::string store =
        postgresql_url.empty()
            ? std::string{}
            : "store:\n  backend: postgresql\n  postgresql_url: " + postgresql_url + "\n";
    auto cfg = delivery_config(nodes.ports().at(0), directory, store + extra, token_agencies);
    // The single node's port line becomes the list of every node.
    const std::string port_line = "\n  port: " + std::to_string(nodes.ports().at(0)) + "\n";
    const auto at = cfg.find(port_line);
    if (at == std::string::npos) {
        throw std::logic_error("the test config has no broker port line");
    }
    cfg.replace(at, port_line.size(), "\n  addresses: " + nodes.addresses_yaml() + "\n");
    return cfg;
}

std::string edoc(const std::string& from, const std::string& to, const std::string& document_id) {
    auto text = read_file(sample_path("edoc-new.edxml"));
    text = std::regex_replace(text, std::regex("<DocumentId>[^<]*</DocumentId>"),
                              "<DocumentId>" + document_id + "</DocumentId>");
    // The sample is from commune1 to district1; the first OrganId is From's, the next To's.
    const std::regex to_organ("(<To>\\s*<OrganId>)[^<]*(</OrganId>)");
    text = std::regex_replace(text, to_organ, "$01" + to + "$02",
                              std::regex_constants::format_first_only);
    const std::regex from_organ("(<From>\\s*<OrganId>)[^<]*(</OrganId>)");
    text = std::regex_replace(text, from_organ, "$01" + from + "$02",
                              std::regex_constants::format_first_only);
    return sign_bytes(text, agency_key(from), agency_chain(from));
}

namespace {

/// One document until some instance answers it: 2xx = accepted (its bus id), 4xx = refused.
/// Returns "" when refused.
std::string post_until_answered(const std::array<std::string, 3>& p,
                                const std::vector<std::atomic<int>*>& ports, std::size_t& turn,
                                std::size_t& failed) {
    for (int attempt = 0; attempt < 600; ++attempt) {
        const int port = ports[turn++ % ports.size()]->load();
        try {
            if (port > 0) {
                auto r = post_document(static_cast<unsigned short>(port), token_of(p[0]), p[2]);
                if (r.status == 200 || r.status == 202) {
                    return std::string(boost::json::parse(r.body).at("id").as_string());
                }
                if (r.status >= 400 && r.status < 500) {
                    return {};
                }
            }
        } catch (const std::exception&) {
            // No answer (instance down or killed mid-request): the same DocumentId again.
        }
        ++failed;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("no instance answered a document for a minute");
}

}  // namespace

load_result run_load(const std::vector<std::array<std::string, 3>>& packets,
                     const std::vector<std::atomic<int>*>& ports, int threads,
                     std::atomic<std::size_t>& answered, std::chrono::milliseconds pause) {
    load_result out;
    std::mutex mutex;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            std::size_t turn = static_cast<std::size_t>(t);
            for (std::size_t i = next++; i < packets.size(); i = next++) {
                std::size_t failed = 0;
                std::string id;
                try {
                    id = post_until_answered(packets[i], ports, turn, failed);
                } catch (const std::exception& e) {
                    std::lock_guard lock(mutex);
                    out.error = e.what();  // a thread must not throw: the caller reports it
                    return;
                }
                std::lock_guard lock(mutex);
                out.failed_posts += failed;
                if (id.empty()) {
                    ++out.refused;
                } else {
                    ++out.accepted;
                    out.accepted_by_recipient[packets[i][1]].push_back(id);
                }
                ++answered;
                std::this_thread::sleep_for(pause);
            }
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    return out;
}

}  // namespace lienthong::test::cluster
