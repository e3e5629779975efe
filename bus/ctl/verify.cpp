// lienthongctl validate / verify: the bus's own checks, offline, for integrators.
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include "crypto/signature_verifier.hpp"
#include "ctl/commands.hpp"
#include "pipeline/signer_binding.hpp"
#include "routing/directory.hpp"
#include "xml/edxml_header.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"
#include "xml/status_header.hpp"

namespace lienthong::ctl {

namespace {

using bus::crypto::signer_info;

int verify_usage() {
    std::cerr << command_help("verify");
    return 2;
}

// "YYYY-MM-DD HH:MM:SS", UTC.
std::optional<std::time_t> parse_utc(const std::string& text) {
    std::tm tm{};
    std::istringstream in(text);
    in >> std::get_time(&tm, "%Y-%m-%d %H:%M:%S");
    if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
        return std::nullopt;
    }
    return timegm(&tm);
}

// One JSON line per file: the verdict and, when rejected, the stable type and what to fix.
void print_verdict(const std::string& file, const core::result<signer_info>& verdict,
                   std::string_view kind = {}) {
    boost::json::object line{{"file", file}};
    if (!kind.empty()) {
        line["kind"] = kind;
    }
    line["valid"] = verdict.has_value();
    if (verdict) {
        if (!verdict->subject.empty()) {
            line["signer"] = verdict->subject;
        }
    } else {
        line["type"] = std::string(core::type_slug(verdict.error().code));
        std::string detail = verdict.error().message;
        for (const auto& i : verdict.error().issues) {
            detail += "; line " + std::to_string(i.line) + " " + i.path + ": " + i.message;
        }
        line["detail"] = detail;
    }
    std::cout << boost::json::serialize(line) << "\n";
}

core::result<bus::xml::doc_ptr> read_and_parse(const std::string& file) {
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (!std::filesystem::exists(status)) {
        return core::fail(core::errc::not_found, "no such file");
    }
    if (std::filesystem::is_directory(status)) {
        return core::fail(core::errc::invalid_request, "is a folder, not a packet file");
    }
    std::string bytes;
    if (!read_file(file, bytes)) {
        return core::fail(core::errc::internal,
                          std::string("cannot read the file: ") + std::strerror(errno));
    }
    // The bus's own parser and caps: no DOCTYPE, no entities, no network.
    return bus::xml::parse_packet(bytes, {});
}

}  // namespace

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

int cmd_validate(const std::vector<std::string>& args) {
    std::string schemas = LIENTHONG_DEFAULT_SCHEMAS_DIR;
    std::vector<std::string> files;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--schemas" && i + 1 < args.size()) {
            schemas = args[++i];
        } else if (args[i].rfind("--", 0) == 0) {
            std::cerr << "lienthongctl validate: unknown option " << args[i] << "\n"
                      << command_help("validate");
            return 2;
        } else {
            files.push_back(args[i]);
        }
    }
    if (files.empty()) {
        std::cerr << command_help("validate");
        return 2;
    }
    std::optional<bus::xml::schema_validator> edoc_schema, status_schema;
    try {  // set-up, not a verdict: exit 2 as for a bad option
        edoc_schema.emplace(bus::xml::schema_validator::load(schemas + "/edxml/2016/edoc.xsd"));
        status_schema.emplace(bus::xml::schema_validator::load(schemas + "/edxml/2016/status.xsd"));
    } catch (const std::exception& e) {
        std::cerr << "lienthongctl validate: " << e.what() << "\n";
        return 2;
    }
    bool all_valid = true;
    for (const auto& f : files) {
        core::result<signer_info> verdict = signer_info{};
        std::string_view kind;
        auto doc = read_and_parse(f);
        if (!doc) {
            verdict = std::move(doc).error();
        } else {
            // By content, not by file name: each kind against its own schema and header rules.
            const bool status = bus::xml::is_status_packet(doc->get());
            kind = status ? "status" : "edoc";
            const auto& schema = status ? *status_schema : *edoc_schema;
            if (auto v = schema.validate(doc->get()); !v) {
                verdict = std::move(v).error();
            } else if (status) {
                if (auto h = bus::xml::read_status_header(doc->get()); !h) {
                    verdict = std::move(h).error();
                }
            } else if (auto h = bus::xml::read_edoc_header(doc->get()); !h) {
                verdict = std::move(h).error();
            }
        }
        all_valid = all_valid && verdict.has_value();
        print_verdict(f, verdict, kind);
    }
    return all_valid ? 0 : 1;
}

namespace {

struct verify_options {
    bus::crypto::trust_options trust;
    bus::crypto::generic_rules rules;
    bool generic = false;
    std::optional<std::time_t> at;
    std::string schemas = LIENTHONG_DEFAULT_SCHEMAS_DIR;
    std::string directory_file;
    std::vector<std::string> files;
};

/// Reads `args` into `o`. Returns the exit code to end with (usage: 2), or nullopt to go on.
std::optional<int> parse_verify_args(const std::vector<std::string>& args, verify_options& o) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--trust" && has_value) {
            o.trust.anchors.push_back(args[++i]);
        } else if (a == "--intermediates" && has_value) {
            o.trust.intermediates.push_back(args[++i]);
        } else if (a == "--crl" && has_value) {
            o.trust.crls.push_back(args[++i]);
        } else if (a == "--pin-cert" && has_value) {
            o.trust.pinned_signer = args[++i];
        } else if (a == "--at" && has_value) {
            o.at = parse_utc(args[++i]);
            if (!o.at) {
                std::cerr << "lienthongctl verify: --at wants \"YYYY-MM-DD HH:MM:SS\" (UTC)\n";
                return 2;
            }
        } else if (a == "--id-attr" && has_value) {
            o.rules.id_attributes.push_back(args[++i]);
        } else if (a == "--schemas" && has_value) {
            o.schemas = args[++i];
        } else if (a == "--directory" && has_value) {
            o.directory_file = args[++i];
        } else if (a == "--allow-sha1") {
            o.trust.allow_sha1 = true;
        } else if (a == "--allow-xpath") {
            o.rules.allow_xpath = true;
        } else if (a == "--generic") {
            o.generic = true;
        } else if (a.rfind("--", 0) == 0) {
            std::cerr << "lienthongctl verify: unknown option " << a << "\n";
            return verify_usage();
        } else {
            o.files.push_back(a);
        }
    }
    if (o.files.empty() ||
        (!o.generic && (o.rules.allow_xpath || !o.rules.id_attributes.empty()))) {
        return verify_usage();
    }
    if (o.trust.anchors.empty() && o.trust.pinned_signer.empty()) {
        o.trust.anchors.push_back(LIENTHONG_DEFAULT_TRUST_DIR);
    }
    return std::nullopt;
}

/// What verify needs besides the files: trust material, schema, directory.
struct verify_setup {
    std::optional<bus::crypto::signature_verifier> verifier;
    std::optional<bus::xml::schema_validator> schema;
    std::optional<bus::routing::directory> directory;
};

/// The verdict on one file, in the same order and with the same codes as the bus's ingest:
/// parse, schema, header, signature, then signer = sender.
core::result<signer_info> verify_file(const std::string& f, const verify_options& o,
                                      const verify_setup& s) {
    auto doc = read_and_parse(f);
    if (!doc) {
        return std::move(doc).error();
    }
    if (o.generic) {
        return s.verifier->verify_generic(doc->get(), o.rules, o.at);
    }
    if (auto v = s.schema->validate(doc->get()); !v) {
        return std::move(v).error();
    }
    auto header = bus::xml::read_edoc_header(doc->get());
    if (!header) {
        return std::move(header).error();
    }
    auto verdict = s.verifier->verify_edxml(doc->get(), o.at);
    if (!verdict) {
        return verdict;
    }
    if (auto bound = bus::pipeline::check_signer_is_sender(*verdict, header->from.organ_id,
                                                           s.directory ? &*s.directory : nullptr);
        !bound) {
        return std::move(bound).error();
    }
    return verdict;
}

}  // namespace

int cmd_verify(const std::vector<std::string>& args) {
    verify_options o;
    if (auto done = parse_verify_args(args, o)) {
        return *done;
    }
    // Trust material, schema and directory are set-up: an error there is not a verdict.
    verify_setup setup;
    try {
        setup.verifier.emplace(o.trust);
        if (!o.generic) {
            setup.schema.emplace(
                bus::xml::schema_validator::load(o.schemas + "/edxml/2016/edoc.xsd"));
        }
        if (!o.directory_file.empty()) {
            setup.directory.emplace(bus::routing::directory::load(o.directory_file));
        }
    } catch (const std::exception& e) {
        std::cerr << "lienthongctl verify: " << e.what() << "\n";
        return 2;
    }
    bool all_valid = true;
    for (const auto& f : o.files) {
        auto verdict = verify_file(f, o, setup);
        all_valid = all_valid && verdict.has_value();
        print_verdict(f, verdict);
    }
    return all_valid ? 0 : 1;
}

}  // namespace lienthong::ctl
