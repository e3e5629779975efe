// libFuzzer target: untrusted bytes through the safe packet parser, the edoc XSD and the header
// readers, exactly as the ingest pipeline meets them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "xml/edxml_header.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"

using namespace lienthong;

namespace {
const bus::xml::schema_validator* schema = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::init_libraries();
    static const auto edoc =
        bus::xml::schema_validator::load(fuzz::source_dir() + "/schemas/edxml/2016/edoc.xsd");
    schema = &edoc;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Small caps so that the limit paths are reached too.
    const bus::xml::parse_limits limits{64 * 1024, 32, 16, 16 * 1024};
    auto doc =
        bus::xml::parse_packet(std::string_view(reinterpret_cast<const char*>(data), size), limits);
    if (!doc) {
        return 0;
    }
    if (schema->validate(doc->get())) {
        (void)bus::xml::read_edoc_header(doc->get());
    }
    return 0;
}
