/* cmd_compare.c - `arsim compare A [B]`: two runs diffed (routes, effective routes, reachability), text or JSON. */
#include "cli_priv.h"
#include "arsim/compare.h"
#include "arsim/loader.h"
#include "arsim/output.h"

#include <string.h>

int cmd_compare(const ArCompareArgs *a, FILE *out, FILE *err)
{
    if (a->diagram && !graph_format_for(a->diagram)) {
        fprintf(err, "arsim compare: cannot tell the format of \"%s\"; end it in .svg, .png, .pdf or .dot\n", a->diagram);
        return EXIT_BAD_INPUT;
    }
    const ArFileArg in[] = { { "scenario", a->file_a }, { "scenario", a->file_b } };
    const ArFileArg outs[] = { { "-o", a->output }, { "--diagram", a->diagram } };
    if (cli_check_files("compare", in, G_N_ELEMENTS(in), outs, G_N_ELEMENTS(outs), err))
        return EXIT_BAD_INPUT;
    /* Before: A as written (the --set list applies to the after side only). */
    g_autoptr(ArScenario) sa = cli_load(a->file_a, NULL, SCN_EST_COMPARE, err);
    if (!sa)
        return EXIT_BAD_INPUT;
    const char *file_after = a->file_b ? a->file_b : a->file_a;
    g_autoptr(ArScenario) sb = cli_load(file_after, a->sets, SCN_EST_COMPARE, err);
    if (!sb)
        return EXIT_BAD_INPUT;

    gboolean converged = TRUE;
    g_autoptr(ArRun) before = NULL;
    g_autoptr(ArRun) after = NULL;
    cli_run_pair(sa, a->file_a, sb, file_after, a->seed, &before, &after, &converged, err);
    g_autofree char *desc = cmp_describe(a->file_a, a->file_b, a->sets);
    g_autoptr(ArCompare) c = cmp_runs(before, after, desc);
    if (a->diagram) {
        /* The "after" network, with what changed since "before" highlighted. */
        ArGraphOptions opt = { .before = before, .title = desc };
        int st = cli_write_diagram(after, &opt, a->diagram, NULL, a->file_a, err);
        if (st)
            return st;
    }

    /* Written as it is made: a JSON document one piece at a time, text one report. */
    ArOutStream *s = cli_open_output(a->output, out, err);
    if (!s)
        return EXIT_BAD_INPUT;
    g_autoptr(GError) e = NULL;
    if (a->json) {
        ArJsonOut *w = out_json_stream(s);
        out_json_begin(w, NULL, FALSE);
        out_compare_json_write(c, a->full, w);
        out_json_end(w);
        out_json_free(w);
    } else {
        g_autoptr(GString) text = g_string_new(NULL);
        out_compare_text(c, text);
        out_stream_drain(s, text);
    }
    if (!out_stream_close(s, &e)) {
        fprintf(err, "arsim: %s\n", e->message);
        return EXIT_BAD_INPUT;
    }
    if (!converged)
        return EXIT_NO_CONVERGE;
    return cmp_differs(c) ? EXIT_DIFFERENT : EXIT_OK;
}

static int compare_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_autofree char *diagram = NULL;
    gboolean full = FALSE;
    const GOptionEntry entries[] = {
        cli_flag(&c, CLI_SET, "Change applied to the 'after' side (dot path, arrays by name). Repeatable.", NULL),
        cli_flag(&c, CLI_JSON, "One JSON document: both runs' heads, what is unchanged, diff, reachability", NULL),
        { "full", 0, 0, G_OPTION_ARG_NONE, &full, "With --json: both whole run documents, every VNet's differences", NULL },
        { "diagram", 0, 0, G_OPTION_ARG_FILENAME, &diagram, "Draw the difference (.svg, .png, .pdf, .dot)", "OUT" },
        cli_flag(&c, CLI_OUTPUT, "Write the report to FILE (atomically)", NULL),
        cli_flag(&c, CLI_SEED, "Seed of the message-delay jitter (settings.jitter), both runs", NULL),
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    if (argc == 2 && !c.sets)
        return cli_usage_error(cmd->name, "with one scenario, give at least one --set PATH=VALUE to compare against");
    const ArCompareArgs a = {
        .file_a = argv[1],
        .file_b = argc == 3 ? argv[2] : NULL,
        .sets = c.sets,
        .json = c.json,
        .full = full,
        .diagram = diagram,
        .output = c.output,
        .seed = c.seed,
    };
    return cmd_compare(&a, stdout, stderr);
}

const CliCommand cli_cmd_compare = {
    .name = "compare",
    .params = "A.json [B.json] - what changes between two configurations",
    .description =
        "Compares A with A plus --set changes, or A with B: routes gained, lost and changed per node,\n"
        "effective routes per VNet, and who can reach whom (a data-plane walk, both directions).\n"
        "Example: arsim compare scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
        "Exit status as diff(1): 0 no difference, 1 differences, 2 error.\n",
    .min_args = 1,
    .max_args = 2,
    .args_error = "expected A.json [B.json]",
    .main = compare_main,
};
