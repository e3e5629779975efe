#include "broker/confirm_tracker.hpp"

namespace lienthong::bus::broker {

namespace {

core::result<void> outcome(const std::string& failure) {
    if (failure.empty()) {
        return {};
    }
    return core::fail(core::errc::broker_unavailable, failure);
}

}  // namespace

void confirm_tracker::add(std::uint64_t first_tag, std::vector<message_key> keys,
                          publisher::completion done, publisher::completion late) {
    if (keys.empty()) {
        finished_.emplace_back(std::move(done), core::result<void>{});
        return;
    }
    const auto id = next_id_++;
    for (std::uint64_t i = 0; i < keys.size(); ++i) {
        tags_.emplace(first_tag + i, id);
    }
    const auto n = keys.size();
    batches_.emplace(id,
                     batch{std::move(done), std::move(late), first_tag, std::move(keys), n, {}});
    ++unanswered_;
}

void confirm_tracker::finish(batch& b, core::result<void> result) {
    if (b.done) {
        --unanswered_;
        finished_.emplace_back(std::move(b.done), std::move(result));
    } else if (b.late) {
        finished_.emplace_back(std::move(b.late), std::move(result));
    }
}

void confirm_tracker::ack(std::uint64_t tag, bool multiple) { settle_range(tag, multiple, {}); }

void confirm_tracker::nack(std::uint64_t tag, bool multiple) {
    nacked_ = true;
    settle_range(tag, multiple, "message broker rejected the message (nack)");
}

void confirm_tracker::settle_range(std::uint64_t tag, bool multiple, std::string_view failure) {
    if (!multiple) {
        settle(tag, failure);
        return;
    }
    // multiple: everything up to and including `tag` is confirmed at once.
    while (!tags_.empty() && tags_.begin()->first <= tag) {
        settle(tags_.begin()->first, failure);
    }
}

void confirm_tracker::settle(std::uint64_t tag, std::string_view failure) {
    auto t = tags_.find(tag);
    if (t == tags_.end()) {
        return;  // unknown or already settled (e.g. after fail_all); nothing to decide
    }
    auto b = batches_.find(t->second);
    tags_.erase(t);
    if (!failure.empty() && b->second.failure.empty()) {
        b->second.failure = failure;
    }
    if (--b->second.outstanding == 0) {
        finish(b->second, outcome(b->second.failure));
        batches_.erase(b);
    }
}

void confirm_tracker::returned(std::string_view routing_key, std::string_view message_id,
                               std::string_view reason) {
    for (const auto& [tag, id] : tags_) {
        auto& b = batches_.at(id);
        const auto& key = b.keys[tag - b.first_tag];
        if (key.routing_key == routing_key && key.message_id == message_id && b.failure.empty()) {
            b.failure = "message broker returned the message: " + std::string(reason);
        }
    }
}

void confirm_tracker::time_out(const core::failure& why) {
    for (auto& [id, b] : batches_) {
        if (b.done) {
            --unanswered_;
            finished_.emplace_back(std::move(b.done), why);
            b.done = nullptr;
        }
    }
}

void confirm_tracker::fail_all(const core::failure& why) {
    for (auto& [id, b] : batches_) {
        finish(b, why);
    }
    batches_.clear();
    tags_.clear();
}

std::vector<confirm_tracker::finished_batch> confirm_tracker::take_finished() {
    return std::exchange(finished_, {});
}

}  // namespace lienthong::bus::broker
