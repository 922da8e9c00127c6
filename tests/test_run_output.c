/* test_run_output.c - run outputs at any size: the streamed JSON document (same content as the DOM,
 * failures reported, never "null"), the grouped and expanded effective routes, the text summary. */
#include "testlib.h"
#include "arsim/generate.h"
#include "arsim/output.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

/* The run document of run streamed to a file with view v, parsed back. */
static cJSON *streamed(const ArRun *run, const ArRunView *v, const char *dir)
{
    g_autofree char *path = g_build_filename(dir, "run.json", NULL);
    g_autoptr(GError) e = NULL;
    ArOutStream *s = out_stream_open(path, &e);
    g_assert_no_error(e);
    ArJsonOut *w = out_json_stream(s);
    out_json_begin(w, NULL, FALSE);
    out_run_json_write(run, v, w);
    out_json_end(w);
    out_json_free(w);
    g_assert_true(out_stream_close(s, &e));
    g_assert_no_error(e);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    cJSON *doc = cJSON_Parse(text);
    g_assert_nonnull(doc);
    return doc;
}

/* A VNet's full effective routes rebuilt from the grouped document the way docs/output-format.md
 * tells scripts to: the shared table minus the hidden prefixes, plus its own routes, in order. */
static GPtrArray *rebuild(const cJSON *doc, const cJSON *entry)
{
    GPtrArray *out = g_ptr_array_new();
    const cJSON *table = cJSON_GetObjectItem(entry, "table"), *r;
    if (!cJSON_IsNull(table)) {
        const cJSON *shared = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tables"), table->valuestring);
        g_assert_nonnull(shared);
        g_autoptr(GHashTable) hidden = g_hash_table_new(g_str_hash, g_str_equal);
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(entry, "hidden")) g_hash_table_add(hidden, r->valuestring);
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(shared, "routes"))
        {
            if (!g_hash_table_contains(hidden, cJSON_GetObjectItem(r, "prefix")->valuestring))
                g_ptr_array_add(out, (gpointer)r);
        }
    }
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(entry, "routes")) g_ptr_array_add(out, (gpointer)r);
    return out;
}

/* The streamed document holds what the DOM holds; it is version 2 with shared tables; each VNet
 * rebuilt from its table, hidden and own routes is exactly its expanded (--all) entry. */
static void test_stream_and_groups(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-out-XXXXXX", NULL);
    const char *names[] = { "seed-er-sdwan.json", "multi-region.json", "spoke-firewall.json", "shared-circuit.json" };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autoptr(ArScenario) scn = test_load_scenario(names[i], NULL);
        g_autoptr(ArRun) run = run_scenario(scn, NULL);
        cJSON *dom = out_run_json(run, NULL);
        cJSON *doc = streamed(run, NULL, dir);
        g_assert_true(cJSON_Compare(dom, doc, TRUE));
        g_assert_cmpint(cJSON_GetObjectItem(doc, "formatVersion")->valueint, ==, OUT_RUN_FORMAT_VERSION);
        g_assert_nonnull(cJSON_GetObjectItem(doc, "tables"));
        ArRunView all = { .all = TRUE };
        cJSON *full = streamed(run, &all, dir);
        g_assert_null(cJSON_GetObjectItem(full, "tables"));
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "effectiveRoutes"))
        {
            const cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(full, "effectiveRoutes"), e->string);
            g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(x, "table")));
            const cJSON *want = cJSON_GetObjectItem(x, "routes");
            g_autoptr(GPtrArray) got = rebuild(doc, e);
            g_assert_cmpint(cJSON_GetArraySize(want), ==, (int)got->len);
            /* Same routes; the rebuilt list is in shared-then-own order, so match by prefix and type. */
            for (guint k = 0; k < got->len; k++) {
                const cJSON *g = g_ptr_array_index(got, k), *w;
                gboolean found = FALSE;
                cJSON_ArrayForEach(w, want) found |= cJSON_Compare(g, w, TRUE);
                g_assert_true(found);
            }
        }
        cJSON_Delete(full);
        cJSON_Delete(doc);
        cJSON_Delete(dom);
    }
    g_rmdir(dir);
}

/* A route of an expanded group: where it sorts, and its line as the full form prints it. */
typedef struct Expanded {
    uint64_t key;  /* its prefix */
    int rank;      /* then this: a node's path by its peer's session (originated last), a table's by next-hop type */
    char *line;    /* {"prefix": ..., the group's members but prefixSet}, unformatted */
} Expanded;

static gint expanded_cmp(gconstpointer a, gconstpointer b)
{
    const Expanded *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

static void expanded_clear(gpointer p)
{
    g_free(((Expanded *)p)->line);
}

/* The routes of "routeGroups" groups of grouped document doc, expanded and sorted as
 * docs/output-format.md says, compared line by line with the full form's "routes" want. sessions:
 * the node's (NULL for a shared table). */
static void check_expands(const cJSON *doc, const cJSON *groups, const cJSON *sessions, const cJSON *want)
{
    static const char *const nh_order[] = { "VnetLocal", "VNetPeering", "VirtualNetworkGateway", "Internet", "None", "VirtualAppliance" };
    g_autoptr(GArray) got = g_array_new(FALSE, FALSE, sizeof(Expanded));
    g_array_set_clear_func(got, expanded_clear);
    const cJSON *g;
    g_assert_true(cJSON_IsArray(groups));
    cJSON_ArrayForEach(g, groups)
    {
        int rank = G_MAXINT;
        if (sessions) {
            const cJSON *from = cJSON_GetObjectItem(g, "from"), *s;
            int i = 0;
            cJSON_ArrayForEach(s, sessions)
            {
                if (cJSON_IsString(from) && strcmp(cJSON_GetObjectItem(s, "peer")->valuestring, from->valuestring) == 0)
                    rank = i;
                i++;
            }
            g_assert_true(cJSON_IsNull(from) || rank != G_MAXINT);
        } else {
            const char *nh = cJSON_GetObjectItem(g, "nextHopType")->valuestring;
            for (int i = 0; i < (int)G_N_ELEMENTS(nh_order); i++)
                if (strcmp(nh, nh_order[i]) == 0)
                    rank = i;
        }
        g_autoptr(GArray) keys = test_prefix_set(doc, cJSON_GetObjectItem(g, "prefixSet")->valueint);
        g_assert_cmpuint(keys->len, >, 0);
        for (guint k = 0; k < keys->len; k++) {
            char buf[PFX_STRLEN];
            cJSON *r = cJSON_CreateObject();
            uint64_t key = g_array_index(keys, uint64_t, k);
            cJSON_AddStringToObject(r, "prefix", pfx_format(pfx_from_key(key), buf));
            const cJSON *m;
            cJSON_ArrayForEach(m, g)
            {
                if (strcmp(m->string, "prefixSet") != 0)
                    cJSON_AddItemToObject(r, m->string, cJSON_Duplicate(m, TRUE));
            }
            Expanded e = { key, rank, cJSON_PrintUnformatted(r) };
            cJSON_Delete(r);
            g_array_append_val(got, e);
        }
    }
    g_array_sort(got, expanded_cmp);
    g_assert_cmpint(cJSON_GetArraySize(want), ==, (int)got->len);
    guint i = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, want)
    {
        g_autofree char *line = cJSON_PrintUnformatted(w);
        g_assert_cmpstr(g_array_index(got, Expanded, i).line, ==, line);
        i++;
    }
}

/* The grouped form (format version 3, forced on shipped and generated scenarios) holds exactly the
 * full form's routes: every node's route groups and every shared table's, expanded from the prefix
 * sets and sorted as docs/output-format.md says, print the full form's routes line for line; the
 * rest of the document is the full form's; each prefix set is written once. */
static void test_grouped_form(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-out-XXXXXX", NULL);
    ArGenParams p;
    gen_params_default(&p);
    p.spokes = 3;
    p.nvas = 2;
    p.routes_per_nva = 10;
    p.er_prefixes = 300; /* consecutive /24s: written as runs */
    g_autoptr(GError) ge = NULL;
    cJSON *gen = gen_scenario(&p, &ge);
    g_assert_no_error(ge);
    g_autofree char *gtext = cJSON_PrintUnformatted(gen);
    cJSON_Delete(gen);
    const char *names[] = { "seed-er-sdwan.json", "multi-region.json", "spoke-firewall.json", "shared-circuit.json", NULL };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autoptr(ArDiagList) diags = diag_list_new();
        g_autoptr(ArScenario) scn = names[i] ? test_load_scenario(names[i], NULL)
                                             : load_text("generated", gtext, strlen(gtext), NULL, diags);
        g_assert_nonnull(scn);
        g_autoptr(ArRun) run = run_scenario(scn, NULL);
        g_assert_false(out_run_json_wants_groups(run, NULL)); /* small: full by default */
        cJSON *full = streamed(run, NULL, dir);
        ArRunView gv = { .grouped = TRUE };
        cJSON *doc = streamed(run, &gv, dir);
        /* The DOM form is the same document. */
        ArJsonOut *dw = out_json_dom();
        out_json_begin(dw, NULL, FALSE);
        out_run_json_write(run, &gv, dw);
        out_json_end(dw);
        cJSON *dom = out_json_dom_finish(dw);
        g_assert_true(cJSON_Compare(dom, doc, TRUE));
        cJSON_Delete(dom);
        g_assert_cmpint(cJSON_GetObjectItem(full, "formatVersion")->valueint, ==, OUT_RUN_FORMAT_VERSION);
        g_assert_cmpint(cJSON_GetObjectItem(doc, "formatVersion")->valueint, ==, OUT_RUN_FORMAT_GROUPED);
        const cJSON *m;
        cJSON_ArrayForEach(m, doc)
        {
            if (strcmp(m->string, "formatVersion") == 0 || strcmp(m->string, "prefixSets") == 0 ||
                strcmp(m->string, "nodes") == 0 || strcmp(m->string, "tables") == 0)
                continue;
            g_assert_true(cJSON_Compare(m, cJSON_GetObjectItem(full, m->string), TRUE));
        }
        /* Every set differs from every other. */
        g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        cJSON_ArrayForEach(m, cJSON_GetObjectItem(doc, "prefixSets")) g_assert_true(g_hash_table_add(seen, cJSON_PrintUnformatted(m)));
        g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "nodes")), ==,
                        cJSON_GetArraySize(cJSON_GetObjectItem(full, "nodes")));
        const cJSON *n;
        cJSON_ArrayForEach(n, cJSON_GetObjectItem(full, "nodes"))
        {
            const cJSON *gn = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "nodes"), n->string);
            g_assert_nonnull(gn);
            g_assert_null(cJSON_GetObjectItem(gn, "routes"));
            const cJSON *sessions = cJSON_GetObjectItem(n, "sessions");
            g_assert_true(cJSON_Compare(sessions, cJSON_GetObjectItem(gn, "sessions"), TRUE));
            check_expands(doc, cJSON_GetObjectItem(gn, "routeGroups"), sessions, cJSON_GetObjectItem(n, "routes"));
        }
        cJSON_ArrayForEach(n, cJSON_GetObjectItem(full, "tables"))
        {
            const cJSON *gt = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tables"), n->string);
            g_assert_nonnull(gt);
            g_assert_true(cJSON_Compare(cJSON_GetObjectItem(n, "vnets"), cJSON_GetObjectItem(gt, "vnets"), TRUE));
            check_expands(doc, cJSON_GetObjectItem(gt, "routeGroups"), NULL, cJSON_GetObjectItem(n, "routes"));
        }
        if (!names[i]) { /* 300 consecutive prefixes in one item */
            g_autofree char *sets = cJSON_PrintUnformatted(cJSON_GetObjectItem(doc, "prefixSets"));
            g_assert_nonnull(strstr(sets, "*300\""));
        }
        cJSON_Delete(doc);
        cJSON_Delete(full);
    }
    g_rmdir(dir);
}

/* cJSON's allocator for the tests below: fails while fail_alloc is set. */
static gboolean fail_alloc;
static void *test_malloc(size_t n)
{
    return fail_alloc ? NULL : malloc(n);
}

/* When cJSON cannot allocate, a streamed run document fails naming its output (pieces cannot be
 * built), and out_json_print returns NULL instead of the "null" it used to print. */
static void test_alloc_failures(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("seed-er-sdwan.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_autofree char *dir = g_dir_make_tmp("arsim-out-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "run.json", NULL);
    cJSON *doc = out_run_json(run, NULL);
    cJSON_Hooks hooks = { test_malloc, free };
    cJSON_InitHooks(&hooks);
    fail_alloc = TRUE;
    g_autofree char *text = out_json_print(doc);
    g_autoptr(GError) e = NULL;
    ArOutStream *s = out_stream_open(path, &e);
    ArJsonOut *w = out_json_stream(s);
    out_json_begin(w, NULL, FALSE);
    out_run_json_write(run, NULL, w);
    out_json_end(w);
    out_json_free(w);
    gboolean ok = out_stream_close(s, &e);
    fail_alloc = FALSE;
    cJSON_InitHooks(NULL);
    g_assert_null(text);
    g_assert_false(ok);
    g_assert_nonnull(strstr(e->message, path));
    g_assert_nonnull(strstr(e->message, "could not be built"));
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    cJSON_Delete(doc);
    g_rmdir(dir);
}

/* A piece that cannot be built fails the output: close reports it naming the file, the target
 * keeps its old content and no temporary file is left. Writing to a full device fails the same. */
static void test_stream_failures(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-out-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "out.json", NULL);
    g_assert_true(g_file_set_contents(path, "old", -1, NULL));
    g_autoptr(GError) e = NULL;
    ArOutStream *s = out_stream_open(path, &e);
    g_assert_nonnull(s);
    ArJsonOut *w = out_json_stream(s);
    out_json_begin(w, NULL, FALSE);
    out_json_put(w, "fine", cJSON_CreateNumber(1));
    out_json_put(w, "nodes", NULL); /* what cJSON returns when it cannot allocate */
    out_json_put(w, "after", cJSON_CreateNumber(2));
    out_json_end(w);
    out_json_free(w);
    g_assert_false(out_stream_close(s, &e));
    g_assert_error(e, AR_ERROR, AR_ERROR_IO);
    g_assert_nonnull(strstr(e->message, path));
    g_assert_nonnull(strstr(e->message, "\"nodes\" of the document could not be built"));
    g_autofree char *kept = NULL;
    g_assert_true(g_file_get_contents(path, &kept, NULL, NULL));
    g_assert_cmpstr(kept, ==, "old");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_cmpstr(g_dir_read_name(d), ==, "out.json");
    g_assert_null(g_dir_read_name(d));
    g_clear_error(&e);

    if (g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        g_autoptr(ArScenario) scn = test_load_scenario("seed-er-sdwan.json", NULL);
        g_autoptr(ArRun) run = run_scenario(scn, NULL);
        s = out_stream_open("/dev/full", &e);
        g_assert_no_error(e);
        w = out_json_stream(s);
        out_json_begin(w, NULL, FALSE);
        out_run_json_write(run, NULL, w);
        out_json_end(w);
        out_json_free(w);
        g_assert_false(out_stream_close(s, &e));
        g_assert_nonnull(strstr(e->message, "/dev/full: cannot write"));
    }
    g_unlink(path);
    g_rmdir(dir);
}

/* Lines of text. */
static guint count_lines(const char *s)
{
    guint n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Past OUT_TEXT_FULL_LINES lines of routes the text is a summary: per node counts by peer, each
 * shared table once with its VNets, per VNet its own routes; --all, --prefix and --vnet still
 * print in full what they ask for. A small scenario prints in full. */
static void test_text_summary(void)
{
    ArGenParams p;
    gen_params_default(&p);
    p.spokes = 30;
    p.nvas = 2;
    p.routes_per_nva = 10;
    p.er_prefixes = 1000; /* 31 VNets x ~1000 routes: past the threshold */
    g_autoptr(GError) ge = NULL;
    cJSON *gen = gen_scenario(&p, &ge);
    g_assert_no_error(ge);
    g_autofree char *gtext = cJSON_PrintUnformatted(gen);
    cJSON_Delete(gen);
    g_autoptr(ArDiagList) diags = diag_list_new();
    g_autoptr(ArScenario) scn = load_text("generated", gtext, strlen(gtext), NULL, diags);
    g_assert_nonnull(scn);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);

    g_autoptr(GString) sum = g_string_new(NULL);
    out_run_text(run, NULL, sum, NULL);
    g_assert_nonnull(strstr(sum->str, "This run is large"));
    g_assert_nonnull(strstr(sum->str, "--all (everything in full)"));
    g_assert_nonnull(strstr(sum->str, "Effective routes shared by 31 VNets (the gateways and Route Server of hub):"));
    g_assert_nonnull(strstr(sum->str, "    From               Orig       Paths       Best\n"));
    g_assert_nonnull(strstr(sum->str, "Effective routes of VMs in VNet spoke7 (uses the gateways of hub): "));
    g_assert_null(strstr(sum->str, "Routes per node ('>' marks the best path)"));

    ArRunView all = { .all = TRUE };
    g_autoptr(GString) full = g_string_new(NULL);
    out_run_text(run, &all, full, NULL);
    g_assert_null(strstr(full->str, "This run is large"));
    g_assert_nonnull(strstr(full->str, "Routes per node ('>' marks the best path)"));
    g_assert_cmpuint(count_lines(full->str), >, OUT_TEXT_FULL_LINES);
    g_assert_cmpuint(count_lines(sum->str) * 5, <, count_lines(full->str));

    /* --prefix: one prefix in every node and VNet. */
    const ArVnet *spoke = g_ptr_array_index(scn->vnets, 3);
    ArPrefix sp = g_array_index(spoke->prefixes, ArPrefix, 0);
    char want[PFX_STRLEN];
    pfx_format(sp, want);
    ArRunView one = { .prefix = &sp };
    g_autoptr(GString) pv = g_string_new(NULL);
    out_run_text(run, &one, pv, NULL);
    g_assert_null(strstr(pv->str, "This run is large"));
    g_auto(GStrv) lines = g_strsplit(pv->str, "\n", -1);
    guint routes = 0;
    for (char **l = lines; *l; l++) {
        if ((g_str_has_prefix(*l, "    ") || g_str_has_prefix(*l, "  > ")) && !strstr(*l, "Network") &&
            !strstr(*l, "Address prefix")) {
            g_assert_nonnull(strstr(*l, want));
            routes++;
        }
    }
    /* The spoke's own space, the hub's peering route, and the nodes that learned it. */
    g_assert_cmpuint(routes, >=, 4);
    g_assert_nonnull(strstr(pv->str, "Effective routes of VMs in VNet spoke30"));

    /* --vnet: that VNet's effective routes in full, nothing else. */
    ArRunView vn = { .vnet = spoke->name };
    g_autoptr(GString) vv = g_string_new(NULL);
    out_run_text(run, &vn, vv, NULL);
    const ArEffTable *t = g_ptr_array_index(run->eff, 3);
    g_assert_cmpuint(count_lines(vv->str), ==, t->len + 3); /* title, header, routes, blank line */

    /* A shipped scenario stays in full. */
    g_autoptr(ArScenario) small = test_load_scenario("seed-er-sdwan.json", NULL);
    g_autoptr(ArRun) srun = run_scenario(small, NULL);
    g_autoptr(GString) st = g_string_new(NULL);
    out_run_text(srun, NULL, st, NULL);
    g_assert_nonnull(strstr(st->str, "Routes per node ('>' marks the best path)"));
    g_assert_null(strstr(st->str, "This run is large"));
}

/* The table of run's formats is what `arsim run` offers: for each format, `arsim run [--NAME] FILE`
 * writes exactly what the format's writer writes for that run (the default needs no option). */
static void test_run_formats(void)
{
    guint n = 0;
    const ArRunFormat *f = out_run_formats(&n);
    g_assert_cmpuint(n, >=, 2);
    g_assert_cmpstr(f[0].name, ==, "text");
    g_assert_null(f[0].help);
    g_assert_null(out_run_format_find("no-such-format"));
    g_autofree char *dir = g_dir_make_tmp("arsim-formats-XXXXXX", NULL);
    g_assert_nonnull(dir);
    g_autoptr(ArScenario) scn = test_load_scenario("seed-er-sdwan.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    for (guint i = 0; i < n; i++) {
        g_assert_true(out_run_format_find(f[i].name) == &f[i]);
        g_assert_true(i == 0 || f[i].help != NULL);
        g_autofree char *want_path = g_build_filename(dir, "want", NULL);
        g_autofree char *got_path = g_build_filename(dir, "got", NULL);
        g_autoptr(GError) e = NULL;
        ArOutStream *s = out_stream_open(want_path, &e);
        g_assert_no_error(e);
        const ArRunOutput o = { .run = run, .notes = stderr };
        f[i].write(&o, s);
        g_assert_true(out_stream_close(s, &e));
        g_autofree char *flag = g_strconcat("--", f[i].name, NULL);
        TestRun r = i == 0 ? test_arsim("run", "scenarios/seed-er-sdwan.json", "-o", got_path, NULL)
                           : test_arsim("run", flag, "scenarios/seed-er-sdwan.json", "-o", got_path, NULL);
        g_assert_cmpint(r.status, ==, 0);
        test_run_clear(&r);
        g_autofree char *want = NULL, *got = NULL;
        g_assert_true(g_file_get_contents(want_path, &want, NULL, NULL));
        g_assert_true(g_file_get_contents(got_path, &got, NULL, NULL));
        g_assert_cmpuint(strlen(want), >, 100);
        g_assert_cmpstr(got, ==, want);
        g_remove(want_path);
        g_remove(got_path);
    }
    g_rmdir(dir);
}

/* The CSV of a run, written through out_run_csv with view v, as lines. */
static gchar **csv_lines(const ArRun *run, const ArRunView *v, const char *dir)
{
    g_autofree char *path = g_build_filename(dir, "run.csv", NULL);
    g_autoptr(GError) e = NULL;
    ArOutStream *s = out_stream_open(path, &e);
    g_assert_no_error(e);
    out_run_csv(run, v, s);
    g_assert_true(out_stream_close(s, &e));
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_remove(path);
    g_assert_true(g_str_has_suffix(text, "\n"));
    text[strlen(text) - 1] = '\0';
    return g_strsplit(text, "\n", -1);
}

/* --csv holds what the JSON document holds: one "route" row per path of each node, in the
 * document's order with the same prefix, best flag, origin, peer, next hop and AS path; one
 * "effective" row per effective route of each table; one "reach" row per pair of endpoints (VNets,
 * then sites): onprem1 and onprem2 do not reach each other without branch-to-branch; --node keeps
 * one node's rows. */
static void test_csv_rows(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-csv-XXXXXX", NULL);
    g_autoptr(ArScenario) scn = test_load_scenario("seed-er-sdwan.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_auto(GStrv) lines = csv_lines(run, NULL, dir);
    g_assert_cmpstr(lines[0], ==, "table,node,prefix,best,origin,from,nextHop,asPath,weight,localPref,communities,nextHopType,via,"
                                  "to,forward,back,reachable,asymmetric");
    cJSON *doc = out_run_json(run, NULL);
    guint row = 1, routes = 0;
    const cJSON *node, *r;
    cJSON_ArrayForEach(node, cJSON_GetObjectItem(doc, "nodes"))
    {
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(node, "routes"))
        {
            const cJSON *from = cJSON_GetObjectItem(r, "from");
            g_autofree char *want = g_strdup_printf(
                "route,%s,%s,%s,%s,%s,%s,%s,", node->string, cJSON_GetObjectItem(r, "prefix")->valuestring,
                cJSON_IsTrue(cJSON_GetObjectItem(r, "best")) ? "true" : "false",
                cJSON_GetObjectItem(r, "origin")->valuestring, cJSON_IsString(from) ? from->valuestring : "",
                cJSON_GetObjectItem(r, "nextHop")->valuestring, cJSON_GetObjectItem(r, "asPath")->valuestring);
            g_assert_nonnull(lines[row]);
            g_assert_true(g_str_has_prefix(lines[row], want));
            row++, routes++;
        }
    }
    cJSON_Delete(doc);
    g_assert_cmpuint(routes, >, 10);
    guint eff = 0;
    for (guint i = 0; i < run->eff->len; i++)
        eff += ((const ArEffTable *)g_ptr_array_index(run->eff, i))->len;
    for (guint i = 0; i < eff; i++, row++) {
        g_assert_nonnull(lines[row]);
        g_assert_true(g_str_has_prefix(lines[row], "effective,"));
    }
    g_assert_true(g_str_has_prefix(lines[routes + 1], "effective,hub,0.0.0.0/0,,Default,,,,,,,Internet,"));
    /* The endpoints hub, spoke1, onprem1, onprem2: six pairs, each reachable but the sites'. */
    static const char *const reach[] = {
        "reach,hub,,,,,,,,,,,,spoke1,true,true,true,false",     "reach,hub,,,,,,,,,,,,onprem1,true,true,true,false",
        "reach,hub,,,,,,,,,,,,onprem2,true,true,true,false",    "reach,spoke1,,,,,,,,,,,,onprem1,true,true,true,false",
        "reach,spoke1,,,,,,,,,,,,onprem2,true,true,true,false", "reach,onprem1,,,,,,,,,,,,onprem2,false,false,false,false",
    };
    for (guint i = 0; i < G_N_ELEMENTS(reach); i++, row++)
        g_assert_cmpstr(lines[row], ==, reach[i]);
    g_assert_null(lines[row]);

    const ArRunView one = { .node = "sdwan" };
    g_auto(GStrv) only = csv_lines(run, &one, dir);
    g_assert_nonnull(only[1]);
    for (guint i = 1; only[i]; i++)
        g_assert_true(g_str_has_prefix(only[i], "route,sdwan,"));
    g_rmdir(dir);
}

/* `run --json` past OUT_JSON_FULL_ROUTES route lines writes the grouped form by itself (format
 * version 3), and the full one below it, or for a selection (--node), or when told (--grouped on a
 * small run). The B5 network with 40,000 circuit prefixes holds some 1.4M paths. */
static void test_grouped_automatic(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-auto-XXXXXX", NULL);
    const guint sizes[] = { 2000, 40000 };
    for (guint k = 0; k < G_N_ELEMENTS(sizes); k++) {
        ArGenParams p;
        gen_params_default(&p);
        p.spokes = 1;
        p.nvas = 8;
        p.routes_per_nva = 10;
        p.sku = GEN_SKU_PREMIUM;
        p.branch_to_branch = true;
        p.lift_limits = true;
        p.er_prefixes = sizes[k];
        g_autofree char *file = test_write_generated(&p, dir);
        bool big = sizes[k] > 10000;

        /* The premise: the small run stays under the line count, the big one passes it. */
        g_autoptr(ArScenario) scn = test_load_generated(&p, NULL);
        g_autoptr(ArRun) run = run_scenario(scn, NULL);
        ArRunStats st;
        out_stats_collect(run, &st);
        g_assert_true(big ? st.routes > OUT_JSON_FULL_ROUTES : st.routes < OUT_JSON_FULL_ROUTES / 2);
        g_assert_true(out_run_json_wants_groups(run, NULL) == big);
        g_assert_false(out_run_json_wants_groups(run, &(ArRunView){ .node = "nva1" }));

        struct {
            const char *node;  /* --node */
            gboolean grouped;  /* --grouped */
            int version;       /* formatVersion expected */
        } cases[] = {
            { NULL, FALSE, big ? OUT_RUN_FORMAT_GROUPED : OUT_RUN_FORMAT_VERSION },
            { "nva1", FALSE, OUT_RUN_FORMAT_VERSION },
            { NULL, TRUE, OUT_RUN_FORMAT_GROUPED },
        };
        for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
            const ArRunArgs a = { .file = file, .format = "json", .node = cases[c].node, .grouped = cases[c].grouped };
            g_auto(TestRun) r = test_cmd_run(&a);
            g_assert_cmpint(r.status, ==, 0);
            cJSON *doc = cJSON_Parse(r.out);
            g_assert_nonnull(doc);
            g_assert_cmpint(cJSON_GetObjectItem(doc, "formatVersion")->valueint, ==, cases[c].version);
            const cJSON *nodes = cJSON_GetObjectItem(doc, "nodes");
            g_assert_cmpint(cJSON_GetArraySize(nodes), ==, cases[c].node ? 1 : (int)run->net->sim->speakers->len);
            const cJSON *n = cJSON_GetObjectItem(nodes, "nva1");
            g_assert_nonnull(n);
            bool grouped = cases[c].version == OUT_RUN_FORMAT_GROUPED;
            g_assert_true((cJSON_GetObjectItem(n, "routeGroups") != NULL) == grouped);
            g_assert_true((cJSON_GetObjectItem(n, "routes") != NULL) == !grouped);
            cJSON_Delete(doc);
        }
        g_remove(file);
    }
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/output/stream-and-groups", test_stream_and_groups);
    g_test_add_func("/output/grouped-form", test_grouped_form);
    g_test_add_func("/output/grouped-automatic", test_grouped_automatic);
    g_test_add_func("/output/stream-failures", test_stream_failures);
    g_test_add_func("/output/alloc-failures", test_alloc_failures);
    g_test_add_func("/output/text-summary", test_text_summary);
    g_test_add_func("/output/run-formats", test_run_formats);
    g_test_add_func("/output/csv-rows", test_csv_rows);
    return g_test_run();
}
