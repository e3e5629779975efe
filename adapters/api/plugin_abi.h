/* lienthong delivery-adapter plugin ABI, version 1.
 *
 * A third-party adapter is a shared object (.so) placed in the bus's `plugins.dir`. It exports
 * one C function, `lienthong_adapter_plugin_v1`, returning a static description of the adapter.
 * The bus loads every .so of the folder at start-up, checks `abi_version`, and registers the
 * adapter under `type`; agencies then subscribe to it in the directory like to a built-in one:
 *
 *     subscriptions:
 *       - type: acme_fax              # the plugin's `type`
 *         settings: {number: "+84..."}
 *
 * Contract (the same as adapters/api/adapter.hpp):
 *   - validate() is called once per subscription at start-up; it calls `report` for EVERY
 *     problem (key + message) and returns the number of problems (0 = valid).
 *   - create() is called once per valid subscription; it returns an instance or NULL (start-up
 *     then fails, naming the plugin).
 *   - start() (optional, may be NULL) once before the first delivery; non-zero = start-up fails.
 *   - deliver() once per document routed to the subscription, possibly CONCURRENTLY from several
 *     threads on the same instance; it must not block forever (use timeouts). It returns a
 *     lienthong_outcome and may write a NUL-terminated reason into `reason` (at most
 *     `reason_size` bytes including the NUL), shown to operators for failures.
 *   - stop() (optional) once at shutdown, then destroy().
 *   - Strings passed in are UTF-8, NUL-terminated and valid only during the call; the packet is
 *     `packet_size` bytes (not NUL-terminated). Never let a C++ exception or longjmp cross this
 *     boundary.
 *
 * Versioning: the entry point's name carries the major version. A future incompatible ABI adds
 * `lienthong_adapter_plugin_v2`; compatible additions go at the END of the struct and are detected
 * through `struct_size`.
 */
#ifndef LIENTHONG_ADAPTER_PLUGIN_ABI_H
#define LIENTHONG_ADAPTER_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIENTHONG_ADAPTER_ABI_VERSION 1u

typedef struct lienthong_setting {
    const char* key;
    const char* value;
} lienthong_setting;

typedef struct lienthong_delivery {
    const char* id;          /* the bus's document id (UUID) */
    const char* document_id; /* edXML DocumentId */
    const char* sender;      /* From/OrganId */
    const char* recipient;   /* the addressee's OrganId (national axis: comma-joined list) */
    const char* packet;      /* the original signed packet bytes */
    size_t packet_size;
    int attempt; /* 1 for the first attempt */
} lienthong_delivery;

typedef enum lienthong_outcome {
    LIENTHONG_DELIVERED = 0,         /* the recipient has it */
    LIENTHONG_RETRYABLE_FAILURE = 1, /* try again later (network down, 5xx, busy) */
    LIENTHONG_PERMANENT_FAILURE = 2  /* retrying cannot help: dead-letter queue */
} lienthong_outcome;

/* Receives one validation problem: `key` is the setting at fault (or "" for the whole section). */
typedef void (*lienthong_report_fn)(void* context, const char* key, const char* message);

typedef struct lienthong_adapter_plugin {
    uint32_t abi_version; /* LIENTHONG_ADAPTER_ABI_VERSION */
    uint32_t struct_size; /* sizeof(lienthong_adapter_plugin) */
    const char* type;     /* registry key, [a-z0-9_]+, e.g. "acme_fax" */
    int (*validate)(const lienthong_setting* settings, size_t count, lienthong_report_fn report,
                    void* context);
    void* (*create)(const lienthong_setting* settings, size_t count);
    int (*start)(void* instance); /* optional */
    lienthong_outcome (*deliver)(void* instance, const lienthong_delivery* delivery, char* reason,
                                 size_t reason_size);
    void (*stop)(void* instance); /* optional */
    void (*destroy)(void* instance);
} lienthong_adapter_plugin;

/* The one symbol the bus looks up. Returns a pointer to static data (never freed). */
typedef const lienthong_adapter_plugin* (*lienthong_adapter_plugin_entry)(void);
const lienthong_adapter_plugin* lienthong_adapter_plugin_v1(void);

#ifdef __cplusplus
}
#endif

#endif /* LIENTHONG_ADAPTER_PLUGIN_ABI_H */
