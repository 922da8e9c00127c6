/* run.h - the pipeline: a scenario built into a network (azure), run (engine), read (results). */
#ifndef ARSIM_RUN_H
#define ARSIM_RUN_H

#include "arsim/results.h"

/* Builds, runs and derives effective routes. The scenario must outlive the run. */
ArRun *run_scenario(const ArScenario *scn, const ArSimConfig *cfg);
/* Same, telling trace (when not NULL) about every message and timer. */
ArRun *run_scenario_traced(const ArScenario *scn, const ArSimConfig *cfg, ArTraceFn trace, void *user);
/* Runs n scenarios (each with cfg), on one thread each when the machine has more than one core
 * and their memory estimates fit in what is available, else one after the other; runs[i] gets
 * scns[i]'s run, the same as run_scenario's (each run builds its own network: nothing is shared).
 * Wall time: the longest run instead of the sum. */
void run_scenarios(const ArScenario *const *scns, guint n, const ArSimConfig *cfg, ArRun **runs);
/* The pipeline in steps, for a caller that runs the engine itself (live mode, on the wall clock):
 * run_prepare builds scn into a network (run->net, azure stage) whose every epoch's effective
 * routes the run keeps (run->epoch_eff, results stage); the caller then runs it (azure_start ...
 * azure_finish) and calls run_close with how it ended, which sets run->eff to the last epoch's. */
ArRun *run_prepare(const ArScenario *scn, const ArSimConfig *cfg);
void run_close(ArRun *run, ArRunEnd end);
void run_free(ArRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArRun, run_free)

#endif
