// The cache of successful chain checks: a hit skips X509_verify_cert and equals a fresh check,
// only inside the time span between certificate and CRL boundaries, never across a reload, per
// exact inputs, and from several threads at once.
#include "crypto/chain_cache.hpp"

#include <openssl/x509.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "crypto/trust_store.hpp"
#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

namespace {

using namespace lienthong::bus::crypto;
using lienthong::core::errc;
namespace t = lienthong::test;
namespace fs = std::filesystem;

constexpr bool strict = true;

x509_ptr first_cert(const std::string& pem) {
    auto certs = load_certificates(pem);
    REQUIRE(certs);
    return std::move(certs->front());
}

std::vector<x509_ptr> chain_of(const std::string& pem) {
    auto certs = load_certificates(pem);
    REQUIRE(certs);
    return std::move(*certs);
}

std::time_t seconds_of(const ASN1_TIME* time) {
    std::tm tm{};
    REQUIRE(ASN1_TIME_to_tm(time, &tm) == 1);
    return timegm(&tm);
}

// What a caller sees of a check: success, or the error's code, message and log detail.
std::string outcome(const lienthong::core::result<void>& r) {
    if (r) {
        return "ok";
    }
    return std::to_string(static_cast<int>(r.error().code)) + "|" + r.error().message + "|" +
           r.error().log_detail;
}

// The same check on a material of its own, so never answered from a cache.
std::string fresh(const trust_options& options, X509* leaf, const std::vector<x509_ptr>& extra,
                  std::optional<std::time_t> at, bool is_strict = strict) {
    trust_store store{options};
    return outcome(store.material()->check_chain(leaf, extra, at, is_strict, "d"));
}

struct temp_dir {
    std::string path = t::make_temp_dir("lienthong-chain-cache");
    ~temp_dir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("steady_span is the span between the boundaries around a check", "[unit][crypto]") {
    const std::vector<std::time_t> fixed{10, 20};
    const std::vector<std::time_t> none;
    constexpr auto lowest = std::numeric_limits<std::time_t>::min();
    constexpr auto highest = std::numeric_limits<std::time_t>::max();
    auto span = steady_span(fixed, none, 15, 15);
    REQUIRE(span);
    CHECK(span->from == 10);  // "notBefore <= t" already holds at 10
    CHECK(span->to == 19);    // and "notAfter <= t" starts to hold at 20
    CHECK(steady_span(fixed, none, 20, 20)->from == 20);
    CHECK(steady_span(fixed, none, 20, 20)->to == highest);
    CHECK(steady_span(fixed, none, 9, 9)->from == lowest);
    CHECK(steady_span(fixed, none, 9, 9)->to == 9);
    CHECK(steady_span(fixed, {12}, 15, 15)->from == 12);
    CHECK(steady_span(fixed, none, 15, 19)->to == 19);
    CHECK_FALSE(steady_span(fixed, none, 15, 20));  // the check itself straddled a boundary
    CHECK_FALSE(steady_span(fixed, {17}, 15, 18));
}

TEST_CASE("chain_cache holds a success only inside its span and stays bounded", "[unit][crypto]") {
    chain_cache cache{2};
    cache.remember("a", {10, 19});
    CHECK(cache.holds("a", 10));
    CHECK(cache.holds("a", 19));
    CHECK_FALSE(cache.holds("a", 9));
    CHECK_FALSE(cache.holds("a", 20));
    CHECK_FALSE(cache.holds("b", 15));
    cache.remember("b", {0, 5});
    cache.remember("a", {30, 40});  // an existing key is replaced, nothing evicted
    CHECK(cache.size() == 2);
    CHECK_FALSE(cache.holds("a", 15));
    CHECK(cache.holds("a", 35));
    cache.remember("c", {0, 5});
    CHECK(cache.size() <= 2);
    CHECK(cache.holds("c", 1));
}

TEST_CASE("chain_key separates leaf extra certificates order and strict", "[unit][crypto]") {
    auto chain = chain_of(t::agency_chain("000.01.01.H41"));
    auto other = chain_of(t::agency_chain("000.00.00.H41"));
    REQUIRE(chain.size() >= 2);
    std::vector<x509_ptr> reversed;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        reversed.push_back(x509_ptr{X509_dup(it->get())});
    }
    const std::string key = chain_key(chain.front().get(), chain, true);
    std::size_t der_bytes = static_cast<std::size_t>(i2d_X509(chain.front().get(), nullptr));
    for (const auto& cert : chain) {
        der_bytes += static_cast<std::size_t>(i2d_X509(cert.get(), nullptr));
    }
    CHECK(key.size() == 1 + 4 * (1 + chain.size()) + der_bytes);
    CHECK(key == chain_key(chain.front().get(), chain, true));
    CHECK(key != chain_key(chain.front().get(), chain, false));
    CHECK(key != chain_key(chain.front().get(), {}, true));
    CHECK(key != chain_key(chain.front().get(), reversed, true));
    CHECK(key != chain_key(other.front().get(), chain, true));
}

TEST_CASE("check_chain answers a repeated success from its cache", "[unit][crypto]") {
    const auto options = t::test_trust(false);
    trust_store store{options};
    const auto trust = store.material();
    auto chain = chain_of(t::agency_chain("000.01.01.H41"));
    X509* leaf = chain.front().get();
    const auto before = trust->chain_verifications();

    CHECK(outcome(trust->check_chain(leaf, chain, std::nullopt, strict, "d")) == "ok");
    CHECK(trust->chain_verifications() == before + 1);
    CHECK(trust->cached_chains() == 1);
    for (int i = 0; i < 3; ++i) {
        CHECK(outcome(trust->check_chain(leaf, chain, std::nullopt, strict, "d")) ==
              fresh(options, leaf, chain, std::nullopt));
    }
    CHECK(trust->chain_verifications() == before + 1);

    SECTION("failures are checked afresh every time and keep their message and detail") {
        auto rogue = chain_of(t::special_chain("rogue"));
        const std::string expected = fresh(options, rogue.front().get(), rogue, std::nullopt);
        CHECK(expected != "ok");
        for (int i = 0; i < 2; ++i) {
            CHECK(outcome(trust->check_chain(rogue.front().get(), rogue, std::nullopt, strict,
                                             "d")) == expected);
        }
        CHECK(trust->chain_verifications() == before + 3);
        CHECK(trust->cached_chains() == 1);
    }
}

TEST_CASE("check_chain uses a cached success only inside the leaf's validity", "[unit][crypto]") {
    const auto options = t::test_trust(false);
    trust_store store{options};
    const auto trust = store.material();
    auto chain = chain_of(t::agency_chain("000.01.01.H41"));
    X509* leaf = chain.front().get();
    const std::time_t not_before = seconds_of(X509_get0_notBefore(leaf));
    const std::time_t not_after = seconds_of(X509_get0_notAfter(leaf));
    const std::time_t middle = not_before + (not_after - not_before) / 2;

    CHECK(outcome(trust->check_chain(leaf, chain, middle, strict, "d")) == "ok");
    const auto after_first = trust->chain_verifications();
    CHECK(outcome(trust->check_chain(leaf, chain, middle + 60, strict, "d")) == "ok");
    CHECK(trust->chain_verifications() == after_first);  // same span: a hit

    for (const std::time_t at : {not_after, not_after + 86400, not_before - 1}) {
        const std::string expected = fresh(options, leaf, chain, at);
        CHECK(expected.rfind(std::to_string(static_cast<int>(errc::certificate_expired)) + "|",
                             0) == 0);
        CHECK(outcome(trust->check_chain(leaf, chain, at, strict, "d")) == expected);
    }
    CHECK(trust->chain_verifications() == after_first + 3);
    // The last second of the leaf's validity, and back in the middle: as a fresh check says.
    CHECK(outcome(trust->check_chain(leaf, chain, not_after - 1, strict, "d")) ==
          fresh(options, leaf, chain, not_after - 1));
    CHECK(outcome(trust->check_chain(leaf, chain, middle, strict, "d")) == "ok");
}

TEST_CASE("check_chain cache entries differ by extra certificates and strict", "[unit][crypto]") {
    const auto options = t::test_trust(false);  // the intermediate only comes from `extra`
    trust_store store{options};
    const auto trust = store.material();
    auto chain = chain_of(t::agency_chain("000.01.01.H41"));
    X509* leaf = chain.front().get();
    std::vector<x509_ptr> leaf_only;
    leaf_only.push_back(x509_ptr{X509_dup(leaf)});

    CHECK(outcome(trust->check_chain(leaf, chain, std::nullopt, strict, "d")) == "ok");
    const std::string without_intermediate = fresh(options, leaf, leaf_only, std::nullopt);
    CHECK(without_intermediate != "ok");
    // The cached success with the intermediate must not answer for a chain without it.
    CHECK(outcome(trust->check_chain(leaf, leaf_only, std::nullopt, strict, "d")) ==
          without_intermediate);
    CHECK(outcome(trust->check_chain(leaf, {}, std::nullopt, strict, "d")) != "ok");

    const auto counted = trust->chain_verifications();
    CHECK(outcome(trust->check_chain(leaf, chain, std::nullopt, !strict, "d")) == "ok");
    CHECK(trust->chain_verifications() == counted + 1);  // strict off is its own entry
    CHECK(trust->cached_chains() == 2);
    CHECK(outcome(trust->check_chain(leaf, chain, std::nullopt, !strict, "d")) == "ok");
    CHECK(outcome(trust->check_chain(leaf, chain, std::nullopt, strict, "d")) == "ok");
    CHECK(trust->chain_verifications() == counted + 1);
}

TEST_CASE("a reload starts with an empty chain cache", "[unit][crypto]") {
    temp_dir dir;
    fs::create_directories(dir.path + "/trust");
    fs::create_directories(dir.path + "/crl");
    fs::copy_file(t::anchors_dir() + "/root.pem", dir.path + "/trust/root.pem");
    fs::copy_file(t::pki_dir() + "/crl-none/intermediate.crl.pem",
                  dir.path + "/crl/intermediate.crl.pem");
    auto options = t::test_trust();
    options.anchors = {dir.path + "/trust"};
    options.crls = {dir.path + "/crl"};
    trust_store store{options};
    const auto before = store.material();
    auto revoked = first_cert(t::special_cert("revoked"));
    auto commune = chain_of(t::agency_chain("000.01.01.H41"));
    for (int i = 0; i < 2; ++i) {
        CHECK(before->check_chain(revoked.get(), {}, std::nullopt, strict, ""));
        CHECK(before->check_chain(commune.front().get(), commune, std::nullopt, strict, ""));
    }
    CHECK(before->chain_verifications() == 2);

    SECTION("a CRL that revokes the leaf") {
        fs::copy_file(t::pki_dir() + "/crl/intermediate.crl.pem",
                      dir.path + "/crl/intermediate.crl.pem", fs::copy_options::overwrite_existing);
        store.reload();
        auto refused = store.material()->check_chain(revoked.get(), {}, std::nullopt, strict, "d");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::certificate_revoked);
        CHECK(refused.error().log_detail == "d");
        CHECK(store.material()->check_chain(commune.front().get(), commune, std::nullopt, strict,
                                            ""));
    }
    SECTION("anchors without the root") {
        fs::remove(dir.path + "/trust/root.pem");
        fs::copy_file(t::tls_file("ca.pem"), dir.path + "/trust/other.pem");
        store.reload();
        auto refused = store.material()->check_chain(commune.front().get(), commune, std::nullopt,
                                                     strict, "d");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::certificate_untrusted);
        CHECK(store.material()->chain_verifications() == 1);
    }
    // A verification that took the old material finishes with it (and its cache).
    CHECK(before->check_chain(revoked.get(), {}, std::nullopt, strict, ""));
    CHECK(before->chain_verifications() == 2);
}

TEST_CASE("check_chain with its cache is correct from several threads", "[unit][crypto]") {
    const auto options = t::test_trust(false);
    trust_store store{options};
    const auto trust = store.material();
    struct check_case {
        std::vector<x509_ptr> extra;
        std::string expected;
    };
    std::vector<check_case> cases;
    for (const char* code : {"000.01.01.H41", "000.00.00.H41", "000.02.01.H41"}) {
        cases.push_back({chain_of(t::agency_chain(code)), "ok"});
    }
    cases.push_back({chain_of(t::special_chain("rogue")), ""});
    std::vector<x509_ptr> leaf_only;
    leaf_only.push_back(x509_ptr{X509_dup(cases.front().extra.front().get())});
    cases.push_back({std::move(leaf_only), ""});
    for (auto& c : cases) {
        c.expected = fresh(options, c.extra.front().get(), c.extra, std::nullopt);
    }
    CHECK(cases.front().expected == "ok");
    CHECK(cases.back().expected != "ok");

    constexpr int threads = 4;
    constexpr int rounds = 100;
    std::atomic<int> wrong{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < threads; ++w) {
        workers.emplace_back([&, w] {
            for (int i = 0; i < rounds; ++i) {
                const auto& c = cases[static_cast<std::size_t>(i + w) % cases.size()];
                if (outcome(trust->check_chain(c.extra.front().get(), c.extra, std::nullopt, strict,
                                               "d")) != c.expected) {
                    ++wrong;
                }
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    CHECK(wrong.load() == 0);
    CHECK(trust->cached_chains() == 3);
    // Every failure is checked afresh; each success at most once per thread.
    const auto failures = static_cast<std::uint64_t>(threads * rounds * 2 / 5);
    CHECK(trust->chain_verifications() <= failures + 3 * threads);
    CHECK(trust->chain_verifications() >= failures + 3);
}
