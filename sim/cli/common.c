/* common.c - what several commands do alike: load a scenario, check the files, run, draw. */
#include "cli_priv.h"
#include "arsim/loader.h"
#include "arsim/output.h"

#include <glib/gstdio.h>
#include <limits.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

/* Whether cli_process_setup ran (the heap is this process's alone, never trimmed), the
 * environment leaves huge pages on (ARSIM_HUGE_PAGES is not "0") and the kernel overcommits. */
static bool heap_huge;

/* Whether the kernel counts every reserved byte against a fixed limit (vm.overcommit_memory 2):
 * there, a reservation larger than the run's real need would take memory other processes may
 * ask for, so none is made. */
static bool strict_overcommit(void)
{
    g_autofree char *mode = NULL;
    return g_file_get_contents("/proc/sys/vm/overcommit_memory", &mode, NULL, NULL) && mode[0] == '2';
}

void cli_process_setup(void)
{
#ifdef __GLIBC__
    /* Every block from the heap (a block of its own mapping goes back at its free), and the heap
     * never trimmed (-1: never, as mallopt(3) documents). A block a thread's arena cannot hold
     * still gets a mapping: glibc falls back to mmap whatever M_MMAP_MAX says. */
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, -1);
    heap_huge = g_strcmp0(g_getenv("ARSIM_HUGE_PAGES"), "0") != 0 && !strict_overcommit();
#endif
}

void cli_heap_reserve(size_t bytes)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && !defined(__SANITIZE_ADDRESS__)
    const uintptr_t huge = (uintptr_t)2 << 20; /* the x86-64 and arm64 (4 KiB granule) huge page */
    if (!heap_huge || bytes < huge)
        return;
    /* A block of `bytes`, freed at once: the heap grows as needed to hold it (usually at its
     * end), and it is then free (never trimmed) for the next allocations to be carved from. */
    void *block = malloc(bytes);
    uintptr_t p = (uintptr_t)block, end = (uintptr_t)sbrk(0);
    bool in_heap = block && end != UINTPTR_MAX && p <= end && end - p >= bytes;
    free(block);
    if (!in_heap)
        return; /* not from the heap (a mapping of its own, another allocator) */
    /* The block's whole range, some of it perhaps free at the heap's end before: advice that
     * covers pages already in use changes nothing for them. */
    uintptr_t from = (p + huge - 1) & ~(huge - 1), to = (p + bytes) & ~(huge - 1);
    if (to > from)
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE); /* advice: a refusal changes nothing */
#else
    (void)bytes;
#endif
}

ArScenario *cli_load_keep(const char *file, char **sets, ScnEstimateFor what, ArDiagList *diags, FILE *err)
{
    ArLoadOptions opts = { .sets = (const char *const *)sets, .estimate_for = what };
    GStatBuf st;
    if (g_stat(file, &st) == 0 && st.st_size > 0)
        cli_heap_reserve((size_t)st.st_size * CLI_LOAD_HEAP_PER_BYTE);
    ArScenario *scn = load_file(file, &opts, diags);
    if (scn)
        cli_heap_reserve((size_t)scn_estimate_bytes(scn, what));
    diag_print(diags, err);
    if (!scn && diags->errors == 0)
        fprintf(err, "%s: could not be loaded\n", file);
    return scn;
}

ArScenario *cli_load(const char *file, char **sets, ScnEstimateFor what, FILE *err)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    return cli_load_keep(file, sets, what, diags, err);
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

ArOutStream *cli_open_output(const char *output, FILE *out, FILE *err)
{
    if (!output)
        return out_stream_stdio(out, "standard output");
    g_autoptr(GError) e = NULL;
    ArOutStream *s = out_stream_open(output, &e);
    if (!s)
        fprintf(err, "arsim: %s\n", e->message);
    return s;
}

/* Says why run stopped with routing still changing, if it did, and clears *converged. */
static void cli_run_check(const ArRun *run, const char *file, gboolean *converged, FILE *err)
{
    g_autofree char *stop = cli_stop_reason(run, file);
    if (stop) {
        fprintf(err, "arsim: %s\n", stop);
        *converged = FALSE;
    }
}

ArRun *cli_run(const ArScenario *scn, const char *file, int seed, gboolean *converged, FILE *err)
{
    ArSimConfig cfg = { .seed = (uint32_t)seed };
    ArRun *run = run_scenario(scn, &cfg);
    cli_run_check(run, file, converged, err);
    return run;
}

void cli_run_pair(const ArScenario *sa, const char *file_a, const ArScenario *sb, const char *file_b, int seed, ArRun **a,
                  ArRun **b, gboolean *converged, FILE *err)
{
    const ArScenario *scns[2] = { sa, sb };
    ArRun *runs[2];
    ArSimConfig cfg = { .seed = (uint32_t)seed };
    run_scenarios(scns, 2, &cfg, runs);
    *a = runs[0];
    *b = runs[1];
    cli_run_check(*a, file_a, converged, err);
    cli_run_check(*b, file_b, converged, err);
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
