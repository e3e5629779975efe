#include "http/problem_titles.hpp"

#include <boost/json.hpp>

#include "http/problem.hpp"

namespace lienthong::bus::http {

namespace {

std::string_view vietnamese_title(core::errc code) noexcept {
    using core::errc;
    switch (code) {
        case errc::malformed_xml:
            return "Gói tin XML không đúng cú pháp";
        case errc::doctype_forbidden:
            return "Gói tin chứa DOCTYPE bị cấm";
        case errc::xml_limit_exceeded:
            return "Gói tin vượt giới hạn cho phép";
        case errc::schema_invalid:
            return "Gói tin không đúng lược đồ edXML";
        case errc::unsupported_encoding:
            return "Gói tin không mã hóa UTF-8";
        case errc::signature_missing:
            return "Thiếu chữ ký số";
        case errc::signature_invalid:
            return "Chữ ký số không hợp lệ";
        case errc::digest_mismatch:
            return "Nội dung đã bị thay đổi sau khi ký";
        case errc::algorithm_forbidden:
            return "Thuật toán ký không được phép";
        case errc::certificate_untrusted:
            return "Chứng thư số không được tin cậy";
        case errc::certificate_expired:
            return "Chứng thư số đã hết hạn";
        case errc::certificate_revoked:
            return "Chứng thư số đã bị thu hồi";
        case errc::signer_not_sender:
            return "Người ký không thuộc đơn vị gửi";
        case errc::signature_wrapping:
            return "Chữ ký số bị bọc sai vị trí";
        case errc::document_unsigned:
            return "Văn bản chưa được ký số";
        case errc::document_signature_invalid:
            return "Chữ ký số trên văn bản không hợp lệ";
        case errc::document_signer_not_sender:
            return "Người ký văn bản không thuộc đơn vị gửi";
        case errc::unknown_recipient:
            return "Đơn vị nhận không có trong danh bạ";
        case errc::duplicate_document:
            return "Văn bản trùng mã với văn bản đã nhận";
        case errc::unauthenticated:
            return "Chưa xác thực";
        case errc::forbidden:
            return "Không có quyền";
        case errc::sender_mismatch:
            return "Đơn vị gửi không khớp với tài khoản";
        case errc::unsupported_media_type:
            return "Kiểu nội dung không được hỗ trợ";
        case errc::payload_too_large:
            return "Gói tin quá lớn";
        case errc::rate_limited:
            return "Gửi quá nhiều yêu cầu";
        case errc::not_found:
            return "Không tìm thấy";
        case errc::method_not_allowed:
            return "Phương thức không được phép";
        case errc::invalid_request:
            return "Yêu cầu không hợp lệ";
        case errc::malformed_request:
            return "Yêu cầu HTTP sai định dạng";
        case errc::header_too_large:
            return "Phần đầu yêu cầu quá lớn";
        case errc::broker_unavailable:
            return "Trục liên thông tạm thời không sẵn sàng";
        case errc::server_busy:
            return "Máy chủ đang bận";
        case errc::internal:
            return "Lỗi nội bộ của trục liên thông";
    }
    return "Lỗi nội bộ của trục liên thông";
}

}  // namespace

std::string_view problem_title(core::errc code, language l) noexcept {
    if (l == language::vi) {
        return vietnamese_title(code);
    }
    return beast_http::obsolete_reason(http_status(code));
}

void localize_problem(response& res, language l) {
    // make_problem, which builds every problem, already says Vary: Accept-Language.
    if (l == language::en || res[beast_http::field::content_type] != "application/problem+json") {
        return;
    }
    boost::system::error_code ec;
    auto body = boost::json::parse(res.body(), ec);
    if (ec || !body.is_object() || !body.as_object().contains("type")) {
        return;
    }
    auto& o = body.as_object();
    const auto* slug = o["type"].if_string();
    const auto code = slug ? core::errc_of_slug(*slug) : std::nullopt;
    if (!code) {
        return;
    }
    o["title"] = std::string(problem_title(*code, l));
    res.body() = boost::json::serialize(o);
    res.set(beast_http::field::content_language, language_tag(l));
    res.set(beast_http::field::vary, "Accept-Language");
    res.prepare_payload();
}

}  // namespace lienthong::bus::http
