#include "support/axis_capture.hpp"

#include <fstream>
#include <regex>
#include <stdexcept>

namespace lienthong::test {

std::string captured_request::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

std::string axis_capture_path() {
    return LIENTHONG_TEST_DATA_DIR "/edxml-real/wire/vnpt-sdkvxp-2.0.1_requests.txt";
}

std::string capture_packet_path() {
    return LIENTHONG_TEST_DATA_DIR "/edxml-real/edoc/sdk_minimal.edxml";
}

std::vector<captured_request> read_axis_capture(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    static const std::regex request_line(
        R"(^([A-Z]+) (/\S*)\s+\(body (\d+) bytes, sha256 ([0-9a-f]{64})\)\s*$)");
    static const std::regex body_line(R"(^  \[body\] '(.*)'\s*$)");
    static const std::regex header_line(R"(^  ([^:\s]+): (.*)$)");
    std::vector<captured_request> out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (std::regex_match(line, m, request_line)) {
            out.push_back({m[1], m[2], std::stoul(m[3]), m[4], {}, std::nullopt});
        } else if (!out.empty() && std::regex_match(line, m, body_line)) {
            out.back().body = m[1];
        } else if (!out.empty() && std::regex_match(line, m, header_line)) {
            out.back().headers.emplace_back(m[1], m[2]);
        } else {
            throw std::runtime_error(path + ":" + std::to_string(n) + ": unreadable line");
        }
    }
    return out;
}

}  // namespace lienthong::test
