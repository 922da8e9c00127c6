/* cmd_graph.c - `arsim graph FILE -o OUT`: the topology and the results drawn by Graphviz (or one prefix's propagation). */
#include "cli_priv.h"
#include "arsim/graph.h"

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
    g_autoptr(ArScenario) scn = cli_load(a->file, a->sets, SCN_EST_GRAPH, err);
    if (!scn)
        return EXIT_BAD_INPUT;
    ArSimConfig cfg = { .seed = (uint32_t)a->seed };
    g_autoptr(ArRun) run = run_scenario(scn, &cfg);
    ArGraphOptions opt = { .prefix = a->prefix ? &p : NULL };
    int st = cli_write_diagram(run, &opt, a->output, a->format, a->file, err);
    if (st)
        return st;
    fprintf(out, "%s: diagram of %s%s%s\n", a->output, a->file, a->prefix ? " for " : "", a->prefix ? a->prefix : "");
    return run->end == RUN_CONVERGED ? EXIT_OK : EXIT_NO_CONVERGE;
}

static int graph_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_autofree char *format = NULL;
    const GOptionEntry entries[] = {
        cli_flag(&c, CLI_OUTPUT, "Write the diagram to OUT (required)", "OUT"),
        { "format", 0, 0, G_OPTION_ARG_STRING, &format, "svg, png, pdf or dot (default: from OUT's extension)", "FMT" },
        cli_flag(&c, CLI_PREFIX, "Draw how this prefix propagates, and where and why it stops", NULL),
        cli_flag(&c, CLI_SET, NULL, NULL),
        cli_flag(&c, CLI_SEED, NULL, NULL),
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    if (!c.output)
        return cli_usage_error(cmd->name, "-o OUT is required");
    const ArGraphArgs a = { .file = argv[1], .sets = c.sets, .output = c.output, .format = format, .prefix = c.prefix,
                            .seed = c.seed };
    return cmd_graph(&a, stdout, stderr);
}

const CliCommand cli_cmd_graph = {
    .name = "graph",
    .params = "FILE -o OUT - draw the topology with the simulation's results",
    .description =
        "Each VNet is a cluster (the hub holds the Route Server instances, gateways and NVAs), sites and\n"
        "ExpressRoute circuits sit outside Azure, every BGP session is an edge labelled eBGP/iBGP with the\n"
        "routes sent each way (dashed red when down). Laid out and rendered by Graphviz in process.\n"
        "Example: arsim graph scenarios/seed-er-sdwan.json --prefix 10.200.0.0/16 -o why.svg\n",
    .min_args = 1,
    .max_args = 1,
    .args_error = "expected exactly one scenario FILE",
    .main = graph_main,
};
