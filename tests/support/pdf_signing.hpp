#pragma once
// PDFs for the document-signature tests, made at test time: plain PDFs written by qpdf, signed
// by Debian's pdfsig (poppler) from an NSS database holding a test-PKI identity, re-signed as
// ETSI.CAdES.detached with OpenSSL's CMS, and pdfsig's own verdict as a second opinion.
// Helpers throw std::runtime_error on setup problems; their files live in make_temp_dir folders.
#include <string>
#include <vector>

namespace lienthong::test {

/// A PDF written by qpdf with `pages` pages showing `text` (ASCII), and, when `padding_bytes` is
/// non-zero, an uncompressed image XObject of that many bytes on the first page (to reach a
/// size, e.g. the 2 MB benchmark document).
std::string make_pdf(const std::string& text, int pages = 1, std::size_t padding_bytes = 0);

/// `pdf` with one more signature, added by `pdfsig -add-signature` as an incremental update,
/// signed by the identity in `dir` (key.pem, cert.pem, chain.pem of the test PKI, e.g.
/// agency_dir(code) or pki_dir() + "/expired").
std::string pdfsig_sign(const std::string& pdf, const std::string& dir);

/// pdfsig's view of each signature, in its order.
struct pdfsig_signature {
    std::string signature_validation;    ///< e.g. "Signature is Valid.", "Digest Mismatch."
    std::string certificate_validation;  ///< e.g. "Certificate is Trusted."
    bool total_document_signed = false;
};
/// Runs pdfsig on `pdf` with an NSS database trusting the test root (and the intermediate).
std::vector<pdfsig_signature> pdfsig_verify(const std::string& pdf);

/// `signed_pdf` with its last signature replaced by a CAdES one (OpenSSL CMS_sign with
/// CMS_CADES, signed attributes with signing-certificate-v2) by the identity in `dir`, and its
/// /SubFilter renamed ETSI.CAdES.detached (same length, so the ByteRange stays).
std::string resign_as_cades(const std::string& signed_pdf, const std::string& dir);

/// The byte offset of the first occurrence of `needle` in `pdf`; throws if absent.
std::size_t offset_of(const std::string& pdf, const std::string& needle);

}  // namespace lienthong::test
