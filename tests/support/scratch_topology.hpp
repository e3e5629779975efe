#pragma once
// A broker topology of its own for one broker test: a fresh exchange and quorum queues, declared
// by whoever uses `topo`, deleted again however the test ends.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "broker/topology.hpp"
#include "support/rabbitmq.hpp"

namespace lienthong::test {

struct scratch_topology final {
    scratch_topology(int port, const std::vector<std::string>& routing_keys) : port_(port) {
        topo.exchange = unique_name("lienthong.test.x");
        for (const auto& key : routing_keys) {
            topo.queues.push_back({unique_name("lienthong.test.q." + key), key});
        }
    }
    ~scratch_topology() {
        try {
            for (const auto& q : topo.queues) {
                delete_queue(port_, q.queue);
            }
            delete_exchange(port_, topo.exchange);
        } catch (const std::exception& e) {
            WARN("cleanup failed: " << e.what());
        }
    }
    scratch_topology(const scratch_topology&) = delete;
    scratch_topology& operator=(const scratch_topology&) = delete;

    bus::broker::topology topo;

  private:
    int port_;
};

}  // namespace lienthong::test
