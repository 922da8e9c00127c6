/* trace.c - every message and timer of a run as JSON lines (--trace FILE.jsonl). */
#include "arsim/output.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

struct ArTraceWriter {
    char *path;      /* final name */
    char *tmp;       /* temporary file beside it; NULL when writing into a device or FIFO */
    FILE *f;         /* open on tmp */
    GString *line;   /* reused line buffer */
    guint64 lines;   /* records written */
};

ArTraceWriter *out_trace_open(const char *path, GError **error)
{
    gboolean special;
    g_autofree char *target = out_target(path, &special);
    if (special) { /* a device or FIFO: written into, nothing to rename */
        FILE *f = fopen(target, "w");
        if (!f) {
            g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: %s", path, g_strerror(errno));
            return NULL;
        }
        ArTraceWriter *w = g_new0(ArTraceWriter, 1);
        w->path = g_steal_pointer(&target);
        w->f = f;
        w->line = g_string_sized_new(256);
        return w;
    }
    path = target;
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int fd = g_mkstemp(tmpl);
    if (fd < 0) {
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot create a file there: %s", path, g_strerror(errno));
        return NULL;
    }
    ArTraceWriter *w = g_new0(ArTraceWriter, 1);
    w->path = g_strdup(path);
    w->tmp = g_steal_pointer(&tmpl);
    w->f = fdopen(fd, "w");
    w->line = g_string_sized_new(256);
    return w;
}

static const char *const kind_names[] = { "update", "dropped", "flush", "sessionUp", "sessionDown", "node", "event" };

/* Names are letters, digits, '_', '.', '-', '/' (validated), texts are ours: escaping '"' and '\\'
 * is all JSON needs here, and cJSON would allocate per record. */
static void append_json_string(GString *s, const char *v)
{
    g_string_append_c(s, '"');
    for (const char *p = v; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_c(s, '\\');
        if ((unsigned char)*p >= 0x20)
            g_string_append_c(s, *p);
    }
    g_string_append_c(s, '"');
}

static void append_keys(GString *s, const char *name, const uint64_t *keys, uint32_t n)
{
    char buf[PFX_STRLEN];
    g_string_append_printf(s, ",\"%s\":[", name);
    for (uint32_t i = 0; i < n; i++)
        g_string_append_printf(s, "%s\"%s\"", i ? "," : "", pfx_format(pfx_from_key(keys[i]), buf));
    g_string_append_c(s, ']');
}

void out_trace_record(void *writer, const ArTraceRec *r)
{
    ArTraceWriter *w = writer;
    GString *s = w->line;
    g_string_truncate(s, 0);
    g_string_append_printf(s, "{\"t\":%.6f,\"type\":\"%s\"", (double)r->time / (double)AR_SEC, kind_names[r->kind]);
    if (r->from) {
        g_string_append(s, ",\"from\":");
        append_json_string(s, r->from->name);
    }
    if (r->to) {
        g_string_append(s, ",\"to\":");
        append_json_string(s, r->to->name);
    }
    if (r->kind == TR_UPDATE || r->kind == TR_DROPPED) {
        if (r->kind == TR_UPDATE) {
            append_keys(s, "withdrawn", r->withdrawn, r->n_withdrawn);
            append_keys(s, "announced", r->announced, r->n_announced);
        } else {
            g_string_append_printf(s, ",\"withdrawnCount\":%u,\"announcedCount\":%u", r->n_withdrawn, r->n_announced);
        }
        if (r->attrs && r->n_announced) {
            char ip[IP_STRLEN];
            g_autofree char *path = attr_path_to_string(r->attrs->path);
            g_string_append_printf(s, ",\"asPath\":\"%s\",\"nextHop\":\"%s\"", path, ip_format(r->attrs->next_hop, ip));
        }
    }
    if (r->text) {
        g_string_append(s, ",\"text\":");
        append_json_string(s, r->text);
    }
    g_string_append(s, "}\n");
    fwrite(s->str, 1, s->len, w->f);
    w->lines++;
}

/* The one cleanup path: the file is closed already; drops the temporary file unless kept. */
static void trace_free(ArTraceWriter *w, gboolean keep)
{
    if (!keep && w->tmp)
        g_remove(w->tmp);
    g_string_free(w->line, TRUE);
    g_free(w->path);
    g_free(w->tmp);
    g_free(w);
}

void out_trace_discard(ArTraceWriter *w)
{
    fclose(w->f);
    trace_free(w, FALSE);
}

gboolean out_trace_close(ArTraceWriter *w, GError **error)
{
    gboolean ok = fflush(w->f) == 0 && !ferror(w->f);
    ok = (fclose(w->f) == 0) && ok;
    if (ok && w->tmp && g_rename(w->tmp, w->path) != 0)
        ok = FALSE;
    if (!ok)
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write the trace: %s", w->path, g_strerror(errno));
    trace_free(w, ok);
    return ok;
}
