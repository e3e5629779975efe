#pragma once
// The agency directory: every agency of the province the bus serves. Loaded from its own YAML
// file (deploy/config/agencies.yaml shows the format).
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/api/adapter.hpp"

namespace lienthong::bus::routing {

enum class agency_level { province, department, district, commune };

/// What the bus asks of a packet's envelope `Signature` (edXMLHeader). Real senders (the VNPT
/// SDK's builders) fill it with placeholders, and the legally binding signatures are inside the
/// attached PDFs, so a sender may be trusted on its authenticated channel alone.
enum class envelope_policy {
    required,    ///< a verifiable XML-DSig by a certificate of the sending agency
    if_present,  ///< an XML-DSig is verified (and refused when invalid); none or a placeholder
                 ///< passes
    off,         ///< the envelope signature is not looked at
};

/// One sender's envelope rules: directory key `envelope_signature` (required | if_present | off)
/// and `allow_sha1` (RSA-SHA1 / SHA1 from this sender, besides the global trust.allow_sha1).
struct envelope_rules {
    envelope_policy policy = envelope_policy::required;
    bool allow_sha1 = false;
};

/// The directory spelling of a policy ("required", "if_present", "off").
std::string_view policy_name(envelope_policy p) noexcept;

/// What the bus asks of the signatures inside a sender's documents (the signed PDFs, issue 16):
/// directory key `document_signature`.
enum class document_policy {
    record,    ///< (default) verdicts are recorded and passed on; every document is delivered
    required,  ///< the main document (the first PDF of the manifest) must carry a valid
               ///< signature of someone in the sending agency, else 422
};

/// The directory spelling of a document policy ("record", "required").
std::string_view policy_name(document_policy p) noexcept;

/// How an agency receives documents: an adapter type and its settings (validated at start-up by
/// that adapter's factory).
struct subscription {
    std::string type;  ///< registry key, e.g. "http_webhook"
    adapters::settings settings;
    /// Delays between delivery attempts on this route; empty = the bus default
    /// (delivery.retry_schedule_ms). After the last step the document is dead-lettered.
    std::vector<std::int64_t> retry_schedule_ms;
};

struct agency {
    std::string code;  ///< QCVN 102 OrganId
    std::string name;
    agency_level level = agency_level::commune;
    std::string parent;  ///< code of the parent agency, empty for the province
    /// SHA-256 fingerprints (lowercase hex of the DER) of certificates allowed to sign for this
    /// agency in addition to those whose subject UID is its code.
    std::vector<std::string> fingerprints;
    std::vector<subscription> subscriptions;
    /// Documents this agency posts over REST; default `required`.
    envelope_rules envelope;
    /// The signatures inside the documents this agency sends; default `record`.
    document_policy documents = document_policy::record;
};

/// Thread-safety: every const method may be called from any thread, also while replace() runs.
class directory final {
  public:
    /// Reads and validates the file; throws config::config_error listing every problem with its
    /// key path (unknown keys, bad codes, duplicate codes, unknown parents).
    static directory load(const std::string& path);
    explicit directory(std::vector<agency> agencies,
                       std::optional<subscription> national_axis = std::nullopt,
                       envelope_rules axis_inbound = {envelope_policy::if_present, false});
    directory(directory&& other) noexcept;

    /// nullptr when the code is not in the directory.
    const agency* find(const std::string& code) const;
    const std::vector<agency>& agencies() const { return current()->agencies; }
    /// Where addressees outside the province go (the file's `national_axis:` section, type
    /// national_axis); nullopt = such addressees are refused as unknown recipients.
    const std::optional<subscription>& national_axis() const { return current()->national_axis; }
    /// Envelope rules for documents polled from the national axis (`national_axis:` keys
    /// `envelope_signature`, default if_present, and `allow_sha1`).
    envelope_rules axis_inbound_envelope() const { return current()->axis_inbound; }
    /// The rules for documents from `sender`: its agency's, or `required` for an unknown code.
    envelope_rules envelope_for(const std::string& sender) const;
    /// The document-signature policy of `sender`: its agency's, or `record` for an unknown code
    /// (senders outside the province, from the national axis).
    document_policy documents_for(const std::string& sender) const;

    /// Takes over the contents of `fresh` (SIGHUP reload). Earlier contents stay alive until
    /// the directory is destroyed, so pointers and references handed out before remain valid.
    /// Not to be called concurrently with itself.
    void replace(directory&& fresh);

  private:
    struct contents {
        std::vector<agency> agencies;
        std::optional<subscription> national_axis;
        envelope_rules axis_inbound;
        std::map<std::string, std::size_t> by_code;
    };
    const contents* current() const { return current_.load(std::memory_order_acquire); }

    std::vector<std::unique_ptr<const contents>> generations_;
    std::atomic<const contents*> current_{nullptr};
};

}  // namespace lienthong::bus::routing
