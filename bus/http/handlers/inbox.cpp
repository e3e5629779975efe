#include "http/handlers/inbox.hpp"

#include <boost/json.hpp>

#include "core/log.hpp"
#include "http/problem.hpp"

namespace lienthong::bus::http::handlers {

namespace {

constexpr std::size_t max_listed = 500;
constexpr std::string_view prefix = "/v1/inbox/";

/// The {id} of /v1/inbox/{id}[suffix], or "" when the path has another shape.
std::string id_of(const request& req, std::string_view suffix) {
    auto path = std::string_view(req.target());
    path = path.substr(0, path.find('?')).substr(prefix.size());
    if (path.size() <= suffix.size() || path.substr(path.size() - suffix.size()) != suffix) {
        return {};
    }
    path.remove_suffix(suffix.size());
    return path.find('/') == std::string_view::npos ? std::string(path) : std::string{};
}

core::failure not_found(const std::string& id) {
    return core::fail(core::errc::not_found, "no document '" + id + "' in your inbox", "id");
}

void respond_failure(const request& req, const responder& respond, const core::failure& f) {
    if (f.code == core::errc::internal) {
        core::log(core::log_level::error, "inbox.store_failed", {{"detail", f.log_detail}});
    }
    respond(make_problem(f, req.version(), req.keep_alive()));
}

}  // namespace

std::vector<endpoint> inbox(inbox::inbox_store& store) {
    std::vector<endpoint> out;
    out.push_back({beast_http::verb::get, "/v1/inbox", role::agency, "",
                   [&store](request&& req, const caller& who, responder respond) {
                       auto listed = store.list(who.agency, max_listed);
                       if (!listed) {
                           return respond_failure(req, respond, listed.error());
                       }
                       boost::json::array docs;
                       for (const auto& e : *listed) {
                           docs.push_back({{"id", e.id},
                                           {"document_id", e.document_id},
                                           {"sender", e.sender},
                                           {"received_ms", e.received_ms},
                                           {"bytes", e.bytes}});
                       }
                       respond(make_json(beast_http::status::ok,
                                         boost::json::serialize(
                                             boost::json::object{{"documents", std::move(docs)}}),
                                         req.version(), req.keep_alive()));
                   }});
    out.push_back({beast_http::verb::get, std::string(prefix), role::agency, "",
                   [&store](request&& req, const caller& who, responder respond) {
                       const auto id = id_of(req, "");
                       auto packet = store.packet(who.agency, id);
                       if (!packet) {
                           return respond_failure(req, respond, packet.error());
                       }
                       if (id.empty() || !*packet) {
                           return respond_failure(req, respond, not_found(id));
                       }
                       response res{beast_http::status::ok, req.version()};
                       res.set(beast_http::field::content_type, "application/xml");
                       res.keep_alive(req.keep_alive());
                       res.body() = std::move(**packet);
                       res.prepare_payload();
                       respond(std::move(res));
                   }});
    out.push_back(
        {beast_http::verb::post, std::string(prefix), role::agency, "",
         [&store](request&& req, const caller& who, responder respond) {
             const auto id = id_of(req, "/ack");
             auto acked = store.ack(who.agency, id);
             if (!acked) {
                 return respond_failure(req, respond, acked.error());
             }
             if (id.empty() || !*acked) {
                 return respond_failure(req, respond, not_found(id));
             }
             core::log(core::log_level::info, "inbox.acked", {{"id", id}, {"agency", who.agency}});
             response res{beast_http::status::no_content, req.version()};
             res.keep_alive(req.keep_alive());
             res.prepare_payload();
             respond(std::move(res));
         }});
    return out;
}

}  // namespace lienthong::bus::http::handlers
