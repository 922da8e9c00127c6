/* cmd_run.c - `arsim run FILE`: its options, then load, simulate and print the routes (or the
 * peering view, the timeline), with the trace, chart and MRT side outputs. */
#include "cli_priv.h"
#include "arsim/loader.h"
#include "arsim/names.h"
#include "arsim/output.h"
#include "arsim/rows.h"
#include "arsim/timefmt.h"

#include <string.h>

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

/* Whether a name the user typed is close to cand: the same but for case, one the start of the
 * other, or a typo or two away. */
static gboolean close_name(const char *typed, const char *cand)
{
    size_t lt = strlen(typed);
    if (lt >= 2 && (g_ascii_strncasecmp(typed, cand, lt) == 0 || g_str_has_prefix(typed, cand)))
        return TRUE;
    return names_edit_distance(typed, cand, TRUE) <= (lt >= 5 ? 2u : 1u);
}

/* Appends names (at most 12 of them, then how many more) to s, comma-separated. */
static void append_names(GString *s, const GPtrArray *names)
{
    for (guint i = 0; i < names->len && i < 12; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(names, i));
    if (names->len > 12)
        g_string_append_printf(s, ", ... (%u more)", names->len - 12);
}

/* The name --node takes for sp's component: a Route Server's or a gateway's scenario name (which
 * stands for its instances), a circuit's "msee/SITE" (its two links), else sp's own name. */
static const char *component_name(const ArSpeaker *sp)
{
    switch (sp->kind) {
    case NODE_ROUTE_SERVER:
        return ((const ArRouteServer *)sp->resource)->name;
    case NODE_ER_GATEWAY:
    case NODE_VPN_GATEWAY:
        return ((const ArGateway *)sp->resource)->name;
    default:
        return sp->name;
    }
}

/* --node names nothing: say so with the close names, then the names it takes. */
static void node_unknown(const char *node, const ArScenario *scn, const ArRun *run, FILE *err)
{
    const GPtrArray *speakers = run->net->sim->speakers;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GPtrArray) nodes = g_ptr_array_new();                       /* components, in run order (seen's) */
    g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func(g_free); /* VNET, VNET/SUBNET */
    g_autoptr(GPtrArray) close = g_ptr_array_new();                       /* close names (nodes', tables', speakers') */
    for (guint i = 0; i < speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(speakers, i);
        g_autofree char *name = g_strdup(component_name(sp));
        if (sp->kind == NODE_MSEE) /* msee/SITE[/CIRCUIT]/LINK: the circuit names both links */
            *strrchr(name, '/') = '\0';
        if (!g_hash_table_contains(seen, name)) {
            g_ptr_array_add(nodes, name);
            g_hash_table_add(seen, g_steal_pointer(&name));
        }
    }
    for (guint i = 0; i < run->eff->len; i++)
        g_ptr_array_add(tables, eff_table_name(scn, g_ptr_array_index(run->eff, i)));
    const GPtrArray *lists[] = { nodes, tables };
    for (guint l = 0; l < G_N_ELEMENTS(lists); l++)
        for (guint i = 0; i < lists[l]->len && close->len < 5; i++)
            if (close_name(node, g_ptr_array_index(lists[l], i)))
                g_ptr_array_add(close, g_ptr_array_index(lists[l], i));
    for (guint i = 0; strchr(node, '/') && i < speakers->len && close->len < 5; i++) { /* "ars/2" -> ars/0 */
        const ArSpeaker *sp = g_ptr_array_index(speakers, i);
        if (strcmp(sp->name, component_name(sp)) != 0 && close_name(node, sp->name))
            g_ptr_array_add(close, sp->name);
    }
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_append_printf(s, "arsim: --node: no node, VNet or subnet named \"%s\"", node);
    if (close->len) {
        g_string_append(s, "; did you mean ");
        append_names(s, close);
        g_string_append(s, "?");
    }
    g_string_append(s, "\n  nodes: ");
    append_names(s, nodes);
    g_string_append(s, " (a Route Server's, a gateway's or a circuit's name shows all its instances; "
                       "NAME/0, msee/SITE/primary name one)\n  VNets and subnets with a route table: ");
    append_names(s, tables);
    fprintf(err, "%s\n", s->str);
}

/* --node names a speaker, the instances of a Route Server, gateway or circuit, a VNet or a subnet
 * table, --learned-routes/--advertised-routes an NVA; FALSE (message printed) when not. */
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
    if (!a->node)
        return TRUE;
    g_autoptr(GPtrArray) speakers = rows_node_speakers(run, a->node);
    if (speakers->len)
        return TRUE;
    for (guint i = 0; i < run->eff->len; i++) {
        g_autofree char *tn = eff_table_name(scn, g_ptr_array_index(run->eff, i));
        if (strcmp(tn, a->node) == 0)
            return TRUE;
    }
    node_unknown(a->node, scn, run, err);
    return FALSE;
}

/* --mrt-out: every speaker's (or --node's) Loc-RIB as MRT, never over the scenario or a route
 * file it read. FALSE (message printed) on failure. */
static gboolean write_mrt(const ArRunArgs *a, const ArScenario *scn, const ArRun *run, FILE *err)
{
    g_autoptr(GPtrArray) speakers = rows_node_speakers(run, a->node);
    if (speakers && !speakers->len) {
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
    guint n_formats;
    const ArRunFormat *fmt = a->format ? out_run_format_find(a->format) : out_run_formats(&n_formats);
    if (!fmt) {
        fprintf(err, "arsim run: no output format \"%s\"\n", a->format);
        return EXIT_BAD_INPUT;
    }
    const ArFileArg in[] = { { "scenario", a->file } };
    const ArFileArg outs[] = { { "-o", a->output }, { "--trace", a->trace }, { "--chart", a->chart } };
    if (cli_check_files("run", in, G_N_ELEMENTS(in), outs, G_N_ELEMENTS(outs), err))
        return EXIT_BAD_INPUT;
    ArPrefix prefix;
    if (a->prefix && !cli_parse_prefix("run", a->prefix, &prefix, err))
        return EXIT_BAD_INPUT;
    /* The CSV's reachability rows come from the reach matrix, (VNets + sites)^2 cells. */
    bool csv = a->format && strcmp(a->format, "csv") == 0;
    g_autoptr(ArScenario) scn = cli_load(a->file, a->sets, csv ? SCN_EST_RUN_CSV : SCN_EST_RUN, err);
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
        g_autofree char *text = fmt->peering(doc);
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
    ArRunView view = { .node = a->node, .vnet = a->vnet, .prefix = a->prefix ? &prefix : NULL, .all = a->all,
                      .full = a->full, .grouped = a->grouped };
    /* Written as it is produced, a node or a table at a time: never the whole output in memory. */
    ArOutStream *s = cli_open_output(a->output, out, err);
    if (!s)
        return EXIT_BAD_INPUT;
    const ArRunOutput o = { .run = run, .view = &view, .stats = a->stats ? &cost : NULL, .timeline = a->timeline, .notes = err };
    fmt->write(&o, s);
    g_autoptr(GError) e = NULL;
    if (!out_stream_close(s, &e)) {
        fprintf(err, "arsim: %s\n", e->message);
        return EXIT_BAD_INPUT;
    }
    return status;
}

static int run_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_autofree char *node = NULL, *learned = NULL, *advertised = NULL, *vnet = NULL;
    g_autofree char *trace = NULL, *chart = NULL, *mrt_out = NULL;
    gboolean stats = FALSE, timeline = FALSE, all = FALSE, grouped = FALSE, full = FALSE;
    gint64 trace_max_mib = OUT_TRACE_DEFAULT_MAX_MIB;
    /* --NAME for each output format but the default (out_run_formats), first in the help. */
    guint n_formats;
    const ArRunFormat *formats = out_run_formats(&n_formats);
    g_autofree gboolean *picked = g_new0(gboolean, n_formats);
    g_autofree GOptionEntry *format_flags = g_new0(GOptionEntry, n_formats); /* zeroed: the end entry */
    for (guint i = 1; i < n_formats; i++)
        format_flags[i - 1] = (GOptionEntry){ formats[i].name, 0, 0, G_OPTION_ARG_NONE, &picked[i], formats[i].help, NULL };
    const GOptionEntry entries[] = {
        { "stats", 0, 0, G_OPTION_ARG_NONE, &stats,
          "Also report events, messages, routes stored, interned sets, peak memory (stderr, or \"stats\" in --json)", NULL },
        { "node", 0, 0, G_OPTION_ARG_STRING, &node,
          "Only this node (sdwan, ars/0) or VNet; a Route Server's, gateway's or circuit's name (ars, ergw, msee/SITE) "
          "shows each of its instances", "NAME" },
        { "vnet", 0, 0, G_OPTION_ARG_STRING, &vnet,
          "Only this VNet's (or VNET/SUBNET's) effective routes, in full (JSON: expanded)", "NAME" },
        cli_flag(&c, CLI_PREFIX, "Only the routes for exactly this prefix, in every node and VNet (JSON: expanded)", NULL),
        { "all", 0, 0, G_OPTION_ARG_NONE, &all,
          "Everything in full whatever the size (text: no summary; JSON: every VNet's routes expanded)", NULL },
        { "grouped", 0, 0, G_OPTION_ARG_NONE, &grouped,
          "JSON: routes grouped by prefix set (format version 3) whatever the size; the default past 1,000,000 route lines",
          NULL },
        { "full", 0, 0, G_OPTION_ARG_NONE, &full, "JSON: every route on a line of its own (version 2) whatever the size", NULL },
        cli_flag(&c, CLI_SET, NULL, NULL),
        { "learned-routes", 0, 0, G_OPTION_ARG_STRING, &learned,
          "Routes the Route Server learned from this NVA, as 'az network routeserver peering list-learned-routes'", "NVA" },
        { "advertised-routes", 0, 0, G_OPTION_ARG_STRING, &advertised,
          "Routes the Route Server advertises to this NVA (list-advertised-routes)", "NVA" },
        cli_flag(&c, CLI_OUTPUT, NULL, NULL),
        { "timeline", 0, 0, G_OPTION_ARG_NONE, &timeline,
          "Print the story instead of the tables: each event, what it set off, when routing settled, what VMs saw", NULL },
        cli_flag(&c, CLI_UNTIL, NULL, NULL),
        cli_flag(&c, CLI_SEED, NULL, NULL),
        { "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace, "Write every message and timer to FILE, one JSON object a line", "FILE.jsonl" },
        { "trace-max-mib", 0, 0, G_OPTION_ARG_INT64, &trace_max_mib,
          "Cap of the --trace file (default 1024 MiB): past it the run ends with exit 2 and no trace", "N" },
        { "chart", 0, 0, G_OPTION_ARG_FILENAME, &chart, "Draw routes per node over time (SVG)", "FILE.svg" },
        cli_flag(&c, CLI_MAX_EVENTS, "Stop after N engine events (default 50,000,000; exit 3)", NULL),
        { "mrt-out", 0, 0, G_OPTION_ARG_FILENAME, &mrt_out,
          "Also write each node's Loc-RIB (or --node's) as MRT TABLE_DUMP_V2: DIR/NODE.mrt, readable by bgpdump", "DIR" },
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, format_flags, entries, &argc, &argv, &status))
        return status;
    const char *format = NULL;
    for (guint i = 1; i < n_formats; i++) {
        if (picked[i] && format) {
            g_autofree char *msg = g_strdup_printf("--%s and --%s exclude each other", format, formats[i].name);
            return cli_usage_error(cmd->name, msg);
        }
        if (picked[i])
            format = formats[i].name;
    }
    if (learned && advertised)
        return cli_usage_error(cmd->name, "--learned-routes and --advertised-routes exclude each other");
    if (grouped && (full || all))
        return cli_usage_error(cmd->name, full ? "--grouped and --full exclude each other" : "--grouped and --all exclude each other");
    if (c.max_events < 0)
        return cli_usage_error(cmd->name, "--max-events takes a positive number");
    if (trace_max_mib < 1 || trace_max_mib > (G_GINT64_CONSTANT(1) << 40))
        return cli_usage_error(cmd->name, "--trace-max-mib takes a number of MiB from 1 to 2^40");
    const ArRunArgs a = {
        .file = argv[1],
        .sets = c.sets,
        .format = format,
        .node = node,
        .vnet = vnet,
        .prefix = c.prefix,
        .all = all,
        .grouped = grouped,
        .full = full,
        .learned = learned,
        .advertised = advertised,
        .output = c.output,
        .stats = stats,
        .timeline = timeline,
        .until = c.until,
        .seed = c.seed,
        .trace = trace,
        .trace_max_mib = (guint64)trace_max_mib,
        .chart = chart,
        .max_events = (guint64)c.max_events,
        .mrt_out = mrt_out,
    };
    return cmd_run(&a, stdout, stderr);
}

const CliCommand cli_cmd_run = {
    .name = "run",
    .params = "FILE - simulate a scenario until it converges",
    .description =
        "Prints, for every BGP speaker, every path it holds ('>' = best) with next hop, origin\n"
        "(Igp/EBgp/IBgp as Azure shows it), the peer it came from and the AS path (nearest AS first,\n"
        "hyphen-separated as Azure writes it); then each VNet's effective routes (what its VMs get).\n"
        "Past 20,000 lines of routes (Azure's maximum has millions) the text is a summary instead: per\n"
        "node its paths and best paths by peer and origin, each effective-route table that VNets share\n"
        "printed once with the VNets sharing it, and per VNet only its own routes; --node, --vnet,\n"
        "--prefix and --all show more. --json groups VNets the same way (\"tables\", each VNet naming its\n"
        "table; docs/output-format.md); --all expands every VNet. Past 1,000,000 route lines --json\n"
        "groups each node's routes by prefix set, each set written once (format version 3); --full\n"
        "lists every route instead, --grouped groups at any size.\n"
        "Generated nodes: Route Server, ExpressRoute gateway and active-active VPN gateway instances\n"
        "NAME/0 and NAME/1, a circuit's links msee/SITE/primary and msee/SITE/secondary. --node NAME\n"
        "names one of them, or the component (NAME, msee/SITE) for all its instances in run order.\n"
        "Scenarios with \"events\" (docs/scenario-format.md) run in simulated time: --timeline tells\n"
        "what each event set off and when routing settled, e.g.\n"
        "  arsim run scenarios/nva-silent-failure.json --timeline\n"
        "Exit status 3 when routing is still changing settings.maxTime after the last event.\n",
    .min_args = 1,
    .max_args = 1,
    .args_error = "expected exactly one scenario FILE",
    .args_missing = "expected a scenario FILE",
    .main = run_main,
};
