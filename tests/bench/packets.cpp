// lienthong-bench-packets SAMPLE KEY CHAIN TARGET_BYTES COUNT ID_PREFIX OUT [PDF]
//
// With PDF: the sample's one attachment becomes that file (base64), TARGET_BYTES is ignored.
// Writes COUNT signed edoc packets of about TARGET_BYTES each (padded before signing: the
// Content text up to 64 KiB targets, else the base64 attachment), each with its own DocumentId
// (the bus answers a repeated DocumentId without publishing it again, which would not measure
// the real path). OUT holds records "<length>\n<bytes>".
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "crypto/packet_signer.hpp"
#include "crypto/xmlsec_library.hpp"
#include "xml/libxml.hpp"

namespace {

using namespace lienthong::bus;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) {
        throw std::runtime_error("sample lacks '" + from + "'");
    }
    text.replace(at, from.size(), to);
}

std::string sign(const std::string& packet, const std::string& key, const std::string& chain) {
    xml::doc_ptr doc{xmlReadMemory(packet.data(), static_cast<int>(packet.size()), "bench.edxml",
                                   nullptr, XML_PARSE_NONET | XML_PARSE_HUGE)};
    if (!doc) {
        throw std::runtime_error("padded sample does not parse");
    }
    if (auto ok = crypto::sign_packet(doc.get(), key, chain); !ok) {
        throw std::runtime_error("signing failed: " + ok.error().message);
    }
    xmlChar* out = nullptr;
    int size = 0;
    xmlDocDumpMemory(doc.get(), &out, &size);
    if (out == nullptr) {
        throw std::runtime_error("cannot serialise");
    }
    xml::xml_string owned{out};
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(size)};
}

/// The sample with `pad` more bytes, in Content (small pads) or in the attachment (base64).
std::string padded(std::string sample, std::size_t pad) {
    if (pad == 0) {
        return sample;
    }
    if (pad <= 64 * 1024) {
        // Vietnamese prose-like ASCII filler; a real Content is text, not base64.
        std::string filler;
        while (filler.size() < pad) {
            filler += "Bao cao ket qua thu hoach lua vu mua. ";
        }
        filler.resize(pad);
        replace_once(sample, "</Content>", filler + "</Content>");
        return sample;
    }
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string data;
    data.reserve(pad);
    unsigned state = 12345;
    while (data.size() < pad - pad % 4) {
        state = state * 1103515245u + 12345u;  // any bytes will do; no randomness needed
        data += b64[(state >> 16) % 64];
    }
    // Before the sample's own base64 (which ends with padding), in whole 4-character groups.
    replace_once(sample, "<edXML:ContentTransferEncoded>", "<edXML:ContentTransferEncoded>" + data);
    return sample;
}

/// The sample with `pdf` (raw bytes) as the content of its one attachment, base64.
std::string with_attachment(std::string sample, const std::string& pdf) {
    std::string b64(4 * ((pdf.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                  reinterpret_cast<const unsigned char*>(pdf.data()),
                                  static_cast<int>(pdf.size()));
    b64.resize(static_cast<std::size_t>(n));
    const std::string open = "<edXML:ContentTransferEncoded>";
    const auto begin = sample.find(open);
    const auto end = sample.find("</edXML:ContentTransferEncoded>");
    if (begin == std::string::npos || end == std::string::npos) {
        throw std::runtime_error("sample lacks an attachment");
    }
    sample.replace(begin + open.size(), end - begin - open.size(), b64);
    return sample;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc != 8 && argc != 9) {
        std::cerr << "usage: lienthong-bench-packets SAMPLE KEY CHAIN TARGET_BYTES COUNT ID_PREFIX "
                     "OUT [PDF]\n";
        return 2;
    }
    crypto::xmlsec_library library;
    const std::string sample =
        argc == 9 ? with_attachment(read_file(argv[1]), read_file(argv[8])) : read_file(argv[1]);
    const std::string key = argv[2];
    const std::string chain = argv[3];
    const std::size_t target = std::stoul(argv[4]);
    const int count = std::stoi(argv[5]);
    const std::string prefix = argv[6];

    // The signature (with the certificate chain) adds a fixed amount: measure it once.
    const std::size_t overhead = sign(sample, key, chain).size();
    const std::size_t pad = argc == 9 || target <= overhead ? 0 : target - overhead;
    const std::string base = padded(sample, pad);

    std::ofstream out(argv[7], std::ios::binary);
    for (int i = 0; i < count; ++i) {
        std::string packet = base;
        // DocumentId "<sender>,<date>,<number>/<notation>": a unique number per packet.
        replace_once(packet, ",125/UBND-VP<", "," + prefix + std::to_string(i) + "/UBND-VP<");
        const std::string signed_packet = sign(packet, key, chain);
        out << signed_packet.size() << '\n' << signed_packet;
    }
    if (!out) {
        throw std::runtime_error(std::string("cannot write ") + argv[7]);
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "lienthong-bench-packets: " << e.what() << '\n';
    return 1;
}
