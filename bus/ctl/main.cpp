// lienthongctl: the integrators' and operators' command line.
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <libxml/tree.h>

#include "crypto/packet_signer.hpp"
#include "crypto/xmlsec_library.hpp"
#include "http/authenticator.hpp"
#include "xml/edxml_header.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"

namespace {

using namespace lienthong;

int usage() {
    std::cerr << "usage:\n"
                 "  lienthongctl sign --key KEY.pem --cert CERT.pem [-o OUT] FILE\n"
                 "  lienthongctl validate [--schemas DIR] FILE...\n"
                 "  lienthongctl hash-token [TOKEN]   (reads the token from stdin if omitted)\n";
    return 2;
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

int cmd_sign(const std::vector<std::string>& args) {
    std::string key, cert, out, file;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--key" && i + 1 < args.size()) {
            key = args[++i];
        } else if (args[i] == "--cert" && i + 1 < args.size()) {
            cert = args[++i];
        } else if (args[i] == "-o" && i + 1 < args.size()) {
            out = args[++i];
        } else if (file.empty()) {
            file = args[i];
        } else {
            return usage();
        }
    }
    if (key.empty() || cert.empty() || file.empty()) {
        return usage();
    }
    std::string bytes;
    if (!read_file(file, bytes)) {
        std::cerr << "lienthongctl: cannot read " << file << "\n";
        return 1;
    }
    auto doc = bus::xml::parse_packet(bytes, {});
    if (!doc) {
        std::cerr << file << ": " << doc.error().message << "\n";
        return 1;
    }
    if (auto s = bus::crypto::sign_packet(doc->get(), key, cert); !s) {
        std::cerr << file << ": " << s.error().message << "\n";
        return 1;
    }
    xmlChar* mem = nullptr;
    int size = 0;
    xmlDocDumpMemoryEnc(doc->get(), &mem, &size, "UTF-8");
    bus::xml::xml_string guard(mem);
    if (out.empty()) {
        std::cout.write(reinterpret_cast<const char*>(mem), size);
        return 0;
    }
    std::ofstream o(out, std::ios::binary);
    o.write(reinterpret_cast<const char*>(mem), size);
    return o ? 0 : 1;
}

int cmd_validate(const std::vector<std::string>& args) {
    std::string schemas = LIENTHONG_DEFAULT_SCHEMAS_DIR;
    std::vector<std::string> files;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--schemas" && i + 1 < args.size()) {
            schemas = args[++i];
        } else {
            files.push_back(args[i]);
        }
    }
    if (files.empty()) {
        return usage();
    }
    auto schema = bus::xml::schema_validator::load(schemas + "/edxml/2016/edoc.xsd");
    bool all_valid = true;
    for (const auto& f : files) {
        boost::json::object line{{"file", f}};
        std::string bytes;
        core::result<void> verdict;
        if (!read_file(f, bytes)) {
            verdict = core::fail(core::errc::internal, "cannot read the file");
        } else if (auto doc = bus::xml::parse_packet(bytes, {}); !doc) {
            verdict = std::move(doc).error();
        } else if (auto v = schema.validate(doc->get()); !v) {
            verdict = std::move(v);
        } else if (auto h = bus::xml::read_edoc_header(doc->get()); !h) {
            verdict = std::move(h).error();
        }
        line["valid"] = verdict.has_value();
        if (!verdict) {
            all_valid = false;
            line["type"] = std::string(core::type_slug(verdict.error().code));
            std::string detail = verdict.error().message;
            for (const auto& i : verdict.error().issues) {
                detail += "; line " + std::to_string(i.line) + " " + i.path + ": " + i.message;
            }
            line["detail"] = detail;
        }
        std::cout << boost::json::serialize(line) << "\n";
    }
    return all_valid ? 0 : 1;
}

int cmd_hash_token(const std::vector<std::string>& args) {
    std::string token;
    if (args.size() == 1) {
        token = args[0];
    } else if (args.empty()) {
        std::getline(std::cin, token);
    } else {
        return usage();
    }
    if (token.empty()) {
        std::cerr << "lienthongctl: empty token\n";
        return 1;
    }
    std::cout << bus::http::authenticator::sha256_hex(token) << "\n";
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc < 2) {
        return usage();
    }
    const std::string cmd = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    try {
        lienthong::bus::crypto::xmlsec_library xmlsec;
        if (cmd == "sign") {
            return cmd_sign(args);
        }
        if (cmd == "validate") {
            return cmd_validate(args);
        }
        if (cmd == "hash-token") {
            return cmd_hash_token(args);
        }
    } catch (const std::exception& e) {
        std::cerr << "lienthongctl: " << e.what() << "\n";
        return 1;
    }
    return usage();
}
