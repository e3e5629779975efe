#pragma once
#include <string>

#include "core/result.hpp"
#include "crypto/signature_verifier.hpp"
#include "routing/directory.hpp"

namespace lienthong::bus::pipeline {

/// Whether the verified signer may sign for the agency `organ_id` (From/OrganId): its
/// certificate's subject UID (0.9.2342.19200300.100.1.1) is that code, or the directory lists
/// the certificate's SHA-256 fingerprint for that agency (certificates without the UID, key
/// rotation). `directory` may be null (UID only; the offline tool without a directory).
/// Error: signer_not_sender, naming the certificate and what would make it acceptable.
/// Thread-safe if `directory` is not modified meanwhile. The rule itself is
/// crypto::check_signer_binding (signature_policy.hpp); this looks the agency up in the
/// directory, which bus/crypto must not depend on.
core::result<void> check_signer_is_sender(const crypto::signer_info& signer,
                                          const std::string& organ_id,
                                          const routing::directory* directory);

}  // namespace lienthong::bus::pipeline
