// libFuzzer target: the document-signature path (bus/pdf) on arbitrary bytes: qpdf's reading of
// the structure, the ByteRange checks, the CMS and chain checks, the revision comparison; and,
// when the input is a zip, the bounded unzip. Trusts the test PKI.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string_view>

#include "fuzz_support.hpp"
#include "pdf/attachment_decoder.hpp"
#include "pdf/pdf_verifier.hpp"

using namespace lienthong;

namespace {
const bus::crypto::trust_material* trust = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::init_libraries();
    bus::crypto::trust_options options;
    options.anchors = {fuzz::pki_dir() + "/trust"};
    options.intermediates = {fuzz::pki_dir() + "/intermediates"};
    options.crls = {fuzz::pki_dir() + "/crl"};
    static const bus::crypto::trust_material material(options);
    trust = &material;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (bus::pdf::looks_like_zip(bytes)) {
        bus::pdf::decode_limits limits;
        limits.max_file_bytes = 4 * 1024 * 1024;
        limits.max_total_bytes = 8 * 1024 * 1024;
        (void)bus::pdf::unzip(bytes, limits);
        return 0;
    }
    (void)bus::pdf::verify_file(bytes, *trust, std::time_t{1'800'000'000});
    return 0;
}
