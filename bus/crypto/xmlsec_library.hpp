#pragma once
// Process-wide initialisation of libxml2 + xmlsec + its OpenSSL backend. Create exactly one, in
// main (or a test's main), before any parsing or verification; destroy it last.
namespace lienthong::bus::crypto {

class xmlsec_library final {
  public:
    xmlsec_library();  ///< throws std::runtime_error if xmlsec cannot be initialised
    ~xmlsec_library();
    xmlsec_library(const xmlsec_library&) = delete;
    xmlsec_library& operator=(const xmlsec_library&) = delete;
};

}  // namespace lienthong::bus::crypto
