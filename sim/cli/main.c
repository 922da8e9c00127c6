/* main.c - the arsim executable: parses the command line and calls the library's commands. */
#include "arsim/cli.h"
#include "arsim/output.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static const char *const overview =
    "arsim simulates BGP route propagation through Azure Route Server, offline, in milliseconds.\n"
    "\n"
    "Usage: arsim COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Commands:\n"
    "  run FILE         simulate a scenario; print every router's routes and every VNet's\n"
    "                   effective routes (--json for scripts)\n"
    "  compare A [B]    what changes between A and B, or A and A with --set changes: routes\n"
    "                   gained and lost, effective routes, who can reach whom (exit 1 if different)\n"
    "  graph FILE -o OUT  draw the topology and the results (svg, png, pdf, dot); --prefix P\n"
    "                   shows how one prefix propagates and why it stops\n"
    "  trace FILE       follow a packet --from a site, VNet or VNET/SUBNET --to an address, hop by hop\n"
    "  report FILE -o report.html  one self-contained HTML page: diagram, tables, reachability,\n"
    "                   comparison (--compare B.json or --compare-set PATH=VALUE), timeline\n"
    "  sweep FILE       every single (or double) failure: which one cuts a site off, for how long\n"
    "                   (--kinds, --depth 2, --jobs N; mpirun -n 8 arsim sweep FILE with MPI)\n"
    "  generate         write a scenario of a given size (spokes, NVAs, prefixes...)\n"
    "  validate FILE...  check scenario files; every problem as FILE:LINE:COL: /json/pointer: message\n"
    "  version          print arsim's version and the GLib, cJSON and Graphviz versions it runs with\n"
    "  import DIR -o FILE  a scenario from what 'az network ... list -o json' and 'az group export' print\n"
    "  check FILE KIND:NAME=OBSERVED...  the simulation against routes saved from Azure (exit 1 if different)\n"
    "  help [COMMAND]   this text, or a command's options\n"
    "\n"
    "Examples:\n"
    "  arsim run scenarios/seed-er-sdwan.json\n"
    "  arsim run scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
    "  arsim run scenarios/seed-er-sdwan.json --node sdwan --json\n"
    "  arsim run scenarios/seed-er-sdwan.json --learned-routes sdwan\n"
    "  arsim compare scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
    "  arsim trace scenarios/seed-er-sdwan.json --from onprem1 --to 10.200.0.4\n"
    "  arsim run scenarios/nva-silent-failure.json --timeline\n"
    "  arsim graph scenarios/seed-er-sdwan.json --prefix 10.200.0.0/16 -o why.svg\n"
    "  arsim report scenarios/seed-er-sdwan.json --compare-set routeServers.ars.allowBranchToBranchTraffic=true -o r.html\n"
    "  arsim sweep scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
    "  arsim validate scenarios/*.json\n"
    "\n"
    "Exit status: 0 success, 1 differences found (compare) or not delivered (trace), 2 bad input\n"
    "or arguments, 3 routing did not settle.\n"
    "The scenario format is described in docs/scenario-format.md, the JSON outputs in\n"
    "docs/output-format.md, the Azure rules modelled in docs/azure-rules.md.\n";

static const char *const set_help =
    "Override a scenario value before validation: dot path, array elements by name or index "
    "(e.g. routeServers.ars.allowBranchToBranchTraffic=true). Repeatable.";

static int usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "arsim%s%s: %s\nTry 'arsim help%s%s'.\n", cmd ? " " : "", cmd ? cmd : "", msg, cmd ? " " : "",
            cmd ? cmd : "");
    return EXIT_BAD_INPUT;
}

/* Parses argv with the given entries; on failure prints the error and returns FALSE. --help is
 * printed here rather than by GOption, which exits at once with status 0: the help then goes
 * through stdout like any output, and main's check turns a failed write into status 2. */
static gboolean parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv, int *status)
{
    for (int i = 1; i < *argc && strcmp((*argv)[i], "--") != 0; i++) {
        const char *a = (*argv)[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "-?") == 0 || strcmp(a, "--help-all") == 0) {
            g_set_prgname((*argv)[0]); /* "run", as GOption's own help says */
            g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
            fputs(help, stdout);
            *status = EXIT_OK;
            return FALSE;
        }
    }
    g_autoptr(GError) e = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &e)) {
        *status = usage_error(cmd, e->message);
        return FALSE;
    }
    return TRUE;
}

static int main_run(int argc, char **argv)
{
    ArRunArgs a = { 0 };
    g_auto(GStrv) sets = NULL;
    g_autofree char *node = NULL, *learned = NULL, *advertised = NULL, *output = NULL, *vnet = NULL, *prefix = NULL;
    gboolean json = FALSE, stats = FALSE, timeline = FALSE, all = FALSE;
    g_autofree char *until = NULL, *trace = NULL, *chart = NULL, *mrt_out = NULL;
    int seed = 1;
    gint64 max_events = 0, trace_max_mib = OUT_TRACE_DEFAULT_MAX_MIB;
    GOptionEntry entries[] = {
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON document (with the timeline)", NULL },
        { "stats", 0, 0, G_OPTION_ARG_NONE, &stats,
          "Also report events, messages, routes stored, interned sets, peak memory (stderr, or \"stats\" in --json)", NULL },
        { "node", 0, 0, G_OPTION_ARG_STRING, &node, "Only this node (e.g. sdwan, ars/0, msee/onprem2) or VNet", "NAME" },
        { "vnet", 0, 0, G_OPTION_ARG_STRING, &vnet,
          "Only this VNet's (or VNET/SUBNET's) effective routes, in full (JSON: expanded)", "NAME" },
        { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix,
          "Only the routes for exactly this prefix, in every node and VNet (JSON: expanded)", "A.B.C.D/LEN" },
        { "all", 0, 0, G_OPTION_ARG_NONE, &all,
          "Everything in full whatever the size (text: no summary; JSON: every VNet's routes expanded)", NULL },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { "learned-routes", 0, 0, G_OPTION_ARG_STRING, &learned,
          "Routes the Route Server learned from this NVA, as 'az network routeserver peering list-learned-routes'", "NVA" },
        { "advertised-routes", 0, 0, G_OPTION_ARG_STRING, &advertised,
          "Routes the Route Server advertises to this NVA (list-advertised-routes)", "NVA" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (atomically) instead of stdout", "FILE" },
        { "timeline", 0, 0, G_OPTION_ARG_NONE, &timeline,
          "Print the story instead of the tables: each event, what it set off, when routing settled, what VMs saw", NULL },
        { "until", 0, 0, G_OPTION_ARG_STRING, &until, "Stop at simulated time T (e.g. 90s, 10m)", "T" },
        { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the message-delay jitter (settings.jitter)", "N" },
        { "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace, "Write every message and timer to FILE, one JSON object a line", "FILE.jsonl" },
        { "trace-max-mib", 0, 0, G_OPTION_ARG_INT64, &trace_max_mib,
          "Cap of the --trace file (default 1024 MiB): past it the run ends with exit 2 and no trace", "N" },
        { "chart", 0, 0, G_OPTION_ARG_FILENAME, &chart, "Draw routes per node over time (SVG)", "FILE.svg" },
        { "max-events", 0, 0, G_OPTION_ARG_INT64, &max_events, "Stop after N engine events (default 50,000,000; exit 3)", "N" },
        { "mrt-out", 0, 0, G_OPTION_ARG_FILENAME, &mrt_out,
          "Also write each node's Loc-RIB (or --node's) as MRT TABLE_DUMP_V2: DIR/NODE.mrt, readable by bgpdump", "DIR" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - simulate a scenario until it converges");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Prints, for every BGP speaker, every path it holds ('>' = best) with next hop, origin\n"
        "(Igp/EBgp/IBgp as Azure shows it), the peer it came from and the AS path (nearest AS first,\n"
        "hyphen-separated as Azure writes it); then each VNet's effective routes (what its VMs get).\n"
        "Past 20,000 lines of routes (Azure's maximum has millions) the text is a summary instead: per\n"
        "node its paths and best paths by peer and origin, each effective-route table that VNets share\n"
        "printed once with the VNets sharing it, and per VNet only its own routes; --node, --vnet,\n"
        "--prefix and --all show more. --json groups VNets the same way (\"tables\", each VNet naming its\n"
        "table; docs/output-format.md); --all expands every VNet.\n"
        "Generated nodes: Route Server instances NAME/0 and NAME/1, active-active VPN gateway\n"
        "instances NAME/0 and NAME/1, ExpressRoute circuits msee/SITE.\n"
        "Scenarios with \"events\" (docs/scenario-format.md) run in simulated time: --timeline tells\n"
        "what each event set off and when routing settled, e.g.\n"
        "  arsim run scenarios/nva-silent-failure.json --timeline\n"
        "Exit status 3 when routing is still changing settings.maxTime after the last event.\n");
    int status = EXIT_OK;
    if (!parse(ctx, "run", &argc, &argv, &status))
        return status;
    if (argc != 2)
        return usage_error("run", argc < 2 ? "expected a scenario FILE" : "expected exactly one scenario FILE");
    if (learned && advertised)
        return usage_error("run", "--learned-routes and --advertised-routes exclude each other");
    a.file = argv[1];
    a.sets = sets;
    a.json = json;
    a.node = node;
    a.vnet = vnet;
    a.prefix = prefix;
    a.all = all;
    a.learned = learned;
    a.advertised = advertised;
    a.output = output;
    a.stats = stats;
    a.timeline = timeline;
    a.until = until;
    a.seed = seed;
    a.trace = trace;
    a.chart = chart;
    a.mrt_out = mrt_out;
    if (max_events < 0)
        return usage_error("run", "--max-events takes a positive number");
    a.max_events = (guint64)max_events;
    if (trace_max_mib < 1 || trace_max_mib > (G_GINT64_CONSTANT(1) << 40))
        return usage_error("run", "--trace-max-mib takes a number of MiB from 1 to 2^40");
    a.trace_max_mib = (guint64)trace_max_mib;
    return cmd_run(&a, stdout, stderr);
}

static int main_validate(int argc, char **argv)
{
    g_auto(GStrv) sets = NULL;
    GOptionEntry entries[] = {
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE... - check scenario files");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Reports every error (exit 2) and warning (exit 0) as FILE:LINE:COL: /json/pointer: message,\n"
        "then one summary line per valid file.\n");
    int status = EXIT_OK;
    if (!parse(ctx, "validate", &argc, &argv, &status))
        return status;
    if (argc < 2)
        return usage_error("validate", "expected at least one scenario FILE");
    return cmd_validate(argv + 1, sets, stdout, stderr);
}

static int main_graph(int argc, char **argv)
{
    ArGraphArgs a = { 0 };
    g_auto(GStrv) sets = NULL;
    g_autofree char *output = NULL, *format = NULL, *prefix = NULL;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the diagram to OUT (required)", "OUT" },
        { "format", 0, 0, G_OPTION_ARG_STRING, &format, "svg, png, pdf or dot (default: from OUT's extension)", "FMT" },
        { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix,
          "Draw how this prefix propagates, and where and why it stops", "A.B.C.D/LEN" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE -o OUT - draw the topology with the simulation's results");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Each VNet is a cluster (the hub holds the Route Server instances, gateways and NVAs), sites and\n"
        "ExpressRoute circuits sit outside Azure, every BGP session is an edge labelled eBGP/iBGP with the\n"
        "routes sent each way (dashed red when down). Laid out and rendered by Graphviz in process.\n"
        "Example: arsim graph scenarios/seed-er-sdwan.json --prefix 10.200.0.0/16 -o why.svg\n");
    int status = EXIT_OK;
    if (!parse(ctx, "graph", &argc, &argv, &status))
        return status;
    if (argc != 2)
        return usage_error("graph", "expected exactly one scenario FILE");
    if (!output)
        return usage_error("graph", "-o OUT is required");
    a.file = argv[1];
    a.sets = sets;
    a.output = output;
    a.format = format;
    a.prefix = prefix;
    return cmd_graph(&a, stdout, stderr);
}

static int main_report(int argc, char **argv)
{
    ArReportArgs a = { 0 };
    g_auto(GStrv) sets = NULL, compare_sets = NULL;
    g_autofree char *compare = NULL, *output = NULL;
    gboolean sweep = FALSE;
    int jobs = 0;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the page to FILE (required)", "report.html" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { "compare", 0, 0, G_OPTION_ARG_FILENAME, &compare, "Also show what changes in scenario B", "B.json" },
        { "compare-set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &compare_sets,
          "Also show what changes with this setting (repeatable)", "PATH=VALUE" },
        { "sweep", 0, 0, G_OPTION_ARG_NONE, &sweep, "Also show every single failure, worst first (as arsim sweep)", NULL },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Threads for --sweep (default: one per core)", "N" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE -o report.html - one page to share in a change review");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "A single self-contained HTML file (inline CSS and SVG, no network): the scenario, the diagram,\n"
        "every routing table and effective route (filterable), the reachability grid, and with --compare\n"
        "or --compare-set the before/after difference; with events, the timeline.\n"
        "Example: arsim report scenarios/seed-er-sdwan.json --compare-set routeServers.ars.allowBranchToBranchTraffic=true -o r.html\n");
    int status = EXIT_OK;
    if (!parse(ctx, "report", &argc, &argv, &status))
        return status;
    if (argc != 2)
        return usage_error("report", "expected exactly one scenario FILE");
    if (!output)
        return usage_error("report", "-o report.html is required");
    if (compare && compare_sets)
        return usage_error("report", "--compare and --compare-set exclude each other");
    a.file = argv[1];
    a.sets = sets;
    a.compare_file = compare;
    a.compare_sets = compare_sets;
    a.output = output;
    a.sweep = sweep;
    a.jobs = MAX(jobs, 0);
    return cmd_report(&a, stdout, stderr);
}

static int main_compare(int argc, char **argv)
{
    ArCompareArgs a = { 0 };
    g_auto(GStrv) sets = NULL;
    g_autofree char *diagram = NULL, *output = NULL;
    gboolean json = FALSE;
    GOptionEntry entries[] = {
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Change applied to the 'after' side (dot path, arrays by name). Repeatable.", "PATH=VALUE" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON document: before, after, diff, reachability", NULL },
        { "diagram", 0, 0, G_OPTION_ARG_FILENAME, &diagram, "Draw the difference (.svg, .png, .pdf, .dot)", "OUT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the report to FILE (atomically)", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("A.json [B.json] - what changes between two configurations");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Compares A with A plus --set changes, or A with B: routes gained, lost and changed per node,\n"
        "effective routes per VNet, and who can reach whom (a data-plane walk, both directions).\n"
        "Example: arsim compare scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
        "Exit status as diff(1): 0 no difference, 1 differences, 2 error.\n");
    int status = EXIT_OK;
    if (!parse(ctx, "compare", &argc, &argv, &status))
        return status;
    if (argc < 2 || argc > 3)
        return usage_error("compare", "expected A.json [B.json]");
    if (argc == 2 && !sets)
        return usage_error("compare", "with one scenario, give at least one --set PATH=VALUE to compare against");
    a.file_a = argv[1];
    a.file_b = argc == 3 ? argv[2] : NULL;
    a.sets = sets;
    a.json = json;
    a.diagram = diagram;
    a.output = output;
    return cmd_compare(&a, stdout, stderr);
}

static int main_trace(int argc, char **argv)
{
    ArTraceArgs a = { 0 };
    g_auto(GStrv) sets = NULL;
    g_autofree char *from = NULL, *to = NULL;
    gboolean json = FALSE;
    GOptionEntry entries[] = {
        { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Where the packet starts: a site, a VNet or a subnet with a route table",
          "SITE|VNET|VNET/SUBNET" },
        { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Destination address, or a site/VNet (its first address)", "ADDRESS" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the hops as JSON", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE --from SITE|VNET --to ADDRESS - follow a packet hop by hop");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Walks the converged forwarding tables by longest-prefix match and prints each hop with the\n"
        "route it matched, then the verdict: delivered, no route at X, or loop through X-Y-X.\n"
        "Exit status: 0 delivered, 1 not delivered, 2 error.\n");
    int status = EXIT_OK;
    if (!parse(ctx, "trace", &argc, &argv, &status))
        return status;
    if (argc != 2)
        return usage_error("trace", "expected exactly one scenario FILE");
    if (!from || !to)
        return usage_error("trace", "--from and --to are required");
    a.file = argv[1];
    a.sets = sets;
    a.from = from;
    a.to = to;
    a.json = json;
    return cmd_trace(&a, stdout, stderr);
}

static int main_generate(int argc, char **argv)
{
    ArGenerateArgs a = { 0 };
    gen_params_default(&a.params);
    gint seed = (gint)a.params.seed;
    g_autofree char *sku = NULL, *output = NULL;
    g_autofree GOptionEntry *sizes = gen_option_entries(&a.params, &sku, &seed);
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (atomically) instead of stdout", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- write a valid scenario of a given size");
    g_option_context_add_main_entries(ctx, sizes, NULL);
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Builds a hub with a Route Server, an ExpressRoute gateway (when --er-prefixes > 0) and a VPN\n"
        "gateway (when --vpn-sites > 0), spokes, NVAs with their sites. Same parameters, same file.\n"
        "Example (Azure's maximum): arsim generate --spokes 500 --nvas 8 --routes-per-nva 1000 \\\n"
        "  --er-prefixes 10000 --circuit-sku Premium --vpn-sites 4 --prefixes-per-site 100 --branch-to-branch -o b2.json\n");
    int status = EXIT_OK;
    if (!parse(ctx, "generate", &argc, &argv, &status))
        return status;
    if (argc != 1)
        return usage_error("generate", "takes no FILE argument; use -o FILE");
    a.params.seed = (uint32_t)seed;
    a.circuit_sku = sku;
    a.output = output;
    return cmd_generate(&a, stdout, stderr);
}

static int main_version(int argc, char **argv)
{
    g_autoptr(GOptionContext) ctx = g_option_context_new("- print the versions of arsim and of the libraries it runs with");
    g_option_context_set_description(ctx,
        "Prints arsim's version, then the versions of GLib, cJSON and Graphviz linked at run time, one\n"
        "\"NAME VERSION\" line each. arsim --version prints the same.\n");
    int status = EXIT_OK;
    if (!parse(ctx, "version", &argc, &argv, &status))
        return status;
    if (argc != 1)
        return usage_error("version", "takes no argument");
    return cmd_version(stdout, stderr);
}

static int main_sweep(int argc, char **argv)
{
    ArSweepArgs a = { 0 };
    g_auto(GStrv) sets = NULL;
    g_autofree char *kinds = NULL, *mode = NULL, *output = NULL;
    gboolean json = FALSE;
    int depth = 1, jobs = 0;
    gint64 max_cases = 0, max_events = 0;
    GOptionEntry entries[] = {
        { "kinds", 0, 0, G_OPTION_ARG_STRING, &kinds,
          "Failures to try: nva, site, gateway, rs-instance, maintenance, route-server, session, connection, all "
          "(comma-separated; default all)", "LIST" },
        { "depth", 0, 0, G_OPTION_ARG_INT, &depth, "1: every single failure (default); 2: also every pair at once", "N" },
        { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
          "silent or graceful for every failure (default: silent nodes, graceful sessions and connections)", "MODE" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Cases run at once (default: one per core; one per rank under mpirun)", "N" },
        { "max-cases", 0, 0, G_OPTION_ARG_INT64, &max_cases, "Refuse a sweep of more cases (default 10,000)", "N" },
        { "max-events", 0, 0, G_OPTION_ARG_INT64, &max_events, "Stop a case after N engine events (default 50,000,000)", "N" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON document", NULL },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (atomically) instead of stdout", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - every failure, from the converged network, and its repair");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Converges the scenario once (its events ignored), then runs one simulation per case: the failure\n"
        "after convergence, the repair settings.maxTime later. For each case: the pairs of sites and VNets\n"
        "it cut until the repair, those it cut for a while and for how long (simulated seconds), the best\n"
        "routes each node lost, UPDATE messages, and when routing settled. Worst first.\n"
        "The number of cases goes to standard error before starting, and a progress line on a terminal.\n"
        "Output is the same bytes whatever --jobs; built with MPI (-Dmpi=enabled), mpirun splits the cases:\n"
        "  mpirun -n 8 arsim sweep FILE\n"
        "Example: arsim sweep scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n");
    int status = EXIT_OK;
    if (!parse(ctx, "sweep", &argc, &argv, &status))
        return status;
    if (argc != 2)
        return usage_error("sweep", "expected exactly one scenario FILE");
    if (depth != 1 && depth != 2)
        return usage_error("sweep", "--depth takes 1 or 2");
    if (jobs < 0 || max_cases < 0 || max_events < 0)
        return usage_error("sweep", "--jobs, --max-cases and --max-events take positive numbers");
    a.file = argv[1];
    a.sets = sets;
    a.kinds = kinds;
    a.depth = depth;
    a.mode = mode;
    a.json = json;
    a.output = output;
    a.jobs = jobs;
    a.max_cases = (guint64)max_cases;
    a.max_events = (guint64)max_events;
    return cmd_sweep(&a, stdout, stderr);
}

static int main_import(int argc, char **argv)
{
    ArImportArgs a = { 0 };
    g_autofree char *overlay = NULL, *output = NULL;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the scenario to FILE (atomically) instead of stdout", "FILE" },
        { "overlay", 0, 0, G_OPTION_ARG_FILENAME, &overlay,
          "What the exports cannot tell (prefixes behind a circuit, an NVA's routes), merged by name", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("DIR - a scenario from Azure's exports");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "DIR holds the outputs of 'az network vnet list', 'vnet peering list', 'routeserver list',\n"
        "'routeserver peering list', 'vnet-gateway list', 'vpn-connection list', 'local-gateway list',\n"
        "'express-route list', 'route-table list' (each with -o json, saved as NAME.json), or an\n"
        "'az group export' template. Each object skipped gets a warning saying why; the result is\n"
        "validated. See README.md, 'From your own subscription'.\n"
        "Example: arsim import tests/data/az/hub-spoke --overlay tests/data/az/hub-spoke-overlay.json -o x.json\n");
    int status = EXIT_OK;
    if (!parse(ctx, "import", &argc, &argv, &status))
        return status;
    if (argc != 2)
        return usage_error("import", "expected exactly one folder DIR of exported JSON files");
    a.dir = argv[1];
    a.overlay = overlay;
    a.output = output;
    return cmd_import(&a, stdout, stderr);
}

static int main_check(int argc, char **argv)
{
    ArCheckArgs a = { 0 };
    g_auto(GStrv) sets = NULL;
    gboolean export_sim = FALSE, json = FALSE;
    GOptionEntry entries[] = {
        { "export", 0, 0, G_OPTION_ARG_NONE, &export_sim,
          "Write the simulation's view to each FILE, in the shape az prints, instead of comparing", NULL },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the differences as a JSON array", NULL },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE KIND:NAME=OBSERVED... - the simulation against routes seen in Azure");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Each OBSERVED file is the -o json output of one az command, saved; KIND says which:\n"
        "  learned:NVA=F     az network routeserver peering list-learned-routes (the peering of NVA)\n"
        "  advertised:NVA=F  az network routeserver peering list-advertised-routes\n"
        "  nic:VNET/SUBNET=F az network nic show-effective-route-table (a NIC in that subnet)\n"
        "  gateway:GW=F      az network vnet-gateway list-learned-routes\n"
        "Prints each difference: prefix, where, and the simulated and observed next hop, AS path or\n"
        "origin (next hop type, addresses and source for a NIC), or a route seen on one side only.\n"
        "Example: arsim check x.json learned:sdwan=obs/sdwan-learned.json nic:spoke1/app=obs/vm1-nic.json\n"
        "Exit status: 0 no difference, 1 differences, 2 bad input.\n");
    int status = EXIT_OK;
    if (!parse(ctx, "check", &argc, &argv, &status))
        return status;
    if (argc < 3)
        return usage_error("check", "expected a scenario FILE and at least one KIND:NAME=OBSERVED file");
    a.file = argv[1];
    a.sets = sets;
    g_autoptr(GPtrArray) observed = g_ptr_array_new();
    for (int i = 2; i < argc; i++)
        g_ptr_array_add(observed, argv[i]);
    g_ptr_array_add(observed, NULL);
    a.observed = (char **)observed->pdata;
    a.export_sim = export_sim;
    a.json = json;
    return cmd_check(&a, stdout, stderr);
}

typedef struct Command {
    const char *name;
    int (*fn)(int argc, char **argv);
} Command;

static const Command commands[] = {
    { "run", main_run },
    { "validate", main_validate },
    { "graph", main_graph },
    { "compare", main_compare },
    { "trace", main_trace },
    { "generate", main_generate },
    { "report", main_report },
    { "version", main_version },
    { "sweep", main_sweep },
    { "import", main_import },
    { "check", main_check },
};

/* Picks the command; see main. */
static int dispatch(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        (strcmp(argv[1], "help") == 0 && argc == 2)) {
        fputs(overview, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        return argc == 2 ? cmd_version(stdout, stderr) : usage_error(NULL, "--version takes no argument");
    const char *name = strcmp(argv[1], "help") == 0 ? argv[2] : argv[1];
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        if (strcmp(name, commands[i].name) != 0)
            continue;
        if (name == argv[2]) {
            char *args[] = { argv[2], "--help", NULL };
            return commands[i].fn(2, args);
        }
        return commands[i].fn(argc - 1, argv + 1);
    }
    g_autofree char *msg = g_strdup_printf("unknown command \"%s\"; commands: run, graph, compare, trace, report, "
                                           "sweep, generate, validate, version, import, check, help", name);
    return usage_error(NULL, msg);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    int status = dispatch(argc, argv);
    /* Output that never arrived (a full disk, a closed pipe) is a failure, whatever the command
     * concluded: a script must not read a truncated table as the answer. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "arsim: cannot write to standard output: %s\n", g_strerror(errno));
        return EXIT_BAD_INPUT;
    }
    return status;
}
