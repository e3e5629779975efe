#include "core/message_contract.hpp"

#include <algorithm>

namespace lienthong::core {

std::string_view kind_name(message_kind kind) noexcept {
    return kind == message_kind::status ? "status" : "edoc";
}

std::string status_name(std::string_view code) {
    static const std::pair<std::string_view, std::string_view> names[] = {
        {"01", "inbox"},        {"02", "rejection"},         {"03", "acceptance"},
        {"04", "assignment"},   {"05", "processing"},        {"06", "finish"},
        {"13", "cancellation"}, {"15", "change-acceptance"}, {"16", "change-rejection"}};
    for (const auto& [c, n] : names) {
        if (code == c) {
            return std::string(n);
        }
    }
    return {};
}

std::string join_recipients(const std::vector<std::string>& recipients) {
    std::string joined;
    for (const auto& r : recipients) {
        joined += (joined.empty() ? "" : ",") + r;
    }
    return joined;
}

std::vector<std::string> split_recipients(std::string_view joined) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < joined.size();) {
        const auto comma = std::min(joined.find(',', start), joined.size());
        if (comma > start) {
            out.emplace_back(joined.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return out;
}

header_table encode_headers(const message_meta& meta) {
    header_table h;
    const auto put = [&h](const char* name, const std::string& value) {
        if (!value.empty()) {
            h.emplace_back(name, value);
        }
    };
    put(header::document_id, meta.id);
    put(header::edxml_document_id, meta.edxml_document_id);
    put(header::sender, meta.sender);
    put(header::recipient, join_recipients(meta.recipients));
    if (meta.kind == message_kind::status) {
        put(header::message_type, std::string(kind_name(meta.kind)));
    }
    put(header::status_code, meta.status_code);
    put(header::response_for, meta.response_for);
    put(header::envelope_signature, meta.envelope_signature);
    put(header::document_signatures, meta.document_signatures);
    put(header::document_verdicts, meta.document_verdicts);
    return h;
}

}  // namespace lienthong::core
