#pragma once
#include <string>
#include <string_view>

namespace lienthong::bus::crypto {

/// Lowercase hex SHA-256 of `data` (token digests, packet content hashes).
std::string sha256_hex(std::string_view data);

}  // namespace lienthong::bus::crypto
