#pragma once
// The file structure of a PDF, read with qpdf (no parser of our own): its signature fields and
// what each declares (ISO 32000-1 12.8.1, signature dictionary), and a fingerprint of the page
// content of one revision to tell whether later revisions changed more than signatures.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace lienthong::bus::pdf {

/// One signature field with a signature value dictionary (/FT /Sig, /V present).
struct signature_field {
    std::string name;                      ///< fully qualified field name (UTF-8)
    std::string subfilter;                 ///< /SubFilter without the slash; empty if absent
    std::vector<std::int64_t> byte_range;  ///< /ByteRange as written (normally 4 numbers)
    std::string contents;                  ///< /Contents bytes (the DER CMS, zero padded)
    std::string claimed_time;              ///< /M as written, e.g. "D:20261130214113+07'00'"
};

/// Bounds on what one PDF may make us do.
struct pdf_limits {
    std::size_t max_bytes = 64 * 1024 * 1024;
    std::size_t max_signatures = 32;
    std::size_t max_contents_bytes = 512 * 1024;  ///< one /Contents (a CMS with a chain and CRLs)
    std::size_t max_pages = 100'000;
};

/// True when the bytes start with "%PDF-" (ISO 32000-1 7.5.2; leading junk is not accepted).
bool looks_like_pdf(std::string_view bytes) noexcept;

/// Every signature field with a value, in the AcroForm's field order. Errors: invalid_request
/// naming the structural problem when qpdf cannot read the file even with its recovery, when
/// it is encrypted, or a bound is exceeded (payload_too_large). Thread-safe (one qpdf object
/// per call; qpdf keeps no global state on this path).
core::result<std::vector<signature_field>> read_signature_fields(std::string_view bytes,
                                                                 const pdf_limits& limits);

/// SHA-256 over the page count and each page's raw (not decoded, so never inflated) content
/// stream bytes: two revisions with the same fingerprint show the same page content. Errors
/// as read_signature_fields.
core::result<std::array<unsigned char, 32>> page_fingerprint(std::string_view bytes,
                                                             const pdf_limits& limits);

}  // namespace lienthong::bus::pdf
