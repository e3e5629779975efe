#pragma once
#include <string>

#include "http/router.hpp"

namespace lienthong::bus::http::handlers {

/// GET <prefix>... : the regular files of `dir` and its subfolders (by relative path), read once at
/// start-up and served from memory, so no request can reach another file; `<prefix>` alone serves
/// index.html. Public (the dashboard asks for the admin token and sends it with each API call).
/// Throws std::runtime_error naming the folder if it cannot be read.
endpoint static_folder(const std::string& prefix, const std::string& dir);

/// GET `path`: one file read at start-up (e.g. /v1/openapi.yaml). Public. Throws
/// std::runtime_error naming the file if it cannot be read.
endpoint static_file(const std::string& path, const std::string& file);

/// GET `path`: a file a Debian package installs (e.g. Chart.js from libjs-chart.js), served as
/// static_file. When the file is missing, logs a warning at start-up and answers 404 with a
/// detail naming `package`, so the page says what to install; never vendored or downloaded.
endpoint packaged_file(const std::string& path, const std::string& file,
                       const std::string& package);

}  // namespace lienthong::bus::http::handlers
