// lienthong-bench-pipeline SCHEMAS_DIR DIRECTORY ANCHORS_DIR INTERMEDIATES_DIR SECONDS
// LABEL=FILE...
//
// A LABEL ending in "pdf" is also measured with the documents' signature checks (the signed
// PDFs among the attachments, pipeline::check_documents, trusting the same anchors) as
// pipeline_with_pdf_checks_docs_per_s_per_core, next to the same packets without them.
//
// For each packet file, on one thread: the ceiling (a hand-written verifier: libxml2 parse,
// exclusive C14N of the document without its Signature and of SignedInfo streamed into SHA-256,
// large escape-free text nodes passed to SHA-256 directly and the packet read in pieces, as the
// bus does, the KeyInfo certificate decoded once,
// digest compare, RSA-2048 verify with the key of the KeyInfo certificate — no schema, no chain,
// no routing) and the bus's own checks (parse_packet, XSD, read_edoc_header, verify_edxml with
// the chain, check_signer_is_sender, plan_routes). Rates are per CPU-second of the measuring
// thread, so that other processes on the machine do not lower them. Prints one JSON object.
// LIENTHONG_BENCH_FAST_C14N=0 switches the fast C14N step off (crypto/fast_c14n.hpp), to
// measure the pipeline as it was before it in the same build.
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/fast_c14n.hpp"
#include "crypto/openssl.hpp"
#include "crypto/signature_verifier.hpp"
#include "crypto/xmlsec_library.hpp"
#include "packet_file.hpp"
#include "pipeline/document_signatures.hpp"
#include "pipeline/signer_binding.hpp"
#include "routing/directory.hpp"
#include "routing/router.hpp"
#include "xml/edxml_header.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"

namespace {

using namespace lienthong::bus;

constexpr const char* dsig_ns = "http://www.w3.org/2000/09/xmldsig#";

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/// Iterations of `once` per thread CPU-second, over at least `seconds` (and 5 iterations).
double rate(double seconds, const std::function<void()>& once) {
    const double start = thread_cpu_seconds();
    long n = 0;
    double used = 0;
    while (used < seconds || n < 5) {
        once();
        ++n;
        used = thread_cpu_seconds() - start;
    }
    return static_cast<double>(n) / used;
}

bool is_dsig(const xmlNode* n, const char* name) {
    return n->type == XML_ELEMENT_NODE && n->ns != nullptr &&
           xmlStrEqual(n->ns->href, BAD_CAST dsig_ns) && xmlStrEqual(n->name, BAD_CAST name);
}

/// The first dsig element `name` in document order under `node` (edXML puts the Signature in
/// edXMLHeader).
xmlNode* find_descendant(xmlNode* node, const char* name) {
    for (xmlNode* n = node->children; n != nullptr; n = n->next) {
        if (is_dsig(n, name)) {
            return n;
        }
        if (n->type == XML_ELEMENT_NODE) {
            if (xmlNode* found = find_descendant(n, name)) {
                return found;
            }
        }
    }
    return nullptr;
}

xmlNode* find(xmlNode* parent, const char* name) {
    for (xmlNode* n = parent->children; n != nullptr; n = n->next) {
        if (is_dsig(n, name)) {
            return n;
        }
    }
    return nullptr;
}

std::string base64_decode(const xmlNode* node) {
    std::string text;
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_TEXT_NODE) {
            for (const xmlChar* p = c->content; *p != 0; ++p) {
                if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t') {
                    text += static_cast<char>(*p);
                }
            }
        }
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        throw std::runtime_error("ceiling: bad base64");
    }
    std::size_t pad = 0;
    for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) {
        ++pad;
    }
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

/// C14N node filter: inside = true keeps `subtree` only; false keeps everything but it. With
/// `stream_text` set, a large visible text node that C14N would write unchanged goes straight to
/// it (after what libxml2 has buffered) and libxml2 skips it: the same bytes without libxml2's
/// character-at-a-time escaping, as the bus's crypto/fast_c14n does, so the ceiling stays one.
struct visibility {
    xmlNode* subtree;
    bool inside;
    std::function<bool(const xmlNode*)> stream_text = nullptr;
    bool stream_failed = false;
};

bool escape_free(const xmlNode* n) {
    if (n->type != XML_TEXT_NODE || n->content == nullptr) {
        return false;
    }
    const auto* text = reinterpret_cast<const char*>(n->content);
    const std::size_t size = std::strlen(text);
    return size >= 4096 && std::strcspn(text, "&<>\r") == size;
}

int is_visible(void* user, xmlNodePtr node, xmlNodePtr parent) {
    auto* v = static_cast<visibility*>(user);
    // Namespace nodes are xmlNs (same `type` position as xmlNode); their element is `parent`.
    xmlNode* n = (node != nullptr && node->type != XML_NAMESPACE_DECL) ? node : parent;
    bool within = false;
    for (xmlNode* p = n; p != nullptr; p = p->parent) {
        if (p == v->subtree) {
            within = true;
            break;
        }
    }
    if (within != v->inside) {
        return 0;
    }
    if (v->stream_text && node != nullptr && escape_free(node)) {
        v->stream_failed = v->stream_failed || !v->stream_text(node);
        return 0;
    }
    return 1;
}

struct md_ctx_deleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

/// Exclusive C14N (no comments) of the nodes `v` keeps, streamed into `update(ctx, ...)`.
void c14n_into(xmlDoc* doc, visibility v, EVP_MD_CTX* ctx, bool verify) {
    struct sink {
        EVP_MD_CTX* ctx;
        bool verify;
    } s{ctx, verify};
    auto write = [](void* user, const char* data, int len) -> int {
        auto* sk = static_cast<sink*>(user);
        const int ok = sk->verify ? EVP_DigestVerifyUpdate(sk->ctx, data, static_cast<size_t>(len))
                                  : EVP_DigestUpdate(sk->ctx, data, static_cast<size_t>(len));
        return ok == 1 ? len : -1;
    };
    xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(write, nullptr, &s, nullptr);
    if (buf == nullptr) {
        throw std::runtime_error("ceiling: no output buffer");
    }
    v.stream_text = [&](const xmlNode* n) {
        const auto* text = reinterpret_cast<const char*>(n->content);
        return xmlOutputBufferFlush(buf) >= 0 &&
               write(&s, text, static_cast<int>(std::strlen(text))) >= 0;
    };
    const int rc = xmlC14NExecute(doc, is_visible, &v, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, buf);
    if (xmlOutputBufferClose(buf) < 0 || rc < 0 || v.stream_failed) {
        throw std::runtime_error("ceiling: C14N failed");
    }
}

/// The hand-written verifier; throws if the packet does not verify (a self-check of the ceiling).
void ceiling_verify(const std::string& bytes) {
    // Read in pieces, as the bus's parser does (no whole copy of the packet first).
    struct piece_reader {
        std::string_view rest;
        static int read(void* context, char* buffer, int len) {
            auto* r = static_cast<piece_reader*>(context);
            const std::size_t n = std::min(r->rest.size(), static_cast<std::size_t>(len));
            std::memcpy(buffer, r->rest.data(), n);
            r->rest.remove_prefix(n);
            return static_cast<int>(n);
        }
    } reader{bytes};
    xml::doc_ptr doc{xmlReadIO(piece_reader::read, nullptr, &reader, "p.edxml", nullptr,
                               XML_PARSE_NONET | XML_PARSE_HUGE)};
    if (!doc) {
        throw std::runtime_error("ceiling: parse failed");
    }
    xmlNode* root = xmlDocGetRootElement(doc.get());
    xmlNode* signature = find_descendant(root, "Signature");
    xmlNode* signed_info = signature ? find(signature, "SignedInfo") : nullptr;
    xmlNode* reference = signed_info ? find(signed_info, "Reference") : nullptr;
    xmlNode* digest_value = reference ? find(reference, "DigestValue") : nullptr;
    xmlNode* signature_value = signature ? find(signature, "SignatureValue") : nullptr;
    xmlNode* key_info = signature ? find(signature, "KeyInfo") : nullptr;
    xmlNode* x509_data = key_info ? find(key_info, "X509Data") : nullptr;
    xmlNode* certificate = x509_data ? find(x509_data, "X509Certificate") : nullptr;
    if (digest_value == nullptr || signature_value == nullptr || certificate == nullptr) {
        throw std::runtime_error("ceiling: signature elements missing");
    }

    md_ctx_ptr md{EVP_MD_CTX_new()};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    if (!md || EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("ceiling: digest init");
    }
    c14n_into(doc.get(), {signature, false}, md.get(), false);  // enveloped: without Signature
    if (EVP_DigestFinal_ex(md.get(), digest, &digest_size) != 1 ||
        base64_decode(digest_value) != std::string(reinterpret_cast<char*>(digest), digest_size)) {
        throw std::runtime_error("ceiling: digest mismatch");
    }

    // Decoded once per certificate, as the bus does (OpenSSL 3's decoding costs more than the
    // RSA verify): the bench's one thread only.
    static std::map<std::string, crypto::x509_ptr> decoded;
    const std::string der = base64_decode(certificate);
    auto& cert = decoded[der];
    if (!cert) {
        const auto* p = reinterpret_cast<const unsigned char*>(der.data());
        cert.reset(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    }
    EVP_PKEY* key = cert ? X509_get0_pubkey(cert.get()) : nullptr;
    md_ctx_ptr verify{EVP_MD_CTX_new()};
    if (key == nullptr || !verify ||
        EVP_DigestVerifyInit(verify.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
        throw std::runtime_error("ceiling: verify init");
    }
    c14n_into(doc.get(), {signed_info, true}, verify.get(), true);
    const std::string sig = base64_decode(signature_value);
    if (EVP_DigestVerifyFinal(verify.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                              sig.size()) != 1) {
        throw std::runtime_error("ceiling: RSA verify failed");
    }
}

struct bus_checks {
    xml::parse_limits limits;
    xml::schema_validator schema;
    crypto::signature_verifier verifier;
    routing::directory directory;
    const crypto::trust_material* documents = nullptr;  ///< set: also the PDF signature checks

    /// The number of routes (broker messages) of the packet. Throws if the packet is refused:
    /// the bench only counts accepted packets.
    std::size_t run(const std::string& bytes, bool with_pdf = false) const {
        auto doc = xml::parse_packet(bytes, limits);
        if (!doc) {
            throw std::runtime_error("pipeline: " + doc.error().message);
        }
        if (auto valid = schema.validate(doc->get()); !valid) {
            throw std::runtime_error("pipeline: " + valid.error().message);
        }
        auto header = xml::read_edoc_header(doc->get());
        if (!header) {
            throw std::runtime_error("pipeline: " + header.error().message);
        }
        auto signer = verifier.verify_edxml(doc->get());
        if (!signer) {
            throw std::runtime_error("pipeline: " + signer.error().message);
        }
        if (auto bound =
                pipeline::check_signer_is_sender(*signer, header->from.organ_id, &directory);
            !bound) {
            throw std::runtime_error("pipeline: " + bound.error().message);
        }
        if (with_pdf) {
            const auto verdicts =
                pipeline::check_documents(doc->get(), documents, std::time(nullptr));
            if (verdicts.empty() || verdicts.front().state != pdf::document_state::signed_valid) {
                throw std::runtime_error("pipeline: the attachment is not a validly signed PDF");
            }
        }
        auto routes = routing::plan_routes(*header, directory);
        if (!routes) {
            throw std::runtime_error("pipeline: " + routes.error().message);
        }
        return routes->size();
    }
};

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 7) {
        std::cerr << "usage: lienthong-bench-pipeline SCHEMAS_DIR DIRECTORY ANCHORS_DIR "
                     "INTERMEDIATES_DIR SECONDS LABEL=FILE...\n";
        return 2;
    }
    crypto::xmlsec_library library;
    if (const char* fast = std::getenv("LIENTHONG_BENCH_FAST_C14N");
        fast != nullptr && std::string(fast) == "0") {
        crypto::fast_c14n_testing::set_enabled(false);
    }
    crypto::trust_options trust;
    trust.anchors = {argv[3]};
    trust.intermediates = {argv[4]};
    const crypto::trust_material document_trust(trust);
    // The bench's packets go up to 50 MB: one attachment is one text node.
    xml::parse_limits limits;
    limits.max_bytes = 64u << 20;
    limits.max_text_bytes = 64u << 20;
    const bus_checks checks{
        limits, xml::schema_validator::load(std::string(argv[1]) + "/edxml/2016/edoc.xsd"),
        crypto::signature_verifier(trust), routing::directory::load(argv[2]), &document_trust};
    const double seconds = std::stod(argv[5]);

    std::string json = "{";
    for (int i = 6; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto eq = arg.find('=');
        const std::string label = arg.substr(0, eq);
        // A few distinct packets, cycled, so that no cache sees only one document.
        const auto packets = lienthong::bench::read_packets(arg.substr(eq + 1), 16);
        std::size_t next = 0;
        const double ceiling =
            rate(seconds, [&] { ceiling_verify(packets[next++ % packets.size()]); });
        next = 0;
        const double pipeline =
            rate(seconds, [&] { checks.run(packets[next++ % packets.size()]); });
        const bool pdf = label.size() >= 3 && label.compare(label.size() - 3, 3, "pdf") == 0;
        next = 0;
        const double with_pdf =
            pdf ? rate(seconds, [&] { checks.run(packets[next++ % packets.size()], true); }) : 0;
        const std::size_t routes = checks.run(packets.front());
        char line[640];
        std::snprintf(line, sizeof line,
                      "%s\"%s\":{\"bytes\":%zu,\"ceiling_docs_per_s_per_core\":%.1f,"
                      "\"pipeline_docs_per_s_per_core\":%.1f,\"pipeline_to_ceiling_ratio\":%.3f,"
                      "\"pipeline_with_pdf_checks_docs_per_s_per_core\":%.1f,\"routes\":%zu}",
                      i == 6 ? "" : ",", label.c_str(), packets.front().size(), ceiling, pipeline,
                      pipeline / ceiling, with_pdf, routes);
        json += line;
    }
    std::cout << json << "}\n";
    return 0;
} catch (const std::exception& e) {
    std::cerr << "lienthong-bench-pipeline: " << e.what() << '\n';
    return 1;
}
