#pragma once
// Reads the capture of the real national-axis client (tests/data/edxml-real/wire/
// vnpt-sdkvxp-2.0.1_requests.txt): one block per request, "POST /method   (body N bytes, sha256
// X)", then one "  Name: value" line per header in the order sent, and for small bodies a line
// "  [body] '...'".
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lienthong::test {

struct captured_request {
    std::string method;  ///< "POST"
    std::string target;  ///< "/sendEdoc"
    std::size_t body_size = 0;
    std::string body_sha256;                                   ///< lowercase hex
    std::vector<std::pair<std::string, std::string>> headers;  ///< in the order sent
    std::optional<std::string> body;                           ///< when the capture shows it
    /// The value of header `name` (exact case), or "".
    std::string header(std::string_view name) const;
};

/// The capture's path in the project's test data.
std::string axis_capture_path();
/// Every request of a capture file, in order. Throws std::runtime_error on a malformed line.
std::vector<captured_request> read_axis_capture(const std::string& path);

/// The secret, system id and packet of the capture (its header comment and README).
inline constexpr std::string_view capture_secret = "test-axis-secret-0001";
inline constexpr std::string_view capture_system_id = "TEST.SYSTEM.ID";
std::string capture_packet_path();  ///< edoc/sdk_minimal.edxml

}  // namespace lienthong::test
