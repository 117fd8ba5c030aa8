/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Markdown (Hugo, Jekyll, Astro, Gatsby posts; CommonMark and GFM).
 *
 * Two views:
 *
 *  - the body, what a reader sees, one source line per line so that a
 *    dateline still starts a line: block markers (headings, quotes, list
 *    markers, task boxes, rules, fences, table delimiter rows) go, inline
 *    markers (emphasis, strike-through, code backticks, link brackets and
 *    destinations, backslash escapes) go, so "Copyright
 *    [Agence France-Presse](https://www.afp.com)" reads "Copyright Agence
 *    France-Presse".  Image alt text gets a line of its own (photo credits
 *    live there).  Code (spans and fenced blocks) is kept as text: a credit
 *    in a code block is rare, but dropping text is worse than a rare match.
 *    Markdown allows raw HTML and character references, so the text is
 *    then handed to the HTML extractor, which drops tags, comments and
 *    scripts and decodes "&copy;" exactly as for an HTML page; code and
 *    escaped '<' '&' are protected from it.  Everything is mapped, so
 *    evidence has the file's line and column.
 *
 *  - metadata: front matter values and link targets.  YAML front matter
 *    (between a first line "---" and the next "---" or "...") is read
 *    with libyaml's event API; each scalar value is a segment with the
 *    field its key names (rs_key_field: image_credit → credit, rights →
 *    copyright-notice, author → creator...), any other key → "other", and
 *    the locator "front matter image.credit".  A key that names no field
 *    lends its container's field to its direct children
 *    ("author: {name: ...}").  Values are aligned to their source bytes
 *    (quotes, escapes and folding are spans).  A YAML error is a warning;
 *    the lines from the last value read on are then read as plain
 *    "key: value" lines, so a credit after a typo is still found.  TOML
 *    front matter ("+++", Hugo): strings in `key = value` lines, tables,
 *    arrays and inline tables.  Link and image destinations and titles are
 *    segments too ("link", "image title"...): a licence URL is evidence.
 *
 * Inline parsing looks ahead (closing backticks, brackets, parentheses);
 * each line has a work budget proportional to its length, past which the
 * rest of the line is taken literally, so no input is quadratic.
 */
#include "extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "limits.h"
#include "utf8.h"


/* Front-matter containers nest at most RS_LIMIT_FRONT_MATTER_DEPTH deep;
 * deeper values are skipped with a warning. */
#define MD_FRONT_MATTER_DEPTH RS_LIMIT_FRONT_MATTER_DEPTH
/* Brackets inside brackets ([a [b [c]]]) parsed as links. */
#define MD_LINK_DEPTH 16
/* Backtick runs longer than this are text, not code-span delimiters. */
#define MD_MAX_TICKS 32

#define NONE_POS ((size_t)-1)

typedef struct md {
    rs_extraction *x;
    const char *s;
    size_t len;
    rs_view *meta;     /* front matter and link targets, made on first use */
    rs_buf *out;       /* stage 1: the body without Markdown syntax */
    rs_offmap map;     /* stage 1 offsets → decoded offsets */
    rs_status st;
    size_t line_end;   /* end of the current line's content */
    size_t budget;     /* look-ahead bytes left for the current line */
    size_t tick_fail[MD_MAX_TICKS + 1]; /* no closing run of n ticks from here on */
    size_t gt_cache, blank_cache, comment_cache; /* next '>', blank line, "-->" */
    rs_buf *path;      /* front-matter key path */
} md;

/* --- small helpers ---------------------------------------------------------- */

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static int is_punct(char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static rs_view *meta_view(md *m)
{
    if (!m->meta) {
        m->meta = rs_view_new(m->x, 1, NULL);
        if (!m->meta)
            rs_extraction_limit(m->x, "too many text views; Markdown metadata was not read");
    }
    return m->meta;
}

/* Stage-1 output: decoded bytes [src, src+len) as they are. */
static void out_copy(md *m, size_t src, size_t len)
{
    if (!len || m->st != RS_OK)
        return;
    m->st = rs_offmap_linear(&m->map, m->out->len, src);
    if (m->st == RS_OK)
        m->st = rs_buf_append(m->out, m->s + src, len);
}

/* Stage-1 output: `text` standing for decoded bytes [src, src+src_len). */
static void out_span(md *m, const char *text, size_t len, size_t src, size_t src_len)
{
    if (m->st != RS_OK)
        return;
    m->st = rs_offmap_span(&m->map, m->out->len, src, src_len);
    if (m->st == RS_OK)
        m->st = rs_buf_append(m->out, text, len);
}

/* Literal text (code, escaped characters): '<' and '&' are written as
 * references so that the HTML pass shows them and reads nothing into them. */
static void out_literal(md *m, size_t a, size_t b)
{
    size_t run = a;
    for (size_t i = a; i < b; i++) {
        const char *ref = m->s[i] == '<' ? "&lt;" : m->s[i] == '&' ? "&amp;" : NULL;
        if (!ref)
            continue;
        out_copy(m, run, i - run);
        out_span(m, ref, strlen(ref), i, 1);
        run = i + 1;
    }
    out_copy(m, run, b - run);
}

static void out_break(md *m, size_t src)
{
    if (m->out->len && m->out->data[m->out->len - 1] != '\n')
        out_span(m, "\n", 1, src, 1);
}

/* Spend look-ahead budget; 0 when the line's budget is gone. */
static int spend(md *m, size_t n)
{
    if (m->budget < n) {
        m->budget = 0;
        return 0;
    }
    m->budget -= n;
    return 1;
}

/* A metadata segment with text decoded bytes [a, b) as they are. */
static void meta_raw(md *m, rs_field field, const char *label, size_t a, size_t b)
{
    rs_view *v = meta_view(m);
    if (!v || b <= a || m->st != RS_OK)
        return;
    m->st = rs_view_segment(m->x, v, field, "%s", label);
    if (m->st == RS_OK)
        m->st = rs_view_append(v, m->s + a, b - a, a);
    if (m->st == RS_OK)
        m->st = rs_view_break(v, b);
}

/* --- inline syntax ---------------------------------------------------------- */

static size_t tick_run(const md *m, size_t i, size_t b)
{
    size_t n = 0;
    while (i + n < b && m->s[i + n] == '`')
        n++;
    return n;
}

/* Start of a run of exactly n backticks in [from, b), or NONE_POS. */
static size_t find_ticks(md *m, size_t from, size_t b, size_t n)
{
    if (n > MD_MAX_TICKS)
        return NONE_POS;
    int whole_line = b == m->line_end;
    if (whole_line && m->tick_fail[n] <= from)
        return NONE_POS;
    size_t j = from;
    while (j < b) {
        if (!spend(m, 1))
            return NONE_POS;
        if (m->s[j] != '`') {
            j++;
            continue;
        }
        size_t r = tick_run(m, j, b);
        if (r == n)
            return j;
        j += r;
    }
    if (whole_line && from < m->tick_fail[n])
        m->tick_fail[n] = from;
    return NONE_POS;
}

/* The ']' matching the '[' at i, before b; NONE_POS if none.  Code spans
 * and escapes inside do not count. */
static size_t find_bracket(md *m, size_t i, size_t b)
{
    int depth = 0;
    size_t j = i;
    while (j < b) {
        if (!spend(m, 1))
            return NONE_POS;
        char c = m->s[j];
        if (c == '\\') {
            j += 2;
        } else if (c == '`') {
            size_t n = tick_run(m, j, b);
            size_t close = find_ticks(m, j + n, b, n);
            j = close == NONE_POS ? j + n : close + n;
        } else if (c == '[') {
            depth++;
            j++;
        } else if (c == ']') {
            if (--depth == 0)
                return j;
            j++;
        } else {
            j++;
        }
    }
    return NONE_POS;
}

/* After the ']' of a link or image, at j: an inline destination and title
 * "(url "title")" go to the metadata view, a reference "[label]" is
 * dropped.  Returns where the text resumes. */
static size_t link_tail(md *m, size_t j, size_t b, int image)
{
    const char *s = m->s;
    if (j < b && s[j] == '[') {
        size_t k = j + 1;
        while (k < b && s[k] != ']' && s[k] != '[' && spend(m, 1))
            k++;
        return k < b && s[k] == ']' ? k + 1 : j;
    }
    if (j >= b || s[j] != '(')
        return j;
    size_t k = j + 1;
    while (k < b && is_ws(s[k]))
        k++;
    size_t da = k, db;
    if (k < b && s[k] == '<') {
        da = ++k;
        while (k < b && s[k] != '>' && spend(m, 1))
            k++;
        if (k >= b || s[k] != '>')
            return j;
        db = k++;
    } else {
        int parens = 0;
        while (k < b && !is_ws(s[k]) && spend(m, 1)) {
            if (s[k] == '\\' && k + 1 < b) {
                k += 2;
                continue;
            }
            if (s[k] == '(')
                parens++;
            else if (s[k] == ')' && parens-- == 0)
                break;
            k++;
        }
        db = k;
    }
    while (k < b && is_ws(s[k]))
        k++;
    size_t ta = 0, tb = 0;
    if (k < b && (s[k] == '"' || s[k] == '\'' || s[k] == '(')) {
        char close = s[k] == '(' ? ')' : s[k];
        ta = ++k;
        while (k < b && s[k] != close && spend(m, 1))
            k += s[k] == '\\' && k + 1 < b ? 2 : 1;
        if (k >= b)
            return j;
        tb = k++;
        while (k < b && is_ws(s[k]))
            k++;
    }
    if (k >= b || s[k] != ')')
        return j;
    meta_raw(m, RS_FIELD_NONE, image ? "image" : "link", da, db);
    meta_raw(m, RS_FIELD_NONE, image ? "image title" : "link title", ta, tb);
    return k + 1;
}

/* Is the run of n emphasis characters at i a delimiter (CommonMark's
 * flanking rules, without pairing: an unpaired '*' that is not between
 * spaces is dropped too, which costs nothing when matching)? */
static int is_delimiter(const md *m, size_t i, size_t n, size_t line_start)
{
    const char *s = m->s;
    char c = s[i];
    char prev = i > line_start ? s[i - 1] : ' ';
    char next = i + n < m->line_end ? s[i + n] : ' ';
    int pws = is_ws(prev), nws = is_ws(next);
    int pp = is_punct(prev), np = is_punct(next);
    int left = !nws && (!np || pws || pp);
    int right = !pws && (!pp || nws || np);
    if (c == '*')
        return left || right;
    if (c == '_') /* not inside words: snake_case stays */
        return (left && (!right || pp)) || (right && (!left || np));
    return n == 2 && (left || right); /* "~~" strike-through; a lone '~' is text */
}

/* Next '>' at or after `from` (cached: the calls move forward). */
static size_t next_gt(md *m, size_t from)
{
    if (m->gt_cache == NONE_POS || m->gt_cache < from) {
        const char *p = memchr(m->s + from, '>', m->len - from);
        m->gt_cache = p ? (size_t)(p - m->s) : m->len;
    }
    return m->gt_cache;
}

/* Start of the next blank line after `from`. */
static size_t next_blank(md *m, size_t from)
{
    if (m->blank_cache != NONE_POS && m->blank_cache >= from)
        return m->blank_cache;
    const char *s = m->s;
    size_t i = from;
    for (;;) {
        const char *nl = memchr(s + i, '\n', m->len - i);
        if (!nl) {
            i = m->len;
            break;
        }
        i = (size_t)(nl - s) + 1;
        size_t k = i;
        while (k < m->len && (is_ws(s[k]) || s[k] == '\r'))
            k++;
        if (k >= m->len || s[k] == '\n')
            break;
    }
    m->blank_cache = i;
    return i;
}

static size_t next_comment_end(md *m, size_t from)
{
    if (m->comment_cache == NONE_POS || m->comment_cache < from) {
        const char *p = memmem(m->s + from, m->len - from, "-->", 3);
        m->comment_cache = p ? (size_t)(p - m->s) : m->len;
    }
    return m->comment_cache;
}

/* At s[i] == '<': an autolink "<https://...>" or "<a@b.org>"?  Returns the
 * offset of its '>' or NONE_POS. */
static size_t autolink(const md *m, size_t i, size_t b)
{
    const char *s = m->s;
    size_t k = i + 1;
    if (k < b && is_alpha(s[k])) {
        size_t n = 0;
        while (k < b && n < 32 && (is_alpha(s[k]) || is_digit(s[k]) || s[k] == '+' || s[k] == '.' || s[k] == '-'))
            k++, n++;
        if (n >= 2 && k < b && s[k] == ':') {
            while (k < b && s[k] != '>' && s[k] != '<' && (unsigned char)s[k] > ' ')
                k++;
            return k < b && s[k] == '>' ? k : NONE_POS;
        }
    }
    k = i + 1;
    int at = 0;
    while (k < b && s[k] != '>' && (unsigned char)s[k] > ' ' && s[k] != '<') {
        if (s[k] == '@')
            at++;
        k++;
    }
    return at == 1 && k < b && s[k] == '>' && k > i + 3 ? k : NONE_POS;
}

/* At s[i] == '<' followed by what the HTML pass would read as markup:
 * leave it (a tag, a comment) or protect it ("a<b" in prose) so the HTML
 * pass does not swallow text up to some far '>'. */
static int html_plausible(md *m, size_t i)
{
    if (i + 3 < m->len && memcmp(m->s + i, "<!--", 4) == 0)
        return next_comment_end(m, i + 4) < m->len;
    return next_gt(m, i) < next_blank(m, i);
}

/* At s[i] == '<': an HTML open or closing tag by CommonMark's syntax?
 * Returns the offset after its '>', 0 when the line ends inside a tag that
 * is valid so far (it goes on over lines), NONE_POS when it is no tag. */
static size_t html_tag(md *m, size_t i, size_t b)
{
    const char *s = m->s;
    size_t k = i + 1;
    int closing = k < b && s[k] == '/';
    k += (size_t)closing;
    if (k >= b || !is_alpha(s[k]))
        return NONE_POS;
    while (k < b && (is_alpha(s[k]) || is_digit(s[k]) || s[k] == '-'))
        k++;
    for (;;) {
        if (!spend(m, 1))
            return NONE_POS;
        size_t w = k;
        while (k < b && is_ws(s[k]))
            k++;
        if (k >= b)
            return 0;
        if (s[k] == '>')
            return k + 1;
        if (closing)
            return NONE_POS;
        if (s[k] == '/')
            return k + 1 < b && s[k + 1] == '>' ? k + 2 : NONE_POS;
        if (k == w || !(is_alpha(s[k]) || s[k] == '_' || s[k] == ':'))
            return NONE_POS; /* an attribute needs a space before it */
        while (k < b && (is_alpha(s[k]) || is_digit(s[k]) || s[k] == '_' || s[k] == '.' ||
                         s[k] == ':' || s[k] == '-'))
            k++;
        size_t after_name = k;
        while (k < b && is_ws(s[k]))
            k++;
        if (k >= b || s[k] != '=') {
            k = after_name;
            continue;
        }
        k++;
        while (k < b && is_ws(s[k]))
            k++;
        if (k >= b)
            return 0;
        if (s[k] == '"' || s[k] == '\'') {
            const char *q = memchr(s + k + 1, s[k], b - k - 1);
            if (!q)
                return 0;
            if (!spend(m, (size_t)(q - s) - k))
                return NONE_POS;
            k = (size_t)(q - s) + 1;
            continue;
        }
        size_t v = k;
        while (k < b && !is_ws(s[k]) && !strchr("\"'=<>`", s[k]))
            k++;
        if (k == v)
            return NONE_POS;
    }
}

static void md_inline(md *m, size_t a, size_t b, size_t line_start, int depth)
{
    const char *s = m->s;
    size_t i = a, run = a;
    while (i < b && m->st == RS_OK) {
        char c = s[i];
        if (c == '\\') {
            if (i + 1 < b && is_punct(s[i + 1])) {
                out_copy(m, run, i - run);
                const char *ref = s[i + 1] == '<' ? "&lt;" : s[i + 1] == '&' ? "&amp;" : NULL;
                if (ref)
                    out_span(m, ref, strlen(ref), i, 2);
                else
                    out_span(m, s + i + 1, 1, i, 2);
                i += 2;
                run = i;
            } else if (i + 1 == m->line_end) { /* hard line break */
                out_copy(m, run, i - run);
                run = ++i;
            } else {
                i++;
            }
            continue;
        }
        if (c == '`') {
            size_t n = tick_run(m, i, b);
            size_t close = find_ticks(m, i + n, b, n);
            if (close == NONE_POS) {
                i += n;
                continue;
            }
            out_copy(m, run, i - run);
            out_literal(m, i + n, close);
            i = run = close + n;
            continue;
        }
        if (c == '*' || c == '_' || c == '~') {
            size_t n = 1;
            while (i + n < b && s[i + n] == c)
                n++;
            if (is_delimiter(m, i, n, line_start)) {
                out_copy(m, run, i - run);
                run = i + n;
            }
            i += n;
            continue;
        }
        if ((c == '[' || (c == '!' && i + 1 < b && s[i + 1] == '[')) && depth < MD_LINK_DEPTH) {
            int image = c == '!';
            size_t open = i + (size_t)image;
            size_t close = find_bracket(m, open, b);
            if (close == NONE_POS) {
                i = open + 1;
                continue;
            }
            out_copy(m, run, i - run);
            if (image)
                out_break(m, i);
            md_inline(m, open + 1, close, line_start, depth + 1);
            i = run = link_tail(m, close + 1, b, image);
            if (image)
                out_break(m, i - 1);
            continue;
        }
        if (c == '<' && i + 1 < b) {
            size_t gt = autolink(m, i, b);
            if (gt != NONE_POS) {
                out_copy(m, run, i - run);
                out_literal(m, i + 1, gt);
                i = run = gt + 1;
                continue;
            }
            char d = s[i + 1];
            int markup = is_alpha(d) || d == '/' || d == '!' || d == '?';
            size_t end = markup ? html_tag(m, i, b) : NONE_POS;
            if (end != NONE_POS && end != 0) {
                /* A tag passes verbatim (its attributes are not Markdown);
                 * the HTML pass removes it. */
                out_copy(m, run, end - run);
                i = run = end;
                continue;
            }
            if (markup && (end == 0 || d == '!' || d == '?') && html_plausible(m, i)) {
                i++; /* a tag going on over lines, a comment: the HTML pass's */
                continue;
            }
            if (markup) { /* "a<b" in prose: not a tag */
                out_copy(m, run, i - run);
                out_span(m, "&lt;", 4, i, 1);
                run = ++i;
                continue;
            }
        }
        i++;
    }
    out_copy(m, run, b - run);
}

/* --- block structure -------------------------------------------------------- */

/* A line of only c (>= 3 of them) and spaces: a rule or setext underline. */
static int is_rule(const char *s, size_t a, size_t b)
{
    char c = s[a];
    if (c != '-' && c != '*' && c != '_' && c != '=')
        return 0;
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
        if (s[i] == c)
            n++;
        else if (!is_ws(s[i]))
            return 0;
    }
    return n >= 3;
}

/* A table delimiter row: "| --- | :-: |". */
static int is_table_rule(const char *s, size_t a, size_t b)
{
    int bar = 0, dash = 0;
    for (size_t i = a; i < b; i++) {
        if (s[i] == '|')
            bar = 1;
        else if (s[i] == '-')
            dash = 1;
        else if (s[i] != ':' && !is_ws(s[i]))
            return 0;
    }
    return bar && dash;
}

/* Skip quote markers, list markers and task boxes at the start of a line. */
static size_t skip_containers(const char *s, size_t p, size_t e)
{
    for (int round = 0; round < 16; round++) {
        size_t q = p;
        while (q < e && is_ws(s[q]))
            q++;
        if (q < e && s[q] == '>') {
            p = q + 1;
            continue;
        }
        size_t k = q;
        if (k < e && (s[k] == '-' || s[k] == '*' || s[k] == '+')) {
            k++;
        } else {
            while (k < e && k - q < 9 && is_digit(s[k]))
                k++;
            if (k == q || k >= e || (s[k] != '.' && s[k] != ')'))
                return q;
            k++;
        }
        if (k < e && !is_ws(s[k]))
            return q;
        while (k < e && is_ws(s[k]))
            k++;
        if (k + 2 < e && s[k] == '[' && (s[k + 1] == ' ' || s[k + 1] == 'x' || s[k + 1] == 'X') &&
            s[k + 2] == ']' && (k + 3 == e || is_ws(s[k + 3])))
            k += 3;
        p = k;
    }
    return p;
}

/* "[label]: destination "title"" at p (not a footnote "[^1]: ...")? */
static int reference_definition(md *m, size_t p, size_t e)
{
    const char *s = m->s;
    if (p + 1 >= e || s[p] != '[' || s[p + 1] == '^')
        return 0;
    size_t close = find_bracket(m, p, e);
    if (close == NONE_POS || close + 1 >= e || s[close + 1] != ':')
        return 0;
    size_t k = close + 2;
    while (k < e && is_ws(s[k]))
        k++;
    size_t da = k;
    if (k < e && s[k] == '<') {
        da = ++k;
        while (k < e && s[k] != '>')
            k++;
    } else {
        while (k < e && !is_ws(s[k]))
            k++;
    }
    size_t db = k;
    if (db == da)
        return 0;
    meta_raw(m, RS_FIELD_NONE, "link reference", da, db);
    k += k < e && s[k] == '>';
    while (k < e && is_ws(s[k]))
        k++;
    if (k < e && (s[k] == '"' || s[k] == '\'' || s[k] == '(')) {
        char q = s[k] == '(' ? ')' : s[k];
        size_t ta = k + 1, tb = e;
        while (tb > ta && s[tb - 1] != q)
            tb--;
        if (tb > ta)
            meta_raw(m, RS_FIELD_NONE, "link reference title", ta, tb - 1);
    }
    return 1;
}

static void md_body(md *m, size_t from)
{
    const char *s = m->s;
    size_t len = m->len, i = from;
    char fence = 0;
    size_t fence_len = 0;
    while (i < len && m->st == RS_OK) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t le = nl ? (size_t)(nl - s) : len, e = le;
        if (e > i && s[e - 1] == '\r')
            e--;
        m->line_end = e;
        m->budget = 16 * (e - i) + 1024;
        for (size_t k = 0; k <= MD_MAX_TICKS; k++)
            m->tick_fail[k] = NONE_POS;
        size_t p = i;
        while (p < e && is_ws(s[p]))
            p++;
        size_t fl = 0;
        while (p + fl < e && (s[p + fl] == '`' || s[p + fl] == '~') && s[p + fl] == s[p])
            fl++;
        if (fence) {
            if (fl >= fence_len && s[p] == fence && p - i < 4) {
                size_t k = p + fl;
                while (k < e && is_ws(s[k]))
                    k++;
                if (k == e) {
                    fence = 0;
                    goto next;
                }
            }
            out_literal(m, i, e);
            goto next;
        }
        if (fl >= 3 && !(s[p] == '`' && memchr(s + p + fl, '`', e - p - fl))) {
            fence = s[p];
            fence_len = fl;
            goto next; /* the info string ("```python") is not text */
        }
        if (p < e && (is_rule(s, p, e) || is_table_rule(s, p, e)))
            goto next;
        p = skip_containers(s, p, e);
        if (p < e && s[p] == '#') {
            size_t h = p;
            while (h < e && s[h] == '#')
                h++;
            if (h - p <= 6 && (h == e || is_ws(s[h]))) {
                p = h;
                while (p < e && is_ws(s[p]))
                    p++;
                size_t t = e; /* a closing "###" goes too */
                while (t > p && is_ws(s[t - 1]))
                    t--;
                size_t c = t;
                while (c > p && s[c - 1] == '#')
                    c--;
                if (c < t && (c == p || is_ws(s[c - 1])))
                    t = c;
                while (t > p && is_ws(s[t - 1]))
                    t--;
                e = t;
            }
        }
        if (reference_definition(m, p, e))
            goto next;
        md_inline(m, p, e, p, 0);
    next:
        if (nl)
            out_span(m, "\n", 1, e, le + 1 - e);
        i = nl ? le + 1 : len;
    }
}

/* --- YAML front matter ------------------------------------------------------ */

typedef struct fm_frame {
    int is_map, want_key;
    size_t index, path_len;
    rs_field self, key; /* key: RS_FIELD_COUNT when the key names no field */
} fm_frame;

typedef struct fm_yaml {
    md *m;
    size_t a, b;        /* the YAML text in the decoded document */
    size_t ci, bi;      /* char index ↔ byte offset cursor (libyaml counts chars) */
    size_t first_line;  /* file line of the YAML's first line */
    size_t last_value_start;
    fm_frame stack[MD_FRONT_MATTER_DEPTH];
    size_t depth;
    size_t skip_depth;  /* inside a container not read (too deep, or a key) */
    int skip_value;     /* ...which is a value, not a complex key */
} fm_yaml;

/* Decoded offset of libyaml's character index `ci`. */
static size_t yaml_offset(fm_yaml *y, size_t ci)
{
    if (ci < y->ci) {
        y->ci = 0;
        y->bi = y->a;
    }
    const unsigned char *s = (const unsigned char *)y->m->s;
    while (y->ci < ci && y->bi < y->b) {
        y->bi++;
        while (y->bi < y->b && (s[y->bi] & 0xC0) == 0x80)
            y->bi++;
        y->ci++;
    }
    return y->bi;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A YAML double-quoted escape at s[0] == '\\': the code point and bytes
 * taken; *cp == UINT32_MAX for an escaped line break (no character). */
static size_t yaml_escape(const char *s, size_t len, uint32_t *cp)
{
    if (len < 2)
        return 0;
    size_t digits = 0;
    switch (s[1]) {
    case '0': *cp = 0; return 2;
    case 'a': *cp = '\a'; return 2;
    case 'b': *cp = '\b'; return 2;
    case 't': case '\t': *cp = '\t'; return 2;
    case 'n': *cp = '\n'; return 2;
    case 'v': *cp = '\v'; return 2;
    case 'f': *cp = '\f'; return 2;
    case 'r': *cp = '\r'; return 2;
    case 'e': *cp = 0x1B; return 2;
    case ' ': case '"': case '/': case '\\': *cp = (unsigned char)s[1]; return 2;
    case 'N': *cp = 0x85; return 2;
    case '_': *cp = 0xA0; return 2;
    case 'L': *cp = 0x2028; return 2;
    case 'P': *cp = 0x2029; return 2;
    case '\n': *cp = UINT32_MAX; return 2;
    case '\r': *cp = UINT32_MAX; return len > 2 && s[2] == '\n' ? 3 : 2;
    case 'x': digits = 2; break;
    case 'u': digits = 4; break;
    case 'U': digits = 8; break;
    default: return 0;
    }
    if (len < 2 + digits)
        return 0;
    uint32_t v = 0;
    for (size_t k = 0; k < digits; k++) {
        int d = hexval(s[2 + k]);
        if (d < 0)
            return 0;
        v = v * 16 + (uint32_t)d;
    }
    *cp = v;
    return 2 + digits;
}

/* Append a YAML scalar's value to the metadata view, aligned to its source
 * [a, b): equal bytes are linear, escapes, '' and folded line breaks are
 * spans; where the two part ways the rest is one span. */
static void yaml_value(md *m, rs_view *v, const char *val, size_t n, yaml_scalar_style_t style,
                       size_t a, size_t b)
{
    const char *s = m->s;
    if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        if (a < b)
            a++;
        if (b > a && s[b - 1] == (style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? '\'' : '"'))
            b--;
    } else if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE) {
        const char *nl = memchr(s + a, '\n', b - a);
        a = nl ? (size_t)(nl - s) + 1 : b;
    }
    size_t i = 0, j = a;
    while (i < n && m->st == RS_OK) {
        if (j < b && s[j] == val[i]) {
            size_t k = 0;
            while (i + k < n && j + k < b && s[j + k] == val[i + k] &&
                   !(style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && s[j + k] == '\\') &&
                   !(style == YAML_SINGLE_QUOTED_SCALAR_STYLE && s[j + k] == '\''))
                k++;
            if (k) {
                m->st = rs_view_append(v, val + i, k, j);
                i += k;
                j += k;
                continue;
            }
        }
        if (j < b && style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && s[j] == '\\') {
            uint32_t cp;
            size_t t = yaml_escape(s + j, b - j, &cp);
            char enc[4];
            size_t el = t && cp != UINT32_MAX ? rs_utf8_encode(cp, enc) : 0;
            if (t && (cp == UINT32_MAX || (i + el <= n && memcmp(val + i, enc, el) == 0))) {
                if (el)
                    m->st = rs_view_append_span(v, val + i, el, j, t);
                i += el;
                j += t;
                continue;
            }
        }
        if (j + 1 < b && style == YAML_SINGLE_QUOTED_SCALAR_STYLE && s[j] == '\'' &&
            s[j + 1] == '\'' && val[i] == '\'') {
            m->st = rs_view_append_span(v, val + i, 1, j, 2);
            i++;
            j += 2;
            continue;
        }
        int sw = j < b && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n');
        int vw = val[i] == ' ' || val[i] == '\t' || val[i] == '\n';
        if (sw) { /* folding and indentation: whitespace for whitespace */
            size_t j2 = j, i2 = i;
            while (j2 < b && (s[j2] == ' ' || s[j2] == '\t' || s[j2] == '\r' || s[j2] == '\n'))
                j2++;
            while (i2 < n && (val[i2] == ' ' || val[i2] == '\t' || val[i2] == '\n'))
                i2++;
            if (i2 > i)
                m->st = rs_view_append_span(v, val + i, i2 - i, j, j2 - j);
            i = i2;
            j = j2;
            continue;
        }
        if (vw) {
            size_t i2 = i;
            while (i2 < n && (val[i2] == ' ' || val[i2] == '\t' || val[i2] == '\n'))
                i2++;
            m->st = rs_view_append_span(v, val + i, i2 - i, j < b ? j : b - 1, 1);
            i = i2;
            continue;
        }
        /* Out of step: the rest stands for the rest of the source. */
        size_t at = j < b ? j : (b > a ? b - 1 : a);
        m->st = rs_view_append_span(v, val + i, n - i, at, b > at ? b - at : 1);
        break;
    }
}

/* Path component for a key ("image" then ".credit", "images[0]"). */
static void path_add(md *m, size_t base, const char *key, size_t n)
{
    rs_buf *p = m->path;
    p->len = base;
    if (p->data)
        p->data[base] = 0;
    if (n > 80) { /* a locator, not a copy of the key */
        n = 80;
        while (n && ((unsigned char)key[n] & 0xC0) == 0x80)
            n--;
    }
    if (m->st == RS_OK && base)
        m->st = rs_buf_putc(p, '.');
    for (size_t i = 0; i < n && m->st == RS_OK; i++)
        m->st = rs_buf_putc(p, (unsigned char)key[i] < 0x20 ? ' ' : key[i]);
}

static void path_index(md *m, size_t base, size_t index)
{
    m->path->len = base;
    if (m->st == RS_OK)
        m->st = rs_buf_printf(m->path, "[%zu]", index);
}

/* A front-matter value: one segment of the metadata view. */
static void fm_segment(md *m, rs_field field)
{
    rs_view *v = meta_view(m);
    if (!v || m->st != RS_OK)
        return;
    if (m->path->len)
        m->st = rs_view_segment(m->x, v, field, "front matter %s", m->path->data);
    else
        m->st = rs_view_segment(m->x, v, field, "front matter");
}

/* Where a value is about to start in the current container: set the path
 * and say which field a scalar / a container there gets. */
static void yaml_node(fm_yaml *y, rs_field *scalar, rs_field *container)
{
    md *m = y->m;
    if (!y->depth) {
        m->path->len = 0;
        if (m->path->data)
            m->path->data[0] = 0;
        *scalar = RS_FIELD_OTHER;
        *container = RS_FIELD_NONE;
        return;
    }
    fm_frame *f = &y->stack[y->depth - 1];
    if (!f->is_map) {
        path_index(m, f->path_len, f->index);
        *scalar = f->self != RS_FIELD_NONE ? f->self : RS_FIELD_OTHER;
        *container = f->self;
        return;
    }
    /* the path already ends with the key */
    if (f->key != RS_FIELD_COUNT) {
        *scalar = *container = f->key;
    } else {
        *scalar = f->self != RS_FIELD_NONE ? f->self : RS_FIELD_OTHER;
        *container = RS_FIELD_NONE;
    }
}

/* A node of the current container is complete. */
static void yaml_done(fm_yaml *y)
{
    if (!y->depth)
        return;
    fm_frame *f = &y->stack[y->depth - 1];
    if (f->is_map)
        f->want_key = 1;
    else
        f->index++;
}

/* After a YAML error: the lines after the last value read, as plain
 * "key: value" lines. */
static void yaml_fallback(fm_yaml *y)
{
    md *m = y->m;
    const char *s = m->s;
    size_t i = y->a;
    if (y->last_value_start > y->a) {
        /* From the line of the last value: libyaml may have read the
         * start of a value ("summary: Lyon: the hall" gives "Lyon") before
         * failing on it; that line is read again, whole. */
        i = y->last_value_start;
        while (i > y->a && s[i - 1] != '\n')
            i--;
    }
    while (i < y->b && m->st == RS_OK) {
        const char *nl = memchr(s + i, '\n', y->b - i);
        size_t e = nl ? (size_t)(nl - s) : y->b, next = nl ? e + 1 : y->b;
        while (e > i && (s[e - 1] == '\r' || is_ws(s[e - 1])))
            e--;
        size_t k = i;
        while (k < e && is_ws(s[k]))
            k++;
        if (k + 1 < e && s[k] == '-' && is_ws(s[k + 1]))
            k += 2;
        size_t ka = k;
        while (k < e && s[k] != ':' && s[k] != '#' && s[k] != '"' && s[k] != '\'')
            k++;
        if (k < e && s[k] == ':' && k > ka && (k + 1 == e || is_ws(s[k + 1]))) {
            size_t kb = k, va = k + 1;
            while (kb > ka && is_ws(s[kb - 1]))
                kb--;
            while (va < e && is_ws(s[va]))
                va++;
            size_t vb = e;
            if (vb - va >= 2 && (s[va] == '"' || s[va] == '\'') && s[vb - 1] == s[va])
                va++, vb--;
            if (vb > va && !strchr("|>{[&*", s[va])) {
                rs_field f;
                if (!rs_key_field(s + ka, kb - ka, &f))
                    f = RS_FIELD_OTHER;
                path_add(m, 0, s + ka, kb - ka);
                fm_segment(m, f);
                if (m->st == RS_OK)
                    m->st = rs_view_append(m->meta, s + va, vb - va, va);
                if (m->st == RS_OK)
                    m->st = rs_view_break(m->meta, vb);
            }
        }
        i = next;
    }
}

static void front_matter_yaml(md *m, size_t a, size_t b, size_t first_line)
{
    fm_yaml *y = calloc(1, sizeof *y);
    if (!y) {
        m->st = RS_ERR_NOMEM;
        return;
    }
    y->m = m;
    y->a = a;
    y->b = b;
    y->bi = a;
    y->first_line = first_line;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(y);
        m->st = RS_ERR_NOMEM;
        return;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)m->s + a, b - a);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    int done = 0;
    while (!done && m->st == RS_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR) {
                m->st = RS_ERR_NOMEM;
                break;
            }
            rs_extraction_warn(m->x, "front matter: YAML error at line %zu column %zu: %s",
                               first_line + parser.problem_mark.line,
                               parser.problem_mark.column + 1,
                               parser.problem ? parser.problem : "malformed");
            if (meta_view(m))
                yaml_fallback(y);
            break;
        }
        rs_field scalar, container;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_END_EVENT:
            done = 1; /* front matter is one document */
            break;
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (y->skip_depth) {
                y->skip_depth++;
                break;
            }
            if (y->depth && y->stack[y->depth - 1].is_map && y->stack[y->depth - 1].want_key) {
                /* a complex key: its contents are not values */
                y->stack[y->depth - 1].want_key = 0;
                y->stack[y->depth - 1].key = RS_FIELD_COUNT;
                path_add(m, y->stack[y->depth - 1].path_len, "?", 1);
                y->skip_depth = 1;
                y->skip_value = 0;
                break;
            }
            if (y->depth == MD_FRONT_MATTER_DEPTH) {
                rs_extraction_limit(m->x, "front matter nested deeper than %d levels; deeper values were not read",
                                   MD_FRONT_MATTER_DEPTH);
                y->skip_depth = 1;
                y->skip_value = 1;
                break;
            }
            yaml_node(y, &scalar, &container);
            y->stack[y->depth++] = (fm_frame){ ev.type == YAML_MAPPING_START_EVENT, 1, 0,
                                               m->path->len, container, RS_FIELD_COUNT };
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (y->skip_depth) {
                if (--y->skip_depth == 0 && y->skip_value)
                    yaml_done(y);
                break;
            }
            if (y->depth)
                y->depth--;
            yaml_done(y);
            break;
        case YAML_ALIAS_EVENT:
        case YAML_SCALAR_EVENT: {
            if (y->skip_depth)
                break;
            fm_frame *f = y->depth ? &y->stack[y->depth - 1] : NULL;
            const char *val = ev.type == YAML_SCALAR_EVENT ? (const char *)ev.data.scalar.value : "*";
            size_t n = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.length : 1;
            if (f && f->is_map && f->want_key) {
                rs_field kf;
                f->key = ev.type == YAML_SCALAR_EVENT && rs_key_field(val, n, &kf) ? kf
                                                                                    : RS_FIELD_COUNT;
                path_add(m, f->path_len, val, n);
                f->want_key = 0;
                break;
            }
            yaml_node(y, &scalar, &container);
            if (ev.type == YAML_SCALAR_EVENT && n) {
                if (n > RS_LIMIT_FIELD_BYTES) {
                    n = RS_LIMIT_FIELD_BYTES;
                    while (n && ((unsigned char)val[n] & 0xC0) == 0x80)
                        n--;
                    rs_extraction_limit(m->x, "front matter value %s longer than %u bytes; cut",
                                       m->path->data ? m->path->data : "", RS_LIMIT_FIELD_BYTES);
                }
                size_t sa = yaml_offset(y, ev.start_mark.index);
                size_t sb = yaml_offset(y, ev.end_mark.index);
                fm_segment(m, scalar);
                if (m->st == RS_OK && m->meta)
                    yaml_value(m, m->meta, val, n, ev.data.scalar.style, sa, sb);
                if (m->st == RS_OK && m->meta)
                    m->st = rs_view_break(m->meta, sb);
                y->last_value_start = sa;
            }
            yaml_done(y);
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    free(y);
}

/* --- TOML front matter (Hugo) ---------------------------------------------- */

typedef struct fm_toml {
    md *m;
    size_t b;
    rs_field table; /* field of the current [table], RS_FIELD_NONE if none */
    int warned;
} fm_toml;

static size_t toml_ws(const char *s, size_t i, size_t b, int newlines)
{
    for (;;) {
        while (i < b && (is_ws(s[i]) || (newlines && (s[i] == '\n' || s[i] == '\r'))))
            i++;
        if (newlines && i < b && s[i] == '#') {
            while (i < b && s[i] != '\n')
                i++;
            continue;
        }
        return i;
    }
}

/* A string at s[i] (basic, literal, or their ''' """ multi-line forms),
 * appended to the metadata view.  Returns the offset after it. */
static size_t toml_string(fm_toml *t, size_t i, rs_field field)
{
    md *m = t->m;
    const char *s = m->s;
    size_t b = t->b;
    char q = s[i];
    int multi = i + 2 < b && s[i + 1] == q && s[i + 2] == q;
    size_t a = i + (multi ? 3 : 1);
    if (multi && a < b && s[a] == '\n')
        a++; /* a newline right after the opening quotes is not content */
    else if (multi && a + 1 < b && s[a] == '\r' && s[a + 1] == '\n')
        a += 2;
    size_t k = a;
    while (k < b) {
        if (q == '"' && s[k] == '\\' && k + 1 < b) {
            k += 2;
            continue;
        }
        if (s[k] == q && (!multi || (k + 2 < b && s[k + 1] == q && s[k + 2] == q)))
            break;
        if (!multi && s[k] == '\n')
            break;
        k++;
    }
    size_t end = k < b && s[k] == q ? k + (multi ? 3 : 1) : k;
    if (k > a) {
        fm_segment(m, field);
        rs_view *v = m->meta;
        size_t run = a;
        for (size_t j = a; q == '"' && j < k && m->st == RS_OK;) {
            if (s[j] != '\\') {
                j++;
                continue;
            }
            if (j > run)
                m->st = rs_view_append(v, s + run, j - run, run);
            uint32_t cp = 0;
            size_t n = 0;
            char c = j + 1 < k ? s[j + 1] : 0;
            const char *map = "b\bt\tn\nf\fr\re\x1b\"\"\\\\";
            for (size_t x = 0; map[x]; x += 2)
                if (c == map[x]) {
                    cp = (unsigned char)map[x + 1];
                    n = 2;
                }
            size_t digits = c == 'u' ? 4 : c == 'U' ? 8 : 0;
            if (digits && j + 2 + digits <= k) {
                n = 2 + digits;
                for (size_t d = 0; d < digits && n; d++) {
                    int h = hexval(s[j + 2 + d]);
                    n = h < 0 ? 0 : n;
                    cp = cp * 16 + (uint32_t)(h < 0 ? 0 : h);
                }
            }
            if (!n && (c == '\n' || c == '\r' || is_ws(c))) { /* line-ending backslash */
                size_t e = j + 1;
                while (e < k && (is_ws(s[e]) || s[e] == '\n' || s[e] == '\r'))
                    e++;
                j = run = e;
                continue;
            }
            if (!n) { /* not an escape: kept as it is */
                run = j;
                j++;
                continue;
            }
            char enc[4];
            size_t el = rs_utf8_encode(cp, enc);
            if (m->st == RS_OK)
                m->st = rs_view_append_span(v, enc, el, j, n);
            j += n;
            run = j;
        }
        if (m->st == RS_OK && k > run)
            m->st = rs_view_append(v, s + run, k - run, run);
        if (m->st == RS_OK)
            m->st = rs_view_break(v, k);
    }
    return end;
}

static size_t toml_value(fm_toml *t, size_t i, size_t base, rs_field field, int depth);

/* Key (bare, quoted, dotted) at i; the path gets it.  Returns the offset
 * after it, or i when there is none.  *field: what the last part names. */
static size_t toml_key(fm_toml *t, size_t i, size_t base, rs_field *field, int *mapped)
{
    md *m = t->m;
    const char *s = m->s;
    size_t b = t->b;
    m->path->len = base;
    *mapped = 0;
    size_t start = i;
    for (;;) {
        i = toml_ws(s, i, b, 0);
        size_t ka, kb;
        if (i < b && (s[i] == '"' || s[i] == '\'')) {
            char q = s[i];
            ka = ++i;
            while (i < b && s[i] != q && s[i] != '\n')
                i++;
            kb = i;
            if (i < b && s[i] == q)
                i++;
        } else {
            ka = i;
            while (i < b && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '_' || s[i] == '-'))
                i++;
            kb = i;
        }
        if (kb == ka && i == ka)
            return start;
        path_add(m, m->path->len, s + ka, kb - ka);
        *mapped = rs_key_field(s + ka, kb - ka, field);
        i = toml_ws(s, i, b, 0);
        if (i < b && s[i] == '.') {
            i++;
            continue;
        }
        return i;
    }
}

/* A value at i; strings become segments. */
static size_t toml_value(fm_toml *t, size_t i, size_t base, rs_field field, int depth)
{
    md *m = t->m;
    const char *s = m->s;
    size_t b = t->b;
    if (i >= b)
        return i;
    if (s[i] == '"' || s[i] == '\'')
        return toml_string(t, i, field);
    if ((s[i] == '[' || s[i] == '{') && depth < MD_FRONT_MATTER_DEPTH) {
        char close = s[i] == '[' ? ']' : '}';
        int table = s[i] == '{';
        size_t index = 0;
        i++;
        while (i < b && m->st == RS_OK) {
            i = toml_ws(s, i, b, 1);
            if (i >= b || s[i] == close)
                return i < b ? i + 1 : b;
            if (s[i] == ',') {
                i++;
                continue;
            }
            size_t before = i;
            if (table) {
                rs_field kf = RS_FIELD_OTHER;
                int mapped;
                i = toml_key(t, i, base, &kf, &mapped);
                if (i == before || i >= b || s[i] != '=')
                    break;
                i = toml_ws(s, i + 1, b, 0);
                i = toml_value(t, i, m->path->len, mapped ? kf : field, depth + 1);
            } else {
                path_index(m, base, index++);
                i = toml_value(t, i, m->path->len, field, depth + 1);
            }
            if (i == before)
                break;
        }
        return i;
    }
    /* numbers, dates, booleans: not text */
    while (i < b && s[i] != ',' && s[i] != ']' && s[i] != '}' && s[i] != '\n' && s[i] != '#')
        i++;
    return i;
}

static void front_matter_toml(md *m, size_t a, size_t b, size_t first_line)
{
    fm_toml t = { m, b, RS_FIELD_NONE, 0 };
    const char *s = m->s;
    size_t table_len = 0, i = a;
    char table_path[128] = "";
    if (!meta_view(m))
        return;
    while (i < b && m->st == RS_OK) {
        i = toml_ws(s, i, b, 1);
        if (i >= b)
            break;
        size_t line_start = i;
        if (s[i] == '[') { /* [table] or [[array of tables]] */
            size_t k = i + 1 + (i + 1 < b && s[i + 1] == '[');
            size_t e = k;
            while (e < b && s[e] != ']' && s[e] != '\n')
                e++;
            size_t n = e - k;
            while (n && is_ws(s[k + n - 1]))
                n--;
            while (n && is_ws(s[k]))
                k++, n--;
            table_len = n < sizeof table_path - 1 ? n : sizeof table_path - 1;
            memcpy(table_path, s + k, table_len);
            table_path[table_len] = 0;
            rs_field f;
            const char *last = strrchr(table_path, '.');
            last = last ? last + 1 : table_path;
            t.table = rs_key_field(last, strlen(last), &f) ? f : RS_FIELD_NONE;
        } else {
            m->path->len = 0;
            if (table_len)
                m->st = rs_buf_append(m->path, table_path, table_len);
            rs_field kf = RS_FIELD_OTHER;
            int mapped;
            size_t k = toml_key(&t, i, m->path->len, &kf, &mapped);
            if (k != i && k < b && s[k] == '=') {
                k = toml_ws(s, k + 1, b, 0);
                rs_field f = mapped ? kf : t.table != RS_FIELD_NONE ? t.table : RS_FIELD_OTHER;
                i = toml_value(&t, k, m->path->len, f, 0);
            } else if (!t.warned) {
                size_t line = first_line;
                for (size_t c = a; c < line_start; c++)
                    line += s[c] == '\n';
                rs_extraction_warn(m->x, "front matter: TOML not understood at line %zu; that line was skipped",
                                   line);
                t.warned = 1;
            }
        }
        /* rest of the line */
        while (i < b && s[i] != '\n')
            i++;
    }
}

/* --- the document ----------------------------------------------------------- */

/* Length of a delimiter line "---"/"+++"/"..." at i (with trailing spaces
 * and its line break), 0 if the line is something else. */
static size_t delimiter_line(const char *s, size_t len, size_t i, const char *d1, const char *d2)
{
    for (int k = 0; k < 2; k++) {
        const char *d = k ? d2 : d1;
        if (!d || len - i < 3 || memcmp(s + i, d, 3) != 0)
            continue;
        size_t e = i + 3;
        while (e < len && is_ws(s[e]))
            e++;
        if (e < len && s[e] == '\r')
            e++;
        if (e == len)
            return e - i;
        if (s[e] == '\n')
            return e + 1 - i;
    }
    return 0;
}

/* Front matter at the start: read it and return where the body starts. */
static size_t front_matter(md *m)
{
    const char *s = m->s;
    size_t len = m->len;
    int toml = 0;
    size_t open = delimiter_line(s, len, 0, "---", NULL);
    if (!open && (open = delimiter_line(s, len, 0, "+++", NULL)))
        toml = 1;
    if (!open)
        return 0;
    size_t i = open;
    while (i < len) {
        size_t close = toml ? delimiter_line(s, len, i, "+++", NULL)
                            : delimiter_line(s, len, i, "---", "...");
        if (close) {
            if (toml)
                front_matter_toml(m, open, i, 2);
            else
                front_matter_yaml(m, open, i, 2);
            return i + close;
        }
        const char *nl = memchr(s + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - s) + 1;
    }
    rs_extraction_warn(m->x, "front matter opened on line 1 is not closed; read as Markdown");
    return 0;
}

rs_status rs_extract_markdown(rs_extraction *x, rs_error *err)
{
    md m;
    memset(&m, 0, sizeof m);
    m.x = x;
    m.s = x->decoded.text;
    m.len = x->decoded.len;
    m.out = &x->scratch[0];
    m.path = &x->scratch[1];
    m.gt_cache = m.blank_cache = m.comment_cache = NONE_POS;
    rs_buf_clear(m.out);
    rs_buf_clear(m.path);
    rs_offmap_init(&m.map);
    rs_view *body = rs_view_new(x, 1, NULL);
    size_t from = front_matter(&m);
    if (m.st == RS_OK && from < m.len)
        md_body(&m, from);
    if (m.st == RS_OK && m.out->len) {
        rs_extraction *html = NULL;
        if (rs_markup_like(m.out->data, m.out->len)) {
            rs_view *meta = meta_view(&m);
            m.st = rs_markup_append(x, &html, body, meta ? meta : body, m.out->data, m.out->len,
                                    &m.map, NULL);
        } else {
            m.st = rs_view_append_mapped(body, m.out->data, m.out->len, 0, &m.map);
        }
        rs_markup_free(html);
    }
    rs_offmap_free(&m.map);
    if (m.st != RS_OK) {
        err->code = m.st;
        snprintf(err->message, sizeof err->message, "reading Markdown: %s", rs_strerror(m.st));
    }
    return m.st;
}
