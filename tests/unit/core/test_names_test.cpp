#include <catch2/catch.hpp>

// ctest runs each Catch2 test case by name: Catch2's test spec reads a comma as "or", and CMake
// splits a name at a semicolon, so such a test would silently run nothing under ctest.
TEST_CASE("test names contain no comma or semicolon (ctest could not select them)", "[unit]") {
    const auto& config = *Catch::getCurrentContext().getConfig();
    for (const auto& tc : Catch::getAllTestCasesSorted(config)) {
        INFO(tc.name);
        CHECK(tc.name.find_first_of(",;") == std::string::npos);
    }
}
