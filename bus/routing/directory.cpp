#include "routing/directory.hpp"

#include <yaml-cpp/yaml.h>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"
#include "xml/edxml_header.hpp"

namespace lienthong::bus::routing {

directory::directory(std::vector<agency> agencies) : agencies_(std::move(agencies)) {
    for (std::size_t i = 0; i < agencies_.size(); ++i) {
        by_code_.emplace(agencies_[i].code, i);
    }
}

const agency* directory::find(const std::string& code) const {
    auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : &agencies_[it->second];
}

directory directory::load(const std::string& path) {
    std::vector<std::string> errors;
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        throw config::config_error({path + ": " + e.what()});
    }
    config::yaml_reader top(root, "", errors);
    top.allow_only({"agencies"});
    std::vector<agency> agencies;
    std::map<std::string, std::string> seen;  // code -> key path of its first definition
    top.each("agencies", [&](config::yaml_reader r) {
        r.allow_only({"code", "name", "level", "parent"});
        agency a;
        std::string level;
        r.read("code", a.code, true);
        r.read("name", a.name, true);
        r.read("level", level, true);
        r.read("parent", a.parent);
        if (!a.code.empty() && !xml::is_valid_organ_id(a.code)) {
            r.error("code", "'" + a.code + "' is not a valid OrganId (e.g. 000.00.01.H41)");
        }
        if (auto [it, fresh] = seen.emplace(a.code, r.path()); !fresh) {
            r.error("code", "duplicate of " + it->second);
        }
        static const std::map<std::string, agency_level> levels{
            {"province", agency_level::province},
            {"department", agency_level::department},
            {"district", agency_level::district},
            {"commune", agency_level::commune}};
        if (auto it = levels.find(level); it != levels.end()) {
            a.level = it->second;
        } else if (!level.empty()) {
            r.error("level", "must be one of province, department, district, commune");
        }
        agencies.push_back(std::move(a));
    });
    if (agencies.empty()) {
        top.error("agencies", "must list at least one agency");
    }
    for (std::size_t i = 0; i < agencies.size(); ++i) {
        const auto& p = agencies[i].parent;
        if (!p.empty() && !seen.count(p)) {
            errors.push_back("agencies[" + std::to_string(i) + "].parent: '" + p +
                             "' is not an agency of this directory");
        }
    }
    if (!errors.empty()) {
        throw config::config_error(std::move(errors));
    }
    return directory(std::move(agencies));
}

}  // namespace lienthong::bus::routing
