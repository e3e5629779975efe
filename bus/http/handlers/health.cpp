#include "http/handlers/health.hpp"

#include "http/problem.hpp"

namespace lienthong::bus::http::handlers {

endpoint healthz() {
    return endpoint{beast_http::verb::get, "/healthz", false, "",
                    [](const request& req, const caller&, responder respond) {
                        respond(make_json(beast_http::status::ok, R"({"status":"ok"})",
                                          req.version(), req.keep_alive()));
                    }};
}

endpoint readyz(std::function<bool()> ready) {
    return endpoint{beast_http::verb::get, "/readyz", false, "",
                    [ready = std::move(ready)](const request& req, const caller&,
                                               responder respond) {
                        if (ready()) {
                            return respond(make_json(beast_http::status::ok,
                                                     R"({"status":"ready"})", req.version(),
                                                     req.keep_alive()));
                        }
                        respond(make_problem(core::fail(core::errc::broker_unavailable,
                                                        "the message broker is not connected"),
                                             req.version(), req.keep_alive()));
                    }};
}

}  // namespace lienthong::bus::http::handlers
