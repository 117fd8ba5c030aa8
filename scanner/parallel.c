/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parallel scanning: N worker threads, each with its own scanner (buffers,
 * match data, prefilter scratch) over the shared immutable ruleset, and an
 * ordered hand-off so that the report is identical for any number of
 * workers.
 *
 * A walker thread lists the inputs while the workers already scan; every
 * entry gets a slot.  Workers take the next entry, scan it — an archive with all its
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

/* Slots live in fixed-size chunks, so a slot never moves while the walker
 * lists more of them. */
#define SLOT_CHUNK 4096

typedef struct job {
    const rs_ruleset *rules;
    const rs_scan_options *opt;
    slot **chunks;    /* guarded by lock, as are all counters below */
    size_t nchunks, chunk_cap;
    size_t count;     /* slots listed so far */
    int listed;       /* the walk is over */
    int oom;
    size_t next;      /* next slot to take */
    size_t handed;    /* slots handed to the sink so far */
    int stop;
    /* Wake-ups are costly next to scanning a small file, so each side
     * signals only when the other is known to be waiting. */
    size_t awaited;   /* slot the handing thread waits for, or SIZE_MAX */
    unsigned idle;    /* workers waiting for work */
    pthread_mutex_t lock;
    pthread_cond_t slot_done;  /* the awaited slot is done, or the walk ended */
    pthread_cond_t work;       /* a slot was listed, the window moved, or stop */
    const char *const *paths;
    size_t npaths;
} job;

/* Call with the lock held: the chunk table may grow meanwhile. */
static slot *slot_at(job *j, size_t i)
{
    return &j->chunks[i / SLOT_CHUNK][i % SLOT_CHUNK];
}

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
        while (!j->stop && ((j->next >= j->count && !j->listed) ||
                            (j->next < j->count && j->next >= j->handed + RS_PARALLEL_WINDOW))) {
            j->idle++;
            pthread_cond_wait(&j->work, &j->lock);
            j->idle--;
        }
        if (j->stop || j->next >= j->count)
            break; /* stopped, or everything listed is taken */
        size_t index = j->next++;
        slot *s = slot_at(j, index);
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

/* --- listing the inputs, while the workers already scan ------------------------------ */

static int on_entry(void *ctx, const rs_walk_entry *e)
{
    job *j = ctx;
    if (!rs_scan_in_shard(j->opt, e->path))
        return 0;
    slot fresh;
    memset(&fresh, 0, sizeof fresh);
    fresh.path = strdup(e->path);
    fresh.kind = e->kind;
    fresh.reason = dup_or_null(e->reason);
    int oom = !fresh.path || (e->reason && !fresh.reason);
    pthread_mutex_lock(&j->lock);
    if (!oom && j->count == j->nchunks * SLOT_CHUNK) {
        if (j->nchunks == j->chunk_cap) {
            size_t cap = j->chunk_cap ? j->chunk_cap * 2 : 16;
            slot **p = realloc(j->chunks, cap * sizeof *p);
            if (p) {
                j->chunks = p;
                j->chunk_cap = cap;
            }
        }
        slot *c = j->nchunks < j->chunk_cap ? malloc(SLOT_CHUNK * sizeof *c) : NULL;
        if (c)
            j->chunks[j->nchunks++] = c;
        else
            oom = 1;
    }
    if (oom) {
        j->oom = 1;
        pthread_mutex_unlock(&j->lock);
        free(fresh.path);
        free(fresh.reason);
        return 1;
    }
    *slot_at(j, j->count++) = fresh;
    if (j->idle)
        pthread_cond_signal(&j->work);
    int stop = j->stop;
    pthread_mutex_unlock(&j->lock);
    return stop;
}

static void *walker(void *arg)
{
    job *j = arg;
    rs_walk_options wo = { j->opt ? j->opt->follow_symlinks : 0, j->opt ? j->opt->exclude : NULL };
    for (size_t i = 0; i < j->npaths; i++)
        if (rs_walk(j->paths[i], &wo, on_entry, j) != RS_OK)
            break; /* out of memory (j->oom) or stopped */
    pthread_mutex_lock(&j->lock);
    j->listed = 1;
    pthread_cond_broadcast(&j->work);
    pthread_cond_broadcast(&j->slot_done);
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

rs_status rs_scan_parallel(const rs_ruleset *rules, const rs_scan_options *opt,
                           const char *const *paths, size_t npaths, unsigned jobs,
                           const rs_sink *sink, rs_summary *summary, rs_error *err)
{
    job j;
    memset(&j, 0, sizeof j);
    j.rules = rules;
    j.opt = opt;
    j.awaited = SIZE_MAX;
    j.paths = paths;
    j.npaths = npaths;
    pthread_mutex_init(&j.lock, NULL);
    pthread_cond_init(&j.slot_done, NULL);
    pthread_cond_init(&j.work, NULL);
    rs_status st = RS_OK;
    pthread_t walker_thread, threads[RS_PARALLEL_MAX_JOBS];
    unsigned started = 0;
    if (jobs > RS_PARALLEL_MAX_JOBS)
        jobs = RS_PARALLEL_MAX_JOBS;
    int walking = pthread_create(&walker_thread, NULL, walker, &j) == 0;
    if (!walking)
        st = RS_ERR_NOMEM;
    for (unsigned t = 0; st == RS_OK && t < (jobs ? jobs : 1); t++)
        if (pthread_create(&threads[t], NULL, worker, &j) == 0)
            started++;
    if (st == RS_OK && !started)
        st = RS_ERR_NOMEM;
    /* Hand the slots over in walk order. */
    for (size_t i = 0; st == RS_OK; i++) {
        pthread_mutex_lock(&j.lock);
        j.awaited = i;
        while (!(i < j.count && slot_at(&j, i)->done) && !(j.listed && i >= j.count))
            pthread_cond_wait(&j.slot_done, &j.lock);
        j.awaited = SIZE_MAX;
        int end = i >= j.count;
        slot *s = end ? NULL : slot_at(&j, i);
        if (end && j.oom)
            st = RS_ERR_NOMEM;
        pthread_mutex_unlock(&j.lock);
        if (end)
            break;
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
            pthread_cond_broadcast(&j.work);
        pthread_mutex_unlock(&j.lock);
    }
    pthread_mutex_lock(&j.lock);
    j.stop = 1;
    pthread_cond_broadcast(&j.work);
    pthread_mutex_unlock(&j.lock);
    if (walking)
        pthread_join(walker_thread, NULL);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    for (size_t i = 0; i < j.count; i++) {
        slot *s = slot_at(&j, i);
        for (size_t d = 0; d < s->count; d++)
            free_doc(&s->docs[d]);
        free(s->docs);
        free(s->path);
        free(s->reason);
    }
    for (size_t c = 0; c < j.nchunks; c++)
        free(j.chunks[c]);
    free(j.chunks);
    pthread_mutex_destroy(&j.lock);
    pthread_cond_destroy(&j.slot_done);
    pthread_cond_destroy(&j.work);
    if (st == RS_ERR_NOMEM) {
        err->code = st;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return st;
}
