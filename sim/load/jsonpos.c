/* jsonpos.c - positions of cJSON nodes: re-scans the parsed text in step with the tree. */
#include "arsim/jsonpos.h"

#include <string.h>

struct JPosIndex {
    GHashTable *value_at; /* const cJSON* -> offset + 1 of its value (0 never stored) */
    GHashTable *key_at;   /* const cJSON* -> offset + 1 of its key in the parent object */
    GArray *line_starts;  /* size_t: offset of the first byte of each line, ascending */
    size_t len;           /* text length, to clamp offsets past the end */
    char *text;           /* jpos_index_lazy: a copy of the text, until the first question; else NULL */
    const cJSON *root;    /* jpos_index_lazy: the tree to scan then */
};

/* The scanner walks text that cJSON accepted, so every check below only guards against a tree that
 * does not belong to the text (a caller bug): on a mismatch it stops recording instead of reading
 * past the end. */
typedef struct Scan {
    JPosIndex *ix;
    const char *t;
    size_t len;
    size_t i;
    gboolean bad;
} Scan;

static void put(GHashTable *h, const cJSON *node, size_t off)
{
    g_hash_table_insert(h, (gpointer)node, GSIZE_TO_POINTER(off + 1));
}

/* cJSON treats every byte <= 32 as whitespace (buffer_skip_whitespace); so must we. */
static void skip_ws(Scan *s)
{
    while (s->i < s->len && (unsigned char)s->t[s->i] <= 32)
        s->i++;
}

static gboolean expect(Scan *s, char c)
{
    skip_ws(s);
    if (s->i >= s->len || s->t[s->i] != c) {
        s->bad = TRUE;
        return FALSE;
    }
    s->i++;
    return TRUE;
}

/* At an opening quote: moves past the closing one. A backslash escapes exactly the next byte, as
 * in cJSON's parse_string, so "\"" and "\\" end where cJSON ends them. */
static void skip_string(Scan *s)
{
    if (s->i >= s->len || s->t[s->i] != '"') {
        s->bad = TRUE;
        return;
    }
    s->i++;
    while (s->i < s->len && s->t[s->i] != '"') {
        if (s->t[s->i] == '\\')
            s->i++;
        s->i++;
    }
    if (s->i >= s->len) {
        s->bad = TRUE;
        return;
    }
    s->i++;
}

static void scan_value(Scan *s, const cJSON *node)
{
    skip_ws(s);
    if (s->bad || s->i >= s->len) {
        s->bad = TRUE;
        return;
    }
    put(s->ix->value_at, node, s->i);
    char c = s->t[s->i];
    if (c == '{' || c == '[') {
        gboolean obj = c == '{';
        s->i++;
        for (const cJSON *ch = node->child; ch && !s->bad; ch = ch->next) {
            if (ch != node->child && !expect(s, ','))
                return;
            if (obj) {
                skip_ws(s);
                put(s->ix->key_at, ch, s->i);
                skip_string(s);
                if (s->bad || !expect(s, ':'))
                    return;
            }
            scan_value(s, ch);
        }
        expect(s, obj ? '}' : ']');
    } else if (c == '"') {
        skip_string(s);
    } else if (c == 't' || c == 'f' || c == 'n') {
        while (s->i < s->len && s->t[s->i] >= 'a' && s->t[s->i] <= 'z')
            s->i++;
    } else {
        /* cJSON copies the bytes of this set and hands them to strtod; in text it accepted, the
         * number is the whole run. */
        while (s->i < s->len && strchr("0123456789+-.eE", s->t[s->i]) && s->t[s->i] != '\0')
            s->i++;
    }
}

/* Records every node's offsets and every line's start. O(text length). */
static void index_build(JPosIndex *ix, const char *text, size_t len, const cJSON *root)
{
    ix->value_at = g_hash_table_new(g_direct_hash, g_direct_equal);
    ix->key_at = g_hash_table_new(g_direct_hash, g_direct_equal);
    ix->line_starts = g_array_new(FALSE, FALSE, sizeof(size_t));
    ix->len = len;
    size_t zero = 0;
    g_array_append_val(ix->line_starts, zero);
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;) {
        size_t next = (size_t)(++p - text);
        g_array_append_val(ix->line_starts, next);
    }
    Scan s = { ix, text, len, 0, FALSE };
    /* cJSON skips a UTF-8 byte order mark at the start (skip_utf8_bom). */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        s.i = 3;
    if (root)
        scan_value(&s, root);
}

JPosIndex *jpos_index_new(const char *text, size_t len, const cJSON *root)
{
    JPosIndex *ix = g_new0(JPosIndex, 1);
    index_build(ix, text, len, root);
    return ix;
}

JPosIndex *jpos_index_lazy(const char *text, size_t len, const cJSON *root)
{
    JPosIndex *ix = g_new0(JPosIndex, 1);
    ix->text = g_memdup2(text, len + 1);
    ix->len = len;
    ix->root = root;
    return ix;
}

/* A lazy index answers its first question by scanning (the tree must be as parsed). The index is
 * logically unchanged: it knew the answers all along. */
static const JPosIndex *index_ready(const JPosIndex *cix)
{
    if (cix && cix->text) {
        JPosIndex *ix = (JPosIndex *)cix;
        index_build(ix, ix->text, ix->len, ix->root);
        g_clear_pointer(&ix->text, g_free);
        ix->root = NULL;
    }
    return cix;
}

void jpos_index_free(JPosIndex *ix)
{
    if (!ix)
        return;
    if (ix->value_at) {
        g_hash_table_destroy(ix->value_at);
        g_hash_table_destroy(ix->key_at);
        g_array_free(ix->line_starts, TRUE);
    }
    g_free(ix->text);
    g_free(ix);
}

long jpos_offset(const JPosIndex *ix, const cJSON *node, gboolean key)
{
    if (!ix || !node)
        return -1;
    ix = index_ready(ix);
    gpointer v = g_hash_table_lookup(key ? ix->key_at : ix->value_at, node);
    return v ? (long)GPOINTER_TO_SIZE(v) - 1 : -1;
}

void jpos_line_col(const JPosIndex *ix, long offset, int *line, int *col)
{
    if (offset < 0) {
        *line = *col = 0;
        return;
    }
    ix = index_ready(ix);
    size_t off = (size_t)offset > ix->len ? ix->len : (size_t)offset;
    const size_t *st = (const size_t *)(void *)ix->line_starts->data;
    /* Last line start <= off; line_starts[0] == 0 so lo always qualifies. */
    guint lo = 0, hi = ix->line_starts->len;
    while (hi - lo > 1) {
        guint mid = lo + (hi - lo) / 2;
        if (st[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = (int)lo + 1;
    *col = (int)(off - st[lo]) + 1;
}

void jpos_line_col_of(const char *text, size_t len, size_t offset, int *line, int *col)
{
    size_t start = 0;
    int l = 1;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = (int)(offset - start) + 1;
}

/* A pointer is only ever shown in a message, and a key can be megabytes long or hold control bytes
 * (an unknown key is reported with its pointer): tokens are cut after this many bytes, at a UTF-8
 * character boundary, with "...", and control bytes are shown as \u00XX. Every key and name the
 * format allows is shorter (names: 80 bytes), so their pointers are exact RFC 6901. */
#define JPOS_TOKEN_MAX 80

void jpos_pointer_append(GString *ptr, const char *token)
{
    g_string_append_c(ptr, '/');
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)token; *p; p++, n++) {
        if (n >= JPOS_TOKEN_MAX && (*p & 0xC0) != 0x80) {
            g_string_append(ptr, "...");
            break;
        }
        if (*p == '~')
            g_string_append(ptr, "~0");
        else if (*p == '/')
            g_string_append(ptr, "~1");
        else if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf(ptr, "\\u%04x", *p);
        else
            g_string_append_c(ptr, (char)*p);
    }
}
