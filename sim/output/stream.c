/* stream.c - outputs written piece by piece (ArOutStream) and JSON documents streamed one cJSON piece at a time (ArJsonOut). */
#include "arsim/output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* ---- ArOutStream --------------------------------------------------------------------------- */

struct ArOutStream {
    char *name;      /* what messages call it: the -o path, or "standard output" */
    char *path;      /* final file (a link's target) when writing a regular file, else NULL */
    char *tmp;       /* temporary file beside path, renamed over it by out_stream_close; NULL otherwise */
    FILE *f;         /* where the bytes go */
    gboolean owned;  /* f was opened here (closed here) */
    char *error;     /* first failure, NULL while all went well */
};

ArOutStream *out_stream_open(const char *path, GError **error)
{
    if (!*path) {
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "the output file name is empty");
        return NULL;
    }
    gboolean special;
    g_autofree char *target = out_target(path, &special);
    if (g_file_test(target, G_FILE_TEST_IS_DIR)) {
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: it is a folder", path);
        return NULL;
    }
    ArOutStream *s = g_new0(ArOutStream, 1);
    s->name = g_strdup(path);
    s->owned = TRUE;
    if (special) { /* a device or FIFO (-o /dev/stdout): written into, nothing to rename */
        s->f = fopen(target, "wb");
    } else {
        g_autofree char *dir = g_path_get_dirname(target);
        g_autofree char *base = g_path_get_basename(target);
        s->tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
        int fd = g_mkstemp_full(s->tmp, O_WRONLY, 0644);
        s->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        s->path = g_steal_pointer(&target);
        if (s->f)
            out_cleanup_add(s->tmp); /* removed if SIGINT or SIGTERM stops the process meanwhile */
        if (!s->f) {
            int err = errno;
            g_clear_pointer(&s->tmp, g_free);
            /* Say what the user can fix about the file they named, as out_write_file does. */
            if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
                g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: folder %s does not exist", path, dir);
            else if (err == EACCES || err == EPERM)
                g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: permission denied in folder %s", path, dir);
            else
                g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: %s", path, g_strerror(err));
            out_stream_discard(s);
            return NULL;
        }
    }
    if (!s->f) {
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: %s", path, g_strerror(errno));
        out_stream_discard(s);
        return NULL;
    }
    return s;
}

ArOutStream *out_stream_stdio(FILE *f, const char *name)
{
    ArOutStream *s = g_new0(ArOutStream, 1);
    s->name = g_strdup(name);
    s->f = f;
    return s;
}

const char *out_stream_name(const ArOutStream *s)
{
    return s->name;
}

void out_stream_fail(ArOutStream *s, const char *why)
{
    if (!s->error)
        s->error = g_strdup(why);
}

gboolean out_stream_failed(const ArOutStream *s)
{
    return s->error != NULL;
}

void out_stream_write(ArOutStream *s, const char *data, gsize len)
{
    if (s->error || !len)
        return;
    if (fwrite(data, 1, len, s->f) != len)
        out_stream_fail(s, g_strerror(errno));
}

void out_stream_drain(ArOutStream *s, GString *buf)
{
    out_stream_write(s, buf->str, buf->len);
    g_string_truncate(buf, 0);
}

/* Frees s; removes the temporary file unless it was renamed. */
static void stream_free(ArOutStream *s)
{
    if (s->tmp) {
        g_remove(s->tmp);
        out_cleanup_remove(s->tmp);
    }
    g_free(s->name);
    g_free(s->path);
    g_free(s->tmp);
    g_free(s->error);
    g_free(s);
}

void out_stream_discard(ArOutStream *s)
{
    if (!s)
        return;
    if (s->owned && s->f)
        fclose(s->f);
    stream_free(s);
}

gboolean out_stream_close(ArOutStream *s, GError **error)
{
    if (!s->error && (fflush(s->f) != 0 || ferror(s->f)))
        out_stream_fail(s, g_strerror(errno));
    if (s->owned && fclose(s->f) != 0)
        out_stream_fail(s, g_strerror(errno));
    s->f = NULL;
    if (!s->error && s->tmp) {
        if (g_rename(s->tmp, s->path) != 0) {
            out_stream_fail(s, g_strerror(errno));
        } else {
            out_cleanup_remove(s->tmp);
            g_clear_pointer(&s->tmp, g_free);
        }
    }
    gboolean ok = !s->error;
    if (!ok)
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: %s%s", s->name, s->error,
                    s->path ? " (the file was left as it was)" : "");
    stream_free(s);
    return ok;
}

/* ---- ArJsonOut ----------------------------------------------------------------------------- */

/* One open object or array. */
typedef struct JsonLevel {
    gboolean array;   /* an array (items without keys) */
    guint items;      /* items written so far */
    cJSON *node;      /* DOM mode: the container being filled */
} JsonLevel;

struct ArJsonOut {
    ArOutStream *s;   /* where the text goes; NULL in DOM mode */
    cJSON *root;      /* DOM mode: the document built */
    GArray *levels;   /* JsonLevel, innermost last */
    char *buf;        /* reused buffer for printing one piece (cJSON_PrintPreallocated) */
    gsize cap;        /* its size */
    GString *line;    /* reused buffer for one piece re-indented */
};

static ArJsonOut *json_new(void)
{
    ArJsonOut *w = g_new0(ArJsonOut, 1);
    w->levels = g_array_new(FALSE, FALSE, sizeof(JsonLevel));
    w->cap = 4096;
    w->buf = g_malloc(w->cap);
    w->line = g_string_sized_new(4096);
    return w;
}

ArJsonOut *out_json_stream(ArOutStream *s)
{
    ArJsonOut *w = json_new();
    w->s = s;
    return w;
}

ArJsonOut *out_json_dom(void)
{
    return json_new();
}

/* Prints item (unformatted when flat) into w->buf, growing it as needed; FALSE when cJSON cannot
 * print it. O(size of the item). */
static gboolean json_print(ArJsonOut *w, const cJSON *item, gboolean formatted)
{
    for (;;) {
        /* cJSON asks for 5 bytes of slack beyond what it writes. */
        if (cJSON_PrintPreallocated((cJSON *)item, w->buf, (int)w->cap, formatted))
            return TRUE;
        if (w->cap >= G_MAXINT / 2)
            return FALSE;
        w->cap *= 2;
        w->buf = g_realloc(w->buf, w->cap);
    }
}

/* Writes the separator, indentation and "key":\t before a new item of the innermost level. */
static gboolean json_item_head(ArJsonOut *w, const char *key)
{
    g_assert(w->levels->len > 0);
    JsonLevel *l = &g_array_index(w->levels, JsonLevel, w->levels->len - 1);
    g_assert(l->array == (key == NULL));
    GString *o = w->line;
    g_string_truncate(o, 0);
    if (l->array) { /* one item a line */
        g_string_append(o, l->items ? ",\n" : "\n");
        for (guint i = 0; i < w->levels->len; i++)
            g_string_append_c(o, '\t');
    } else {
        g_string_append(o, l->items ? ",\n" : "\n");
        for (guint i = 0; i < w->levels->len; i++)
            g_string_append_c(o, '\t');
        cJSON *k = cJSON_CreateStringReference(key);
        gboolean ok = k && json_print(w, k, FALSE);
        cJSON_Delete(k);
        if (!ok)
            return FALSE;
        g_string_append(o, w->buf);
        g_string_append(o, ":\t");
    }
    l->items++;
    return TRUE;
}

/* DOM mode: adds item to the innermost container. */
static void dom_add(ArJsonOut *w, const char *key, cJSON *item)
{
    JsonLevel *l = &g_array_index(w->levels, JsonLevel, w->levels->len - 1);
    l->items++;
    if (l->array)
        cJSON_AddItemToArray(l->node, item);
    else
        cJSON_AddItemToObject(l->node, key, item);
}

void out_json_begin(ArJsonOut *w, const char *key, gboolean array)
{
    JsonLevel l = { .array = array };
    if (!w->s) {
        l.node = array ? cJSON_CreateArray() : cJSON_CreateObject();
        if (w->levels->len)
            dom_add(w, key, l.node);
        else
            w->root = l.node;
        g_array_append_val(w->levels, l);
        return;
    }
    if (w->levels->len && !json_item_head(w, key)) {
        out_stream_fail(w->s, "a key could not be formatted");
        g_string_truncate(w->line, 0);
    }
    g_string_append_c(w->line, array ? '[' : '{');
    out_stream_drain(w->s, w->line);
    g_array_append_val(w->levels, l);
}

void out_json_end(ArJsonOut *w)
{
    g_assert(w->levels->len > 0);
    JsonLevel l = g_array_index(w->levels, JsonLevel, w->levels->len - 1);
    g_array_set_size(w->levels, w->levels->len - 1);
    if (!w->s)
        return;
    GString *o = w->line;
    g_string_truncate(o, 0);
    if (l.items || !l.array) { /* as cJSON_Print closes an object: a new line, the parent's indentation */
        g_string_append_c(o, '\n');
        for (guint i = 0; i < w->levels->len; i++)
            g_string_append_c(o, '\t');
    }
    g_string_append_c(o, l.array ? ']' : '}');
    if (w->levels->len == 0)
        g_string_append_c(o, '\n');
    out_stream_drain(w->s, o);
}

void out_json_put(ArJsonOut *w, const char *key, cJSON *piece)
{
    if (!w->s) {
        if (piece)
            dom_add(w, key, piece);
        return;
    }
    if (!piece) {
        g_autofree char *why = g_strdup_printf("the part %s%s%s of the document could not be built", key ? "\"" : "",
                                               key ? key : "in an array", key ? "\"" : "");
        out_stream_fail(w->s, why);
        return;
    }
    if (out_stream_failed(w->s)) { /* nothing more reaches the file: save the work */
        cJSON_Delete(piece);
        return;
    }
    /* An item of an array is printed on one line (a route a line), a member of an object as
     * cJSON_Print lays it out. */
    if (!json_item_head(w, key) || !json_print(w, piece, key != NULL)) {
        out_stream_fail(w->s, "a part of the document could not be formatted");
        cJSON_Delete(piece);
        return;
    }
    cJSON_Delete(piece);
    /* The piece was printed as a document of its own: indent its inner lines to its depth, as
     * cJSON_Print would have inside the whole document (strings never hold a raw new line). */
    guint depth = w->levels->len;
    GString *o = w->line;
    if (!key) {
        g_string_append(o, w->buf);
        out_stream_drain(w->s, o);
        return;
    }
    for (const char *p = w->buf, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl) {
            g_string_append(o, p);
            break;
        }
        g_string_append_len(o, p, nl - p + 1);
        for (guint i = 0; i < depth; i++)
            g_string_append_c(o, '\t');
    }
    out_stream_drain(w->s, o);
}

void out_json_put_printed(ArJsonOut *w, const char *text, gsize len)
{
    g_assert(w->s && w->levels->len && g_array_index(w->levels, JsonLevel, w->levels->len - 1).array);
    if (out_stream_failed(w->s))
        return;
    json_item_head(w, NULL); /* in an array: no key to print, cannot fail */
    g_string_append_len(w->line, text, (gssize)len);
    out_stream_drain(w->s, w->line);
}

gboolean out_json_is_stream(const ArJsonOut *w)
{
    return w->s != NULL;
}

cJSON *out_json_dom_finish(ArJsonOut *w)
{
    g_assert(!w->s && w->levels->len == 0);
    cJSON *root = w->root;
    w->root = NULL;
    out_json_free(w);
    return root;
}

void out_json_free(ArJsonOut *w)
{
    if (!w)
        return;
    cJSON_Delete(w->root);
    g_array_free(w->levels, TRUE);
    g_free(w->buf);
    g_string_free(w->line, TRUE);
    g_free(w);
}
