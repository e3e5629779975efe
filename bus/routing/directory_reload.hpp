#pragma once
// The directory reload rule (SIGHUP): agency data takes effect at once; route changes need a
// restart.
#include <string>

#include "routing/directory.hpp"

namespace lienthong::bus::routing {

/// Re-reads the directory at `path` into `current`. Agency data (names, parents, signing-
/// certificate fingerprints) takes effect at once. Queues, consumers and adapters are built at
/// start-up, so a file whose delivery routes differ is refused as a whole (the old directory
/// stays) and the log says a restart is needed; so is an unreadable or invalid file. Never throws.
void reload_directory(const std::string& path, directory& current);

}  // namespace lienthong::bus::routing
