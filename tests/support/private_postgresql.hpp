#pragma once
// A throwaway PostgreSQL 15 server (Debian's postgresql package) for tests that need a shared
// tracking store: initdb into a private temp folder, started on a free loopback port, stopped
// (immediate) and removed on destruction. Test code only: failures throw std::runtime_error.
#include <string>

namespace lienthong::test {

class private_postgresql final {
  public:
    /// initdb + pg_ctl start (as the `postgres` user when run as root: initdb refuses root).
    private_postgresql();
    ~private_postgresql();
    private_postgresql(const private_postgresql&) = delete;
    private_postgresql& operator=(const private_postgresql&) = delete;

    /// libpq URI of the server's `postgres` database (user lienthong, trust auth on loopback).
    std::string url() const;

  private:
    /// Runs `cmd` (as the server's user); throws with its output when `must` and it fails.
    void run(const std::string& cmd, bool must = true) const;

    std::string dir_;
    int port_;
    std::string as_;
    bool started_ = false;
};

}  // namespace lienthong::test
