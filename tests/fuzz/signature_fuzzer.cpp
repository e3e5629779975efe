// libFuzzer target: the XML-DSig verifier (references, transforms, digests, KeyInfo
// certificates, the chain) on packets that parse, trusting the test PKI.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/signature_verifier.hpp"
#include "fuzz_support.hpp"
#include "xml/packet_parser.hpp"

using namespace lienthong;

namespace {
const bus::crypto::signature_verifier* verifier = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::init_libraries();
    bus::crypto::trust_options trust;
    trust.anchors = {fuzz::pki_dir() + "/trust"};
    trust.intermediates = {fuzz::pki_dir() + "/intermediates"};
    static const bus::crypto::signature_verifier v(trust);
    verifier = &v;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto doc = bus::xml::parse_packet(std::string_view(reinterpret_cast<const char*>(data), size),
                                      bus::xml::parse_limits{});
    if (doc) {
        (void)verifier->verify_edxml(doc->get());
    }
    return 0;
}
