#include "adapters/directory_drop/directory_drop_adapter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>

namespace lienthong::adapters::directory_drop {

namespace {

struct fd_closer {
    int fd;
    ~fd_closer() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

delivery_result failed(const std::string& what) {
    return {outcome::retryable_failure, what + ": " + std::strerror(errno)};
}

bool is_safe_file_name(const std::string& id) {
    // The id is ours (a UUID), but it names a file: never let it climb out of the folder.
    return !id.empty() && id.find('/') == std::string::npos && id != "." && id != "..";
}

}  // namespace

void directory_drop_adapter::start() {
    std::error_code ec;
    std::filesystem::create_directories(config_.path, ec);
}

// Writes `bytes` to `final_path` through a temporary file and a rename, so that a reader never
// sees half a file; fsyncs the file (and, after the rename, the folder) when configured.
std::optional<delivery_result> directory_drop_adapter::write_atomically(
    const std::string& final_path, const std::string& temp_path, std::string_view bytes) const {
    {
        fd_closer f{::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
        if (f.fd < 0) {
            return failed("cannot create " + temp_path);
        }
        const char* p = bytes.data();
        std::size_t left = bytes.size();
        while (left > 0) {
            const auto n = ::write(f.fd, p, left);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                auto r = failed("cannot write " + temp_path);
                ::unlink(temp_path.c_str());
                return r;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        if (config_.fsync && ::fsync(f.fd) != 0) {
            auto r = failed("cannot fsync " + temp_path);
            ::unlink(temp_path.c_str());
            return r;
        }
    }
    if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
        auto r = failed("cannot rename to " + final_path);
        ::unlink(temp_path.c_str());
        return r;
    }
    if (config_.fsync) {
        // The rename is durable only once the folder entry is on disk.
        fd_closer dir{::open(config_.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
        if (dir.fd < 0 || ::fsync(dir.fd) != 0) {
            return failed("cannot fsync folder " + config_.path);
        }
    }
    return std::nullopt;
}

delivery_result directory_drop_adapter::deliver(const delivery& d) {
    if (!is_safe_file_name(d.id)) {
        return {outcome::permanent_failure, "document id is not a safe file name"};
    }
    // The sidecar first: whoever picks up <id>.edxml finds <id>.signatures.json beside it.
    if (!d.document_verdicts.empty()) {
        if (auto failure = write_atomically(config_.path + "/" + d.id + ".signatures.json",
                                            config_.path + "/." + d.id + ".signatures.json.tmp",
                                            d.document_verdicts)) {
            return *failure;
        }
    }
    if (auto failure = write_atomically(config_.path + "/" + d.id + ".edxml",
                                        config_.path + "/." + d.id + ".edxml.tmp", *d.packet)) {
        return *failure;
    }
    return {outcome::delivered, {}};
}

}  // namespace lienthong::adapters::directory_drop
