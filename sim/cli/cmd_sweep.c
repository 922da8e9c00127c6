/* cmd_sweep.c - `arsim sweep`: every failure of the chosen kinds, on threads and (when built with
 * MPI and started by mpirun) across ranks gathered on rank 0; the table or JSON from rank 0 only. */
#include "cli_priv.h"
#include "arsim/output.h"
#include "arsim/sweep.h"

#include <string.h>
#include <unistd.h>

#ifdef ARSIM_MPI
#include <mpi.h>
#endif

/* Where this process stands among the ranks of an MPI job (rank 0 of 1 without MPI). */
typedef struct SweepWorld {
    int rank;        /* this process's rank */
    int size;        /* number of ranks */
    gboolean mpi;    /* MPI was initialised here (and must be finalised) */
} SweepWorld;

#ifdef ARSIM_MPI
/* Started by mpirun (Open MPI, or a PMI launcher): a plain `arsim sweep` stays a single process. */
static gboolean sweep_under_mpirun(void)
{
    return g_getenv("OMPI_COMM_WORLD_SIZE") || g_getenv("PMI_SIZE") || g_getenv("PMIX_RANK");
}
#endif

static SweepWorld sweep_world_init(void)
{
    SweepWorld w = { 0, 1, FALSE };
#ifdef ARSIM_MPI
    if (sweep_under_mpirun()) {
        MPI_Init(NULL, NULL);
        MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
        MPI_Comm_size(MPI_COMM_WORLD, &w.size);
        w.mpi = TRUE;
    }
#endif
    return w;
}

static void sweep_world_end(const SweepWorld *w)
{
#ifdef ARSIM_MPI
    if (w->mpi)
        MPI_Finalize();
#else
    (void)w;
#endif
}

/* Rank 0 receives every other rank's packed results (length, then bytes) and adds them to results;
 * the other ranks send theirs. FALSE (message on err) when a rank's results cannot be read. */
static gboolean sweep_gather(const SweepWorld *w, GPtrArray *results, FILE *err)
{
#ifdef ARSIM_MPI
    if (!w->mpi || w->size == 1)
        return TRUE;
    if (w->rank != 0) {
        g_autofree char *packed = sweep_results_pack(results);
        unsigned long long len = strlen(packed);
        MPI_Send(&len, 1, MPI_UNSIGNED_LONG_LONG, 0, 0, MPI_COMM_WORLD);
        MPI_Send(packed, (int)len, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
        return TRUE;
    }
    gboolean ok = TRUE;
    for (int r = 1; r < w->size; r++) {
        unsigned long long len = 0;
        MPI_Recv(&len, 1, MPI_UNSIGNED_LONG_LONG, r, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        g_assert(len < G_MAXINT);
        char *buf = g_malloc(len + 1);
        MPI_Recv(buf, (int)len, MPI_CHAR, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        buf[len] = '\0';
        g_autoptr(GError) e = NULL;
        if (ok && !sweep_results_unpack(buf, results, &e)) {
            fprintf(err, "arsim sweep: rank %d: %s\n", r, e->message);
            ok = FALSE;
        }
        g_free(buf);
    }
    return ok;
#else
    (void)w;
    (void)results;
    (void)err;
    return TRUE;
#endif
}

/* The progress line: on a terminal only, rewritten in place. */
typedef struct SweepProgress {
    FILE *err;       /* where */
} SweepProgress;

static void sweep_progress(void *user, guint done, guint total)
{
    SweepProgress *p = user;
    fprintf(p->err, "\rarsim sweep: %u/%u cases done", done, total);
    if (done == total)
        fputc('\n', p->err);
    fflush(p->err);
}

static int sweep_main(const ArSweepArgs *a, const SweepWorld *w, FILE *out, FILE *err)
{
    ArSweepOptions opt = { .depth = (guint)a->depth, .max_cases = a->max_cases, .cfg = { .max_events = a->max_events,
                                                                                                  .seed = (uint32_t)a->seed } };
    g_autoptr(GError) e = NULL;
    if (a->kinds && !sweep_kinds_parse(a->kinds, &opt.kinds, &e)) {
        fprintf(err, "arsim sweep: --kinds: %s\n", e->message);
        return EXIT_BAD_INPUT;
    }
    if (a->mode && strcmp(a->mode, "silent") == 0)
        opt.mode = SWEEP_MODE_SILENT;
    else if (a->mode && strcmp(a->mode, "graceful") == 0)
        opt.mode = SWEEP_MODE_GRACEFUL;
    else if (a->mode) {
        fprintf(err, "arsim sweep: --mode expects silent or graceful, got \"%s\"\n", a->mode);
        return EXIT_BAD_INPUT;
    }
    g_autoptr(ArScenario) scn = cli_load(a->file, a->sets, SCN_EST_RUN, err);
    if (!scn)
        return EXIT_BAD_INPUT;
    g_autoptr(ArSweep) s = sweep_new(scn, &opt, &e);
    if (!s) {
        fprintf(err, "arsim sweep: %s: %s\n", a->file, e->message);
        return g_error_matches(e, SWEEP_ERROR, SWEEP_ERROR_NOT_CONVERGED) ? EXIT_NO_CONVERGE : EXIT_BAD_INPUT;
    }
    guint jobs = a->jobs > 0 ? (guint)a->jobs : w->size > 1 ? 1u : (guint)g_get_num_processors();
    jobs = MAX(1u, MIN(jobs, sweep_case_count(s)));
    if (w->rank == 0) {
        fprintf(err, "arsim sweep: %u case%s", sweep_case_count(s), sweep_case_count(s) == 1 ? "" : "s");
        if (w->size > 1)
            fprintf(err, " on %d ranks of %u thread%s", w->size, jobs, jobs == 1 ? "" : "s");
        else
            fprintf(err, " on %u thread%s", jobs, jobs == 1 ? "" : "s");
        fputc('\n', err);
        fflush(err);
    }
    SweepProgress prog = { err };
    gboolean tty = w->rank == 0 && isatty(fileno(err));
    g_autoptr(GPtrArray) results = sweep_run(s, (guint)w->rank, (guint)w->size, jobs, tty ? sweep_progress : NULL, &prog);
    if (!sweep_gather(w, results, err))
        return EXIT_BAD_INPUT;
    if (w->rank != 0)
        return EXIT_OK;
    g_assert(results->len == sweep_case_count(s));
    sweep_sort(results);
    g_autofree char *text = NULL;
    if (a->json) {
        cJSON *doc = out_sweep_json(s, results, a->file);
        text = out_json_print(doc);
        cJSON_Delete(doc);
        if (!text) {
            fprintf(err, "arsim sweep: %s: the JSON document could not be formatted (out of memory)\n",
                    a->output ? a->output : "standard output");
            return EXIT_BAD_INPUT;
        }
    } else {
        GString *t = g_string_new(NULL);
        out_sweep_text(s, results, a->file, t);
        text = g_string_free(t, FALSE);
    }
    if (a->output) {
        if (!out_write_file(a->output, text, strlen(text), a->file, &e)) {
            fprintf(err, "arsim sweep: %s\n", e->message);
            return EXIT_BAD_INPUT;
        }
    } else {
        fputs(text, out);
    }
    return EXIT_OK;
}

int cmd_sweep(const ArSweepArgs *a, FILE *out, FILE *err)
{
    SweepWorld w = sweep_world_init();
    /* Every rank loads and plans the same sweep; only rank 0 speaks. */
    FILE *quiet = w.rank == 0 ? NULL : fopen("/dev/null", "w");
    int status = sweep_main(a, &w, out, quiet ? quiet : err);
    if (quiet)
        fclose(quiet);
    sweep_world_end(&w);
    return status;
}

static int sweep_parse_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_autofree char *kinds = NULL, *mode = NULL;
    int depth = 1;
    gint64 max_cases = 0;
    const GOptionEntry entries[] = {
        { "kinds", 0, 0, G_OPTION_ARG_STRING, &kinds,
          "Failures to try: nva, site, gateway, rs-instance, maintenance, route-server, session, connection, all "
          "(comma-separated; default all)", "LIST" },
        { "depth", 0, 0, G_OPTION_ARG_INT, &depth, "1: every single failure (default); 2: also every pair at once", "N" },
        { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
          "silent or graceful for every failure (default: silent nodes, graceful sessions and connections)", "MODE" },
        cli_flag(&c, CLI_JOBS, "Cases run at once (default: one per core; one per rank under mpirun)", NULL),
        { "max-cases", 0, 0, G_OPTION_ARG_INT64, &max_cases, "Refuse a sweep of more cases (default 10,000)", "N" },
        cli_flag(&c, CLI_MAX_EVENTS, "Stop a case after N engine events (default 50,000,000)", NULL),
        cli_flag(&c, CLI_SET, NULL, NULL),
        cli_flag(&c, CLI_JSON, NULL, NULL),
        cli_flag(&c, CLI_OUTPUT, NULL, NULL),
        cli_flag(&c, CLI_SEED, NULL, NULL),
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    if (depth != 1 && depth != 2)
        return cli_usage_error(cmd->name, "--depth takes 1 or 2");
    if (c.jobs < 0 || max_cases < 0 || c.max_events < 0)
        return cli_usage_error(cmd->name, "--jobs, --max-cases and --max-events take positive numbers");
    const ArSweepArgs a = {
        .file = argv[1],
        .sets = c.sets,
        .kinds = kinds,
        .depth = depth,
        .mode = mode,
        .json = c.json,
        .output = c.output,
        .jobs = c.jobs,
        .max_cases = (guint64)max_cases,
        .max_events = (guint64)c.max_events,
        .seed = c.seed,
    };
    return cmd_sweep(&a, stdout, stderr);
}

const CliCommand cli_cmd_sweep = {
    .name = "sweep",
    .params = "FILE - every failure, from the converged network, and its repair",
    .description =
        "Converges the scenario once (its events ignored), then runs one simulation per case: the failure\n"
        "after convergence, the repair settings.maxTime later. For each case: the pairs of sites and VNets\n"
        "it cut until the repair, those it cut for a while and for how long (simulated seconds), the best\n"
        "routes each node lost, UPDATE messages, and when routing settled. Worst first.\n"
        "The number of cases goes to standard error before starting, and a progress line on a terminal.\n"
        "Output is the same bytes whatever --jobs; built with MPI (-Dmpi=enabled), mpirun splits the cases:\n"
        "  mpirun -n 8 arsim sweep FILE\n"
        "Example: arsim sweep scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n",
    .min_args = 1,
    .max_args = 1,
    .args_error = "expected exactly one scenario FILE",
    .main = sweep_parse_main,
};
