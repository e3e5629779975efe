#pragma once
// Decoding an attachment's ContentTransferEncoded text: base64, then, when the bytes are a zip
// archive (VNPT's SDK zips attachments), its entries, under bounds that stop zip bombs before
// they inflate.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace lienthong::bus::pdf {

/// Bounds on decoded attachments. Sizes in bytes.
struct decode_limits {
    std::size_t max_file_bytes = 64 * 1024 * 1024;    ///< one decoded file or zip entry
    std::size_t max_total_bytes = 128 * 1024 * 1024;  ///< all entries of one zip together
    std::size_t max_entries = 64;                     ///< entries of one zip
    std::size_t max_ratio = 100;  ///< uncompressed / compressed, per entry (entries < 1 MiB exempt)
};

/// One decoded file. `entry` is the zip entry name (UTF-8 as stored), empty for a plain file.
struct decoded_file {
    std::string entry;
    std::string bytes;
};

/// Base64 (RFC 4648 section 4) with whitespace allowed between groups, as XML carries it.
/// Errors: invalid_request for a character outside the alphabet or a bad length or padding.
core::result<std::string> decode_base64(std::string_view text);

/// True when `bytes` start with a zip local file header ("PK\x03\x04").
bool looks_like_zip(std::string_view bytes) noexcept;

/// The files of a zip archive (directories skipped) read with libzip, each bounded while it
/// inflates, never trusting the sizes the archive declares. Errors: invalid_request (not a
/// readable zip, an encrypted entry), payload_too_large (a bound exceeded; the message names
/// which). Thread-safe (no shared state).
core::result<std::vector<decoded_file>> unzip(std::string_view archive,
                                              const decode_limits& limits);

/// decode_base64, then unzip when the result is a zip; a single plain file otherwise.
core::result<std::vector<decoded_file>> decode_attachment(std::string_view encoded,
                                                          const decode_limits& limits);

}  // namespace lienthong::bus::pdf
