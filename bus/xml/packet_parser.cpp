#include "xml/packet_parser.hpp"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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
// The packet handed to libxml2 piece by piece (xmlInputReadCallback).
struct chunk_reader {
    std::string_view rest;

    static int read(void* context, char* buffer, int len) {
        auto* r = static_cast<chunk_reader*>(context);
        const std::size_t n = std::min(r->rest.size(), static_cast<std::size_t>(std::max(len, 0)));
        std::memcpy(buffer, r->rest.data(), n);
        r->rest.remove_prefix(n);
        return static_cast<int>(n);
    }
};

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

bool is_utf8_name(std::string_view e) {
    const auto same = [e](std::string_view name) {
        return e.size() == name.size() && strncasecmp(e.data(), name.data(), e.size()) == 0;
    };
    return same("UTF-8") || same("UTF8");
}

core::failure not_utf8(std::string what) {
    return core::fail(core::errc::unsupported_encoding,
                      "edXML packets must be UTF-8: " + std::move(what));
}

// What the first bytes say about the encoding, before libxml2 sees them (XML 1.0 appendix F).
// libxml2 would transcode UTF-16 and others to UTF-8 for the tree, but the bus stores and
// forwards the bytes as received: a UTF-16 packet would reach recipients in UTF-16.
std::optional<core::failure> sniff_encoding(std::string_view b) {
    const auto starts = [b](std::string_view p) { return b.substr(0, p.size()) == p; };
    using namespace std::string_view_literals;
    if (starts("\x00\x00\xFE\xFF"sv) || starts("\xFF\xFE\x00\x00"sv)) {
        return not_utf8("the packet starts with a UTF-32 byte-order mark");
    }
    if (starts("\xFE\xFF"sv) || starts("\xFF\xFE"sv)) {
        return not_utf8("the packet starts with a UTF-16 byte-order mark");
    }
    if (starts("\x4C\x6F\xA7\x94"sv)) {
        return not_utf8("the packet is in EBCDIC");
    }
    // '<' or whitespace in UTF-16/UTF-32 without a byte-order mark: NUL is never a UTF-8 XML
    // character, so one among the first bytes means another encoding.
    if (b.substr(0, 4).find('\0') != std::string_view::npos) {
        return not_utf8(
            "its first bytes hold NUL bytes (UTF-16 or UTF-32 without a byte-order "
            "mark)");
    }
    return std::nullopt;
}

// The encoding named by the XML declaration, if any ("<?xml version=... encoding='X'?>"). Read
// from the raw bytes so that a non-UTF-8 declaration is refused before libxml2 transcodes, and
// whatever libxml2 thinks of the name.
std::optional<std::string_view> declared_encoding(std::string_view b) {
    if (b.substr(0, 3) == "\xEF\xBB\xBF") {
        b.remove_prefix(3);  // the UTF-8 byte-order mark is allowed
    }
    if (b.substr(0, 5) != "<?xml" || b.size() < 6 ||
        !std::isspace(static_cast<unsigned char>(b[5]))) {
        return std::nullopt;
    }
    const auto end = b.find("?>");
    if (end == std::string_view::npos || end > 512) {
        return std::nullopt;  // not a declaration libxml2 will accept either
    }
    std::string_view decl = b.substr(5, end - 5);
    auto pos = decl.find("encoding");
    if (pos == std::string_view::npos) {
        return std::nullopt;
    }
    decl.remove_prefix(pos + 8);
    const auto skip_space = [&decl] {
        while (!decl.empty() && std::isspace(static_cast<unsigned char>(decl.front()))) {
            decl.remove_prefix(1);
        }
    };
    skip_space();
    if (decl.empty() || decl.front() != '=') {
        return std::nullopt;
    }
    decl.remove_prefix(1);
    skip_space();
    if (decl.empty() || (decl.front() != '"' && decl.front() != '\'')) {
        return std::nullopt;
    }
    const auto close = decl.find(decl.front(), 1);
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    return decl.substr(1, close - 1);
}

std::optional<core::failure> check_utf8(std::string_view bytes) {
    if (auto f = sniff_encoding(bytes)) {
        return f;
    }
    if (auto e = declared_encoding(bytes); e && !is_utf8_name(*e)) {
        return not_utf8("the XML declaration names encoding '" + std::string{e->substr(0, 40)} +
                        "'");
    }
    return std::nullopt;
}

}  // namespace

core::result<doc_ptr> parse_packet(std::string_view bytes, const parse_limits& limits) {
    using core::errc;
    if (bytes.empty()) {
        return core::fail(errc::malformed_xml, "empty body: expected an edXML document");
    }
    if (bytes.size() > limits.max_bytes || bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        return core::fail(errc::payload_too_large, "document of " + std::to_string(bytes.size()) +
                                                       " bytes exceeds the limit of " +
                                                       std::to_string(limits.max_bytes));
    }

    if (auto f = check_utf8(bytes)) {
        return std::move(*f);
    }

    // libxml2 reads the packet through a callback, a few KB at a time, rather than copying all
    // of it into its input buffer first (xmlCreateMemoryParserCtxt): one fresh copy of every
    // packet less, in memory and in page faults (issue 17).
    chunk_reader reader{bytes};
    parser_ctxt_ptr ctxt{xmlCreateIOParserCtxt(nullptr, nullptr, chunk_reader::read, nullptr,
                                               &reader, XML_CHAR_ENCODING_NONE)};
    if (!ctxt || ctxt->sax == nullptr) {
        return core::fail(errc::internal, "cannot create an XML parser context");
    }
    // NONET. Deliberately absent: NOENT (entity substitution), DTDLOAD/DTDATTR/DTDVALID
    // (external or defaulted DTD content), XINCLUDE, NOBLANKS (signatures cover whitespace).
    // HUGE only when the operator allows text nodes above libxml2's own cap (10 MB), which it
    // would otherwise apply to a text node read in several pieces; our caps still hold.
    const bool huge = limits.max_text_bytes > XML_MAX_TEXT_LENGTH;
    if (xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | (huge ? XML_PARSE_HUGE : 0)) != 0) {
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
    // Second line of defence behind check_utf8(): the encoding libxml2 settled on.
    if (doc->encoding != nullptr && !is_utf8_name(reinterpret_cast<const char*>(doc->encoding))) {
        return not_utf8(std::string("the document's encoding is '") +
                        reinterpret_cast<const char*>(doc->encoding) + "'");
    }
    return doc;
}

}  // namespace lienthong::bus::xml
