/* commands.c - the arsim subcommands: load, simulate, print; exit statuses as in cli.h. */
#include "cli_priv.h"
#include "arsim/loader.h"
#include "arsim/output.h"
#include "arsim/timefmt.h"

#include <string.h>

ArScenario *cli_load_keep(const char *file, char **sets, ArDiagList *diags, FILE *err)
{
    ArLoadOptions opts = { .sets = (const char *const *)sets };
    ArScenario *scn = load_file(file, &opts, diags);
    diag_print(diags, err);
    if (!scn && diags->errors == 0)
        fprintf(err, "%s: could not be loaded\n", file);
    return scn;
}

ArScenario *cli_load(const char *file, char **sets, FILE *err)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    return cli_load_keep(file, sets, diags, err);
}

int cli_check_files(const char *cmd, const ArFileArg *inputs, guint n_inputs, const ArFileArg *outputs,
                    guint n_outputs, FILE *err)
{
    g_autoptr(GError) e = NULL;
    if (out_check_files(inputs, n_inputs, outputs, n_outputs, &e))
        return EXIT_OK;
    fprintf(err, "arsim %s: %s\n", cmd, e->message);
    return EXIT_BAD_INPUT;
}

gboolean cli_parse_prefix(const char *cmd, const char *text, ArPrefix *p, FILE *err)
{
    PfxParse pr = pfx_parse(text, p);
    if (pr == PFX_OK)
        return TRUE;
    char fix[PFX_STRLEN];
    if (pr == PFX_HOST_BITS)
        fprintf(err, "arsim %s: --prefix %s has host bits set; did you mean %s?\n", cmd, text, pfx_format(*p, fix));
    else
        fprintf(err, "arsim %s: --prefix expects a.b.c.d/len, got \"%s\"\n", cmd, text);
    return FALSE;
}

char *cli_stop_reason(const ArRun *run, const char *file)
{
    const ArSim *sim = run->net->sim;
    if (run->end == RUN_EVENT_CAP)
        return g_strdup_printf("%s: stopped after %" G_GUINT64_FORMAT " events and %" G_GUINT64_FORMAT
                               " prefix updates without converging (caps: %" G_GUINT64_FORMAT " events, %"
                               G_GUINT64_FORMAT " prefix updates)", file, sim->stats.events,
                               sim->stats.announced + sim->stats.withdrawn, sim->cfg.max_events, sim->cfg.max_prefixes);
    if (run->end == RUN_UNTIL && !run->net->until_given) {
        g_autofree char *flaps = out_flaps_summary(run, 6);
        return g_strdup_printf("%s: routing was still changing %.0f s after the last event (settings.maxTime)%s%s", file,
                               (double)run->net->scn->settings.max_time / AR_SEC, flaps ? "; " : "", flaps ? flaps : "");
    }
    return NULL;
}

/* Emits text to -o FILE (atomically) or to out. */
static int emit(const char *text, const ArRunArgs *a, FILE *out, FILE *err)
{
    if (a->output) {
        g_autoptr(GError) e = NULL;
        if (!out_write_file(a->output, text, strlen(text), a->file, &e)) {
            fprintf(err, "arsim: %s\n", e->message);
            return EXIT_BAD_INPUT;
        }
        return EXIT_OK;
    }
    fputs(text, out);
    return EXIT_OK;
}

/* Both optional observers of a run share the engine's one trace hook. */
typedef struct Observers {
    ArTraceWriter *trace;  /* --trace */
    ArChart *chart;        /* --chart */
} Observers;

static void observe(void *user, const ArTraceRec *r)
{
    Observers *o = user;
    if (o->trace)
        out_trace_record(o->trace, r);
    if (o->chart)
        out_chart_record(o->chart, r);
}

/* Runs with --until/--seed/--trace/--chart as asked. NULL (message printed) on a bad option. */
static ArRun *run_with_options(const ArRunArgs *a, const ArScenario *scn, Observers *obs, FILE *err)
{
    ArSimConfig cfg = { .seed = (uint32_t)a->seed, .max_events = a->max_events };
    if (a->until && !dur_parse(a->until, 365ull * 24 * 3600 * AR_SEC, &cfg.until)) {
        fprintf(err, "arsim run: --until expects a duration such as 90, \"90s\", \"10m\", \"1h\" or \"7d\", got \"%s\"\n", a->until);
        return NULL;
    }
    if (a->until && cfg.until == 0)
        cfg.until = 1; /* "0": only what happens at time 0 */
    if (a->trace) {
        g_autoptr(GError) e = NULL;
        if (!(obs->trace = out_trace_open(a->trace, a->trace_max_mib << 20, &e))) {
            fprintf(err, "arsim run: %s\n", e->message);
            return NULL;
        }
    }
    if (a->chart)
        obs->chart = out_chart_new();
    return run_scenario_traced(scn, &cfg, obs->trace || obs->chart ? observe : NULL, obs);
}

/* Closes the trace and draws the chart; FALSE (message printed) when a file could not be written. */
static gboolean finish_observers(const ArRunArgs *a, const ArRun *run, Observers *obs, FILE *err)
{
    gboolean ok = TRUE;
    g_autoptr(GError) e = NULL;
    if (obs->trace && !out_trace_close(obs->trace, &e)) {
        fprintf(err, "arsim run: %s\n", e->message);
        g_clear_error(&e);
        ok = FALSE;
    }
    if (obs->chart) {
        g_autofree char *svg = NULL;
        gsize len = 0;
        if (!out_chart_svg(obs->chart, run, &svg, &len, &e) || !out_write_file(a->chart, svg, len, a->file, &e)) {
            fprintf(err, "arsim run: %s\n", e->message);
            ok = FALSE;
        }
        out_chart_free(obs->chart);
    }
    return ok;
}

/* --node names a speaker, a VNet or a subnet table, --learned-routes/--advertised-routes an NVA;
 * FALSE (message printed) when not. */
static gboolean node_name_ok(const ArRunArgs *a, const ArScenario *scn, const ArRun *run, FILE *err)
{
    const char *nva = a->learned ? a->learned : a->advertised;
    g_autoptr(GError) e = NULL;
    if (nva && !out_peering_check(run, nva, &e)) {
        fprintf(err, "arsim: %s\n", e->message);
        return FALSE;
    }
    if (a->vnet) {
        for (guint i = 0; i < run->eff->len; i++) {
            g_autofree char *tn = eff_table_name(scn, g_ptr_array_index(run->eff, i));
            if (strcmp(tn, a->vnet) == 0)
                break;
            if (i + 1 == run->eff->len) {
                fprintf(err, "arsim: --vnet: no VNet or subnet with a route table named \"%s\" (subnets: VNET/SUBNET)\n",
                        a->vnet);
                return FALSE;
            }
        }
    }
    if (!a->node || bgp_speaker_find(run->net->sim, a->node))
        return TRUE;
    for (guint i = 0; i < run->eff->len; i++) {
        g_autofree char *tn = eff_table_name(scn, g_ptr_array_index(run->eff, i));
        if (strcmp(tn, a->node) == 0)
            return TRUE;
    }
    fprintf(err, "arsim: no node, VNet or subnet named \"%s\" (node names: scenario names, plus \"ars/0\"-style "
                 "instances and \"msee/SITE\" circuits; subnets with a route table: VNET/SUBNET)\n", a->node);
    return FALSE;
}

/* --mrt-out: every speaker's (or --node's) Loc-RIB as MRT, never over the scenario or a route
 * file it read. FALSE (message printed) on failure. */
static gboolean write_mrt(const ArRunArgs *a, const ArScenario *scn, const ArRun *run, FILE *err)
{
    if (a->node && !bgp_speaker_find(run->net->sim, a->node)) {
        fprintf(err, "arsim: --mrt-out writes BGP speakers' tables; \"%s\" is a VNet or subnet\n", a->node);
        return FALSE;
    }
    g_autoptr(GArray) inputs = g_array_new(FALSE, FALSE, sizeof(ArFileArg));
    ArFileArg in = { "scenario", a->file };
    g_array_append_val(inputs, in);
    for (guint i = 0; i < scn->nvas->len; i++) {
        const ArNva *n = g_ptr_array_index(scn->nvas, i);
        ArFileArg t = { "routesFrom", n->table ? n->table->file : NULL };
        g_array_append_val(inputs, t);
    }
    for (guint i = 0; i < scn->sites->len; i++) {
        const ArSite *st = g_ptr_array_index(scn->sites, i);
        ArFileArg t = { "routesFrom", st->table ? st->table->file : NULL };
        g_array_append_val(inputs, t);
    }
    g_autoptr(GError) e = NULL;
    if (!out_mrt_dir(run, a->mrt_out, a->node, (const ArFileArg *)(void *)inputs->data, inputs->len, &e)) {
        fprintf(err, "arsim: %s\n", e->message);
        return FALSE;
    }
    return TRUE;
}

int cmd_run(const ArRunArgs *a, FILE *out, FILE *err)
{
    const ArFileArg in[] = { { "scenario", a->file } };
    const ArFileArg outs[] = { { "-o", a->output }, { "--trace", a->trace }, { "--chart", a->chart } };
    if (cli_check_files("run", in, G_N_ELEMENTS(in), outs, G_N_ELEMENTS(outs), err))
        return EXIT_BAD_INPUT;
    ArPrefix prefix;
    if (a->prefix && !cli_parse_prefix("run", a->prefix, &prefix, err))
        return EXIT_BAD_INPUT;
    g_autoptr(ArScenario) scn = cli_load(a->file, a->sets, err);
    if (!scn)
        return EXIT_BAD_INPUT;
    Observers obs = { 0 };
    g_autoptr(ArRun) run = run_with_options(a, scn, &obs, err);
    if (!run)
        return EXIT_BAD_INPUT;
    if (!node_name_ok(a, scn, run, err)) { /* a usage error writes no file */
        if (obs.trace)
            out_trace_discard(obs.trace);
        if (obs.chart)
            out_chart_free(obs.chart);
        return EXIT_BAD_INPUT;
    }
    if (!finish_observers(a, run, &obs, err) || (a->mrt_out && !write_mrt(a, scn, run, err)))
        return EXIT_BAD_INPUT;
    /* Stopping at --until is what the user asked for; any other stop with routing still
     * changing is a failure to converge. */
    int status = EXIT_OK;
    g_autofree char *stop = cli_stop_reason(run, a->file);
    if (stop) {
        fprintf(err, "arsim: %s%s\n", stop,
                run->end == RUN_EVENT_CAP ? "; --max-events raises the event cap, --timeline shows what keeps changing" : "");
        status = EXIT_NO_CONVERGE;
    }

    const char *nva = a->learned ? a->learned : a->advertised;
    if (nva) {
        g_autoptr(GError) e = NULL;
        cJSON *doc = out_peering_routes_json(run, nva, a->advertised != NULL, &e);
        if (!doc) {
            fprintf(err, "arsim: %s\n", e->message);
            return EXIT_BAD_INPUT;
        }
        g_autofree char *text = NULL;
        if (a->json) {
            text = out_json_print(doc);
        } else {
            GString *s = g_string_new(NULL);
            out_peering_routes_text(doc, s);
            text = g_string_free(s, FALSE);
        }
        cJSON_Delete(doc);
        if (!text) {
            fprintf(err, "arsim: %s: the JSON document could not be formatted (out of memory)\n",
                    a->output ? a->output : "standard output");
            return EXIT_BAD_INPUT;
        }
        int st = emit(text, a, out, err);
        return st ? st : status;
    }
    ArRunStats cost;
    if (a->stats)
        out_stats_collect(run, &cost);
    ArRunView view = { .node = a->node, .vnet = a->vnet, .prefix = a->prefix ? &prefix : NULL, .all = a->all };
    /* Written as it is produced, a node or a table at a time: never the whole output in memory. */
    ArOutStream *s;
    if (a->output) {
        g_autoptr(GError) e = NULL;
        if (!(s = out_stream_open(a->output, &e))) {
            fprintf(err, "arsim: %s\n", e->message);
            return EXIT_BAD_INPUT;
        }
    } else {
        s = out_stream_stdio(out, "standard output");
    }
    if (a->json) {
        ArJsonOut *w = out_json_stream(s);
        out_json_begin(w, NULL, FALSE);
        out_run_json_write(run, &view, w);
        out_json_put(w, "timeline", out_timeline_json(run));
        if (run->net->flaps)
            out_json_put(w, "oscillation", out_flaps_json(run));
        if (a->stats)
            out_json_put(w, "stats", out_stats_json(&cost));
        out_json_end(w);
        out_json_free(w);
    } else {
        g_autoptr(GString) text = g_string_new(NULL);
        if (a->timeline)
            out_timeline_text(run, text);
        else
            out_run_text(run, &view, text, s);
        out_stream_drain(s, text);
        if (a->stats) {
            GString *t = g_string_new(NULL);
            out_stats_text(&cost, t);
            fputs(t->str, err);
            g_string_free(t, TRUE);
        }
    }
    g_autoptr(GError) e = NULL;
    if (!out_stream_close(s, &e)) {
        fprintf(err, "arsim: %s\n", e->message);
        return EXIT_BAD_INPUT;
    }
    return status;
}

int cmd_validate(char **files, char **sets, FILE *out, FILE *err)
{
    int status = EXIT_OK;
    for (char **f = files; f && *f; f++) {
        g_autoptr(ArDiagList) diags = diag_list_new();
        ArLoadOptions opts = { .sets = (const char *const *)sets };
        g_autoptr(ArScenario) scn = load_file(*f, &opts, diags);
        diag_print(diags, err);
        if (!scn) {
            status = EXIT_BAD_INPUT;
            continue;
        }
        fprintf(out, "%s: valid: %u VNets, %u Route Servers, %u gateways, %u NVAs, %u sites", *f,
                scn->vnets->len, scn->route_servers->len, scn->gateways->len, scn->nvas->len, scn->sites->len);
        if (diags->warnings)
            fprintf(out, " (%d warning%s)", diags->warnings, diags->warnings == 1 ? "" : "s");
        fputc('\n', out);
    }
    return status;
}

int cli_write_diagram(const ArRun *run, const ArGraphOptions *opt, const char *path, const char *format,
                      const char *protect, FILE *err)
{
    g_autofree char *probe = format ? g_strconcat("x.", format, NULL) : NULL;
    const char *fmt = graph_format_for(probe ? probe : path);
    if (!fmt) {
        fprintf(err, "arsim: cannot tell the diagram format of \"%s\"; end it in .svg, .png, .pdf or .dot, or give --format\n",
                path);
        return EXIT_BAD_INPUT;
    }
    Agraph_t *g = graph_build(run, opt);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    gboolean ok = graph_render(g, fmt, &data, &len, &e) && out_write_file(path, data, len, protect, &e);
    graph_free(g);
    if (!ok) {
        fprintf(err, "arsim: %s\n", e->message);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

int cmd_graph(const ArGraphArgs *a, FILE *out, FILE *err)
{
    ArPrefix p;
    if (a->prefix && !cli_parse_prefix("graph", a->prefix, &p, err))
        return EXIT_BAD_INPUT;
    g_autofree char *probe = a->format ? g_strconcat("x.", a->format, NULL) : NULL;
    if (!graph_format_for(probe ? probe : a->output)) {
        if (a->format)
            fprintf(err, "arsim graph: --format %s is not one of svg, png, pdf, dot\n", a->format);
        else
            fprintf(err, "arsim graph: cannot tell the format of \"%s\"; end it in .svg, .png, .pdf or .dot, or give --format\n",
                    a->output);
        return EXIT_BAD_INPUT;
    }
    const ArFileArg in[] = { { "scenario", a->file } }, outs[] = { { "-o", a->output } };
    if (cli_check_files("graph", in, 1, outs, 1, err))
        return EXIT_BAD_INPUT;
    g_autoptr(ArScenario) scn = cli_load(a->file, a->sets, err);
    if (!scn)
        return EXIT_BAD_INPUT;
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    ArGraphOptions opt = { .prefix = a->prefix ? &p : NULL };
    int st = cli_write_diagram(run, &opt, a->output, a->format, a->file, err);
    if (st)
        return st;
    fprintf(out, "%s: diagram of %s%s%s\n", a->output, a->file, a->prefix ? " for " : "", a->prefix ? a->prefix : "");
    return run->end == RUN_CONVERGED ? EXIT_OK : EXIT_NO_CONVERGE;
}
