#pragma once
// Small helpers for walking an edXML tree by local name in the edXML namespace (no XPath: the
// element set is small and fixed, and direct walking keeps the paths we report exact).
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::xml {

/// True for an element with this local name in the edXML namespace.
bool is_edxml_element(const xmlNode* node, std::string_view local_name);

/// Element children of `parent` named `local_name` in the edXML namespace, in document order.
std::vector<xmlNode*> edxml_children(const xmlNode* parent, std::string_view local_name);

/// Text content of `node`, leading and trailing whitespace removed.
std::string trimmed_text(const xmlNode* node);

/// Readable location such as /edXML/edXMLEnvelope/edXMLHeader/MessageHeader/From[2]/OrganId:
/// local names only (prefixes vary between builders), with a 1-based index only where the
/// element has same-named siblings.
std::string node_path(const xmlNode* node);

/// The short field name for a path: the part after .../MessageHeader/ (e.g. "From/OrganId"),
/// or the whole path when it is not under MessageHeader.
std::string field_of(std::string_view path);

/// Checks what the order-tolerant XSDs leave open (cardinality, value syntax) and collects one
/// issue per problem, so a caller sees every fault at once. A null parent means an ancestor was
/// already reported missing: nothing more is reported below it.
class structure_checker final {
  public:
    xmlNode* exactly_one(const xmlNode* parent, std::string_view name);
    xmlNode* at_most_one(const xmlNode* parent, std::string_view name);
    std::vector<xmlNode*> at_least_one(const xmlNode* parent, std::string_view name);

    /// Value checks; each returns the value (empty on a problem, which is then recorded).
    std::string organ_id(const xmlNode* node);
    std::string document_id(const xmlNode* node);
    std::string date(const xmlNode* node);       ///< yyyy/MM/dd, a real calendar date
    std::string timestamp(const xmlNode* node);  ///< yyyy/MM/dd HH:mm:ss
    std::string non_empty(const xmlNode* node);
    /// Base64 as XSD 1.0 xs:base64Binary (RFC 4648 section 4 alphabet, whitespace anywhere,
    /// at most two '=' and only at the end, a multiple of 4 characters). One pass over the text
    /// nodes in place, no copy: a 20 MB attachment costs milliseconds.
    void base64(const xmlNode* node);

    void add(const xmlNode* at, std::string message);
    void add_at(int line, std::string path, std::string message);
    bool ok() const noexcept { return issues_.empty(); }

    /// schema_invalid carrying every issue; call only when !ok().
    core::failure failure(std::string_view what) &&;

  private:
    std::vector<core::schema_issue> issues_;
};

}  // namespace lienthong::bus::xml
