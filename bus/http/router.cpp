#include "http/router.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <cctype>
#include <charconv>

#include "http/problem.hpp"
#include "http/problem_titles.hpp"

namespace lienthong::bus::http {

namespace {

bool path_matches(const std::string& pattern, std::string_view path) {
    if (!pattern.empty() && pattern.back() == '/') {
        // The prefix itself matches too ("/ui/" serves the dashboard's index).
        return path.size() >= pattern.size() && path.substr(0, pattern.size()) == pattern;
    }
    return path == pattern;
}

std::string_view media_type(std::string_view content_type) {
    auto semi = content_type.find(';');
    auto mt = content_type.substr(0, semi);
    while (!mt.empty() && mt.back() == ' ') {
        mt.remove_suffix(1);
    }
    return mt;
}

using boost::algorithm::iequals;

}  // namespace

router::router(const authenticator& auth, rate_limiter& limiter, std::size_t max_body_bytes,
               worker_pool* workers)
    : auth_(auth), limiter_(limiter), max_body_bytes_(max_body_bytes), workers_(workers) {}

void router::add(endpoint e) { endpoints_.push_back(std::move(e)); }

core::failure router::not_served(const beast_http::request_header<>& header,
                                 std::string_view target) const {
    std::string allowed;  // the methods served at this path: a 405's Allow header
    for (const auto& e : endpoints_) {
        if (path_matches(e.path, target)) {
            allowed += (allowed.empty() ? "" : ", ") + std::string(beast_http::to_string(e.method));
        }
    }
    if (allowed.empty()) {
        return core::fail(core::errc::not_found, "no endpoint at " + std::string(target));
    }
    auto f =
        core::fail(core::errc::method_not_allowed, "method " + std::string(header.method_string()) +
                                                       " is not allowed on " + std::string(target));
    f.allow = std::move(allowed);
    return f;
}

core::result<admission> router::admit(const beast_http::request_header<>& header,
                                      const connection_info& connection) const {
    auto target = std::string_view(header.target());
    target = target.substr(0, target.find('?'));
    const endpoint* found = nullptr;
    for (const auto& e : endpoints_) {
        if (e.method == header.method() && path_matches(e.path, target)) {
            found = &e;
            break;
        }
    }
    if (!found) {
        return not_served(header, target);
    }
    admission a{found, {}};
    if (found->needs != role::none) {
        auto who = auth_.identify(header[beast_http::field::authorization], connection);
        if (!who) {
            return std::move(who).error();
        }
        if (who->kind == role::none) {
            return core::fail(core::errc::unauthenticated,
                              "credentials are required: a client certificate or an "
                              "'Authorization: Bearer <token>' header",
                              "Authorization");
        }
        if (who->kind != found->needs) {
            return core::fail(core::errc::forbidden,
                              found->needs == role::admin
                                  ? "this endpoint needs the admin role"
                                  : "this endpoint needs an agency's credentials");
        }
        // Counted per caller before the body is read, so refused requests count too.
        if (const int wait =
                limiter_.acquire(who->kind == role::admin ? "admin:" + who->admin : who->agency)) {
            auto f = core::fail(core::errc::rate_limited,
                                "too many requests; retry after " + std::to_string(wait) + " s");
            f.retry_after_s = wait;
            return f;
        }
        a.who = std::move(*who);
    }
    if (!found->content_type.empty() &&
        !iequals(media_type(header[beast_http::field::content_type]), found->content_type)) {
        return core::fail(core::errc::unsupported_media_type,
                          "Content-Type must be " + found->content_type, "Content-Type");
    }
    const auto length = header[beast_http::field::content_length];
    if (!length.empty()) {
        std::size_t n = 0;
        const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
        if (ec != std::errc{} || end != length.data() + length.size() || n > max_body_bytes_) {
            return core::fail(core::errc::payload_too_large,
                              "the body is larger than the limit of " +
                                  std::to_string(max_body_bytes_) + " bytes",
                              "Content-Length");
        }
    }
    return a;
}

void router::dispatch(const admission& admitted, request&& req, responder respond) const {
    const endpoint& target = *admitted.target;
    // Problem titles in the caller's language (Accept-Language), for every handler at once.
    if (const auto lang = preferred_language(req[beast_http::field::accept_language]);
        lang != language::en) {
        respond = [inner = std::move(respond), lang](response&& res) {
            localize_problem(res, lang);
            inner(std::move(res));
        };
    }
    if (workers_ == nullptr || target.where == runs_on::network) {
        return target.handle(std::move(req), admitted.who, std::move(respond));
    }
    const auto version = req.version();
    const bool keep_alive = req.keep_alive();
    // The responder is copied into the job; the original answers only when the queue is full.
    const bool queued =
        workers_->try_post([&target, who = admitted.who, req = std::move(req), respond]() mutable {
            target.handle(std::move(req), who, std::move(respond));
        });
    if (!queued) {
        auto f =
            core::fail(core::errc::server_busy, "every request worker is busy; retry after 1 s");
        f.retry_after_s = 1;
        respond(make_problem(f, version, keep_alive));
    }
}

void router::serve(request req, responder respond, const connection_info& connection) const {
    auto a = admit(req.base(), connection);
    if (!a) {
        auto res = make_problem(a.error(), req.version(), req.keep_alive());
        localize_problem(res, preferred_language(req[beast_http::field::accept_language]));
        return respond(std::move(res));
    }
    dispatch(*a, std::move(req), std::move(respond));
}

std::optional<std::string> percent_decode(std::string_view segment) {
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(segment.size());
    for (std::size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] != '%') {
            out += segment[i];
            continue;
        }
        if (i + 2 >= segment.size()) {
            return std::nullopt;
        }
        const int hi = hex(segment[i + 1]);
        const int lo = hex(segment[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

core::result<void> require_agency(const caller& who, const std::string& agency,
                                  const std::string& what) {
    if (who.kind == role::agency && who.agency == agency) {
        return {};
    }
    return core::fail(core::errc::forbidden, "only " + agency + " may " + what);
}

core::result<void> require_one_of(const caller& who, const std::vector<std::string>& agencies,
                                  const std::string& what) {
    for (const auto& a : agencies) {
        if (who.kind == role::agency && who.agency == a) {
            return {};
        }
    }
    return core::fail(core::errc::forbidden, "only the agencies concerned may " + what);
}

}  // namespace lienthong::bus::http
