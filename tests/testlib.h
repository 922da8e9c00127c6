/* testlib.h - what several test programs share: finding and loading scenarios. */
#ifndef ARSIM_TESTLIB_H
#define ARSIM_TESTLIB_H

#include "arsim/cli.h"
#include "arsim/generate.h"
#include "arsim/loader.h"
#include "arsim/run.h"

#include <cjson/cJSON.h>

/* scenarios/NAME under the source root (ARSIM_SOURCE_ROOT). g_free it. */
char *test_scenario_path(const char *name);

/* Loads scenarios/NAME with the --set overrides (NULL-terminated, may be NULL); fails the test,
 * printing the diagnostics, when it does not load. */
ArScenario *test_load_scenario(const char *name, const char *const *sets);

/* Loads scenario text written with single quotes for readability (they become double quotes).
 * Returns NULL with the diagnostics in d when it does not load. */
ArScenario *test_load_quoted(const char *text, const char *const *sets, ArDiagList *d);

/* Loads the scenario `arsim generate` makes from p, with the --set overrides; fails the test when
 * it does not load. */
ArScenario *test_load_generated(const ArGenParams *p, const char *const *sets);
/* The text of the scenario `arsim generate` makes from p. g_free it. */
char *test_generated_text(const ArGenParams *p);
/* That text written to DIR/generated.json; returns the path. g_free it. */
char *test_write_generated(const ArGenParams *p, const char *dir);

/* What one run of the arsim executable did. */
typedef struct TestRun {
    int status;   /* exit status */
    char *out;    /* standard output */
    char *err;    /* standard error */
} TestRun;

/* Runs arsim (ARSIM_BIN) from the source root with the arguments up to NULL. */
TestRun test_arsim(const char *first, ...) G_GNUC_NULL_TERMINATED;
/* `arsim run` in this process (cmd_run) with a's arguments, what it printed captured. */
TestRun test_cmd_run(const ArRunArgs *a);
void test_run_clear(TestRun *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TestRun, test_run_clear)

/* Removes path: a file, or a folder with everything in it. */
void test_remove_tree(const char *path);

/* The prefix keys of set n of a grouped JSON document (format version 3), expanded as
 * docs/output-format.md says: each item a prefix, or "A.B.C.D/L*N" for N consecutive prefixes of
 * length L from A.B.C.D; in the set's order, which must be ascending. Fails the test when the set
 * is malformed. */
GArray *test_prefix_set(const cJSON *doc, int n);

/* The B2 scenario's parameters (Azure's maximum, as tools/bench.sh generates it). */
void test_b2_params(ArGenParams *p);

#endif
