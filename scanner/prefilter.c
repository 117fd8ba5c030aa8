/* SPDX-License-Identifier: Apache-2.0 */
/* One Vectorscan pass to select candidate rules; see prefilter.h. */
#include "prefilter.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hs.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "ruleset.h"

/* Paths of cache files: generous, checked by snprintf. */
#define RS_CACHE_PATH_MAX 4096

typedef struct fallback {
    size_t rule;
    char *why;
} fallback;

struct rs_prefilter {
    hs_database_t *db;
    size_t rule_count;
    unsigned char *always; /* per rule: a pattern fell back, run it on every text */
    fallback *fallbacks;
    size_t fallback_count;
    const char *origin;
};

struct rs_prefilter_scratch {
    hs_scratch_t *scratch;
};

/* No HS_FLAG_UCP: see relax(). */
#define PF_FLAGS (HS_FLAG_UTF8 | HS_FLAG_MULTILINE | HS_FLAG_SINGLEMATCH | HS_FLAG_PREFILTER | \
                  HS_FLAG_ALLOWEMPTY)

static void free_fallbacks(rs_prefilter *pf)
{
    for (size_t i = 0; i < pf->fallback_count; i++)
        free(pf->fallbacks[i].why);
    free(pf->fallbacks);
    pf->fallbacks = NULL;
    pf->fallback_count = 0;
}

void rs_prefilter_free(rs_prefilter *pf)
{
    if (!pf)
        return;
    hs_free_database(pf->db);
    free(pf->always);
    free_fallbacks(pf);
    free(pf);
}

size_t rs_prefilter_fallback_count(const rs_prefilter *pf)
{
    return pf ? pf->fallback_count : 0;
}

const char *rs_prefilter_fallback(const rs_prefilter *pf, size_t i, size_t *rule_index)
{
    if (!pf || i >= pf->fallback_count)
        return NULL;
    *rule_index = pf->fallbacks[i].rule;
    return pf->fallbacks[i].why;
}

const char *rs_prefilter_origin(const rs_prefilter *pf)
{
    return pf ? pf->origin : "none";
}

/* --- the on-disk cache ------------------------------------------------------ */

static int cache_path(const struct rs_ruleset *rs, char *out, size_t cap, int make_dir)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char dir[RS_CACHE_PATH_MAX];
    if (xdg && *xdg)
        snprintf(dir, sizeof dir, "%s/rightscan", xdg);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.cache/rightscan", home);
    else
        return -1;
    if (make_dir) {
        char parent[RS_CACHE_PATH_MAX];
        snprintf(parent, sizeof parent, "%.*s", (int)(strrchr(dir, '/') - dir), dir);
        (void)mkdir(parent, 0755); /* ~/.cache may not exist yet */
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return -1;
    }
    /* Keyed by the rules and the Vectorscan version (and platform, which
     * the database embeds and checks itself). */
    char version[64];
    snprintf(version, sizeof version, "%s", hs_version());
    for (char *c = version; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || *c == '.'))
            *c = '_';
    /* v2: the relaxed patterns (relax()); v6: line-start anchors dropped */
    if ((size_t)snprintf(out, cap, "%s/prefilter-v6-%.32s-hs%.20s.db", dir, rs->sha256, version) >= cap)
        return -1;
    return 0;
}

/* The fallback list travels with the database, in the same blob (the
 * cache file, the built-in copy): a u64 length, that many bytes of
 * "<rule>\t<why>\n" lines, then the serialized database. */
static hs_database_t *load_blob(rs_prefilter *pf, const char *bytes, size_t len)
{
    hs_database_t *db = NULL;
    uint64_t flen;
    if (len >= 8 && (memcpy(&flen, bytes, 8), flen <= len - 8) &&
        hs_deserialize_database(bytes + 8 + flen, len - 8 - flen, &db) == HS_SUCCESS) {
        const char *p = bytes + 8, *end = p + flen;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *tab = memchr(p, '\t', (size_t)((nl ? nl : end) - p));
            if (!nl || !tab)
                break;
            size_t rule = strtoul(p, NULL, 10);
            fallback *g = realloc(pf->fallbacks, (pf->fallback_count + 1) * sizeof *g);
            if (!g || rule >= pf->rule_count)
                break;
            pf->fallbacks = g;
            g[pf->fallback_count].rule = rule;
            g[pf->fallback_count].why = strndup(tab + 1, (size_t)(nl - tab - 1));
            pf->fallback_count++;
            pf->always[rule] = 1;
            p = nl + 1;
        }
    }
    return db; /* NULL: corrupt or made for another platform */
}

static hs_database_t *cache_load(const struct rs_ruleset *rs, rs_prefilter *pf)
{
    char path[RS_CACHE_PATH_MAX + 64];
    if (cache_path(rs, path, sizeof path, 0) != 0)
        return NULL;
    rs_buf file;
    rs_buf_init(&file, 1u << 30);
    int e;
    if (rs_buf_read_file(&file, path, &e) != RS_OK) {
        rs_buf_free(&file);
        return NULL; /* not there (or unreadable): built and written anew */
    }
    hs_database_t *db = load_blob(pf, file.data ? file.data : "", file.len);
    rs_buf_free(&file);
    return db; /* NULL: corrupt; it is rebuilt */
}

rs_status rs_prefilter_serialize(const rs_prefilter *pf, char **out, size_t *out_len)
{
    char *bytes = NULL;
    size_t len = 0;
    if (!pf || hs_serialize_database(pf->db, &bytes, &len) != HS_SUCCESS)
        return RS_ERR_NOMEM;
    rs_buf b;
    rs_buf_init(&b, 0);
    uint64_t flen = 0;
    rs_status st = rs_buf_append(&b, &flen, 8);
    for (size_t i = 0; st == RS_OK && i < pf->fallback_count; i++) {
        char rule[32];
        snprintf(rule, sizeof rule, "%zu\t", pf->fallbacks[i].rule);
        st = rs_buf_puts(&b, rule);
        if (st == RS_OK)
            st = rs_buf_puts(&b, pf->fallbacks[i].why);
        if (st == RS_OK)
            st = rs_buf_putc(&b, '\n');
    }
    if (st == RS_OK) {
        flen = b.len - 8;
        memcpy(b.data, &flen, 8);
        st = rs_buf_append(&b, bytes, len);
    }
    free(bytes); /* allocated by hs_serialize_database with malloc */
    if (st != RS_OK) {
        rs_buf_free(&b);
        return st;
    }
    *out_len = b.len;
    *out = rs_buf_steal(&b);
    return RS_OK;
}

/* The cache keeps the databases of the most recently built rule sets; a
 * rules author editing a file builds a new one on every run, and the old
 * ones would otherwise pile up without end. */
#define RS_CACHE_KEEP 32

static void cache_trim(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct entry {
        time_t mtime;
        char name[256];
    } *list = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "prefilter-", 10) != 0 || len < 4 || strcmp(de->d_name + len - 3, ".db") != 0 ||
            len >= sizeof list->name)
            continue;
        char path[RS_CACHE_PATH_MAX + 400];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (n == cap) {
            struct entry *p = realloc(list, (cap = cap ? cap * 2 : 64) * sizeof *p);
            if (!p)
                break;
            list = p;
        }
        list[n].mtime = st.st_mtime;
        memcpy(list[n].name, de->d_name, len + 1);
        n++;
    }
    closedir(d);
    while (n > RS_CACHE_KEEP) { /* remove the oldest */
        size_t oldest = 0;
        for (size_t i = 1; i < n; i++)
            if (list[i].mtime < list[oldest].mtime)
                oldest = i;
        char path[RS_CACHE_PATH_MAX + 400];
        snprintf(path, sizeof path, "%s/%s", dir, list[oldest].name);
        unlink(path);
        list[oldest] = list[--n];
    }
    free(list);
}

static void cache_store(const struct rs_ruleset *rs, const rs_prefilter *pf)
{
    char path[RS_CACHE_PATH_MAX + 64], tmp[RS_CACHE_PATH_MAX + 96];
    if (cache_path(rs, path, sizeof path, 1) != 0)
        return;
    char *bytes = NULL;
    size_t len = 0;
    if (rs_prefilter_serialize(pf, &bytes, &len) != RS_OK)
        return;
    /* Written aside and renamed: a concurrent run sees the old file or the
     * whole new one, never half of it. */
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        int ok = write(fd, bytes, len) == (ssize_t)len;
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp, path) != 0)
            unlink(tmp);
    }
    free(bytes);
    *strrchr(path, '/') = 0;
    cache_trim(path);
}

/* --- building ------------------------------------------------------------------ */

/* A superset of `pattern` that Vectorscan compiles fast.  Matching a
 * superset is all a prefilter needs: PCRE2 confirms every candidate with
 * the exact pattern.  What makes Vectorscan slow (minutes for the built-in
 * rules) is Unicode: property classes and Unicode-aware \w, \d and \b
 * expand into large byte automata, and so do bounded repeats of them.  So:
 *   - a repeat bounded above 4 becomes unbounded: {m,n} -> {m,};
 *   - \b and \B are dropped (an assertion removed only widens), and so is
 *     \K (which only moves where PCRE2 reports the match to start);
 *   - \w and \d also admit every non-ASCII character, and a letter-like
 *     property (\p{L}, \p{Lu}, \p{M}, \p{Han}...) becomes "ASCII letter or
 *     any non-ASCII character"; any other property, a negated one, or a
 *     negated class holding one of these, becomes "any character";
 * and the database is compiled without Unicode properties (UTF-8 only). */
static int letter_like(const char *name, size_t n)
{
    if (n == 0)
        return 0;
    if (name[0] == 'L' || name[0] == 'M')
        return 1;
    /* scripts: Han, Hangul, Latin, Cyrillic, Arabic, ... */
    return n > 2 && !(name[0] == 'N' || name[0] == 'P' || name[0] == 'S' || name[0] == 'Z' ||
                      name[0] == 'C');
}

#define ANY_IN_CLASS "\\x{0}-\\x{10FFFF}"
#define LETTERS_IN_CLASS "A-Za-z\\x{80}-\\x{10FFFF}"

/* Length of a \p{...} / \pL / \P... escape at p (p[0] == '\\'), and whether
 * it is letter-like and negated. */
static size_t property(const char *p, int *letters, int *negated)
{
    *negated = p[1] == 'P';
    if (p[2] == '{') {
        const char *e = strchr(p + 3, '}');
        if (!e)
            return 0;
        const char *name = p + 3;
        if (*name == '^') {
            *negated = !*negated;
            name++;
        }
        *letters = letter_like(name, (size_t)(e - name));
        return (size_t)(e - p) + 1;
    }
    *letters = letter_like(p + 2, 1);
    return 3;
}

static char *relax(const char *p)
{
    size_t n = strlen(p);
    char *out = malloc(n * 24 + 64);
    if (!out)
        return NULL;
    size_t k = 0;
#define PUT(str) (k += (size_t)sprintf(out + k, "%s", (str)))
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\\' && i + 1 < n) {
            char e = p[i + 1];
            if (e == 'b' || e == 'B' || e == 'K') { /* \K only moves the reported start */
                i++;
                continue;
            }
            if (e == 'w' || e == 'd') {
                PUT(e == 'w' ? "[\\w\\x{80}-\\x{10FFFF}]" : "[0-9\\x{80}-\\x{10FFFF}]");
                i++;
                continue;
            }
            if (e == 'p' || e == 'P') {
                int letters, negated;
                size_t len = property(p + i, &letters, &negated);
                if (len) {
                    PUT(letters && !negated ? "[" LETTERS_IN_CLASS "]" : "[" ANY_IN_CLASS "]");
                    i += len - 1;
                    continue;
                }
            }
            if (e == 'Q') { /* copy a quoted run as it is */
                const char *q = strstr(p + i + 2, "\\E");
                size_t end = q ? (size_t)(q - p) + 2 : n;
                memcpy(out + k, p + i, end - i);
                k += end - i;
                i = end - 1;
                continue;
            }
            out[k++] = c;
            out[k++] = e;
            i++;
            continue;
        }
        if (c == '[') {
            /* A character class: find its end, then rewrite its members. */
            size_t j = i + 1;
            int negated = p[j] == '^';
            if (negated)
                j++;
            if (p[j] == ']')
                j++;
            int unicode = 0;
            for (size_t m = j; m < n && p[m] != ']'; m++) {
                if (p[m] == '\\' && m + 1 < n) {
                    char e = p[m + 1];
                    unicode |= e == 'w' || e == 'd' || e == 'p' || e == 'P';
                    m++;
                }
            }
            size_t end = j;
            while (end < n && p[end] != ']') {
                if (p[end] == '\\' && end + 1 < n)
                    end++;
                end++;
            }
            if (end >= n) { /* unterminated: leave it to Vectorscan to refuse */
                out[k++] = c;
                continue;
            }
            if (negated && unicode) {
                PUT("[" ANY_IN_CLASS "]");
                i = end;
                continue;
            }
            out[k++] = '[';
            for (size_t m = i + 1; m < end; m++) {
                if (p[m] == '\\' && m + 1 < end) {
                    char e = p[m + 1];
                    if (e == 'w' || e == 'd') {
                        PUT(e == 'w' ? "\\w\\x{80}-\\x{10FFFF}" : "0-9\\x{80}-\\x{10FFFF}");
                        m++;
                        continue;
                    }
                    if (e == 'p' || e == 'P') {
                        int letters, neg;
                        size_t len = property(p + m, &letters, &neg);
                        if (len) {
                            PUT(letters && !neg ? LETTERS_IN_CLASS : ANY_IN_CLASS);
                            m += len - 1;
                            continue;
                        }
                    }
                    out[k++] = p[m];
                    out[k++] = p[m + 1];
                    m++;
                    continue;
                }
                out[k++] = p[m];
            }
            out[k++] = ']';
            i = end;
            continue;
        }
        unsigned lo, hi;
        int used = 0;
        if (c == '{' && sscanf(p + i, "{%u,%u}%n", &lo, &hi, &used) == 2 && used > 0 && hi > 4) {
            k += (size_t)sprintf(out + k, "{%u,}", lo);
            i += (size_t)used - 1;
            continue;
        }
        out[k++] = c;
    }
#undef PUT
    out[k] = 0;
    return out;
}

/* --- the literal core of a pattern --------------------------------------------- */

/* End of the group or class starting at p[i] ('(' or '['), or n. */
static size_t skip_bracket(const char *p, size_t i, size_t n)
{
    if (p[i] == '[') {
        size_t j = i + 1;
        if (j < n && p[j] == '^')
            j++;
        if (j < n && p[j] == ']')
            j++;
        while (j < n && p[j] != ']')
            j += p[j] == '\\' && j + 1 < n ? 2 : 1;
        return j < n ? j + 1 : n;
    }
    int depth = 0;
    for (size_t j = i; j < n; j++) {
        if (p[j] == '\\') {
            j++;
        } else if (p[j] == '[') {
            j = skip_bracket(p, j, n) - 1;
        } else if (p[j] == '(') {
            depth++;
        } else if (p[j] == ')' && --depth == 0) {
            return j + 1;
        }
    }
    return n;
}

/* `p` without a leading line-start anchor when what the anchor holds to the
 * line start is a character class: `^`, and the lookarounds right after
 * it, are dropped (an assertion removed only widens).  Vectorscan runs
 * such a pattern from every line start of every text; unanchored, it
 * starts from the literals in it.  The AFP signoff ("^(?!...)[a-z]{2,4}
 * (?:/[a-z]{2,4}){2,}$") alone took half of the Vectorscan pass over news
 * text; without the anchor it costs next to nothing and, in the
 * benchmark tree, makes no more texts candidates.  A pattern whose anchor
 * holds a literal ("^Reuter$") keeps it: the literal is what Vectorscan
 * looks for. */
static const char *line_start_dropped(const char *p)
{
    size_t n = strlen(p), i = 1;
    if (n < 2 || p[0] != '^')
        return p;
    while (i + 2 < n && p[i] == '(' && p[i + 1] == '?' &&
           (p[i + 2] == '=' || p[i + 2] == '!' ||
            (p[i + 2] == '<' && i + 3 < n && (p[i + 3] == '=' || p[i + 3] == '!'))))
        i = skip_bracket(p, i, n);
    int cls = i < n && (p[i] == '[' || (p[i] == '\\' && i + 1 < n && strchr("wdspP", p[i + 1])));
    return cls ? p + i : p;
}

/* End of the {m,n} quantifier starting at p[i]. */
static size_t skip_brace(const char *p, size_t i, size_t n)
{
    const char *close = memchr(p + i, '}', n - i);
    return close ? (size_t)(close - p) + 1 : n;
}

/* The longest run of characters every match must contain, in a row, at the
 * top level of `p` (a pattern as compiled for PCRE2), as a Vectorscan
 * pattern; NULL when there is none of at least 4 bytes, when the pattern
 * has a top-level alternation or inline flags, or when it is not needed:
 * the pattern starts with a literal of 4 bytes or more, or with a group
 * (often literal alternatives).
 *
 * Why: Vectorscan is fast on literals and slow on patterns that start with
 * a variable run of broad classes (the datelines: "^[letters][letters .-]+,
 * [letters]+ [digits] (Yonhap)"): seven such patterns made the database
 * 6.5 times slower on news text.  Every match of A·L·B contains L, so L
 * alone is a superset, which is all a prefilter needs; PCRE2 confirms
 * with the exact pattern in the texts that contain L. */
static char *literal_core(const char *p)
{
    size_t n = strlen(p);
    if (strstr(p, "(?i") || strstr(p, "(?x") || strstr(p, "(?s"))
        return NULL;
    char run[256], best[256];
    size_t rl = 0, bl = 0;
    /* The leading literal: the mandatory literal characters the pattern
     * starts with, after anchors and optional atoms.  -1 until the first
     * mandatory atom is seen, then its length while it grows. */
    long lead = -1;
    int lead_open = 1;
    for (size_t i = 0; i < n;) {
        char lit[8];
        size_t ll = 0, next = i + 1;
        char c = p[i];
        if (c == '|')
            return NULL;
        if (c == '(' || c == '[') {
            next = skip_bracket(p, i, n);
        } else if (c == '\\' && i + 1 < n) {
            char e = p[i + 1];
            next = i + 2;
            if (e == 'x' && i + 3 < n && p[i + 2] != '{') {
                unsigned v;
                if (sscanf(p + i + 2, "%2x", &v) == 1 && v < 0x80) {
                    lit[ll++] = (char)v;
                    next = i + 4;
                } else {
                    next = i + 4;
                }
            } else if (e == 'x' || e == 'p' || e == 'P' || e == 'N') {
                if (i + 2 < n && p[i + 2] == '{') {
                    const char *close = strchr(p + i + 2, '}');
                    next = close ? (size_t)(close - p) + 1 : n;
                } else if (e != 'x') {
                    next = i + 3; /* \pL */
                }
            } else if (e == 'Q') {
                return NULL; /* rare; not worth parsing */
            } else if (e == 'n') {
                lit[ll++] = '\n';
            } else if (e == 't') {
                lit[ll++] = '\t';
            } else if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))) {
                lit[ll++] = e; /* an escaped punctuation character */
            }
        } else if (c == '^' || c == '$' || c == '.') {
            /* an anchor or any character: not a literal */
        } else if ((unsigned char)c >= 0x80) {
            while (next < n && ((unsigned char)p[next] & 0xC0) == 0x80)
                next++;
            memcpy(lit, p + i, next - i < sizeof lit ? next - i : 0);
            ll = next - i < sizeof lit ? next - i : 0;
        } else if (c != ')' && c != '?' && c != '*' && c != '+' && c != '{') {
            lit[ll++] = c;
        }
        /* A quantifier after the atom: optional atoms are not mandatory;
         * a repeated one counts once and ends the run. */
        int optional = 0, repeated = 0;
        if (next < n && (p[next] == '?' || p[next] == '*' || p[next] == '+' || p[next] == '{')) {
            unsigned lo = 1;
            if (p[next] == '{') {
                if (sscanf(p + next, "{%u", &lo) != 1)
                    lo = 1; /* a literal brace, as PCRE2 reads it */
                else
                    next = skip_brace(p, next, n);
            } else {
                lo = p[next] == '+' ? 1 : 0;
                next++;
            }
            if (next < n && (p[next] == '?' || p[next] == '+'))
                next++; /* lazy or possessive */
            optional = lo == 0;
            repeated = 1;
        }
        int is_lit = ll > 0 && !optional;
        int zero_width = c == '^' || c == '$' ||
                         (c == '\\' && i + 1 < n && (p[i + 1] == 'b' || p[i + 1] == 'B' || p[i + 1] == 'K'));
        if (lead_open && !zero_width && !optional) {
            if (c == '(' && lead < 0)
                return NULL; /* starts with a group, maybe literal alternatives: leave it */
            if (is_lit) {
                lead = (lead < 0 ? 0 : lead) + (long)ll;
                lead_open = !repeated;
            } else {
                lead_open = 0;
                if (lead < 0)
                    lead = 0;
            }
        }
        if (is_lit && rl + ll < sizeof run) {
            memcpy(run + rl, lit, ll);
            rl += ll;
        }
        if (!is_lit || repeated) {
            if (rl > bl) {
                memcpy(best, run, rl);
                bl = rl;
            }
            rl = 0;
        }
        i = next;
    }
    if (rl > bl) {
        memcpy(best, run, rl);
        bl = rl;
    }
    if (lead >= 4 || bl < 4)
        return NULL; /* starts with a literal Vectorscan can use, or has none */
    char *out = malloc(bl * 4 + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < bl; i++) {
        unsigned char b = (unsigned char)best[i];
        if (b >= 0x80 || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9'))
            out[k++] = (char)b; /* UTF-8 bytes stay as they are: whole characters */
        else
            k += (size_t)sprintf(out + k, "\\x%02x", b);
    }
    out[k] = 0;
    return out;
}

static int add_fallback(rs_prefilter *pf, size_t rule, const char *pattern, const char *why)
{
    fallback *g = realloc(pf->fallbacks, (pf->fallback_count + 1) * sizeof *g);
    if (!g)
        return -1;
    pf->fallbacks = g;
    char msg[512];
    snprintf(msg, sizeof msg, "pattern '%.200s' runs on every text (Vectorscan: %s)", pattern, why);
    g[pf->fallback_count].rule = rule;
    g[pf->fallback_count].why = strdup(msg);
    pf->fallback_count++;
    pf->always[rule] = 1;
    return 0;
}

rs_status rs_prefilter_build(const struct rs_ruleset *rs, rs_prefilter **out)
{
    *out = NULL;
    rs_prefilter *pf = calloc(1, sizeof *pf);
    if (!pf)
        return RS_ERR_NOMEM;
    pf->rule_count = rs->rule_count;
    pf->always = calloc(rs->rule_count ? rs->rule_count : 1, 1);
    if (!pf->always) {
        rs_prefilter_free(pf);
        return RS_ERR_NOMEM;
    }
    /* The built-in rules' database was compiled when rightscan was built;
     * other rule sets (or a build for another CPU) use the cache. */
    if (rs_builtin_prefilter_len && strcmp(rs->sha256, rs_builtin_prefilter_sha256) == 0 &&
        (pf->db = load_blob(pf, (const char *)rs_builtin_prefilter, rs_builtin_prefilter_len))) {
        pf->origin = "built-in";
        *out = pf;
        return RS_OK;
    }
    free_fallbacks(pf);
    memset(pf->always, 0, rs->rule_count ? rs->rule_count : 1);
    if ((pf->db = cache_load(rs, pf))) {
        pf->origin = "cache";
        *out = pf;
        return RS_OK;
    }
    free_fallbacks(pf);
    memset(pf->always, 0, rs->rule_count ? rs->rule_count : 1);

    size_t total = 0;
    for (size_t r = 0; r < rs->rule_count; r++)
        total += rs->rules[r].pattern_count;
    const char **exprs = calloc(total ? total : 1, sizeof *exprs);
    unsigned *flags = calloc(total ? total : 1, sizeof *flags);
    unsigned *ids = calloc(total ? total : 1, sizeof *ids);
    rs_status st = exprs && flags && ids ? RS_OK : RS_ERR_NOMEM;
    size_t n = 0;
    /* Each pattern alone first: one that Vectorscan refuses must not sink
     * the whole database, it falls back instead. */
    for (size_t r = 0; st == RS_OK && r < rs->rule_count; r++) {
        for (size_t p = 0; p < rs->rules[r].pattern_count; p++) {
            const rs_pattern *pat = &rs->rules[r].patterns[p];
            hs_database_t *one = NULL;
            hs_compile_error_t *err = NULL;
            char *loose = literal_core(pat->rewritten);
            if (!loose)
                loose = relax(line_start_dropped(pat->rewritten));
            if (!loose) {
                st = RS_ERR_NOMEM;
                break;
            }
            if (hs_compile(loose, PF_FLAGS, HS_MODE_BLOCK, NULL, &one, &err) != HS_SUCCESS) {
                if (add_fallback(pf, r, pat->text, err ? err->message : "cannot compile") != 0)
                    st = RS_ERR_NOMEM;
                hs_free_compile_error(err);
                free(loose);
                continue;
            }
            hs_free_database(one);
            exprs[n] = loose;
            flags[n] = PF_FLAGS;
            ids[n] = (unsigned)r;
            n++;
        }
    }
    if (st == RS_OK && n) {
        hs_compile_error_t *err = NULL;
        if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &pf->db, &err) !=
            HS_SUCCESS) {
            /* Each compiled alone: a failure together is unexpected; run
             * without a prefilter rather than fail the scan. */
            hs_free_compile_error(err);
            pf->db = NULL;
            st = RS_ERR_UNSUPPORTED;
        }
    } else if (st == RS_OK) {
        st = RS_ERR_UNSUPPORTED;
    }
    for (size_t i = 0; i < n; i++)
        free((char *)exprs[i]);
    free(exprs);
    free(flags);
    free(ids);
    if (st != RS_OK) {
        rs_prefilter_free(pf);
        return st;
    }
    pf->origin = "compiled";
    cache_store(rs, pf);
    *out = pf;
    return RS_OK;
}

rs_status rs_prefilter_scratch_new(const rs_prefilter *pf, rs_prefilter_scratch **out)
{
    rs_prefilter_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return RS_ERR_NOMEM;
    if (hs_alloc_scratch(pf->db, &s->scratch) != HS_SUCCESS) {
        free(s);
        return RS_ERR_NOMEM;
    }
    *out = s;
    return RS_OK;
}

void rs_prefilter_scratch_free(rs_prefilter_scratch *s)
{
    if (!s)
        return;
    hs_free_scratch(s->scratch);
    free(s);
}

static int on_candidate(unsigned int id, unsigned long long from, unsigned long long to,
                        unsigned int flags, void *ctx)
{
    (void)from;
    (void)to;
    (void)flags;
    rs_candidates *c = ctx;
    if (!c->mark[id]) {
        c->mark[id] = 1;
        c->list[c->count++] = id;
    }
    return 0;
}

rs_status rs_prefilter_scan(const rs_prefilter *pf, rs_prefilter_scratch *s, const char *text,
                            size_t len, rs_candidates *c)
{
    for (size_t i = 0; i < pf->fallback_count; i++)
        on_candidate((unsigned)pf->fallbacks[i].rule, 0, 0, 0, c);
    /* Vectorscan takes 32-bit lengths; a text that large (past every file
     * limit) makes every rule a candidate instead. */
    if (len > UINT_MAX) {
        for (size_t r = 0; r < pf->rule_count; r++)
            on_candidate((unsigned)r, 0, 0, 0, c);
        return RS_OK;
    }
    if (hs_scan(pf->db, text, (unsigned)len, 0, s->scratch, on_candidate, c) != HS_SUCCESS)
        return RS_ERR_MATCH;
    return RS_OK;
}
