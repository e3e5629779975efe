#pragma once
// A private three-node RabbitMQ cluster on loopback for [cluster] tests: started by
// deploy/rabbitmq/cluster-start.sh in a temp folder (~40 s on two cores), stopped by
// cluster-stop.sh and removed on destruction. Test code only: failures throw.
#include <sys/types.h>

#include <string>
#include <vector>

namespace lienthong::test {

class rabbitmq_cluster final {
  public:
    explicit rabbitmq_cluster(int nodes = 3);
    ~rabbitmq_cluster();
    rabbitmq_cluster(const rabbitmq_cluster&) = delete;
    rabbitmq_cluster& operator=(const rabbitmq_cluster&) = delete;

    /// AMQP port of each node, node 1 first.
    const std::vector<int>& ports() const { return ports_; }
    /// The YAML flow list for broker.addresses, e.g. ["127.0.0.1:5701", "127.0.0.1:5702"].
    std::string addresses_yaml() const;
    /// Node names, e.g. "rabbit-1@localhost"; index i is node i+1.
    const std::vector<std::string>& node_names() const { return names_; }

    /// rabbitmqctl ARGS against the first node still alive; its standard output.
    std::string ctl(const std::string& args) const;
    /// The node (0-based) that leads quorum queue `queue` now (rabbitmqctl list_queues name
    /// leader), or -1 when it is not listed.
    int leader_of(const std::string& queue) const;
    /// Every queue's name and ready+unacked message count.
    std::vector<std::pair<std::string, long>> queue_depths() const;
    /// SIGKILL to node `index` (0-based): the Erlang VM dies at once, as on a power cut.
    void kill_node(int index);
    bool alive(int index) const;
    /// Resident memory (bytes) of every live node's Erlang VM, summed (/proc/PID/status VmRSS).
    long memory_bytes() const;

  private:
    pid_t pid_of(int index) const;

    std::string top_;  ///< the temp folder: logs, and the cluster's folder dir_
    std::string dir_;
    std::string scripts_;
    std::vector<int> ports_;
    std::vector<std::string> names_;
};

}  // namespace lienthong::test
