#pragma once
// Shared by the [cluster] tests: a bus config on the three-node cluster and a shared
// PostgreSQL, unique edoc packets, and a load of documents posted through several instances.
#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "support/rabbitmq_cluster.hpp"

namespace lienthong::test::cluster {

/// delivery_config() for `directory` with broker.addresses = every node of `nodes` and the
/// tracking store (and inbox) on PostgreSQL at `postgresql_url` ("" = SQLite in the bus's
/// folder); `extra` appended; bearer tokens for `token_agencies` (empty = the six demo ones).
std::string cluster_config(const rabbitmq_cluster& nodes, const std::string& directory,
                           const std::string& postgresql_url, const std::string& extra = {},
                           const std::vector<std::string>& token_agencies = {});

/// The edoc-new sample from `from` to `to` with DocumentId `document_id`, signed by `from`.
std::string edoc(const std::string& from, const std::string& to, const std::string& document_id);

/// What a load run saw: the bus id of every document answered 2xx (202, or 200 for a retry of
/// one already accepted), by recipient, and how many posts failed before one was answered.
struct load_result {
    std::map<std::string, std::vector<std::string>> accepted_by_recipient;
    std::size_t accepted = 0;
    std::size_t failed_posts = 0;  ///< no answer / 503 (retried with the same DocumentId)
    std::size_t refused = 0;       ///< answered 4xx: a test failure
    std::string error;             ///< why a client thread gave up ("" = none did)
};

/// Posts `packets` (sender, recipient, bytes) from `threads` client threads, round robin over
/// the bus ports in `ports` (read at every post: an instance may restart on another port),
/// each thread pausing `pause` after each document (a paced load outlasts the faults injected
/// during it). A post that gets no answer or a 5xx is retried, on the next instance, until it is
/// answered.
load_result run_load(const std::vector<std::array<std::string, 3>>& packets,
                     const std::vector<std::atomic<int>*>& ports, int threads,
                     std::atomic<std::size_t>& answered,
                     std::chrono::milliseconds pause = std::chrono::milliseconds{0});

}  // namespace lienthong::test::cluster
