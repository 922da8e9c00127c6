/* sweep.h - failure sweeps: every single (or double) failure of chosen kinds, each simulated from the
 * converged network with its repair, and what it cut and for how long. */
#ifndef ARSIM_SWEEP_H
#define ARSIM_SWEEP_H

#include "arsim/run.h"

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* What fails in one case (the scenario event kinds of docs/scenario-format.md). */
typedef enum ArSweepKind {
    SWEEP_NVA = 0,      /* "nva": an NVA fails (fail/restore) */
    SWEEP_SITE,         /* "site": an on-premises router fails */
    SWEEP_GATEWAY,      /* "gateway": one gateway instance fails */
    SWEEP_RS_INSTANCE,  /* "rs-instance": one Route Server instance fails */
    SWEEP_MAINTENANCE,  /* "maintenance": one Route Server or gateway instance shuts down gracefully */
    SWEEP_ROUTE_SERVER, /* "route-server": a Route Server is deleted (and created again as the repair) */
    SWEEP_SESSION,      /* "session": one BGP session fails (failSession/restoreSession) */
    SWEEP_CONNECTION,   /* "connection": one site connection fails: ExpressRoute, VPN or NVA */
    SWEEP_KIND_COUNT
} ArSweepKind;

#define SWEEP_KINDS_ALL ((1u << SWEEP_KIND_COUNT) - 1u) /* mask of every kind */
#define SWEEP_DEFAULT_MAX_CASES 10000u                 /* --max-cases when not given */

/* How nodes, sessions and connections fail. */
typedef enum ArSweepMode {
    SWEEP_MODE_DEFAULT = 0, /* as a scenario event without "mode": silent nodes, graceful sessions/connections */
    SWEEP_MODE_SILENT,      /* every failure silent: noticed at hold timer expiry */
    SWEEP_MODE_GRACEFUL,    /* every failure graceful: NOTIFICATION, noticed one link delay later */
} ArSweepMode;

/* What to sweep. */
typedef struct ArSweepOptions {
    unsigned kinds;         /* mask of 1u << ArSweepKind; 0 means all */
    guint depth;            /* 1: single failures; 2: also every pair of them (at the same time) */
    ArSweepMode mode;       /* silent or graceful */
    guint64 max_cases;      /* refuse a plan of more cases; 0: SWEEP_DEFAULT_MAX_CASES */
    ArSimConfig cfg;        /* engine configuration of every run (event caps, seed) */
} ArSweepOptions;

/* One pair of endpoints (sites, VNets) reachable before the failure and lost during it. */
typedef struct ArSweepPair {
    char *a, *b;            /* endpoint names, in reachability-matrix order */
    ArTime lost_at;         /* first time it was lost, from the failure */
    ArTime lost_for;        /* time lost before the repair, summed; meaningful when !until_repair */
    bool until_repair;      /* still lost when the failure's routing had settled: cut until repaired */
} ArSweepPair;

/* Best routes one node (up) lost: present before the failure, absent once its routing settled. */
typedef struct ArSweepLoss {
    char *node;             /* speaker name */
    guint routes;           /* prefixes it no longer has a best route for */
} ArSweepLoss;

/* What one case did. Plain data (no pointer into a run), so ranks can exchange it. */
typedef struct ArSweepResult {
    guint index;            /* case number in plan order, from 0 */
    char *label;            /* "sdwan fails (silent)"; a pair: "A + B" */
    GPtrArray *what;        /* char*: per failure "KIND NAME" ("nva sdwan", "session sdwan - ars/0") */
    GArray *pairs;          /* ArSweepPair, matrix order */
    GArray *losses;         /* ArSweepLoss, speaker order, only nodes up that lost routes */
    guint64 routes_lost;    /* sum of losses */
    guint64 updates;        /* UPDATE messages from the failure to the repair */
    ArTime settle;          /* last routing change after the failure, from the failure */
    bool settled;           /* routing had settled before the repair */
    guint64 repair_updates; /* UPDATE messages after the repair */
    ArTime repair_settle;   /* last routing change after the repair, from the repair */
    bool recovered;         /* after the repair routing settled with every node's best routes back */
    bool capped;            /* the run stopped at an event cap */
    guint samples;          /* reachability samples taken during the failure */
} ArSweepResult;

/* An empty result for case index, labelled label (copied): no pairs, no losses. */
ArSweepResult *sweep_result_new(guint index, const char *label);
void sweep_result_free(ArSweepResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArSweepResult, sweep_result_free)
/* Pairs cut until the repair. O(pairs). */
guint sweep_result_cut(const ArSweepResult *r);

/* A planned sweep: the scenario converged once without its events, the baseline reachability,
 * and the cases. Immutable once made: cases may run on several threads at once. */
typedef struct ArSweep ArSweep;

#define SWEEP_ERROR (sweep_error_quark())
GQuark sweep_error_quark(void);
typedef enum ArSweepError {
    SWEEP_ERROR_NOT_CONVERGED, /* the scenario itself does not settle: nothing to fail from */
    SWEEP_ERROR_TOO_MANY,      /* more cases than max_cases */
    SWEEP_ERROR_BAD_KIND,      /* --kinds names an unknown kind */
    SWEEP_ERROR_BAD_DATA,      /* a packed result could not be read back */
} ArSweepError;

/* Converges scn (its events ignored) and lists the cases. The scenario must outlive the sweep.
 * NULL with an error when the scenario does not settle or the plan is too large. Cost: one run. */
ArSweep *sweep_new(const ArScenario *scn, const ArSweepOptions *opt, GError **error);
void sweep_free(ArSweep *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArSweep, sweep_free)

guint sweep_case_count(const ArSweep *s);
/* Number of single failures the plan combines (cases = n, or n + n(n-1)/2 at depth 2). */
guint sweep_failure_count(const ArSweep *s);
const ArSweepOptions *sweep_options(const ArSweep *s);
const ArScenario *sweep_scenario(const ArSweep *s);
/* When each case's failure happens (the baseline's convergence, rounded up to a second, plus a
 * second) and how long before its repair (settings.maxTime). */
ArTime sweep_fail_time(const ArSweep *s);
ArTime sweep_window(const ArSweep *s);
/* Endpoints of the reachability matrix (ArReachEndpoint) and how many pairs reach each other
 * before any failure. */
const GArray *sweep_endpoints(const ArSweep *s);
guint sweep_baseline_pairs(const ArSweep *s);

/* Runs case i as its own simulation: the scenario plus the failure after convergence and the
 * repair one window later. Thread-safe: shares only the immutable sweep. Cost: one run of the
 * scenario, plus an effective-route computation and a reachability matrix per sample. */
ArSweepResult *sweep_run_case(const ArSweep *s, guint i);

/* Told each time a case is done (from any thread, one call at a time). */
typedef void (*ArSweepProgressFn)(void *user, guint done, guint total);

/* Runs the cases i with i % size == rank on jobs threads (GThreadPool; 1: in this thread).
 * Returns ArSweepResult*, in case order, only this rank's. Same results whatever jobs is. */
GPtrArray *sweep_run(const ArSweep *s, guint rank, guint size, guint jobs, ArSweepProgressFn progress, void *user);

/* Sorts results by impact, worst first: pairs cut until the repair, then the time lost by the
 * pairs that came back (summed), pairs lost at all, routes lost, UPDATEs, and case order. A total
 * order: the same results in any order sort to the same list. O(n log n). */
void sweep_sort(GPtrArray *results);

/* Results as compact JSON (times in microseconds) and back, to gather them from MPI ranks. */
char *sweep_results_pack(const GPtrArray *results);
gboolean sweep_results_unpack(const char *text, GPtrArray *into, GError **error);

const char *sweep_kind_name(ArSweepKind k);
/* "nva,session" -> mask; FALSE with a message naming the kinds when one is unknown. */
gboolean sweep_kinds_parse(const char *text, unsigned *mask, GError **error);
const char *sweep_mode_name(ArSweepMode m); /* "default", "silent", "graceful" */

#endif
