/* cmd_compare.c - `arsim compare` (two runs diffed) and `arsim trace` (one packet walked). */
#include "cli_priv.h"
#include "arsim/compare.h"
#include "arsim/loader.h"
#include "arsim/output.h"
#include "arsim/reach.h"

#include <string.h>

/* Runs a scenario; warns on err when it did not converge. */
static ArRun *cmp_run(const ArScenario *scn, const char *file, gboolean *converged, FILE *err)
{
    ArRun *run = run_scenario(scn, NULL);
    g_autofree char *stop = cli_stop_reason(run, file);
    if (stop) {
        fprintf(err, "arsim: %s\n", stop);
        *converged = FALSE;
    }
    return run;
}

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
    g_autoptr(ArScenario) sa = cli_load(a->file_a, NULL, err);
    if (!sa)
        return EXIT_BAD_INPUT;
    const char *file_after = a->file_b ? a->file_b : a->file_a;
    g_autoptr(ArScenario) sb = cli_load(file_after, a->sets, err);
    if (!sb)
        return EXIT_BAD_INPUT;

    gboolean converged = TRUE;
    g_autoptr(ArRun) before = cmp_run(sa, a->file_a, &converged, err);
    g_autoptr(ArRun) after = cmp_run(sb, file_after, &converged, err);
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
    ArOutStream *s;
    g_autoptr(GError) e = NULL;
    if (a->output) {
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
        out_compare_json_write(c, w);
        out_json_end(w);
        out_json_free(w);
    } else {
        g_autoptr(GString) text = g_string_new(NULL);
        cmp_report_text(c, text);
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

int cmd_trace(const ArTraceArgs *a, FILE *out, FILE *err)
{
    g_autoptr(ArScenario) scn = cli_load(a->file, a->sets, err);
    if (!scn)
        return EXIT_BAD_INPUT;
    gboolean converged = TRUE;
    g_autoptr(ArRun) run = cmp_run(scn, a->file, &converged, err);
    g_autoptr(ArReach) r = reach_new(run);

    ArReachNode start;
    if (!reach_find_start(r, a->from, &start)) {
        g_autofree char *names = reach_start_names(r);
        fprintf(err, "arsim trace: --from %s: no site or VNet of that name; valid: %s\n", a->from, names);
        return EXIT_BAD_INPUT;
    }
    uint32_t dst;
    if (!ip_parse(a->to, &dst) && !reach_name_addr(r, a->to, &dst)) {
        g_autofree char *names = reach_start_names(r);
        fprintf(err, "arsim trace: --to %s: neither an IPv4 address (a.b.c.d) nor a site or VNet with an address "
                     "prefix; names: %s\n", a->to, names);
        return EXIT_BAD_INPUT;
    }
    g_autoptr(ArTrace) t = reach_trace(r, start, dst);
    if (a->json) {
        cJSON *doc = reach_trace_json(t);
        g_autofree char *text = out_json_print(doc);
        cJSON_Delete(doc);
        if (!text) {
            fprintf(err, "arsim trace: standard output: the JSON document could not be formatted (out of memory)\n");
            return EXIT_BAD_INPUT;
        }
        fputs(text, out);
    } else {
        GString *s = g_string_new(NULL);
        reach_trace_text(t, s);
        fputs(s->str, out);
        g_string_free(s, TRUE);
    }
    return reach_trace_delivered(t, NULL) ? EXIT_OK : EXIT_DIFFERENT;
}
