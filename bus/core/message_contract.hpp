#pragma once
// The message contract between ingest and delivery: what a message on a route queue carries
// besides the packet bytes. The one place that spells a header name, a journey event kind or a
// status name; the pipeline writes these, the dispatcher, the admin API and the adapters read
// them. Changing a spelling here changes the wire format of queued messages: add, never rename.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lienthong::core {

/// What a message carries: an edXML document (edoc.xsd) or a QCVN 102 status packet (status.xsd).
enum class message_kind { edoc, status };

/// "edoc" or "status".
std::string_view kind_name(message_kind kind) noexcept;

/// Message headers (AMQP table entries, all string-valued) that the bus sets and reads.
namespace header {
inline constexpr const char* document_id = "x-document-id";  ///< the bus id (UUID)
inline constexpr const char* edxml_document_id = "x-edxml-document-id";
inline constexpr const char* sender = "x-sender";        ///< From/OrganId
inline constexpr const char* recipient = "x-recipient";  ///< OrganIds, comma-joined (see below)
inline constexpr const char* message_type = "x-message-type";  ///< "status"; absent = edoc
inline constexpr const char* status_code = "x-status-code";    ///< status packets: "01".."16"
inline constexpr const char* response_for = "x-response-for";  ///< status: the original's bus id
inline constexpr const char* envelope_signature = "x-envelope-signature";  ///< ingest's verdict
/// The documents' own signatures (signed PDFs), compact: counts per document state,
/// "signed=1,signed-invalid=0,unsigned=0,not-pdf=1"; absent when the checks are off.
inline constexpr const char* document_signatures = "x-document-signatures";
/// The same verdicts in full, as the JSON array of bus/pdf/verdict.hpp (the recipients' sidecar).
inline constexpr const char* document_verdicts = "x-document-verdicts";
inline constexpr const char* route = "x-route";      ///< set on retry and dead-letter copies
inline constexpr const char* attempt = "x-attempt";  ///< 1 for the first delivery attempt
inline constexpr const char* first_failure = "x-first-failure-reason";
inline constexpr const char* last_failure = "x-last-failure-reason";
inline constexpr const char* dead_reason = "x-dead-letter-reason";
}  // namespace header

/// Journey event kinds (tracking store `journey_event::kind`).
namespace event {
inline constexpr const char* received = "received";  ///< passed every check, before publishing
inline constexpr const char* rejected = "rejected";  ///< refused at ingest
inline constexpr const char* queued = "queued";      ///< confirmed by the broker on one route
inline constexpr const char* accepted = "accepted";  ///< confirmed on every route (the 202)
/// Published, but the broker did not confirm within broker.confirm_timeout_ms (the sender got
/// 503); `accepted` follows if the broker confirms later, and the document is then delivered.
inline constexpr const char* unconfirmed = "unconfirmed";
inline constexpr const char* attempt = "attempt";  ///< a failed delivery attempt
inline constexpr const char* delivered = "delivered";
inline constexpr const char* dead_lettered = "dead_lettered";
inline constexpr const char* replayed = "replayed";  ///< an operator replayed a dead letter
inline constexpr const char* status = "status";      ///< a status reply about the document
/// The documents' signature verdicts at ingest: code = the main document's state (signed,
/// signed-invalid, unsigned, not-pdf), detail = the compact summary.
inline constexpr const char* signatures = "signatures";
}  // namespace event

/// The edXML name of a status code ("03" → "acceptance"; QCVN 102 status packets, the codes
/// seen in the public samples: 01-06, 13, 15, 16); "" for another code.
std::string status_name(std::string_view code);

/// The contract's fields of one queued message, as ingest and status intake publish them.
struct message_meta {
    std::string id;                 ///< the bus id
    std::string edxml_document_id;  ///< DocumentId (status packets: the original's)
    std::string sender;
    /// Who the message is for: one OrganId on an agency's route, every external addressee on the
    /// national-axis route (the axis receives the packet once). On the wire, comma-joined (an
    /// OrganId never holds a comma: QCVN 102, [A-Za-z0-9._-]).
    std::vector<std::string> recipients;
    message_kind kind = message_kind::edoc;
    std::string status_code;          ///< status packets only
    std::string response_for;         ///< status packets only
    std::string envelope_signature;   ///< documents only
    std::string document_signatures;  ///< documents only: compact summary (header above)
    std::string document_verdicts;    ///< documents only: the verdicts as JSON
};

using header_table = std::vector<std::pair<std::string, std::string>>;

/// The headers of `meta` (empty fields are left out; kind edoc is the absence of
/// x-message-type, as messages published before the field existed).
header_table encode_headers(const message_meta& meta);

/// `recipients` as x-recipient carries them: comma-joined, in order.
std::string join_recipients(const std::vector<std::string>& recipients);
/// x-recipient's value as a list (empty entries dropped).
std::vector<std::string> split_recipients(std::string_view joined);

/// Reads the contract's fields back; `lookup(name)` gives a header's value or "" when absent.
template <class Lookup>
message_meta decode_headers(Lookup&& lookup) {
    message_meta m;
    m.id = lookup(header::document_id);
    m.edxml_document_id = lookup(header::edxml_document_id);
    m.sender = lookup(header::sender);
    m.recipients = split_recipients(lookup(header::recipient));
    m.kind = lookup(header::message_type) == std::string_view("status") ? message_kind::status
                                                                        : message_kind::edoc;
    m.status_code = lookup(header::status_code);
    m.response_for = lookup(header::response_for);
    m.envelope_signature = lookup(header::envelope_signature);
    m.document_signatures = lookup(header::document_signatures);
    m.document_verdicts = lookup(header::document_verdicts);
    return m;
}

}  // namespace lienthong::core
