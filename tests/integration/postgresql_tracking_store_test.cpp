// The PostgreSQL tracking store against a real, private PostgreSQL 15 (Debian's postgresql
// package): initdb into a temp folder, started on a free loopback port, stopped at the end.
#include "store/postgresql_tracking_store.hpp"

#include <pwd.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "inbox/inbox_adapter.hpp"
#include "store/postgresql_inbox_storage.hpp"
#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;

namespace {

constexpr const char* pg_bin = "/usr/lib/postgresql/15/bin";

/// A throwaway PostgreSQL server. initdb refuses to run as root, so as root the server runs as
/// the `postgres` user (created by the Debian package).
class private_postgresql final {
  public:
    private_postgresql() : dir_(test::make_temp_dir("lienthong-pg")), port_(test::unused_port()) {
        REQUIRE(
            std::filesystem::exists(std::string(pg_bin) + "/initdb"));  // tests/run.sh installs it
        if (geteuid() == 0) {
            const passwd* pw = getpwnam("postgres");
            REQUIRE(pw != nullptr);
            REQUIRE(chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) == 0);
            as_ = "runuser -u postgres -- ";
        }
        run(std::string(pg_bin) + "/initdb -D " + dir_ + "/data -A trust -U lienthong --no-sync");
        run(std::string(pg_bin) + "/pg_ctl -D " + dir_ + "/data -l " + dir_ +
            "/server.log -w -t 60 " + "-o \"-p " + std::to_string(port_) + " -k " + dir_ +
            " -c listen_addresses=127.0.0.1 -c fsync=off\" start");
        started_ = true;
    }
    ~private_postgresql() {
        if (started_) {
            run(std::string(pg_bin) + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop", false);
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    std::string url() const {
        return "postgresql://lienthong@127.0.0.1:" + std::to_string(port_) + "/postgres";
    }

  private:
    void run(const std::string& cmd, bool must = true) const {
        const auto full = as_ + cmd + " > " + dir_ + "/cmd.log 2>&1";
        const int rc = std::system(full.c_str());
        if (must) {
            INFO(full << "\n" << test::read_file(dir_ + "/cmd.log"));
            REQUIRE(rc == 0);
        }
    }

    std::string dir_;
    int port_;
    std::string as_;
    bool started_ = false;
};

}  // namespace

TEST_CASE("postgresql store: the tracking store contract on a real PostgreSQL", "[integration]") {
    private_postgresql pg;
    bus::store::postgresql_tracking_store store(pg.url());
    REQUIRE(store.ping());

    const bus::store::document_record doc{
        "id-1", "D-1", 0, "000.01.01.H41", "hash-a", {"000.00.01.H41", "000.00.02.H41"}, false, 0};
    auto first = store.reserve(doc);
    REQUIRE(first);
    CHECK(first->id == "id-1");
    CHECK_FALSE(first->accepted);
    auto other = store.reserve({"id-2", "D-1", 0, "000.01.01.H41", "hash-b", {}, false, 0});
    REQUIRE(other);
    CHECK(other->id == "id-1");  // the first holder of (DocumentId, type) keeps it
    CHECK(other->content_sha256 == "hash-a");
    REQUIRE(store.reserve({"id-3", "D-1", 1, "000.01.01.H41", "hash-c", {}, false, 0}));

    CHECK(store.find_by_document_id("D-1")->empty());  // nothing accepted yet
    REQUIRE(
        store.mark_accepted("id-1", {{"id-1", "queued", "000.00.01.H41.inbox", "", 0, "", ""}}));
    auto found = store.find("id-1");
    REQUIRE(found);
    REQUIRE(*found);
    CHECK((*found)->accepted);
    CHECK((*found)->recipients == doc.recipients);
    CHECK_FALSE(*store.find("missing"));
    auto same = store.find_by_document_id("D-1");
    REQUIRE(same);
    REQUIRE(same->size() == 1);
    CHECK(same->at(0).id == "id-1");

    REQUIRE(store.add_event({"id-1", "status", "", "acceptance: ok", 0, "000.00.01.H41", "03"}));
    REQUIRE(store.add_event({"x", "rejected", "", "bad", 0, "000.01.01.H41", "schema-invalid"}));
    auto journey = store.journey("id-1");
    REQUIRE(journey);
    REQUIRE(journey->size() == 2);
    CHECK(journey->at(0).kind == "queued");
    CHECK(journey->at(1).agency == "000.00.01.H41");
    CHECK(journey->at(1).code == "03");
    auto failures = store.recent_events({"rejected", "dead_lettered"}, 10);
    REQUIRE(failures);
    REQUIRE(failures->size() == 1);
    CHECK(failures->at(0).code == "schema-invalid");

    CHECK(*store.mark_delivered("id-1", "r", {"id-1", "delivered", "r", "attempt 1", 0}));
    CHECK_FALSE(*store.mark_delivered("id-1", "r", {"id-1", "delivered", "r", "attempt 2", 0}));
    CHECK(store.journey("id-1")->size() == 4);  // each delivery is on the journey
    CHECK(*store.is_delivered("id-1", "r"));
    CHECK_FALSE(*store.is_delivered("id-1", "other"));

    // A second instance (another bus) finds the schema migrated and the data there.
    bus::store::postgresql_tracking_store again(pg.url());
    CHECK(again.journey("id-1")->size() == 4);
}

TEST_CASE("postgresql store: two bus instances share one inbox", "[integration]") {
    private_postgresql pg;
    // Two instances of the bus, each with its own connection, as two processes would have.
    auto one = std::make_shared<bus::inbox::inbox_store>(
        std::make_unique<bus::store::postgresql_inbox_storage>(pg.url()));
    bus::inbox::inbox_store two(std::make_unique<bus::store::postgresql_inbox_storage>(pg.url()));
    const char raw[] = "<edXML>\xc3\xa9\xff\0tail</edXML>";  // bytes, not valid UTF-8
    const std::string packet(raw, sizeof raw - 1);
    adapters::delivery d{"id-1",
                         "DOC-1",
                         "000.01.01.H41",
                         {"000.00.01.H41"},
                         std::make_shared<const std::string>(packet),
                         1};
    d.document_verdicts = R"([{"state":"signed"}])";
    // Delivered by instance one's adapter, twice (a broker redelivery), and by two (a copy
    // another instance consumed): kept once.
    const auto adapter = bus::inbox::factory(one).create({});
    CHECK(adapter->deliver(d).result == adapters::outcome::delivered);
    CHECK(adapter->deliver(d).result == adapters::outcome::delivered);
    REQUIRE(two.put(d));

    auto listed = two.list("000.00.01.H41", 10);
    REQUIRE(listed);
    REQUIRE(listed->size() == 1);
    CHECK(listed->at(0).id == "id-1");
    CHECK(listed->at(0).document_id == "DOC-1");
    CHECK(listed->at(0).sender == "000.01.01.H41");
    CHECK(listed->at(0).bytes == static_cast<std::int64_t>(packet.size()));
    CHECK(listed->at(0).document_verdicts == d.document_verdicts);
    CHECK(two.list("000.00.02.H41", 10)->empty());  // another agency sees nothing
    auto read = two.packet("000.00.01.H41", "id-1");
    REQUIRE(read);
    REQUIRE(*read);
    CHECK(**read == packet);
    CHECK_FALSE(*two.packet("000.00.02.H41", "id-1"));

    CHECK_FALSE(*one->ack("000.00.02.H41", "id-1"));  // not its document
    CHECK(*two.ack("000.00.01.H41", "id-1"));
    CHECK_FALSE(*one->ack("000.00.01.H41", "id-1"));  // acked through the other instance
    CHECK(one->list("000.00.01.H41", 10)->empty());
}

TEST_CASE("postgresql store: the bus runs on it (store.backend: postgresql)", "[integration]") {
    private_postgresql pg;
    test::bus_process bus(
        test::test_config(test::test_amqp_port(),
                          "store:\n  backend: postgresql\n  postgresql_url: " + pg.url() + "\n"));
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto posted = test::post_document(bus.port(), test::token_of(test::commune1), packet);
    INFO(posted.body << "\n" << bus.log());
    REQUIRE(posted.status == 202);
    const std::string id(boost::json::parse(posted.body).at("id").as_string());
    auto journey = test::http_call(bus.port(), "GET", "/v1/documents/" + id, {},
                                   {{"Authorization", "Bearer " + test::token_of(test::commune1)}});
    REQUIRE(journey.status == 200);
    CHECK(boost::json::parse(journey.body).at("sender").as_string() == test::commune1);
    // The same packet again is recognised through PostgreSQL.
    CHECK(test::post_document(bus.port(), test::token_of(test::commune1), packet).status == 200);
}
