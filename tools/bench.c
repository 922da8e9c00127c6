/* bench.c - B1-B3, B5: loads a scenario (a file, or one generated from size parameters) and runs it
 * to convergence N times; prints the median wall time, what the run did and what it cost. */
#include "arsim/cli.h"
#include "arsim/generate.h"
#include "arsim/loader.h"
#include "arsim/output.h"
#include "arsim/run.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What one benchmark row reports. */
typedef struct BenchRow {
    const char *label;       /* row name */
    int repeats;             /* timed runs; the medians below are over them */
    double wall;             /* load + run_scenario, seconds */
    double load;             /* load alone */
    double run;              /* run_scenario alone (build, simulate, effective routes) */
    double run_cpu;          /* CPU time of run_scenario (this process, user + system), seconds */
    double eff;              /* eff_compute alone, once more on the converged network */
    bool converged;          /* the last run converged */
    guint sessions_down;     /* sessions not Established at the end (limits, events) */
    ArRunStats st;           /* counters of the last run; peak RSS of that run (load + run_scenario) */
    char *checksum;          /* --checksum: SHA-256 (hex) of the engine's results, else NULL */
} BenchRow;

static int bench_dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), bench_dbl_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static double bench_now(void) { return (double)g_get_monotonic_time() / 1e6; }

/* CPU time this process has used, seconds: what a shared machine's load does not inflate as much
 * as wall time. */
static double bench_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resets the kernel's peak-RSS mark of this process (Linux: clear_refs 5), so that each run's
 * peak is its own. FALSE when the kernel does not allow it. */
static bool bench_reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return false;
    bool ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Peak RSS in KiB since the last reset (VmHWM), 0 when unknown. */
static uint64_t bench_peak_kib(void)
{
    g_autofree char *status = NULL;
    if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
        return 0;
    const char *p = strstr(status, "VmHWM:");
    return p ? g_ascii_strtoull(p + 6, NULL, 10) : 0;
}

/* Loads from text (generated) or from file, with opts (--set); prints diagnostics and exits on errors. */
static ArScenario *bench_load(const ArLoadOptions *opts, const char *file, const char *text, size_t len)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    GStatBuf st;
    if (text || g_stat(file, &st) == 0) /* the heap `arsim` prepares (cli_load) */
        cli_heap_reserve((text ? len : (size_t)st.st_size) * CLI_LOAD_HEAP_PER_BYTE);
    ArScenario *scn = text ? load_text("generated", text, len, opts, diags) : load_file(file, opts, diags);
    if (!scn) {
        diag_print(diags, stderr);
        fprintf(stderr, "bench: %s does not load\n", text ? "the generated scenario" : file);
        exit(2);
    }
    cli_heap_reserve((size_t)scn_estimate_bytes(scn, opts->estimate_for));
    return scn;
}

/* What one timed run measured, sent from its process to the parent. */
typedef struct BenchSample {
    double wall, load, run, cpu, eff; /* seconds, as BenchRow's */
    bool converged;                   /* the run converged */
    guint sessions_down;              /* as BenchRow's */
    ArRunStats st;                    /* its counters and peak RSS */
} BenchSample;

/* One timed load and run, in this process. */
static void bench_once(BenchSample *s, const ArLoadOptions *opts, const char *file, const char *text, size_t len)
{
    bool reset = bench_reset_peak();
    double t0 = bench_now();
    g_autoptr(ArScenario) scn = bench_load(opts, file, text, len);
    double t1 = bench_now(), c1 = bench_cpu();
    g_autoptr(ArRun) r = run_scenario(scn, NULL);
    double t2 = bench_now();
    s->cpu = bench_cpu() - c1;
    /* Counters and this run's peak memory first: the extra eff_compute below allocates. */
    out_stats_collect(r, &s->st);
    uint64_t peak = reset ? bench_peak_kib() : 0;
    if (peak)
        s->st.peak_rss_kib = peak;
    s->converged = r->end == RUN_CONVERGED;
    s->sessions_down = 0;
    for (guint k = 0; k < r->net->sim->sessions->len; k++) {
        const ArSession *ss = g_ptr_array_index(r->net->sim->sessions, k);
        s->sessions_down += ss->state != SESS_ESTABLISHED;
    }
    GPtrArray *tables = eff_compute(r->net);
    s->eff = bench_now() - t2;
    g_ptr_array_free(tables, TRUE);
    s->wall = t2 - t0;
    s->load = t1 - t0;
    s->run = t2 - t1;
}

/* One timed run in a process of its own, as `arsim run` has: a fresh heap (what earlier runs
 * freed would spare this one its page faults), the executable's settings (cli_process_setup),
 * and a peak RSS that is this run's alone. */
static void bench_once_forked(BenchSample *s, const ArLoadOptions *opts, const char *file, const char *text, size_t len)
{
    int fd[2];
    if (pipe(fd) != 0) {
        perror("bench: pipe");
        exit(2);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        exit(2);
    }
    if (pid == 0) {
        close(fd[0]);
        cli_process_setup();
        BenchSample c = { 0 };
        bench_once(&c, opts, file, text, len);
        _exit(write(fd[1], &c, sizeof c) == (ssize_t)sizeof c ? 0 : 2);
    }
    close(fd[1]);
    ssize_t got = read(fd[0], s, sizeof *s);
    close(fd[0]);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != (ssize_t)sizeof *s) {
        fprintf(stderr, "bench: a timed run failed (status %d)\n", status);
        exit(WIFEXITED(status) && WEXITSTATUS(status) ? WEXITSTATUS(status) : 2);
    }
}

static void bench_measure(BenchRow *row, const ArLoadOptions *opts, const char *file, const char *text, size_t len)
{
    int n = row->repeats;
    double *wall = g_new(double, (gsize)n), *load = g_new(double, (gsize)n), *run = g_new(double, (gsize)n);
    double *eff = g_new(double, (gsize)n), *cpu = g_new(double, (gsize)n);
    for (int i = 0; i < n; i++) {
        BenchSample s;
        bench_once_forked(&s, opts, file, text, len);
        if (i == n - 1) {
            row->st = s.st;
            row->converged = s.converged;
            row->sessions_down = s.sessions_down;
        }
        wall[i] = s.wall;
        load[i] = s.load;
        run[i] = s.run;
        eff[i] = s.eff;
        cpu[i] = s.cpu;
    }
    row->wall = bench_median(wall, n);
    row->load = bench_median(load, n);
    row->run = bench_median(run, n);
    row->eff = bench_median(eff, n);
    row->run_cpu = bench_median(cpu, n);
    g_free(cpu);
    g_free(wall);
    g_free(load);
    g_free(run);
    g_free(eff);
}

/* SHA-256 of `arsim run`'s text output (every router's paths and every VNet's effective routes),
 * fed node by node so that a large run never holds its whole text: one more load and run, after
 * the timed ones. The same input must give the same checksum on every tree that changes no
 * behaviour (issue 13); tools/bench.sh prints it as a column. */
static char *bench_checksum(const ArLoadOptions *opts, const char *file, const char *text, size_t len)
{
    g_autoptr(ArScenario) scn = bench_load(opts, file, text, len);
    g_autoptr(ArRun) r = run_scenario(scn, NULL);
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_autoptr(GString) t = g_string_new(NULL);
    const ArSim *sim = r->net->sim;
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        g_string_truncate(t, 0);
        out_run_text(r, &(ArRunView){ .node = sp->name }, t, NULL);
        g_checksum_update(sum, (const guchar *)t->str, (gssize)t->len);
    }
    for (guint i = 0; i < scn->vnets->len; i++) {
        const ArVnet *v = g_ptr_array_index(scn->vnets, i);
        g_string_truncate(t, 0);
        out_run_text(r, &(ArRunView){ .node = v->name }, t, NULL);
        g_checksum_update(sum, (const guchar *)t->str, (gssize)t->len);
    }
    return g_strdup(g_checksum_get_string(sum));
}

static double bench_bytes_per_route(const BenchRow *row)
{
    return row->st.routes ? (double)row->st.peak_rss_kib * 1024.0 / (double)row->st.routes : 0.0;
}

static void bench_print_text(const BenchRow *row)
{
    printf("%-14s wall %10.6f s (load %.6f, run %.6f; eff_compute alone %.6f; median of %d)  events %" G_GUINT64_FORMAT
           "  messages %" G_GUINT64_FORMAT "  routes %" G_GUINT64_FORMAT "  adj-out %" G_GUINT64_FORMAT
           "  peak RSS %.1f MiB  %.1f B/route%s%s%s%s\n",
           row->label, row->wall, row->load, row->run, row->eff, row->repeats, row->st.events, row->st.messages,
           row->st.routes, row->st.adj_out, (double)row->st.peak_rss_kib / 1024.0, bench_bytes_per_route(row),
           row->converged ? "" : "  NOT CONVERGED", row->sessions_down ? "  (sessions down at the end)" : "",
           row->checksum ? "  sha256 " : "", row->checksum ? row->checksum : "");
}

static void bench_print_json(const BenchRow *row)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", row->label);
    cJSON_AddNumberToObject(o, "repeats", row->repeats);
    cJSON_AddNumberToObject(o, "wallSeconds", row->wall);
    cJSON_AddNumberToObject(o, "loadSeconds", row->load);
    cJSON_AddNumberToObject(o, "runSeconds", row->run);
    cJSON_AddNumberToObject(o, "runCpuSeconds", row->run_cpu);
    cJSON_AddNumberToObject(o, "effectiveRoutesSeconds", row->eff);
    cJSON_AddBoolToObject(o, "converged", row->converged);
    cJSON_AddNumberToObject(o, "sessionsDown", row->sessions_down);
    cJSON_AddNumberToObject(o, "events", (double)row->st.events);
    cJSON_AddNumberToObject(o, "messages", (double)row->st.messages);
    cJSON_AddNumberToObject(o, "prefixesAnnounced", (double)row->st.announced);
    cJSON_AddNumberToObject(o, "routesStored", (double)row->st.routes);
    cJSON_AddNumberToObject(o, "adjRibOutEntries", (double)row->st.adj_out);
    cJSON_AddNumberToObject(o, "attributeSets", (double)row->st.attr_sets);
    cJSON_AddNumberToObject(o, "peakPendingEvents", (double)row->st.peak_events);
    cJSON_AddNumberToObject(o, "peakRssMiB", (double)row->st.peak_rss_kib / 1024.0);
    cJSON_AddNumberToObject(o, "bytesPerStoredRoute", bench_bytes_per_route(row));
    if (row->checksum)
        cJSON_AddStringToObject(o, "resultsSha256", row->checksum);
    char *s = cJSON_PrintUnformatted(o);
    puts(s);
    cJSON_free(s);
    cJSON_Delete(o);
}

int main(int argc, char **argv)
{
    ArGenParams gp;
    gen_params_default(&gp);
    gint seed = 1, repeats = 5;
    gboolean json = FALSE, checksum = FALSE;
    g_autofree char *label = NULL, *sku = NULL;
    g_auto(GStrv) sets = NULL;
    GOptionEntry entries[] = {
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Override a value before validation, as arsim run --set (e.g. a site's routesFrom)", "PATH=VALUE" },
        { "label", 0, 0, G_OPTION_ARG_STRING, &label, "Row name (default: the file name, or \"generated\")", "NAME" },
        { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeats, "Timed runs; medians are reported (default 5)", "N" },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object instead of a text line", NULL },
        { "checksum", 0, 0, G_OPTION_ARG_NONE, &checksum,
          "Also print the SHA-256 of the run's text output (one more, untimed run)", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autofree GOptionEntry *sizes = gen_option_entries(&gp, &sku, &seed);
    g_autoptr(GOptionContext) ctx = g_option_context_new("[FILE] - load and run a scenario N times, report medians and costs");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_main_entries(ctx, sizes, NULL);
    g_option_context_set_description(ctx, "Without FILE, the scenario is generated in memory from the size options, as by arsim generate.\n");
    g_autoptr(GError) e = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &e) || argc > 2 || repeats < 1) {
        fprintf(stderr, "bench: %s\n", e ? e->message : "one FILE at most, and --repeat must be positive");
        return 2;
    }
    gp.seed = (uint32_t)seed;
    if (sku && !gen_sku_parse(sku, &gp.sku)) {
        fprintf(stderr, "bench: unknown circuit SKU \"%s\"\n", sku);
        return 2;
    }
    const char *file = argc == 2 ? argv[1] : NULL;
    char *text = NULL;
    if (!file) {
        cJSON *doc = gen_scenario(&gp, &e);
        if (!doc) {
            fprintf(stderr, "bench: %s\n", e->message);
            return 2;
        }
        text = cJSON_PrintUnformatted(doc);
        cJSON_Delete(doc);
    }
    g_autofree char *base = file ? g_path_get_basename(file) : NULL;
    BenchRow row = { .label = label ? label : file ? base : "generated", .repeats = repeats };
    ArLoadOptions opts = { .sets = (const char *const *)sets };
    bench_measure(&row, &opts, file, text, text ? strlen(text) : 0);
    if (checksum)
        row.checksum = bench_checksum(&opts, file, text, text ? strlen(text) : 0);
    cJSON_free(text);
    if (json)
        bench_print_json(&row);
    else
        bench_print_text(&row);
    g_free(row.checksum);
    return row.converged ? 0 : 3;
}
