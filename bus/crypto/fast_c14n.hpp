#pragma once
// A faster canonicalisation step for the Reference digests of large packets (issue 17).
//
// What: for each ds:Reference, xmlsec 1.2.37 runs libxml2's xmlC14NExecute into an output buffer
// that feeds the digest. libxml2 escapes every text node one character at a time
// (xmlC11NNormalizeString), which for a packet with a large base64 attachment costs about twice
// the SHA-256 itself. This step runs the same xmlC14NExecute with the same arguments (document,
// xmlsec's node set through xmlSecNodeSetContains, mode, InclusiveNamespaces PrefixList, comments)
// but wraps the visibility callback: a visible text node (XML_TEXT_NODE; CDATA is left to libxml2)
// of at least `fast_c14n_min_text` bytes that contains none of the characters C14N escapes in text
// is written by us, byte for byte as libxml2 would: the pending output is flushed to the next
// transform, the node's bytes are pushed straight after it, and libxml2 is told the node is not
// visible, so it writes nothing for it. The byte stream reaching the digest is therefore identical.
//
// The rules it relies on:
// - W3C Canonical XML 1.0 §2.3 (and Exclusive XML Canonicalization 1.0 §3, which defers to it;
//   C14N 1.1 is the same for text): a text node is its string value with `&`, `<`, `>` and #xD
//   replaced by `&amp;`, `&lt;`, `&gt;`, `&#xD;`, nothing else; libxml2 2.9.14's
//   xmlC11NNormalizeText does exactly that.
// - libxml2 2.9.14 c14n.c: xmlC14NProcessNode asks the visibility callback once per text node,
//   right before writing it, and text nodes are asked about nowhere else (the other calls are for
//   elements, attributes and namespaces); an invisible text node writes nothing and changes no
//   other state. The output buffer xmlsec gives it has no encoder (raw bytes).
// - xmlsec 1.2.37 transforms.c: the implicit inclusive C14N (a Reference whose transforms end in
//   a node set, e.g. only enveloped-signature) is inserted by xmlSecTransformConnect when the
//   digest (or the pre-digest buffer) is appended, or prepended by xmlSecTransformCtxPrepare, in
//   both cases before Prepare calls the context's preExecCallback; so the callback sees the final
//   chain, implicit C14N included. c14n.c's pushXml is what this step reproduces (status, output
//   buffer from xmlSecTransformCreateOutputBuffer, close) and its readNode is how the exclusive
//   PrefixList is read (first element child InclusiveNamespaces, split on single spaces).
//
// How: the callback gives a recognised C14N transform (one of xmlsec's six C14N klasses, not yet
// run, followed by the digest or by the pre-digest buffer and then the digest) a copy of its klass
// with pushXml and finalize replaced; pushXml puts the original klass back before it works, and
// finalize does so too if the chain never ran, then calls the original finalize. No xmlsec private
// layout is used: the exclusive PrefixList is read again from the Transform element (hereNode).
// Fail closed: a text node offered twice, a flush or push error, or an unreadable PrefixList
// makes the transform fail, so the Reference fails and the packet is refused. A chain it does not
// recognise keeps xmlsec's own transform (same result, no speed-up).
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>

#include <cstddef>
#include <cstdint>

namespace lienthong::bus::crypto {

/// Text nodes shorter than this (bytes) go through libxml2 as usual: below it the flush and the
/// extra push cost more than the escaping saves.
inline constexpr std::size_t fast_c14n_min_text = 4096;

/// Makes `ctx` canonicalise its References with the fast step (sets
/// referencePreExecuteCallback; xmlsec copies it into each Reference's transform context).
/// Thread-safety: touches only `ctx`; any number of contexts may use it at once.
void use_fast_c14n(xmlSecDSigCtx& ctx) noexcept;

/// The preExecCallback itself: swaps the klass of each recognised C14N transform of `ctx`'s
/// chain. Always returns 0 (a chain it does not recognise is left as it is).
int fast_c14n_pre_execute(xmlSecTransformCtx* ctx) noexcept;

/// For tests only: switch the step off (process-wide; default on) and count what it did.
namespace fast_c14n_testing {
void set_enabled(bool enabled) noexcept;
/// C14N transforms run by the fast step since the process started.
std::uint64_t runs() noexcept;
/// Text nodes pushed straight to the digest since the process started.
std::uint64_t texts_passed() noexcept;
}  // namespace fast_c14n_testing

}  // namespace lienthong::bus::crypto
