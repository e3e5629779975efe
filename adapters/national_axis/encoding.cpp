// The byte-level encodings of the national-axis protocol (protocol.hpp): digests in the two hex
// forms, base64, the SDK's timestamp and header-safe text.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "adapters/national_axis/protocol.hpp"

namespace lienthong::adapters::national_axis {

namespace {

std::string to_hex(const unsigned char* bytes, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0x0f];
    }
    return out;
}

}  // namespace

std::string_view messagetype_of(message_kind kind) {
    return kind == message_kind::status ? "status" : "edoc";
}

std::string sdk_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x10) {
            out += digits[b >> 4];
        }
        out += digits[b & 0x0f];
    }
    return out;
}

std::string sdk_hash_file(std::string_view packet) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> md{};
    SHA256(reinterpret_cast<const unsigned char*>(packet.data()), packet.size(), md.data());
    return sdk_hex(std::string_view(reinterpret_cast<const char*>(md.data()), md.size()));
}

std::string upload_body(std::string_view packet) {
    std::string body;
    body.reserve(packet.size() + upload_trailer.size());
    body.append(packet).append(upload_trailer);
    return body;
}

std::string_view packet_of_upload(std::string_view body) {
    if (body.ends_with(upload_trailer)) {
        body.remove_suffix(upload_trailer.size());
    }
    return body;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data(),
             &len) == nullptr) {
        return {};
    }
    return to_hex(md.data(), len);
}

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    for (char c : text) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            clean += c;
        }
    }
    if (clean.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out(clean.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(clean.data()),
                                  static_cast<int>(clean.size()));
    if (n < 0) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts the padding as zero bytes.
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t i = clean.size(); i > 0 && clean[i - 1] == '=' && size > 0; --i) {
        --size;
    }
    out.resize(size);
    return out;
}

std::string axis_timestamp(std::chrono::system_clock::time_point t) {
    const auto secs = std::chrono::system_clock::to_time_t(t);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()) %
              std::chrono::seconds(1);
    if (ms.count() < 0) {
        ms += std::chrono::seconds(1);  // before 1970: to_time_t rounded towards zero
    }
    std::tm tm{};
    localtime_r(&secs, &tm);  // the Java client formats in the host's default zone
    std::array<char, 48> buf{};
    std::snprintf(buf.data(), buf.size(), "%02d%02d%04dT%02d%02d%02d+%04d", tm.tm_mday,
                  tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms.count()));
    return buf.data();
}

std::string header_safe(std::string_view text, std::size_t max) {
    std::string out;
    bool in_run = false;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        const bool printable = b >= 0x20 && b <= 0x7e;
        if (printable) {
            out += c;
        } else if (!in_run) {
            out += '?';
        }
        in_run = !printable;
    }
    const auto first = out.find_first_not_of(' ');
    out = first == std::string::npos ? std::string{} : out.substr(first);
    if (out.size() > max) {
        out.resize(max);
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

}  // namespace lienthong::adapters::national_axis
