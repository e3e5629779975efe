// lienthongctl: the integrators' and operators' command line.
#include <libxml/tree.h>

#include <boost/json.hpp>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "broker/definitions.hpp"
#include "config/config.hpp"
#include "crypto/digest.hpp"
#include "crypto/packet_signer.hpp"
#include "crypto/xmlsec_library.hpp"
#include "ctl/commands.hpp"
#include "routing/topology.hpp"
#include "xml/edxml_header.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"

namespace {

using namespace lienthong;
using ctl::read_file;

/// Bad usage: the command's help (or the overview) on stderr, exit 2.
int usage(std::string_view cmd = {}) {
    const auto help = ctl::command_help(cmd);
    std::cerr << (help.empty() ? ctl::general_help() : help);
    return 2;
}

/// The broker topology the bus would declare for a config, as RabbitMQ definitions.
int cmd_definitions(const std::vector<std::string>& args) {
    if (args.size() != 2 || args[0] != "--config") {
        return usage("definitions");
    }
    try {
        const auto cfg = bus::config::load_config(args[1]);
        const auto dir = bus::routing::directory::load(cfg.directory_file);
        std::cout << bus::broker::rabbitmq_definitions(bus::routing::topology_for(cfg, dir),
                                                       cfg.broker.vhost)
                  << "\n";
        return 0;
    } catch (const bus::config::config_error& e) {
        std::cerr << args[1] << ": " << e.what() << "\n";
        return 1;
    }
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
            return usage("sign");
        }
    }
    if (key.empty() || cert.empty() || file.empty()) {
        return usage("sign");
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

int cmd_hash_token(const std::vector<std::string>& args) {
    std::string token;
    if (args.size() == 1) {
        token = args[0];
    } else if (args.empty()) {
        std::getline(std::cin, token);
    } else {
        return usage("hash-token");
    }
    if (token.empty()) {
        std::cerr << "lienthongctl: empty token\n";
        return 1;
    }
    std::cout << bus::crypto::sha256_hex(token) << "\n";
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc < 2) {
        return usage();
    }
    const std::string cmd = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::cout << ctl::general_help();
        return 0;
    }
    // Help is asked for, not a usage error: stdout and exit 0, before any work or set-up.
    if (const auto help = ctl::command_help(cmd); !help.empty() && ctl::wants_help(args)) {
        std::cout << help;
        return 0;
    }
    try {
        lienthong::bus::crypto::xmlsec_library xmlsec;
        if (cmd == "sign") {
            return cmd_sign(args);
        }
        if (cmd == "validate") {
            return ctl::cmd_validate(args);
        }
        if (cmd == "verify") {
            return ctl::cmd_verify(args);
        }
        if (cmd == "verify-pdf") {
            return ctl::cmd_verify_pdf(args);
        }
        if (cmd == "inspect") {
            return ctl::cmd_inspect(args);
        }
        if (cmd == "hash-token") {
            return cmd_hash_token(args);
        }
        if (cmd == "definitions") {
            return cmd_definitions(args);
        }
        if (ctl::is_admin_command(cmd)) {
            return ctl::cmd_admin(cmd, args);
        }
    } catch (const std::exception& e) {
        std::cerr << "lienthongctl: " << e.what() << "\n";
        return 1;
    }
    return usage();
}
