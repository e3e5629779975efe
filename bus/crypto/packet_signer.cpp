#include "crypto/packet_signer.hpp"

#include <openssl/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/templates.h>

#include <fstream>
#include <iterator>

#include "crypto/dsig_tree.hpp"
#include "crypto/openssl.hpp"
#include "crypto/xmlsec.hpp"

namespace lienthong::bus::crypto {

namespace {

using core::errc;
using core::fail;

core::failure with_detail(core::failure f, std::string detail) {
    f.log_detail = std::move(detail);
    return f;
}

// Unlinks and frees the template if signing does not complete, leaving the document as it was.
struct node_guard {
    xmlNode* node;
    ~node_guard() {
        if (node != nullptr) {
            xmlUnlinkNode(node);
            xmlFreeNode(node);
        }
    }
};

/// The private key of `key_pem_path` with every certificate of `cert_pem_path` attached (signer
/// first, then e.g. the intermediate), so that verifiers can build the chain from KeyInfo
/// without a local copy of the intermediate. Errors: internal, naming the file at fault.
core::result<key_ptr> load_signing_key(const std::string& key_pem_path,
                                       const std::string& cert_pem_path) {
    // Read the key ourselves: xmlsec 1.2.37 leaks a BIO when its own file loader fails.
    std::string key_pem;
    if (std::ifstream in{key_pem_path, std::ios::binary}) {
        key_pem.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (key_pem.empty()) {
        return fail(errc::internal, "cannot read the private key " + key_pem_path);
    }
    error_capture xmlsec_errors;
    key_ptr key{xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(key_pem.data()),
                                             static_cast<xmlSecSize>(key_pem.size()),
                                             xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr)};
    OPENSSL_cleanse(key_pem.data(), key_pem.size());
    if (!key) {
        return with_detail(fail(errc::internal, "cannot load the private key " + key_pem_path),
                           xmlsec_errors.text());
    }
    auto certs = load_pem_certificates(cert_pem_path);
    if (!certs) {
        return std::move(certs).error();
    }
    EVP_PKEY* private_key = xmlSecOpenSSLEvpKeyDataGetEvp(xmlSecKeyGetValue(key.get()));
    if (private_key == nullptr || X509_check_private_key(certs->front().get(), private_key) != 1) {
        return with_detail(fail(errc::internal, "the first certificate in " + cert_pem_path +
                                                    " does not match the key " + key_pem_path),
                           drain_openssl_errors());
    }
    xmlSecKeyDataPtr x509 = xmlSecKeyEnsureData(key.get(), xmlSecKeyDataX509Id);
    if (x509 == nullptr) {
        return with_detail(fail(errc::internal, "cannot attach certificates to the signing key"),
                           xmlsec_errors.text());
    }
    for (auto& cert : *certs) {
        if (xmlSecOpenSSLKeyDataX509AdoptCert(x509, cert.get()) < 0) {
            return with_detail(
                fail(errc::internal, "cannot attach certificates from " + cert_pem_path),
                xmlsec_errors.text());
        }
        (void)cert.release();  // adopted by xmlsec
    }

    return key;
}

}  // namespace

core::result<void> sign_packet(xmlDoc* doc, const std::string& key_pem_path,
                               const std::string& cert_pem_path) {
    xmlNode* root = doc != nullptr ? xmlDocGetRootElement(doc) : nullptr;
    xmlNode* header = is_element(root, xml::edxml_ns, "edXML")
                          ? first_child(first_child(root, xml::edxml_ns, "edXMLEnvelope"),
                                        xml::edxml_ns, "edXMLHeader")
                          : nullptr;
    if (header == nullptr) {
        return fail(errc::malformed_xml,
                    "not an edXML packet: /edXML/edXMLEnvelope/edXMLHeader is missing");
    }
    if (!find_signatures(doc).empty()) {
        return fail(errc::malformed_xml, "the packet is already signed (it has a ds:Signature)");
    }

    auto loaded = load_signing_key(key_pem_path, cert_pem_path);
    if (!loaded) {
        return std::move(loaded).error();
    }
    key_ptr key = std::move(*loaded);
    error_capture xmlsec_errors;
    const bool ec = xmlSecKeyDataCheckId(xmlSecKeyGetValue(key.get()), xmlSecKeyDataEcdsaId);
    node_guard signature{xmlSecTmplSignatureCreate(
        doc, xmlSecTransformExclC14NId,
        ec ? xmlSecTransformEcdsaSha256Id : xmlSecTransformRsaSha256Id, nullptr)};
    if (signature.node == nullptr) {
        return with_detail(fail(errc::internal, "cannot create the signature template"),
                           xmlsec_errors.text());
    }
    xmlAddChild(header, signature.node);  // last child: after TraceHeaderList, as in the samples
    xmlNode* reference =
        xmlSecTmplSignatureAddReference(signature.node, xmlSecTransformSha256Id, nullptr,
                                        reinterpret_cast<const xmlChar*>(""), nullptr);
    xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature.node, nullptr);
    xmlNode* x509_data = key_info != nullptr ? xmlSecTmplKeyInfoAddX509Data(key_info) : nullptr;
    if (reference == nullptr ||
        xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId) == nullptr ||
        xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId) == nullptr ||
        x509_data == nullptr || xmlSecTmplX509DataAddCertificate(x509_data) == nullptr) {
        return with_detail(fail(errc::internal, "cannot build the signature template"),
                           xmlsec_errors.text());
    }

    dsig_ctx_ptr ctx{xmlSecDSigCtxCreate(nullptr)};
    if (!ctx) {
        return with_detail(fail(errc::internal, "cannot create a signature context"),
                           xmlsec_errors.text());
    }
    ctx->signKey = key.release();  // owned by the context from here on
    if (xmlSecDSigCtxSign(ctx.get(), signature.node) < 0) {
        return with_detail(fail(errc::internal, "signing with " + key_pem_path + " failed"),
                           xmlsec_errors.text());
    }
    signature.node = nullptr;  // keep it: the packet is signed
    return {};
}

}  // namespace lienthong::bus::crypto
