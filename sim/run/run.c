/* run.c - the one place the stages meet: build (azure) -> run (engine) -> effective routes (results). */
#include "arsim/run.h"

#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Window watched for best-path changes when a run does not settle: long enough to show a
 * route-limit flap (60 s retry), short enough to stay cheap. */
#define WATCH_WINDOW (120 * AR_SEC)

/* The results stage's reading of each epoch as it closes: the effective routes it ended with,
 * kept by the run (run->epoch_eff), one table set per epoch. O(effective routes). */
static void snapshot_eff(ArNet *net, ArEpoch *ep)
{
    ArRun *run = net->epoch_user;
    g_ptr_array_add(run->epoch_eff, eff_compute(net));
    g_assert(run->epoch_eff->len == net->epochs->len); /* one table set per closed epoch */
}

/* Forgets what one attempt built and read. */
static void run_clear(ArRun *run)
{
    azure_net_free(run->net);
    run->net = NULL;
    g_ptr_array_set_size(run->epoch_eff, 0);
    run->eff = NULL;
}

/* Builds the network (azure stage) and hands every epoch's end to the results stage. */
static void run_build(ArRun *run, const ArScenario *scn, const ArSimConfig *cfg)
{
    run->net = azure_net(scn, cfg);                 /* azure: speakers, sessions, policies, events */
    run->net->on_epoch_end = snapshot_eff;          /* results: effective routes per epoch */
    run->net->epoch_user = run;
}

ArRun *run_prepare(const ArScenario *scn, const ArSimConfig *cfg)
{
    ArRun *run = g_new0(ArRun, 1);
    run->epoch_eff = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    run_build(run, scn, cfg);
    return run;
}

void run_close(ArRun *run, ArRunEnd end)
{
    g_assert(run->epoch_eff->len > 0); /* the last epoch is closed */
    run->end = end;
    run->eff = g_ptr_array_index(run->epoch_eff, run->epoch_eff->len - 1); /* the run's: the last epoch's */
}

/* Runs the built network's engine to the end (convergence, the limit or the cap). watch: the
 * window in which best-path changes are counted (0: none). */
static void run_engine(ArRun *run, ArTraceFn trace, void *user, ArTime watch)
{
    run->net->sim->trace = trace;
    run->net->sim->trace_user = user;
    run->net->watch_window = watch;
    run_close(run, azure_run(run->net));
}

ArRun *run_scenario_traced(const ArScenario *scn, const ArSimConfig *cfg, ArTraceFn trace, void *user)
{
    ArRun *run = run_prepare(scn, cfg);
    run_engine(run, trace, user, 0);
    if (run->end == RUN_UNTIL && !run->net->until_given) {
        /* It did not settle. The run is deterministic: run it again (untraced: the trace has it all
         * already), counting best-path changes in its last window, to name what keeps changing. */
        run_clear(run);
        run_build(run, scn, cfg);
        run_engine(run, NULL, NULL, WATCH_WINDOW);
    }
    return run;
}

ArRun *run_scenario(const ArScenario *scn, const ArSimConfig *cfg)
{
    return run_scenario_traced(scn, cfg, NULL, NULL);
}

void run_free(ArRun *run)
{
    if (!run)
        return;
    azure_net_free(run->net);
    if (run->epoch_eff)
        g_ptr_array_unref(run->epoch_eff);
    g_free(run);
}

/* One scenario run by a worker thread of run_scenarios. */
typedef struct RunJob {
    const ArScenario *scn;    /* what to run (read only: every run builds its own network) */
    const ArSimConfig *cfg;   /* its configuration, NULL for the defaults */
    ArRun *run;               /* the result, set by the worker */
} RunJob;

static gpointer run_job(gpointer data)
{
    RunJob *j = data;
    j->run = run_scenario(j->scn, j->cfg);
    return NULL;
}

/* Bytes this process may still take: the smaller of the kernel's MemAvailable and what the
 * address-space limit (ulimit -v) leaves, G_MAXUINT64 when neither is known. O(1). */
static guint64 run_memory_room(void)
{
    guint64 room = G_MAXUINT64;
    g_autofree char *info = NULL;
    if (g_file_get_contents("/proc/meminfo", &info, NULL, NULL)) {
        const char *at = strstr(info, "MemAvailable:");
        if (at)
            room = g_ascii_strtoull(at + strlen("MemAvailable:"), NULL, 10) * 1024u;
    }
    struct rlimit lim;
    if (getrlimit(RLIMIT_AS, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY) {
        guint64 used = 0;
        g_autofree char *statm = NULL;
        if (g_file_get_contents("/proc/self/statm", &statm, NULL, NULL))
            used = g_ascii_strtoull(statm, NULL, 10) * (guint64)sysconf(_SC_PAGESIZE);
        guint64 left = lim.rlim_cur > used ? lim.rlim_cur - used : 0;
        room = MIN(room, left);
    }
    return room;
}

void run_scenarios(const ArScenario *const *scns, guint n, const ArSimConfig *cfg, ArRun **runs)
{
    g_assert(n > 0);
    /* Together when there is a core for each and the scenarios' memory estimates (one run's
     * each, scn_estimate_bytes) fit in what is left; else one after the other, as before. */
    guint64 need = 0;
    for (guint i = 0; i < n; i++)
        need += scn_estimate_bytes(scns[i], SCN_EST_RUN);
    gboolean together = n > 1 && g_get_num_processors() > 1 && need < run_memory_room();
    g_autofree RunJob *jobs = g_new0(RunJob, n);
    g_autofree GThread **threads = g_new0(GThread *, n);
    for (guint i = 0; i < n; i++) {
        jobs[i] = (RunJob){ .scn = scns[i], .cfg = cfg };
        if (together && i > 0) /* the first runs on this thread, below */
            threads[i] = g_thread_new("arsim-run", run_job, &jobs[i]);
        else if (!together)
            run_job(&jobs[i]);
    }
    if (together)
        run_job(&jobs[0]);
    for (guint i = 0; i < n; i++) {
        if (threads[i])
            g_thread_join(threads[i]);
        runs[i] = jobs[i].run;
        g_assert(runs[i]);
    }
}
