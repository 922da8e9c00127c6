/* formats.c - the table of `arsim run`'s output formats: each a name, its option's help and its writers. */
#include "arsim/output.h"

#include <string.h>

/* --stats, for a format that cannot hold them: as text on the notes stream (stderr). */
static void stats_to_notes(const ArRunOutput *o)
{
    if (o->stats) {
        g_autoptr(GString) t = g_string_new(NULL);
        out_stats_text(o->stats, t);
        fputs(t->str, o->notes);
    }
}

/* Text: the tables (or with --timeline the story), --stats on the notes stream (stderr). */
static void run_text(const ArRunOutput *o, ArOutStream *s)
{
    g_autoptr(GString) text = g_string_new(NULL);
    if (o->timeline)
        out_timeline_text(o->run, text);
    else
        out_run_text(o->run, o->view, text, s);
    out_stream_drain(s, text);
    stats_to_notes(o);
}

static char *peering_text(const cJSON *doc)
{
    GString *s = g_string_new(NULL);
    out_peering_routes_text(doc, s);
    return g_string_free(s, FALSE);
}

/* JSON: one run document (docs/output-format.md) with the timeline, the oscillation when routing
 * did not settle, and --stats; written one piece at a time; grouped past OUT_JSON_FULL_ROUTES
 * route lines unless --full. */
static void run_json(const ArRunOutput *o, ArOutStream *s)
{
    ArRunView v = o->view ? *o->view : (ArRunView){ 0 };
    v.grouped = v.grouped || (!v.full && out_run_json_wants_groups(o->run, &v));
    ArJsonOut *w = out_json_stream(s);
    out_json_begin(w, NULL, FALSE);
    out_run_json_write(o->run, &v, w);
    out_json_put(w, "timeline", out_timeline_json(o->run));
    if (o->run->net->flaps)
        out_json_put(w, "oscillation", out_flaps_json(o->run));
    if (o->stats)
        out_json_put(w, "stats", out_stats_json(o->stats));
    out_json_end(w);
    out_json_free(w);
}

/* CSV: node routes, effective routes and reachability pairs as one table (out_run_csv); --stats
 * on the notes stream. */
static void run_csv(const ArRunOutput *o, ArOutStream *s)
{
    out_run_csv(o->run, o->view, s);
    stats_to_notes(o);
}

/* The default first; `arsim run --NAME` for each other one, its options in this order. */
static const ArRunFormat run_formats[] = {
    { "text", NULL, run_text, peering_text },
    { "json", "Print one JSON document (with the timeline)", run_json, out_json_print },
    { "csv", "Print node routes, effective routes and reachability as one CSV table", run_csv, out_peering_routes_csv },
};

const ArRunFormat *out_run_formats(guint *n)
{
    *n = G_N_ELEMENTS(run_formats);
    return run_formats;
}

const ArRunFormat *out_run_format_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(run_formats); i++)
        if (strcmp(run_formats[i].name, name) == 0)
            return &run_formats[i];
    return NULL;
}
