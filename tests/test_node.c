/* test_node.c - `arsim run --node NAME` naming a component with instances (a Route Server, a gateway, a circuit): each instance in the order a whole run prints them, in every output. */
#include "testlib.h"

#include "arsim/cli.h"

#include <glib/gstdio.h>
#include <string.h>

/* `arsim run scenarios/seed-er-sdwan.json [--FORMAT] [--node NODE]`. */
static TestRun run_seed(const char *format, const char *node)
{
    g_autofree char *file = test_scenario_path("seed-er-sdwan.json");
    const ArRunArgs a = { .file = file, .format = format, .node = node };
    return test_cmd_run(&a);
}

/* The components of seed-er-sdwan with two instances, and their instances in run order. */
static const char *const components[][3] = {
    { "ergw", "ergw/0", "ergw/1" },
    { "ars", "ars/0", "ars/1" },
    { "msee/onprem2", "msee/onprem2/primary", "msee/onprem2/secondary" },
};

/* Text: --node COMPONENT prints exactly --node INSTANCE0 then --node INSTANCE1, and a whole run
 * prints those two sections one after the other; an instance's name still shows it alone. */
static void test_text(void)
{
    TestRun full = run_seed(NULL, NULL);
    g_assert_cmpint(full.status, ==, EXIT_OK);
    for (guint i = 0; i < G_N_ELEMENTS(components); i++) {
        TestRun c = run_seed(NULL, components[i][0]);
        TestRun a = run_seed(NULL, components[i][1]);
        TestRun b = run_seed(NULL, components[i][2]);
        g_assert_cmpint(c.status, ==, EXIT_OK);
        g_assert_cmpint(a.status, ==, EXIT_OK);
        g_assert_cmpint(b.status, ==, EXIT_OK);
        g_autofree char *head0 = g_strdup_printf("%s  (", components[i][1]);
        g_autofree char *head1 = g_strdup_printf("\n%s  (", components[i][2]);
        g_assert_true(g_str_has_prefix(a.out, head0));
        g_assert_null(strstr(a.out, head1)); /* ars/0 alone, as before */
        g_autofree char *joined = g_strconcat(a.out, b.out, NULL);
        g_assert_cmpstr(c.out, ==, joined);
        g_assert_nonnull(strstr(full.out, joined));
        g_assert_cmpstr(c.err, ==, "");
        test_run_clear(&c);
        test_run_clear(&a);
        test_run_clear(&b);
    }
    test_run_clear(&full);
}

/* JSON (version 2 and grouped): "nodes" holds both instances, in run order, each as the whole run
 * writes it; no VNet is named ergw, so no effective routes. */
static void test_json(void)
{
    TestRun full = run_seed("json", NULL), c = run_seed("json", "ergw");
    g_assert_cmpint(c.status, ==, EXIT_OK);
    cJSON *f = cJSON_Parse(full.out), *d = cJSON_Parse(c.out);
    g_assert_nonnull(f);
    g_assert_nonnull(d);
    const cJSON *nodes = cJSON_GetObjectItem(d, "nodes");
    g_assert_cmpint(cJSON_GetArraySize(nodes), ==, 2);
    g_assert_cmpstr(cJSON_GetArrayItem(nodes, 0)->string, ==, "ergw/0");
    g_assert_cmpstr(cJSON_GetArrayItem(nodes, 1)->string, ==, "ergw/1");
    const cJSON *n;
    cJSON_ArrayForEach(n, nodes)
    {
        g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(n, "routes")), >, 0);
        g_assert_true(cJSON_Compare(n, cJSON_GetObjectItem(cJSON_GetObjectItem(f, "nodes"), n->string), TRUE));
    }
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(d, "effectiveRoutes")), ==, 0);
    cJSON_Delete(d);
    cJSON_Delete(f);
    test_run_clear(&c);
    test_run_clear(&full);

    g_autofree char *file = test_scenario_path("seed-er-sdwan.json");
    const ArRunArgs g = { .file = file, .format = "json", .node = "ars", .grouped = TRUE };
    c = test_cmd_run(&g);
    g_assert_cmpint(c.status, ==, EXIT_OK);
    d = cJSON_Parse(c.out);
    nodes = cJSON_GetObjectItem(d, "nodes");
    g_assert_cmpint(cJSON_GetArraySize(nodes), ==, 2);
    g_assert_cmpstr(cJSON_GetArrayItem(nodes, 0)->string, ==, "ars/0");
    g_assert_cmpstr(cJSON_GetArrayItem(nodes, 1)->string, ==, "ars/1");
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(nodes, 1), "routeGroups")), >, 0);
    cJSON_Delete(d);
    test_run_clear(&c);
}

/* CSV: the header, then exactly the whole run's route rows of ergw/0 and ergw/1, in its order
 * (no reachability rows: a selection). */
static void test_csv(void)
{
    TestRun full = run_seed("csv", NULL), c = run_seed("csv", "ergw");
    g_assert_cmpint(c.status, ==, EXIT_OK);
    g_auto(GStrv) fl = g_strsplit(full.out, "\n", -1);
    g_autoptr(GString) want = g_string_new(fl[0]);
    g_string_append_c(want, '\n');
    guint rows = 0;
    for (guint i = 1; fl[i]; i++)
        if (g_str_has_prefix(fl[i], "route,ergw/0,") || g_str_has_prefix(fl[i], "route,ergw/1,")) {
            g_string_append_printf(want, "%s\n", fl[i]);
            rows++;
        }
    g_assert_cmpuint(rows, >=, 4);
    g_assert_cmpstr(c.out, ==, want->str);
    test_run_clear(&c);
    test_run_clear(&full);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files under dir, as paths relative to it, sorted. */
static void list_files(const char *dir, const char *rel, GPtrArray *out)
{
    g_autofree char *here = rel ? g_build_filename(dir, rel, NULL) : g_strdup(dir);
    g_autoptr(GDir) d = g_dir_open(here, 0, NULL);
    g_assert_nonnull(d);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *r = rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
        g_autofree char *path = g_build_filename(dir, r, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR))
            list_files(dir, r, out);
        else
            g_ptr_array_add(out, g_steal_pointer(&r));
    }
    if (!rel)
        g_ptr_array_sort(out, cmp_str);
}

/* --mrt-out with --node ergw: DIR/ergw/0.mrt and DIR/ergw/1.mrt, the same bytes as a whole run's,
 * and nothing else. */
static void test_mrt(void)
{
    g_autofree char *tmp = g_dir_make_tmp("arsim-node-XXXXXX", NULL);
    g_autofree char *all_dir = g_build_filename(tmp, "all", NULL), *one_dir = g_build_filename(tmp, "ergw", NULL);
    g_autofree char *file = test_scenario_path("seed-er-sdwan.json");
    const ArRunArgs all = { .file = file, .mrt_out = all_dir }, one = { .file = file, .mrt_out = one_dir, .node = "ergw" };
    TestRun ca = test_cmd_run(&all), co = test_cmd_run(&one);
    g_assert_cmpint(ca.status, ==, EXIT_OK);
    g_assert_cmpint(co.status, ==, EXIT_OK);
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    list_files(one_dir, NULL, files);
    g_assert_cmpuint(files->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(files, 0), ==, "ergw/0.mrt");
    g_assert_cmpstr(g_ptr_array_index(files, 1), ==, "ergw/1.mrt");
    for (guint i = 0; i < files->len; i++) {
        g_autofree char *pa = g_build_filename(all_dir, g_ptr_array_index(files, i), NULL);
        g_autofree char *po = g_build_filename(one_dir, g_ptr_array_index(files, i), NULL);
        g_autofree char *a = NULL, *o = NULL;
        gsize la = 0, lo = 0;
        g_assert_true(g_file_get_contents(pa, &a, &la, NULL));
        g_assert_true(g_file_get_contents(po, &o, &lo, NULL));
        g_assert_cmpmem(a, la, o, lo);
        g_assert_cmpuint(lo, >, 0);
    }
    test_run_clear(&ca);
    test_run_clear(&co);
    test_remove_tree(tmp);
}

/* A name that is no node, component, VNet or subnet: exit 2 and nothing printed, the close names
 * and the names --node takes on stderr. A VNet's name still selects its effective routes. */
static void test_unknown(void)
{
    TestRun c = run_seed(NULL, "ergx");
    g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
    g_assert_cmpstr(c.out, ==, "");
    g_assert_nonnull(strstr(c.err, "no node, VNet or subnet named \"ergx\"; did you mean ergw?"));
    g_assert_nonnull(strstr(c.err, "nodes: ars, ergw, sdwan, onprem1, onprem2, msee/onprem2 ("));
    g_assert_nonnull(strstr(c.err, "VNets and subnets with a route table: hub, spoke1"));
    test_run_clear(&c);
    c = run_seed(NULL, "ars/2");
    g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
    g_assert_nonnull(strstr(c.err, "did you mean ars, ars/0, ars/1?"));
    test_run_clear(&c);
    c = run_seed("json", "nothing-like-it");
    g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
    g_assert_cmpstr(c.out, ==, "");
    g_assert_null(strstr(c.err, "did you mean"));
    g_assert_nonnull(strstr(c.err, "nodes: ars, ergw"));
    test_run_clear(&c);
    g_autofree char *shared = test_scenario_path("shared-circuit.json");
    const ArRunArgs sc = { .file = shared, .node = "ars" }; /* Route Servers ars1 and ars2 */
    c = test_cmd_run(&sc);
    g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
    g_assert_nonnull(strstr(c.err, "did you mean ars1, ars2?"));
    test_run_clear(&c);
    c = run_seed(NULL, "hub");
    g_assert_cmpint(c.status, ==, EXIT_OK);
    g_assert_true(g_str_has_prefix(c.out, "Effective routes of VMs in VNet hub"));
    test_run_clear(&c);
}

/* --learned-routes takes one NVA: a component's name is told apart from a mistake, naming its
 * instances and pointing to --node. */
static void test_single_speaker(void)
{
    g_autofree char *file = test_scenario_path("seed-er-sdwan.json");
    ArRunArgs a = { .file = file, .learned = "ergw" };
    TestRun c = test_cmd_run(&a);
    g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
    g_assert_nonnull(strstr(c.err, "ergw is an expressRouteGateway (instances ergw/0 and ergw/1), not an NVA: "
                                   "Route Server peerings are NVAs (use --node ergw for its routes)"));
    test_run_clear(&c);
    a.learned = NULL;
    a.advertised = "ars";
    c = test_cmd_run(&a);
    g_assert_cmpint(c.status, ==, EXIT_BAD_INPUT);
    g_assert_nonnull(strstr(c.err, "ars is a routeServer (instances ars/0 and ars/1), not an NVA"));
    test_run_clear(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/node/text", test_text);
    g_test_add_func("/node/json", test_json);
    g_test_add_func("/node/csv", test_csv);
    g_test_add_func("/node/mrt", test_mrt);
    g_test_add_func("/node/unknown", test_unknown);
    g_test_add_func("/node/single-speaker", test_single_speaker);
    return g_test_run();
}
