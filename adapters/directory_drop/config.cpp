#include "adapters/directory_drop/config.hpp"

#include <filesystem>

#include "adapters/directory_drop/directory_drop_adapter.hpp"

namespace lienthong::adapters::directory_drop {

void factory::validate(const settings& s, const std::string& path,
                       std::vector<std::string>& errors) const {
    for (const auto& [key, value] : s) {
        if (key != "path" && key != "fsync") {
            errors.push_back(path + "." + key + ": unknown setting (known: path, fsync)");
        }
    }
    auto it = s.find("path");
    if (it == s.end() || it->second.empty()) {
        errors.push_back(path + ".path: is required");
    } else if (!std::filesystem::path(it->second).is_absolute()) {
        errors.push_back(path + ".path: must be an absolute folder path");
    }
    if (auto f = s.find("fsync"); f != s.end() && f->second != "true" && f->second != "false") {
        errors.push_back(path + ".fsync: must be true or false");
    }
}

config factory::parse(const settings& s) {
    config c;
    c.path = s.at("path");
    if (auto f = s.find("fsync"); f != s.end()) {
        c.fsync = f->second == "true";
    }
    return c;
}

std::unique_ptr<adapter> factory::create(const settings& s) const {
    return std::make_unique<directory_drop_adapter>(parse(s));
}

}  // namespace lienthong::adapters::directory_drop
