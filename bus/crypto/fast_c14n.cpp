#include "crypto/fast_c14n.hpp"

#include <libxml/c14n.h>
#include <libxml/xmlIO.h>
#include <xmlsec/membuf.h>
#include <xmlsec/nodeset.h>
#include <xmlsec/strings.h>
#include <xmlsec/xmltree.h>

#include <array>
#include <atomic>
#include <cstring>
#include <limits>
#include <new>
#include <unordered_set>
#include <vector>

#include "xml/libxml.hpp"

namespace lienthong::bus::crypto {

namespace {

std::atomic<bool> enabled{true};
std::atomic<std::uint64_t> run_count{0};
std::atomic<std::uint64_t> passed_count{0};

int fast_push_xml(xmlSecTransformPtr transform, xmlSecNodeSetPtr nodes,
                  xmlSecTransformCtxPtr transform_ctx);
void fast_finalize(xmlSecTransformPtr transform);

// One of xmlsec's C14N klasses, what it asks of xmlC14NExecute (c14n.c,
// xmlSecTransformC14NExecute), and our copy of it with pushXml and finalize replaced.
struct c14n_klass {
    xmlSecTransformId original;
    int mode;
    int with_comments;
    _xmlSecTransformKlass fast;  // the public typedef is const; ours is filled once
};

std::array<c14n_klass, 6>& klasses() {
    static std::array<c14n_klass, 6> all = [] {
        std::array<c14n_klass, 6> k{{
            {xmlSecTransformInclC14NId, XML_C14N_1_0, 0, {}},
            {xmlSecTransformInclC14NWithCommentsId, XML_C14N_1_0, 1, {}},
            {xmlSecTransformInclC14N11Id, XML_C14N_1_1, 0, {}},
            {xmlSecTransformInclC14N11WithCommentsId, XML_C14N_1_1, 1, {}},
            {xmlSecTransformExclC14NId, XML_C14N_EXCLUSIVE_1_0, 0, {}},
            {xmlSecTransformExclC14NWithCommentsId, XML_C14N_EXCLUSIVE_1_0, 1, {}},
        }};
        for (auto& one : k) {
            one.fast = *one.original;
            one.fast.pushXml = fast_push_xml;
            one.fast.finalize = fast_finalize;
        }
        return k;
    }();
    return all;
}

const c14n_klass* by_original(xmlSecTransformId id) {
    for (const auto& one : klasses()) {
        if (one.original == id) {
            return &one;
        }
    }
    return nullptr;
}

const c14n_klass* by_fast(xmlSecTransformId id) {
    for (const auto& one : klasses()) {
        if (&one.fast == id) {
            return &one;
        }
    }
    return nullptr;
}

bool is_digest(const xmlSecTransform* t) {
    return t != nullptr && t->id != nullptr &&
           (t->id->usage & xmlSecTransformUsageDigestMethod) != 0;
}

// The chains we know: C14N → digest, or C14N → pre-digest buffer → digest (the buffer xmlsec adds
// for XMLSEC_DSIG_FLAGS_STORE_*_REFERENCES). An exclusive C14N must have its Transform element.
bool recognised(const xmlSecTransform& t, const c14n_klass& k) {
    if (t.status != xmlSecTransformStatusNone || t.next == nullptr) {
        return false;
    }
    if (k.mode == XML_C14N_EXCLUSIVE_1_0 && t.hereNode == nullptr) {
        return false;
    }
    const xmlSecTransform* next = t.next;
    if (next->id == xmlSecTransformMemBufId) {
        next = next->next;
    }
    return is_digest(next);
}

// The exclusive C14N's InclusiveNamespaces PrefixList, read from the Transform element as
// xmlsec's readNode reads it (c14n.c, xmlSecTransformC14NNodeRead): absent → no list; present →
// the attribute split on single spaces (empty items kept), then a terminating null.
struct prefix_list {
    std::vector<xml::xml_string> owned;
    std::vector<xmlChar*> items;
    bool present = false;

    xmlChar** get() { return present ? items.data() : nullptr; }
};

bool read_prefix_list(xmlNode* transform_node, prefix_list& out) {
    xmlNode* child = xmlSecGetNextElementNode(transform_node->children);
    if (child == nullptr) {
        return true;
    }
    if (xmlSecCheckNodeName(child, xmlSecNodeInclusiveNamespaces, xmlSecNsExcC14N) == 0) {
        return false;  // xmlsec refused it already; never run on a guess
    }
    xml::xml_string list{xmlGetProp(child, xmlSecAttrPrefixList)};
    if (!list) {
        return false;
    }
    out.present = true;
    for (xmlChar *p = list.get(), *n = p; p != nullptr && *p != '\0'; p = n) {
        n = const_cast<xmlChar*>(xmlStrchr(p, ' '));
        if (n != nullptr) {
            *(n++) = '\0';
        }
        out.owned.emplace_back(xmlStrdup(p));
        if (!out.owned.back()) {
            return false;
        }
        out.items.push_back(out.owned.back().get());
    }
    out.items.push_back(nullptr);
    return true;
}

// One xmlC14NExecute: where its output goes and what the visibility wrapper has seen.
struct c14n_run {
    xmlSecNodeSetPtr nodes;
    xmlSecTransformPtr next;
    xmlSecTransformCtxPtr transform_ctx;
    xmlOutputBufferPtr buf;
    std::unordered_set<const xmlNode*> passed;
    bool failed = false;
};

// A large visible text node with nothing to escape: flush what libxml2 has written so far, then
// its bytes. False: libxml2 writes it as usual.
bool pass_text(c14n_run& run, xmlNode* text) {
    const char* content = reinterpret_cast<const char*>(text->content);
    if (content == nullptr || run.buf->encoder != nullptr) {
        return false;  // an encoder would transcode libxml2's bytes; xmlsec's buffer has none
    }
    const std::size_t clean = std::strcspn(content, "&<>\r");
    if (content[clean] != '\0' || clean < fast_c14n_min_text ||
        clean > std::numeric_limits<xmlSecSize>::max()) {
        return false;
    }
    bool first_time = false;
    try {
        first_time = run.passed.insert(text).second;
    } catch (const std::bad_alloc&) {
        first_time = false;
    }
    if (!first_time || xmlOutputBufferFlush(run.buf) < 0 ||
        xmlSecTransformPushBin(run.next, reinterpret_cast<const xmlSecByte*>(content),
                               static_cast<xmlSecSize>(clean), 0, run.transform_ctx) < 0) {
        run.failed = true;
    } else {
        passed_count.fetch_add(1, std::memory_order_relaxed);
    }
    return true;
}

// xmlC14NIsVisibleCallback. `node` may be an xmlNs cast to xmlNode (libxml2 keeps `type` at
// the same offset for that reason), so the type is checked before anything else is read.
int visible(void* user, xmlNodePtr node, xmlNodePtr parent) {
    auto& run = *static_cast<c14n_run*>(user);
    const int shown = xmlSecNodeSetContains(run.nodes, node, parent);
    if (shown <= 0 || node == nullptr || node->type != XML_TEXT_NODE) {
        return shown;
    }
    if (run.failed) {
        return 0;  // the run is refused anyway; write nothing more
    }
    return pass_text(run, node) ? 0 : shown;
}

// xmlsec's C14N pushXml (c14n.c, xmlSecTransformC14NPushXml) with the visibility wrapper.
int run_c14n(xmlSecTransformPtr transform, const c14n_klass& k, xmlSecNodeSetPtr nodes,
             xmlSecTransformCtxPtr transform_ctx) {
    if (transform->status == xmlSecTransformStatusWorking ||
        transform->status == xmlSecTransformStatusFinished) {
        return 0;
    }
    if (transform->status != xmlSecTransformStatusNone || nodes == nullptr ||
        nodes->doc == nullptr || transform->next == nullptr) {
        return -1;
    }
    transform->status = xmlSecTransformStatusWorking;
    prefix_list prefixes;
    if (k.mode == XML_C14N_EXCLUSIVE_1_0 &&
        (transform->hereNode == nullptr || !read_prefix_list(transform->hereNode, prefixes))) {
        return -1;
    }
    c14n_run run{nodes, transform->next, transform_ctx, nullptr, {}, false};
    run.buf = xmlSecTransformCreateOutputBuffer(transform->next, transform_ctx);
    if (run.buf == nullptr) {
        return -1;
    }
    const int written =
        xmlC14NExecute(nodes->doc, visible, &run, k.mode, prefixes.get(), k.with_comments, run.buf);
    const int closed = xmlOutputBufferClose(run.buf);
    if (written < 0 || run.failed || closed < 0) {
        return -1;
    }
    transform->status = xmlSecTransformStatusFinished;
    run_count.fetch_add(1, std::memory_order_relaxed);
    return 0;
}

int fast_push_xml(xmlSecTransformPtr transform, xmlSecNodeSetPtr nodes,
                  xmlSecTransformCtxPtr transform_ctx) {
    const c14n_klass* k = transform != nullptr ? by_fast(transform->id) : nullptr;
    if (k == nullptr) {
        return -1;
    }
    transform->id = k->original;  // xmlsec's own checks and finalize see its klass again
    try {
        return run_c14n(transform, *k, nodes, transform_ctx);
    } catch (...) {
        return -1;  // never through libxml2's or xmlsec's C frames
    }
}

void fast_finalize(xmlSecTransformPtr transform) {
    if (const c14n_klass* k = by_fast(transform->id); k != nullptr) {
        transform->id = k->original;
        if (k->original->finalize != nullptr) {
            k->original->finalize(transform);
        }
    }
}

}  // namespace

int fast_c14n_pre_execute(xmlSecTransformCtx* ctx) noexcept {
    if (ctx == nullptr || !enabled.load(std::memory_order_relaxed)) {
        return 0;
    }
    for (xmlSecTransformPtr t = ctx->first; t != nullptr; t = t->next) {
        if (const c14n_klass* k = by_original(t->id); k != nullptr && recognised(*t, *k)) {
            t->id = &k->fast;
        }
    }
    return 0;
}

void use_fast_c14n(xmlSecDSigCtx& ctx) noexcept {
    ctx.referencePreExecuteCallback = fast_c14n_pre_execute;
}

namespace fast_c14n_testing {
void set_enabled(bool on) noexcept { enabled.store(on, std::memory_order_relaxed); }
std::uint64_t runs() noexcept { return run_count.load(std::memory_order_relaxed); }
std::uint64_t texts_passed() noexcept { return passed_count.load(std::memory_order_relaxed); }
}  // namespace fast_c14n_testing

}  // namespace lienthong::bus::crypto
