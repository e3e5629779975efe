#pragma once
// Strict YAML reading: every key must be known, every value well-typed, and every problem is
// collected with its key path (e.g. "broker.port: must be an integer in 1..65535") so that one
// start-up attempt reports them all. Each config section (and each adapter) reads its own part
// through this class.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace lienthong::bus::config {

class yaml_reader final {
  public:
    yaml_reader(YAML::Node node, std::string path, std::vector<std::string>& errors)
        : node_(std::move(node)), path_(std::move(path)), errors_(&errors) {}

    /// Reports every key of this mapping that is not in `known`.
    void allow_only(std::initializer_list<std::string_view> known);

    bool has(const std::string& key) const;
    yaml_reader child(const std::string& key) const;
    /// Calls `each` for every element of the sequence under `key` (absent key = empty list).
    void each(const std::string& key, const std::function<void(yaml_reader)>& each) const;

    void read(const std::string& key, std::string& out, bool required = false) const;
    void read(const std::string& key, bool& out) const;
    void read(const std::string& key, std::int64_t& out, std::int64_t min, std::int64_t max) const;
    template <class Int>
    void read_int(const std::string& key, Int& out, std::int64_t min, std::int64_t max) const {
        std::int64_t v = static_cast<std::int64_t>(out);
        read(key, v, min, max);
        out = static_cast<Int>(v);
    }
    void read(const std::string& key, std::vector<std::string>& out) const;
    /// A list of integers, each in min..max; replaces `out` when the key is present.
    void read(const std::string& key, std::vector<std::int64_t>& out, std::int64_t min,
              std::int64_t max) const;

    void error(const std::string& key, const std::string& message) const;
    const std::string& path() const { return path_; }
    bool is_map() const { return node_.IsMap(); }
    const YAML::Node& node() const { return node_; }

  private:
    std::string key_path(const std::string& key) const;
    YAML::Node node_;
    std::string path_;
    std::vector<std::string>* errors_;
};

}  // namespace lienthong::bus::config
