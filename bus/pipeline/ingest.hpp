#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/publisher.hpp"
#include "core/result.hpp"
#include "crypto/signature_verifier.hpp"
#include "routing/directory.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"

namespace lienthong::bus::pipeline {

/// What the bus tells the sender once a document is safely in the broker.
struct accepted {
    std::string id;           ///< the bus's document id (UUID v4)
    std::string document_id;  ///< edXML DocumentId
    std::vector<std::string> recipients;
};

/// The ingest pipeline of an edoc packet: parse safely, validate against the XSD, read the
/// header, check the sender, verify the signature and its chain, check that the signer is the
/// sender, plan one route per addressee, and publish with confirms.
///
/// Thread-safety: submit() may be called from any thread; its dependencies must outlive it.
class ingest final {
public:
    using completion = std::function<void(core::result<accepted>)>;

    ingest(xml::parse_limits limits, const xml::schema_validator& schema,
           const crypto::signature_verifier& verifier, const routing::directory& directory,
           broker::publisher& publisher);

    /// `sender`: the authenticated agency code. The checks run on the calling thread; `done` is
    /// called exactly once: at once for a rejection, or from the publisher's thread after the
    /// broker confirmed (or failed) every route.
    void submit(const std::string& sender, std::shared_ptr<const std::string> packet,
                completion done) const;

private:
    xml::parse_limits limits_;
    const xml::schema_validator& schema_;
    const crypto::signature_verifier& verifier_;
    const routing::directory& directory_;
    broker::publisher& publisher_;
};

}  // namespace lienthong::bus::pipeline
