#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "crypto/xmlsec_library.hpp"

int main(int argc, char* argv[]) {
    // libxml2/xmlsec need process-wide initialisation once, as in the daemon's main.
    lienthong::bus::crypto::xmlsec_library xmlsec;
    return Catch::Session().run(argc, argv);
}
