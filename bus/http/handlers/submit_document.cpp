#include "http/handlers/submit_document.hpp"

#include <boost/json.hpp>

#include "core/log.hpp"
#include "http/problem.hpp"
#include "pdf/verdict.hpp"

namespace lienthong::bus::http::handlers {

endpoint submit_document(const pipeline::ingest& ingest) {
    return endpoint{
        beast_http::verb::post, "/v1/documents", role::agency, "application/xml",
        [&ingest](request&& req, const caller& who, responder respond) {
            const auto version = req.version();
            const bool keep_alive = req.keep_alive();
            auto packet = std::make_shared<const std::string>(std::move(req.body()));
            ingest.submit(
                who.agency, std::move(packet),
                [version, keep_alive, respond = std::move(respond),
                 sender = who.agency](core::result<pipeline::accepted> r) {
                    if (!r) {
                        const auto& f = r.error();
                        core::log(core::log_level::info, "document.rejected",
                                  {{"sender", sender},
                                   {"type", core::type_slug(f.code)},
                                   {"detail", f.log_detail.empty() ? f.message : f.log_detail}});
                        return respond(make_problem(f, version, keep_alive));
                    }
                    boost::json::array recipients;
                    std::string joined;
                    for (const auto& rc : r->recipients) {
                        recipients.emplace_back(rc);
                        joined += (joined.empty() ? "" : ",") + rc;
                    }
                    core::log(core::log_level::info,
                              r->repeated ? "document.repeated" : "document.accepted",
                              {{"id", r->id},
                               {"document_id", r->document_id},
                               {"sender", sender},
                               {"routes", joined}});
                    boost::json::object body{{"id", r->id},
                                             {"document_id", r->document_id},
                                             {"recipients", std::move(recipients)},
                                             {"envelope_signature", r->envelope_signature}};
                    if (!r->document_signatures.empty()) {
                        body["document_signatures"] = r->document_signatures;
                        body["documents"] = pdf::to_json(r->documents);
                    }
                    // 200 for a packet accepted before (idempotent repeat), 202 for a new one.
                    auto res = make_json(
                        r->repeated ? beast_http::status::ok : beast_http::status::accepted,
                        boost::json::serialize(body), version, keep_alive);
                    res.set(beast_http::field::location, "/v1/documents/" + r->id);
                    respond(std::move(res));
                });
        }};
}

}  // namespace lienthong::bus::http::handlers
