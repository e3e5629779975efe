// lienthong-axis-sim: the simulated national axis as a process, for the demo and manual tests.
//   lienthong-axis-sim --secret SECRET [--port N] [--store DIR]
// Prints "axis-simulator listening on http://127.0.0.1:PORT" and serves until SIGINT/SIGTERM.
#include <signal.h>

#include <cstring>
#include <iostream>
#include <string>

#include "tools/axis_simulator.hpp"

int main(int argc, char* argv[]) {
    std::string secret;
    std::string store;
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--secret") == 0) {
            secret = argv[i + 1];
        } else if (std::strcmp(argv[i], "--port") == 0) {
            port = std::atoi(argv[i + 1]);
        } else if (std::strcmp(argv[i], "--store") == 0) {
            store = argv[i + 1];
        } else {
            secret.clear();
            break;
        }
    }
    if (secret.empty() || argc % 2 == 0 || port < 0 || port > 65535) {
        std::cerr << "usage: lienthong-axis-sim --secret SECRET [--port N] [--store DIR]\n";
        return 2;
    }
    // Block the signals before the server thread starts so that only sigwait sees them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    try {
        lienthong::test::axis_simulator sim(secret, static_cast<unsigned short>(port), store);
        std::cout << "axis-simulator listening on " << sim.endpoint() << std::endl;
        int sig = 0;
        sigwait(&stop_signals, &sig);
    } catch (const std::exception& e) {
        std::cerr << "lienthong-axis-sim: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
