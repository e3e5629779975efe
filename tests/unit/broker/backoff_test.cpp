#include "broker/backoff.hpp"

#include <catch2/catch.hpp>

using lienthong::bus::broker::backoff_delay;
using std::chrono::milliseconds;

TEST_CASE("backoff_delay: doubles from 100 ms with jitter - capped", "[unit]") {
    const milliseconds cap{5'000};
    CHECK(backoff_delay(0, cap, 0) == milliseconds{50});
    CHECK(backoff_delay(0, cap, 50) == milliseconds{100});
    CHECK(backoff_delay(1, cap, 0) == milliseconds{100});
    CHECK(backoff_delay(3, cap, 400) == milliseconds{800});
    for (int attempt : {6, 7, 30, 1'000}) {
        CHECK(backoff_delay(attempt, cap, 0) == milliseconds{2'500});
        CHECK(backoff_delay(attempt, cap, 0xffffffffu) <= cap);
        CHECK(backoff_delay(attempt, cap, 0xffffffffu) >= milliseconds{2'500});
    }
    CHECK(backoff_delay(-1, cap, 0) == milliseconds{50});
    CHECK(backoff_delay(5, milliseconds{0}, 7) >= milliseconds{0});
}
