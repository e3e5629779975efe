#include "pdf/attachment_decoder.hpp"

#include <zip.h>

#include <array>
#include <memory>

namespace lienthong::bus::pdf {
namespace {

using core::errc;
using core::fail;

struct zip_deleter {
    void operator()(zip_t* z) const noexcept { zip_discard(z); }
};
using zip_ptr = std::unique_ptr<zip_t, zip_deleter>;

struct zip_file_deleter {
    void operator()(zip_file_t* f) const noexcept { zip_fclose(f); }
};
using zip_file_ptr = std::unique_ptr<zip_file_t, zip_file_deleter>;

struct zip_source_deleter {
    void operator()(zip_source_t* s) const noexcept { zip_source_free(s); }
};
using zip_source_ptr = std::unique_ptr<zip_source_t, zip_source_deleter>;

int base64_value(unsigned char c) noexcept {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

bool is_space(unsigned char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Reads one entry, at most `cap` bytes; a longer entry fails instead of growing.
core::result<std::string> read_entry(zip_t* z, zip_uint64_t index, std::size_t cap) {
    zip_file_ptr file{zip_fopen_index(z, index, 0)};
    if (!file) {
        return fail(errc::invalid_request, "a zip entry cannot be read (encrypted or damaged)");
    }
    std::string out;
    std::array<char, 64 * 1024> buf{};
    for (;;) {
        const zip_int64_t n = zip_fread(file.get(), buf.data(), buf.size());
        if (n < 0) {
            return fail(errc::invalid_request, "a zip entry is damaged");
        }
        if (n == 0) {
            return out;
        }
        if (out.size() + static_cast<std::size_t>(n) > cap) {
            return fail(errc::payload_too_large, "a zip entry inflates beyond the size bound");
        }
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
}

}  // namespace

core::result<std::string> decode_base64(std::string_view text) {
    std::string out;
    out.reserve(text.size() / 4 * 3);
    std::uint32_t group = 0;
    int in_group = 0;
    int padding = 0;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_space(c)) {
            continue;
        }
        if (c == '=') {
            ++padding;
            group <<= 6;
            ++in_group;
        } else {
            const int v = base64_value(c);
            if (v < 0 || padding > 0) {
                return fail(errc::invalid_request, "the attachment is not valid base64");
            }
            group = (group << 6) | static_cast<std::uint32_t>(v);
            ++in_group;
        }
        if (in_group == 4) {
            if (padding > 2) {
                return fail(errc::invalid_request, "the attachment is not valid base64");
            }
            out.push_back(static_cast<char>((group >> 16) & 0xff));
            if (padding < 2) {
                out.push_back(static_cast<char>((group >> 8) & 0xff));
            }
            if (padding < 1) {
                out.push_back(static_cast<char>(group & 0xff));
            }
            group = 0;
            in_group = 0;
        }
    }
    if (in_group != 0) {
        return fail(errc::invalid_request, "the attachment is not valid base64 (length)");
    }
    return out;
}

bool looks_like_zip(std::string_view bytes) noexcept {
    return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view{"PK\x03\x04", 4};
}

core::result<std::vector<decoded_file>> unzip(std::string_view archive,
                                              const decode_limits& limits) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_ptr source{zip_source_buffer_create(archive.data(), archive.size(), 0, &error)};
    zip_error_fini(&error);
    if (!source) {
        return fail(errc::internal, "cannot open the zip buffer");
    }
    zip_error_init(&error);
    zip_ptr z{zip_open_from_source(source.get(), ZIP_RDONLY | ZIP_CHECKCONS, &error)};
    zip_error_fini(&error);
    if (!z) {
        return fail(errc::invalid_request, "the attachment is not a readable zip archive");
    }
    source.release();  // owned by the archive now
    const zip_int64_t count = zip_get_num_entries(z.get(), 0);
    if (count < 0 || static_cast<std::size_t>(count) > limits.max_entries) {
        return fail(errc::payload_too_large, "the zip has more entries than allowed");
    }
    std::vector<decoded_file> files;
    std::size_t total = 0;
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
            (st.valid & ZIP_STAT_NAME) == 0) {
            return fail(errc::invalid_request, "a zip entry cannot be read");
        }
        const std::string name = st.name;
        if (!name.empty() && name.back() == '/') {
            continue;
        }
        // The declared sizes only shrink the cap; the read itself enforces it.
        std::size_t cap = std::min(limits.max_file_bytes, limits.max_total_bytes - total);
        if ((st.valid & ZIP_STAT_COMP_SIZE) != 0) {
            const auto by_ratio = static_cast<std::size_t>(st.comp_size) * limits.max_ratio;
            cap = std::min(cap, std::max<std::size_t>(by_ratio, 1024 * 1024));
        }
        auto bytes = read_entry(z.get(), static_cast<zip_uint64_t>(i), cap);
        if (!bytes) {
            return std::move(bytes).error();
        }
        total += bytes->size();
        files.push_back({name, std::move(*bytes)});
    }
    return files;
}

core::result<std::vector<decoded_file>> decode_attachment(std::string_view encoded,
                                                          const decode_limits& limits) {
    auto bytes = decode_base64(encoded);
    if (!bytes) {
        return std::move(bytes).error();
    }
    if (bytes->size() > limits.max_file_bytes) {
        return fail(errc::payload_too_large, "the attachment is larger than allowed");
    }
    if (looks_like_zip(*bytes)) {
        return unzip(*bytes, limits);
    }
    std::vector<decoded_file> files;
    files.push_back({"", std::move(*bytes)});
    return files;
}

}  // namespace lienthong::bus::pdf
