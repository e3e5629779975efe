#pragma once
// Runs the real lienthong-bus binary for integration tests: writes a config into a private temp
// folder, starts the process, waits until it listens, and stops it on destruction.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lienthong::test {

/// The demo agencies (deploy/config/agencies.yaml) and the test token of each.
inline const char* const province = "000.00.00.H41";
inline const char* const district1 = "000.00.01.H41";
inline const char* const district2 = "000.00.02.H41";
inline const char* const commune1 = "000.01.01.H41";  ///< child of district1
inline const char* const commune2 = "000.02.01.H41";
inline const char* const commune3 = "000.01.02.H41";
std::string token_of(const std::string& agency);
/// The bearer token of the test config's admin ("test-admin", role admin).
std::string admin_token();

/// A config for the demo directory, the test PKI and a broker on `amqp_port`; `extra` is appended
/// verbatim (e.g. a limits: section). Plain HTTP (`listen.plain_http: true`) unless `tls`: then
/// a tls: section with the test server certificate and the test client CA (mutual TLS).
/// `token_agencies`: who gets a bearer token (token_of); empty = the six demo agencies.
std::string test_config(int amqp_port, const std::string& extra = {}, bool tls = false,
                        std::vector<std::string> token_agencies = {});

/// A loopback TCP port that nothing listens on (bound once to port 0, then released).
int unused_port();

/// A fresh private folder /tmp/<prefix>-XXXXXX, removed with everything in it when the test
/// process exits.
std::string make_temp_dir(const std::string& prefix);

class bus_process final {
  public:
    /// Starts the bus and waits up to `start_limit` until it listens (throws otherwise).
    explicit bus_process(const std::string& config_yaml,
                         std::chrono::seconds start_limit = std::chrono::seconds(20));
    ~bus_process();
    bus_process(const bus_process&) = delete;
    bus_process& operator=(const bus_process&) = delete;

    unsigned short port() const { return port_; }
    /// The process id, e.g. to send it SIGHUP.
    pid_t pid() const { return pid_; }
    /// Sends SIGTERM and waits up to `grace` for the process to exit. Returns its wait status,
    /// or nullopt if it had to be killed (SIGKILL) after the grace period.
    std::optional<int> terminate(std::chrono::milliseconds grace);
    /// Everything the process wrote to stderr so far (its JSON log).
    std::string log() const;

  private:
    std::string dir_;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
};

/// Runs `lienthong-bus --check-config` on the given config text; returns exit code and output.
std::pair<int, std::string> check_config(const std::string& config_yaml);

}  // namespace lienthong::test
