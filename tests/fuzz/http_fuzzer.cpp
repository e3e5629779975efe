// libFuzzer target: raw bytes as one HTTP request through the front door as the server meets it:
// Beast's parser with the server's limits, router admission (credentials, role, rate, media
// type, Content-Length) before the body, then the real POST /v1/documents handler with the real
// ingest pipeline (parse, schema, signature, routes) and an in-memory broker.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "core/metrics.hpp"
#include "crypto/digest.hpp"
#include "crypto/signature_verifier.hpp"
#include "fakes/fake_publisher.hpp"
#include "fuzz_support.hpp"
#include "http/authenticator.hpp"
#include "http/handlers/health.hpp"
#include "http/handlers/submit_document.hpp"
#include "http/rate_limiter.hpp"
#include "http/router.hpp"
#include "pipeline/ingest.hpp"
#include "routing/directory.hpp"
#include "store/sqlite_tracking_store.hpp"
#include "xml/schema_validator.hpp"

using namespace lienthong;
namespace http = bus::http;
namespace beast = boost::beast;

namespace {

/// Everything a bus needs behind its router, built once.
struct front_door {
    bus::routing::directory directory =
        bus::routing::directory::load(fuzz::source_dir() + "/deploy/config/agencies.yaml");
    bus::xml::schema_validator schema =
        bus::xml::schema_validator::load(fuzz::source_dir() + "/schemas/edxml/2016/edoc.xsd");
    bus::crypto::signature_verifier verifier{trust()};
    test::fake_publisher publisher;
    bus::store::sqlite_tracking_store store{store_path()};
    core::metrics metrics;
    bus::pipeline::ingest ingest{{}, schema, verifier, directory, publisher, store, metrics};
    http::authenticator auth{{{"000.01.01.H41", bus::crypto::sha256_hex("fuzz-token")}},
                             {{"ops", bus::crypto::sha256_hex("fuzz-admin")}},
                             directory};
    http::rate_limiter limiter{0, 1};
    http::router router{auth, limiter, 256 * 1024};

    front_door() {
        router.add(http::handlers::healthz());
        router.add(http::handlers::readyz([] { return true; }));
        router.add(http::handlers::submit_document(ingest));
    }

    static bus::crypto::trust_options trust() {
        bus::crypto::trust_options t;
        t.anchors = {fuzz::pki_dir() + "/trust"};
        t.intermediates = {fuzz::pki_dir() + "/intermediates"};
        return t;
    }
    static std::string store_path() {
        auto dir = std::filesystem::temp_directory_path() / "lienthong-http-fuzzer";
        std::filesystem::create_directories(dir);
        return (dir / "tracking.db").string();
    }
};

front_door* door = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::init_libraries();
    static front_door d;
    door = &d;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    beast::flat_buffer buffer;
    auto in = buffer.prepare(size);
    std::memcpy(in.data(), data, size);
    buffer.commit(size);

    beast::http::request_parser<beast::http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(256 * 1024);
    parser.eager(false);
    beast::error_code ec;
    // Header first, as the server does: admission must decide before the body is read.
    while (!parser.is_header_done()) {
        const auto used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec || used == 0) {
            return 0;
        }
    }
    const http::connection_info connection;
    if (!door->router.admit(parser.get().base(), connection)) {
        return 0;
    }
    parser.eager(true);
    while (!parser.is_done()) {
        const auto used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec || used == 0) {
            return 0;  // malformed, over the limit, or the input ended mid-body
        }
    }
    bool answered = false;
    door->router.serve(
        parser.release(), [&](http::response&&) { answered = true; }, connection);
    // The fake broker answers synchronously: every admitted request is answered at once.
    if (!answered) {
        __builtin_trap();
    }
    return 0;
}
