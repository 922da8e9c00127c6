/* trace.c - every message and timer of a run as JSON lines (--trace FILE.jsonl). */
#include "arsim/output.h"

#include <stdio.h>
#include <string.h>

struct ArTraceWriter {
    ArOutStream *out; /* the file: a temporary file beside it, renamed over it by out_trace_close */
    GString *line;    /* reused line buffer */
    guint64 lines;    /* records written */
    guint64 bytes;    /* bytes written */
    guint64 max;      /* cap on bytes: the first record past it fails the stream, nothing more is written */
};

ArTraceWriter *out_trace_open(const char *path, guint64 max_bytes, GError **error)
{
    ArOutStream *out = out_stream_open(path, error);
    if (!out)
        return NULL;
    ArTraceWriter *w = g_new0(ArTraceWriter, 1);
    w->out = out;
    w->line = g_string_sized_new(256);
    w->max = max_bytes ? max_bytes : (guint64)OUT_TRACE_DEFAULT_MAX_MIB << 20;
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
    if (out_stream_failed(w->out))
        return; /* past the cap or a failed write: formatting more is wasted */
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
    if (w->bytes + s->len > w->max) {
        g_autofree char *why = g_strdup_printf("the trace reached its cap of %" G_GUINT64_FORMAT " MiB at simulated time "
                                               "%.3f s, after %" G_GUINT64_FORMAT " records (raise --trace-max-mib, or "
                                               "stop earlier with --until)", w->max >> 20,
                                               (double)r->time / (double)AR_SEC, w->lines);
        out_stream_fail(w->out, why);
        return;
    }
    w->bytes += s->len;
    out_stream_drain(w->out, s);
    w->lines++;
}

void out_trace_discard(ArTraceWriter *w)
{
    out_stream_discard(w->out);
    g_string_free(w->line, TRUE);
    g_free(w);
}

gboolean out_trace_close(ArTraceWriter *w, GError **error)
{
    gboolean ok = out_stream_close(w->out, error);
    g_string_free(w->line, TRUE);
    g_free(w);
    return ok;
}
