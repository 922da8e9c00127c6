/* test_sweep.c - failure sweeps: what each failure cuts and for how long, the same bytes on any
 * number of threads and MPI ranks, and the command's bounds. */
#include "testlib.h"

#include "arsim/output.h"
#include "arsim/sweep.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const b2b_on[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };

/* The result whose label is label, failing the test when none. */
static const ArSweepResult *find_result(const GPtrArray *results, const char *label)
{
    for (guint i = 0; i < results->len; i++) {
        const ArSweepResult *r = g_ptr_array_index(results, i);
        if (strcmp(r->label, label) == 0)
            return r;
    }
    g_test_message("no case labelled \"%s\"", label);
    g_assert_not_reached();
    return NULL;
}

/* The pair (a, b) or (b, a) among r's lost pairs, NULL when not lost. */
static const ArSweepPair *find_pair(const ArSweepResult *r, const char *a, const char *b)
{
    for (guint i = 0; i < r->pairs->len; i++) {
        const ArSweepPair *p = &g_array_index(r->pairs, ArSweepPair, i);
        if ((strcmp(p->a, a) == 0 && strcmp(p->b, b) == 0) || (strcmp(p->a, b) == 0 && strcmp(p->b, a) == 0))
            return p;
    }
    return NULL;
}

static ArSweep *sweep_of(const ArScenario *scn, unsigned kinds, guint depth)
{
    ArSweepOptions opt = { .kinds = kinds, .depth = depth };
    g_autoptr(GError) e = NULL;
    ArSweep *s = sweep_new(scn, &opt, &e);
    g_assert_no_error(e);
    g_assert_nonnull(s);
    return s;
}

/* The seed design with branch-to-branch on: onprem1 hangs on one SD-WAN appliance. */
static void test_seed_sdwan(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("seed-er-sdwan.json", b2b_on);
    g_autoptr(ArSweep) s = sweep_of(scn, SWEEP_KINDS_ALL, 1);
    g_assert_cmpuint(sweep_baseline_pairs(s), ==, 6); /* hub, spoke1, onprem1, onprem2: all reach all */
    g_autoptr(GPtrArray) results = sweep_run(s, 0, 1, 1, NULL, NULL);
    g_assert_cmpuint(results->len, ==, sweep_case_count(s));

    /* sdwan dies silently: onprem1 loses every other endpoint at once and until the repair; the
     * Route Server notices only when the 180 s hold timer expires, 120 to 180 s after the failure
     * (it runs from the last keepalive), and routing settles then. */
    const ArSweepResult *r = find_result(results, "sdwan fails (silent)");
    const char *others[] = { "hub", "spoke1", "onprem2" };
    for (guint i = 0; i < G_N_ELEMENTS(others); i++) {
        const ArSweepPair *p = find_pair(r, "onprem1", others[i]);
        g_assert_nonnull(p);
        g_assert_true(p->until_repair);
        g_assert_cmpuint(p->lost_at, ==, 0);
    }
    g_assert_cmpuint(r->pairs->len, ==, 3); /* and nothing else */
    g_assert_cmpuint(sweep_result_cut(r), ==, 3);
    g_assert_true(r->settled);
    g_assert_cmpuint(r->settle, >=, 120 * AR_SEC);
    g_assert_cmpuint(r->settle, <, 181 * AR_SEC);
    g_assert_true(r->recovered);
    g_assert_cmpuint(r->routes_lost, >, 0);

    /* Gracefully, the same pairs are cut, and routing settles within a second. */
    const ArSweepResult *g = find_result(results, "onprem1 - sdwan connection fails (graceful)");
    g_assert_cmpuint(sweep_result_cut(g), ==, 3);
    g_assert_cmpuint(g->settle, <, AR_SEC);

    /* One Route Server instance failing cuts nothing: the other one still carries every route. */
    const char *instances[] = { "ars/0 fails (silent)", "ars/1 fails (silent)", "ars/0 maintenance", "ars/1 maintenance" };
    for (guint i = 0; i < G_N_ELEMENTS(instances); i++) {
        const ArSweepResult *x = find_result(results, instances[i]);
        g_assert_cmpuint(x->pairs->len, ==, 0);
        g_assert_true(x->recovered);
    }
    /* A failed BGP session to a Route Server carries no traffic anyway: nothing lost, even briefly. */
    g_assert_cmpuint(find_result(results, "ars/0 - sdwan session fails (graceful)")->pairs->len, ==, 0);

    /* Worst first: the top case cuts pairs, the Route Server instances come last. */
    sweep_sort(results);
    g_assert_cmpuint(sweep_result_cut(g_ptr_array_index(results, 0)), >=, 3);
    const ArSweepResult *last = g_ptr_array_index(results, results->len - 1);
    g_assert_cmpuint(last->pairs->len, ==, 0);
}

/* Both Route Server instances at once cut what one alone does not: depth 2. */
static void test_depth_two(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("seed-er-sdwan.json", b2b_on);
    g_autoptr(ArSweep) s = sweep_of(scn, 1u << SWEEP_RS_INSTANCE, 2);
    g_assert_cmpuint(sweep_failure_count(s), ==, 2);
    g_assert_cmpuint(sweep_case_count(s), ==, 3);
    g_autoptr(GPtrArray) results = sweep_run(s, 0, 1, 2, NULL, NULL);
    const ArSweepResult *both = find_result(results, "ars/0 fails (silent) + ars/1 fails (silent)");
    /* Without the Route Server, VMs lose onprem1's routes (the NVA's) once the hold timers expire,
     * 180 s after the last keepalive each instance sent. */
    const ArSweepPair *p = find_pair(both, "hub", "onprem1");
    g_assert_nonnull(p);
    g_assert_true(p->until_repair);
    g_assert_cmpuint(p->lost_at, >=, 120 * AR_SEC); /* 120 to 180 s: from the last keepalive */
    g_assert_cmpuint(p->lost_at, <=, 181 * AR_SEC);
    g_assert_cmpuint(find_result(results, "ars/0 fails (silent)")->pairs->len, ==, 0);
}

/* The text and JSON of results, sorted. */
static char *render(const ArSweep *s, GPtrArray *results)
{
    sweep_sort(results);
    GString *t = g_string_new(NULL);
    out_sweep_text(s, results, "seed", t);
    cJSON *doc = out_sweep_json(s, results, "seed");
    char *j = out_json_print(doc);
    cJSON_Delete(doc);
    g_string_append(t, j);
    g_free(j);
    return g_string_free(t, FALSE);
}

/* 1, 2 and 4 threads, and two ranks' results packed and merged, print the same bytes. */
static void test_identical(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("seed-er-sdwan.json", b2b_on);
    g_autoptr(ArSweep) s = sweep_of(scn, SWEEP_KINDS_ALL, 2);
    g_autoptr(GPtrArray) one = sweep_run(s, 0, 1, 1, NULL, NULL);
    g_autofree char *ref = render(s, one);
    g_assert_nonnull(strstr(ref, "sdwan fails (silent)"));
    guint jobs[] = { 2, 4 };
    for (guint k = 0; k < G_N_ELEMENTS(jobs); k++) {
        g_autoptr(GPtrArray) r = sweep_run(s, 0, 1, jobs[k], NULL, NULL);
        g_autofree char *t = render(s, r);
        g_assert_cmpstr(t, ==, ref);
    }
    /* Two "ranks": each runs every other case; rank 1's results travel as text. */
    g_autoptr(GPtrArray) r0 = sweep_run(s, 0, 2, 1, NULL, NULL);
    g_autoptr(GPtrArray) r1 = sweep_run(s, 1, 2, 2, NULL, NULL);
    g_assert_cmpuint(r0->len + r1->len, ==, sweep_case_count(s));
    g_autofree char *packed = sweep_results_pack(r1);
    g_autoptr(GError) e = NULL;
    g_assert_true(sweep_results_unpack(packed, r0, &e));
    g_assert_no_error(e);
    g_autofree char *merged = render(s, r0);
    g_assert_cmpstr(merged, ==, ref);
    g_assert_false(sweep_results_unpack("[{\"i\":1}]", r0, &e));
    g_assert_error(e, SWEEP_ERROR, SWEEP_ERROR_BAD_DATA);
}

/* Runs argv (NULL-terminated) from the source root; returns the exit status, stdout and stderr. */
static int spawn(const char *const *argv, char **out, char **err)
{
    int wait = 0;
    g_autoptr(GError) e = NULL;
    gboolean ok = g_spawn_sync(g_getenv("ARSIM_SOURCE_ROOT"), (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                               &wait, &e);
    g_assert_no_error(e);
    g_assert_true(ok);
    g_assert_true(WIFEXITED(wait));
    return WEXITSTATUS(wait);
}

/* The command: case count on stderr before starting, --max-cases, --kinds, --json, exit 3. */
static void test_cli(void)
{
    const char *bin = g_getenv("ARSIM_BIN");
    g_autofree char *out = NULL, *err = NULL;
    const char *ok[] = { bin, "sweep", "scenarios/seed-er-sdwan.json", "--set", b2b_on[0], "--kinds", "nva,rs-instance",
                         "--depth", "2", "--jobs", "2", "--json", NULL };
    g_assert_cmpint(spawn(ok, &out, &err), ==, 0);
    g_assert_nonnull(strstr(err, "arsim sweep: 6 cases on 2 threads")); /* 3 failures and 3 pairs */
    cJSON *doc = cJSON_Parse(out);
    g_assert_nonnull(doc);
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "results")), ==, 6);
    const cJSON *top = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "results"), 0);
    g_assert_cmpint(cJSON_GetObjectItem(top, "cut")->valueint, ==, 3);
    cJSON_Delete(doc);
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);

    const char *many[] = { bin, "sweep", "scenarios/seed-er-sdwan.json", "--depth", "2", "--max-cases", "10", NULL };
    g_assert_cmpint(spawn(many, &out, &err), ==, 2);
    g_assert_nonnull(strstr(err, "exceed --max-cases 10"));
    g_assert_cmpstr(out, ==, "");
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);

    const char *bad[] = { bin, "sweep", "scenarios/seed-er-sdwan.json", "--kinds", "nva,router", NULL };
    g_assert_cmpint(spawn(bad, &out, &err), ==, 2);
    g_assert_nonnull(strstr(err, "unknown failure kind \"router\""));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);

    /* The report's section, worst first. */
    g_autofree char *dir = g_dir_make_tmp("arsim-sweep-XXXXXX", NULL);
    g_autofree char *page = g_build_filename(dir, "r.html", NULL);
    const char *rep[] = { bin, "report", "scenarios/seed-er-sdwan.json", "--sweep", "--jobs", "2", "-o", page, NULL };
    g_assert_cmpint(spawn(rep, &out, &err), ==, 0);
    g_autofree char *html = NULL;
    g_assert_true(g_file_get_contents(page, &html, NULL, NULL));
    /* The section's data, which the page's script draws (tests/test_report.c opens it in Chromium). */
    const char *table = strstr(html, "\"sweep\":{\"headline\":\"");
    g_assert_nonnull(table);
    g_assert_nonnull(strstr(table, "\"sdwan fails (silent)\""));
    g_remove(page);
    g_rmdir(dir);
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);

    const char *never[] = { bin, "sweep", "scenarios/bad-gadget.json", NULL };
    g_assert_cmpint(spawn(never, &out, &err), ==, 3);
    g_assert_nonnull(strstr(err, "does not settle"));
}

/* mpirun -n 2 prints what one process prints (when the build has MPI). */
static void test_mpi(void)
{
    const char *mpirun = g_getenv("ARSIM_MPIRUN");
    if (!mpirun) {
        g_test_skip("built without MPI");
        return;
    }
    const char *bin = g_getenv("ARSIM_BIN");
    g_autofree char *single = NULL, *multi = NULL, *err1 = NULL, *err2 = NULL;
    const char *one[] = { bin, "sweep", "scenarios/seed-er-sdwan.json", "--set", b2b_on[0], "--jobs", "1", NULL };
    g_assert_cmpint(spawn(one, &single, &err1), ==, 0);
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)mpirun);
    if (geteuid() == 0)
        g_ptr_array_add(argv, "--allow-run-as-root");
    const char *rest[] = { "-n", "2", "--oversubscribe", bin, "sweep", "scenarios/seed-er-sdwan.json", "--set", b2b_on[0], NULL };
    for (guint i = 0; i < G_N_ELEMENTS(rest); i++)
        g_ptr_array_add(argv, (gpointer)rest[i]);
    /* Under the sanitizer pass, Open MPI's components (loaded with dlopen, so LeakSanitizer sees
     * "<unknown module>" frames no suppression can name) keep allocations until exit: leak checks
     * are off for the ranks alone; arsim's own code is leak-checked by every other case. */
    g_autofree char *asan_saved = g_strdup(g_getenv("ASAN_OPTIONS"));
    if (asan_saved) {
        g_autofree char *no_leaks = g_strconcat(asan_saved, ":detect_leaks=0", NULL);
        g_setenv("ASAN_OPTIONS", no_leaks, TRUE);
    }
    int st = spawn((const char *const *)argv->pdata, &multi, &err2);
    if (asan_saved)
        g_setenv("ASAN_OPTIONS", asan_saved, TRUE);
    g_ptr_array_free(argv, TRUE);
    if (st != 0)
        g_test_message("mpirun: %s", err2);
    g_assert_cmpint(st, ==, 0);
    g_assert_nonnull(strstr(err2, "on 2 ranks"));
    g_assert_cmpstr(multi, ==, single);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sweep/seed-sdwan", test_seed_sdwan);
    g_test_add_func("/sweep/depth-two", test_depth_two);
    g_test_add_func("/sweep/identical", test_identical);
    g_test_add_func("/sweep/cli", test_cli);
    g_test_add_func("/sweep/mpi", test_mpi);
    return g_test_run();
}
