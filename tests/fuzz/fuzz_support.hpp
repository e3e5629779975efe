#pragma once
// Shared set-up of the fuzz targets: process-wide libraries and the paths the build passes in
// (LIENTHONG_SOURCE_DIR, LIENTHONG_FUZZ_PKI_DIR: the throwaway test PKI of the fuzz build).
#include <string>

#include "crypto/xmlsec_library.hpp"

namespace lienthong::fuzz {

/// libxml2 + xmlsec initialised once for the whole run (torn down at exit).
inline void init_libraries() { static bus::crypto::xmlsec_library library; }

inline std::string source_dir() { return LIENTHONG_SOURCE_DIR; }
inline std::string pki_dir() { return LIENTHONG_FUZZ_PKI_DIR; }

}  // namespace lienthong::fuzz
