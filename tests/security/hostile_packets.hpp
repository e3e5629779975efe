#pragma once
// edXML packets that break one trust rule each, built from the signed sample, with the problem
// type the bus (REST) and `lienthongctl verify` must both answer. All claim to come from
// commune1 (000.01.01.H41) and are sent as commune1.
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_pki.hpp"
#include "support/text_encoding.hpp"

namespace lienthong::test {

struct hostile_packet {
    std::string name;  ///< also the file name the packet is written to
    std::string bytes;
    std::string type;  ///< expected problem type; "" = must be accepted
};

/// The first node matching `expr` (prefixes: ds = XML-DSig, e = edXML); throws if none.
inline xmlNode* xpath_node(xmlDoc* doc, const char* expr) {
    std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> ctx{xmlXPathNewContext(doc),
                                                                         xmlXPathFreeContext};
    xmlXPathRegisterNs(ctx.get(), BAD_CAST "ds", BAD_CAST bus::xml::dsig_ns);
    xmlXPathRegisterNs(ctx.get(), BAD_CAST "e", BAD_CAST bus::xml::edxml_ns);
    std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> found{
        xmlXPathEvalExpression(BAD_CAST expr, ctx.get()), xmlXPathFreeObject};
    if (!found || found->nodesetval == nullptr || found->nodesetval->nodeNr == 0) {
        throw std::runtime_error(std::string("no node for ") + expr);
    }
    return found->nodesetval->nodeTab[0];
}

inline std::string node_text(xmlNode* node) {
    bus::xml::xml_string text{xmlNodeGetContent(node)};
    return text ? reinterpret_cast<const char*>(text.get()) : "";
}

/// Applies `edit` to the parsed signed sample and serialises it again.
template <class Edit>
std::string edited(const std::string& signed_bytes, Edit edit) {
    auto doc = parse_xml(signed_bytes);
    edit(doc.get());
    return serialise(doc.get());
}

inline std::vector<hostile_packet> hostile_packets() {
    const std::string commune = "000.01.01.H41";
    const std::string sample = sample_path("edoc-new.edxml");
    const std::string good = signed_sample(sample, commune);
    std::vector<hostile_packet> p;

    p.push_back({"valid", good, ""});
    p.push_back({"malformed", good.substr(0, good.size() / 2), "malformed-xml"});
    p.push_back({"entity-bomb", read_file(sample_path("invalid/doctype-entity-bomb.edxml")),
                 "doctype-forbidden"});
    std::string deep = "<edXML xmlns=\"" + std::string(bus::xml::edxml_ns) + "\">";
    for (int i = 0; i < 200; ++i) {
        deep += "<a>";
    }
    for (int i = 0; i < 200; ++i) {
        deep += "</a>";
    }
    p.push_back({"too-deep", deep + "</edXML>", "xml-limit-exceeded"});
    p.push_back({"schema-invalid", read_file(sample_path("invalid/unknown-element.edxml")),
                 "schema-invalid"});
    // Not UTF-8. libxml2 would transcode these for the tree, but the bus stores and forwards the
    // bytes it was given, so they are refused before parsing.
    p.push_back({"utf16-bom", "\xFF\xFE" + to_utf16le(good), "unsupported-encoding"});
    const std::string utf8_decl = "encoding=\"UTF-8\"";
    std::string latin1 = good;
    const auto decl_at = latin1.find(utf8_decl);
    if (decl_at == std::string::npos || decl_at > 40) {
        throw std::runtime_error("the signed sample has no UTF-8 XML declaration");
    }
    latin1.replace(decl_at, utf8_decl.size(), "encoding=\"ISO-8859-1\"");
    p.push_back({"latin1-declared", latin1, "unsupported-encoding"});
    p.push_back({"unsigned", read_file(sample), "signature-missing"});
    p.push_back({"bad-signature-value",
                 edited(good,
                        [](xmlDoc* d) {
                            xmlNode* value = xpath_node(d, "//ds:SignatureValue");
                            std::string text = node_text(value);
                            text[10] = text[10] == 'A' ? 'B' : 'A';
                            xmlNodeSetContent(value, BAD_CAST text.c_str());
                        }),
                 "signature-invalid"});
    p.push_back({"changed-subject",
                 edited(good,
                        [](xmlDoc* d) {
                            xmlNodeSetContent(xpath_node(d, "//e:MessageHeader/e:Subject"),
                                              BAD_CAST "V/v something else");
                        }),
                 "digest-mismatch"});
    // XML-DSig comment injection (xml-crypto's known bypass): the real digest hidden in a comment
    // and a forged one as text. xmlsec reads the text, so it must not match.
    p.push_back({"digest-comment-injection",
                 edited(good,
                        [](xmlDoc* d) {
                            xmlNode* digest = xpath_node(d, "//ds:DigestValue");
                            const std::string real = node_text(digest);
                            xmlNodeSetContent(
                                digest, BAD_CAST "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
                            xmlAddPrevSibling(digest->children,
                                              xmlNewComment(BAD_CAST real.c_str()));
                        }),
                 "digest-mismatch"});
    // The other way round is harmless: a comment next to the right value changes nothing that
    // xmlsec reads, and odd whitespace inside base64 is legal.
    // (Another DocumentId: the bus accepts one content per DocumentId.)
    std::string other_id = read_file(sample);
    other_id.replace(other_id.find("125/UBND-VP"), 11, "126/UBND-VP");
    const std::string good2 = sign_bytes(other_id, agency_key(commune), agency_chain(commune));
    p.push_back({"digest-comment-and-whitespace",
                 edited(good2,
                        [](xmlDoc* d) {
                            xmlNode* digest = xpath_node(d, "//ds:DigestValue");
                            xmlAddPrevSibling(digest->children, xmlNewComment(BAD_CAST "note"));
                            xmlNode* value = xpath_node(d, "//ds:SignatureValue");
                            std::string text = node_text(value);
                            text.insert(20, "\n   \t");
                            xmlNodeSetContent(value, BAD_CAST text.c_str());
                        }),
                 ""});
    p.push_back({"rsa-sha1",
                 edited(good,
                        [](xmlDoc* d) {
                            xmlSetProp(xpath_node(d, "//ds:SignatureMethod"), BAD_CAST "Algorithm",
                                       BAD_CAST "http://www.w3.org/2000/09/xmldsig#rsa-sha1");
                        }),
                 "algorithm-forbidden"});
    p.push_back({"xslt-transform",
                 edited(good,
                        [](xmlDoc* d) {
                            xmlNode* transforms = xpath_node(d, "//ds:Transforms");
                            xmlNode* t = xmlNewChild(transforms, transforms->ns,
                                                     BAD_CAST "Transform", nullptr);
                            xmlSetProp(t, BAD_CAST "Algorithm",
                                       BAD_CAST "http://www.w3.org/TR/1999/REC-xslt-19991116");
                        }),
                 "algorithm-forbidden"});
    p.push_back({"rogue-root", sign_sample(sample, special_key("rogue"), special_chain("rogue")),
                 "certificate-untrusted"});
    p.push_back({"bare-key-value",
                 edited(good,
                        [](xmlDoc* d) {
                            // KeyInfo without the certificate: nothing ties the key to an anchor.
                            xmlNode* data = xpath_node(d, "//ds:X509Data");
                            xmlUnlinkNode(data);
                            xmlFreeNode(data);
                        }),
                 "certificate-untrusted"});
    p.push_back({"expired-signer",
                 sign_sample(sample, special_key("expired"), special_chain("expired")),
                 "certificate-expired"});
    p.push_back({"revoked-signer",
                 sign_sample(sample, special_key("revoked"), special_chain("revoked")),
                 "certificate-revoked"});
    p.push_back(
        {"signed-by-district", signed_sample(sample, "000.00.01.H41"), "signer-not-sender"});
    p.push_back({"two-signatures",
                 edited(good,
                        [](xmlDoc* d) {
                            // Nested inside the first, where the schema (processContents="skip")
                            // does not look: only the verifier's own count catches it.
                            xmlNode* signature = xpath_node(d, "//ds:Signature");
                            xmlAddChild(signature, xmlCopyNode(signature, 1));
                        }),
                 "signature-wrapping"});
    p.push_back({"unsigned-object",
                 edited(good,
                        [](xmlDoc* d) {
                            // Content inside the Signature is cut out by the enveloped transform,
                            // so a header smuggled in a ds:Object would be unsigned.
                            xmlNode* signature = xpath_node(d, "//ds:Signature");
                            xmlNode* object =
                                xmlNewChild(signature, signature->ns, BAD_CAST "Object", nullptr);
                            xmlAddChild(object, xmlCopyNode(xpath_node(d, "//e:MessageHeader"), 1));
                        }),
                 "signature-wrapping"});
    p.push_back({"reference-to-fragment",
                 edited(good,
                        [](xmlDoc* d) {
                            xmlSetProp(xpath_node(d, "//ds:Reference"), BAD_CAST "URI",
                                       BAD_CAST "#h");
                        }),
                 "signature-wrapping"});
    return p;
}

}  // namespace lienthong::test
