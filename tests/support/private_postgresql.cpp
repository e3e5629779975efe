#include "support/private_postgresql.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

namespace lienthong::test {

namespace {

constexpr const char* pg_bin = "/usr/lib/postgresql/15/bin";

}  // namespace

private_postgresql::private_postgresql()
    : dir_(make_temp_dir("lienthong-pg")), port_(unused_port()) {
    if (!std::filesystem::exists(std::string(pg_bin) + "/initdb")) {
        throw std::runtime_error("PostgreSQL 15 is not installed (tests/run.sh installs it)");
    }
    if (geteuid() == 0) {
        const passwd* pw = getpwnam("postgres");
        if (pw == nullptr || chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
            throw std::runtime_error("cannot hand " + dir_ + " to the postgres user");
        }
        as_ = "runuser -u postgres -- ";
    }
    run(std::string(pg_bin) + "/initdb -D " + dir_ + "/data -A trust -U lienthong --no-sync");
    // Enough connections for two bus instances and the test.
    run(std::string(pg_bin) + "/pg_ctl -D " + dir_ + "/data -l " + dir_ +
        "/server.log -w -t 60 -o \"-p " + std::to_string(port_) + " -k " + dir_ +
        " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start");
    started_ = true;
}

private_postgresql::~private_postgresql() {
    if (started_) {
        run(std::string(pg_bin) + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop", false);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string private_postgresql::url() const {
    return "postgresql://lienthong@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

void private_postgresql::run(const std::string& cmd, bool must) const {
    const auto full = as_ + cmd + " > " + dir_ + "/cmd.log 2>&1";
    const int rc = std::system(full.c_str());
    if (must && rc != 0) {
        throw std::runtime_error(full + " failed:\n" + read_file(dir_ + "/cmd.log"));
    }
}

}  // namespace lienthong::test
