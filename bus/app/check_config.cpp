#include "app/check_config.hpp"

#include <boost/asio/ip/address.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "crypto/signature_verifier.hpp"
#include "http/handlers/static_files.hpp"
#include "http/tls.hpp"
#include "inbox/inbox_adapter.hpp"
#include "xml/schema_validator.hpp"

namespace lienthong::bus::app {

crypto::trust_options trust_options_of(const config::trust_config& t) {
    crypto::trust_options o;
    o.anchors = {t.anchors_dir};
    if (!t.intermediates_dir.empty()) {
        o.intermediates = {t.intermediates_dir};
    }
    if (!t.crl_dir.empty()) {
        o.crls = {t.crl_dir};
    }
    o.allow_sha1 = t.allow_sha1;
    return o;
}

std::unique_ptr<crypto::trust_store> load_document_trust(const config::trust_config& t) {
    if (t.document_anchors_dir.empty()) {
        return nullptr;
    }
    crypto::trust_options o;
    o.anchors = {t.document_anchors_dir};
    if (!t.document_intermediates_dir.empty()) {
        o.intermediates = {t.document_intermediates_dir};
    }
    if (!t.document_crl_dir.empty()) {
        o.crls = {t.document_crl_dir};
    }
    try {
        return std::make_unique<crypto::trust_store>(o);
    } catch (const std::runtime_error& e) {
        // The message names the bad file; the key is the folder it lies in.
        const std::string what = e.what();
        std::string key = "document_anchors_dir";
        if (!t.document_crl_dir.empty() && what.find(t.document_crl_dir) != std::string::npos) {
            key = "document_crl_dir";
        } else if (!t.document_intermediates_dir.empty() &&
                   what.find(t.document_intermediates_dir) != std::string::npos) {
            key = "document_intermediates_dir";
        }
        throw config::config_error({"trust." + key + ": " + what});
    }
}

void check_routes(const config::config& cfg, const std::vector<routing::delivery_route>& routes,
                  const adapters::registry& registry) {
    std::vector<std::string> problems;
    for (const auto& r : routes) {
        registry.validate(r.type, r.settings, r.config_path, problems);
    }
    if (problems.empty()) {
        return;
    }
    std::vector<std::string> errors;
    for (auto& e : problems) {
        errors.push_back(cfg.directory_file + ": " + e);
    }
    throw config::config_error(std::move(errors));
}

void check_token_agencies(const config::config& cfg, const routing::directory& dir) {
    for (std::size_t i = 0; i < cfg.tokens.size(); ++i) {
        if (!dir.find(cfg.tokens[i].agency)) {
            throw config::config_error({"auth.tokens[" + std::to_string(i) + "].agency: '" +
                                        cfg.tokens[i].agency + "' is not in the agency directory"});
        }
    }
}

void check_config(const config::config& cfg, adapters::registry& adapters) {
    namespace fs = std::filesystem;
    // Same order as the application's construction, so both report the same first failure.
    const auto dir = routing::directory::load(cfg.directory_file);
    (void)xml::schema_validator::load((fs::path(cfg.schemas_dir) / "edxml/2016/edoc.xsd").string());
    const crypto::signature_verifier verifier(trust_options_of(cfg.trust));
    (void)load_document_trust(cfg.trust);
    adapters.add("inbox", std::make_unique<inbox::factory>(nullptr));
    check_routes(cfg, routing::delivery_routes(dir), adapters);
    (void)xml::schema_validator::load(
        (fs::path(cfg.schemas_dir) / "edxml/2016/status.xsd").string());
    if (!cfg.listen.plain_http) {
        (void)http::make_server_context(cfg.tls);
    }
    (void)boost::asio::ip::make_address(cfg.listen.address);  // parsed, never bound
    check_token_agencies(cfg, dir);
    (void)http::handlers::static_file("/v1/openapi.yaml",
                                      (fs::path(cfg.schemas_dir) / "openapi.yaml").string());
    if (!cfg.ui_dir.empty()) {
        (void)http::handlers::static_folder("/ui/", cfg.ui_dir);
    }
}

}  // namespace lienthong::bus::app
