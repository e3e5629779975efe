#include "pdf/pdf_verifier.hpp"

#include <ctime>
#include <optional>
#include <string>

#include "pdf/cms_signature.hpp"

namespace lienthong::bus::pdf {
namespace {

bool is_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// End of the meaningful bytes: trailing whitespace and NULs after the last %%EOF do not count.
std::size_t content_end(std::string_view bytes) noexcept {
    std::size_t end = bytes.size();
    while (end > 0) {
        const char c = bytes[end - 1];
        if (c != '\n' && c != '\r' && c != ' ' && c != '\t' && c != '\0') {
            break;
        }
        --end;
    }
    return end;
}

struct byte_range {
    std::size_t gap_begin = 0;  // a
    std::size_t gap_end = 0;    // b
    std::size_t end = 0;        // b + c
};

// ISO 32000-1 12.8.1: [0 a b c]; the gap [a, b) must be exactly the <hex> /Contents string.
std::optional<byte_range> parse_range(const std::vector<std::int64_t>& r, std::string_view bytes) {
    if (r.size() != 4 || r[0] != 0 || r[1] <= 0 || r[2] <= r[1] + 1 || r[3] < 0) {
        return std::nullopt;
    }
    const auto a = static_cast<std::size_t>(r[1]);
    const auto b = static_cast<std::size_t>(r[2]);
    const auto c = static_cast<std::size_t>(r[3]);
    if (b > bytes.size() || c > bytes.size() - b || bytes[a] != '<' || bytes[b - 1] != '>') {
        return std::nullopt;
    }
    for (std::size_t i = a + 1; i + 1 < b; ++i) {
        if (!is_hex(bytes[i])) {
            return std::nullopt;
        }
    }
    return byte_range{a, b, b + c};
}

// A PDF date (ISO 32000-1 7.9.4): D:YYYYMMDDHHmmSSOHH'mm', every part after the year optional;
// nullopt when it is not one.
std::optional<std::int64_t> pdf_date(std::string_view text) {
    if (text.substr(0, 2) == "D:") {
        text.remove_prefix(2);
    }
    auto number = [&text](std::size_t at, std::size_t n, int fallback) -> int {
        if (text.size() < at + n) {
            return fallback;
        }
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return -1;
            }
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    std::tm tm{};
    tm.tm_year = number(0, 4, -1) - 1900;
    tm.tm_mon = number(4, 2, 1) - 1;
    tm.tm_mday = number(6, 2, 1);
    tm.tm_hour = number(8, 2, 0);
    tm.tm_min = number(10, 2, 0);
    tm.tm_sec = number(12, 2, 0);
    if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
        tm.tm_sec > 60) {
        return std::nullopt;
    }
    std::int64_t t = timegm(&tm);
    if (text.size() > 14 && (text[14] == '+' || text[14] == '-')) {
        const int hours = number(15, 2, 0);
        const int minutes = number(18, 2, 0);
        if (hours < 0 || minutes < 0) {
            return std::nullopt;
        }
        const std::int64_t offset = hours * 3600 + minutes * 60;
        t += text[14] == '+' ? -offset : offset;
    }
    return t;
}

bool supported(const std::string& subfilter) {
    return subfilter == "adbe.pkcs7.detached" || subfilter == "ETSI.CAdES.detached";
}

// Whether the bytes after `range` change more than signatures (see verify_pdf's contract).
std::optional<std::string> later_change(std::string_view bytes, const byte_range& range,
                                        const std::vector<std::optional<byte_range>>& all,
                                        const pdf_limits& limits) {
    const std::size_t end = content_end(bytes);
    bool later_covers_all = false;
    for (const auto& other : all) {
        later_covers_all =
            later_covers_all || (other && other->end > range.end && other->end >= end);
    }
    if (!later_covers_all) {
        return "bytes were added after this signature";
    }
    auto before = page_fingerprint(bytes.substr(0, range.end), limits);
    auto after = page_fingerprint(bytes, limits);
    if (!before || !after || *before != *after) {
        return "a later revision changes the page content";
    }
    return std::nullopt;
}

}  // namespace

core::result<std::vector<signature_verdict>> verify_pdf(std::string_view bytes,
                                                        const crypto::trust_material& trust,
                                                        std::time_t now, const pdf_limits& limits) {
    auto fields = read_signature_fields(bytes, limits);
    if (!fields) {
        return std::move(fields).error();
    }
    std::vector<std::optional<byte_range>> ranges;
    for (const auto& f : *fields) {
        ranges.push_back(parse_range(f.byte_range, bytes));
    }
    std::vector<signature_verdict> out;
    for (std::size_t i = 0; i < fields->size(); ++i) {
        const auto& f = (*fields)[i];
        auto& v = out.emplace_back();
        v.field = f.name;
        v.subfilter = f.subfilter;
        if (!supported(f.subfilter)) {
            v.status = signature_status::unsupported;
            v.detail = "subfilter '" + f.subfilter + "' is not supported";
            continue;
        }
        if (!ranges[i]) {
            v.status = signature_status::malformed;
            v.detail = "the ByteRange does not frame the signature as ISO 32000-1 requires";
            continue;
        }
        const auto& r = *ranges[i];
        v.covers_whole_file = r.end >= content_end(bytes);
        std::string signed_bytes;
        signed_bytes.reserve(r.gap_begin + (r.end - r.gap_end));
        signed_bytes.append(bytes.substr(0, r.gap_begin));
        signed_bytes.append(bytes.substr(r.gap_end, r.end - r.gap_end));
        v.signing_time = pdf_date(f.claimed_time);
        verify_cms(f.contents, signed_bytes, trust, now, v);
        if (v.status == signature_status::valid && !v.covers_whole_file) {
            if (auto change = later_change(bytes, r, ranges, limits)) {
                v.status = signature_status::modified;
                v.detail = *change;
            }
        }
    }
    return out;
}

document_verdict verify_file(std::string_view bytes, const crypto::trust_material& trust,
                             std::time_t now, const pdf_limits& limits) {
    document_verdict d;
    if (!looks_like_pdf(bytes)) {
        d.state = document_state::not_pdf;
        return d;
    }
    auto signatures = verify_pdf(bytes, trust, now, limits);
    if (!signatures) {
        d.state = document_state::not_pdf;
        d.detail = signatures.error().message;
        return d;
    }
    d.signatures = std::move(*signatures);
    d.state = state_of(d.signatures);
    return d;
}

std::vector<document_verdict> verify_attachments(
    const std::vector<xml::encoded_attachment>& attachments, const crypto::trust_material& trust,
    std::time_t now, const verify_limits& limits) {
    std::vector<document_verdict> out;
    for (const auto& a : attachments) {
        auto files = decode_attachment(a.encoded, limits.decode);
        if (!files) {
            auto& d = out.emplace_back();
            d.content_id = a.content_id;
            d.name = a.name;
            d.state = document_state::not_pdf;
            d.detail = files.error().message;
            continue;
        }
        for (auto& f : *files) {
            auto d = verify_file(f.bytes, trust, now, limits.pdf);
            d.content_id = a.content_id;
            d.name = a.name;
            d.entry = std::move(f.entry);
            out.push_back(std::move(d));
        }
    }
    return out;
}

}  // namespace lienthong::bus::pdf
