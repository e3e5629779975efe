#include "http/handlers/agency_tree.hpp"

#include <algorithm>
#include <set>

#include "core/vietnamese.hpp"

namespace lienthong::bus::http::handlers {

std::string_view state_name(agency_state s) noexcept {
    switch (s) {
        case agency_state::ok:
            return "ok";
        case agency_state::backlog:
            return "backlog";
        case agency_state::no_consumer:
            return "no_consumer";
        case agency_state::dead_letters:
            return "dead_letters";
        case agency_state::failing:
            return "failing";
    }
    return "ok";
}

std::string_view level_name(routing::agency_level l) noexcept {
    switch (l) {
        case routing::agency_level::province:
            return "province";
        case routing::agency_level::department:
            return "department";
        case routing::agency_level::district:
            return "district";
        case routing::agency_level::commune:
            return "commune";
    }
    return "commune";
}

agency_state state_of(const agency_figures& f, std::int64_t backlog_threshold) noexcept {
    if (f.failed > 0 && f.failed > f.delivered) {
        return agency_state::failing;
    }
    if (f.dead_lettered > 0) {
        return agency_state::dead_letters;
    }
    if (f.idle_routes > 0) {
        return agency_state::no_consumer;
    }
    if (f.ready >= backlog_threshold) {
        return agency_state::backlog;
    }
    return agency_state::ok;
}

namespace {

void add(agency_figures& to, const agency_figures& f) {
    to.ready += f.ready;
    to.routes += f.routes;
    to.idle_routes += f.idle_routes;
    to.failed += f.failed;
    to.delivered += f.delivered;
    to.dead_lettered += f.dead_lettered;
    to.accepted += f.accepted;
}

std::set<std::string> split_codes(const std::string& codes) {
    std::set<std::string> out;
    std::size_t start = 0;
    while (start <= codes.size()) {
        const auto comma = std::min(codes.find(',', start), codes.size());
        if (comma > start) {
            out.insert(codes.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return out;
}

}  // namespace

std::map<std::string, agency_node> build_tree(const std::vector<routing::agency>& agencies,
                                              const std::map<std::string, agency_figures>& own,
                                              std::int64_t backlog_threshold) {
    std::map<std::string, agency_node> tree;
    for (const auto& a : agencies) {
        auto& n = tree[a.code];
        n.agency = &a;
        if (const auto it = own.find(a.code); it != own.end()) {
            n.own = it->second;
        }
        n.state = state_of(n.own, backlog_threshold);
    }
    for (auto& [code, n] : tree) {
        add(n.subtree, n.own);
        n.rollup = std::max(n.rollup, n.state);
        // Up the parent chain; the directory refuses cycles, the depth bound guards anyway.
        std::string parent = n.agency->parent;
        for (int depth = 0; !parent.empty() && depth < 16; ++depth) {
            const auto p = tree.find(parent);
            if (p == tree.end()) {
                break;
            }
            add(p->second.subtree, n.own);
            p->second.rollup = std::max(p->second.rollup, n.state);
            if (depth == 0) {
                ++p->second.children;
            }
            parent = p->second.agency->parent;
        }
    }
    return tree;
}

agency_listing list_agencies(const std::map<std::string, agency_node>& tree,
                             const agency_filter& filter) {
    std::vector<const agency_node*> chosen;
    const auto codes = split_codes(filter.codes);
    const auto query = core::fold_vietnamese(filter.query);
    for (const auto& [code, n] : tree) {
        bool keep = false;
        if (!codes.empty()) {
            keep = codes.count(code) > 0;
        } else if (!query.empty()) {
            keep = core::agency_matches(query, code, n.agency->name);
        } else if (filter.parent.empty()) {
            keep = n.agency->parent.empty() || tree.count(n.agency->parent) == 0;
        } else {
            keep = n.agency->parent == filter.parent;
        }
        if (keep) {
            chosen.push_back(&n);
        }
    }
    std::sort(chosen.begin(), chosen.end(), [](const agency_node* a, const agency_node* b) {
        if (a->rollup != b->rollup) {
            return a->rollup > b->rollup;
        }
        if (a->agency->level != b->agency->level) {
            return a->agency->level < b->agency->level;
        }
        return a->agency->code < b->agency->code;
    });
    agency_listing out{chosen.size(), {}};
    for (std::size_t i = filter.offset; i < chosen.size() && out.page.size() < filter.limit; ++i) {
        out.page.push_back(chosen[i]);
    }
    return out;
}

}  // namespace lienthong::bus::http::handlers
