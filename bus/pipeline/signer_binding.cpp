#include "pipeline/signer_binding.hpp"

#include <vector>

namespace lienthong::bus::pipeline {

core::result<void> check_signer_is_sender(const crypto::signer_info& signer,
                                          const std::string& organ_id,
                                          const routing::directory* directory) {
    // The rule is crypto::check_signer_binding; only the directory lookup is ours.
    static const std::vector<std::string> none;
    const routing::agency* agency = directory != nullptr ? directory->find(organ_id) : nullptr;
    return crypto::check_signer_binding(signer, organ_id,
                                        agency != nullptr ? agency->fingerprints : none);
}

}  // namespace lienthong::bus::pipeline
