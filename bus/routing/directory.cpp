#include "routing/directory.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"
#include "xml/edxml_header.hpp"

namespace lienthong::bus::routing {

std::string_view policy_name(envelope_policy p) noexcept {
    switch (p) {
        case envelope_policy::required:
            return "required";
        case envelope_policy::if_present:
            return "if_present";
        case envelope_policy::off:
            return "off";
    }
    return "required";
}

directory::directory(std::vector<agency> agencies, std::optional<subscription> national_axis,
                     envelope_rules axis_inbound) {
    auto c = std::make_unique<contents>(
        contents{std::move(agencies), std::move(national_axis), axis_inbound, {}});
    for (std::size_t i = 0; i < c->agencies.size(); ++i) {
        c->by_code.emplace(c->agencies[i].code, i);
    }
    current_.store(c.get(), std::memory_order_release);
    generations_.push_back(std::move(c));
}

directory::directory(directory&& other) noexcept
    : generations_(std::move(other.generations_)), current_(other.current()) {}

void directory::replace(directory&& fresh) {
    for (auto& g : fresh.generations_) {
        generations_.push_back(std::move(g));
    }
    current_.store(generations_.back().get(), std::memory_order_release);
}

envelope_rules directory::envelope_for(const std::string& sender) const {
    const agency* a = find(sender);
    return a != nullptr ? a->envelope : envelope_rules{};
}

document_policy directory::documents_for(const std::string& sender) const {
    const agency* a = find(sender);
    return a != nullptr ? a->documents : document_policy::record;
}

std::string_view policy_name(document_policy p) noexcept {
    return p == document_policy::required ? "required" : "record";
}

namespace {

void read_document_policy(config::yaml_reader& r, document_policy& policy) {
    std::string name;
    r.read("document_signature", name);
    if (name == "required") {
        policy = document_policy::required;
    } else if (name == "record" || name.empty()) {
        policy = document_policy::record;
    } else {
        r.error("document_signature", "must be one of record, required");
    }
}

/// `envelope_signature` and `allow_sha1` of an agency or of the national_axis section.
void read_envelope_rules(config::yaml_reader& r, envelope_rules& rules) {
    std::string policy;
    r.read("envelope_signature", policy);
    static const std::map<std::string, envelope_policy> policies{
        {"required", envelope_policy::required},
        {"if_present", envelope_policy::if_present},
        {"off", envelope_policy::off}};
    if (auto it = policies.find(policy); it != policies.end()) {
        rules.policy = it->second;
    } else if (!policy.empty()) {
        r.error("envelope_signature", "must be one of required, if_present, off");
    }
    r.read("allow_sha1", rules.allow_sha1);
}

/// One delivery subscription: `type` (unless implied), `settings` (flat scalars, checked later by
/// the adapter's factory) and an optional `retry_schedule_ms` list.
subscription read_subscription(config::yaml_reader s, bool with_type) {
    subscription sub;
    if (with_type) {
        s.allow_only({"type", "settings", "retry_schedule_ms"});
        s.read("type", sub.type, true);
    } else {
        // The national_axis section; it also holds the envelope rules of inbound documents.
        s.allow_only({"settings", "retry_schedule_ms", "envelope_signature", "allow_sha1"});
    }
    auto settings = s.child("settings");
    if (settings.is_map()) {
        for (const auto& kv : settings.node()) {
            if (!kv.second.IsScalar()) {
                settings.error(kv.first.Scalar(), "must be a string, number or boolean");
                continue;
            }
            sub.settings[kv.first.Scalar()] = kv.second.Scalar();
        }
    } else if (s.has("settings")) {
        s.error("settings", "must be a mapping of setting names to values");
    }
    // Bounded: RabbitMQ message TTLs are 32-bit, and a step over a week is a typo.
    s.read("retry_schedule_ms", sub.retry_schedule_ms, 100, 7LL * 24 * 3600 * 1000);
    return sub;
}

}  // namespace

const agency* directory::find(const std::string& code) const {
    const auto* c = current();
    auto it = c->by_code.find(code);
    return it == c->by_code.end() ? nullptr : &c->agencies[it->second];
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
    top.allow_only({"agencies", "national_axis"});
    std::optional<subscription> national_axis;
    envelope_rules axis_inbound{envelope_policy::if_present, false};
    if (top.has("national_axis")) {
        auto section = top.child("national_axis");
        national_axis = read_subscription(section, false);
        national_axis->type = "national_axis";
        read_envelope_rules(section, axis_inbound);
    }
    std::vector<agency> agencies;
    std::map<std::string, std::string> seen;  // code -> key path of its first definition
    top.each("agencies", [&](config::yaml_reader r) {
        r.allow_only({"code", "name", "level", "parent", "fingerprints", "subscriptions",
                      "envelope_signature", "allow_sha1", "document_signature"});
        agency a;
        std::string level;
        r.read("code", a.code, true);
        r.read("name", a.name, true);
        r.read("level", level, true);
        r.read("parent", a.parent);
        r.read("fingerprints", a.fingerprints);
        read_envelope_rules(r, a.envelope);
        read_document_policy(r, a.documents);
        for (auto& fp : a.fingerprints) {
            // Accept the colon-separated upper-case form `openssl x509 -fingerprint` prints.
            std::erase(fp, ':');
            std::transform(fp.begin(), fp.end(), fp.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            static const std::regex hex64("^[0-9a-f]{64}$");
            if (!std::regex_match(fp, hex64)) {
                r.error("fingerprints",
                        "'" + fp + "' is not a SHA-256 fingerprint (64 hex digits)");
            }
        }
        r.each("subscriptions", [&](config::yaml_reader s) {
            a.subscriptions.push_back(read_subscription(s, true));
        });
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
    return directory(std::move(agencies), std::move(national_axis), axis_inbound);
}

}  // namespace lienthong::bus::routing
