#pragma once
// A simulated national document axis (VXP): the endpoints of shared/EDXML.md section 4 on
// 127.0.0.1, checking every request's XroadVnpt HMAC headers and sendEdoc's hash-file against the
// packet, refusing bad ones with the axis's JSON envelope, storing what it received, and holding
// documents for the bus to poll (getReceivedEdocList → getEdoc → updateStatus).
//
// Used in-process by the tests and as the `lienthong-axis-sim` executable for the demo. Test-only
// extras: GET /sim/received, GET /sim/status, POST /sim/inbox (seed a waiting document).
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/national_axis/protocol.hpp"
#include "support/loopback_http_server.hpp"

namespace lienthong::test {

/// One document the axis accepted through sendEdoc.
struct axis_received {
    std::string doc_id;       ///< the axis's id (returned as DocId)
    std::string from;         ///< `from` header
    std::string to;           ///< `to` header (JSON array text)
    std::string messagetype;  ///< "edoc" or "status"
    std::string system_id;    ///< `systemid` header
    std::string hash_file;    ///< the hash-file header as received (checked to be correct)
    std::string packet;       ///< the body
};

/// One updateStatus call.
struct axis_status_update {
    std::string doc_id;
    std::string status;  ///< "done", "fail", ...
};

class axis_simulator final {
  public:
    /// `store_dir` (optional): also writes each received packet to <store_dir>/<DocId>.edxml.
    explicit axis_simulator(std::string secret, unsigned short port = 0,
                            std::string store_dir = {});

    unsigned short port() const { return server_->port(); }
    /// Base URL for the adapter's `endpoint` setting.
    std::string endpoint() const;

    std::vector<axis_received> received() const;
    /// Requests refused because of a bad HMAC or hash-file.
    std::size_t refused() const;
    std::vector<axis_status_update> status_updates() const;
    /// Puts a document in the axis for the bus to poll; returns its axis docId.
    std::string seed(std::string packet, std::string from, std::string to);

  private:
    struct waiting {
        std::string doc_id, from, to, packet, status = "inbox";
    };
    loopback_response handle(const loopback_request& req);

    std::string secret_;
    std::string store_dir_;
    mutable std::mutex mutex_;
    std::vector<axis_received> received_;
    std::vector<waiting> waiting_;
    std::vector<axis_status_update> updates_;
    std::size_t refused_ = 0;
    std::size_t next_id_ = 1;
    std::unique_ptr<loopback_http_server> server_;  // last: stops before the state goes
};

}  // namespace lienthong::test
