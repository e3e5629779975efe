#include "core/metrics.hpp"

#include <catch2/catch.hpp>

using namespace lienthong;

TEST_CASE("metrics: counters - gauges and histograms in the Prometheus text format", "[unit]") {
    core::metrics m;
    m.describe("jobs_total", core::metrics::kind::counter, "Jobs by outcome");
    m.add("jobs_total", {{"outcome", "ok"}});
    m.add("jobs_total", {{"outcome", "ok"}}, 2);
    m.add("jobs_total", {{"outcome", "bad \"one\"\n"}});
    m.set("up", {}, 1);
    m.describe("latency_seconds", core::metrics::kind::histogram, "Latency", {0.1, 1});
    m.observe("latency_seconds", {{"route", "a.b"}}, 0.05);
    m.observe("latency_seconds", {{"route", "a.b"}}, 0.5);
    m.observe("latency_seconds", {{"route", "a.b"}}, 7);

    const auto text = m.render();
    CHECK(text.find("# HELP jobs_total Jobs by outcome\n# TYPE jobs_total counter\n") !=
          std::string::npos);
    CHECK(text.find("jobs_total{outcome=\"ok\"} 3\n") != std::string::npos);
    CHECK(text.find("jobs_total{outcome=\"bad \\\"one\\\"\\n\"} 1\n") != std::string::npos);
    CHECK(text.find("# TYPE up gauge\nup 1\n") != std::string::npos);
    // Buckets are cumulative, +Inf equals the count.
    CHECK(text.find("latency_seconds_bucket{route=\"a.b\",le=\"0.1\"} 1\n") != std::string::npos);
    CHECK(text.find("latency_seconds_bucket{route=\"a.b\",le=\"1\"} 2\n") != std::string::npos);
    CHECK(text.find("latency_seconds_bucket{route=\"a.b\",le=\"+Inf\"} 3\n") != std::string::npos);
    CHECK(text.find("latency_seconds_sum{route=\"a.b\"} 7.55\n") != std::string::npos);
    CHECK(text.find("latency_seconds_count{route=\"a.b\"} 3\n") != std::string::npos);

    CHECK(m.value("jobs_total", {{"outcome", "ok"}}) == 3);
    CHECK(m.value("jobs_total", {{"outcome", "missing"}}) == 0);
    // All three increments happened within the last minute.
    CHECK(m.rate("jobs_total", {{"outcome", "ok"}}) == Approx(3.0 / 60));
}

TEST_CASE("metrics: scrape-time gauges are refreshed before rendering", "[unit]") {
    core::metrics m;
    int calls = 0;
    m.on_scrape([&](core::metrics& self) { self.set("queue_depth", {{"queue", "q"}}, ++calls); });
    CHECK(m.render().find("queue_depth{queue=\"q\"} 1\n") != std::string::npos);
    CHECK(m.render().find("queue_depth{queue=\"q\"} 2\n") != std::string::npos);
}
