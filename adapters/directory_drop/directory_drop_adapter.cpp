#include "adapters/directory_drop/directory_drop_adapter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

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

delivery_result directory_drop_adapter::deliver(const delivery& d) {
    if (!is_safe_file_name(d.id)) {
        return {outcome::permanent_failure, "document id is not a safe file name"};
    }
    const std::string final_path = config_.path + "/" + d.id + ".edxml";
    const std::string temp_path = config_.path + "/." + d.id + ".edxml.tmp";
    {
        fd_closer f{::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
        if (f.fd < 0) {
            return failed("cannot create " + temp_path);
        }
        const char* p = d.packet->data();
        std::size_t left = d.packet->size();
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
    return {outcome::delivered, {}};
}

}  // namespace lienthong::adapters::directory_drop
