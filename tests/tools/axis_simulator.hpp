#pragma once
// A simulated national document axis (VXP), rebuilt from the capture of the real client
// (tests/data/edxml-real/wire/vnpt-sdkvxp-2.0.1_requests.txt): the endpoints of shared/EDXML.md
// section 4 on 127.0.0.1. It verifies every request exactly as the real client signs it (bare
// names in XroadVnpt-sign-header-key, the HMAC of XroadVnpt-sign-header, and for sendEdoc the
// signed XroadVnpt-hash-file in the SDK's hex over the body minus its trailing CRLF), refuses bad
// ones with the axis's JSON envelope (401 for the signature, 400 for hash-file), stores what it
// received, and holds documents and status packets for the bus to poll (getReceivedEdocList per
// messagetype → getEdoc → updateStatus with status and description).
//
// Used in-process by the tests and as the `lienthong-axis-sim` executable for the demo. Test-only
// extras, unsigned: GET /sim/received, GET /sim/status, POST /sim/inbox (seed a waiting packet:
// body = packet; headers X-From, X-To, optional X-Message-Type (edoc|status) and X-Doc-Id).
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/national_axis/protocol.hpp"
#include "support/loopback_http_server.hpp"

namespace lienthong::test {

/// One packet the axis accepted through sendEdoc.
struct axis_received {
    std::string doc_id;       ///< the axis's id (returned as DocId)
    std::string from;         ///< `from` header
    std::string to;           ///< `to` header (JSON array text; "" when not sent)
    std::string messagetype;  ///< "edoc" or "status"
    std::string system_id;    ///< `systemid` header
    std::string hash_file;    ///< the hash-file header as received (checked to be correct)
    std::string packet;       ///< the body without the CRLF the client appends
};

/// One updateStatus call.
struct axis_status_update {
    std::string doc_id;
    std::string status;       ///< "done", "fail", ...
    std::string description;  ///< the `description` header ("" when not sent)
    std::string messagetype;
};

/// One signed call as received (the /sim/* helpers are not recorded).
struct axis_request {
    std::string target;                            ///< e.g. "/sendEdoc"
    adapters::national_axis::header_list headers;  ///< every header, in the order received
    std::string body;
    int status = 0;  ///< the HTTP status the simulator answered
};

/// The simulator's check of one request to `target`: verify_request() under `secret`, and for
/// /sendEdoc verify_hash_file() over `body`. Returns the logical headers.
core::result<adapters::national_axis::header_list> verify_axis_request(
    const adapters::national_axis::header_list& all, std::string_view target, std::string_view body,
    std::string_view secret);

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
    std::vector<axis_request> requests() const;
    /// Puts a packet on the axis for the bus to poll, listed under `messagetype` ("edoc" or
    /// "status"); `doc_id` "" = a fresh "AXIS-IN-<n>". Returns its axis docId.
    std::string seed(std::string packet, std::string from, std::string to,
                     std::string messagetype = "edoc", std::string doc_id = {});

  private:
    struct waiting {
        std::string doc_id, messagetype, from, to, packet, status = "inbox";
    };
    using headers = adapters::national_axis::header_list;
    loopback_response handle(const loopback_request& req);
    loopback_response helper(const loopback_request& req, const std::string& target);
    loopback_response serve(const std::string& target, const headers& h, const std::string& body);
    loopback_response send_edoc(const headers& h, const std::string& body);
    loopback_response list_received(const headers& h) const;
    loopback_response list_sent() const;
    loopback_response by_doc_id(const std::string& target, const headers& h);

    std::string secret_;
    std::string store_dir_;
    mutable std::mutex mutex_;
    std::vector<axis_received> received_;
    std::vector<waiting> waiting_;
    std::vector<axis_status_update> updates_;
    std::vector<axis_request> requests_;
    std::size_t refused_ = 0;
    std::size_t next_id_ = 1;
    std::unique_ptr<loopback_http_server> server_;  // last: stops before the state goes
};

}  // namespace lienthong::test
