#pragma once
/// The wire protocol of the national document axis (VXP) as its public client, VNPT's SDKVXP-2.0.1
/// (com.vpcp.services), speaks it. The reference is what that client actually sent, recorded in
/// tests/data/edxml-real/wire/vnpt-sdkvxp-2.0.1_requests.txt (see also shared/EDXML.md section
/// 4); where this file and the capture disagree, the capture wins. Pure functions shared by the
/// client, the inbound poller and the test simulator (tests/tools/axis_simulator.cpp), so both
/// ends of every test use one definition of the signed headers.
///
/// Signed request headers (capture): every logical header `k: v` travels as `XroadVnpt-k: v`;
/// `XroadVnpt-sign-header-key` lists the BARE names k joined by ";" (`systemid;servicetype;...`,
/// not `XroadVnpt-systemid`); `XroadVnpt-sign-header` is a JSON object of the prefixed
/// name/value pairs in the same order; `XroadVnpt-hash-header` is the lowercase hex HMAC-SHA256
/// of that exact JSON text keyed by the shared secret. Then `User-Agent: JAVASDKAgent/1.0.0
/// XRoad/VPCP` and `XroadVnpt-version: 3.0.201608` (unsigned).
///
/// Order of the signed set, as the real client sends it: systemid, servicetype, messagetype,
/// hash-file, docId, filePath, from, to, timestamp, Content-Type, status, description (each
/// only when given; the capture has no `description`, it is placed after `status`, which it
/// qualifies). Names outside this list are kept after it in the caller's order.
///
/// `hash-file` (capture and SDK behaviour): a signed header holding the SHA-256 of the packet as
/// handed to the client, i.e. WITHOUT the CRLF that the client appends to the sendEdoc body,
/// written byte by byte in lowercase hex WITHOUT each byte's leading zero (Java's
/// Integer.toHexString per byte), so it may be shorter than 64 characters. The axis checks what
/// the SDK computes, so it is reproduced exactly (sdk_hex()).
///
/// Timestamp (capture and SDK behaviour): `ddMMyyyy'T'HHmmss+SSSS` in the client host's LOCAL
/// time, where the part after `+` is the milliseconds zero-padded to 4 digits (not a zone).
///
/// Bodies (capture): sendEdoc = packet + "\r\n", Content-Type application/octet-stream;
/// getEdoc and updateStatus `{}`, list calls an empty body, both application/json.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/api/adapter.hpp"
#include "core/result.hpp"

namespace lienthong::adapters::national_axis {

using header_list = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view header_prefix = "XroadVnpt-";
inline constexpr std::string_view protocol_version = "3.0.201608";
inline constexpr std::string_view user_agent = "JAVASDKAgent/1.0.0 XRoad/VPCP";
/// What the client appends to the packet in a sendEdoc body (capture: body = file + CRLF).
inline constexpr std::string_view upload_trailer = "\r\n";
/// Largest `description` (updateStatus fail) sent, in bytes; see header_safe().
inline constexpr std::size_t max_description = 200;

/// "edoc" or "status": the axis's `messagetype` of a kind.
std::string_view messagetype_of(message_kind kind);

/// The SDK's hex: each byte in lowercase hex WITHOUT its leading zero (0x0a → "a", 0x00 → "0").
std::string sdk_hex(std::string_view bytes);
/// `hash-file` of a packet as the SDK computes it: sdk_hex(SHA-256(packet)).
std::string sdk_hash_file(std::string_view packet);
/// The sendEdoc body of a packet: packet + upload_trailer.
std::string upload_body(std::string_view packet);
/// The packet inside a sendEdoc body: the body without one trailing upload_trailer.
std::string_view packet_of_upload(std::string_view body);
/// Lowercase hex HMAC-SHA256 of `data` keyed by `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string base64_encode(std::string_view bytes);
/// nullopt when `text` is not base64 (whitespace and line breaks are ignored).
std::optional<std::string> base64_decode(std::string_view text);

/// The SDK's timestamp `ddMMyyyy'T'HHmmss+SSSS` of `t` in the host's local time zone (as the
/// Java client formats it); SSSS = milliseconds, zero-padded to 4 digits.
std::string axis_timestamp(std::chrono::system_clock::time_point t);

/// `text` made safe for an HTTP header value: each run of bytes outside printable ASCII
/// (0x20-0x7e: control characters, CR/LF, UTF-8 sequences) becomes one '?', the ends are
/// trimmed of spaces, and the result is cut to `max` bytes.
std::string header_safe(std::string_view text, std::size_t max = max_description);

/// The HTTP headers of one signed request, in the real client's order: the `XroadVnpt-*` set
/// built from `logical` plus systemid, timestamp (of `now`) and Content-Type, ordered as above;
/// the plain Content-Type (first for an octet-stream upload, after the timestamp for JSON, as
/// captured); the three signature headers; User-Agent and version.
header_list sign_request(const header_list& logical, std::string_view system_id,
                         std::string_view secret, std::string_view content_type,
                         std::chrono::system_clock::time_point now);

/// Server side of sign_request (used by the simulator): checks that `XroadVnpt-hash-header` is
/// the HMAC under `secret` of the `XroadVnpt-sign-header` text, that this text is a JSON object
/// of string values whose names are, in order, `XroadVnpt-` + each bare name of
/// `XroadVnpt-sign-header-key`, that each signed value equals the header received, and that
/// every other `XroadVnpt-*` header is a signature header or the version. Returns the logical
/// headers (bare names, signed order) on success. `all` lists every received header (names
/// compared case-insensitively).
/// Errors: unauthenticated (bad or missing HMAC, a header unsigned or not as signed),
/// schema_invalid (sign-header not a JSON object of strings).
core::result<header_list> verify_request(const header_list& all, std::string_view secret);

/// Server side of hash-file (sendEdoc): `logical` (from verify_request) must hold `hash-file`
/// equal to sdk_hash_file(packet_of_upload(body)). Errors: unauthenticated, naming hash-file.
core::result<void> verify_hash_file(const header_list& logical, std::string_view body);

/// The axis's JSON reply envelope.
struct reply {
    std::string status;      ///< "OK" or "FAIL"
    std::string error_code;  ///< "0" = success
    std::string error_desc;
    std::string doc_id;  ///< sendEdoc: the axis's id of the stored document
    bool ok() const { return status == "OK" && error_code == "0"; }
};

/// Reads the envelope (fields may be strings or numbers). Errors: internal, with the reason, for
/// a reply that is not a JSON object (untrusted input: never throws).
core::result<reply> parse_reply(std::string_view body);

/// Serialises an envelope (the simulator's answers), with extra top-level members from `extra`
/// (already-serialised JSON values, e.g. {"data", "[...]"}).
std::string make_reply(const reply& r, const header_list& extra_json = {});

/// How the adapter judges a sendEdoc exchange: transport error or HTTP 5xx/408/429 → retryable;
/// other non-2xx → permanent; 2xx with an envelope that is OK → delivered; 2xx with FAIL →
/// permanent (the axis refused the document); 2xx with an unreadable body → retryable (the axis
/// may or may not have the document; a resend is safer than a loss).
delivery_result judge_send(int http_status, std::string_view transport_error,
                           std::string_view body);

}  // namespace lienthong::adapters::national_axis
