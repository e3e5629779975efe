#include "http/handlers/health.hpp"

#include "http/problem.hpp"

namespace lienthong::bus::http::handlers {

endpoint healthz() {
    return endpoint{beast_http::verb::get,
                    "/healthz",
                    role::none,
                    "",
                    [](request&& req, const caller&, responder respond) {
                        respond(make_json(beast_http::status::ok, R"({"status":"ok"})",
                                          req.version(), req.keep_alive()));
                    },
                    runs_on::network};  // liveness must answer even when every worker is busy
}

endpoint readyz(std::function<bool()> ready) {
    return endpoint{
        beast_http::verb::get, "/readyz", role::none, "",
        [ready = std::move(ready)](request&& req, const caller&, responder respond) {
            if (ready()) {
                return respond(make_json(beast_http::status::ok, R"({"status":"ready"})",
                                         req.version(), req.keep_alive()));
            }
            respond(make_problem(core::fail(core::errc::broker_unavailable,
                                            "not ready: the message broker is not reachable or "
                                            "blocks publishing (resource alarm), or the tracking "
                                            "store is not reachable"),
                                 req.version(), req.keep_alive()));
        }};
}

}  // namespace lienthong::bus::http::handlers
