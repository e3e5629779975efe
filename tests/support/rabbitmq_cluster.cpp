#include "support/rabbitmq_cluster.hpp"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

namespace lienthong::test {

namespace {

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) {
        out.push_back(w);
    }
    return out;
}

/// The value of `export KEY='VALUE'` in cluster.env.
std::string env_value(const std::string& env, const std::string& key) {
    const std::regex line("export " + key + "='([^']*)'");
    std::smatch m;
    if (!std::regex_search(env, m, line)) {
        throw std::runtime_error("cluster.env has no " + key);
    }
    return m[1];
}

}  // namespace

rabbitmq_cluster::rabbitmq_cluster(int nodes)
    : top_(make_temp_dir("lienthong-cluster")),
      dir_(top_ + "/nodes"),
      scripts_(std::string(LIENTHONG_SOURCE_DIR) + "/deploy/rabbitmq") {
    // The nodes run as the rabbitmq user when we are root: it must be able to enter the folder.
    std::filesystem::permissions(top_, std::filesystem::perms::owner_all |
                                           std::filesystem::perms::group_exec |
                                           std::filesystem::perms::others_exec);
    const auto cmd = scripts_ + "/cluster-start.sh " + dir_ + " " + std::to_string(nodes) + " > " +
                     top_ + "/start.log 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        const auto log = read_file(top_ + "/start.log");
        (void)std::system((scripts_ + "/cluster-stop.sh " + dir_ + " > /dev/null 2>&1").c_str());
        throw std::runtime_error("cluster-start.sh failed:\n" + log);
    }
    const auto env = read_file(dir_ + "/cluster.env");
    for (const auto& p : words(env_value(env, "LIENTHONG_CLUSTER_PORTS"))) {
        ports_.push_back(std::stoi(p));
    }
    names_ = words(env_value(env, "LIENTHONG_CLUSTER_NODE_NAMES"));
}

rabbitmq_cluster::~rabbitmq_cluster() {
    (void)std::system((scripts_ + "/cluster-stop.sh " + dir_ + " > /dev/null 2>&1").c_str());
    std::error_code ec;
    std::filesystem::remove_all(top_, ec);
}

std::string rabbitmq_cluster::addresses_yaml() const {
    std::string out = "[";
    for (std::size_t i = 0; i < ports_.size(); ++i) {
        out += (i ? ", " : "") + std::string("\"127.0.0.1:") + std::to_string(ports_[i]) + "\"";
    }
    return out + "]";
}

pid_t rabbitmq_cluster::pid_of(int index) const {
    std::ifstream in(dir_ + "/node-" + std::to_string(index + 1) + "/rabbitmq.pid");
    pid_t pid = -1;
    in >> pid;
    return pid;
}

bool rabbitmq_cluster::alive(int index) const {
    const pid_t pid = pid_of(index);
    return pid > 0 && kill(pid, 0) == 0;
}

void rabbitmq_cluster::kill_node(int index) {
    const pid_t pid = pid_of(index);
    if (pid <= 0 || kill(pid, SIGKILL) != 0) {
        throw std::runtime_error("cannot SIGKILL node " + std::to_string(index + 1));
    }
    // The VM is not our child (start.sh detached it): wait until /proc lets it go.
    for (int i = 0; i < 500 && kill(pid, 0) == 0; ++i) {
        std::system("sleep 0.02");
    }
}

std::string rabbitmq_cluster::ctl(const std::string& args) const {
    for (std::size_t i = 0; i < ports_.size(); ++i) {
        if (!alive(static_cast<int>(i))) {
            continue;
        }
        const auto out = top_ + "/ctl.out";
        const auto cmd = scripts_ + "/ctl.sh " + dir_ + "/node-" + std::to_string(i + 1) + " " +
                         args + " > " + out + " 2>&1";
        const int rc = std::system(cmd.c_str());
        auto text = read_file(out);
        if (rc != 0) {
            throw std::runtime_error("rabbitmqctl " + args + " failed:\n" + text);
        }
        return text;
    }
    throw std::runtime_error("no live node for rabbitmqctl " + args);
}

int rabbitmq_cluster::leader_of(const std::string& queue) const {
    std::istringstream lines(ctl("list_queues --no-table-headers name leader"));
    for (std::string line; std::getline(lines, line);) {
        const auto w = words(line);
        if (w.size() == 2 && w[0] == queue) {
            for (std::size_t i = 0; i < names_.size(); ++i) {
                if (names_[i] == w[1]) {
                    return static_cast<int>(i);
                }
            }
        }
    }
    return -1;
}

std::vector<std::pair<std::string, long>> rabbitmq_cluster::queue_depths() const {
    std::vector<std::pair<std::string, long>> out;
    std::istringstream lines(ctl("list_queues --no-table-headers name messages"));
    for (std::string line; std::getline(lines, line);) {
        const auto w = words(line);
        if (w.size() == 2 && std::regex_match(w[1], std::regex("[0-9]+"))) {
            out.emplace_back(w[0], std::stol(w[1]));
        }
    }
    return out;
}

long rabbitmq_cluster::memory_bytes() const {
    long total = 0;
    for (std::size_t i = 0; i < ports_.size(); ++i) {
        if (!alive(static_cast<int>(i))) {
            continue;
        }
        std::ifstream status("/proc/" + std::to_string(pid_of(static_cast<int>(i))) + "/status");
        for (std::string line; std::getline(status, line);) {
            if (line.rfind("VmRSS:", 0) == 0) {
                total += std::stol(words(line.substr(6)).at(0)) * 1024;
            }
        }
    }
    return total;
}

}  // namespace lienthong::test
