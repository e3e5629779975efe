#include "pdf/verdict.hpp"

#include <array>
#include <boost/json.hpp>
#include <ctime>

namespace lienthong::bus::pdf {

std::string_view signature_status_slug(signature_status s) noexcept {
    switch (s) {
        case signature_status::valid:
            return "valid";
        case signature_status::digest_mismatch:
            return "digest-mismatch";
        case signature_status::signature_invalid:
            return "signature-invalid";
        case signature_status::modified:
            return "modified";
        case signature_status::certificate_untrusted:
            return "certificate-untrusted";
        case signature_status::certificate_expired:
            return "certificate-expired";
        case signature_status::certificate_revoked:
            return "certificate-revoked";
        case signature_status::unsupported:
            return "unsupported";
        case signature_status::malformed:
            return "malformed";
    }
    return "malformed";
}

std::string_view document_state_slug(document_state s) noexcept {
    switch (s) {
        case document_state::signed_valid:
            return "signed";
        case document_state::signed_invalid:
            return "signed-invalid";
        case document_state::unsigned_pdf:
            return "unsigned";
        case document_state::not_pdf:
            return "not-pdf";
    }
    return "not-pdf";
}

document_state state_of(const std::vector<signature_verdict>& signatures) noexcept {
    if (signatures.empty()) {
        return document_state::unsigned_pdf;
    }
    for (const auto& s : signatures) {
        if (s.status != signature_status::valid) {
            return document_state::signed_invalid;
        }
    }
    return document_state::signed_valid;
}

namespace {

boost::json::value utc_time(const std::optional<std::int64_t>& t) {
    if (!t) {
        return nullptr;
    }
    const auto seconds = static_cast<std::time_t>(*t);
    std::tm tm{};
    if (gmtime_r(&seconds, &tm) == nullptr) {
        return nullptr;
    }
    std::array<char, 32> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return boost::json::string(buf.data(), n);
}

}  // namespace

boost::json::value to_json(const signature_verdict& v) {
    return boost::json::object{
        {"field", v.field},
        {"subfilter", v.subfilter},
        {"status", signature_status_slug(v.status)},
        {"detail", v.detail},
        {"signer",
         {{"name", v.signer_name},
          {"subject", v.signer_subject},
          {"uid", v.signer_uid},
          {"fingerprint", v.signer_fingerprint},
          {"issuer", v.issuer},
          {"serial", v.serial}}},
        {"signing_time", utc_time(v.signing_time)},
        {"digest_algorithm", v.digest_algorithm},
        {"signature_algorithm", v.signature_algorithm},
        {"covers_whole_file", v.covers_whole_file},
    };
}

boost::json::value to_json(const document_verdict& v) {
    boost::json::array sigs;
    for (const auto& s : v.signatures) {
        sigs.push_back(to_json(s));
    }
    return boost::json::object{
        {"content_id", v.content_id}, {"name", v.name},
        {"entry", v.entry},           {"state", document_state_slug(v.state)},
        {"detail", v.detail},         {"signatures", std::move(sigs)}};
}

boost::json::value to_json(const std::vector<document_verdict>& v) {
    boost::json::array out;
    for (const auto& d : v) {
        out.push_back(to_json(d));
    }
    return out;
}

std::string compact_summary(const std::vector<document_verdict>& v) {
    std::array<int, 4> counts{};
    for (const auto& d : v) {
        ++counts[static_cast<std::size_t>(d.state)];
    }
    std::string out;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (!out.empty()) {
            out += ',';
        }
        out += document_state_slug(static_cast<document_state>(i));
        out += '=';
        out += std::to_string(counts[i]);
    }
    return out;
}

}  // namespace lienthong::bus::pdf
