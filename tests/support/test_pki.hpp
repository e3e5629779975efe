#pragma once
// Test helpers around the throwaway PKI that certs/generate-test-pki.sh writes into the build
// tree (LIENTHONG_TEST_PKI_DIR): file paths, trust options, and signing sample packets.
// Helpers throw std::runtime_error on setup problems; tests are not on the data path.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/packet_signer.hpp"
#include "crypto/signature_verifier.hpp"
#include "xml/libxml.hpp"

namespace lienthong::test {

inline std::string pki_dir() { return LIENTHONG_TEST_PKI_DIR; }
inline std::string anchors_dir() { return pki_dir() + "/trust"; }
inline std::string intermediates_dir() { return pki_dir() + "/intermediates"; }

/// Demo agencies: 000.00.00.H41, 000.00.01.H41, 000.00.02.H41, 000.01.01.H41, 000.02.01.H41,
/// 000.01.02.H41.
inline std::string agency_dir(const std::string& code) { return pki_dir() + "/agencies/" + code; }
inline std::string agency_key(const std::string& code) { return agency_dir(code) + "/key.pem"; }
inline std::string agency_cert(const std::string& code) { return agency_dir(code) + "/cert.pem"; }
/// Signer certificate followed by the intermediate.
inline std::string agency_chain(const std::string& code) { return agency_dir(code) + "/chain.pem"; }

/// Negative material: "rogue" (untrusted root), "expired", "ecdsa" (P-256, trusted), "revoked"
/// (listed in crl/), and "person" (trusted, CN with Vietnamese letters); each has key.pem,
/// cert.pem and chain.pem, all with UID 000.01.01.H41.
inline std::string special_key(const std::string& kind) {
    return pki_dir() + "/" + kind + "/key.pem";
}
inline std::string special_cert(const std::string& kind) {
    return pki_dir() + "/" + kind + "/cert.pem";
}
inline std::string special_chain(const std::string& kind) {
    return pki_dir() + "/" + kind + "/chain.pem";
}

/// TLS of the REST listener: tls/{ca.pem, server.pem, server-key.pem, client-ca.pem}; client
/// certificates in tls/clients/<code>/{cert.pem,key.pem}, plus "expired" and "untrusted" ones
/// (UID 000.01.01.H41) in tls/<kind>/.
inline std::string tls_file(const std::string& name) { return pki_dir() + "/tls/" + name; }
inline std::string tls_client_dir(const std::string& code_or_kind) {
    const bool special = code_or_kind == "expired" || code_or_kind == "untrusted";
    return pki_dir() + "/tls/" + (special ? "" : "clients/") + code_or_kind;
}

/// Trust in the test root only, with or without the intermediates folder.
inline bus::crypto::trust_options test_trust(bool with_intermediates = true,
                                             bool allow_sha1 = false) {
    bus::crypto::trust_options o;
    o.anchors = {anchors_dir()};
    if (with_intermediates) {
        o.intermediates = {intermediates_dir()};
    }
    o.allow_sha1 = allow_sha1;
    return o;
}

inline std::string sample_path(const std::string& name) {
    return std::string(LIENTHONG_SOURCE_DIR) + "/schemas/samples/" + name;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

/// Parses trusted test bytes (no network, libxml2 defaults otherwise); throws if malformed.
inline bus::xml::doc_ptr parse_xml(std::string_view bytes) {
    bus::xml::doc_ptr doc{xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "test.edxml",
                                        nullptr, XML_PARSE_NONET)};
    if (!doc) {
        throw std::runtime_error("test XML does not parse");
    }
    return doc;
}

inline std::string serialise(xmlDoc* doc) {
    xmlChar* out = nullptr;
    int size = 0;
    xmlDocDumpMemory(doc, &out, &size);
    if (out == nullptr) {
        throw std::runtime_error("cannot serialise test XML");
    }
    bus::xml::xml_string owned{out};
    return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(size));
}

/// Signs packet bytes with sign_packet and returns the signed bytes.
inline std::string sign_bytes(std::string_view packet, const std::string& key,
                              const std::string& cert) {
    auto doc = parse_xml(packet);
    if (auto signed_ok = bus::crypto::sign_packet(doc.get(), key, cert); !signed_ok) {
        throw std::runtime_error("signing failed: " + signed_ok.error().message + " | " +
                                 signed_ok.error().log_detail);
    }
    return serialise(doc.get());
}

inline std::string sign_sample(const std::string& path, const std::string& key,
                               const std::string& cert) {
    return sign_bytes(read_file(path), key, cert);
}

/// The sample signed by a demo agency with its chain.pem.
inline std::string signed_sample(const std::string& path, const std::string& agency_code) {
    return sign_sample(path, agency_key(agency_code), agency_chain(agency_code));
}

}  // namespace lienthong::test
