#pragma once
// Waits for something the bus does asynchronously (a delivery, a poll, a status update).
#include <chrono>
#include <thread>

namespace lienthong::test {

/// Calls `done` every 50 ms until it returns true (→ true) or 20 s have passed (→ false).
template <class Pred>
bool eventually(Pred done) {
    for (int i = 0; i < 400; ++i) {  // bounded: 20 s at most
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

}  // namespace lienthong::test
