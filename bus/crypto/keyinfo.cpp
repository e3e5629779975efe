#include "crypto/keyinfo.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "crypto/dsig_tree.hpp"

namespace lienthong::bus::crypto {

namespace {

using core::errc;
using core::fail;

struct digest_algorithm {
    std::string_view uri;
    const char* name;
    const EVP_MD* (*md)();
};

// The digest URIs of XML-DSig 1.1 section 6.2 and RFC 6931 section 2.1.
constexpr std::array<digest_algorithm, 5> digest_algorithms{{
    {"http://www.w3.org/2000/09/xmldsig#sha1", "SHA-1", EVP_sha1},
    {"http://www.w3.org/2001/04/xmldsig-more#sha224", "SHA-224", EVP_sha224},
    {"http://www.w3.org/2001/04/xmlenc#sha256", "SHA-256", EVP_sha256},
    {"http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384", EVP_sha384},
    {"http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512", EVP_sha512},
}};

// The X509Data children that name a signer instead of carrying its certificate.
bool names_signer(const xmlNode* node) {
    return is_element(node, xml::dsig_ns, "X509SubjectName") ||
           is_element(node, xml::dsig_ns, "X509IssuerSerial") ||
           is_element(node, xml::dsig_ns, "X509SKI") || is_element(node, dsig11_ns, "X509Digest");
}

void add_once(std::vector<std::string>& list, const xmlNode* node) {
    std::string name(reinterpret_cast<const char*>(node->name));
    if (std::find(list.begin(), list.end(), name) == list.end()) {
        list.push_back(std::move(name));
    }
}

std::string joined(const std::vector<std::string>& list) {
    std::string text;
    for (const auto& item : list) {
        text += (text.empty() ? "" : ", ") + item;
    }
    return text;
}

core::failure untrusted(std::string message) {
    return fail(errc::certificate_untrusted, std::move(message));
}

}  // namespace

std::optional<std::string> decode_base64_content(xmlNode* element) {
    xml::xml_string content{xmlNodeGetContent(element)};
    if (!content) {
        return std::nullopt;
    }
    std::string b64(reinterpret_cast<const char*>(content.get()));
    std::erase_if(b64, [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
    std::string der(b64.size() / 4 * 3 + 3, '\0');
    const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                                     reinterpret_cast<const unsigned char*>(b64.data()),
                                     static_cast<int>(b64.size()));
    const auto pad = b64.size() - b64.find_last_not_of('=') - 1;
    if (size <= 0 || pad > 2 || static_cast<std::size_t>(size) < pad) {
        return std::nullopt;
    }
    der.resize(static_cast<std::size_t>(size) - pad);
    return der;
}

std::vector<x509_ptr> keyinfo_certificates(xmlNode* signature, const trust_store& store) {
    std::vector<x509_ptr> certs;
    for (xmlNode* key_info : dsig_children(signature, "KeyInfo")) {
        for (xmlNode* data : dsig_children(key_info, "X509Data")) {
            for (xmlNode* element : dsig_children(data, "X509Certificate")) {
                auto der = decode_base64_content(element);
                if (!der) {
                    continue;
                }
                if (auto cert = store.certificate(*der)) {
                    certs.push_back(std::move(cert));
                }
            }
        }
    }
    return certs;
}

core::result<X509*> resolve_x509_digest(xmlNode* signature, const trust_material& trust) {
    for (xmlNode* key_info : dsig_children(signature, "KeyInfo")) {
        for (xmlNode* data : dsig_children(key_info, "X509Data")) {
            for (xmlNode* node = data->children; node != nullptr; node = node->next) {
                if (!is_element(node, dsig11_ns, "X509Digest")) {
                    continue;
                }
                const std::string uri = attribute_value(node, "Algorithm");
                const auto* algorithm =
                    std::find_if(digest_algorithms.begin(), digest_algorithms.end(),
                                 [&](const digest_algorithm& a) { return a.uri == uri; });
                if (algorithm == digest_algorithms.end()) {
                    return untrusted("KeyInfo X509Digest has the Algorithm \"" + uri +
                                     "\"; the bus knows the SHA-1, SHA-224, SHA-256, SHA-384 and "
                                     "SHA-512 URIs of XML-DSig 1.1");
                }
                const EVP_MD* md = algorithm->md();
                const auto digest = decode_base64_content(node);
                if (!digest || static_cast<int>(digest->size()) != EVP_MD_get_size(md)) {
                    return untrusted(std::string("KeyInfo X509Digest is not the base64 of a ") +
                                     algorithm->name + " digest");
                }
                if (X509* cert = trust.find_by_digest(md, *digest)) {
                    return cert;
                }
                return untrusted(std::string("KeyInfo names the signer by X509Digest (") +
                                 algorithm->name +
                                 "), but no configured intermediate or trust anchor has that "
                                 "digest (add the signer's certificate to the intermediates)");
            }
        }
    }
    return static_cast<X509*>(nullptr);
}

std::string missing_signer_message(xmlNode* signature, bool may_be_named) {
    const auto key_infos = dsig_children(signature, "KeyInfo");
    if (key_infos.empty()) {
        return "the Signature has no KeyInfo: it must carry the signer's X509Certificate "
               "(bare keys are never trusted)";
    }
    std::size_t certificates = 0;
    std::vector<std::string> names;
    std::vector<std::string> others;
    for (xmlNode* key_info : key_infos) {
        for (xmlNode* child = key_info->children; child != nullptr; child = child->next) {
            if (child->type != XML_ELEMENT_NODE) {
                continue;
            }
            if (!is_element(child, xml::dsig_ns, "X509Data")) {
                add_once(others, child);
                continue;
            }
            for (xmlNode* item = child->children; item != nullptr; item = item->next) {
                if (is_element(item, xml::dsig_ns, "X509Certificate")) {
                    ++certificates;
                } else if (names_signer(item)) {
                    add_once(names, item);
                }
            }
        }
    }
    if (certificates > 0) {
        return "KeyInfo's X509Certificate is not a readable certificate (base64 of its DER "
               "expected)";
    }
    if (!names.empty() && may_be_named) {
        return "KeyInfo names the signer by " + joined(names) +
               " and carries no X509Certificate, and no usable certificate among the configured "
               "intermediates and trust anchors matches it";
    }
    if (!names.empty()) {
        return "KeyInfo names the signer by " + joined(names) +
               " but carries no X509Certificate: the signer's certificate itself must be in "
               "KeyInfo/X509Data";
    }
    if (!others.empty()) {
        return "KeyInfo carries " + joined(others) +
               " but no X509Certificate: the signer's certificate must be in KeyInfo/X509Data "
               "(bare keys are never trusted)";
    }
    return "KeyInfo is empty: it must carry the signer's X509Certificate (bare keys are never "
           "trusted)";
}

}  // namespace lienthong::bus::crypto
