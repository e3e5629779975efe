#pragma once
// The packet files of lienthong-bench-packets: records "<length>\n<bytes>".
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace lienthong::bench {

/// Reads at most `limit` packets (0 = all); throws std::runtime_error if the file is unreadable
/// or holds none.
inline std::vector<std::string> read_packets(const std::string& path, std::size_t limit = 0) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::vector<std::string> packets;
    std::size_t length = 0;
    while ((limit == 0 || packets.size() < limit) && in >> length && in.get() == '\n') {
        std::string packet(length, '\0');
        if (!in.read(packet.data(), static_cast<std::streamsize>(length))) {
            throw std::runtime_error(path + ": truncated packet");
        }
        packets.push_back(std::move(packet));
    }
    if (packets.empty()) {
        throw std::runtime_error(path + ": no packets");
    }
    return packets;
}

}  // namespace lienthong::bench
