#include "http/worker_pool.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "http/problem.hpp"
#include "http/router.hpp"

using namespace lienthong;
using namespace lienthong::bus::http;

namespace {

/// Holds a worker until released, so that tests can fill the queue deterministically.
struct gate {
    std::promise<void> open;
    std::shared_future<void> opened = open.get_future().share();
    void wait() const { opened.wait(); }
};

request get(const std::string& target, std::string body = {}) {
    request req{beast_http::verb::get, target, 11};
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

struct routed {
    bus::routing::directory directory{{}};
    authenticator auth{{}, {}, directory};
    rate_limiter limiter{0, 1};
};

}  // namespace

TEST_CASE("worker pool: never more than max_queued jobs wait", "[unit]") {
    worker_pool pool(1, 2);
    gate g;
    std::promise<void> started;
    REQUIRE(pool.try_post([&] {
        started.set_value();
        g.wait();
    }));
    started.get_future().wait();  // the only thread is busy now
    std::atomic<int> ran{0};
    CHECK(pool.try_post([&] { ++ran; }));
    CHECK(pool.try_post([&] { ++ran; }));
    CHECK(pool.waiting() == 2);
    CHECK_FALSE(pool.try_post([&] { ran += 100; }));  // refused, and never run
    g.open.set_value();
    pool.stop();
    CHECK(ran == 2);
}

TEST_CASE(
    "router: handlers run on a worker and get the body without a copy - a full queue "
    "answers 503 server-busy at once",
    "[unit]") {
    routed f;
    worker_pool pool(1, 1);
    router r{f.auth, f.limiter, 1 << 20, &pool};
    gate g;
    std::promise<std::thread::id> handler_thread;
    std::promise<const char*> handler_body;
    r.add({beast_http::verb::get, "/slow", role::none, "",
           [&](request&& req, const caller&, responder respond) {
               g.wait();
               respond(make_json(beast_http::status::ok, "{}", req.version(), true));
           }});
    r.add({beast_http::verb::get, "/body", role::none, "",
           [&](request&& req, const caller&, responder respond) {
               handler_thread.set_value(std::this_thread::get_id());
               handler_body.set_value(req.body().data());
               respond(make_json(beast_http::status::ok, "{}", req.version(), true));
           }});
    r.add({beast_http::verb::get, "/healthz", role::none, "",
           [](request&& req, const caller&, responder respond) {
               respond(make_json(beast_http::status::ok, "{}", req.version(), true));
           },
           runs_on::network});

    std::vector<response> answers;
    std::mutex m;
    const auto collect = [&](response&& res) {
        std::lock_guard lock(m);
        answers.push_back(std::move(res));
    };
    r.serve(get("/slow"), collect);  // takes the only worker
    while (pool.waiting() != 0) {
        std::this_thread::yield();
    }
    // 64 KiB: far beyond the small-string buffer, so a copy would change the data pointer.
    auto big = get("/body", std::string(64 * 1024, 'x'));
    const char* sent = big.body().data();
    r.serve(std::move(big), collect);  // waits in the queue (1 place)
    r.serve(get("/slow"), collect);    // the queue is full: refused now, not later

    {
        std::lock_guard lock(m);
        REQUIRE(answers.size() == 1);
        CHECK(answers[0].result() == beast_http::status::service_unavailable);
        CHECK(answers[0][beast_http::field::retry_after] == "1");
        CHECK(
            boost::json::parse(answers[0].body()).at("type").as_string().ends_with("server-busy"));
    }
    // Liveness is answered on the calling thread even with every worker busy.
    response health;
    r.serve(get("/healthz"), [&](response&& res) { health = std::move(res); });
    CHECK(health.result() == beast_http::status::ok);

    g.open.set_value();
    CHECK(handler_thread.get_future().get() != std::this_thread::get_id());
    CHECK(handler_body.get_future().get() == sent);
    pool.stop();
    CHECK(answers.size() == 3);
}
