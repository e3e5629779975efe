#pragma once
/// The wire protocol of the national document axis (VXP) as the public VNPT SDK ("SDKVXP",
/// com.vpcp.services) speaks it; see shared/EDXML.md section 4. Pure functions shared by the
/// adapter, the inbound poller and the test simulator (tests/tools/axis_simulator.cpp), so both
/// ends of every test use one definition of the signed headers.
///
/// Signed request headers: every logical header `k: v` (systemid, timestamp, Content-Type and the
/// method's JSON keys such as from/servicetype/messagetype/to/docId/status) travels as
/// `XroadVnpt-k: v`; `XroadVnpt-sign-header-key` lists those names joined by ";";
/// `XroadVnpt-sign-header` is a JSON object of the same name/value pairs; `XroadVnpt-hash-header`
/// is the lowercase hex HMAC-SHA256 of that JSON text keyed by the shared secret. Plus
/// `XroadVnpt-version: 3.0.201608` and `User-Agent: JAVASDKAgent/1.0.0 XRoad/VPCP`.
///
/// `hash-file` (sendEdoc) is the SHA-256 of the packet as lowercase hex with TWO digits per byte.
/// The SDK's hex routine drops the leading zero of bytes below 0x10; that bug is deliberately
/// not reproduced (an axis that checks the digest must accept a correct one).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/adapter.hpp"
#include "core/result.hpp"

namespace lienthong::adapters::national_axis {

using header_list = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view header_prefix = "XroadVnpt-";
inline constexpr std::string_view protocol_version = "3.0.201608";
inline constexpr std::string_view user_agent = "JAVASDKAgent/1.0.0 XRoad/VPCP";

/// Lowercase hex SHA-256, two digits per byte.
std::string sha256_hex(std::string_view data);
/// Lowercase hex HMAC-SHA256 of `data` keyed by `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string base64_encode(std::string_view bytes);
/// nullopt when `text` is not base64 (whitespace and line breaks are ignored).
std::optional<std::string> base64_decode(std::string_view text);

/// The SDK's timestamp: `ddMMyyyy'T'HHmmss+SSSS` (UTC; SSSS = milliseconds, zero-padded).
std::string axis_timestamp(std::chrono::system_clock::time_point t);

/// The HTTP headers of one signed request: the `XroadVnpt-*` set built from `logical` (to which
/// systemid, timestamp and Content-Type are added), the signature headers, version, User-Agent
/// and the plain Content-Type.
header_list sign_request(const header_list& logical, std::string_view system_id,
                         std::string_view secret, std::string_view content_type,
                         std::chrono::system_clock::time_point now);

/// Server side of sign_request (used by the simulator): checks that `XroadVnpt-sign-header` is
/// a JSON object naming exactly the `XroadVnpt-*` headers present (`sign-header-key` agreeing),
/// that the values match, and that `XroadVnpt-hash-header` is its HMAC under `secret`. Returns
/// the logical headers (prefix stripped) on success. `all` lists every received header (names
/// compared case-insensitively).
/// Errors: unauthenticated (bad or missing HMAC), schema_invalid (malformed signature headers).
core::result<header_list> verify_request(const header_list& all, std::string_view secret);

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
