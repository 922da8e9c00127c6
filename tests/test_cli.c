/* test_cli.c - the arsim executable as a user runs it: exit statuses, outputs, files written. */
#include "testlib.h"

#include <cjson/cJSON.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void test_help(void)
{
    TestRun r = test_arsim("--help", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "arsim run scenarios/seed-er-sdwan.json"));
    g_assert_nonnull(strstr(r.out, "Exit status"));
    test_run_clear(&r);
    r = test_arsim(NULL, NULL); /* no arguments at all */
    g_assert_cmpint(r.status, ==, 2);
    test_run_clear(&r);
    r = test_arsim("frobnicate", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "unknown command \"frobnicate\""));
    test_run_clear(&r);
    r = test_arsim("help", "run", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "--learned-routes"));
    test_run_clear(&r);
    r = test_arsim("run", "--no-such-option", "scenarios/seed-er-sdwan.json", NULL);
    g_assert_cmpint(r.status, ==, 2);
    test_run_clear(&r);
    /* Help that cannot be written is a failure too (GOption's own --help exits 0 whatever happened). */
    if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        const char *forms[] = { "help run", "run --help", "compare -h", "help", "--help" };
        g_autofree char *q = g_shell_quote(g_getenv("ARSIM_BIN"));
        for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
            g_autofree char *cmd = g_strdup_printf("/bin/sh -c \"%s %s > /dev/full\"", q, forms[i]);
            g_autofree char *o = NULL, *er = NULL;
            int wait = 0;
            g_assert_true(g_spawn_command_line_sync(cmd, &o, &er, &wait, NULL));
            g_assert_true(WIFEXITED(wait));
            if (WEXITSTATUS(wait) != 2)
                g_printerr("arsim %s > /dev/full: status %d\n", forms[i], WEXITSTATUS(wait));
            g_assert_cmpint(WEXITSTATUS(wait), ==, 2);
            g_assert_nonnull(strstr(er, "cannot write to standard output"));
        }
    }
}

static void test_validate(void)
{
    TestRun r = test_arsim("validate", "scenarios/seed-er-sdwan.json", "scenarios/seed-er-vpn.json",
                     "scenarios/seed-same-prefix.json", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "scenarios/seed-er-sdwan.json: valid: 2 VNets, 1 Route Servers, 1 gateways, 1 NVAs, 2 sites"));
    test_run_clear(&r);
    r = test_arsim("validate", "scenarios/seed-er-sdwan.json", "--set", "nvas.sdwan.asn=65515", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "/nvas/0/asn: 65515 is reserved"));
    test_run_clear(&r);
    r = test_arsim("validate", "no/such/file.json", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "no/such/file.json"));
    test_run_clear(&r);
}

static void test_run_json(void)
{
    TestRun r = test_arsim("run", "--json", "scenarios/seed-er-sdwan.json", NULL);
    g_assert_cmpint(r.status, ==, 0);
    cJSON *doc = cJSON_Parse(r.out);
    g_assert_nonnull(doc);
    g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "converged")));
    g_assert_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "nodes"), "ars/0"));
    const cJSON *spoke1 = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "effectiveRoutes"), "spoke1");
    g_assert_cmpstr(cJSON_GetObjectItem(spoke1, "table")->valuestring, ==, "hub");
    g_assert_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tables"), "hub"));
    g_assert_cmpint(cJSON_GetObjectItem(doc, "formatVersion")->valueint, ==, 2);
    cJSON_Delete(doc);
    /* A full device: exit 2 naming the output, never "null" or a half document. */
    if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        const char *modes[] = { "--json", "--all" };
        for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
            TestRun f = test_arsim("run", modes[i], "scenarios/seed-er-sdwan.json", "-o", "/dev/full", NULL);
            g_assert_cmpint(f.status, ==, 2);
            g_assert_nonnull(strstr(f.err, "/dev/full: cannot write"));
            test_run_clear(&f);
        }
    }
    /* --vnet, --prefix, --all: what they show, and their mistakes. */
    TestRun v = test_arsim("run", "scenarios/seed-er-sdwan.json", "--vnet", "spoke1", NULL);
    g_assert_cmpint(v.status, ==, 0);
    g_assert_true(g_str_has_prefix(v.out, "Effective routes of VMs in VNet spoke1"));
    g_assert_null(strstr(v.out, "Routes per node"));
    test_run_clear(&v);
    v = test_arsim("run", "scenarios/seed-er-sdwan.json", "--vnet", "nosuch", NULL);
    g_assert_cmpint(v.status, ==, 2);
    g_assert_nonnull(strstr(v.err, "--vnet: no VNet or subnet"));
    test_run_clear(&v);
    v = test_arsim("run", "scenarios/seed-er-sdwan.json", "--prefix", "10.200.0.1/16", NULL);
    g_assert_cmpint(v.status, ==, 2);
    g_assert_nonnull(strstr(v.err, "did you mean 10.200.0.0/16"));
    test_run_clear(&v);
    v = test_arsim("run", "--json", "scenarios/seed-er-sdwan.json", "--prefix", "10.200.0.0/16", NULL);
    g_assert_cmpint(v.status, ==, 0);
    doc = cJSON_Parse(v.out);
    const cJSON *e = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "effectiveRoutes"), "spoke1");
    g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(e, "table")));
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(e, "routes")), ==, 1);
    cJSON_Delete(doc);
    test_run_clear(&v);
    v = test_arsim("help", "run", NULL);
    g_assert_nonnull(strstr(v.out, "--all"));
    g_assert_nonnull(strstr(v.out, "--vnet"));
    g_assert_nonnull(strstr(v.out, "Past 20,000 lines"));
    test_run_clear(&v);
    /* Same scenario, same bytes. */
    TestRun again = test_arsim("run", "--json", "scenarios/seed-er-sdwan.json", NULL);
    g_assert_cmpstr(r.out, ==, again.out);
    test_run_clear(&again);
    test_run_clear(&r);
    r = test_arsim("run", "scenarios/seed-er-sdwan.json", "--node", "nope", NULL);
    g_assert_cmpint(r.status, ==, 2);
    test_run_clear(&r);
    r = test_arsim("run", "scenarios/disagree.json", "--max-events", "500", NULL);
    g_assert_cmpint(r.status, ==, 3);
    g_assert_nonnull(strstr(r.err, "stopped after 500 events"));
    test_run_clear(&r);
}

static void test_learned_routes(void)
{
    TestRun r = test_arsim("run", "scenarios/seed-er-sdwan.json", "--learned-routes", "sdwan", "--json", NULL);
    g_assert_cmpint(r.status, ==, 0);
    cJSON *doc = cJSON_Parse(r.out);
    g_assert_nonnull(doc);
    const cJSON *in0 = cJSON_GetObjectItem(doc, "RouteServiceRole_IN_0");
    g_assert_cmpint(cJSON_GetArraySize(in0), ==, 1);
    const cJSON *e = cJSON_GetArrayItem(in0, 0);
    g_assert_cmpstr(cJSON_GetObjectItem(e, "network")->valuestring, ==, "10.100.0.0/16");
    g_assert_cmpstr(cJSON_GetObjectItem(e, "asPath")->valuestring, ==, "65001-65010");
    g_assert_cmpstr(cJSON_GetObjectItem(e, "origin")->valuestring, ==, "EBgp");
    g_assert_cmpint(cJSON_GetObjectItem(e, "weight")->valueint, ==, 32768);
    g_assert_nonnull(cJSON_GetObjectItem(doc, "RouteServiceRole_IN_1"));
    cJSON_Delete(doc);
    test_run_clear(&r);
    r = test_arsim("run", "scenarios/seed-er-sdwan.json", "--advertised-routes", "sdwan", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "RouteServiceRole_IN_1"));
    g_assert_nonnull(strstr(r.out, "10.2.0.0/16"));
    test_run_clear(&r);
    r = test_arsim("run", "scenarios/seed-er-sdwan.json", "--learned-routes", "onprem1", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "onprem1 is a site, not an NVA"));
    test_run_clear(&r);
    r = test_arsim("run", "scenarios/seed-er-sdwan.json", "--learned-routes", "ergw/0", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "ergw/0 is an expressRouteGateway, not an NVA"));
    test_run_clear(&r);
    r = test_arsim("graph", "scenarios/seed-er-sdwan.json", "-o", "x.svg", "--format", "jpg", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "--format jpg is not one of"));
    test_run_clear(&r);
}

static void test_output_files(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-cli-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(dir, "run.json", NULL);
    TestRun r = test_arsim("run", "--json", "scenarios/seed-er-vpn.json", "-o", out, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(out, &text, NULL, NULL));
    cJSON *doc = cJSON_Parse(text);
    g_assert_nonnull(doc);
    cJSON_Delete(doc);
    test_run_clear(&r);
    /* Never over the input scenario; the input is untouched. */
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    g_autofree char *input = g_build_filename(dir, "in.json", NULL);
    g_autofree char *seed = g_build_filename(root, "scenarios", "seed-er-vpn.json", NULL);
    g_autofree char *seed_text = NULL;
    g_assert_true(g_file_get_contents(seed, &seed_text, NULL, NULL));
    g_assert_true(g_file_set_contents(input, seed_text, -1, NULL));
    r = test_arsim("run", input, "-o", input, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "refusing to write over the input"));
    g_autofree char *after = NULL;
    g_assert_true(g_file_get_contents(input, &after, NULL, NULL));
    g_assert_cmpstr(after, ==, seed_text);
    test_run_clear(&r);
    /* A diagram; an unwritable target leaves nothing behind. */
    g_autofree char *svg = g_build_filename(dir, "t.svg", NULL);
    r = test_arsim("graph", "scenarios/seed-er-sdwan.json", "-o", svg, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_file_test(svg, G_FILE_TEST_IS_REGULAR));
    test_run_clear(&r);
    g_autofree char *bad = g_build_filename(dir, "missing-dir", "t.svg", NULL);
    r = test_arsim("graph", "scenarios/seed-er-sdwan.json", "-o", bad, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "cannot write: folder"));
    g_assert_nonnull(strstr(r.err, "does not exist"));
    test_run_clear(&r);
    r = test_arsim("graph", "scenarios/seed-er-sdwan.json", "-o", dir, "--format", "svg", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "it is a folder"));
    test_run_clear(&r);
    r = test_arsim("graph", "scenarios/seed-er-sdwan.json", "-o", svg, "--prefix", "10.200.0.1/16", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "did you mean 10.200.0.0/16"));
    test_run_clear(&r);
    /* A symbolic link: its target is replaced, the link stays; a link to the input is refused. */
    g_autofree char *link = g_build_filename(dir, "link.json", NULL);
    g_assert_cmpint(symlink("run.json", link), ==, 0);
    r = test_arsim("run", "scenarios/seed-er-sdwan.json", "-o", link, NULL);
    g_assert_cmpint(r.status, ==, 0);
    test_run_clear(&r);
    g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    g_autofree char *via_link = NULL;
    g_assert_true(g_file_get_contents(out, &via_link, NULL, NULL));
    g_assert_nonnull(strstr(via_link, "SD-WAN"));
    g_autofree char *in_link = g_build_filename(dir, "in-link.json", NULL);
    g_assert_cmpint(symlink("in.json", in_link), ==, 0);
    r = test_arsim("run", input, "-o", in_link, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "refusing to write over the input"));
    test_run_clear(&r);
    /* A device is written into, not replaced; its errors are reported. */
    if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        r = test_arsim("run", "scenarios/seed-er-sdwan.json", "-o", "/dev/full", NULL);
        g_assert_cmpint(r.status, ==, 2);
        g_assert_nonnull(strstr(r.err, "/dev/full: cannot write"));
        test_run_clear(&r);
    }
    /* A wrong --node is found before the trace and the chart are written: no file appears. */
    g_autofree char *tr = g_build_filename(dir, "t.jsonl", NULL);
    g_autofree char *ch = g_build_filename(dir, "c.svg", NULL);
    g_autofree char *tr_opt = g_strconcat("--trace=", tr, NULL);
    g_autofree char *ch_opt = g_strconcat("--chart=", ch, NULL);
    r = test_arsim("run", "scenarios/seed-er-sdwan.json", "--node", "nope", tr_opt, ch_opt, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "no node, VNet or subnet named \"nope\""));
    test_run_clear(&r);
    g_assert_false(g_file_test(tr, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(ch, G_FILE_TEST_EXISTS));
    r = test_arsim("run", "scenarios/seed-er-sdwan.json", "--learned-routes", "onprem1", tr_opt, NULL);
    g_assert_cmpint(r.status, ==, 2);
    test_run_clear(&r);
    g_assert_false(g_file_test(tr, G_FILE_TEST_EXISTS));
    GDir *left = g_dir_open(dir, 0, NULL);
    for (const char *n; (n = g_dir_read_name(left));)
        g_assert_false(g_str_has_prefix(n, ".t.jsonl")); /* no temporary file either */
    g_dir_close(left);
    /* Standard output that cannot be written is a failure, not a silent success. */
    if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        g_autofree char *q = g_shell_quote(g_getenv("ARSIM_BIN"));
        g_autofree char *scn = g_build_filename(g_getenv("ARSIM_SOURCE_ROOT"), "scenarios", "seed-er-vpn.json", NULL);
        g_autofree char *qs = g_shell_quote(scn);
        g_autofree char *cmd = g_strdup_printf("/bin/sh -c \"%s run %s > /dev/full\"", q, qs);
        g_autofree char *o = NULL, *er = NULL;
        int wait = 0;
        g_assert_true(g_spawn_command_line_sync(cmd, &o, &er, &wait, NULL));
        g_assert_true(WIFEXITED(wait));
        g_assert_cmpint(WEXITSTATUS(wait), ==, 2);
        g_assert_nonnull(strstr(er, "cannot write to standard output"));
    }
    r = test_arsim("run", "scenarios/seed-er-sdwan.json", "-o", "", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "empty"));
    test_run_clear(&r);
    g_remove(link);
    g_remove(in_link);
    g_remove(out);
    g_remove(input);
    g_remove(svg);
    g_rmdir(dir);
}

/* Asserts r failed with status 2 and phrase on stderr, and path still holds text. */
static void assert_refused(TestRun *r, const char *phrase, const char *path, const char *text)
{
    if (r->status != 2 || !strstr(r->err, phrase))
        g_printerr("status %d, stderr: %s\n", r->status, r->err);
    g_assert_cmpint(r->status, ==, 2);
    g_assert_nonnull(strstr(r->err, phrase));
    g_autofree char *now = NULL;
    g_assert_true(g_file_get_contents(path, &now, NULL, NULL));
    g_assert_cmpstr(now, ==, text);
    test_run_clear(r);
}

/* Every output of every command is checked against every input (any name or link for it) and
 * against the other outputs, before any work: exit 2, nothing replaced, nothing lost. */
static void test_outputs_never_over_inputs(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-cli-XXXXXX", NULL);
    g_autofree char *seed = g_build_filename(g_getenv("ARSIM_SOURCE_ROOT"), "scenarios", "seed-er-sdwan.json", NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(seed, &text, NULL, NULL));
    g_autofree char *in = g_build_filename(dir, "in.json", NULL);
    g_autofree char *b = g_build_filename(dir, "B.svg", NULL); /* an input scenario with a diagram's name */
    g_autofree char *blink = g_build_filename(dir, "link", NULL);
    g_autofree char *hard = g_build_filename(dir, "hard.json", NULL);
    g_autofree char *dotted = g_build_filename(dir, ".", "sub", "..", "in.json", NULL);
    g_autofree char *sub = g_build_filename(dir, "sub", NULL);
    g_autofree char *x = g_build_filename(dir, "x.svg", NULL);
    g_autofree char *x2 = g_build_filename(dir, "sub", "..", "x.svg", NULL);
    g_autofree char *dangling = g_build_filename(dir, "dangling", NULL);
    g_assert_true(g_file_set_contents(in, text, -1, NULL));
    g_assert_true(g_file_set_contents(b, text, -1, NULL));
    g_assert_cmpint(symlink("B.svg", blink), ==, 0);
    g_assert_cmpint(link(in, hard), ==, 0);
    g_assert_cmpint(g_mkdir(sub, 0755), ==, 0);
    g_assert_cmpint(symlink("x.svg", dangling), ==, 0);

    TestRun r = test_arsim("run", in, "--trace", in, NULL);
    assert_refused(&r, "--trace", in, text);
    r = test_arsim("run", in, "--trace", hard, NULL);
    assert_refused(&r, "refusing to write over the input scenario", in, text);
    r = test_arsim("run", in, "--chart", dotted, NULL);
    assert_refused(&r, "refusing to write over the input scenario", in, text);
    r = test_arsim("run", b, "--trace", blink, NULL);
    assert_refused(&r, "refusing to write over the input scenario", b, text);
    r = test_arsim("compare", in, b, "--diagram", b, NULL);
    assert_refused(&r, "--diagram", b, text);
    r = test_arsim("compare", in, b, "-o", blink, NULL);
    assert_refused(&r, "refusing to write over the input scenario", b, text);
    r = test_arsim("report", in, "--compare", blink, "-o", b, NULL);
    assert_refused(&r, "refusing to write over the input --compare", b, text);
    r = test_arsim("graph", in, "-o", hard, "--format", "svg", NULL);
    assert_refused(&r, "refusing to write over the input scenario", in, text);
    /* Two outputs on one file: one of them would be lost. */
    r = test_arsim("run", in, "-o", x, "--trace", x, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "name the same file"));
    test_run_clear(&r);
    r = test_arsim("run", in, "--chart", x, "--trace", x2, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "name the same file"));
    test_run_clear(&r);
    r = test_arsim("compare", in, b, "--diagram", x, "-o", dangling, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "name the same file"));
    test_run_clear(&r);
    g_assert_false(g_file_test(x, G_FILE_TEST_EXISTS));
    /* Devices are written into, not replaced: sharing one loses nothing. */
    r = test_arsim("run", in, "-o", "/dev/null", "--trace", "/dev/null", NULL);
    g_assert_cmpint(r.status, ==, 0);
    test_run_clear(&r);
    r = test_arsim("run", in, "--trace", "", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "--trace is empty"));
    test_run_clear(&r);

    const char *made[] = { in, b, blink, hard, dangling, x };
    for (size_t i = 0; i < G_N_ELEMENTS(made); i++)
        g_remove(made[i]);
    g_rmdir(sub);
    GDir *left = g_dir_open(dir, 0, NULL);
    g_assert_null(g_dir_read_name(left)); /* no temporary file left either */
    g_dir_close(left);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cli/help", test_help);
    g_test_add_func("/cli/validate", test_validate);
    g_test_add_func("/cli/run-json", test_run_json);
    g_test_add_func("/cli/learned-routes", test_learned_routes);
    g_test_add_func("/cli/output-files", test_output_files);
    g_test_add_func("/cli/outputs-never-over-inputs", test_outputs_never_over_inputs);
    return g_test_run();
}
