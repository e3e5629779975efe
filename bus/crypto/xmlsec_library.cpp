#include "crypto/xmlsec_library.hpp"

#include <libxml/parser.h>
// clang-format off
#include <xmlsec/xmlsec.h>  // before errors.h, which uses xmlSecSize without defining it
#include <xmlsec/errors.h>
// clang-format on

#include <stdexcept>

#include "crypto/xmlsec.hpp"

namespace lienthong::bus::crypto {

namespace {

// The active capture of this thread. thread_local (not shared) state: each verify/sign call owns
// its capture for its own duration, so concurrent calls never see each other's errors.
thread_local error_capture* current_capture = nullptr;

void on_xmlsec_error(const char* /*file*/, int /*line*/, const char* func, const char* object,
                     const char* subject, int reason, const char* msg) {
    error_capture::report(func, object, subject, reason, msg);
}

// xmlsec keeps its reason texts in a table indexed by position, not by code.
const char* reason_text(int reason) noexcept {
    for (xmlSecSize i = 0; i < XMLSEC_ERRORS_MAX_NUMBER; ++i) {
        const char* msg = xmlSecErrorsGetMsg(i);
        if (msg == nullptr) {
            break;
        }
        if (xmlSecErrorsGetCode(i) == reason) {
            return msg;
        }
    }
    return "error";
}

}  // namespace

error_capture::error_capture() noexcept : outer_(current_capture) { current_capture = this; }

error_capture::~error_capture() { current_capture = outer_; }

void error_capture::report(const char* func, const char* object, const char* subject, int reason,
                           const char* msg) noexcept {
    error_capture* capture = current_capture;
    if (capture == nullptr) {
        return;
    }
    try {
        auto& t = capture->text_;
        if (!t.empty()) {
            t += "; ";
        }
        t += func != nullptr ? func : "?";
        if (object != nullptr && *object != '\0') {
            t += std::string(" [") + object + "]";
        }
        if (subject != nullptr && *subject != '\0') {
            t += std::string(" ") + subject;
        }
        t += std::string(": ") + reason_text(reason);
        if (msg != nullptr && *msg != '\0') {
            t += std::string(" (") + msg + ")";
        }
    } catch (...) {
        // Out of memory while formatting a diagnostic: dropping it is the only option.
    }
}

xmlsec_library::xmlsec_library() {
    // libxml2 defaults are kept on purpose: no entity substitution, no external DTD loading.
    xmlInitParser();
    if (xmlSecInit() < 0) {
        throw std::runtime_error("xmlsec: xmlSecInit failed");
    }
    if (xmlSecCheckVersion() != 1) {
        xmlSecShutdown();
        throw std::runtime_error(
            "xmlsec: the loaded library is not ABI compatible with the headers");
    }
    if (xmlSecCryptoAppInit(nullptr) < 0) {
        xmlSecShutdown();
        throw std::runtime_error("xmlsec: crypto application init (OpenSSL) failed");
    }
    if (xmlSecCryptoInit() < 0) {
        xmlSecCryptoAppShutdown();
        xmlSecShutdown();
        throw std::runtime_error("xmlsec: crypto backend init (OpenSSL) failed");
    }
    xmlSecErrorsSetCallback(on_xmlsec_error);
}

xmlsec_library::~xmlsec_library() {
    xmlSecErrorsSetCallback(xmlSecErrorsDefaultCallback);
    xmlSecCryptoShutdown();
    xmlSecCryptoAppShutdown();
    xmlSecShutdown();
    xmlCleanupParser();
}

}  // namespace lienthong::bus::crypto
