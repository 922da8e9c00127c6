/* cmd_report.c - `arsim report`: load, run (and compare), write one self-contained HTML page. */
#include "cli_priv.h"
#include "arsim/compare.h"
#include "arsim/loader.h"
#include "arsim/output.h"
#include "arsim/report.h"

#include <string.h>

/* FALSE (with a message on err) when run stopped with routing still changing. */
static gboolean report_check_converged(const ArRun *run, const char *file, FILE *err)
{
    g_autofree char *stop = cli_stop_reason(run, file);
    if (stop)
        fprintf(err, "arsim report: %s\n", stop);
    return stop == NULL;
}

/* The "after" run of a comparison, run beside the first one. */
typedef struct AfterJob {
    const ArScenario *scn;     /* the after scenario */
    const ArSimConfig *cfg;    /* the same configuration as the first run */
    ArRun *run;                /* the result */
} AfterJob;

static gpointer after_job(gpointer p)
{
    AfterJob *j = p;
    j->run = run_scenario(j->scn, j->cfg);
    return NULL;
}

int cmd_report(const ArReportArgs *a, FILE *out, FILE *err)
{
    if (!a->file || !a->output) {
        fprintf(err, "arsim report: a scenario FILE and -o report.html are required\n");
        return EXIT_BAD_INPUT;
    }
    if (a->compare_file && a->compare_sets) {
        fprintf(err, "arsim report: --compare and --compare-set exclude each other\n");
        return EXIT_BAD_INPUT;
    }
    const ArFileArg inputs[] = { { "scenario", a->file }, { "--compare", a->compare_file } };
    const ArFileArg outs[] = { { "-o", a->output } };
    if (cli_check_files("report", inputs, G_N_ELEMENTS(inputs), outs, 1, err))
        return EXIT_BAD_INPUT;

    gboolean comparing = a->compare_file || (a->compare_sets && a->compare_sets[0]);
    ScnEstimateFor what = comparing ? SCN_EST_REPORT_COMPARE : SCN_EST_REPORT;
    g_autoptr(ArDiagList) diags = diag_list_new();
    g_autoptr(ArScenario) scn = cli_load_keep(a->file, a->sets, what, diags, err);
    if (!scn)
        return EXIT_BAD_INPUT;

    /* The "after" side: another file as written, or this file with --set then --compare-set. */
    g_autoptr(ArDiagList) diags_after = diag_list_new();
    g_autoptr(ArScenario) scn_after = NULL;
    if (a->compare_file) {
        scn_after = cli_load_keep(a->compare_file, NULL, what, diags_after, err);
    } else if (a->compare_sets && a->compare_sets[0]) {
        g_autoptr(GPtrArray) sets = g_ptr_array_new();
        for (char **s = a->sets; s && *s; s++)
            g_ptr_array_add(sets, *s);
        for (char **s = a->compare_sets; *s; s++)
            g_ptr_array_add(sets, *s);
        g_ptr_array_add(sets, NULL);
        scn_after = cli_load_keep(a->file, (char **)sets->pdata, what, diags_after, err);
    }
    if (comparing && !scn_after)
        return EXIT_BAD_INPUT;

    ArChart *chart = out_chart_new();
    ArSimConfig cfg = { .seed = (uint32_t)a->seed };
    /* With a comparison, the after run goes on its own thread when there is a core for it, as
     * compare's two runs do (run_scenarios): the first run is kept for the comparison anyway, so
     * running both at once adds little to the peak, and on 2 cores the wall time is one run's. */
    AfterJob job = { scn_after, &cfg, NULL };
    GThread *thread = scn_after && g_get_num_processors() > 1 ? g_thread_new("arsim-run", after_job, &job) : NULL;
    g_autoptr(ArRun) run = run_scenario_traced(scn, &cfg, out_chart_record, chart);
    if (thread)
        g_thread_join(thread);
    gboolean converged = report_check_converged(run, a->file, err);
    g_autoptr(ArRun) run_after = job.run;
    g_autoptr(ArCompare) cmp = NULL;
    if (scn_after) {
        if (!run_after)
            run_after = run_scenario(scn_after, &cfg);
        converged = report_check_converged(run_after, a->compare_file ? a->compare_file : a->file, err) && converged;
        g_autofree char *desc = cmp_describe(a->file, a->compare_file, a->compare_file ? NULL : a->compare_sets);
        cmp = cmp_runs(run, run_after, desc);
    }

    /* --sweep: every single failure of the same scenario, worst first. */
    g_autoptr(ArSweep) sweep = NULL;
    g_autoptr(GPtrArray) sweep_results = NULL;
    if (a->sweep) {
        g_autoptr(GError) e = NULL;
        ArSweepOptions opt = { .depth = 1, .cfg = cfg };
        if (!(sweep = sweep_new(scn, &opt, &e))) {
            fprintf(err, "arsim report: --sweep: %s: %s\n", a->file, e->message);
            out_chart_free(chart);
            return g_error_matches(e, SWEEP_ERROR, SWEEP_ERROR_NOT_CONVERGED) ? EXIT_NO_CONVERGE : EXIT_BAD_INPUT;
        }
        fprintf(err, "arsim report: sweeping %u failures\n", sweep_case_count(sweep));
        sweep_results = sweep_run(sweep, 0, 1, a->jobs > 0 ? (guint)a->jobs : g_get_num_processors(), NULL, NULL);
        sweep_sort(sweep_results);
    }

    ArReportInput in = {
        .sweep = sweep,
        .sweep_results = sweep_results,
        .run = run,
        .source = a->file,
        .sets = a->sets,
        .warnings = diags,
        .chart = chart,
        .compare = cmp,
        .compare_warnings = scn_after ? diags_after : NULL,
    };
    GString *page = g_string_new(NULL);
    report_html(&in, page);
    out_chart_free(chart);

    g_autoptr(GError) e = NULL;
    gboolean ok = out_write_file(a->output, page->str, page->len, a->file, &e);
    if (ok)
        fprintf(out, "%s: %" G_GSIZE_FORMAT " bytes\n", a->output, page->len);
    else
        fprintf(err, "arsim report: %s\n", e->message);
    g_string_free(page, TRUE);
    if (!ok)
        return EXIT_BAD_INPUT;
    return converged ? EXIT_OK : EXIT_NO_CONVERGE;
}

static int report_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_auto(GStrv) compare_sets = NULL;
    g_autofree char *compare = NULL;
    gboolean sweep = FALSE;
    const GOptionEntry entries[] = {
        cli_flag(&c, CLI_OUTPUT, "Write the page to FILE (required)", "report.html"),
        cli_flag(&c, CLI_SET, NULL, NULL),
        { "compare", 0, 0, G_OPTION_ARG_FILENAME, &compare, "Also show what changes in scenario B", "B.json" },
        { "compare-set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &compare_sets,
          "Also show what changes with this setting (repeatable)", "PATH=VALUE" },
        { "sweep", 0, 0, G_OPTION_ARG_NONE, &sweep, "Also show every single failure, worst first (as arsim sweep)", NULL },
        cli_flag(&c, CLI_JOBS, "Threads for --sweep (default: one per core)", NULL),
        cli_flag(&c, CLI_SEED, NULL, NULL),
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    if (!c.output)
        return cli_usage_error(cmd->name, "-o report.html is required");
    if (compare && compare_sets)
        return cli_usage_error(cmd->name, "--compare and --compare-set exclude each other");
    const ArReportArgs a = {
        .file = argv[1],
        .sets = c.sets,
        .compare_file = compare,
        .compare_sets = compare_sets,
        .output = c.output,
        .sweep = sweep,
        .jobs = MAX(c.jobs, 0),
        .seed = c.seed,
    };
    return cmd_report(&a, stdout, stderr);
}

const CliCommand cli_cmd_report = {
    .name = "report",
    .params = "FILE -o report.html - one page to share in a change review",
    .description =
        "A single self-contained HTML file (inline CSS and SVG, no network): the scenario, the diagram,\n"
        "every routing table and effective route (filterable), the reachability grid, and with --compare\n"
        "or --compare-set the before/after difference; with events, the timeline.\n"
        "Example: arsim report scenarios/seed-er-sdwan.json --compare-set routeServers.ars.allowBranchToBranchTraffic=true -o r.html\n",
    .min_args = 1,
    .max_args = 1,
    .args_error = "expected exactly one scenario FILE",
    .main = report_main,
};
