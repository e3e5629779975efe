#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "routing/directory.hpp"
#include "xml/libxml.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"

/// The steps that document ingest (ingest.hpp) and status intake (status_intake.hpp) share. Each
/// pipeline is a short run of named steps; the ones here do not depend on the packet's kind.
namespace lienthong::bus::pipeline {

/// Where a packet came from: an agency of the province that authenticated on the REST API, or
/// the national axis (polled by adapters/national_axis/inbound_poller, nobody to authenticate).
/// Replaces a nullable caller as the mode switch of the pipelines.
class origin final {
  public:
    static origin agency(std::string code) { return origin(std::move(code), false); }
    static origin national_axis();

    bool is_national_axis() const noexcept { return axis_; }
    /// The agency code, or routing::national_axis_route for the axis (as recorded on journeys).
    const std::string& name() const noexcept { return name_; }

  private:
    origin(std::string name, bool axis) : name_(std::move(name)), axis_(axis) {}
    std::string name_;
    bool axis_;
};

/// A fresh bus id (UUID v4, lowercase, 36 characters). Thread-safe.
std::string new_bus_id();

/// Step "parse": parse safely (UTF-8 only, size and depth caps, no DTD: packet_parser.hpp) and
/// validate against the packet kind's XSD (QCVN 102:2016 as real senders write it). Errors: those
/// of xml::parse_packet and schema_validator::validate. Thread-safe.
core::result<xml::doc_ptr> parse_and_validate(std::string_view packet,
                                              const xml::parse_limits& limits,
                                              const xml::schema_validator& schema);

/// Step "sender": From/OrganId speaks for the packet's origin. An agency posts only as itself; a
/// packet from the national axis never speaks for an agency of the province (nobody on the axis
/// may). `local_endpoint` names where local agencies send this kind, for the message (e.g.
/// "POST /v1/documents"). Errors: sender_mismatch, field From/OrganId. Thread-safe.
core::result<void> check_sender(const origin& from, const std::string& from_organ_id,
                                const routing::directory& directory,
                                std::string_view local_endpoint);

}  // namespace lienthong::bus::pipeline
