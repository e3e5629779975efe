// lienthongctl verify-pdf / inspect: the document-signature checks of the bus (bus/pdf),
// offline, on one PDF or on every attachment of a packet.
#include <boost/json.hpp>
#include <ctime>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "crypto/trust_store.hpp"
#include "ctl/commands.hpp"
#include "pdf/pdf_verifier.hpp"
#include "xml/attachments.hpp"
#include "xml/packet_parser.hpp"

namespace lienthong::ctl {
namespace {

struct pdf_args {
    bus::crypto::trust_options trust;
    std::vector<std::string> files;
};

// --trust/--intermediates/--crl PATH (repeatable) then files; nullopt on bad usage.
std::optional<pdf_args> parse_args(const std::vector<std::string>& args) {
    pdf_args out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--trust" && has_value) {
            out.trust.anchors.push_back(args[++i]);
        } else if (a == "--intermediates" && has_value) {
            out.trust.intermediates.push_back(args[++i]);
        } else if (a == "--crl" && has_value) {
            out.trust.crls.push_back(args[++i]);
        } else if (!a.empty() && a[0] == '-') {
            return std::nullopt;
        } else {
            out.files.push_back(a);
        }
    }
    if (out.files.empty()) {
        return std::nullopt;
    }
    if (out.trust.anchors.empty()) {
        out.trust.anchors.push_back(LIENTHONG_DEFAULT_TRUST_DIR);
    }
    return out;
}

// Loads the trust material; on error prints it and returns nullptr (exit 2).
std::unique_ptr<bus::crypto::trust_material> load_trust(const bus::crypto::trust_options& o) {
    try {
        return std::make_unique<bus::crypto::trust_material>(o);
    } catch (const std::runtime_error& e) {
        std::cerr << "lienthongctl: trust material: " << e.what() << "\n";
        return nullptr;
    }
}

bool all_signed(const std::vector<bus::pdf::document_verdict>& v) {
    for (const auto& d : v) {
        if (d.state != bus::pdf::document_state::signed_valid) {
            return false;
        }
    }
    return !v.empty();
}

int usage(std::string_view cmd) {
    std::cerr << command_help(cmd);
    return 2;
}

/// What both commands share: options, the document trust store, then one JSON line per file.
/// `unreadable` is the field and value printed for a file that cannot be read; `check` fills
/// the line of a readable file and says whether it passes. Exit 0 when every file passes, 1
/// otherwise, 2 on bad usage or trust material.
template <class Check>
int each_file(const std::vector<std::string>& args, std::string_view cmd,
              std::pair<const char*, const char*> unreadable, Check check) {
    const auto parsed = parse_args(args);
    if (!parsed) {
        return usage(cmd);
    }
    const auto trust = load_trust(parsed->trust);
    if (!trust) {
        return 2;
    }
    bool ok = true;
    for (const auto& file : parsed->files) {
        std::string bytes;
        boost::json::object line{{"file", file}};
        if (!read_file(file, bytes)) {
            line[unreadable.first] = unreadable.second;
            ok = false;
        } else {
            ok = check(file, bytes, *trust, line) && ok;
        }
        std::cout << boost::json::serialize(line) << "\n";
    }
    return ok ? 0 : 1;
}

}  // namespace

int cmd_verify_pdf(const std::vector<std::string>& args) {
    return each_file(args, "verify-pdf", {"state", "unreadable"},
                     [](const std::string& file, const std::string& bytes,
                        const bus::crypto::trust_material& trust, boost::json::object& line) {
                         auto verdict = bus::pdf::verify_file(bytes, trust, std::time(nullptr));
                         verdict.name = file;
                         line = bus::pdf::to_json(verdict).as_object();
                         line["file"] = file;
                         return verdict.state == bus::pdf::document_state::signed_valid;
                     });
}

int cmd_inspect(const std::vector<std::string>& args) {
    return each_file(args, "inspect", {"error", "cannot read the file"},
                     [](const std::string&, const std::string& bytes,
                        const bus::crypto::trust_material& trust, boost::json::object& line) {
                         auto doc = bus::xml::parse_packet(bytes, {});
                         if (!doc) {
                             line["error"] = doc.error().message;
                             return false;
                         }
                         const auto verdicts = bus::pdf::verify_attachments(
                             bus::xml::read_attachments(doc->get()), trust, std::time(nullptr));
                         line["summary"] = bus::pdf::compact_summary(verdicts);
                         line["attachments"] = bus::pdf::to_json(verdicts);
                         return all_signed(verdicts);
                     });
}

}  // namespace lienthong::ctl
