/* loader.c - reads a scenario file, checks it is JSON text, parses it, runs --set and validation. */
#include "arsim/loader.h"

#include "load_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static size_t max_bytes(const ArLoadOptions *opts)
{
    return opts && opts->max_file_bytes ? opts->max_file_bytes : LOAD_DEFAULT_MAX_BYTES;
}

static void too_large(const char *name, size_t max, ArDiagList *diags)
{
    diag_add(diags, DIAG_ERROR, name, 0, 0, "", "file is larger than the limit of %zu bytes", max);
}

static gboolean is_json_space(char c)
{
    return (unsigned char)c <= 32;
}

/* The text near a syntax error, for the message: up to one line and 24 bytes. */
static char *excerpt(const char *text, size_t len, size_t off)
{
    size_t end = off;
    while (end < len && end - off < 24 && text[end] != '\n' && text[end] != '\r')
        end++;
    g_autofree char *raw = g_strndup(text + off, end - off);
    return load_quote(raw, 24);
}

/* True when a string whose content starts at off has a closing quote (backslash escapes one byte). */
static gboolean string_closes(const char *text, size_t len, size_t off)
{
    for (size_t p = off; p < len; p++) {
        if (text[p] == '\\')
            p++;
        else if (text[p] == '"')
            return TRUE;
    }
    return FALSE;
}

/* The '[' and '{' still open before off, innermost last, strings skipped. O(off), on the error
 * path only. The caller frees the string. */
static GString *open_stack(const char *text, size_t off)
{
    GString *stack = g_string_new(NULL);
    gboolean in_str = FALSE;
    for (size_t p = 0; p < off; p++) {
        char c = text[p];
        if (in_str) {
            if (c == '\\')
                p++;
            else if (c == '"')
                in_str = FALSE;
        } else if (c == '"') {
            in_str = TRUE;
        } else if (c == '[' || c == '{') {
            g_string_append_c(stack, c);
        } else if ((c == ']' || c == '}') && stack->len) {
            g_string_truncate(stack, stack->len - 1);
        }
    }
    return stack;
}

/* Depth of open arrays and objects before off. */
static long nesting_at(const char *text, size_t off)
{
    g_autoptr(GString) stack = open_stack(text, off);
    return (long)stack->len;
}

/* The innermost '[' or '{' still open before off ('\0' at the top level). */
static char open_at(const char *text, size_t off)
{
    g_autoptr(GString) stack = open_stack(text, off);
    return stack->len ? stack->str[stack->len - 1] : '\0';
}

/* Offset of the last non-space byte before off, or -1. */
static long before_space(const char *text, size_t off)
{
    while (off > 0 && is_json_space(text[off - 1]))
        off--;
    return (long)off - 1;
}

/* When two values meet with nothing between them ("a" "b", 1 2, } {), the hint for what is missing:
 * ':' after an object's key, else ','. NULL when off does not look like that. */
static const char *missing_separator(const char *text, size_t len, size_t off)
{
    if (off >= len || !strchr("\"{[-0123456789tfn", text[off]))
        return NULL;
    long prev = before_space(text, off);
    if (prev < 0 || !strchr("\"}]0123456789el", text[prev]))
        return NULL;
    if (text[prev] == '"' && open_at(text, (size_t)prev) == '{') {
        /* A string ending at prev: a key when what precedes its opening quote is '{' or ','. */
        long q = prev - 1;
        while (q >= 0 && !(text[q] == '"' && (q == 0 || text[q - 1] != '\\')))
            q--;
        long key = q > 0 ? before_space(text, (size_t)q) : -1;
        if (key >= 0 && (text[key] == '{' || text[key] == ','))
            return " (missing ':' after the key?)";
    }
    return " (missing ',' between two values?)";
}

/* Reports where cJSON stopped and, for the mistakes people make most (trailing commas, missing
 * commas, comments, single quotes), says so. cJSON stops at or just after the offending byte. */
static void syntax_error(const char *name, const char *text, size_t len, size_t off, ArDiagList *diags)
{
    int line, col;
    if (off > len)
        off = len;
    jpos_line_col_of(text, len, off, &line, &col);

    /* Trailing comma: a closer at the stop (']') or the last byte before it ('}': cJSON stops one
     * past), with a ',' before it. Reported at the comma, which is what to remove. */
    long closers[2] = { (long)off, before_space(text, off) };
    for (int k = 0; k < 2; k++) {
        long closer = closers[k];
        if (closer < 0 || (size_t)closer >= len || (text[closer] != '}' && text[closer] != ']'))
            continue;
        long comma = before_space(text, (size_t)closer);
        if (comma >= 0 && text[comma] == ',') {
            jpos_line_col_of(text, len, (size_t)comma, &line, &col);
            diag_add(diags, DIAG_ERROR, name, line, col, "", "JSON syntax error: trailing comma before '%c' is not allowed",
                     text[closer]);
            return;
        }
    }
    /* cJSON stops inside a string it could not close, one byte after the opening quote. */
    if (off > 0 && text[off - 1] == '"' && !string_closes(text, len, off)) {
        jpos_line_col_of(text, len, off - 1, &line, &col);
        diag_add(diags, DIAG_ERROR, name, line, col, "", "JSON syntax error: unterminated string");
        return;
    }
    if (off >= len) {
        diag_add(diags, DIAG_ERROR, name, line, col, "",
                 "JSON syntax error at end of file: unterminated object or array?");
        return;
    }
    /* A comment or a single-quoted string: cJSON stops one byte in; point at its start. */
    if (off > 0 && ((text[off - 1] == '/' && (text[off] == '/' || text[off] == '*')) || text[off - 1] == '\'')) {
        off--;
        jpos_line_col_of(text, len, off, &line, &col);
    }
    g_autofree char *near = excerpt(text, len, off);
    const char *hint = "", *sep;
    if (nesting_at(text, off) >= CJSON_NESTING_LIMIT)
        hint = " (nested deeper than cJSON's limit of " G_STRINGIFY(CJSON_NESTING_LIMIT) " levels)";
    else if (text[off] == '/')
        hint = " (comments are not allowed in JSON)";
    else if (text[off] == '\'')
        hint = " (strings need double quotes)";
    else if ((sep = missing_separator(text, len, off)))
        hint = sep;
    diag_add(diags, DIAG_ERROR, name, line, col, "", "JSON syntax error near %s%s", near, hint);
}

cJSON *load_parse_text(const char *name, const char *text, size_t len, size_t max, const char *expect,
                       gboolean lazy_index, JPosIndex **ix, ArDiagList *diags)
{
    *ix = NULL;
    if (!text)
        len = 0;
    if (len > max) {
        too_large(name, max, diags);
        return NULL;
    }
    if (len == 0) {
        diag_add(diags, DIAG_ERROR, name, 1, 1, "", "empty file: expected %s", expect);
        return NULL;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        int line, col;
        jpos_line_col_of(text, len, (size_t)(nul - text), &line, &col);
        diag_add(diags, DIAG_ERROR, name, line, col, "", "NUL byte: this is binary data, not JSON text");
        return NULL;
    }
    size_t ws = 0;
    while (ws < len && is_json_space(text[ws]))
        ws++;
    if (ws == len) {
        diag_add(diags, DIAG_ERROR, name, 1, 1, "", "empty file (only whitespace): expected %s", expect);
        return NULL;
    }
    const gchar *bad_utf8 = NULL;
    if (!g_utf8_validate_len(text, len, &bad_utf8)) {
        int line, col;
        jpos_line_col_of(text, len, (size_t)(bad_utf8 - text), &line, &col);
        diag_add(diags, DIAG_ERROR, name, line, col, "", "invalid UTF-8: JSON text must be UTF-8");
        return NULL;
    }

    long esc = load_nul_escape(text, len);
    if (esc >= 0) {
        int line, col;
        jpos_line_col_of(text, len, (size_t)esc, &line, &col);
        diag_add(diags, DIAG_ERROR, name, line, col, "",
                 "\\u0000 (NUL) in a string is not allowed: it would cut the string short there");
        return NULL;
    }

    /* cJSON's require_null_terminated check wants the terminator inside the length it is given. */
    g_autofree char *buf = g_malloc(len + 1);
    memcpy(buf, text, len);
    buf[len] = '\0';
    const char *stop = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &stop, TRUE);
    if (!root) {
        syntax_error(name, buf, len, stop ? (size_t)(stop - buf) : 0, diags);
        return NULL;
    }
    /* Positions are read only to report: indexed when first needed, unless --set overrides will
     * change the tree before the validator reads it (then now, against the tree as parsed). */
    *ix = lazy_index ? jpos_index_lazy(buf, len, root) : jpos_index_new(buf, len, root);
    return root;
}

static ArScenario *load_text_unsorted(const char *name, const char *text, size_t len,
                                      const ArLoadOptions *opts, ArDiagList *diags)
{
    int errors_before = diags->errors;
    g_autoptr(JPosIndex) ix = NULL;
    cJSON *root = load_parse_text(name, text, len, max_bytes(opts), "a JSON object with \"vnets\"",
                                  !(opts && opts->sets), &ix, diags);
    if (!root)
        return NULL;
    if (!cJSON_IsObject(root)) {
        int line, col;
        jpos_line_col(ix, jpos_offset(ix, root, FALSE), &line, &col);
        diag_add(diags, DIAG_ERROR, name, line, col, "",
                 "expected a JSON object at the top level, got %s", load_type_name(root));
        cJSON_Delete(root);
        return NULL;
    }

    cJSON *graveyard = cJSON_CreateArray();
    if (opts && opts->sets)
        load_apply_sets(root, opts->sets, graveyard, diags);
    ArScenario *s = load_validate(name, root, ix, opts ? opts->estimate_for : SCN_EST_RUN, diags);
    s->file = g_strdup(name);
    cJSON_Delete(root);
    cJSON_Delete(graveyard);
    if (diags->errors > errors_before) {
        scn_free(s);
        return NULL;
    }
    return s;
}

ArScenario *load_text(const char *name, const char *text, size_t len, const ArLoadOptions *opts,
                      ArDiagList *diags)
{
    ArScenario *s = load_text_unsorted(name, text, len, opts, diags);
    diag_sort(diags);
    return s;
}

GString *load_read(const char *path, size_t max, ArDiagList *diags)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, "", "cannot read: %s", g_strerror(errno));
        return NULL;
    }
    struct stat st = { 0 };
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            diag_add(diags, DIAG_ERROR, path, 0, 0, "", "cannot read: %s", g_strerror(EISDIR));
            return NULL;
        }
        /* Refuse before reading a huge regular file; other kinds (pipes) are read up to the limit. */
        if (S_ISREG(st.st_mode) && (guint64)st.st_size > (guint64)max) {
            fclose(f);
            too_large(path, max, diags);
            return NULL;
        }
    }
    GString *buf = g_string_sized_new(S_ISREG(st.st_mode) ? (gsize)st.st_size + 1 : 4096);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        g_string_append_len(buf, chunk, (gssize)n);
        if (buf->len > max)
            break;
    }
    int read_errno = ferror(f) ? errno : 0;
    fclose(f);
    if (read_errno)
        diag_add(diags, DIAG_ERROR, path, 0, 0, "", "cannot read: %s", g_strerror(read_errno));
    else if (buf->len > max)
        too_large(path, max, diags);
    else
        return buf;
    g_string_free(buf, TRUE);
    return NULL;
}

static ArScenario *load_file_unsorted(const char *path, const ArLoadOptions *opts, ArDiagList *diags)
{
    GString *buf = load_read(path, max_bytes(opts), diags);
    if (!buf)
        return NULL;
    ArScenario *s = load_text_unsorted(path, buf->str, buf->len, opts, diags);
    g_string_free(buf, TRUE);
    return s;
}

ArScenario *load_file(const char *path, const ArLoadOptions *opts, ArDiagList *diags)
{
    ArScenario *s = load_file_unsorted(path, opts, diags);
    diag_sort(diags);
    return s;
}

cJSON *load_json_file(const char *path, const char *expect, JPosIndex **ix, ArDiagList *diags)
{
    *ix = NULL;
    GString *buf = load_read(path, LOAD_DEFAULT_MAX_BYTES, diags);
    if (!buf)
        return NULL;
    cJSON *root = load_parse_text(path, buf->str, buf->len, LOAD_DEFAULT_MAX_BYTES, expect, FALSE, ix, diags);
    g_string_free(buf, TRUE);
    return root;
}
