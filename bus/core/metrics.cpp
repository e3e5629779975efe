#include "core/metrics.hpp"

#include <charconv>
#include <chrono>
#include <cmath>

namespace lienthong::core {

namespace {

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Label values come from agency codes, route names and error slugs; escaped anyway so a strange
// value can never break the exposition format.
std::string label_key(const metric_labels& labels) {
    if (labels.empty()) {
        return {};
    }
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        out += (i ? "," : "") + labels[i].first + "=\"";
        for (char c : labels[i].second) {
            if (c == '\\' || c == '"') {
                out += '\\';
                out += c;
            } else if (c == '\n') {
                out += "\\n";
            } else {
                out += c;
            }
        }
        out += '"';
    }
    return out + "}";
}

std::string number(double v) {
    if (std::isinf(v)) {
        return v > 0 ? "+Inf" : "-Inf";
    }
    char b[32];
    // Shortest text that reads back as the same double: 0.005, not 0.0050000000000000001.
    const auto [end, ec] = std::to_chars(b, b + sizeof b, v);
    return ec == std::errc{} ? std::string(b, end) : std::string("NaN");
}

/// `key` with one more label (le="...") for histogram buckets.
std::string with_le(const std::string& key, const std::string& le) {
    if (key.empty()) {
        return "{le=\"" + le + "\"}";
    }
    return key.substr(0, key.size() - 1) + ",le=\"" + le + "\"}";
}

const char* type_name(metrics::kind k) {
    switch (k) {
        case metrics::kind::counter:
            return "counter";
        case metrics::kind::gauge:
            return "gauge";
        case metrics::kind::histogram:
            return "histogram";
    }
    return "untyped";
}

}  // namespace

metrics::family& metrics::family_of(const std::string& name, kind k) {
    auto [it, inserted] = families_.try_emplace(name);
    if (inserted) {
        it->second.type = k;
        if (k == kind::histogram) {
            it->second.bounds = latency_buckets;
        }
    }
    return it->second;
}

void metrics::describe(const std::string& name, kind k, std::string help,
                       std::vector<double> buckets) {
    std::lock_guard lock(mutex_);
    auto& f = family_of(name, k);
    f.type = k;
    f.help = std::move(help);
    if (k == kind::histogram) {
        f.bounds = std::move(buckets);
    }
}

void metrics::add(const std::string& name, const metric_labels& labels, double n) {
    std::lock_guard lock(mutex_);
    auto& s = family_of(name, kind::counter).by_labels[label_key(labels)];
    s.value += n;
    const auto now = now_s();
    const auto slot = static_cast<std::size_t>(now % 60);
    if (s.window_s[slot] != now) {
        s.window_s[slot] = now;
        s.window[slot] = 0;
    }
    s.window[slot] += n;
}

void metrics::set(const std::string& name, const metric_labels& labels, double v) {
    std::lock_guard lock(mutex_);
    family_of(name, kind::gauge).by_labels[label_key(labels)].value = v;
}

void metrics::observe(const std::string& name, const metric_labels& labels, double value) {
    std::lock_guard lock(mutex_);
    auto& f = family_of(name, kind::histogram);
    auto& s = f.by_labels[label_key(labels)];
    s.buckets.resize(f.bounds.size());
    for (std::size_t i = 0; i < f.bounds.size(); ++i) {
        if (value <= f.bounds[i]) {
            ++s.buckets[i];
            break;
        }
    }
    s.value += value;
    ++s.count;
}

double metrics::value(const std::string& name, const metric_labels& labels) const {
    std::lock_guard lock(mutex_);
    auto f = families_.find(name);
    if (f == families_.end()) {
        return 0;
    }
    auto s = f->second.by_labels.find(label_key(labels));
    return s == f->second.by_labels.end() ? 0 : s->second.value;
}

double metrics::rate(const std::string& name, const metric_labels& labels) const {
    std::lock_guard lock(mutex_);
    auto f = families_.find(name);
    if (f == families_.end()) {
        return 0;
    }
    auto s = f->second.by_labels.find(label_key(labels));
    if (s == f->second.by_labels.end()) {
        return 0;
    }
    const auto now = now_s();
    double sum = 0;
    for (std::size_t i = 0; i < 60; ++i) {
        if (now - s->second.window_s[i] < 60) {
            sum += s->second.window[i];
        }
    }
    return sum / 60.0;
}

void metrics::on_scrape(std::function<void(metrics&)> refresh) {
    std::lock_guard lock(mutex_);
    refreshers_.push_back(std::move(refresh));
}

std::string metrics::render() {
    std::vector<std::function<void(metrics&)>> refreshers;
    {
        std::lock_guard lock(mutex_);
        refreshers = refreshers_;
    }
    // Outside the lock: refreshers call set().
    for (auto& r : refreshers) {
        r(*this);
    }
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, f] : families_) {
        if (!f.help.empty()) {
            out += "# HELP " + name + " " + f.help + "\n";
        }
        out += "# TYPE " + name + " " + type_name(f.type) + "\n";
        for (const auto& [key, s] : f.by_labels) {
            if (f.type != kind::histogram) {
                out += name + key + " " + number(s.value) + "\n";
                continue;
            }
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < f.bounds.size(); ++i) {
                cumulative += i < s.buckets.size() ? s.buckets[i] : 0;
                out += name + "_bucket" + with_le(key, number(f.bounds[i])) + " " +
                       std::to_string(cumulative) + "\n";
            }
            out += name + "_bucket" + with_le(key, "+Inf") + " " + std::to_string(s.count) + "\n";
            out += name + "_sum" + key + " " + number(s.value) + "\n";
            out += name + "_count" + key + " " + std::to_string(s.count) + "\n";
        }
    }
    return out;
}

}  // namespace lienthong::core
