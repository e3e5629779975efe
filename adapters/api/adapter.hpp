#pragma once
/// The delivery adapter contract. Integrators implement `adapter` (the runtime half) and
/// `adapter_factory` (the factory half), and register the factory under a stable type name.
///
/// Lifecycle: the bus calls factory.validate() for every subscription at start-up (all errors are
/// reported with their key path before exit), then create() once per subscription, start() on each
/// adapter in order, deliver() for every document routed to it, and stop() in reverse order on
/// shutdown.
///
/// Thread-safety: deliver() may be called concurrently from several delivery workers.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/message_contract.hpp"
#include "core/result.hpp"

namespace lienthong::adapters {

/// What a delivery carries: an edXML document (edoc.xsd) or a QCVN 102 status packet
/// (status.xsd). The dispatcher takes it from the message's `x-message-type` header ("status";
/// absent for a document). Adapters that speak a typed protocol use it, e.g. the national axis
/// sends messagetype=status for a status packet.
using message_kind = core::message_kind;

/// One document (or status packet) routed to one recipient.
struct delivery {
    std::string id;           ///< the bus's document id (UUID)
    std::string document_id;  ///< edXML DocumentId
    std::string sender;       ///< From/OrganId
    /// The addressee's OrganId; on the national-axis route every addressee outside the province
    /// (the axis receives the packet once). Never empty for a message the bus published.
    std::vector<std::string> recipients;
    std::shared_ptr<const std::string> packet;  ///< the original signed packet bytes
    int attempt = 1;
    message_kind kind = message_kind::edoc;
    /// What the bus found about the envelope signature at ingest (verified, absent,
    /// placeholder, not_checked; "" for status packets and older messages).
    std::string envelope_signature;
    /// The documents' own signatures (signed PDFs) at ingest: the compact summary
    /// ("signed=1,signed-invalid=0,unsigned=0,not-pdf=0") and the full verdicts as a JSON array
    /// (the recipients' sidecar; bus/pdf/verdict.hpp describes its shape). "" when the bus did
    /// not check them (status packets, checks off, older messages).
    std::string document_signatures;
    std::string document_verdicts;
};

enum class outcome {
    delivered,          ///< the recipient has it; the bus acks the message
    retryable_failure,  ///< try again later (network error, 5xx, 408/429)
    permanent_failure,  ///< retrying cannot help; straight to the dead-letter queue
};

struct delivery_result {
    outcome result = outcome::delivered;
    std::string reason;  ///< for failures: shown to operators, kept in message headers
};

class adapter {
  public:
    virtual ~adapter() = default;
    virtual void start() {}
    /// Must not throw; untrusted replies from remote systems are turned into failures.
    virtual delivery_result deliver(const delivery& d) = 0;
    virtual void stop() {}
};

/// Settings of one subscription, as flat string key/values (the directory file's `settings`).
using settings = std::map<std::string, std::string>;

/// What the bus does with one packet an inbound source fetched from another system: an `edoc`
/// goes to the ingest pipeline, a `status` to the status intake (wired by the app). `delivered` =
/// accepted into the province (or accepted before); `permanent_failure` = refused, with the
/// reason; `retryable_failure` = not now (e.g. the broker is down). Called on the source's own
/// thread; may block until the packet is safely in the broker. `source_id`: the other system's
/// id of the packet, for logs.
using inbound_sink = std::function<delivery_result(
    message_kind kind, std::shared_ptr<const std::string> packet, const std::string& source_id)>;

/// The inbound half of an adapter type that also fetches packets (the national axis's poller).
class inbound_source {
  public:
    virtual ~inbound_source() = default;
    /// Starts its own thread. Must not throw once the factory created it.
    virtual void start() = 0;
    /// Stops and joins; a packet in hand is finished first.
    virtual void stop() = 0;
};

/// An adapter type: the factory half parses and validates a subscription's settings once, then
/// creates the runtime halves (SPEC: STYLE.md, Envoy's factory/runtime split).
class adapter_factory {
  public:
    virtual ~adapter_factory() = default;
    /// Appends "<path>.<key>: message" for every problem in `s`; leaves `errors` alone if valid.
    virtual void validate(const settings& s, const std::string& path,
                          std::vector<std::string>& errors) const = 0;
    /// Precondition: validate() reported nothing for `s`.
    virtual std::unique_ptr<adapter> create(const settings& s) const = 0;
    /// The inbound source `s` asks for, handing each fetched packet to `sink`; nullptr when the
    /// type has none or `s` does not enable it (the default). Precondition as for create().
    virtual std::unique_ptr<inbound_source> create_inbound(const settings& s,
                                                           inbound_sink sink) const {
        (void)s;
        (void)sink;
        return nullptr;
    }
};

}  // namespace lienthong::adapters
