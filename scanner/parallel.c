/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parallel scanning: N worker threads, each with its own scanner (buffers,
 * match data, prefilter scratch) over the shared immutable ruleset, and an
 * ordered hand-off so that the report is identical for any number of
 * workers.
 *
 * The walk runs first (it only lists names and is fast); every entry gets
 * a slot.  Workers take the next entry, scan it — an archive with all its
 * members is one entry — and keep its documents as deep copies in the
 * slot.  The calling thread hands slots to the sink strictly in walk
 * order, so output order is the walk order whatever finishes first.  At
 * most RS_PARALLEL_WINDOW entries are in flight ahead of the one being
 * handed over, which bounds memory.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rightscan/scan.h>
#include "parallel.h"
#include "walk.h"

#define RS_PARALLEL_WINDOW 256

/* --- deep copies of documents --------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void free_doc(rs_document *d)
{
    free((char *)d->path);
    free((char *)d->format);
    free((char *)d->reason);
    for (size_t i = 0; i < d->source_count; i++) {
        rs_source_result *s = (rs_source_result *)&d->sources[i];
        free((char *)s->because);
        for (size_t k = 0; k < s->evidence_count; k++) {
            rs_evidence *e = (rs_evidence *)&s->evidence[k];
            free((char *)e->snippet);
            free((char *)e->before);
            free((char *)e->after);
            free((char *)e->locator);
            free((char *)e->fingerprint);
            free((char *)e->suppressed);
        }
        free((rs_evidence *)s->evidence);
    }
    free((rs_source_result *)d->sources);
}

/* Copy everything a document points to that lives in the scanner's reused
 * buffers.  Rule, source and field-name pointers point into the immutable
 * ruleset or static tables and stay as they are. */
static int copy_doc(rs_document *to, const rs_document *from)
{
    *to = *from;
    to->path = dup_or_null(from->path);
    to->format = dup_or_null(from->format);
    to->reason = dup_or_null(from->reason);
    to->sources = NULL;
    to->source_count = 0;
    if (!to->path || !to->format || (from->reason && !to->reason))
        return -1;
    if (!from->source_count)
        return 0;
    rs_source_result *src = calloc(from->source_count, sizeof *src);
    if (!src)
        return -1;
    to->sources = src;
    for (size_t i = 0; i < from->source_count; i++) {
        src[i] = from->sources[i];
        src[i].because = dup_or_null(from->sources[i].because);
        src[i].evidence = NULL;
        src[i].evidence_count = 0;
        to->source_count = i + 1;
        size_t n = from->sources[i].evidence_count;
        rs_evidence *ev = n ? calloc(n, sizeof *ev) : NULL;
        if (n && !ev)
            return -1;
        src[i].evidence = ev;
        for (size_t k = 0; k < n; k++) {
            const rs_evidence *e = &from->sources[i].evidence[k];
            ev[k] = *e;
            ev[k].snippet = dup_or_null(e->snippet);
            ev[k].before = dup_or_null(e->before);
            ev[k].after = dup_or_null(e->after);
            ev[k].locator = dup_or_null(e->locator);
            ev[k].fingerprint = dup_or_null(e->fingerprint);
            ev[k].suppressed = dup_or_null(e->suppressed);
            src[i].evidence_count = k + 1;
            if (!ev[k].snippet || !ev[k].before || !ev[k].after || !ev[k].fingerprint)
                return -1;
        }
    }
    return 0;
}

/* --- the work ------------------------------------------------------------------------ */

typedef struct slot {
    char *path;
    rs_walk_kind kind;
    char *reason;
    rs_document *docs; /* results, in the order the worker's scanner made them */
    size_t count, cap;
    int done;
    int failed; /* out of memory while copying */
} slot;

typedef struct job {
    const rs_ruleset *rules;
    const rs_scan_options *opt;
    slot *slots;
    size_t count;
    size_t next;      /* next slot to take */
    size_t handed;    /* slots handed to the sink so far */
    int stop;
    /* Wake-ups are costly next to scanning a small file, so each side
     * signals only when the other is known to be waiting. */
    size_t awaited;   /* slot the handing thread waits for, or SIZE_MAX */
    unsigned idle;    /* workers waiting for the window to move */
    pthread_mutex_t lock;
    pthread_cond_t slot_done;  /* the awaited slot is done */
    pthread_cond_t window;     /* the window moved, or stop */
} job;

typedef struct worker_sink {
    slot *slot;
} worker_sink;

static int capture(void *ctx, const rs_document *doc)
{
    slot *s = ((worker_sink *)ctx)->slot;
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        rs_document *p = realloc(s->docs, cap * sizeof *p);
        if (!p) {
            s->failed = 1;
            return 1;
        }
        s->docs = p;
        s->cap = cap;
    }
    if (copy_doc(&s->docs[s->count], doc) != 0) {
        free_doc(&s->docs[s->count]);
        s->failed = 1;
        return 1;
    }
    s->count++;
    return 0;
}

static void *worker(void *arg)
{
    job *j = arg;
    rs_scanner *scanner = NULL;
    if (rs_scanner_new(j->rules, j->opt, &scanner) != RS_OK)
        scanner = NULL;
    pthread_mutex_lock(&j->lock);
    for (;;) {
        while (!j->stop && j->next < j->count && j->next >= j->handed + RS_PARALLEL_WINDOW) {
            j->idle++;
            pthread_cond_wait(&j->window, &j->lock);
            j->idle--;
        }
        if (j->stop || j->next >= j->count)
            break;
        size_t index = j->next++;
        slot *s = &j->slots[index];
        pthread_mutex_unlock(&j->lock);

        worker_sink ws = { s };
        rs_sink sink = { &ws, capture };
        rs_error err = { RS_OK, "" };
        if (!scanner)
            s->failed = 1;
        else
            rs_scanner_scan_entry(scanner, s->path, s->kind, s->reason, &sink, &err);

        pthread_mutex_lock(&j->lock);
        s->done = 1;
        if (j->awaited == index)
            pthread_cond_signal(&j->slot_done);
    }
    pthread_mutex_unlock(&j->lock);
    rs_scanner_free(scanner);
    return NULL;
}

/* --- listing the inputs --------------------------------------------------------------- */

typedef struct listing {
    slot *slots;
    size_t count, cap;
    const rs_scan_options *opt;
    int oom;
} listing;

static int on_entry(void *ctx, const rs_walk_entry *e)
{
    listing *l = ctx;
    if (!rs_scan_in_shard(l->opt, e->path))
        return 0;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        slot *p = realloc(l->slots, cap * sizeof *p);
        if (!p) {
            l->oom = 1;
            return 1;
        }
        l->slots = p;
        l->cap = cap;
    }
    slot *s = &l->slots[l->count];
    memset(s, 0, sizeof *s);
    s->path = strdup(e->path);
    s->kind = e->kind;
    s->reason = dup_or_null(e->reason);
    if (!s->path || (e->reason && !s->reason)) {
        free(s->path);
        free(s->reason);
        l->oom = 1;
        return 1;
    }
    l->count++;
    return 0;
}

rs_status rs_scan_parallel(const rs_ruleset *rules, const rs_scan_options *opt,
                           const char *const *paths, size_t npaths, unsigned jobs,
                           const rs_sink *sink, rs_summary *summary, rs_error *err)
{
    listing l = { NULL, 0, 0, opt, 0 };
    rs_walk_options wo = { opt ? opt->follow_symlinks : 0, opt ? opt->exclude : NULL };
    for (size_t i = 0; i < npaths && !l.oom; i++)
        if (rs_walk(paths[i], &wo, on_entry, &l) == RS_ERR_NOMEM)
            l.oom = 1;
    rs_status st = RS_OK;
    if (l.oom)
        st = RS_ERR_NOMEM;
    job j = { rules, opt, l.slots, l.count, 0, 0, 0, SIZE_MAX, 0, PTHREAD_MUTEX_INITIALIZER,
              PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER };
    pthread_t threads[RS_PARALLEL_MAX_JOBS];
    unsigned started = 0;
    if (jobs > RS_PARALLEL_MAX_JOBS)
        jobs = RS_PARALLEL_MAX_JOBS;
    for (unsigned t = 0; st == RS_OK && t < (jobs ? jobs : 1); t++)
        if (pthread_create(&threads[t], NULL, worker, &j) == 0)
            started++;
    if (st == RS_OK && !started && l.count)
        st = RS_ERR_NOMEM;
    /* Hand the slots over in walk order. */
    for (size_t i = 0; st == RS_OK && i < l.count; i++) {
        pthread_mutex_lock(&j.lock);
        j.awaited = i;
        while (!l.slots[i].done)
            pthread_cond_wait(&j.slot_done, &j.lock);
        j.awaited = SIZE_MAX;
        pthread_mutex_unlock(&j.lock);
        slot *s = &l.slots[i];
        if (s->failed)
            st = RS_ERR_NOMEM;
        for (size_t d = 0; st == RS_OK && d < s->count; d++) {
            rs_summary_add(summary, &s->docs[d]);
            if (sink->document(sink->ctx, &s->docs[d]))
                st = RS_ERR_INTERRUPTED;
        }
        for (size_t d = 0; d < s->count; d++)
            free_doc(&s->docs[d]);
        free(s->docs);
        s->docs = NULL;
        s->count = 0;
        pthread_mutex_lock(&j.lock);
        j.handed = i + 1;
        if (j.idle)
            pthread_cond_broadcast(&j.window);
        pthread_mutex_unlock(&j.lock);
    }
    pthread_mutex_lock(&j.lock);
    j.stop = 1;
    pthread_cond_broadcast(&j.window);
    pthread_mutex_unlock(&j.lock);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    for (size_t i = 0; i < l.count; i++) {
        for (size_t d = 0; d < l.slots[i].count; d++)
            free_doc(&l.slots[i].docs[d]);
        free(l.slots[i].docs);
        free(l.slots[i].path);
        free(l.slots[i].reason);
    }
    free(l.slots);
    pthread_mutex_destroy(&j.lock);
    pthread_cond_destroy(&j.slot_done);
    pthread_cond_destroy(&j.window);
    if (st == RS_ERR_NOMEM) {
        err->code = st;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return st;
}
