#include "pdf/pdf_structure.hpp"

// qpdf 11: std::shared_ptr only, no PointerHolder compatibility (qpdf/PointerHolder.hh).
#define POINTERHOLDER_TRANSITION 4

#include <openssl/evp.h>

#include <exception>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFFormFieldObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "crypto/openssl.hpp"

namespace lienthong::bus::pdf {
namespace {

using core::errc;
using core::fail;

// qpdf reports problems by throwing (QPDFExc, std::runtime_error, std::logic_error): the
// structure is opened with recovery on and warnings off, and every throw becomes a failure.
core::result<void> open(QPDF& q, std::string_view bytes, const pdf_limits& limits) {
    if (bytes.size() > limits.max_bytes) {
        return fail(errc::payload_too_large, "the PDF is larger than allowed");
    }
    if (!looks_like_pdf(bytes)) {
        return fail(errc::invalid_request, "not a PDF file");
    }
    q.setSuppressWarnings(true);
    q.processMemoryFile("attachment.pdf", bytes.data(), bytes.size());
    if (q.isEncrypted()) {
        return fail(errc::invalid_request, "the PDF is encrypted");
    }
    return {};
}

core::failure unreadable(const std::exception& e) {
    auto f = fail(errc::invalid_request, "the PDF structure cannot be read");
    f.log_detail = e.what();
    return f;
}

signature_field field_of(QPDFFormFieldObjectHelper& field, QPDFObjectHandle value) {
    signature_field out;
    out.name = field.getFullyQualifiedName();
    if (auto sub = value.getKey("/SubFilter"); sub.isName()) {
        out.subfilter = sub.getName().substr(1);
    }
    if (auto range = value.getKey("/ByteRange"); range.isArray() && range.getArrayNItems() <= 16) {
        for (auto& n : range.getArrayAsVector()) {
            out.byte_range.push_back(n.isInteger() ? n.getIntValue() : -1);
        }
    }
    if (auto contents = value.getKey("/Contents"); contents.isString()) {
        out.contents = contents.getStringValue();
    }
    if (auto m = value.getKey("/M"); m.isString()) {
        out.claimed_time = m.getUTF8Value();
    }
    return out;
}

}  // namespace

bool looks_like_pdf(std::string_view bytes) noexcept { return bytes.substr(0, 5) == "%PDF-"; }

core::result<std::vector<signature_field>> read_signature_fields(std::string_view bytes,
                                                                 const pdf_limits& limits) {
    try {
        QPDF q;
        if (auto opened = open(q, bytes, limits); !opened) {
            return std::move(opened).error();
        }
        QPDFAcroFormDocumentHelper acroform(q);
        std::vector<signature_field> out;
        for (auto& field : acroform.getFormFields()) {
            if (field.getFieldType() != "/Sig") {
                continue;
            }
            auto value = field.getValue();
            if (!value.isDictionary()) {
                continue;  // an empty signature field: nothing signed yet
            }
            if (out.size() == limits.max_signatures) {
                return fail(errc::payload_too_large, "the PDF has more signatures than allowed");
            }
            out.push_back(field_of(field, value));
            if (out.back().contents.size() > limits.max_contents_bytes) {
                return fail(errc::payload_too_large, "a signature is larger than allowed");
            }
        }
        return out;
    } catch (const std::exception& e) {
        return unreadable(e);
    }
}

core::result<std::array<unsigned char, 32>> page_fingerprint(std::string_view bytes,
                                                             const pdf_limits& limits) {
    try {
        QPDF q;
        if (auto opened = open(q, bytes, limits); !opened) {
            return std::move(opened).error();
        }
        const auto& pages = q.getAllPages();
        if (pages.size() > limits.max_pages) {
            return fail(errc::payload_too_large, "the PDF has more pages than allowed");
        }
        crypto::md_ctx_ptr md{EVP_MD_CTX_new()};
        if (!md || EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr) != 1) {
            return fail(errc::internal, "cannot hash page content");
        }
        const std::string count = std::to_string(pages.size()) + ";";
        EVP_DigestUpdate(md.get(), count.data(), count.size());
        // Shared content streams could make hashing quadratic: a budget of a few file sizes.
        std::size_t budget = 4 * bytes.size() + 1024 * 1024;
        for (auto page : pages) {
            auto contents = page.getKey("/Contents");
            std::vector<QPDFObjectHandle> streams;
            if (contents.isArray()) {
                streams = contents.getArrayAsVector();
            } else {
                streams.push_back(contents);
            }
            for (auto& s : streams) {
                if (!s.isStream()) {
                    continue;
                }
                auto raw = s.getRawStreamData();
                if (raw->getSize() > budget) {
                    return fail(errc::payload_too_large, "the page content is larger than allowed");
                }
                budget -= raw->getSize();
                EVP_DigestUpdate(md.get(), raw->getBuffer(), raw->getSize());
                EVP_DigestUpdate(md.get(), "|", 1);
            }
            EVP_DigestUpdate(md.get(), ";", 1);
        }
        std::array<unsigned char, 32> out{};
        EVP_DigestFinal_ex(md.get(), out.data(), nullptr);
        return out;
    } catch (const std::exception& e) {
        return unreadable(e);
    }
}

}  // namespace lienthong::bus::pdf
