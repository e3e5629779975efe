#include "pipeline/intake_steps.hpp"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "routing/router.hpp"

namespace lienthong::bus::pipeline {

origin origin::national_axis() { return origin(routing::national_axis_route, true); }

std::string new_bus_id() {
    // A generator per call: cheap next to the checks, and no shared mutable state.
    boost::uuids::random_generator gen;
    return boost::uuids::to_string(gen());
}

core::result<xml::doc_ptr> parse_and_validate(std::string_view packet,
                                              const xml::parse_limits& limits,
                                              const xml::schema_validator& schema) {
    auto doc = xml::parse_packet(packet, limits);
    if (!doc) {
        return std::move(doc).error();
    }
    if (auto valid = schema.validate(doc->get()); !valid) {
        return std::move(valid).error();
    }
    return doc;
}

core::result<void> check_sender(const origin& from, const std::string& from_organ_id,
                                const routing::directory& directory,
                                std::string_view local_endpoint) {
    if (from.is_national_axis() && directory.find(from_organ_id) != nullptr) {
        return core::fail(core::errc::sender_mismatch,
                          "From/OrganId '" + from_organ_id +
                              "' is an agency of this province: its packets come through " +
                              std::string(local_endpoint) + ", never from the national axis",
                          "From/OrganId");
    }
    if (!from.is_national_axis() && from_organ_id != from.name()) {
        return core::fail(core::errc::sender_mismatch,
                          "From/OrganId '" + from_organ_id + "' is not the authenticated agency '" +
                              from.name() + "'",
                          "From/OrganId");
    }
    return {};
}

}  // namespace lienthong::bus::pipeline
