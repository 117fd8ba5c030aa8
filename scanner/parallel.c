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

/* A document's copy lives in one allocation, the path first (so freeing
 * the path frees it all), then the source and evidence arrays, then the
 * other strings: a malloc per document rather than a dozen.  Rule, source
 * and field-name pointers point into the immutable ruleset or static
 * tables and are not copied. */
static void free_doc(rs_document *d)
{
    free((char *)d->path);
}

#define ALIGN_UP(n) (((n) + 15) & ~(size_t)15)

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copy s to *at (when given), advancing it; NULL stays NULL. */
static const char *put_str(char **at, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = memcpy(*at, s, n);
    *at += n;
    return p;
}

static int copy_doc(rs_document *to, const rs_document *from)
{
    size_t arrays = from->source_count * sizeof(rs_source_result), strings = 0;
    strings += str_size(from->format) + str_size(from->reason);
    for (size_t i = 0; i < from->source_count; i++) {
        const rs_source_result *src = &from->sources[i];
        arrays += src->evidence_count * sizeof(rs_evidence);
        strings += str_size(src->because);
        for (size_t k = 0; k < src->evidence_count; k++) {
            const rs_evidence *e = &src->evidence[k];
            strings += str_size(e->snippet) + str_size(e->before) + str_size(e->after) +
                       str_size(e->locator) + str_size(e->fingerprint) + str_size(e->suppressed);
            if (e->story) {
                arrays += sizeof(rs_story_match) + e->story->passage_count * sizeof(rs_line_range);
                strings += str_size(e->story->id) + str_size(e->story->headline);
            }
        }
    }
    size_t head = ALIGN_UP(str_size(from->path));
    char *block = malloc(head + arrays + strings);
    *to = *from;
    to->path = NULL;
    to->sources = NULL;
    to->source_count = 0;
    if (!block)
        return -1;
    char *at = block;
    to->path = put_str(&at, from->path);
    rs_source_result *sources = (rs_source_result *)(block + head);
    rs_evidence *evidence = (rs_evidence *)(sources + from->source_count);
    size_t evidence_total = 0, story_total = 0;
    for (size_t i = 0; i < from->source_count; i++) {
        evidence_total += from->sources[i].evidence_count;
        for (size_t k = 0; k < from->sources[i].evidence_count; k++)
            story_total += from->sources[i].evidence[k].story != NULL;
    }
    rs_story_match *stories = (rs_story_match *)(evidence + evidence_total);
    rs_line_range *ranges = (rs_line_range *)(stories + story_total);
    for (size_t i = 0; i < from->source_count; i++)
        for (size_t k = 0; k < from->sources[i].evidence_count; k++)
            if (from->sources[i].evidence[k].story)
                ranges += from->sources[i].evidence[k].story->passage_count;
    at = (char *)ranges; /* the strings follow the arrays */
    ranges = (rs_line_range *)(stories + story_total);
    to->format = put_str(&at, from->format);
    to->reason = put_str(&at, from->reason);
    for (size_t i = 0; i < from->source_count; i++) {
        sources[i] = from->sources[i];
        sources[i].because = put_str(&at, from->sources[i].because);
        sources[i].evidence = evidence;
        for (size_t k = 0; k < from->sources[i].evidence_count; k++) {
            const rs_evidence *e = &from->sources[i].evidence[k];
            evidence[k] = *e;
            evidence[k].snippet = put_str(&at, e->snippet);
            evidence[k].before = put_str(&at, e->before);
            evidence[k].after = put_str(&at, e->after);
            evidence[k].locator = put_str(&at, e->locator);
            evidence[k].fingerprint = put_str(&at, e->fingerprint);
            evidence[k].suppressed = put_str(&at, e->suppressed);
            if (e->story) {
                rs_story_match *sm = stories++;
                *sm = *e->story;
                sm->id = put_str(&at, e->story->id);
                sm->headline = put_str(&at, e->story->headline);
                if (sm->passage_count)
                    sm->passages = memcpy(ranges, e->story->passages, sm->passage_count * sizeof *ranges);
                ranges += sm->passage_count;
                evidence[k].story = sm;
            }
        }
        evidence += from->sources[i].evidence_count;
    }
    to->sources = from->source_count ? sources : NULL;
    to->source_count = from->source_count;
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* --- the work ------------------------------------------------------------------------ */

/* An archive member handed to another worker (see parallel.h): its own
 * copy of the bytes, and its documents once scanned. */
typedef struct subjob {
    char *path;
    size_t input_len;
    char *data;
    size_t len;
    struct item *items; /* its documents (never placeholders) */
    size_t count, cap;
    int done, failed;
    struct subjob *next_queued;
} subjob;

/* A document of a slot, or the place of a member another worker scans. */
typedef struct item {
    rs_document doc;
    subjob *sub;
} item;

/* Items a worker made for a slot, moved into it together: linking a batch
 * into the slot needs no allocation under the lock, and cannot fail. */
typedef struct batch {
    struct batch *next;
    size_t count, cap;
    item items[];
} batch;

typedef struct slot {
    char *path;
    rs_walk_kind kind;
    char *reason;
    rs_walk_dir *dir; /* held until the file is scanned, or NULL (see walk.h) */
    size_t name_at;   /* where the file's name in dir starts in path */
    /* Results, in the order the worker's scanner made them.  The handing
     * thread takes them as they come, unlinking the batches (an archive of
     * a million members is not held whole); guarded by the lock. */
    batch *first, *last;
    size_t count;     /* items in those batches */
    int done;
    int failed; /* out of memory while copying */
} slot;

/* Members waiting for a worker are bounded, in count and bytes: past the
 * bound the archive's own worker scans them itself. */
#define SUB_MAX_QUEUED 1024
#define SUB_MAX_BYTES (64u << 20)

/* Slots live in fixed-size chunks, so a slot never moves while the walker
 * lists more of them. */
#define SLOT_CHUNK 4096

/* The walker publishes entries WALK_BATCH at a time, and the handing
 * thread, which is faster than the workers, waits for HAND_BATCH slots at
 * a time: a lock per listed entry and a wake-up per file (a futex round
 * trip and a context switch each) cost more than scanning small files. */
#define WALK_BATCH 16
#define HAND_BATCH 32

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
    subjob *queue, *queue_tail; /* members waiting for a worker */
    size_t queued, queued_bytes; /* handed over and not yet scanned */
    unsigned busy;    /* workers scanning a slot (they may hand over members) */
    /* Wake-ups are costly next to scanning a small file, so each side
     * signals only when the other is known to be waiting. */
    size_t awaited;   /* slot the handing thread waits for, or SIZE_MAX */
    size_t awaited_until; /* ...and the last slot of the batch it waits for */
    const subjob *awaited_sub; /* ...or member */
    unsigned idle;    /* workers waiting for work */
    pthread_mutex_t lock;
    pthread_cond_t slot_done;  /* the awaited slot or member is done, or the walk ended */
    pthread_cond_t work;       /* a slot or member came, the window moved, or stop */
    unsigned workers;
    const char *const *paths;
    size_t npaths;
    slot unpublished[WALK_BATCH]; /* listed, not yet published; the walker's own */
    size_t nunpublished;
} job;

/* Call with the lock held: the chunk table may grow meanwhile. */
static slot *slot_at(job *j, size_t i)
{
    return &j->chunks[i / SLOT_CHUNK][i % SLOT_CHUNK];
}

static void free_sub(subjob *sj);

static void free_item_contents(item *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (items[i].sub)
            free_sub(items[i].sub);
        else
            free_doc(&items[i].doc);
    }
}

static void free_batches(batch *b)
{
    while (b) {
        batch *next = b->next;
        free_item_contents(b->items, b->count);
        free(b);
        b = next;
    }
}

static void free_sub(subjob *sj)
{
    free(sj->path);
    free(sj->data);
    free_item_contents(sj->items, sj->count);
    free(sj->items);
    free(sj);
}

static item *add_item(item **items, size_t *count, size_t *cap)
{
    if (*count == *cap) {
        size_t n = *cap ? *cap * 2 : 4;
        item *p = realloc(*items, n * sizeof *p);
        if (!p)
            return NULL;
        *items = p;
        *cap = n;
    }
    item *it = &(*items)[(*count)++];
    memset(it, 0, sizeof *it);
    return it;
}

static item *batch_add(batch **bp)
{
    batch *b = *bp;
    if (!b || b->count == b->cap) {
        size_t cap = b ? b->cap * 2 : 4;
        batch *p = realloc(b, sizeof *p + cap * sizeof(item));
        if (!p)
            return NULL;
        if (!b)
            p->count = 0;
        p->next = NULL;
        p->cap = cap;
        *bp = b = p;
    }
    item *it = &b->items[b->count++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Where a worker's scanner puts documents: the slot it scans, or the
 * member it was handed. */
typedef struct worker_sink {
    job *job;
    slot *slot;
    size_t index; /* of the slot */
    subjob *sub;
    /* The slot's items not yet in it: they move in under the lock the
     * worker takes anyway when the slot is done (or SLOT_BATCH at a time,
     * for an archive's many documents) instead of a lock per document. */
    batch *pending;
} worker_sink;

/* Items waiting in a slot before the handing thread is woken for them. */
#define SLOT_BATCH 256

/* Call with the lock held: is the slot the handing thread waits for ready,
 * with the rest of its batch?  It is when it has SLOT_BATCH items (an
 * archive's documents stream out), or is done and so is the last slot of
 * the batch listed so far; or when the walk ended before listing it. */
static int awaited_ready(job *j)
{
    size_t i = j->awaited;
    if (i >= j->count)
        return j->listed;
    slot *s = slot_at(j, i);
    if (s->count >= SLOT_BATCH)
        return 1;
    if (!s->done)
        return 0;
    size_t last = j->awaited_until < j->count ? j->awaited_until : j->count - 1;
    return slot_at(j, last)->done;
}

/* Call with the lock held: the pending items move into the slot. */
static void flush_pending(worker_sink *ws)
{
    batch *b = ws->pending;
    if (!b || !b->count)
        return;
    slot *s = ws->slot;
    if (s->last)
        s->last->next = b;
    else
        s->first = b;
    s->last = b;
    s->count += b->count;
    ws->pending = NULL;
}

static int capture(void *ctx, const rs_document *doc)
{
    worker_sink *ws = ctx;
    if (ws->sub) { /* a member's documents: taken once it is done */
        item *it = add_item(&ws->sub->items, &ws->sub->count, &ws->sub->cap);
        if (!it || copy_doc(&it->doc, doc) != 0) {
            if (it)
                ws->sub->count--;
            ws->sub->failed = 1;
            return 1;
        }
        return 0;
    }
    job *j = ws->job;
    item *it = batch_add(&ws->pending);
    if (!it || copy_doc(&it->doc, doc) != 0) {
        if (it)
            ws->pending->count--;
        pthread_mutex_lock(&j->lock);
        ws->slot->failed = 1;
        pthread_mutex_unlock(&j->lock);
        return 1;
    }
    if (ws->pending->count >= SLOT_BATCH) {
        pthread_mutex_lock(&j->lock);
        flush_pending(ws);
        if (j->awaited == ws->index && awaited_ready(j))
            pthread_cond_signal(&j->slot_done);
        pthread_mutex_unlock(&j->lock);
    }
    return 0;
}

static int dispatch_member(void *ctx, const char *path, size_t input_len, const char *data, size_t len)
{
    worker_sink *ws = ctx;
    job *j = ws->job;
    pthread_mutex_lock(&j->lock);
    int full = j->queued >= SUB_MAX_QUEUED || j->queued_bytes + len > SUB_MAX_BYTES || j->stop;
    if (!full) {
        j->queued++;
        j->queued_bytes += len;
    }
    pthread_mutex_unlock(&j->lock);
    if (full)
        return -1;
    subjob *sj = calloc(1, sizeof *sj);
    if (sj) {
        sj->path = strdup(path);
        sj->data = malloc(len ? len : 1);
    }
    item *it = NULL;
    if (sj && sj->path && sj->data) {
        it = batch_add(&ws->pending); /* its place among the slot's documents */
        if (it)
            it->sub = sj;
    }
    if (!it) {
        if (sj) {
            free(sj->path);
            free(sj->data);
            free(sj);
        }
        pthread_mutex_lock(&j->lock);
        j->queued--;
        j->queued_bytes -= len;
        pthread_mutex_unlock(&j->lock);
        return -1; /* scanned here instead */
    }
    memcpy(sj->data, data, len);
    sj->len = len;
    sj->input_len = input_len;
    pthread_mutex_lock(&j->lock);
    if (j->queue_tail)
        j->queue_tail->next_queued = sj;
    else
        j->queue = sj;
    j->queue_tail = sj;
    if (j->idle)
        pthread_cond_signal(&j->work);
    pthread_mutex_unlock(&j->lock);
    return 0;
}

static void *worker(void *arg)
{
    job *j = arg;
    rs_scanner *scanner = NULL;
    if (rs_scanner_new(j->rules, j->opt, &scanner) != RS_OK)
        scanner = NULL;
    worker_sink ws = { j, NULL, 0, NULL, NULL };
    rs_sink sink = { &ws, capture };
    pthread_mutex_lock(&j->lock);
    for (;;) {
        if (j->stop)
            break;
        if (j->queue) { /* members first: the hand-off may be waiting for them */
            subjob *sj = j->queue;
            j->queue = sj->next_queued;
            if (!j->queue)
                j->queue_tail = NULL;
            pthread_mutex_unlock(&j->lock);
            ws.slot = NULL;
            ws.sub = sj;
            if (!scanner) {
                sj->failed = 1;
            } else {
                rs_scanner_set_dispatch(scanner, NULL, NULL);
                rs_scanner_scan_member(scanner, sj->path, sj->input_len, sj->data, sj->len, &sink);
            }
            free(sj->data);
            sj->data = NULL;
            pthread_mutex_lock(&j->lock);
            j->queued--;
            j->queued_bytes -= sj->len;
            sj->done = 1;
            if (j->awaited_sub == sj)
                pthread_cond_signal(&j->slot_done);
            continue;
        }
        if (j->next < j->count && j->next < j->handed + RS_PARALLEL_WINDOW) {
            size_t index = j->next++;
            slot *s = slot_at(j, index);
            j->busy++;
            pthread_mutex_unlock(&j->lock);
            ws.slot = s;
            ws.index = index;
            ws.sub = NULL;
            rs_error err = { RS_OK, "" };
            if (!scanner) {
                s->failed = 1;
            } else {
                rs_scanner_set_dispatch(scanner, j->workers > 1 ? dispatch_member : NULL, &ws);
                rs_scanner_scan_entry(scanner, s->path, s->kind, s->reason, s->dir, s->path + s->name_at,
                                      &sink, &err);
            }
            rs_walk_dir_release(s->dir);
            s->dir = NULL;
            pthread_mutex_lock(&j->lock);
            flush_pending(&ws);
            s->done = 1;
            j->busy--;
            if (j->awaited != SIZE_MAX && awaited_ready(j))
                pthread_cond_signal(&j->slot_done);
            if (!j->busy && j->idle)
                pthread_cond_broadcast(&j->work); /* no more members can come */
            continue;
        }
        /* Nothing listed is left and nobody can hand over members: done. */
        if (j->listed && j->next >= j->count && !j->busy)
            break;
        j->idle++;
        pthread_cond_wait(&j->work, &j->lock);
        j->idle--;
    }
    pthread_mutex_unlock(&j->lock);
    free(ws.pending); /* empty: every slot's items were flushed into it */
    rs_scanner_free(scanner);
    return NULL;
}

/* --- listing the inputs, while the workers already scan ------------------------------ */

static void free_unlisted(slot *s)
{
    free(s->path);
    free(s->reason);
    rs_walk_dir_release(s->dir);
}

/* The walker's listed entries become slots the workers can take.  Returns
 * non-zero when the walk should stop. */
static int publish(job *j)
{
    size_t n = j->nunpublished, done = 0;
    j->nunpublished = 0;
    pthread_mutex_lock(&j->lock);
    for (; done < n && !j->oom; done++) {
        if (j->count == j->nchunks * SLOT_CHUNK) {
            if (j->nchunks == j->chunk_cap) {
                size_t cap = j->chunk_cap ? j->chunk_cap * 2 : 16;
                slot **p = realloc(j->chunks, cap * sizeof *p);
                if (p) {
                    j->chunks = p;
                    j->chunk_cap = cap;
                }
            }
            slot *c = j->nchunks < j->chunk_cap ? malloc(SLOT_CHUNK * sizeof *c) : NULL;
            if (!c) {
                j->oom = 1;
                break;
            }
            j->chunks[j->nchunks++] = c;
        }
        *slot_at(j, j->count++) = j->unpublished[done];
    }
    if (j->idle && done)
        pthread_cond_broadcast(&j->work);
    int stop = j->stop || j->oom;
    pthread_mutex_unlock(&j->lock);
    for (; done < n; done++)
        free_unlisted(&j->unpublished[done]);
    return stop;
}

static int on_entry(void *ctx, const rs_walk_entry *e)
{
    job *j = ctx;
    if (!rs_scan_in_shard(j->opt, e->path))
        return 0;
    slot *fresh = &j->unpublished[j->nunpublished];
    memset(fresh, 0, sizeof *fresh);
    fresh->path = strdup(e->path);
    fresh->kind = e->kind;
    fresh->reason = dup_or_null(e->reason);
    if (!fresh->path || (e->reason && !fresh->reason)) {
        free_unlisted(fresh);
        publish(j); /* what was listed before is still scanned and reported */
        pthread_mutex_lock(&j->lock);
        j->oom = 1;
        pthread_mutex_unlock(&j->lock);
        return 1;
    }
    size_t pl = strlen(e->path), nl = e->name ? strlen(e->name) : 0;
    if (e->dir && nl && nl <= pl && strcmp(e->path + pl - nl, e->name) == 0) {
        rs_walk_dir_hold(e->dir); /* the walk moves on before a worker opens the file */
        fresh->dir = e->dir;
        fresh->name_at = pl - nl;
    }
    if (++j->nunpublished == WALK_BATCH)
        return publish(j);
    return 0;
}

static void *walker(void *arg)
{
    job *j = arg;
    rs_walk_options wo = { j->opt ? j->opt->follow_symlinks : 0, j->opt ? j->opt->exclude : NULL };
    for (size_t i = 0; i < j->npaths; i++)
        if (rs_walk(j->paths[i], &wo, on_entry, j) != RS_OK)
            break; /* out of memory (j->oom) or stopped */
    publish(j);
    pthread_mutex_lock(&j->lock);
    j->listed = 1;
    pthread_cond_broadcast(&j->work);
    pthread_cond_broadcast(&j->slot_done);
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

/* --- handing over, in walk order ------------------------------------------------------- */

static rs_status hand_over(const rs_document *doc, const rs_sink *sink, rs_summary *summary)
{
    rs_summary_add(summary, doc);
    return sink->document(sink->ctx, doc) ? RS_ERR_INTERRUPTED : RS_OK;
}

/* Items taken from one slot under the lock, handed over after it. */
typedef struct taken {
    batch *items;
    int done, failed;
} taken;

static rs_status hand_items(job *j, batch *b, const rs_sink *sink, rs_summary *summary)
{
    rs_status st = RS_OK;
    for (; b && st == RS_OK; b = b->next) {
        for (size_t d = 0; st == RS_OK && d < b->count; d++) {
            subjob *sj = b->items[d].sub;
            if (!sj) {
                st = hand_over(&b->items[d].doc, sink, summary);
                continue;
            }
            pthread_mutex_lock(&j->lock);
            j->awaited_sub = sj;
            while (!sj->done && !j->stop)
                pthread_cond_wait(&j->slot_done, &j->lock);
            j->awaited_sub = NULL;
            pthread_mutex_unlock(&j->lock);
            if (sj->failed)
                st = RS_ERR_NOMEM;
            for (size_t k = 0; st == RS_OK && k < sj->count; k++)
                st = hand_over(&sj->items[k].doc, sink, summary);
        }
    }
    return st;
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
    j.workers = jobs ? jobs : 1;
    int walking = pthread_create(&walker_thread, NULL, walker, &j) == 0;
    if (!walking)
        st = RS_ERR_NOMEM;
    for (unsigned t = 0; st == RS_OK && t < (jobs ? jobs : 1); t++)
        if (pthread_create(&threads[t], NULL, worker, &j) == 0)
            started++;
    if (st == RS_OK && !started)
        st = RS_ERR_NOMEM;
    /* Hand the slots over in walk order: under one lock, the items of every
     * slot from the next one on that is done (and what the first one not
     * done has so far), then hand them over without it. */
    size_t i = 0; /* the first slot not handed over whole */
    while (st == RS_OK) {
        pthread_mutex_lock(&j.lock);
        j.handed = i;
        if (j.idle)
            pthread_cond_broadcast(&j.work); /* the window moved */
        int ready = i < j.count ? slot_at(&j, i)->count || slot_at(&j, i)->done : j.listed;
        if (!ready) {
            j.awaited = i;
            j.awaited_until = i + HAND_BATCH - 1;
            while (!awaited_ready(&j))
                pthread_cond_wait(&j.slot_done, &j.lock);
            j.awaited = SIZE_MAX;
        }
        if (i >= j.count) {
            if (j.oom)
                st = RS_ERR_NOMEM;
            pthread_mutex_unlock(&j.lock);
            break;
        }
        taken got[HAND_BATCH];
        size_t n = 0;
        for (size_t k = i; k < j.count && n < HAND_BATCH; k++) {
            slot *s = slot_at(&j, k);
            if (!s->count && !s->done)
                break;
            got[n++] = (taken){ s->first, s->done, s->failed };
            s->first = s->last = NULL;
            s->count = 0;
            if (!s->done)
                break; /* what it has so far; the rest comes later */
        }
        pthread_mutex_unlock(&j.lock);
        for (size_t g = 0; g < n; g++) {
            if (st == RS_OK)
                st = hand_items(&j, got[g].items, sink, summary);
            free_batches(got[g].items);
            if (got[g].done) {
                if (got[g].failed && st == RS_OK)
                    st = RS_ERR_NOMEM;
                i++;
            }
        }
    }
    pthread_mutex_lock(&j.lock);
    j.stop = 1;
    pthread_cond_broadcast(&j.work);
    pthread_mutex_unlock(&j.lock);
    if (walking)
        pthread_join(walker_thread, NULL);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    for (size_t k = 0; k < j.count; k++) {
        slot *s = slot_at(&j, k);
        free_batches(s->first);
        free_unlisted(s); /* the dir is still held when the run stopped before the file */
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
