/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSV and TSV (CMS exports, picture-desk spreadsheets).
 *
 * RFC 4180 and what real exports do besides: quoted fields with ""
 * escapes and line breaks inside, CRLF or LF, a BOM (gone with decoding),
 * ragged rows, blank lines.  The delimiter is a tab for .tsv files and
 * otherwise the most frequent of ',', ';' and tab in the first record
 * (Excel in most of Europe writes ';').
 *
 * The first row is the header: its cells name the columns.  Every other
 * cell with a letter in it is a segment of one positioned view (a cell of
 * digits and punctuation cannot match a rule), with the locator
 * "row N, column NAME" (N counts data rows from 1; a column without a
 * usable name is given its letter, "column C") and the field its name
 * stands for (rs_key_field: "photo credit" → credit, "rights" →
 * copyright-notice, "byline" → creator, "caption" → description; other
 * columns are body text).  Header cells are segments too ("header,
 * column C"), so a file without a header loses nothing.  A quoted cell's
 * "" is a span, so evidence has the file's line and column; a cell that
 * holds HTML (a CMS body column) goes through the HTML extractor.
 *
 * Malformed input is read as well as it can be: text after a closing quote
 * is kept, an unterminated quote runs to the end with a warning.
 */
#include "extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "limits.h"


/* A header cell longer than this is not a column name (the file has no
 * header, or a broken one): the column letter is used. */
#define CSV_NAME_BYTES 64
/* Bytes of the first record looked at to guess the delimiter. */
#define CSV_SNIFF_BYTES 65536
/* Cells read as segments per document: each costs a segment and a
 * locator, so RS_LIMIT_CSV_CELLS bounds memory for a file of tiny cells. */
#define CSV_MAX_CELLS RS_LIMIT_CSV_CELLS

typedef struct csv_col {
    char name[CSV_NAME_BYTES + 1]; /* "" when not usable */
    rs_field field;                /* RS_FIELD_NONE for body columns */
} csv_col;

typedef struct csv {
    rs_extraction *x;
    rs_view *v;
    const char *s;
    size_t len, pos;
    char delim;
    rs_buf *val;     /* the current cell, unquoted */
    rs_offmap vmap;  /* val offsets → decoded offsets */
    csv_col *cols;
    size_t ncols, cap;
    rs_extraction *html;
    size_t cells;    /* cells read as segments */
    rs_status st;
} csv;

static size_t line_of(const char *s, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at; i++)
        line += s[i] == '\n';
    return line;
}

/* The most frequent candidate delimiter in the first record. */
static char sniff_delimiter(const char *s, size_t len)
{
    static const char cand[] = { ',', ';', '\t' };
    size_t count[3] = { 0, 0, 0 };
    int quoted = 0;
    for (size_t i = 0; i < len && i < CSV_SNIFF_BYTES; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == '\n')
            break;
        else if (!quoted)
            for (int k = 0; k < 3; k++)
                count[k] += c == cand[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (count[k] > count[best])
            best = k;
    return cand[best];
}

static void val_copy(csv *c, size_t from, size_t to)
{
    if (to <= from || c->st != RS_OK)
        return;
    c->st = rs_offmap_linear(&c->vmap, c->val->len, from);
    if (c->st == RS_OK)
        c->st = rs_buf_append(c->val, c->s + from, to - from);
}

/* Read the cell at c->pos into val/vmap.  Leaves c->pos after its
 * delimiter or line break; *row_end says the row ended there. */
static void read_cell(csv *c, int *row_end)
{
    const char *s = c->s;
    size_t len = c->len, i = c->pos;
    rs_buf_clear(c->val);
    rs_offmap_clear(&c->vmap);
    size_t q = i;
    while (q < len && (s[q] == ' ' || s[q] == '\t') && s[q] != c->delim)
        q++;
    if (q < len && s[q] == '"') { /* quoted (spaces before the quote tolerated) */
        size_t start = q, j = q + 1, run = j;
        for (;;) {
            const char *p = memchr(s + j, '"', len - j);
            if (!p) {
                val_copy(c, run, len);
                rs_extraction_warn(c->x, "CSV: quoted field opened on line %zu is not closed; read to the end",
                                   line_of(s, start));
                c->pos = len;
                *row_end = 1;
                return;
            }
            size_t k = (size_t)(p - s);
            val_copy(c, run, k);
            if (k + 1 < len && s[k + 1] == '"') {
                if (c->st == RS_OK)
                    c->st = rs_offmap_span(&c->vmap, c->val->len, k, 2);
                if (c->st == RS_OK)
                    c->st = rs_buf_putc(c->val, '"');
                j = run = k + 2;
                continue;
            }
            i = k + 1;
            break;
        }
        /* Text between the closing quote and the delimiter is kept. */
        size_t e = i;
        while (e < len && s[e] != c->delim && s[e] != '\n')
            e++;
        size_t te = e;
        if (te > i && s[te - 1] == '\r' && (te == len || s[te] == '\n'))
            te--;
        val_copy(c, i, te);
        i = e;
    } else {
        size_t e = i;
        while (e < len && s[e] != c->delim && s[e] != '\n')
            e++;
        size_t te = e;
        if (te > i && s[te - 1] == '\r' && (te == len || s[te] == '\n'))
            te--;
        val_copy(c, i, te);
        i = e;
    }
    *row_end = i >= len || s[i] == '\n';
    c->pos = i < len ? i + 1 : len;
}

/* Spreadsheet column letters: 0 → "A", 26 → "AA". */
static void col_letters(size_t index, char *out, size_t out_len)
{
    char tmp[16];
    size_t n = 0;
    index++;
    while (index && n < sizeof tmp) {
        index--;
        tmp[n++] = (char)('A' + index % 26);
        index /= 26;
    }
    size_t k = 0;
    while (n && k + 1 < out_len)
        out[k++] = tmp[--n];
    out[k] = 0;
}

/* Does a cell hold a letter (or any non-ASCII character)?  Cells without
 * one (numbers, dates, ids, blanks) cannot match a rule, and a numeric
 * spreadsheet would otherwise cost a segment per number. */
static int has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            return 1;
    }
    return 0;
}

/* A header cell: remember the column's name and field. */
static void header_cell(csv *c, size_t col)
{
    if (col >= c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        csv_col *p = realloc(c->cols, cap * sizeof *p);
        if (!p) {
            c->st = RS_ERR_NOMEM;
            return;
        }
        c->cols = p;
        c->cap = cap;
    }
    while (c->ncols <= col)
        c->cols[c->ncols++] = (csv_col){ "", RS_FIELD_NONE };
    csv_col *cc = &c->cols[col];
    const char *v = c->val->data ? c->val->data : "";
    size_t a = 0, b = c->val->len;
    while (a < b && (v[a] == ' ' || v[a] == '\t'))
        a++;
    while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
        b--;
    if (b > a && b - a <= CSV_NAME_BYTES && !memchr(v + a, '\n', b - a) && !memchr(v + a, '\r', b - a)) {
        memcpy(cc->name, v + a, b - a);
        cc->name[b - a] = 0;
        if (!rs_key_field(v + a, b - a, &cc->field))
            cc->field = RS_FIELD_NONE;
    }
}

/* A cell with text: one segment. */
static void emit_cell(csv *c, size_t row, size_t col, size_t end)
{
    if (c->st != RS_OK || !has_letter(c->val->data, c->val->len))
        return;
    if (++c->cells > CSV_MAX_CELLS) {
        rs_extraction_limit(c->x, "more than %d CSV cells with text; the rest was not read",
                           CSV_MAX_CELLS);
        c->pos = c->len;
        return;
    }
    if (c->v->len + c->val->len > RS_LIMIT_TEXT_BYTES) {
        rs_extraction_limit(c->x, "more than %llu bytes of CSV text; the rest was not read",
                           (unsigned long long)RS_LIMIT_TEXT_BYTES);
        c->pos = c->len;
        return;
    }
    char letters[16], label[CSV_NAME_BYTES + 64];
    const char *name = col < c->ncols && c->cols[col].name[0] ? c->cols[col].name : NULL;
    if (!name) {
        col_letters(col, letters, sizeof letters);
        name = letters;
    }
    rs_field field = row && col < c->ncols ? c->cols[col].field : RS_FIELD_NONE;
    if (row)
        snprintf(label, sizeof label, "row %zu, column %s", row, name);
    else
        snprintf(label, sizeof label, "header, column %s", name);
    c->st = rs_view_segment(c->x, c->v, field, "%s", label);
    if (c->st == RS_OK) {
        if (rs_markup_like(c->val->data, c->val->len))
            c->st = rs_markup_append(c->x, &c->html, c->v, c->v, c->val->data, c->val->len,
                                     &c->vmap, label);
        else
            c->st = rs_view_append_mapped(c->v, c->val->data, c->val->len, 0, &c->vmap);
    }
    /* The break stands for the delimiter after the cell, byte for byte,
     * so a row of plain cells stays one linear run of the map. */
    if (c->st == RS_OK && c->v->len && c->v->text[c->v->len - 1] != '\n')
        c->st = rs_view_append(c->v, "\n", 1, end);
}

static void parse(csv *c)
{
    const char *s = c->s;
    size_t row = 0; /* 0: the header */
    while (c->pos < c->len && c->st == RS_OK) {
        /* Blank lines are no rows. */
        size_t k = c->pos;
        while (k < c->len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r') && s[k] != c->delim)
            k++;
        if (k < c->len && s[k] == '\n') {
            c->pos = k + 1;
            continue;
        }
        if (k >= c->len)
            break;
        size_t col = 0;
        int row_end = 0;
        while (!row_end && c->st == RS_OK) {
            size_t start = c->pos;
            read_cell(c, &row_end);
            if (col >= RS_LIMIT_CSV_COLUMNS) {
                if (col == RS_LIMIT_CSV_COLUMNS && !c->x->warning[0])
                    rs_extraction_limit(c->x, "CSV row on line %zu has more than %d columns; the columns after %d were not read",
                                       line_of(s, start), RS_LIMIT_CSV_COLUMNS, RS_LIMIT_CSV_COLUMNS);
                col++;
                continue;
            }
            if (!row)
                header_cell(c, col);
            emit_cell(c, row, col, c->pos > start ? c->pos - 1 : start);
            col++;
        }
        row++;
    }
}

rs_status rs_extract_csv(rs_extraction *x, rs_error *err)
{
    csv c;
    memset(&c, 0, sizeof c);
    c.x = x;
    c.s = x->decoded.text;
    c.len = x->decoded.len;
    c.v = rs_view_new(x, 1, NULL);
    c.val = &x->scratch[0];
    rs_offmap_init(&c.vmap);
    size_t nl = x->name ? strlen(x->name) : 0;
    if (nl >= 4 && strcasecmp(x->name + nl - 4, ".tsv") == 0) {
        c.delim = '\t';
        snprintf(x->format, sizeof x->format, "tsv");
    } else {
        c.delim = sniff_delimiter(c.s, c.len);
    }
    parse(&c);
    rs_markup_free(c.html);
    rs_offmap_free(&c.vmap);
    free(c.cols);
    if (c.st != RS_OK) {
        err->code = c.st;
        snprintf(err->message, sizeof err->message, "reading CSV: %s", rs_strerror(c.st));
    }
    return c.st;
}
