#include "config/yaml_reader.hpp"

#include <algorithm>
#include <set>

namespace lienthong::bus::config {

std::string yaml_reader::key_path(const std::string& key) const {
    if (path_.empty()) {
        return key;
    }
    return path_ + "." + key;
}

void yaml_reader::error(const std::string& key, const std::string& message) const {
    errors_->push_back((key.empty() ? path_ : key_path(key)) + ": " + message);
}

void yaml_reader::allow_only(std::initializer_list<std::string_view> known) {
    if (!node_ || node_.IsNull()) {
        return;
    }
    if (!node_.IsMap()) {
        errors_->push_back((path_.empty() ? "(top level)" : path_) + ": must be a mapping");
        return;
    }
    std::set<std::string> seen;
    for (const auto& kv : node_) {
        const auto key = kv.first.as<std::string>("");
        // yaml-cpp keeps both entries of a repeated key and lookups find the first, so a section
        // appended to the end of a file would be ignored without a word.
        if (!seen.insert(key).second) {
            error(key, "given twice; keep one (the later one would be ignored)");
        }
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            std::string list;
            for (auto k : known) {
                list += (list.empty() ? "" : ", ") + std::string(k);
            }
            error(key, "unknown key (known keys: " + list + ")");
        }
    }
}

bool yaml_reader::has(const std::string& key) const {
    return node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull();
}

yaml_reader yaml_reader::child(const std::string& key) const {
    // An absent key yields a null node: yaml-cpp's "zombie" nodes throw on every query.
    return yaml_reader(has(key) ? node_[key] : YAML::Node(), key_path(key), *errors_);
}

void yaml_reader::each(const std::string& key, const std::function<void(yaml_reader)>& fn) const {
    if (!has(key)) {
        return;
    }
    const YAML::Node seq = node_[key];
    if (!seq.IsSequence()) {
        error(key, "must be a list");
        return;
    }
    for (std::size_t i = 0; i < seq.size(); ++i) {
        fn(yaml_reader(seq[i], key_path(key) + "[" + std::to_string(i) + "]", *errors_));
    }
}

void yaml_reader::read(const std::string& key, std::string& out, bool required) const {
    if (!has(key)) {
        if (required) {
            error(key, "is required");
        }
        return;
    }
    const YAML::Node n = node_[key];
    if (!n.IsScalar()) {
        error(key, "must be a string");
        return;
    }
    out = n.Scalar();
    if (required && out.empty()) {
        error(key, "must not be empty");
    }
}

void yaml_reader::read(const std::string& key, bool& out) const {
    if (!has(key)) {
        return;
    }
    const YAML::Node n = node_[key];
    bool v = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
        error(key, "must be true or false");
        return;
    }
    out = v;
}

void yaml_reader::read(const std::string& key, std::int64_t& out, std::int64_t min,
                       std::int64_t max) const {
    if (!has(key)) {
        return;
    }
    const YAML::Node n = node_[key];
    std::int64_t v = 0;
    if (!n.IsScalar() || !YAML::convert<std::int64_t>::decode(n, v) || v < min || v > max) {
        error(key, "must be an integer in " + std::to_string(min) + ".." + std::to_string(max));
        return;
    }
    out = v;
}

void yaml_reader::read(const std::string& key, std::vector<std::int64_t>& out, std::int64_t min,
                       std::int64_t max) const {
    if (!has(key)) {
        return;
    }
    const YAML::Node n = node_[key];
    if (!n.IsSequence()) {
        error(key, "must be a list of integers");
        return;
    }
    out.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
        std::int64_t v = 0;
        if (!n[i].IsScalar() || !YAML::convert<std::int64_t>::decode(n[i], v) || v < min ||
            v > max) {
            error(key + "[" + std::to_string(i) + "]",
                  "must be an integer in " + std::to_string(min) + ".." + std::to_string(max));
            continue;
        }
        out.push_back(v);
    }
}

void yaml_reader::read(const std::string& key, std::vector<std::string>& out) const {
    if (!has(key)) {
        return;
    }
    const YAML::Node n = node_[key];
    if (!n.IsSequence()) {
        error(key, "must be a list of strings");
        return;
    }
    out.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
        if (!n[i].IsScalar()) {
            error(key + "[" + std::to_string(i) + "]", "must be a string");
            continue;
        }
        out.push_back(n[i].Scalar());
    }
}

}  // namespace lienthong::bus::config
