#include "support/bus_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "crypto/digest.hpp"

namespace lienthong::test {

namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Every folder make_temp_dir() made in this process, removed when the process exits. ctest runs
/// each test case as its own process, so a run leaves /tmp as it found it; a failing test's bus
/// log is printed by the test itself (INFO(bus.log())), not kept on disk.
class temp_dirs final {
  public:
    ~temp_dirs() {
        for (const auto& d : dirs_) {
            std::error_code ignored;
            std::filesystem::remove_all(d, ignored);
        }
    }
    void add(std::string dir) {
        std::lock_guard lock(mutex_);
        dirs_.push_back(std::move(dir));
    }

  private:
    std::mutex mutex_;
    std::vector<std::string> dirs_;
};

temp_dirs& made_temp_dirs() {
    static temp_dirs dirs;
    return dirs;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}

}  // namespace

std::string token_of(const std::string& agency) { return "test-token-" + agency; }

std::string admin_token() { return "test-admin-token"; }

std::string test_config(int amqp_port, const std::string& extra, bool tls,
                        std::vector<std::string> token_agencies) {
    const std::string src = LIENTHONG_SOURCE_DIR;
    const std::string pki = LIENTHONG_TEST_PKI_DIR;
    if (token_agencies.empty()) {
        token_agencies = {province, district1, district2, commune1, commune2, commune3};
    }
    std::string tokens;
    for (const auto& a : token_agencies) {
        tokens += "    - agency: " + std::string(a) +
                  "\n      sha256: " + bus::crypto::sha256_hex(token_of(a)) + "\n";
    }
    const std::string transport =
        tls ? "tls:\n  certificate: " + pki + "/tls/server.pem\n  private_key: " + pki +
                  "/tls/server-key.pem\n  client_ca: " + pki + "/tls/client-ca.pem\n"
            : "  plain_http: true\n";
    // Either a listen.plain_http key or a top-level tls: section; both follow listen.
    return "listen:\n  address: 127.0.0.1\n  port: 0\n" + transport + "schemas_dir: " + src +
           "/schemas\n"
           "directory: " +
           src +
           "/deploy/config/agencies.yaml\n"
           "trust:\n  anchors_dir: " +
           pki + "/trust\n  intermediates_dir: " + pki +
           "/intermediates\n"
           // The documents' own signatures (signed PDFs) chain to the same test root here.
           "  document_anchors_dir: " +
           pki + "/trust\n  document_intermediates_dir: " + pki +
           "/intermediates\n  document_crl_dir: " + pki +
           "/crl\n"
           "broker:\n  port: " +
           std::to_string(amqp_port) +
           "\n  reconnect_max_ms: 500\n"
           "auth:\n  admin_tokens:\n    - name: test-admin\n      sha256: " +
           bus::crypto::sha256_hex(admin_token()) + "\n  tokens:\n" + tokens + extra;
}

int unused_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(
        ioc, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();
}

std::string make_temp_dir(const std::string& prefix) {
    std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
    if (!mkdtemp(tmpl.data())) {
        throw std::runtime_error("mkdtemp failed");
    }
    made_temp_dirs().add(tmpl);
    return tmpl;
}

bus_process::bus_process(const std::string& config_yaml, std::chrono::seconds start_limit)
    : dir_(make_temp_dir("lienthong-bus")) {
    write_file(dir_ + "/bus.yaml", config_yaml);
    const std::string log_path = dir_ + "/bus.log";
    pid_ = fork();
    if (pid_ < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        const std::string cfg = dir_ + "/bus.yaml";
        if (!freopen(log_path.c_str(), "w", stderr)) {
            _exit(127);
        }
        execl(LIENTHONG_BUS_EXE, LIENTHONG_BUS_EXE, "--config", cfg.c_str(), nullptr);
        _exit(127);
    }
    static const std::regex listening(R"re("event":"bus\.listening".*"port":"(\d+)")re");
    const auto deadline = std::chrono::steady_clock::now() + start_limit;
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch m;
        const auto text = read_all(log_path);
        if (std::regex_search(text, m, listening)) {
            port_ = static_cast<unsigned short>(std::stoi(m[1]));
            return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("lienthong-bus exited at start-up:\n" + text);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("lienthong-bus did not start listening:\n" + read_all(log_path));
}

bus_process::~bus_process() { (void)terminate(std::chrono::seconds(5)); }

std::optional<int> bus_process::terminate(std::chrono::milliseconds grace) {
    if (pid_ <= 0) {
        return std::nullopt;
    }
    const pid_t pid = std::exchange(pid_, -1);
    kill(pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return status;
}

std::string bus_process::log() const { return read_all(dir_ + "/bus.log"); }

std::pair<int, std::string> check_config(const std::string& config_yaml) {
    const auto dir = make_temp_dir("lienthong-check");
    write_file(dir + "/bus.yaml", config_yaml);
    const std::string cmd = std::string(LIENTHONG_BUS_EXE) + " --check-config --config " + dir +
                            "/bus.yaml > " + dir + "/out.txt 2>&1";
    const int rc = std::system(cmd.c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, read_all(dir + "/out.txt")};
}

}  // namespace lienthong::test
