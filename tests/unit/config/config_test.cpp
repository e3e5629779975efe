#include "config/config.hpp"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "support/bus_process.hpp"
#include "unit/config/config_test_support.hpp"

using namespace lienthong;
using test::errors_of;
using test::has_error;
using test::write_config;
namespace fs = std::filesystem;

TEST_CASE("config: a complete file loads into typed structs", "[unit]") {
    const auto c = bus::config::load_config(write_config(test::test_config(5999)));
    CHECK(c.listen.port == 0);
    CHECK(c.broker.port == 5999);
    CHECK(c.broker.exchange == "lienthong.documents");  // default kept
    CHECK(c.limits.max_body_bytes == 10 * 1024 * 1024);
    CHECK(c.delivery.max_in_flight_bytes == 8 * 1024 * 1024);
    CHECK(c.tokens.size() == 6);
    CHECK(fs::path(c.schemas_dir).is_absolute());
}

TEST_CASE("config: every problem is reported with its key path", "[unit]") {
    const std::string base = test::test_config(5999);
    SECTION("unknown top-level key") {
        auto e = errors_of(base + "brokr:\n  port: 1\n");
        CHECK(has_error(e, "brokr: unknown key"));
    }
    SECTION("unknown nested key and bad values are all reported at once") {
        auto e = errors_of(base +
                           "limits:\n  max_body: 5\n  max_depth: -3\n"
                           "  read_timeout_ms: soon\n");
        CHECK(has_error(e, "limits.max_body: unknown key"));
        CHECK(has_error(e, "limits.max_depth: must be an integer"));
        CHECK(has_error(e, "limits.read_timeout_ms: must be an integer"));
        CHECK(e.size() == 3);
    }
    SECTION("a key or a section given twice is refused by name") {
        auto e = errors_of(base + "delivery:\n  workers: 4\n  workers: 0\n");
        CHECK(has_error(e, "delivery.workers: given twice"));
        auto sections = errors_of(base +
                                  "delivery:\n  workers: 4\nstore:\n  path: a.db\n"
                                  "delivery:\n  workers: 2\n");
        CHECK(has_error(sections, "delivery: given twice"));
    }
    SECTION("a delivery memory budget below 64 KiB is refused by name") {
        auto e = errors_of(base + "delivery:\n  max_in_flight_bytes: 1000\n");
        REQUIRE(e.size() == 1);
        CHECK(e[0].find("delivery.max_in_flight_bytes") != std::string::npos);
    }
    SECTION("bad token digest names the list element") {
        auto e = errors_of(base + "    - agency: 000.00.00.H41\n      sha256: not-hex\n");
        CHECK(has_error(e, "auth.tokens[6].sha256: must be the lowercase hex SHA-256"));
    }
    SECTION("missing folders and required keys") {
        auto e = errors_of("schemas_dir: /nonexistent/schemas\n");
        CHECK(has_error(e, "schemas_dir: folder '/nonexistent/schemas' does not exist"));
        CHECK(has_error(e, "directory: is required"));
        CHECK(has_error(e, "trust: is required"));
    }
    SECTION("broken YAML names the file") {
        auto e = errors_of("listen: [unclosed\n");
        REQUIRE(e.size() == 1);
        CHECK(e[0].find("bus.yaml") != std::string::npos);
    }
}

TEST_CASE("config: lienthong-bus names the argument it cannot use and exits 2", "[unit]") {
    const auto run = [](const std::string& args) {
        const std::string cmd = std::string(LIENTHONG_BUS_EXE) + " " + args + " 2>&1";
        FILE* pipe = popen(cmd.c_str(), "r");
        REQUIRE(pipe != nullptr);
        std::string out;
        char buf[256];
        while (std::fgets(buf, sizeof buf, pipe) != nullptr) {
            out += buf;
        }
        const int rc = pclose(pipe);
        return std::pair{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
    };
    const auto [typo_rc, typo] = run("--confg bus.yaml");
    CHECK(typo_rc == 2);
    CHECK(typo.find("unknown option '--confg'") != std::string::npos);
    const auto [bare_rc, bare] = run("--config");
    CHECK(bare_rc == 2);
    CHECK(bare.find("--config needs a FILE") != std::string::npos);
    CHECK(run("--check-config").second.find("--config FILE is required") != std::string::npos);
}

TEST_CASE("config: lienthong-bus --check-config reports errors and exits non-zero", "[unit]") {
    auto [rc, out] = test::check_config(test::test_config(5999) + "broker_x: 1\n");
    CHECK(rc == 1);
    CHECK(out.find("broker_x: unknown key") != std::string::npos);
    auto [ok_rc, ok_out] = test::check_config(test::test_config(5999));
    CHECK(ok_rc == 0);
    CHECK(ok_out.find("configuration OK") != std::string::npos);
}

TEST_CASE("config: --check-config connects to nothing and opens no store", "[unit]") {
    // Broker and PostgreSQL on a closed loopback port: building the bus would fail to connect.
    const int closed = test::unused_port();
    const auto dir = test::make_temp_dir("lienthong-check");
    const std::string pg_url = "postgresql://lienthong@127.0.0.1:" + std::to_string(closed) +
                               "/lienthong?connect_timeout=2";
    SECTION("PostgreSQL store") {
        auto [rc, out] = test::check_config(
            test::test_config(closed, "store:\n  backend: postgresql\n  path: " + dir +
                                          "/unused.db\n"
                                          "  postgresql_url: " +
                                          pg_url + "\n"));
        CHECK(rc == 0);
        CHECK(out.find("configuration OK") != std::string::npos);
    }
    SECTION("the SQLite store (which holds the inbox) is not created") {
        auto [rc, out] = test::check_config(
            test::test_config(closed, "store:\n  path: " + dir + "/tracking.db\n"));
        CHECK(rc == 0);
        CHECK(out.find("configuration OK") != std::string::npos);
        CHECK(fs::is_empty(dir));
    }
}

TEST_CASE("config: the document-signature trust store has keys of its own", "[unit]") {
    const std::string pki = LIENTHONG_TEST_PKI_DIR;
    const std::string base = test::test_config(5999);  // sets the three document_* keys
    // `base` with the document_* lines of the trust section replaced by `keys`.
    auto with = [&](const std::string& keys) {
        std::string text = base;
        const auto first = text.find("  document_anchors_dir:");
        const auto last = text.find('\n', text.find("  document_crl_dir:"));
        REQUIRE(first != std::string::npos);
        text.replace(first, last + 1 - first, keys);
        return text;
    };
    SECTION("set: folders resolved and checked") {
        const auto c = bus::config::load_config(write_config(base));
        CHECK(c.trust.document_anchors_dir == pki + "/trust");
        CHECK(c.trust.document_crl_dir == pki + "/crl");
    }
    SECTION("absent: the PDF signatures are not checked") {
        const auto c = bus::config::load_config(write_config(with("")));
        CHECK(c.trust.document_anchors_dir.empty());
    }
    SECTION("a missing folder and CRLs without anchors are named by their keys") {
        auto e =
            errors_of(with("  document_intermediates_dir: /nonexistent/lienthong\n"
                           "  document_crl_dir: " +
                           pki + "/crl\n"));
        CHECK(has_error(e, "trust.document_intermediates_dir: folder '/nonexistent/lienthong'"));
        CHECK(has_error(e, "trust.document_anchors_dir: is required when"));
    }
    SECTION("--check-config names the key of an unreadable document anchor") {
        const auto dir = test::make_temp_dir("lienthong-docanchors");
        std::ofstream(dir + "/bad.pem") << "not a certificate";
        const auto [rc, out] = test::check_config(with("  document_anchors_dir: " + dir + "\n"));
        CHECK(rc != 0);
        CHECK(out.find("trust.document_anchors_dir") != std::string::npos);
    }
}
