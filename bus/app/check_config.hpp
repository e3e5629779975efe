#pragma once
// Start-up validation, apart from construction: what `lienthong-bus --check-config` runs, and the
// checks the application shares with it. None of it opens a connection, a listening socket or a
// store, so a deploy pipeline can check a config on a machine that reaches nothing.
#include <memory>
#include <vector>

#include "adapters/api/registry.hpp"
#include "config/config.hpp"
#include "crypto/trust_store.hpp"
#include "routing/directory.hpp"
#include "routing/router.hpp"

namespace lienthong::bus::app {

/// Loads and checks everything the bus reads at start-up: the directory, the schemas, the trust
/// material, every route's adapter type and settings, the served files, the TLS material, the
/// listen address and the token agencies. Throws config::config_error (every problem with its
/// key path) or std::runtime_error naming the file at fault. Adds the `inbox` type to `adapters`
/// (validation only: check mode never creates an adapter).
void check_config(const config::config& cfg, adapters::registry& adapters);

/// The trust store options of the `trust` section.
crypto::trust_options trust_options_of(const config::trust_config& t);

/// The document-signature trust store (trust.document_*: the signed PDFs' own anchors,
/// intermediates and CRLs, reloaded on SIGHUP like the envelope's), or nullptr when
/// trust.document_anchors_dir is empty (PDF signatures not checked). Throws
/// config::config_error "trust.document_<key>_dir: <the bad file and why>".
std::unique_ptr<crypto::trust_store> load_document_trust(const config::trust_config& t);

/// Every route's adapter type and settings, checked with its factory; throws config::config_error
/// listing all problems, each prefixed with the directory file.
void check_routes(const config::config& cfg, const std::vector<routing::delivery_route>& routes,
                  const adapters::registry& registry);

/// Throws config::config_error when an `auth.tokens[i].agency` is not in the directory.
void check_token_agencies(const config::config& cfg, const routing::directory& dir);

}  // namespace lienthong::bus::app
