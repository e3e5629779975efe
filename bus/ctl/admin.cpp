// lienthongctl queues / dead-letters / replay / document: the operators' admin API from a shell.
// Human-readable tables by default, the API's JSON with --json (for scripts).
#include <boost/json.hpp>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "adapters/common/http_client.hpp"
#include "ctl/commands.hpp"

namespace lienthong::ctl {

namespace {

namespace json = boost::json;

struct admin_options {
    std::string url;    ///< base URL of the bus
    std::string token;  ///< admin token
    std::string ca_file;
    bool json = false;
    std::vector<std::string> rest;  ///< arguments of the sub-command
    std::string route;
    std::string limit;
    std::string from;  ///< report: first day (YYYY-MM-DD)
    std::string to;    ///< report: day after the last
    bool csv = false;  ///< report: the API's CSV as it is
};

int admin_usage() {
    std::cerr << command_help("queues");
    return 2;
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

bool parse(const std::vector<std::string>& args, admin_options& o) {
    o.url = env_or("LIENTHONG_URL", "http://127.0.0.1:8080");
    o.token = env_or("LIENTHONG_ADMIN_TOKEN", "");
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--json") {
            o.json = true;
        } else if (a == "--url" && has_value) {
            o.url = args[++i];
        } else if (a == "--token" && has_value) {
            o.token = args[++i];
        } else if (a == "--ca" && has_value) {
            o.ca_file = args[++i];
        } else if (a == "--route" && has_value) {
            o.route = args[++i];
        } else if (a == "--limit" && has_value) {
            o.limit = args[++i];
        } else if (a == "--from" && has_value) {
            o.from = args[++i];
        } else if (a == "--to" && has_value) {
            o.to = args[++i];
        } else if (a == "--csv") {
            o.csv = true;
        } else if (!a.empty() && a[0] == '-') {
            return false;
        } else {
            o.rest.push_back(a);
        }
    }
    while (!o.url.empty() && o.url.back() == '/') {
        o.url.pop_back();
    }
    return true;
}

std::string encoded(const std::string& s) {
    std::ostringstream out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out << c;
        } else {
            out << '%' << std::uppercase << std::hex << std::setw(2) << std::setfill('0')
                << static_cast<int>(c);
        }
    }
    return out.str();
}

adapters::common::http_result send(const admin_options& o, const std::string& method,
                                   const std::string& path) {
    adapters::common::http_request req;
    req.method = method;
    req.url = o.url + path;
    req.headers = {{"Authorization", "Bearer " + o.token}, {"Accept", "application/json"}};
    req.timeout = std::chrono::seconds(60);
    adapters::common::tls_options tls{o.ca_file, {}, {}};
    return adapters::common::send(req, &tls);
}

/// Calls the admin API; on success stores the parsed JSON body. Prints the problem otherwise.
bool call(const admin_options& o, const std::string& method, const std::string& path,
          json::value& out) {
    const auto r = send(o, method, path);
    if (!r.ok()) {
        std::cerr << "lienthongctl: " << o.url + path << ": " << r.error << "\n";
        return false;
    }
    boost::system::error_code ec;
    out = json::parse(r.body, ec);
    if (r.status / 100 != 2) {
        std::cerr << "lienthongctl: " << method << " " << path << ": HTTP " << r.status;
        if (!ec && out.is_object() && out.as_object().contains("detail")) {
            std::cerr << " " << json::value_to<std::string>(out.at("type")) << ": "
                      << json::value_to<std::string>(out.at("detail"));
        }
        std::cerr << "\n";
        return false;
    }
    if (ec) {
        std::cerr << "lienthongctl: " << path << ": the reply is not JSON\n";
        return false;
    }
    return true;
}

std::string text(const json::value& v) {
    if (v.is_string()) {
        return std::string(v.as_string());
    }
    if (v.is_double()) {
        std::ostringstream s;
        s << std::fixed << std::setprecision(2) << v.as_double();
        return s.str();
    }
    return json::serialize(v);
}

/// Prints rows as left-aligned columns under a header line.
void table(const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
        width[c] = header[c].size();
        for (const auto& r : rows) {
            width[c] = std::max(width[c], r[c].size());
        }
    }
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t c = 0; c < cells.size(); ++c) {
            std::cout << cells[c];
            if (c + 1 < cells.size()) {
                std::cout << std::string(width[c] - cells[c].size() + 2, ' ');
            }
        }
        std::cout << "\n";
    };
    line(header);
    for (const auto& r : rows) {
        line(r);
    }
}

int queues(const admin_options& o) {
    json::value v;
    if (!call(o, "GET", "/v1/admin/queues", v)) {
        return 1;
    }
    if (o.json) {
        std::cout << json::serialize(v) << "\n";
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : v.at("routes").as_array()) {
        rows.push_back({text(r.at("route")), text(r.at("type")), text(r.at("messages")),
                        text(r.at("consumers")), text(r.at("publish_rate")),
                        text(r.at("deliver_rate"))});
    }
    table({"ROUTE", "TYPE", "READY", "CONSUMERS", "PUBLISHED/S", "DELIVERED/S"}, rows);
    std::cout << "dead letters: " << text(v.at("dead_letter").at("messages")) << " in "
              << text(v.at("dead_letter").at("queue"))
              << (v.at("broker_connected").as_bool() ? "" : "  (broker disconnected)") << "\n";
    return 0;
}

int dead_letters(const admin_options& o) {
    json::value v;
    if (!call(o, "GET",
              "/v1/admin/dead-letters" + (o.limit.empty() ? "" : "?limit=" + encoded(o.limit)),
              v)) {
        return 1;
    }
    if (o.json) {
        std::cout << json::serialize(v) << "\n";
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : v.at("dead_letters").as_array()) {
        rows.push_back({text(d.at("id")), text(d.at("route")), text(d.at("recipient")),
                        text(d.at("attempts")), text(d.at("reason"))});
    }
    table({"ID", "ROUTE", "RECIPIENT", "ATTEMPTS", "REASON"}, rows);
    return 0;
}

int replay(const admin_options& o) {
    if (o.rest.size() > 1 || (o.rest.empty() && o.route.empty())) {
        return admin_usage();
    }
    const std::string path = o.rest.empty()
                                 ? "/v1/admin/dead-letters/replay?route=" + encoded(o.route)
                                 : "/v1/admin/dead-letters/" + encoded(o.rest[0]) + "/replay" +
                                       (o.route.empty() ? "" : "?route=" + encoded(o.route));
    json::value v;
    if (!call(o, "POST", path, v)) {
        return 1;
    }
    if (o.json) {
        std::cout << json::serialize(v) << "\n";
        return 0;
    }
    for (const auto& m : v.at("messages").as_array()) {
        std::cout << "replayed " << text(m.at("id")) << " to " << text(m.at("route")) << "\n";
    }
    std::cout << text(v.at("replayed")) << " dead letter(s) replayed\n";
    return 0;
}

int document(const admin_options& o) {
    if (o.rest.size() != 1 || o.rest[0].empty()) {
        return admin_usage();
    }
    json::value v;
    if (!call(o, "GET", "/v1/admin/documents/" + encoded(o.rest[0]), v)) {
        return 1;
    }
    if (o.json) {
        std::cout << json::serialize(v) << "\n";
        return 0;
    }
    std::cout << "document " << text(v.at("id")) << " (" << text(v.at("document_id")) << ") from "
              << text(v.at("sender")) << ": " << text(v.at("state")) << "\n";
    std::vector<std::vector<std::string>> recipients;
    for (const auto& r : v.at("recipients").as_array()) {
        recipients.push_back({text(r.at("agency")), r.at("delivered").as_bool() ? "yes" : "no",
                              text(r.at("status_code")) + " " + text(r.at("status"))});
    }
    table({"RECIPIENT", "DELIVERED", "STATUS"}, recipients);
    std::cout << "\n";
    std::vector<std::vector<std::string>> events;
    for (const auto& e : v.at("events").as_array()) {
        const auto ms = e.at("time_ms").to_number<std::int64_t>();
        const std::time_t secs = static_cast<std::time_t>(ms / 1000);
        std::tm tm{};
        gmtime_r(&secs, &tm);
        char when[32];
        std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", &tm);
        events.push_back({when, text(e.at("kind")), text(e.at("route")), text(e.at("agency")),
                          text(e.at("code")), text(e.at("detail"))});
    }
    table({"TIME", "EVENT", "ROUTE", "AGENCY", "CODE", "DETAIL"}, events);
    return 0;
}

// report signatures: the signed share per agency (GET /v1/admin/reports/signatures).
int report(const admin_options& o) {
    if (o.rest.size() != 1 || o.rest[0] != "signatures") {
        std::cerr << command_help("report");
        return 2;
    }
    const std::string path = "/v1/admin/reports/signatures?from=" + encoded(o.from) +
                             "&to=" + encoded(o.to) + (o.csv ? "&format=csv" : "");
    if (o.csv) {
        const auto r = send(o, "GET", path);
        if (!r.ok() || r.status != 200) {
            std::cerr << "lienthongctl: " << path << ": "
                      << (r.ok() ? "HTTP " + std::to_string(r.status) : r.error) << "\n";
            return 1;
        }
        std::cout << r.body;
        return 0;
    }
    json::value v;
    if (!call(o, "GET", path, v)) {
        return 1;
    }
    if (o.json) {
        std::cout << json::serialize(v) << "\n";
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    auto row = [&rows](const std::string& name, const json::value& r) {
        rows.push_back({name, text(r.at("documents")), text(r.at("signed")),
                        text(r.at("signed_invalid")), text(r.at("unsigned")), text(r.at("not_pdf")),
                        text(json::value(r.at("signed_share").to_number<double>() * 100)) + "%"});
    };
    for (const auto& a : v.at("agencies").as_array()) {
        row(text(a.at("agency")), a);
    }
    row("total", v.at("total"));
    std::cout << "signed documents " << text(v.at("from")) << " .. " << text(v.at("to"))
              << " (to exclusive)\n";
    table({"AGENCY", "DOCUMENTS", "SIGNED", "INVALID", "UNSIGNED", "NO PDF", "SIGNED SHARE"}, rows);
    return 0;
}

}  // namespace

bool is_admin_command(const std::string& cmd) {
    return cmd == "queues" || cmd == "dead-letters" || cmd == "replay" || cmd == "document" ||
           cmd == "report";
}

int cmd_admin(const std::string& cmd, const std::vector<std::string>& args) {
    admin_options o;
    if (!parse(args, o)) {
        return admin_usage();
    }
    if (o.token.empty()) {
        std::cerr << "lienthongctl: an admin token is needed (--token or LIENTHONG_ADMIN_TOKEN)\n";
        return 2;
    }
    if (cmd == "queues") {
        return queues(o);
    }
    if (cmd == "dead-letters") {
        return dead_letters(o);
    }
    if (cmd == "replay") {
        return replay(o);
    }
    if (cmd == "report") {
        return report(o);
    }
    return document(o);
}

}  // namespace lienthong::ctl
