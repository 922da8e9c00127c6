/* testlib.c - scenario helpers shared by the test programs. */
#include "testlib.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

char *test_scenario_path(const char *name)
{
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    return g_build_filename(root ? root : ".", "scenarios", name, NULL);
}

ArScenario *test_load_scenario(const char *name, const char *const *sets)
{
    g_autofree char *path = test_scenario_path(name);
    g_autoptr(ArDiagList) diags = diag_list_new();
    ArLoadOptions opts = { .sets = sets };
    ArScenario *scn = load_file(path, &opts, diags);
    if (!scn)
        diag_print(diags, stderr);
    g_assert_nonnull(scn);
    return scn;
}

ArScenario *test_load_quoted(const char *text, const char *const *sets, ArDiagList *d)
{
    g_autofree char *json = g_strdup(text);
    for (char *p = json; *p; p++)
        if (*p == '\'')
            *p = '"';
    ArLoadOptions opts = { .sets = sets };
    return load_text("inline.json", json, strlen(json), &opts, d);
}

char *test_generated_text(const ArGenParams *p)
{
    g_autoptr(GError) e = NULL;
    cJSON *doc = gen_scenario(p, &e);
    g_assert_no_error(e);
    char *raw = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    g_assert_nonnull(raw);
    return raw; /* cJSON's default allocator is malloc: g_free frees it */
}

char *test_write_generated(const ArGenParams *p, const char *dir)
{
    g_autofree char *text = test_generated_text(p);
    char *path = g_build_filename(dir, "generated.json", NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

ArScenario *test_load_generated(const ArGenParams *p, const char *const *sets)
{
    g_autofree char *raw = test_generated_text(p);
    g_autoptr(ArDiagList) diags = diag_list_new();
    ArLoadOptions opts = { .sets = sets };
    ArScenario *scn = load_text("generated.json", raw, strlen(raw), &opts, diags);
    if (!scn)
        diag_print(diags, stderr);
    g_assert_nonnull(scn);
    return scn;
}

TestRun test_arsim(const char *first, ...)
{
    const char *bin = g_getenv("ARSIM_BIN");
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    g_assert_nonnull(bin);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)bin);
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        g_ptr_array_add(argv, (gpointer)a);
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    TestRun r = { 0 };
    int wait = 0;
    g_autoptr(GError) e = NULL;
    g_assert_true(g_spawn_sync(root, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait, &e));
    g_assert_no_error(e);
    g_assert_true(WIFEXITED(wait));
    r.status = WEXITSTATUS(wait);
    return r;
}

TestRun test_cmd_run(const ArRunArgs *a)
{
    TestRun r = { 0 };
    size_t no, ne;
    FILE *out = open_memstream(&r.out, &no), *err = open_memstream(&r.err, &ne);
    r.status = cmd_run(a, out, err);
    fclose(out);
    fclose(err);
    return r;
}

void test_remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
        for (const char *name; d && (name = g_dir_read_name(d));) {
            g_autofree char *p = g_build_filename(path, name, NULL);
            test_remove_tree(p);
        }
    }
    g_remove(path);
}

void test_run_clear(TestRun *r)
{
    g_free(r->out);
    g_free(r->err);
}

void test_b2_params(ArGenParams *p)
{
    gen_params_default(p);
    p->spokes = 500;
    p->nvas = 8;
    p->routes_per_nva = 1000;
    p->er_prefixes = 10000;
    p->sku = GEN_SKU_PREMIUM;
    p->vpn_sites = 4;
    p->prefixes_per_site = 100;
    p->branch_to_branch = true;
    p->lift_limits = true; /* branch-to-branch passes 8,400 routes to the gateways: past Azure's 1,000 */
}

GArray *test_prefix_set(const cJSON *doc, int n)
{
    const cJSON *set = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "prefixSets"), n), *it;
    g_assert_true(cJSON_IsArray(set));
    GArray *out = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    cJSON_ArrayForEach(it, set)
    {
        g_assert_true(cJSON_IsString(it));
        g_auto(GStrv) parts = g_strsplit(it->valuestring, "*", 2);
        ArPrefix p;
        g_assert_cmpint(pfx_parse(parts[0], &p), ==, PFX_OK);
        guint64 count = parts[1] ? g_ascii_strtoull(parts[1], NULL, 10) : 1;
        g_assert_true(!parts[1] || (count >= 2 && p.len > 0));
        for (guint64 i = 0; i < count; i++) {
            uint64_t key = pfx_key((ArPrefix){ (uint32_t)(p.addr + (i << (32 - p.len))), p.len });
            g_assert_true(out->len == 0 || key > g_array_index(out, uint64_t, out->len - 1)); /* ascending */
            g_array_append_val(out, key);
        }
    }
    return out;
}
