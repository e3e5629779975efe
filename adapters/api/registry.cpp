#include "adapters/api/registry.hpp"

#include <stdexcept>

namespace lienthong::adapters {

void registry::add(std::string type, std::unique_ptr<adapter_factory> factory) {
    if (!factories_.emplace(type, std::move(factory)).second) {
        throw std::logic_error("adapter type registered twice: " + type);
    }
}

const adapter_factory* registry::find(const std::string& type) const {
    auto it = factories_.find(type);
    return it == factories_.end() ? nullptr : it->second.get();
}

std::vector<std::string> registry::types() const {
    std::vector<std::string> out;
    for (const auto& [name, f] : factories_) {
        out.push_back(name);
    }
    return out;
}

std::string registry::unknown_type_message(const std::string& type) const {
    std::string known;
    for (const auto& name : types()) {
        known += (known.empty() ? "" : ", ") + name;
    }
    return "unknown adapter type '" + type + "' (known: " + (known.empty() ? "none" : known) + ")";
}

void registry::validate(const std::string& type, const settings& s, const std::string& path,
                        std::vector<std::string>& errors) const {
    const auto* factory = find(type);
    if (!factory) {
        errors.push_back(path + ".type: " + unknown_type_message(type));
        return;
    }
    factory->validate(s, path + ".settings", errors);
}

}  // namespace lienthong::adapters
