#pragma once
#include <string>

#include "broker/topology.hpp"

namespace lienthong::bus::broker {

/// The topology as a RabbitMQ definitions document (the format of `rabbitmqctl
/// import_definitions` and the management plugin), with exactly the arguments
/// declare_topology() uses, so operators can pre-create or review what the bus declares.
std::string rabbitmq_definitions(const topology& topo, const std::string& vhost);

}  // namespace lienthong::bus::broker
