#pragma once
/// directory_drop: writes each delivered packet as `<bus document id>.edxml` into a folder, for
/// legacy systems that watch a folder.
///
/// | setting | required | default | meaning |
/// |---|---|---|---|
/// | `path` | yes | — | absolute folder; created at start-up if missing |
/// | `fsync` | no | `true` | fsync the file and the folder before reporting delivery |
#include <memory>
#include <string>

#include "adapters/api/adapter.hpp"

namespace lienthong::adapters::directory_drop {

struct config {
    std::string path;
    bool fsync = true;
};

class factory final : public adapter_factory {
  public:
    void validate(const settings& s, const std::string& path,
                  std::vector<std::string>& errors) const override;
    std::unique_ptr<adapter> create(const settings& s) const override;

    /// Parses settings already checked by validate().
    static config parse(const settings& s);
};

}  // namespace lienthong::adapters::directory_drop
