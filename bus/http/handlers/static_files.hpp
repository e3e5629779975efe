#pragma once
#include <string>

#include "http/router.hpp"

namespace lienthong::bus::http::handlers {

/// GET <prefix>... : the regular files of `dir` (not its subfolders), read once at start-up and
/// served from memory, so no request can reach another file; `<prefix>` alone serves
/// index.html. Public (the dashboard asks for the admin token and sends it with each API call).
/// Throws std::runtime_error naming the folder if it cannot be read.
endpoint static_folder(const std::string& prefix, const std::string& dir);

/// GET `path`: one file read at start-up (e.g. /v1/openapi.yaml). Public. Throws
/// std::runtime_error naming the file if it cannot be read.
endpoint static_file(const std::string& path, const std::string& file);

}  // namespace lienthong::bus::http::handlers
