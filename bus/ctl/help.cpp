// lienthongctl's help texts: one per command, printed by `lienthongctl COMMAND --help` (stdout,
// exit 0) and, on bad usage, by the command itself (stderr, exit 2).
#include <array>
#include <utility>

#include "ctl/commands.hpp"

namespace lienthong::ctl {
namespace {

constexpr std::string_view general =
    "usage:\n"
    "  lienthongctl sign --key KEY.pem --cert CERT.pem [-o OUT] FILE\n"
    "  lienthongctl validate [--schemas DIR] FILE...\n"
    "  lienthongctl verify [--trust PATH]... [--generic] ... FILE...\n"
    "  lienthongctl verify-pdf [--trust PATH]... [--crl PATH]... FILE.pdf...\n"
    "  lienthongctl inspect [--trust PATH]... [--crl PATH]... PACKET...\n"
    "  lienthongctl hash-token [TOKEN]   (reads the token from stdin if omitted)\n"
    "  lienthongctl definitions --config BUS.yaml   (RabbitMQ definitions JSON)\n"
    "  lienthongctl queues | dead-letters | replay ID|--route R | document ID\n"
    "               | report signatures [--from DAY] [--to DAY] [--csv]\n"
    "               [--url URL] [--token T] [--json]   (admin API)\n"
    "`lienthongctl COMMAND --help` describes one command.\n";

constexpr std::string_view sign =
    "usage: lienthongctl sign --key KEY.pem --cert CERT.pem [-o OUT] FILE\n"
    "  Adds an enveloped XML-DSig signature (RSA-SHA256) to the edXML packet FILE, with the\n"
    "  certificate chain in CERT.pem, and writes the signed packet to OUT (default stdout).\n";

constexpr std::string_view validate =
    "usage: lienthongctl validate [--schemas DIR] FILE...\n"
    "  The bus's parse, schema and header checks, offline (no signature check: see verify).\n"
    "  Each FILE is told apart by its content: a MessageHeader holding StatusCode makes a\n"
    "  status packet (checked against status.xsd and the status header rules), anything else\n"
    "  an edoc packet (edoc.xsd and the edoc header rules). One JSON line per file:\n"
    "  {\"file\", \"kind\", \"valid\", \"type\", \"detail\"}; exit 0 when all are valid, 1 "
    "otherwise,\n"
    "  2 on bad usage. DIR defaults to the installed schemas folder.\n";

constexpr std::string_view verify =
    "usage: lienthongctl verify [--trust PATH]... [--intermediates PATH]... [--crl PATH]...\n"
    "           [--at \"YYYY-MM-DD HH:MM:SS\"] [--allow-sha1] [--pin-cert FILE]\n"
    "           [--schemas DIR] [--directory FILE]                       (edXML packets)\n"
    "           [--generic [--id-attr NAME]... [--allow-xpath]]          (any XML-DSig)\n"
    "           FILE...\n"
    "  PATH: a folder of certificates/CRLs or one file (PEM or DER). Times are UTC.\n"
    "  --pin-cert FILE: trust exactly this signer (certificate, or bare public key in PEM\n"
    "  or DER, SubjectPublicKeyInfo or PKCS#1); no chain and no validity period.\n"
    "  One JSON line per file {\"file\", \"valid\", \"type\", \"detail\"}; exit 0 when all are\n"
    "  valid, 1 otherwise, 2 on bad usage or unreadable trust material.\n";

constexpr std::string_view verify_pdf =
    "usage: lienthongctl verify-pdf [--trust PATH]... [--intermediates PATH]... [--crl PATH]...\n"
    "           FILE.pdf...\n"
    "  Every signature of each PDF: ByteRange, CMS (adbe.pkcs7.detached, ETSI.CAdES.detached),\n"
    "  message digest, chain to the --trust anchors at the signing time (CRLs from --crl),\n"
    "  bytes changed after signing. PATH: a folder or one file (PEM or DER); --trust defaults\n"
    "  to the installed trust folder (use the bus's trust.document_* folders). One JSON line\n"
    "  per file {\"file\", \"state\", \"signatures\": [{\"status\", \"signer\", ...}]};\n"
    "  state is signed, signed-invalid, unsigned or not-pdf. Exit 0 when every file is signed,\n"
    "  1 otherwise, 2 on bad usage or unreadable trust material.\n";

constexpr std::string_view inspect =
    "usage: lienthongctl inspect [--trust PATH]... [--intermediates PATH]... [--crl PATH]...\n"
    "           PACKET...\n"
    "  The attachments of each edXML packet (base64, unzipped when zipped) and the signature\n"
    "  verdicts of each, as verify-pdf gives them. One JSON line per packet {\"file\",\n"
    "  \"summary\", \"attachments\"}; exit 0 when every attachment is signed, 1 otherwise,\n"
    "  2 on bad usage.\n";

constexpr std::string_view hash_token =
    "usage: lienthongctl hash-token [TOKEN]\n"
    "  Prints the SHA-256 (hex) of TOKEN, as the bus config stores agency and admin tokens.\n"
    "  Reads the token from the first line of stdin when TOKEN is omitted.\n";

constexpr std::string_view definitions =
    "usage: lienthongctl definitions --config BUS.yaml\n"
    "  Prints, as RabbitMQ definitions JSON, the exchanges, queues and bindings the bus would\n"
    "  declare for that config and its agency directory.\n";

constexpr std::string_view admin =
    "usage: lienthongctl COMMAND [--url URL] [--token TOKEN] [--ca FILE] [--json]\n"
    "  queues                          queue depth, consumers, rates per route\n"
    "  dead-letters [--limit N]        the dead-letter queue (nothing is removed)\n"
    "  replay ID [--route ROUTE]       replay a document's dead letters\n"
    "  replay --route ROUTE            replay every dead letter of a route\n"
    "  document ID                     the journey of a document (bus id or DocumentId)\n"
    "  report signatures [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv]\n"
    "                                  per agency the documents sent, signed (valid), invalid,\n"
    "                                  unsigned, without PDF, and the signed share; default\n"
    "                                  this month (UTC days, --to exclusive)\n"
    "URL defaults to $LIENTHONG_URL or http://127.0.0.1:8080; TOKEN to\n"
    "$LIENTHONG_ADMIN_TOKEN; --ca verifies an https bus with that CA bundle.\n";

constexpr std::array<std::pair<std::string_view, std::string_view>, 12> by_command{{
    {"sign", sign},
    {"validate", validate},
    {"verify", verify},
    {"verify-pdf", verify_pdf},
    {"inspect", inspect},
    {"hash-token", hash_token},
    {"definitions", definitions},
    {"queues", admin},
    {"dead-letters", admin},
    {"replay", admin},
    {"document", admin},
    {"report", admin},
}};

}  // namespace

std::string_view general_help() noexcept { return general; }

std::string_view command_help(std::string_view command) noexcept {
    for (const auto& [name, text] : by_command) {
        if (name == command) {
            return text;
        }
    }
    return {};
}

bool wants_help(const std::vector<std::string>& args) noexcept {
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            return true;
        }
    }
    return false;
}

}  // namespace lienthong::ctl
