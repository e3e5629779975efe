// lienthongctl validate / verify: the bus's own checks, offline, for integrators.
#include <boost/json.hpp>
#include <ctime>
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
    std::string bytes;
    if (!read_file(file, bytes)) {
        return core::fail(core::errc::internal, "cannot read the file");
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
    const auto edoc_schema = bus::xml::schema_validator::load(schemas + "/edxml/2016/edoc.xsd");
    const auto status_schema = bus::xml::schema_validator::load(schemas + "/edxml/2016/status.xsd");
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
            const auto& schema = status ? status_schema : edoc_schema;
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

int cmd_verify(const std::vector<std::string>& args) {
    bus::crypto::trust_options trust;
    bus::crypto::generic_rules rules;
    bool generic = false;
    std::optional<std::time_t> at;
    std::string schemas = LIENTHONG_DEFAULT_SCHEMAS_DIR;
    std::string directory_file;
    std::vector<std::string> files;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--trust" && has_value) {
            trust.anchors.push_back(args[++i]);
        } else if (a == "--intermediates" && has_value) {
            trust.intermediates.push_back(args[++i]);
        } else if (a == "--crl" && has_value) {
            trust.crls.push_back(args[++i]);
        } else if (a == "--pin-cert" && has_value) {
            trust.pinned_signer = args[++i];
        } else if (a == "--at" && has_value) {
            at = parse_utc(args[++i]);
            if (!at) {
                std::cerr << "lienthongctl verify: --at wants \"YYYY-MM-DD HH:MM:SS\" (UTC)\n";
                return 2;
            }
        } else if (a == "--id-attr" && has_value) {
            rules.id_attributes.push_back(args[++i]);
        } else if (a == "--schemas" && has_value) {
            schemas = args[++i];
        } else if (a == "--directory" && has_value) {
            directory_file = args[++i];
        } else if (a == "--allow-sha1") {
            trust.allow_sha1 = true;
        } else if (a == "--allow-xpath") {
            rules.allow_xpath = true;
        } else if (a == "--generic") {
            generic = true;
        } else if (a.rfind("--", 0) == 0) {
            std::cerr << "lienthongctl verify: unknown option " << a << "\n";
            return verify_usage();
        } else {
            files.push_back(a);
        }
    }
    if (files.empty() || (!generic && (rules.allow_xpath || !rules.id_attributes.empty()))) {
        return verify_usage();
    }
    if (trust.anchors.empty() && trust.pinned_signer.empty()) {
        trust.anchors.push_back(LIENTHONG_DEFAULT_TRUST_DIR);
    }

    // Trust material, schema and directory are set-up: an error there is not a verdict.
    std::optional<bus::crypto::signature_verifier> verifier;
    std::optional<bus::xml::schema_validator> schema;
    std::optional<bus::routing::directory> directory;
    try {
        verifier.emplace(trust);
        if (!generic) {
            schema.emplace(bus::xml::schema_validator::load(schemas + "/edxml/2016/edoc.xsd"));
        }
        if (!directory_file.empty()) {
            directory.emplace(bus::routing::directory::load(directory_file));
        }
    } catch (const std::exception& e) {
        std::cerr << "lienthongctl verify: " << e.what() << "\n";
        return 2;
    }

    bool all_valid = true;
    for (const auto& f : files) {
        core::result<signer_info> verdict = signer_info{};
        auto doc = read_and_parse(f);
        if (!doc) {
            verdict = std::move(doc).error();
        } else if (generic) {
            verdict = verifier->verify_generic(doc->get(), rules, at);
        } else if (auto v = schema->validate(doc->get()); !v) {
            verdict = std::move(v).error();
        } else if (auto header = bus::xml::read_edoc_header(doc->get()); !header) {
            verdict = std::move(header).error();
        } else {
            // The same order and code as the bus's ingest: signature, then signer = sender.
            verdict = verifier->verify_edxml(doc->get(), at);
            if (verdict) {
                if (auto bound = bus::pipeline::check_signer_is_sender(
                        *verdict, header->from.organ_id, directory ? &*directory : nullptr);
                    !bound) {
                    verdict = std::move(bound).error();
                }
            }
        }
        all_valid = all_valid && verdict.has_value();
        print_verdict(f, verdict);
    }
    return all_valid ? 0 : 1;
}

}  // namespace lienthong::ctl
