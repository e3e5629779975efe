#pragma once
// RAII for xmlsec handles, and per-thread capture of xmlsec's error reports.
#include <xmlsec/crypto.h>
#include <xmlsec/keys.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include <memory>
#include <string>

namespace lienthong::bus::crypto {

struct key_deleter {
    void operator()(xmlSecKey* p) const noexcept { xmlSecKeyDestroy(p); }
};
using key_ptr = std::unique_ptr<xmlSecKey, key_deleter>;

struct keys_mngr_deleter {
    void operator()(xmlSecKeysMngr* p) const noexcept { xmlSecKeysMngrDestroy(p); }
};
using keys_mngr_ptr = std::unique_ptr<xmlSecKeysMngr, keys_mngr_deleter>;

struct dsig_ctx_deleter {
    void operator()(xmlSecDSigCtx* p) const noexcept { xmlSecDSigCtxDestroy(p); }
};
using dsig_ctx_ptr = std::unique_ptr<xmlSecDSigCtx, dsig_ctx_deleter>;

/// While alive, collects the xmlsec errors raised on this thread (xmlsec_library installs the
/// callback that feeds it). Without one, xmlsec errors are discarded: rejections of hostile input
/// are normal and must not spam stderr; callers put text() into failure::log_detail instead.
/// Nests (the innermost capture receives).
class error_capture final {
  public:
    error_capture() noexcept;
    ~error_capture();
    error_capture(const error_capture&) = delete;
    error_capture& operator=(const error_capture&) = delete;

    const std::string& text() const noexcept { return text_; }

    /// Called by the xmlsec error callback.
    static void report(const char* func, const char* object, const char* subject, int reason,
                       const char* msg) noexcept;

  private:
    std::string text_;
    error_capture* outer_;
};

}  // namespace lienthong::bus::crypto
