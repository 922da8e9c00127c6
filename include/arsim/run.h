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
void run_free(ArRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArRun, run_free)

#endif
