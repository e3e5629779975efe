#include "xml/schema_validator.hpp"

#include <libxml/xmlschemas.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "xml/tree_walk.hpp"

namespace lienthong::bus::xml {
namespace {

struct schema_deleter {
    void operator()(xmlSchema* s) const noexcept { xmlSchemaFree(s); }
};
struct schema_parser_deleter {
    void operator()(xmlSchemaParserCtxt* c) const noexcept { xmlSchemaFreeParserCtxt(c); }
};
struct schema_valid_deleter {
    void operator()(xmlSchemaValidCtxt* c) const noexcept { xmlSchemaFreeValidCtxt(c); }
};

// Enough to fix a packet; a hostile document could otherwise make us build megabytes of issues.
constexpr std::size_t max_issues = 50;

// libxml2 writes names as {namespace}Local; inside edXML the namespace is noise.
std::string tidy_message(const char* raw) {
    std::string m = raw != nullptr ? raw : "invalid";
    const std::string ns = std::string{"{"} + edxml_ns + "}";
    for (auto pos = m.find(ns); pos != std::string::npos; pos = m.find(ns, pos)) {
        m.erase(pos, ns.size());
    }
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) {
        m.pop_back();
    }
    return m;
}

struct issue_sink {
    std::vector<core::schema_issue> issues;
    bool truncated = false;
};

/// For libxml2's "Missing child element(s). Expected is ( {ns}Name )": "Name", so that the issue
/// points at the missing element (From/OrganId), not at its parent. "" when several children
/// could be meant or the message is another one.
std::string missing_child(std::string_view message) {
    constexpr std::string_view marker = "Missing child element(s). Expected is ( ";
    const auto at = message.find(marker);
    if (at == std::string_view::npos) {
        return {};
    }
    auto name = message.substr(at + marker.size());
    name = name.substr(0, name.find(" )"));
    if (name.find(',') != std::string_view::npos) {
        return {};
    }
    if (const auto close = name.rfind('}'); close != std::string_view::npos) {
        name.remove_prefix(close + 1);
    }
    return std::string(name);
}

void collect_issue(void* ctx, xmlError* err) {
    auto& sink = *static_cast<issue_sink*>(ctx);
    if (err == nullptr || err->level < XML_ERR_ERROR) {
        return;
    }
    if (sink.issues.size() >= max_issues) {
        sink.truncated = true;
        return;
    }
    const auto* node = static_cast<const xmlNode*>(err->node);
    core::schema_issue issue;
    issue.line = node != nullptr ? static_cast<int>(xmlGetLineNo(node)) : err->line;
    if (issue.line <= 0) {
        issue.line = err->line;
    }
    issue.path = node != nullptr ? node_path(node) : std::string{};
    if (const auto child = missing_child(err->message != nullptr ? err->message : "");
        !child.empty() && !issue.path.empty()) {
        issue.path += "/" + child;
    }
    issue.message = tidy_message(err->message);
    sink.issues.push_back(std::move(issue));
}

}  // namespace

struct schema_validator::impl {
    std::unique_ptr<xmlSchema, schema_deleter> schema;
};

schema_validator schema_validator::load(const std::string& xsd_path) {
    // Checked up front: libxml2 would report a missing file through its global handler only.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(xsd_path, ec)) {
        throw std::runtime_error("XML schema file not found: " + xsd_path);
    }
    std::unique_ptr<xmlSchemaParserCtxt, schema_parser_deleter> pctxt{
        xmlSchemaNewParserCtxt(xsd_path.c_str())};
    if (!pctxt) {
        throw std::runtime_error("cannot create a schema parser for " + xsd_path);
    }
    // Collect compile errors on this context only (keeps them off stderr and out of globals).
    issue_sink errors;
    xmlSchemaSetParserStructuredErrors(pctxt.get(), collect_issue, &errors);
    auto p = std::make_shared<impl>();
    p->schema.reset(xmlSchemaParse(pctxt.get()));
    if (!p->schema) {
        std::string detail;
        for (const auto& i : errors.issues) {
            detail += "; " + i.message;
        }
        throw std::runtime_error("cannot compile XML schema " + xsd_path + detail);
    }
    return schema_validator{std::move(p)};
}

core::result<void> schema_validator::validate(xmlDoc* doc) const {
    if (doc == nullptr) {
        return core::fail(core::errc::internal, "no document to validate");
    }
    // The compiled schema is read-only and shared; each call gets its own validation context.
    std::unique_ptr<xmlSchemaValidCtxt, schema_valid_deleter> vctxt{
        xmlSchemaNewValidCtxt(impl_->schema.get())};
    if (!vctxt) {
        return core::fail(core::errc::internal, "cannot create a schema validation context");
    }
    issue_sink sink;
    xmlSchemaSetValidStructuredErrors(vctxt.get(), collect_issue, &sink);
    const int rc = xmlSchemaValidateDoc(vctxt.get(), doc);
    if (rc == 0) {
        return {};
    }
    if (rc < 0) {
        auto f = core::fail(core::errc::internal, "schema validation could not run");
        f.log_detail = "xmlSchemaValidateDoc returned " + std::to_string(rc);
        return f;
    }
    if (sink.issues.empty()) {  // invalid, yet libxml2 reported no details
        sink.issues.push_back({0, {}, "document does not match the schema"});
    }
    std::string message =
        "document does not match the edXML schema: " + std::to_string(sink.issues.size()) +
        (sink.truncated ? "+" : "") + " issue(s); first at line " +
        std::to_string(sink.issues.front().line) + ": " + sink.issues.front().message;
    auto f = core::fail(core::errc::schema_invalid, std::move(message));
    f.field = field_of(sink.issues.front().path);
    f.issues = std::move(sink.issues);
    return f;
}

}  // namespace lienthong::bus::xml
