/* test_outputs.c - the engine's results on every shipped scenario are byte-identical to the recorded
 * ones: the SHA-256 of `arsim run`'s text output (every router's paths, best marked, and every VNet's
 * effective routes) must match tests/data/run-text.sha256. An engine change that is meant to change
 * no behaviour (issue 13: a new route layout) must leave this file alone; a change that is meant to
 * change results rewrites it with
 *     ARSIM_UPDATE_DIGESTS=1 meson test -C build outputs
 * and the diff of that file shows which scenarios moved. tools/same-output.sh compares the other
 * outputs (run --json, compare, graph DOT) between two builds. */
#include "arsim/loader.h"
#include "arsim/output.h"
#include "arsim/run.h"

#include <string.h>

#define DIGEST_FILE "tests/data/run-text.sha256"

static char *src_path(const char *rel)
{
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    return g_build_filename(root ? root : ".", rel, NULL);
}

/* SHA-256 (hex) of the text output of one run of scenario rel. */
static char *run_digest(const char *rel)
{
    g_autofree char *path = src_path(rel);
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) scn = load_file(path, NULL, d);
    if (!scn)
        diag_print(d, stderr);
    g_assert_nonnull(scn);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_autoptr(GString) t = g_string_new(NULL);
    out_run_text(run, NULL, t, NULL);
    g_assert_cmpuint(t->len, >, 0);
    return g_compute_checksum_for_string(G_CHECKSUM_SHA256, t->str, (gssize)t->len);
}

static gint str_order(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "scenarios/NAME.json" for every shipped scenario, sorted. */
static GPtrArray *shipped(void)
{
    g_autofree char *dir = src_path("scenarios");
    g_autoptr(GDir) dh = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(dh);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    const char *f;
    while ((f = g_dir_read_name(dh)))
        if (g_str_has_suffix(f, ".json"))
            g_ptr_array_add(files, g_strconcat("scenarios/", f, NULL));
    g_ptr_array_sort(files, str_order);
    g_assert_cmpuint(files->len, >=, 3);
    return files;
}

static void test_run_text_digests(void)
{
    g_autoptr(GPtrArray) files = shipped();
    g_autoptr(GString) now = g_string_new(NULL);
    for (guint i = 0; i < files->len; i++) {
        const char *rel = g_ptr_array_index(files, i);
        g_autofree char *dg = run_digest(rel);
        g_string_append_printf(now, "%s  %s\n", dg, rel);
    }
    g_autofree char *path = src_path(DIGEST_FILE);
    if (g_strcmp0(g_getenv("ARSIM_UPDATE_DIGESTS"), "1") == 0) {
        g_autoptr(GError) e = NULL;
        g_assert_true(g_file_set_contents(path, now->str, (gssize)now->len, &e));
        g_test_message("rewrote %s", DIGEST_FILE);
        return;
    }
    g_autofree char *want = NULL;
    g_assert_true(g_file_get_contents(path, &want, NULL, NULL));
    if (strcmp(want, now->str) != 0) {
        /* Name the scenarios whose output moved, not just "differs". */
        g_auto(GStrv) wl = g_strsplit(want, "\n", -1), nl = g_strsplit(now->str, "\n", -1);
        for (guint i = 0; nl[i] && *nl[i]; i++) {
            gboolean found = FALSE;
            for (guint j = 0; wl[j] && !found; j++)
                found = strcmp(wl[j], nl[i]) == 0;
            if (!found)
                g_printerr("run output changed (or is new): %s\n", strchr(nl[i], ' ') + 2);
        }
        g_printerr("if the change is intended: ARSIM_UPDATE_DIGESTS=1 meson test -C build outputs\n");
    }
    g_assert_cmpstr(want, ==, now->str);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/outputs/run-text-digests", test_run_text_digests);
    return g_test_run();
}
