#include "adapters/http_webhook/http_webhook_adapter.hpp"

#include "core/message_contract.hpp"

namespace lienthong::adapters::http_webhook {

namespace {

/// Header values must be visible ASCII; DocumentIds carry Vietnamese letters (e.g. "TTĐT").
std::string percent_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (c > 0x20 && c < 0x7f && c != '%') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

}  // namespace

outcome http_webhook_adapter::classify(int status) noexcept {
    if (status >= 200 && status < 300) {
        return outcome::delivered;
    }
    if (status == 408 || status == 429 || status >= 500) {
        return outcome::retryable_failure;
    }
    return outcome::permanent_failure;  // other 4xx, and redirects, which are not followed
}

delivery_result http_webhook_adapter::deliver(const delivery& d) {
    common::http_request req;
    req.method = "POST";
    req.url = config_.url;
    req.timeout = config_.timeout;
    req.headers = {{"Content-Type", "application/xml"},
                   {"X-Lienthong-Id", d.id},
                   {"Idempotency-Key", d.id},
                   {"X-Lienthong-Document-Id", percent_encode(d.document_id)},
                   {"X-Lienthong-Sender", d.sender},
                   {"X-Lienthong-Recipient", core::join_recipients(d.recipients)},
                   {"X-Lienthong-Attempt", std::to_string(d.attempt)}};
    if (!d.envelope_signature.empty()) {
        req.headers.emplace_back("X-Lienthong-Envelope-Signature", d.envelope_signature);
    }
    if (!d.document_signatures.empty()) {
        // The sidecar: the full verdicts (UTF-8 JSON), percent-encoded to stay a valid header.
        req.headers.emplace_back("X-Lienthong-Document-Signatures", d.document_signatures);
        req.headers.emplace_back("X-Lienthong-Document-Verdicts",
                                 percent_encode(d.document_verdicts));
    }
    if (d.packet) {
        req.body = d.packet;
    }
    const auto reply = common::send(req, &config_.tls);
    if (!reply.ok()) {
        return {outcome::retryable_failure, reply.error};
    }
    const auto result = classify(reply.status);
    if (result == outcome::delivered) {
        return {result, {}};
    }
    // The receiver's words help operators, but stay short and single-line.
    std::string said = reply.body.substr(0, 200);
    for (auto& c : said) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    return {result, "HTTP " + std::to_string(reply.status) + (said.empty() ? "" : ": " + said)};
}

}  // namespace lienthong::adapters::http_webhook
