/* Example third-party adapter plugin, type "example_log": appends one line per delivered
 * document to a file ("<id> <sender> <recipient> <bytes> <document id>"). Written in plain C to
 * show that the ABI needs nothing else; adapters/README.md walks through it.
 *
 * Settings:
 *   file       required  the file to append to (created if missing)
 *   fail_first optional  answer "retryable failure" to the first N deliveries (for tests)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/api/plugin_abi.h"

typedef struct log_adapter {
    char* file;
    long fail_first;
    long calls;
    pthread_mutex_t lock; /* deliver() may run concurrently */
} log_adapter;

static const char* find(const lienthong_setting* s, size_t n, const char* key) {
    for (size_t i = 0; i < n; ++i) {
        if (strcmp(s[i].key, key) == 0) {
            return s[i].value;
        }
    }
    return NULL;
}

static int parse_count(const char* text, long* out) {
    char* end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < 0) {
        return -1;
    }
    *out = v;
    return 0;
}

static int validate(const lienthong_setting* s, size_t n, lienthong_report_fn report, void* ctx) {
    int problems = 0;
    for (size_t i = 0; i < n; ++i) {
        if (strcmp(s[i].key, "file") != 0 && strcmp(s[i].key, "fail_first") != 0) {
            report(ctx, s[i].key, "unknown setting (known: file, fail_first)");
            ++problems;
        }
    }
    const char* file = find(s, n, "file");
    if (file == NULL || file[0] == '\0') {
        report(ctx, "file", "is required (the file to append to)");
        ++problems;
    }
    const char* fail_first = find(s, n, "fail_first");
    long ignored = 0;
    if (fail_first != NULL && parse_count(fail_first, &ignored) != 0) {
        report(ctx, "fail_first", "must be a non-negative integer");
        ++problems;
    }
    return problems;
}

static void* create(const lienthong_setting* s, size_t n) {
    log_adapter* a = calloc(1, sizeof *a);
    if (a == NULL) {
        return NULL;
    }
    a->file = strdup(find(s, n, "file")); /* validate() guaranteed it is there */
    const char* fail_first = find(s, n, "fail_first");
    if (a->file == NULL || (fail_first != NULL && parse_count(fail_first, &a->fail_first) != 0)) {
        free(a->file);
        free(a);
        return NULL;
    }
    pthread_mutex_init(&a->lock, NULL);
    return a;
}

static lienthong_outcome deliver(void* instance, const lienthong_delivery* d, char* reason,
                                 size_t reason_size) {
    log_adapter* a = instance;
    lienthong_outcome result = LIENTHONG_DELIVERED;
    pthread_mutex_lock(&a->lock);
    if (a->calls++ < a->fail_first) {
        snprintf(reason, reason_size, "example_log: failing on purpose (%ld of %ld)", a->calls,
                 a->fail_first);
        result = LIENTHONG_RETRYABLE_FAILURE;
    } else {
        FILE* f = fopen(a->file, "a");
        if (f == NULL) {
            snprintf(reason, reason_size, "example_log: cannot open %s: %s", a->file,
                     strerror(errno));
            result = LIENTHONG_RETRYABLE_FAILURE;
        } else {
            fprintf(f, "%s %s %s %zu %s\n", d->id, d->sender, d->recipient, d->packet_size,
                    d->document_id);
            if (fclose(f) != 0) {
                snprintf(reason, reason_size, "example_log: cannot write %s", a->file);
                result = LIENTHONG_RETRYABLE_FAILURE;
            }
        }
    }
    pthread_mutex_unlock(&a->lock);
    return result;
}

static void destroy(void* instance) {
    log_adapter* a = instance;
    pthread_mutex_destroy(&a->lock);
    free(a->file);
    free(a);
}

static const lienthong_adapter_plugin description = {
    LIENTHONG_ADAPTER_ABI_VERSION,
    sizeof(lienthong_adapter_plugin),
    "example_log",
    validate,
    create,
    NULL, /* start: nothing to do */
    deliver,
    NULL, /* stop: nothing to do */
    destroy,
};

const lienthong_adapter_plugin* lienthong_adapter_plugin_v1(void) { return &description; }
