#include "xml/packet_parser.hpp"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <strings.h>

namespace lienthong::bus::xml {
namespace {

struct parser_ctxt_deleter {
    void operator()(xmlParserCtxt* c) const noexcept { xmlFreeParserCtxt(c); }
};
using parser_ctxt_ptr = std::unique_ptr<xmlParserCtxt, parser_ctxt_deleter>;

// Per-parse state, reached from the SAX callbacks through ctxt->_private (never a global).
// Limits are enforced in SAX callbacks that run *before* libxml2 builds the node, so the
// parser stops at the first offending element/text chunk instead of after building the tree.
struct parse_state {
    const parse_limits* limits = nullptr;
    xmlSAXHandler defaults{};  // libxml2's tree-building SAX2 handlers we forward to
    int depth = 0;
    std::size_t text_bytes = 0;  // of the text node being built
    std::optional<core::failure> rejection;
    std::string first_error;  // first libxml2 error, for malformed_xml
    int first_error_line = 0;
};

xmlParserCtxt* as_ctxt(void* ctx) { return static_cast<xmlParserCtxt*>(ctx); }
parse_state& state_of(void* ctx) { return *static_cast<parse_state*>(as_ctxt(ctx)->_private); }

void reject(void* ctx, core::errc code, std::string message) {
    auto& st = state_of(ctx);
    if (!st.rejection) {
        st.rejection = core::fail(code, std::move(message));
    }
    xmlStopParser(as_ctxt(ctx));
}

void reject_limit(void* ctx, const char* what, std::size_t limit) {
    reject(ctx, core::errc::xml_limit_exceeded,
           std::string(what) + " limit (" + std::to_string(limit) + ") exceeded at line " +
               std::to_string(xmlSAX2GetLineNumber(ctx)));
}

// Called as soon as "<!DOCTYPE name ..." has been read, before any "[...]" internal subset is
// parsed: stopping here means entity declarations (billion laughs, XXE) are never even read.
void on_internal_subset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
    reject(ctx, core::errc::doctype_forbidden,
           "DOCTYPE declarations are not allowed in edXML packets (line " +
               std::to_string(xmlSAX2GetLineNumber(ctx)) + ")");
}

void on_start_element(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                      const xmlChar* uri, int nb_namespaces, const xmlChar** namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar** attributes) {
    auto& st = state_of(ctx);
    st.text_bytes = 0;
    if (++st.depth > st.limits->max_depth) {
        return reject_limit(ctx, "element depth", static_cast<std::size_t>(st.limits->max_depth));
    }
    // Namespace declarations count too: they are attributes on the wire and cost the same.
    if (nb_attributes + nb_namespaces > st.limits->max_attributes) {
        return reject_limit(ctx, "attributes per element",
                            static_cast<std::size_t>(st.limits->max_attributes));
    }
    st.defaults.startElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                               nb_attributes, nb_defaulted, attributes);
}

void on_end_element(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                    const xmlChar* uri) {
    auto& st = state_of(ctx);
    --st.depth;
    st.text_bytes = 0;
    st.defaults.endElementNs(ctx, localname, prefix, uri);
}

// libxml2 delivers one text node in several chunks; count them until markup ends the node.
bool text_within_limit(void* ctx, int len) {
    auto& st = state_of(ctx);
    st.text_bytes += static_cast<std::size_t>(len);
    if (st.text_bytes > st.limits->max_text_bytes) {
        reject_limit(ctx, "text node bytes", st.limits->max_text_bytes);
        return false;
    }
    return true;
}

void on_characters(void* ctx, const xmlChar* ch, int len) {
    if (text_within_limit(ctx, len)) {
        state_of(ctx).defaults.characters(ctx, ch, len);
    }
}

void on_ignorable_whitespace(void* ctx, const xmlChar* ch, int len) {
    if (text_within_limit(ctx, len)) {
        state_of(ctx).defaults.ignorableWhitespace(ctx, ch, len);
    }
}

void on_cdata(void* ctx, const xmlChar* ch, int len) {
    if (text_within_limit(ctx, len)) {
        state_of(ctx).defaults.cdataBlock(ctx, ch, len);
    }
}

// Per-context error sink (ctxt->sax->serror): keeps libxml2 off stderr and off the global
// handler, and remembers the first error, which is the meaningful one.
void on_error(void* ctx, xmlError* err) {
    if (err == nullptr || err->level < XML_ERR_ERROR) {
        return;
    }
    auto& st = state_of(ctx);
    if (st.first_error.empty() && err->message != nullptr) {
        st.first_error = err->message;
        while (!st.first_error.empty() &&
               (st.first_error.back() == '\n' || st.first_error.back() == ' ')) {
            st.first_error.pop_back();
        }
        st.first_error_line = err->line;
    }
}

bool is_utf8(const xmlChar* encoding) {
    if (encoding == nullptr) {
        return true;  // no declaration: XML defaults to UTF-8
    }
    const char* e = reinterpret_cast<const char*>(encoding);
    return strcasecmp(e, "UTF-8") == 0 || strcasecmp(e, "UTF8") == 0;
}

}  // namespace

core::result<doc_ptr> parse_packet(std::string_view bytes, const parse_limits& limits) {
    using core::errc;
    if (bytes.empty()) {
        return core::fail(errc::malformed_xml, "empty body: expected an edXML document");
    }
    if (bytes.size() > limits.max_bytes || bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        return core::fail(errc::payload_too_large,
                          "document of " + std::to_string(bytes.size()) +
                              " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
    }

    parser_ctxt_ptr ctxt{xmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size()))};
    if (!ctxt || ctxt->sax == nullptr) {
        return core::fail(errc::internal, "cannot create an XML parser context");
    }
    // NONET only. Deliberately absent: NOENT (entity substitution), DTDLOAD/DTDATTR/DTDVALID
    // (external or defaulted DTD content), XINCLUDE, NOBLANKS (signatures cover whitespace),
    // HUGE (keeps libxml2's own hard caps as a second line of defence).
    if (xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET) != 0) {
        return core::fail(errc::internal, "cannot set XML parser options");
    }

    // ctxt->sax is owned by this context alone, so overriding its callbacks is local.
    parse_state st;
    st.limits = &limits;
    st.defaults = *ctxt->sax;
    ctxt->_private = &st;
    xmlSAXHandler* sax = ctxt->sax;
    sax->internalSubset = on_internal_subset;
    sax->startElementNs = on_start_element;
    sax->endElementNs = on_end_element;
    sax->characters = on_characters;
    sax->ignorableWhitespace = on_ignorable_whitespace;
    sax->cdataBlock = on_cdata;
    sax->serror = on_error;

    const int rc = xmlParseDocument(ctxt.get());
    doc_ptr doc{ctxt->myDoc};  // owned from here on, whatever happened
    ctxt->myDoc = nullptr;

    if (st.rejection) {
        return std::move(*st.rejection);
    }
    // nsWellFormed too: libxml2 only warns about e.g. an undeclared prefix, but a name whose
    // namespace is unknown would be matched differently by the schema, the router and xmlsec.
    if (rc != 0 || !ctxt->wellFormed || !ctxt->nsWellFormed || !doc) {
        std::string message = "XML is not well-formed";
        const int line = st.first_error_line;
        if (!st.first_error.empty()) {
            message += ": " + st.first_error;
        }
        if (line > 0) {
            message += " (line " + std::to_string(line) + ")";
        }
        auto f = core::fail(errc::malformed_xml, std::move(message));
        f.issues.push_back({line, {}, st.first_error});
        return f;
    }
    if (xmlDocGetRootElement(doc.get()) == nullptr) {
        return core::fail(errc::malformed_xml, "document has no root element");
    }
    // libxml2 transcodes other encodings to UTF-8, but the format says UTF-8: refuse the rest
    // rather than re-sign or forward bytes in a charset downstream systems do not expect.
    if (!is_utf8(doc->encoding)) {
        return core::fail(errc::malformed_xml,
                          std::string("declared encoding '") +
                              reinterpret_cast<const char*>(doc->encoding) +
                              "' is not allowed: edXML packets must be UTF-8");
    }
    return doc;
}

}  // namespace lienthong::bus::xml
