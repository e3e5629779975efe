#include "http/handlers/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "core/log.hpp"
#include "http/problem.hpp"

namespace lienthong::bus::http::handlers {

namespace {

namespace fs = std::filesystem;

struct file_entry {
    std::string body;
    std::string content_type;
};

std::string content_type_of(const fs::path& p) {
    const auto ext = p.extension().string();
    if (ext == ".html") {
        return "text/html; charset=utf-8";
    }
    if (ext == ".js") {
        return "text/javascript; charset=utf-8";
    }
    if (ext == ".css") {
        return "text/css; charset=utf-8";
    }
    if (ext == ".svg") {
        return "image/svg+xml";
    }
    if (ext == ".yaml" || ext == ".yml") {
        return "application/yaml";
    }
    if (ext == ".json") {
        return "application/json";
    }
    return "application/octet-stream";
}

file_entry load(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        throw std::runtime_error("cannot read '" + p.string() + "'");
    }
    return {bytes.str(), content_type_of(p)};
}

response make_file_response(const file_entry& f, const request& req) {
    response res{beast_http::status::ok, req.version()};
    res.set(beast_http::field::content_type, f.content_type);
    // Same-origin scripts only: the dashboard must never run injected or third-party code.
    res.set("Content-Security-Policy",
            "default-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    res.set("X-Content-Type-Options", "nosniff");
    res.set(beast_http::field::cache_control, "no-cache");
    res.keep_alive(req.keep_alive());
    res.body() = f.body;
    res.prepare_payload();
    return res;
}

}  // namespace

endpoint static_folder(const std::string& prefix, const std::string& dir) {
    auto files = std::make_shared<std::map<std::string, file_entry>>();
    std::error_code ec;
    // Subfolders too (the UI's js/ modules and i18n/ catalogues), keyed by their relative path.
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
        if (e.is_regular_file()) {
            (*files)[e.path().lexically_relative(dir).generic_string()] = load(e.path());
        }
    }
    if (ec) {
        throw std::runtime_error("cannot read the folder '" + dir + "': " + ec.message());
    }
    return endpoint{
        beast_http::verb::get,
        prefix,
        role::none,
        "",
        [files, prefix](request&& req, const caller&, responder respond) {
            auto path = std::string_view(req.target());
            path = path.substr(0, path.find('?')).substr(prefix.size());
            auto it = files->find(path.empty() ? "index.html" : std::string(path));
            if (it == files->end()) {
                return respond(make_problem(
                    core::fail(core::errc::not_found, "no file " + std::string(req.target())),
                    req.version(), req.keep_alive()));
            }
            respond(make_file_response(it->second, req));
        },
        runs_on::network};  // served from memory
}

endpoint packaged_file(const std::string& path, const std::string& file,
                       const std::string& package) {
    if (!fs::exists(file)) {
        core::log(core::log_level::warn, "ui.missing_package",
                  {{"file", file}, {"package", package}});
        const auto message = "'" + file + "' is missing: install the Debian package " + package;
        return endpoint{beast_http::verb::get,
                        path,
                        role::none,
                        "",
                        [message](request&& req, const caller&, responder respond) {
                            respond(make_problem(core::fail(core::errc::not_found, message),
                                                 req.version(), req.keep_alive()));
                        },
                        runs_on::network};
    }
    return static_file(path, file);
}

endpoint static_file(const std::string& path, const std::string& file) {
    auto entry = std::make_shared<const file_entry>(load(file));
    return endpoint{beast_http::verb::get,
                    path,
                    role::none,
                    "",
                    [entry](request&& req, const caller&, responder respond) {
                        respond(make_file_response(*entry, req));
                    },
                    runs_on::network};  // served from memory
}

}  // namespace lienthong::bus::http::handlers
