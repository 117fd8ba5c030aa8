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
 * slot.  Documents reach the sink strictly in walk order, so output order
 * is the walk order whatever finishes first: whichever thread finishes a
 * slot or a member, or gathers a batch of an archive's documents, hands
 * over what is ready, one thread at a time (hand_over_ready).  The calling
 * thread is one of the N workers (N-1 worker threads are started).  At
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
    /* Results, in the order the worker's scanner made them.  The hand-over
     * takes them as they come, unlinking the batches (an archive of a
     * million members is not held whole); guarded by the lock. */
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

/* The walker publishes entries WALK_BATCH at a time: a lock per listed
 * entry cost more than scanning a small file. */
#define WALK_BATCH 16

typedef struct job {
    const rs_ruleset *rules;
    const rs_scan_options *opt;
    const rs_sink *sink;
    rs_summary *summary;
    slot **chunks;    /* guarded by lock, as are all counters below */
    size_t nchunks, chunk_cap;
    size_t count;     /* slots listed so far */
    int listed;       /* the walk is over */
    int oom;
    size_t next;      /* next slot to take */
    size_t handed;    /* slots handed to the sink so far */
    int stop;
    rs_status status; /* of the hand-over: the sink stopped it, or memory ran out */
    /* The hand-over token: whichever scanning thread holds it hands the
     * next documents to the sink (see hand_over_ready). */
    int handing;
    int hand_again;   /* something became ready while the token was held */
    subjob *queue, *queue_tail; /* members waiting for a worker */
    size_t queued, queued_bytes; /* handed over and not yet scanned */
    unsigned busy;    /* workers scanning a slot (they may hand over members) */
    unsigned idle;    /* workers waiting for work */
    pthread_mutex_t lock;
    pthread_cond_t work;       /* a slot or member came, the window moved, or the end */
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

/* Items a slot gathers before they move into it, and may be handed over. */
#define SLOT_BATCH 256

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

/* --- handing over, in walk order ------------------------------------------------------- */

static rs_status hand_doc(job *j, const rs_document *doc)
{
    rs_summary_add(j->summary, doc);
    return j->sink->document(j->sink->ctx, doc) ? RS_ERR_INTERRUPTED : RS_OK;
}

/* Hand the items of `*bp` to the sink, in order, up to the first member
 * another worker has not finished.  Handed items are freed; *bp is left
 * NULL when all were handed, otherwise it is the rest, that member first.
 * Returns RS_OK, or the sink's error (the rest is left in *bp: a member in
 * it may still be scanned, so it is freed only after the run). */
static rs_status hand_batches(job *j, batch **bp)
{
    rs_status st = RS_OK;
    while (*bp) {
        batch *b = *bp;
        size_t d = 0;
        int waiting = 0;
        for (; d < b->count && st == RS_OK; d++) {
            subjob *sj = b->items[d].sub;
            if (!sj) {
                st = hand_doc(j, &b->items[d].doc);
                continue;
            }
            pthread_mutex_lock(&j->lock);
            int done = sj->done;
            pthread_mutex_unlock(&j->lock);
            if (!done) {
                waiting = 1;
                break;
            }
            if (sj->failed)
                st = RS_ERR_NOMEM;
            for (size_t k = 0; st == RS_OK && k < sj->count; k++)
                st = hand_doc(j, &sj->items[k].doc);
        }
        free_item_contents(b->items, d);
        if (waiting || st != RS_OK) { /* what was handed goes; the rest stays */
            memmove(b->items, b->items + d, (b->count - d) * sizeof *b->items);
            b->count -= d;
            return st;
        }
        *bp = b->next;
        free(b);
    }
    return st;
}

/* Call with the lock held, which is held again on return: hand over
 * whatever is ready, in walk order.  Any scanning thread does this when it
 * finishes a slot or a member, or moves a batch of an archive's documents
 * into the slot that is next in order; one at a time (the token), and
 * never waiting: what is not ready is left to whoever makes it ready.  So
 * no thread only hands over (on two cores a third busy thread was
 * preempted and woken thousands of times a run), and no thread that is
 * busy scanning holds up the hand-over of the others' documents. */
static void hand_over_ready(job *j)
{
    if (j->handing) {
        j->hand_again = 1;
        return;
    }
    j->handing = 1;
    do {
        j->hand_again = 0;
        while (j->status == RS_OK && j->handed < j->count) {
            slot *s = slot_at(j, j->handed);
            if (!s->count && !s->done)
                break;
            batch *b = s->first;
            int done = s->done, failed = s->failed;
            s->first = s->last = NULL;
            s->count = 0;
            pthread_mutex_unlock(&j->lock);
            rs_status st = hand_batches(j, &b);
            pthread_mutex_lock(&j->lock);
            if (b) { /* a member not done yet, or the sink failed: back in front */
                size_t n = 0;
                batch *last = b;
                for (batch *x = b; x; x = x->next) {
                    n += x->count;
                    last = x;
                }
                last->next = s->first;
                if (!s->first)
                    s->last = last;
                s->first = b;
                s->count += n;
                if (st == RS_OK)
                    break; /* whoever finishes that member carries on */
            }
            if (st == RS_OK && done && failed)
                st = RS_ERR_NOMEM;
            if (st != RS_OK) {
                j->status = st;
                j->stop = 1;
                pthread_cond_broadcast(&j->work);
                break;
            }
            if (!done)
                continue; /* more may have come meanwhile */
            j->handed++;
            if (j->idle)
                pthread_cond_broadcast(&j->work); /* the window moved, or the end */
        }
    } while (j->hand_again && j->status == RS_OK);
    j->handing = 0;
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
        if (j->handed == ws->index) /* an archive's documents go out as they come */
            hand_over_ready(j);
        int stop = j->stop;
        pthread_mutex_unlock(&j->lock);
        return stop;
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

/* A thread that scans: a worker thread, or the calling thread. */
typedef struct scanning {
    rs_scanner *scanner; /* NULL: could not be made; what it takes fails */
    worker_sink ws;
    rs_sink sink;
} scanning;

static void scanning_init(scanning *sc, job *j)
{
    memset(sc, 0, sizeof *sc);
    if (rs_scanner_new(j->rules, j->opt, &sc->scanner) != RS_OK)
        sc->scanner = NULL;
    sc->ws.job = j;
    sc->sink.ctx = &sc->ws;
    sc->sink.document = capture;
}

static void scanning_free(scanning *sc)
{
    free(sc->ws.pending); /* empty: every slot's items were flushed into it */
    rs_scanner_free(sc->scanner);
}

/* Call with the lock held, which is held again on return: scan the next
 * member waiting for a worker, if any.  Returns whether there was one. */
static int scan_queued_member(job *j, scanning *sc)
{
    subjob *sj = j->queue;
    if (!sj)
        return 0;
    j->queue = sj->next_queued;
    if (!j->queue)
        j->queue_tail = NULL;
    pthread_mutex_unlock(&j->lock);
    sc->ws.slot = NULL;
    sc->ws.sub = sj;
    if (!sc->scanner) {
        sj->failed = 1;
    } else {
        rs_scanner_set_dispatch(sc->scanner, NULL, NULL);
        rs_scanner_scan_member(sc->scanner, sj->path, sj->input_len, sj->data, sj->len, &sc->sink);
    }
    free(sj->data);
    sj->data = NULL;
    pthread_mutex_lock(&j->lock);
    j->queued--;
    j->queued_bytes -= sj->len;
    sj->done = 1;
    hand_over_ready(j); /* the hand-over may have stopped at this member */
    return 1;
}

/* Call with the lock held, which is held again on return: scan a member
 * waiting for a worker (the hand-over may have stopped at it), else the
 * next listed slot inside the window.  Returns whether there was anything. */
static int scan_next(job *j, scanning *sc)
{
    if (scan_queued_member(j, sc))
        return 1;
    if (j->next >= j->count || j->next >= j->handed + RS_PARALLEL_WINDOW)
        return 0;
    size_t index = j->next++;
    slot *s = slot_at(j, index);
    j->busy++;
    pthread_mutex_unlock(&j->lock);
    sc->ws.slot = s;
    sc->ws.index = index;
    sc->ws.sub = NULL;
    rs_error err; /* set, not initialised: that would zero its 512-byte message per file */
    err.code = RS_OK;
    err.message[0] = 0;
    if (!sc->scanner) {
        s->failed = 1;
    } else {
        rs_scanner_set_dispatch(sc->scanner, j->workers > 1 ? dispatch_member : NULL, &sc->ws);
        rs_scanner_scan_entry(sc->scanner, s->path, s->kind, s->reason, s->dir, s->path + s->name_at,
                              &sc->sink, &err);
    }
    rs_walk_dir_release(s->dir);
    s->dir = NULL;
    pthread_mutex_lock(&j->lock);
    flush_pending(&sc->ws);
    s->done = 1;
    j->busy--;
    hand_over_ready(j);
    if (!j->busy && j->idle)
        pthread_cond_broadcast(&j->work); /* no more members can come */
    return 1;
}

static void *worker(void *arg)
{
    job *j = arg;
    scanning sc;
    scanning_init(&sc, j);
    pthread_mutex_lock(&j->lock);
    while (!j->stop) {
        if (scan_next(j, &sc))
            continue;
        /* Nothing listed is left and nobody can hand over members: done. */
        if (j->listed && j->next >= j->count && !j->busy)
            break;
        j->idle++;
        pthread_cond_wait(&j->work, &j->lock);
        j->idle--;
    }
    pthread_mutex_unlock(&j->lock);
    scanning_free(&sc);
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
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

/* --- the run -------------------------------------------------------------------------- */

rs_status rs_scan_parallel(const rs_ruleset *rules, const rs_scan_options *opt,
                           const char *const *paths, size_t npaths, unsigned jobs,
                           const rs_sink *sink, rs_summary *summary, rs_error *err)
{
    job j;
    memset(&j, 0, sizeof j);
    j.rules = rules;
    j.opt = opt;
    j.sink = sink;
    j.summary = summary;
    j.status = RS_OK;
    j.paths = paths;
    j.npaths = npaths;
    pthread_mutex_init(&j.lock, NULL);
    pthread_cond_init(&j.work, NULL);
    pthread_t walker_thread, threads[RS_PARALLEL_MAX_JOBS];
    unsigned started = 0;
    if (jobs > RS_PARALLEL_MAX_JOBS)
        jobs = RS_PARALLEL_MAX_JOBS;
    j.workers = jobs ? jobs : 1;
    /* This thread is one of the `jobs` that scan (N-1 worker threads are
     * started), and, like them, hands over what is ready when it finishes
     * something; it returns once everything listed is handed over. */
    scanning me;
    scanning_init(&me, &j);
    int walking = pthread_create(&walker_thread, NULL, walker, &j) == 0;
    if (!walking)
        j.status = RS_ERR_NOMEM;
    for (unsigned t = 1; walking && t < j.workers; t++)
        if (pthread_create(&threads[started], NULL, worker, &j) == 0)
            started++;
    pthread_mutex_lock(&j.lock);
    while (walking && !j.stop && !(j.listed && j.handed == j.count)) {
        if (scan_next(&j, &me))
            continue;
        j.idle++;
        pthread_cond_wait(&j.work, &j.lock);
        j.idle--;
    }
    j.stop = 1;
    pthread_cond_broadcast(&j.work);
    rs_status st = j.status;
    if (st == RS_OK && j.oom)
        st = RS_ERR_NOMEM;
    pthread_mutex_unlock(&j.lock);
    if (walking)
        pthread_join(walker_thread, NULL);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    scanning_free(&me);
    for (size_t k = 0; k < j.count; k++) {
        slot *s = slot_at(&j, k);
        free_batches(s->first);
        free_unlisted(s); /* the dir is still held when the run stopped before the file */
    }
    for (size_t c = 0; c < j.nchunks; c++)
        free(j.chunks[c]);
    free(j.chunks);
    pthread_mutex_destroy(&j.lock);
    pthread_cond_destroy(&j.work);
    if (st == RS_ERR_NOMEM) {
        err->code = st;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return st;
}
