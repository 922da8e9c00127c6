/* test_compare.c - diffs of two runs (seed-er-sdwan with branch-to-branch off and on), the compare
 * and trace commands' output and exit statuses. */
#include "testlib.h"
#include "arsim/cli.h"
#include "arsim/compare.h"
#include "arsim/loader.h"
#include "arsim/output.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static const char *const b2b_on[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };

/* Output and status of one command run in-process. */
typedef struct Captured {
    int status;  /* exit status */
    char *out;   /* what went to out */
    char *err;   /* what went to err */
} Captured;

static void captured_clear(Captured *c)
{
    free(c->out);
    free(c->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Captured, captured_clear)

static void run_compare(const ArCompareArgs *a, Captured *c)
{
    size_t no, ne;
    FILE *out = open_memstream(&c->out, &no), *err = open_memstream(&c->err, &ne);
    c->status = cmd_compare(a, out, err);
    fclose(out);
    fclose(err);
}

static void run_trace(const ArTraceArgs *a, Captured *c)
{
    size_t no, ne;
    FILE *out = open_memstream(&c->out, &no), *err = open_memstream(&c->err, &ne);
    c->status = cmd_trace(a, out, err);
    fclose(out);
    fclose(err);
}

/* ---- the diff itself ------------------------------------------------------------------------- */

static void test_b2b_gains(void)
{
    g_autoptr(ArScenario) sa = test_load_scenario("seed-er-sdwan.json", NULL);
    g_autoptr(ArScenario) sb = test_load_scenario("seed-er-sdwan.json", b2b_on);
    g_autoptr(ArRun) ra = run_scenario(sa, NULL);
    g_autoptr(ArRun) rb = run_scenario(sb, NULL);
    g_autoptr(ArCompare) c = cmp_runs(ra, rb, "enabling branch-to-branch");
    g_assert_true(cmp_differs(c));

    /* Every difference, as "node prefix kind path": exactly the gains the seed document lists. */
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(g_free);
    char pfx[PFX_STRLEN];
    for (guint i = 0; i < c->nodes->len; i++) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        for (guint k = 0; k < n->diffs->len; k++) {
            const ArCmpDiff *d = &g_array_index(n->diffs, ArCmpDiff, k);
            g_assert_cmpint(d->kind, ==, CMP_ADDED);
            const ArRoute *r = d->after;
            g_autofree char *path = attr_path_to_string(rt_attrs(r)->path);
            g_ptr_array_add(got, g_strdup_printf("%s %s %s", n->name, pfx_format(pfx_from_key(d->key), pfx), path));
            if (g_str_has_prefix(n->name, "ergw/"))
                g_assert_true(bgp_route_ibgp(n->after, r)); /* from the Route Server, no 65515 */
        }
    }
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < got->len; i++)
        g_string_append_printf(s, "%s%s", i ? "|" : "", (char *)g_ptr_array_index(got, i));
    /* Nodes in the simulation's order: ergw/0, ergw/1, sdwan, onprem1, onprem2, the circuit's two edges. */
    g_assert_cmpstr(s->str, ==,
                    "ergw/0 10.100.0.0/16 65001-65010|ergw/1 10.100.0.0/16 65001-65010|sdwan 10.200.0.0/16 65515-12076-65020|"
                    "onprem1 10.200.0.0/16 65001-65515-12076-65020|onprem2 10.100.0.0/16 12076|"
                    "msee/onprem2/primary 10.100.0.0/16 65515-65001-65010|"
                    "msee/onprem2/secondary 10.100.0.0/16 65515-65001-65010");
    g_string_free(s, TRUE);
    g_assert_cmpuint(c->gained, ==, 7);
    g_assert_false(c->grouped); /* a small comparison lists every prefix */
    g_assert_cmpuint(c->gained_nodes, ==, 7);
    g_assert_cmpuint(c->lost, ==, 0);
    g_assert_cmpuint(c->changed, ==, 0);
    /* Effective routes do not change: the Route Server injects NVA routes whatever b2b says. */
    g_assert_cmpuint(c->vnets->len, ==, 0);
    /* Exactly one pair changes reachability. */
    g_assert_cmpuint(c->reach_changes->len, ==, 1);
    const ArCmpReach *rc = &g_array_index(c->reach_changes, ArCmpReach, 0);
    g_assert_cmpstr(rc->a, ==, "onprem1");
    g_assert_cmpstr(rc->b, ==, "onprem2");
    g_assert_false(rc->before);
    g_assert_true(rc->after);
    g_assert_cmpstr(c->summary, ==,
                    "enabling branch-to-branch: 7 routes gained at 7 nodes, 0 lost at 0 nodes; "
                    "onprem1 <-> onprem2 now reachable");

    /* The reverse comparison loses what was gained. */
    g_autoptr(ArCompare) rev = cmp_runs(rb, ra, NULL);
    g_assert_cmpuint(rev->lost, ==, 7);
    g_assert_cmpuint(rev->gained, ==, 0);
    g_assert_true(g_str_has_suffix(rev->summary, "onprem1 <-> onprem2 no longer reachable"));
}

static void test_same_run_no_difference(void)
{
    g_autoptr(ArScenario) sa = test_load_scenario("seed-er-vpn.json", NULL);
    g_autoptr(ArRun) ra = run_scenario(sa, NULL);
    g_autoptr(ArRun) rb = run_scenario(sa, NULL);
    g_autoptr(ArCompare) c = cmp_runs(ra, rb, "same");
    g_assert_false(cmp_differs(c));
    g_assert_cmpstr(c->summary, ==, "same: no difference");
}

/* A changed best route (not added or removed): the preference setting moves 10.50.0.0/16's
 * effective route from the ExpressRoute gateway to the NVA. */
static void test_effective_change(void)
{
    const char *const aspath[] = { "routeServers.ars.hubRoutingPreference=ASPath", NULL };
    g_autoptr(ArScenario) sa = test_load_scenario("seed-same-prefix.json", NULL);
    g_autoptr(ArScenario) sb = test_load_scenario("seed-same-prefix.json", aspath);
    g_autoptr(ArRun) ra = run_scenario(sa, NULL);
    g_autoptr(ArRun) rb = run_scenario(sb, NULL);
    g_autoptr(ArCompare) c = cmp_runs(ra, rb, NULL);
    g_assert_true(cmp_differs(c));
    g_assert_cmpuint(c->vnets->len, >=, 1);
    const ArCmpVnet *v = g_ptr_array_index(c->vnets, 0);
    g_assert_cmpstr(v->name, ==, "hub");
    bool found = false;
    char pfx[PFX_STRLEN];
    for (guint k = 0; k < v->diffs->len; k++) {
        const ArCmpDiff *d = &g_array_index(v->diffs, ArCmpDiff, k);
        if (strcmp(pfx_format(pfx_from_key(d->key), pfx), "10.50.0.0/16") != 0)
            continue;
        found = true;
        g_assert_cmpint(d->kind, ==, CMP_CHANGED);
        g_assert_true(d->attrs & CMP_ATTR_NH_IPS);
        g_assert_true(d->attrs & CMP_ATTR_VIA);
    }
    g_assert_true(found);
}

static void test_describe(void)
{
    char *one[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
    char *off[] = { "routeServers.ars.allowBranchToBranchTraffic=false", NULL };
    char *mixed[] = { "routeServers.ars.allowBranchToBranchTraffic=true", "nvas.sdwan.asn=65002", NULL };
    g_autofree char *d1 = cmp_describe("a.json", NULL, one);
    g_autofree char *d2 = cmp_describe("a.json", NULL, off);
    g_autofree char *d3 = cmp_describe("a.json", NULL, mixed);
    g_autofree char *d4 = cmp_describe("a.json", "b.json", NULL);
    g_assert_cmpstr(d1, ==, "enabling branch-to-branch");
    g_assert_cmpstr(d2, ==, "disabling branch-to-branch");
    g_assert_cmpstr(d3, ==, "routeServers.ars.allowBranchToBranchTraffic=true, nvas.sdwan.asn=65002");
    g_assert_cmpstr(d4, ==, "a.json -> b.json");
}

/* ---- the commands ---------------------------------------------------------------------------- */

static void test_cmd_compare_statuses(void)
{
    g_autofree char *path = test_scenario_path("seed-er-sdwan.json");
    /* 1: differences; the summary is the first line. */
    {
        char *sets[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
        ArCompareArgs a = { .file_a = path, .sets = sets };
        g_auto(Captured) c = { 0 };
        run_compare(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_DIFFERENT);
        g_assert_true(g_str_has_prefix(c.out, "enabling branch-to-branch: 7 routes gained at 7 nodes"));
        g_assert_nonnull(strstr(c.out, "\nsdwan\n  + 10.200.0.0/16      65515-12076-65020 via ars/0\n"));
        g_assert_nonnull(strstr(c.out, "  onprem1 <-> onprem2: no -> yes\n"));
    }
    /* 0: a no-op change (the name set to itself). */
    {
        char *sets[] = { "name=ExpressRoute and an SD-WAN NVA through Azure Route Server", NULL };
        ArCompareArgs a = { .file_a = path, .sets = sets };
        g_auto(Captured) c = { 0 };
        run_compare(&a, &c);
        g_assert_cmpstr(c.err, ==, "");
        g_assert_cmpint(c.status, ==, EXIT_OK);
        g_assert_nonnull(strstr(c.out, ": no difference\n"));
    }
    /* 0: a file against itself. */
    {
        ArCompareArgs a = { .file_a = path, .file_b = path };
        g_auto(Captured) c = { 0 };
        run_compare(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_OK);
    }
    /* 2: a missing file, a bad --set, --diagram (not wired yet). */
    {
        ArCompareArgs a = { .file_a = path, .file_b = "/nonexistent/b.json" };
        g_auto(Captured) c = { 0 };
        run_compare(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
        g_assert_cmpstr(c.out, ==, "");
        g_assert_cmpstr(c.err, !=, "");
    }
    {
        char *sets[] = { "routeServers.nosuch.allowBranchToBranchTraffic=true", NULL };
        ArCompareArgs a = { .file_a = path, .sets = sets };
        g_auto(Captured) c = { 0 };
        run_compare(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
    }
    {
        char *sets[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
        /* --diagram draws the "after" network with the changed nodes highlighted. */
        g_autofree char *dir = g_dir_make_tmp("arsim-cmp-XXXXXX", NULL);
        g_autofree char *dot = g_build_filename(dir, "diff.dot", NULL);
        ArCompareArgs a = { .file_a = path, .sets = sets, .diagram = dot };
        g_auto(Captured) c = { 0 };
        run_compare(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_DIFFERENT);
        g_autofree char *text = NULL;
        g_assert_true(g_file_get_contents(dot, &text, NULL, NULL));
        g_assert_nonnull(strstr(text, "+1 \xe2\x88\x92" "0 ~0 routes")); /* sdwan gained 10.200.0.0/16 */
        g_assert_nonnull(strstr(text, "enabling branch-to-branch"));
        g_remove(dot);
        g_rmdir(dir);
        ArCompareArgs bad = { .file_a = path, .sets = sets, .diagram = "x.gif" };
        g_auto(Captured) c2 = { 0 };
        run_compare(&bad, &c2);
        g_assert_cmpint(c2.status, ==, EXIT_BAD_INPUT);
        g_assert_nonnull(strstr(c2.err, "x.gif"));
    }
}

static void test_cmd_compare_json_and_output(void)
{
    g_autofree char *path = test_scenario_path("seed-er-sdwan.json");
    char *sets[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
    ArCompareArgs a = { .file_a = path, .sets = sets, .json = TRUE };
    g_auto(Captured) c = { 0 };
    run_compare(&a, &c);
    g_assert_cmpint(c.status, ==, EXIT_DIFFERENT);
    cJSON *doc = cJSON_Parse(c.out);
    g_assert_nonnull(doc);
    const char *keys[] = { "before", "after", "diff", "effectiveRoutes", "reachability", "summary" };
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        g_assert_nonnull(cJSON_GetObjectItem(doc, keys[i]));
    const cJSON *added = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "diff"), "sdwan"), "added");
    g_assert_cmpint(cJSON_GetArraySize(added), ==, 1);
    const cJSON *r = cJSON_GetArrayItem(added, 0);
    g_assert_cmpstr(cJSON_GetObjectItem(r, "prefix")->valuestring, ==, "10.200.0.0/16");
    g_assert_cmpstr(cJSON_GetObjectItem(r, "asPath")->valuestring, ==, "65515-12076-65020");
    const cJSON *reach = cJSON_GetObjectItem(doc, "reachability");
    g_assert_true(cJSON_IsFalse(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(reach, "before"), "onprem1"), "onprem2")));
    g_assert_true(cJSON_IsTrue(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(reach, "after"), "onprem1"), "onprem2")));
    cJSON_Delete(doc);

    /* -o: written atomically; never over the input scenario. */
    g_autofree char *dir = g_dir_make_tmp("arsim-cmp-XXXXXX", NULL);
    g_autofree char *file = g_build_filename(dir, "report.txt", NULL);
    ArCompareArgs b = { .file_a = path, .sets = sets, .output = file };
    g_auto(Captured) c2 = { 0 };
    run_compare(&b, &c2);
    g_assert_cmpint(c2.status, ==, EXIT_DIFFERENT);
    g_assert_cmpstr(c2.out, ==, "");
    g_autofree char *written = NULL;
    g_assert_true(g_file_get_contents(file, &written, NULL, NULL));
    g_assert_true(g_str_has_prefix(written, "enabling branch-to-branch"));
    ArCompareArgs d = { .file_a = path, .sets = sets, .output = path };
    g_auto(Captured) c3 = { 0 };
    run_compare(&d, &c3);
    g_assert_cmpint(c3.status, ==, EXIT_BAD_INPUT);
    g_remove(file);
    g_rmdir(dir);
}

/* compare --json is written a piece at a time: the streamed document is the one the same writer
 * builds as a tree (out_compare_json), and a failed write exits 2 naming the output, never a
 * partial document passed off as whole. */
static void test_cmd_compare_json_streamed(void)
{
    g_autofree char *path = test_scenario_path("seed-er-vpn.json");
    char *sets[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
    ArCompareArgs a = { .file_a = path, .sets = sets, .json = TRUE };
    g_auto(Captured) c = { 0 };
    run_compare(&a, &c);
    g_assert_cmpint(c.status, ==, EXIT_DIFFERENT);
    cJSON *streamed = cJSON_Parse(c.out);
    g_assert_nonnull(streamed);

    g_autoptr(ArScenario) sa = test_load_scenario("seed-er-vpn.json", NULL);
    const char *const b2b[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
    g_autoptr(ArScenario) sb = test_load_scenario("seed-er-vpn.json", b2b);
    g_autoptr(ArRun) ra = run_scenario(sa, NULL);
    g_autoptr(ArRun) rb = run_scenario(sb, NULL);
    g_autoptr(ArCompare) cmp = cmp_runs(ra, rb, "enabling branch-to-branch");
    cJSON *tree = out_compare_json(cmp, FALSE);
    g_assert_nonnull(tree);
    g_assert_true(cJSON_Compare(streamed, tree, TRUE));
    /* the document holds something to lose: routes gained somewhere and both grids */
    const cJSON *gained = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(tree, "diff"), "ergw/0"), "added");
    g_assert_cmpint(cJSON_GetArraySize(gained), ==, 1);
    g_assert_cmpstr(cJSON_GetObjectItem(cJSON_GetArrayItem(gained, 0), "prefix")->valuestring, ==, "10.100.0.0/16");
    g_assert_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(tree, "reachability"), "after"));
    cJSON_Delete(tree);
    cJSON_Delete(streamed);

    if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        ArCompareArgs f = { .file_a = path, .sets = sets, .json = TRUE, .output = "/dev/full" };
        g_auto(Captured) cf = { 0 };
        run_compare(&f, &cf);
        g_assert_cmpint(cf.status, ==, EXIT_BAD_INPUT);
        g_assert_nonnull(strstr(cf.err, "/dev/full: cannot write"));
    }
}

/* Counts best routes over a run document's nodes. */
static int count_best(const cJSON *run)
{
    int n = 0;
    const cJSON *node, *r;
    cJSON_ArrayForEach(node, cJSON_GetObjectItem(run, "nodes"))
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(node, "routes"))
            n += cJSON_IsTrue(cJSON_GetObjectItem(r, "best"));
    return n;
}

/* compare --json summarises what is identical: run heads only, counts of what is unchanged that
 * agree with the whole documents --full writes, VNets with the same differences named once. */
static void test_cmd_compare_json_summarised(void)
{
    g_autofree char *path = test_scenario_path("seed-er-vpn.json");
    char *sets[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
    ArCompareArgs a = { .file_a = path, .sets = sets, .json = TRUE };
    g_auto(Captured) c = { 0 };
    run_compare(&a, &c);
    ArCompareArgs f = { .file_a = path, .sets = sets, .json = TRUE, .full = TRUE };
    g_auto(Captured) cf = { 0 };
    run_compare(&f, &cf);
    g_assert_cmpint(c.status, ==, EXIT_DIFFERENT);
    g_assert_cmpint(cf.status, ==, EXIT_DIFFERENT);
    cJSON *doc = cJSON_Parse(c.out), *full = cJSON_Parse(cf.out);
    g_assert_nonnull(doc);
    g_assert_nonnull(full);
    g_assert_cmpuint(strlen(c.out) * 2, <, strlen(cf.out));
    g_assert_cmpint(cJSON_GetObjectItem(doc, "formatVersion")->valueint, ==, OUT_COMPARE_FORMAT_VERSION);
    const cJSON *before = cJSON_GetObjectItem(doc, "before"), *fb = cJSON_GetObjectItem(full, "before");
    g_assert_null(cJSON_GetObjectItem(before, "nodes"));
    g_assert_nonnull(cJSON_GetObjectItem(fb, "nodes"));
    const char *head[] = { "formatVersion", "scenario", "converged", "time", "messages", "events" };
    for (size_t i = 0; i < G_N_ELEMENTS(head); i++)
        g_assert_true(cJSON_Compare(cJSON_GetObjectItem(before, head[i]), cJSON_GetObjectItem(fb, head[i]), TRUE));
    /* unchanged best routes + lost + changed = best routes before; unchanged nodes: in both, no diff */
    const cJSON *same = cJSON_GetObjectItem(doc, "unchanged"), *node;
    int lost = 0, changed = 0, nodes_same = 0;
    cJSON_ArrayForEach(node, cJSON_GetObjectItem(doc, "diff")) {
        lost += cJSON_GetArraySize(cJSON_GetObjectItem(node, "removed"));
        changed += cJSON_GetArraySize(cJSON_GetObjectItem(node, "changed"));
    }
    cJSON_ArrayForEach(node, cJSON_GetObjectItem(fb, "nodes"))
        nodes_same += cJSON_HasObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(full, "after"), "nodes"), node->string) &&
                      !cJSON_HasObjectItem(cJSON_GetObjectItem(doc, "diff"), node->string);
    g_assert_cmpint(cJSON_GetObjectItem(same, "bestRoutes")->valueint, >, 0);
    g_assert_cmpint(cJSON_GetObjectItem(same, "bestRoutes")->valueint + lost + changed, ==, count_best(fb));
    g_assert_cmpint(cJSON_GetObjectItem(same, "nodes")->valueint, ==, nodes_same);
    /* what differs is the same in both forms */
    const char *parts[] = { "unchanged", "diff", "effectiveRoutes", "reachability", "summary" };
    for (size_t i = 0; i < G_N_ELEMENTS(parts); i++)
        g_assert_true(cJSON_Compare(cJSON_GetObjectItem(doc, parts[i]), cJSON_GetObjectItem(full, parts[i]), TRUE));
    cJSON_Delete(doc);
    cJSON_Delete(full);

    /* Twelve spokes behind one hub lose the same effective routes: written once, then named. */
    ArGenParams p;
    gen_params_default(&p);
    p.spokes = 12;
    p.nvas = 2;
    p.routes_per_nva = 30;
    p.er_prefixes = 10;
    const char *const less[] = { "sites.branch1.addressPrefixes=[\"99.0.0.0/24\"]", NULL };
    g_autoptr(ArScenario) sa = test_load_generated(&p, NULL);
    g_autoptr(ArScenario) sb = test_load_generated(&p, less);
    g_autoptr(ArRun) ra = run_scenario(sa, NULL);
    g_autoptr(ArRun) rb = run_scenario(sb, NULL);
    g_autoptr(ArCompare) cmp = cmp_runs(ra, rb, NULL);
    cJSON *sum = out_compare_json(cmp, FALSE), *all = out_compare_json(cmp, TRUE);
    const cJSON *v, *ev = cJSON_GetObjectItem(sum, "effectiveRoutes");
    int named = 0;
    cJSON_ArrayForEach(v, ev) {
        const cJSON *as = cJSON_GetObjectItem(v, "sameAs");
        if (!as)
            continue;
        named++;
        const cJSON *first = cJSON_GetObjectItem(ev, as->valuestring);
        g_assert_nonnull(first);
        g_assert_null(cJSON_GetObjectItem(first, "sameAs"));
        /* --full writes it out: the same differences as the VNet it names */
        g_assert_true(cJSON_Compare(cJSON_GetObjectItem(cJSON_GetObjectItem(all, "effectiveRoutes"), v->string), first, TRUE));
    }
    g_assert_cmpint(named, >=, 11);
    cJSON_Delete(sum);
    cJSON_Delete(all);
}

/* A copy of object o with "prefix": p first, then o's members but "prefixSet". */
static cJSON *with_prefix(const cJSON *o, const char *p)
{
    cJSON *r = cJSON_CreateObject(), *m;
    cJSON_AddStringToObject(r, "prefix", p);
    cJSON_ArrayForEach(m, o)
    {
        if (strcmp(m->string, "prefixSet") != 0)
            cJSON_AddItemToObject(r, m->string, cJSON_Duplicate(m, TRUE));
    }
    return r;
}

static gint line_cmp(gconstpointer a, gconstpointer b)
{
    const uint64_t x = *(const uint64_t *)*(char *const *)a, y = *(const uint64_t *)*(char *const *)b;
    return (x > y) - (x < y);
}

/* Grouped list groups of doc, expanded in prefix order, is summarised list want line for line. A
 * changed entry's "before" and "after" get the prefix back too. Returns the entries. */
static guint check_groups(const cJSON *doc, const cJSON *groups, const cJSON *want)
{
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(g_free); /* key (8 bytes), then the line */
    const cJSON *g;
    cJSON_ArrayForEach(g, groups)
    {
        g_autoptr(GArray) keys = test_prefix_set(doc, cJSON_GetObjectItem(g, "prefixSet")->valueint);
        for (guint k = 0; k < keys->len; k++) {
            char p[PFX_STRLEN];
            uint64_t key = g_array_index(keys, uint64_t, k);
            pfx_format(pfx_from_key(key), p);
            cJSON *e = with_prefix(g, p);
            for (const char *const *side = (const char *const[]){ "before", "after", NULL }; *side; side++) {
                const cJSON *r = cJSON_GetObjectItem(g, *side);
                if (r)
                    cJSON_ReplaceItemInObjectCaseSensitive(e, *side, with_prefix(r, p));
            }
            g_autofree char *line = cJSON_PrintUnformatted(e);
            cJSON_Delete(e);
            char *item = g_malloc(sizeof key + strlen(line) + 1);
            memcpy(item, &key, sizeof key);
            strcpy(item + sizeof key, line);
            g_ptr_array_add(got, item);
        }
    }
    g_ptr_array_sort(got, line_cmp);
    g_assert_cmpint(cJSON_GetArraySize(want), ==, (int)got->len);
    guint i = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, want)
    {
        g_autofree char *line = cJSON_PrintUnformatted(w);
        g_assert_cmpstr((char *)g_ptr_array_index(got, i) + sizeof(uint64_t), ==, line);
        i++;
    }
    return got->len;
}

/* compare --json's grouped form (version 3, forced) holds exactly the summarised form's
 * differences: every node's and VNet's added, removed and changed groups, expanded from the prefix
 * sets in prefix order, print the summarised lists line for line; the rest is the same. */
static void test_compare_json_grouped(void)
{
    ArGenParams p;
    gen_params_default(&p);
    p.spokes = 4;
    p.nvas = 2;
    p.routes_per_nva = 30;
    p.er_prefixes = 50;
    const char *const less[] = { "sites.branch1.addressPrefixes=[\"99.0.0.0/24\"]", NULL };
    const char *const b2b[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
    struct {
        const char *a, *b;             /* scenarios (NULL: the generated one) */
        const char *const *sets;       /* --set for b */
    } cases[] = {
        { "seed-er-vpn.json", "seed-er-vpn.json", b2b },
        { "create-route-server.json", "seed-er-vpn.json", NULL },
        { NULL, NULL, less },
    };
    guint kinds[3] = { 0 };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(ArScenario) sa = cases[i].a ? test_load_scenario(cases[i].a, NULL) : test_load_generated(&p, NULL);
        g_autoptr(ArScenario) sb = cases[i].b ? test_load_scenario(cases[i].b, cases[i].sets) : test_load_generated(&p, cases[i].sets);
        g_autoptr(ArRun) ra = run_scenario(sa, NULL);
        g_autoptr(ArRun) rb = run_scenario(sb, NULL);
        g_autoptr(ArCompare) cmp = cmp_runs(ra, rb, NULL);
        cJSON *sum = out_compare_json(cmp, FALSE);
        ArJsonOut *w = out_json_dom();
        out_json_begin(w, NULL, FALSE);
        out_compare_json_write_form(cmp, OUT_CMP_GROUPED, w);
        out_json_end(w);
        cJSON *doc = out_json_dom_finish(w);
        g_assert_cmpint(cJSON_GetObjectItem(sum, "formatVersion")->valueint, ==, OUT_COMPARE_FORMAT_VERSION);
        g_assert_cmpint(cJSON_GetObjectItem(doc, "formatVersion")->valueint, ==, OUT_COMPARE_FORMAT_GROUPED);
        const cJSON *m;
        cJSON_ArrayForEach(m, doc)
        {
            if (strcmp(m->string, "formatVersion") && strcmp(m->string, "prefixSets") && strcmp(m->string, "diff") &&
                strcmp(m->string, "effectiveRoutes"))
                g_assert_true(cJSON_Compare(m, cJSON_GetObjectItem(sum, m->string), TRUE));
        }
        static const char *const lists[] = { "added", "removed", "changed" };
        for (const char *const *part = (const char *const[]){ "diff", "effectiveRoutes", NULL }; *part; part++) {
            const cJSON *want = cJSON_GetObjectItem(sum, *part), *n;
            g_assert_cmpint(cJSON_GetArraySize(want), ==, cJSON_GetArraySize(cJSON_GetObjectItem(doc, *part)));
            cJSON_ArrayForEach(n, want)
            {
                const cJSON *gn = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, *part), n->string);
                g_assert_nonnull(gn);
                if (cJSON_GetObjectItem(n, "sameAs")) {
                    g_assert_true(cJSON_Compare(n, gn, TRUE));
                    continue;
                }
                for (guint k = 0; k < G_N_ELEMENTS(lists); k++) {
                    g_autofree char *name = g_strconcat(lists[k], "Groups", NULL);
                    kinds[k] += check_groups(doc, cJSON_GetObjectItem(gn, name), cJSON_GetObjectItem(n, lists[k]));
                }
            }
        }
        cJSON_Delete(doc);
        cJSON_Delete(sum);
    }
    /* every kind of entry was expanded */
    g_assert_cmpuint(kinds[0], >, 0);
    g_assert_cmpuint(kinds[1], >, 0);
    g_assert_cmpuint(kinds[2], >, 0);
}

static void test_cmd_trace(void)
{
    g_autofree char *path = test_scenario_path("seed-er-sdwan.json");
    {
        ArTraceArgs a = { .file = path, .from = "spoke1", .to = "10.100.0.4" };
        g_auto(Captured) c = { 0 };
        run_trace(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_OK);
        g_assert_true(g_str_has_prefix(c.out, "spoke1 -> 10.100.0.4\n  1  spoke1"));
        g_assert_true(g_str_has_suffix(c.out, "\ndelivered at onprem1\n"));
    }
    {
        ArTraceArgs a = { .file = path, .from = "onprem1", .to = "onprem2", .json = TRUE };
        g_auto(Captured) c = { 0 };
        run_trace(&a, &c);
        g_assert_cmpint(c.status, ==, 1);
        cJSON *doc = cJSON_Parse(c.out);
        g_assert_nonnull(doc);
        g_assert_cmpstr(cJSON_GetObjectItem(doc, "verdict")->valuestring, ==, "no route at onprem1");
        g_assert_true(cJSON_IsFalse(cJSON_GetObjectItem(doc, "delivered")));
        g_assert_cmpstr(cJSON_GetObjectItem(doc, "to")->valuestring, ==, "10.200.0.4");
        cJSON_Delete(doc);
    }
    {
        char *sets[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
        ArTraceArgs a = { .file = path, .sets = sets, .from = "onprem1", .to = "onprem2" };
        g_auto(Captured) c = { 0 };
        run_trace(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_OK);
    }
    {
        ArTraceArgs a = { .file = path, .from = "ars/0", .to = "10.1.0.4" };
        g_auto(Captured) c = { 0 };
        run_trace(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
        g_assert_nonnull(strstr(c.err, "onprem1, onprem2, hub, spoke1"));
    }
    {
        ArTraceArgs a = { .file = path, .from = "hub", .to = "10.1.0" };
        g_auto(Captured) c = { 0 };
        run_trace(&a, &c);
        g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
    }
}

/* Past CMP_FULL_MAX differences: totals first, runs of prefixes with the same route as covering
 * ranges that hold exactly their prefixes, spokes that reach alike on one grid row. */
static void test_grouped(void)
{
    ArGenParams p;
    gen_params_default(&p);
    p.spokes = 12;
    p.nvas = 2;
    p.routes_per_nva = 300;
    p.er_prefixes = 100;
    p.branch_to_branch = true;
    const char *const off[] = { "routeServers.ars.allowBranchToBranchTraffic=false", NULL };
    g_autoptr(ArScenario) sa = test_load_generated(&p, NULL);
    g_autoptr(ArScenario) sb = test_load_generated(&p, off);
    g_autoptr(ArRun) ra = run_scenario(sa, NULL);
    g_autoptr(ArRun) rb = run_scenario(sb, NULL);
    g_autoptr(ArCompare) c = cmp_runs(ra, rb, "disabling branch-to-branch");
    g_assert_true(c->grouped);
    g_assert_cmpuint(c->lost, >, CMP_FULL_MAX);
    guint lines = 0, diffs = 0;
    for (guint i = 0; i < c->nodes->len; i++) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        g_autoptr(GArray) ranges = cmp_node_ranges(n);
        guint next = 0;
        for (guint r = 0; r < ranges->len; r++) {
            const ArPfxRange *rg = &g_array_index(ranges, ArPfxRange, r);
            g_assert_cmpuint(rg->first, ==, next); /* in order, each diff once */
            next += rg->count;
            /* the cover holds its prefixes and none of another line */
            for (guint k = 0; k < n->diffs->len; k++) {
                bool mine = k >= rg->first && k < rg->first + rg->count;
                ArPrefix pk = pfx_from_key(g_array_index(n->diffs, ArCmpDiff, k).key);
                g_assert_true(pfx_within(pk, rg->cover) == mine || (!mine && pk.len < rg->cover.len));
            }
        }
        g_assert_cmpuint(next, ==, n->diffs->len);
        lines += ranges->len;
        diffs += n->diffs->len;
    }
    g_assert_cmpuint(lines * 10, <, diffs); /* grouping shrinks the listing tenfold at least */

    GString *s = g_string_new(NULL);
    out_compare_text(c, s);
    const char *totals = strstr(s->str, "\nTotals: best routes 0 gained, ");
    const char *best = strstr(s->str, "\nBest routes (");
    g_assert_nonnull(totals);
    g_assert_nonnull(best);
    g_assert_true(totals < best);
    g_assert_nonnull(strstr(s->str, " prefixes in "));
    /* The twelve spokes reach and are reached alike: one row of the grid. */
    g_assert_nonnull(strstr(s->str, "\n  spoke1-spoke12 "));
    g_string_free(s, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/compare/b2b-gains", test_b2b_gains);
    g_test_add_func("/compare/no-difference", test_same_run_no_difference);
    g_test_add_func("/compare/effective-change", test_effective_change);
    g_test_add_func("/compare/describe", test_describe);
    g_test_add_func("/compare/cmd-statuses", test_cmd_compare_statuses);
    g_test_add_func("/compare/cmd-json-and-output", test_cmd_compare_json_and_output);
    g_test_add_func("/compare/cmd-json-streamed", test_cmd_compare_json_streamed);
    g_test_add_func("/compare/cmd-json-summarised", test_cmd_compare_json_summarised);
    g_test_add_func("/compare/json-grouped", test_compare_json_grouped);
    g_test_add_func("/compare/cmd-trace", test_cmd_trace);
    g_test_add_func("/compare/grouped", test_grouped);
    return g_test_run();
}
