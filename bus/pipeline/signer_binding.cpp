#include "pipeline/signer_binding.hpp"

#include <algorithm>

namespace lienthong::bus::pipeline {

core::result<void> check_signer_is_sender(const crypto::signer_info& signer,
                                          const std::string& organ_id,
                                          const routing::directory* directory) {
    if (!signer.uid.empty() && signer.uid == organ_id) {
        return {};
    }
    const routing::agency* agency = directory != nullptr ? directory->find(organ_id) : nullptr;
    if (agency != nullptr && !signer.sha256_fingerprint.empty() &&
        std::find(agency->fingerprints.begin(), agency->fingerprints.end(),
                  signer.sha256_fingerprint) != agency->fingerprints.end()) {
        return {};
    }
    return core::fail(core::errc::signer_not_sender,
                      "the signing certificate \"" + signer.subject +
                          "\" does not belong to the sending agency '" + organ_id +
                          "': sign with a certificate whose subject UID is '" + organ_id +
                          "', or have its SHA-256 fingerprint (" + signer.sha256_fingerprint +
                          ") listed for the agency in the directory",
                      "Signature");
}

}  // namespace lienthong::bus::pipeline
