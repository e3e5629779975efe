#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "adapters/directory_drop/config.hpp"
#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;
using namespace lienthong::adapters;
namespace fs = std::filesystem;

TEST_CASE("directory_drop config: valid settings build - each bad field is named", "[unit]") {
    directory_drop::factory f;
    std::vector<std::string> errors;
    f.validate({{"path", "/tmp/x"}, {"fsync", "false"}}, "agencies[0].subscriptions[0].settings",
               errors);
    CHECK(errors.empty());
    CHECK_FALSE(directory_drop::factory::parse({{"path", "/tmp/x"}, {"fsync", "false"}}).fsync);

    f.validate({{"path", "relative/dir"}, {"fsync", "yes"}, {"colour", "red"}}, "s", errors);
    CHECK(errors == std::vector<std::string>{"s.colour: unknown setting (known: path, fsync)",
                                             "s.path: must be an absolute folder path",
                                             "s.fsync: must be true or false"});
    errors.clear();
    f.validate({}, "s", errors);
    CHECK(errors == std::vector<std::string>{"s.path: is required"});
}

TEST_CASE("directory_drop: writes <id>.edxml atomically with the exact packet bytes", "[unit]") {
    const auto dir = test::make_temp_dir("lienthong-drop") + "/inbox/000.00.01.H41";
    directory_drop::factory f;
    auto a = f.create({{"path", dir}});
    a->start();  // creates the folder
    auto packet = std::make_shared<const std::string>("<edXML>bytes</edXML>");
    delivery d{"4f1c2b9e-0000-4000-8000-000000000001",
               "doc",
               "000.01.01.H41",
               {"000.00.01.H41"},
               packet,
               1};
    auto r = a->deliver(d);
    REQUIRE(r.result == outcome::delivered);
    CHECK(test::read_file(dir + "/" + d.id + ".edxml") == *packet);
    // Nothing else is left behind (no temp file a watcher could pick up).
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);

    SECTION("a redelivery replaces the file with the same bytes") {
        REQUIRE(a->deliver(d).result == outcome::delivered);
        CHECK(test::read_file(dir + "/" + d.id + ".edxml") == *packet);
    }
    SECTION("an unwritable folder is a retryable failure with the reason") {
        fs::remove_all(dir);
        auto failed = a->deliver(d);
        CHECK(failed.result == outcome::retryable_failure);
        CHECK(failed.reason.find("cannot create") != std::string::npos);
    }
    SECTION("an id that would leave the folder is refused") {
        d.id = "../escape";
        CHECK(a->deliver(d).result == outcome::permanent_failure);
    }
}

TEST_CASE("directory_drop: the documents' signature verdicts go to <id>.signatures.json",
          "[unit]") {
    const auto dir = test::make_temp_dir("lienthong-drop");
    directory_drop::factory f;
    auto a = f.create({{"path", dir}});
    a->start();
    delivery d{
        "4f1c2b9e-0000-4000-8000-000000000002",          "doc", "000.01.01.H41", {"000.00.01.H41"},
        std::make_shared<const std::string>("<edXML/>"), 1};
    d.document_signatures = "signed=1,signed-invalid=0,unsigned=0,not-pdf=0";
    d.document_verdicts = R"([{"name":"Quyết định.pdf","state":"signed"}])";
    REQUIRE(a->deliver(d).result == outcome::delivered);
    CHECK(test::read_file(dir + "/" + d.id + ".signatures.json") == d.document_verdicts);
    CHECK(test::read_file(dir + "/" + d.id + ".edxml") == "<edXML/>");
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 2);
}
