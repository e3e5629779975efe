#include "adapters/api/plugin_loader.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "adapters/api/plugin_abi.h"
#include "core/message_contract.hpp"

namespace lienthong::adapters {

namespace {

namespace fs = std::filesystem;

/// Keeps the library loaded while any factory or adapter from it lives.
using library = std::shared_ptr<void>;

struct c_settings {
    explicit c_settings(const settings& s) {
        for (const auto& [k, v] : s) {
            items.push_back({k.c_str(), v.c_str()});
        }
    }
    std::vector<lienthong_setting> items;
};

class plugin_adapter final : public adapter {
  public:
    plugin_adapter(library lib, const lienthong_adapter_plugin* p, void* instance)
        : lib_(std::move(lib)), p_(p), instance_(instance) {}
    ~plugin_adapter() override { p_->destroy(instance_); }

    void start() override {
        if (p_->start != nullptr && p_->start(instance_) != 0) {
            throw std::runtime_error(std::string("plugin adapter '") + p_->type +
                                     "' failed to start");
        }
    }

    delivery_result deliver(const delivery& d) override {
        const auto recipients = core::join_recipients(d.recipients);
        const lienthong_delivery cd{d.id.c_str(),       d.document_id.c_str(), d.sender.c_str(),
                                    recipients.c_str(), d.packet->data(),      d.packet->size(),
                                    d.attempt};
        std::array<char, 512> reason{};
        const auto rc = p_->deliver(instance_, &cd, reason.data(), reason.size());
        reason.back() = '\0';  // a plugin that forgot the terminator cannot make us overread
        switch (rc) {
            case LIENTHONG_DELIVERED:
                return {outcome::delivered, reason.data()};
            case LIENTHONG_RETRYABLE_FAILURE:
                return {outcome::retryable_failure, reason.data()};
            case LIENTHONG_PERMANENT_FAILURE:
                return {outcome::permanent_failure, reason.data()};
        }
        // A plugin bug must not lose the document: keep it for a retry.
        return {outcome::retryable_failure,
                std::string("plugin returned an invalid outcome ") + std::to_string(rc)};
    }

    void stop() override {
        if (p_->stop != nullptr) {
            p_->stop(instance_);
        }
    }

  private:
    library lib_;
    const lienthong_adapter_plugin* p_;
    void* instance_;
};

class plugin_factory final : public adapter_factory {
  public:
    plugin_factory(library lib, const lienthong_adapter_plugin* p) : lib_(std::move(lib)), p_(p) {}

    void validate(const settings& s, const std::string& path,
                  std::vector<std::string>& errors) const override {
        struct context {
            const std::string& path;
            std::vector<std::string>& errors;
        } ctx{path, errors};
        const auto before = errors.size();
        c_settings cs(s);
        const int problems = p_->validate(
            cs.items.data(), cs.items.size(),
            [](void* c, const char* key, const char* message) {
                auto& x = *static_cast<context*>(c);
                const std::string k = key != nullptr ? key : "";
                x.errors.push_back(x.path + (k.empty() ? "" : "." + k) + ": " +
                                   (message != nullptr ? message : "invalid"));
            },
            &ctx);
        if (problems != 0 && errors.size() == before) {
            errors.push_back(path + ": rejected by plugin adapter '" + p_->type + "'");
        }
    }

    std::unique_ptr<adapter> create(const settings& s) const override {
        c_settings cs(s);
        void* instance = p_->create(cs.items.data(), cs.items.size());
        if (instance == nullptr) {
            throw std::runtime_error(std::string("plugin adapter '") + p_->type +
                                     "' could not create an instance");
        }
        return std::make_unique<plugin_adapter>(lib_, p_, instance);
    }

  private:
    library lib_;
    const lienthong_adapter_plugin* p_;
};

}  // namespace

std::vector<std::string> load_plugins(const std::string& dir, registry& r) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".so") {
            files.push_back(e.path());
        }
    }
    if (ec) {
        throw std::runtime_error("plugins.dir '" + dir + "': " + ec.message());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> types;
    for (const auto& f : files) {
        const std::string name = f.string();
        // RTLD_LOCAL: two plugins may use the same symbol names without clashing.
        void* handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            const char* why = dlerror();
            throw std::runtime_error("plugin " + name + ": cannot load: " + (why ? why : "?"));
        }
        library lib(handle, [](void* h) { dlclose(h); });
        auto entry = reinterpret_cast<lienthong_adapter_plugin_entry>(
            dlsym(handle, "lienthong_adapter_plugin_v1"));
        if (entry == nullptr) {
            throw std::runtime_error("plugin " + name +
                                     ": no lienthong_adapter_plugin_v1 entry point (see "
                                     "adapters/api/plugin_abi.h)");
        }
        const lienthong_adapter_plugin* p = entry();
        if (p == nullptr || p->abi_version != LIENTHONG_ADAPTER_ABI_VERSION) {
            throw std::runtime_error("plugin " + name + ": ABI version " +
                                     (p ? std::to_string(p->abi_version) : std::string("?")) +
                                     ", this bus speaks " +
                                     std::to_string(LIENTHONG_ADAPTER_ABI_VERSION));
        }
        static const std::regex type_syntax("^[a-z0-9_]{1,64}$");
        if (p->struct_size < sizeof(lienthong_adapter_plugin) || p->type == nullptr ||
            !std::regex_match(p->type, type_syntax) || p->validate == nullptr ||
            p->create == nullptr || p->deliver == nullptr || p->destroy == nullptr) {
            throw std::runtime_error("plugin " + name +
                                     ": malformed description (type must match [a-z0-9_]+; "
                                     "validate, create, deliver and destroy are required)");
        }
        if (r.find(p->type) != nullptr) {
            throw std::runtime_error("plugin " + name + ": adapter type '" + p->type +
                                     "' is already registered");
        }
        r.add(p->type, std::make_unique<plugin_factory>(lib, p));
        types.emplace_back(p->type);
    }
    return types;
}

}  // namespace lienthong::adapters
