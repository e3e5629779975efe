#pragma once
#include <memory>

#include "broker/publisher.hpp"
#include "broker/topology.hpp"
#include "config/config.hpp"

namespace lienthong::bus::broker {

/// rabbitmq-c publisher: owns one connection and a worker thread. The thread connects (with
/// backoff up to broker.reconnect_max_ms), declares the topology, enables confirm mode, and then
/// publishes queued batches, coalescing batches that arrive together into one confirm round.
/// When a round's confirms do not come within broker.confirm_timeout_ms its callers are answered
/// (outcome_pending) and the connection is kept, so late confirms still settle those batches.
/// While disconnected, publish() fails at once with broker_unavailable; so it does while the
/// broker has the connection blocked (connection.blocked, a RabbitMQ memory or disk alarm,
/// https://www.rabbitmq.com/docs/connection-blocked) until connection.unblocked.
class amqp_publisher final : public publisher {
  public:
    amqp_publisher(config::broker_config cfg, topology topo);
    ~amqp_publisher() override;  ///< stops the thread; pending batches fail with broker_unavailable

    void start();
    void stop();
    void publish(std::vector<outgoing_message> messages, completion done) override;
    void publish_with_late_outcome(std::vector<outgoing_message> messages, completion done,
                                   completion late) override;
    bool connected() const override;
    bool blocked() const override;
    /// A directory reload: the queues and helper exchanges declared at the next (re)connect
    /// (the documents exchange stays). Does not declare them now: the consumer does
    /// (amqp_consumer::change_queues). Thread-safe.
    void set_topology(topology topo);

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace lienthong::bus::broker
