#pragma once
#include <string>

#include "core/result.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::crypto {

/// Signs an edXML packet the way the bus expects: one enveloped ds:Signature appended to
/// edXMLHeader, Reference URI="" with the enveloped-signature and exclusive C14N transforms,
/// RSA-SHA256 / SHA-256, KeyInfo/X509Data with the signer certificate (and any extra certificates
/// in the cert file, e.g. the intermediate). For demo agencies, tests and `lienthongctl sign`.
/// Errors: internal (with a message naming the key/cert file) or malformed_xml.
core::result<void> sign_packet(xmlDoc* doc, const std::string& key_pem_path,
                               const std::string& cert_pem_path);

}  // namespace lienthong::bus::crypto
