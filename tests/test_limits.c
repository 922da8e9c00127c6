/* test_limits.c - input that would exhaust memory or time ends with a clear message and exit status
 * 2 (3 for a run that does not settle), never an out-of-memory kill, a crash or a hang: huge files
 * (regular and piped), deep nesting, binary garbage, empty files, directories, devices, and the
 * simulation's event cap. The analysis behind these limits is in docs/testing.md. */
#include "testlib.h"

#include "arsim/generate.h"
#include "arsim/loader.h"
#include "arsim/run.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_MAX_BYTES ((size_t)64 << 20) /* the loader's default, LOAD_DEFAULT_MAX_BYTES */

/* ---- helpers ----------------------------------------------------------------------------- */

static char *src_path(const char *rel)
{
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    return g_build_filename(root ? root : ".", rel, NULL);
}

typedef struct Result {
    int status;   /* exit status, or 128 + signal */
    char *out;
    char *err;
} Result;

static void result_clear(Result *r)
{
    g_free(r->out);
    g_free(r->err);
}

/* Runs arsim with a NULL-terminated argument list from the source root, in env (NULL: ours). */
static Result arsim_env(const char *const *args, char **env)
{
    const char *bin = g_getenv("ARSIM_BIN");
    g_assert_nonnull(bin);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)bin);
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (gpointer)*a);
    g_ptr_array_add(argv, NULL);
    g_autofree char *root = src_path("");
    Result r = { 0 };
    int wait = 0;
    g_autoptr(GError) e = NULL;
    g_assert_true(g_spawn_sync(root, (char **)argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait, &e));
    g_assert_no_error(e);
    r.status = WIFEXITED(wait) ? WEXITSTATUS(wait) : 128 + WTERMSIG(wait);
    return r;
}

static Result arsim_argv(const char *const *args) { return arsim_env(args, NULL); }

#define arsim(...) arsim_argv((const char *const[]){ __VA_ARGS__, NULL })

/* Asserts the load failed with exactly one error whose message holds phrase. */
static void assert_load_error(ArScenario *s, const ArDiagList *d, const char *phrase)
{
    if (s || d->errors != 1 || !strstr(((ArDiag *)g_ptr_array_index(d->items, 0))->message, phrase)) {
        g_printerr("want one error with \"%s\", got %d:\n", phrase, d->errors);
        diag_print(d, stderr);
    }
    g_assert_null(s);
    g_assert_cmpint(d->errors, ==, 1);
    g_assert_nonnull(strstr(((ArDiag *)g_ptr_array_index(d->items, 0))->message, phrase));
}

/* Asserts a CLI failure: status 2, the phrase on stderr, nothing on stdout, a short message. */
static void assert_cli_error(Result *r, const char *phrase)
{
    if (r->status != 2 || !strstr(r->err, phrase))
        g_printerr("status %d, stderr:\n%s\n", r->status, r->err);
    g_assert_cmpint(r->status, ==, 2);
    g_assert_nonnull(strstr(r->err, phrase));
    g_assert_cmpstr(r->out, ==, "");
    g_assert_cmpuint(strlen(r->err), <, 2048); /* a clear message, not a flood */
}

static char *temp_dir(void)
{
    g_autoptr(GError) e = NULL;
    char *dir = g_dir_make_tmp("arsim-limits-XXXXXX", &e);
    g_assert_no_error(e);
    return dir;
}

static void write_file(const char *path, const char *data, gssize len)
{
    g_autoptr(GError) e = NULL;
    g_assert_true(g_file_set_contents(path, data, len, &e));
    g_assert_no_error(e);
}

/* ---- file size --------------------------------------------------------------------------- */

/* A 100 MB file is refused from its size alone: nothing is read, so it costs no memory or time. */
static void test_file_100mb(void)
{
    g_autofree char *dir = temp_dir();
    g_autofree char *path = g_build_filename(dir, "huge.json", NULL);
    int fd = g_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, (off_t)100 * 1000 * 1000), ==, 0); /* sparse: no disk used */
    close(fd);

    g_autoptr(ArDiagList) d = diag_list_new();
    ArScenario *s = load_file(path, NULL, d); /* refused from its size (stat), before any read */
    assert_load_error(s, d, "file is larger than the limit of 67108864 bytes");

    /* The limit is settable: the same file under a limit of 200 MB is read (and is then only NULs). */
    ArLoadOptions big = { .max_file_bytes = (size_t)200 * 1000 * 1000 };
    g_autoptr(ArDiagList) d2 = diag_list_new();
    s = load_file(path, &big, d2);
    assert_load_error(s, d2, "NUL byte");

    Result r = arsim("validate", path);
    assert_cli_error(&r, "file is larger than the limit of 67108864 bytes");
    result_clear(&r);
    r = arsim("run", path);
    assert_cli_error(&r, "file is larger than the limit");
    result_clear(&r);
    r = arsim("graph", path, "-o", "x.svg");
    assert_cli_error(&r, "file is larger than the limit");
    result_clear(&r);
    test_remove_tree(dir);
}

/* A stream of 10^8 prefixes (about 1.6 GB of JSON) through a pipe: arsim stops reading at the limit,
 * so it holds at most 64 MiB, and says why. A pipe has no size to check in advance. */
static void test_pipe_1e8_prefixes(void)
{
    const char *bin = g_getenv("ARSIM_BIN");
    g_assert_nonnull(bin);
    char *argv[] = { (char *)bin, "validate", "/dev/stdin", NULL };
    GPid pid;
    int in = -1, err = -1;
    g_autoptr(GError) e = NULL;
    g_assert_true(g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                           NULL, &pid, &in, NULL, &err, &e));
    g_assert_no_error(e);

    /* SIGPIPE would kill this test when arsim closes the pipe: it is how the writer learns to stop. */
    struct sigaction ign = { .sa_handler = SIG_IGN }, old;
    sigaction(SIGPIPE, &ign, &old);
    GString *chunk = g_string_sized_new(1 << 16);
    g_string_append(chunk, "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.0.0.0/8\"] } ],\n"
                           "  \"nvas\": [ { \"name\": \"n\", \"vnet\": \"hub\", \"ipAddress\": \"10.0.0.4\", "
                           "\"asn\": 65001, \"advertisedPrefixes\": [\n");
    guint64 sent = 0;
    gboolean closed = FALSE;
    for (guint32 i = 0; i < 100000000u && !closed; i++) {
        guint32 a = 0x0B000000u + i; /* 11.0.0.0 onwards, all distinct /32s */
        g_string_append_printf(chunk, "\"%u.%u.%u.%u/32\",\n", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
        if (chunk->len < (1 << 16) - 32)
            continue;
        for (gsize off = 0; off < chunk->len;) {
            ssize_t n = write(in, chunk->str + off, chunk->len - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                g_assert_cmpint(errno, ==, EPIPE);
                closed = TRUE;
                break;
            }
            off += (gsize)n;
            sent += (guint64)n;
        }
        g_string_truncate(chunk, 0);
    }
    close(in);
    sigaction(SIGPIPE, &old, NULL);
    g_string_free(chunk, TRUE);

    g_autoptr(GIOChannel) ch = g_io_channel_unix_new(err);
    g_io_channel_set_close_on_unref(ch, TRUE);
    g_autofree char *msg = NULL;
    g_io_channel_read_to_end(ch, &msg, NULL, NULL);
    int wait = 0;
    g_assert_cmpint(waitpid(pid, &wait, 0), ==, pid);
    g_spawn_close_pid(pid);

    g_test_message("arsim read %" G_GUINT64_FORMAT " bytes before refusing", sent);
    g_assert_true(closed); /* it stopped reading: the writer did not get to the end */
    g_assert_cmpuint(sent, <=, DEFAULT_MAX_BYTES + (16u << 20)); /* the limit plus pipe and read buffers */
    g_assert_true(WIFEXITED(wait));
    g_assert_cmpint(WEXITSTATUS(wait), ==, 2);
    g_assert_nonnull(strstr(msg, "/dev/stdin: file is larger than the limit of 67108864 bytes"));
}

/* Devices: /dev/zero never ends (read up to the limit, then refused); /dev/null is empty. */
static void test_devices(void)
{
    ArLoadOptions small = { .max_file_bytes = 1 << 20 };
    g_autoptr(ArDiagList) d = diag_list_new();
    ArScenario *s = load_file("/dev/zero", &small, d);
    assert_load_error(s, d, "file is larger than the limit of 1048576 bytes");
    g_autoptr(ArDiagList) d2 = diag_list_new();
    s = load_file("/dev/null", NULL, d2);
    assert_load_error(s, d2, "empty file");
    Result r = arsim("validate", "/dev/zero");
    assert_cli_error(&r, "/dev/zero: file is larger than the limit of 67108864 bytes");
    result_clear(&r);
}

/* ---- nesting ------------------------------------------------------------------------------ */

static char *nested(int depth, const char *open, const char *inner, const char *close)
{
    GString *t = g_string_new(NULL);
    for (int i = 0; i < depth; i++)
        g_string_append(t, open);
    g_string_append(t, inner);
    for (int i = 0; i < depth; i++)
        g_string_append(t, close);
    return g_string_free(t, FALSE);
}

/* 10,000 levels: cJSON stops at 1,000, so no recursion goes deeper (the parser, the position index,
 * the validator and cJSON_Delete all recurse). */
static void test_nesting_10000(void)
{
    const char *shapes[][3] = {
        { "[", "0", "]" },
        { "{\"a\":", "0", "}" },
        { "{\"vnets\":", "[]", "}" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(shapes); i++) {
        g_autofree char *t = nested(10000, shapes[i][0], shapes[i][1], shapes[i][2]);
        g_autoptr(ArDiagList) d = diag_list_new();
        ArScenario *s = load_text("deep.json", t, strlen(t), NULL, d);
        assert_load_error(s, d, "nested deeper than cJSON's limit of 1000 levels");
    }
    /* Just within the limit, under keys the validator does not know: an error, not a crash. */
    g_autofree char *inner = nested(990, "[", "0", "]");
    g_autofree char *ok = g_strdup_printf("{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ], "
                                          "\"deep\": %s }", inner);
    g_autoptr(ArDiagList) d = diag_list_new();
    ArScenario *s = load_text("deep.json", ok, strlen(ok), NULL, d);
    assert_load_error(s, d, "unknown key \"deep\"");

    /* The same through --set: a value that does not parse as JSON (here: too deep) is taken as a
     * string, which addressPrefixes refuses. */
    g_autofree char *deep_value = nested(10000, "[", "0", "]");
    g_autofree char *set = g_strconcat("vnets.hub.addressPrefixes=", deep_value, NULL);
    const char *sets[] = { set, NULL };
    ArLoadOptions o = { .sets = sets };
    const char *base = "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ] }";
    g_autoptr(ArDiagList) d2 = diag_list_new();
    s = load_text("t.json", base, strlen(base), &o, d2);
    assert_load_error(s, d2, "expected an array, got a string");

    g_autofree char *dir = temp_dir();
    g_autofree char *path = g_build_filename(dir, "deep.json", NULL);
    g_autofree char *t = nested(10000, "[", "0", "]");
    write_file(path, t, -1);
    Result r = arsim("run", path);
    assert_cli_error(&r, "nested deeper than cJSON's limit of 1000 levels");
    result_clear(&r);
    test_remove_tree(dir);
}

/* ---- garbage, empty, not a file ---------------------------------------------------------- */

/* A megabyte of random bytes, of random non-NUL bytes, of random printable text, of a byte order
 * mark and then text: one short error each, at a position. */
static void test_binary_garbage(void)
{
    const gsize n = 1 << 20;
    g_autoptr(GRand) rnd = g_rand_new_with_seed(20260101);
    g_autofree char *buf = g_malloc(n);
    const struct {
        guint lo, hi; /* byte range [lo, hi) */
        const char *phrase;
    } kinds[] = {
        { 0, 256, "NUL byte" },
        { 1, 256, "invalid UTF-8" },
        { 32, 127, "JSON syntax error" },
    };
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
        for (gsize i = 0; i < n; i++)
            buf[i] = (char)g_rand_int_range(rnd, (gint32)kinds[k].lo, (gint32)kinds[k].hi);
        if (kinds[k].lo == 32)
            buf[0] = '#'; /* never a valid start of JSON */
        g_autoptr(ArDiagList) d = diag_list_new();
        ArScenario *s = load_text("garbage.bin", buf, n, NULL, d);
        assert_load_error(s, d, kinds[k].phrase);
        g_autofree char *m = diag_format(g_ptr_array_index(d->items, 0));
        g_assert_cmpuint(strlen(m), <, 200);
    }
    /* A byte order mark and nothing else; a byte order mark and garbage. */
    g_autoptr(ArDiagList) d = diag_list_new();
    ArScenario *s = load_text("bom.json", "\xEF\xBB\xBF", 3, NULL, d);
    g_assert_null(s);
    g_assert_cmpint(d->errors, ==, 1);
    g_autoptr(ArDiagList) d2 = diag_list_new();
    s = load_text("bom.json", "\xEF\xBB\xBF\x01\x02", 5, NULL, d2);
    g_assert_null(s);
    g_assert_cmpint(d2->errors, ==, 1);

    /* Through the executable: a megabyte of random bytes. */
    for (gsize i = 0; i < n; i++)
        buf[i] = (char)g_rand_int_range(rnd, 0, 256);
    g_autofree char *dir = temp_dir();
    g_autofree char *path = g_build_filename(dir, "garbage.json", NULL);
    write_file(path, buf, (gssize)n);
    Result r = arsim("run", path);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_cmpuint(strlen(r.err), <, 512);
    g_assert_true(strstr(r.err, "NUL byte") || strstr(r.err, "invalid UTF-8"));
    result_clear(&r);
    test_remove_tree(dir);
}

/* 4 MiB strings: a key, a name, a value, a number. Every message stays short: keys and
 * names are quoted and cut, and so are the JSON pointers that hold a key (sim/load/jsonpos.c). */
static void test_huge_tokens(void)
{
    const gsize n = 4 << 20;
    g_autofree char *big = g_malloc(n + 1);
    memset(big, 'k', n);
    big[n] = '\0';
    const char *vnet = "\"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ]";
    struct {
        char *text;
        const char *phrase;
    } cases[] = {
        { g_strdup_printf("{ %s, \"%s\": 1 }", vnet, big), "unknown key \"kkkk" },
        { g_strdup_printf("{ %s, \"routeServers\": [ { \"name\": \"%s\", \"vnet\": \"hub\" } ] }", vnet, big), "invalid name" },
        { g_strdup_printf("{ %s, \"routeServers\": [ { \"name\": \"a\", \"vnet\": \"%s\" } ] }", vnet, big), "no VNet named" },
        { NULL, "routeLimitPerPeer" }, /* 4 MiB of digits, below */
        { g_strdup_printf("{ %s, \"a\\u0001\\n\\u001b[31m\": 1 }", vnet), "unknown key" },
    };
    GString *num = g_string_new(NULL);
    g_string_printf(num, "{ %s, \"routeServers\": [ { \"name\": \"a\", \"vnet\": \"hub\", \"routeLimitPerPeer\": ", vnet);
    for (gsize i = 0; i < n; i++)
        g_string_append_c(num, '7');
    g_string_append(num, " } ] }");
    cases[3].text = g_string_free(num, FALSE);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(ArDiagList) d = diag_list_new();
        ArScenario *s = load_text("t.json", cases[i].text, strlen(cases[i].text), NULL, d);
        g_assert_null(s);
        g_assert_cmpint(d->errors, ==, 1);
        g_autofree char *m = diag_format(g_ptr_array_index(d->items, 0));
        if (strlen(m) > 400 || !strstr(m, cases[i].phrase))
            g_printerr("case %zu: %.400s... (%zu bytes)\n", i, m, strlen(m));
        g_assert_cmpuint(strlen(m), <=, 400);
        g_assert_nonnull(strstr(m, cases[i].phrase));
        for (const char *p = m; *p; p++)
            g_assert_cmpint((unsigned char)*p, >=, 0x20); /* no raw control byte reaches a terminal */
        g_free(cases[i].text);
    }
}

static void test_empty_and_directory(void)
{
    g_autofree char *dir = temp_dir();
    g_autofree char *empty = g_build_filename(dir, "empty.json", NULL);
    write_file(empty, "", 0);
    g_autoptr(ArDiagList) d = diag_list_new();
    ArScenario *s = load_file(empty, NULL, d);
    assert_load_error(s, d, "empty file");
    Result r = arsim("run", empty);
    assert_cli_error(&r, "empty file");
    result_clear(&r);

    g_autoptr(ArDiagList) d2 = diag_list_new();
    s = load_file(dir, NULL, d2);
    assert_load_error(s, d2, "cannot read: Is a directory");
    r = arsim("run", dir);
    assert_cli_error(&r, "cannot read: Is a directory");
    result_clear(&r);
    r = arsim("validate", dir, empty);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "Is a directory"));
    g_assert_nonnull(strstr(r.err, "empty file"));
    result_clear(&r);
    test_remove_tree(dir);
}

/* ---- time -------------------------------------------------------------------------------- */

/* A session that flaps for ever (route limit exceeded, retried, exceeded...): the library stops at
 * the event cap it is given, at once; the executable stops at settings.maxTime with status 3 and
 * says why. */
static void test_event_cap(void)
{
    g_autofree char *path = src_path("tests/data/limits/route-limit-flap.json");
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) scn = load_file(path, NULL, d);
    g_assert_nonnull(scn);
    g_autoptr(ArRun) run = run_scenario(scn, &(ArSimConfig){ .max_events = 1000 });
    g_assert_cmpint(run->end, ==, RUN_EVENT_CAP);
    g_assert_cmpuint(run->net->sim->stats.events, <=, 1000); /* the bound is the event count, not a clock */

    Result r = arsim("run", "tests/data/limits/route-limit-flap.json");
    g_assert_cmpint(r.status, ==, 3);
    g_assert_nonnull(strstr(r.err, "route-limit-flap.json: routing was still changing"));
    g_assert_cmpstr(r.out, !=, ""); /* the state where it stopped is still printed */
    result_clear(&r);
    r = arsim("run", "--json", "tests/data/limits/route-limit-flap.json");
    g_assert_cmpint(r.status, ==, 3);
    g_assert_nonnull(strstr(r.out, "\"converged\":\tfalse"));
    result_clear(&r);
    /* compare, report and trace say what stopped them too: maxTime, not an event cap never reached. */
    r = arsim("compare", "tests/data/limits/route-limit-flap.json", "--set", "settings.maxTime=100");
    g_assert_cmpint(r.status, ==, 3);
    g_assert_nonnull(strstr(r.err, "route-limit-flap.json: routing was still changing 100 s after the last event "
                                   "(settings.maxTime); did not settle"));
    g_assert_null(strstr(r.err, "events"));
    result_clear(&r);
    r = arsim("trace", "tests/data/limits/route-limit-flap.json", "--from", "hub", "--to", "10.3.0.1");
    g_assert_nonnull(strstr(r.err, "route-limit-flap.json: routing was still changing 600 s"));
    result_clear(&r);
}

/* ---- crash regressions ------------------------------------------------------------------ */

/* Every file of tests/data/crash and the status `arsim run` gives it (tests/data/crash/README.md). */
static const struct {
    const char *file;
    int status;
} crash_cases[] = {
    { "graph-name-map-leak.json", 0 },
};

/* Runs arsim with leak checking and without tools/lsan.supp: the commands used here draw DOT only
 * (no Graphviz layout, no fonts), so nothing may leak at all. Outside the sanitizer pass the
 * variables are inert. */
static Result arsim_no_suppressions(const char *const *args)
{
    g_auto(GStrv) env = g_get_environ();
    env = g_environ_setenv(env, "LSAN_OPTIONS", "print_suppressions=0", TRUE);
    return arsim_env(args, env);
}

static void test_crash_regressions(void)
{
    g_autofree char *dir = src_path("tests/data/crash");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    guint n = 0;
    const char *f;
    while ((f = g_dir_read_name(d))) {
        if (!g_str_has_suffix(f, ".json"))
            continue;
        n++;
        int want = -1;
        for (size_t i = 0; i < G_N_ELEMENTS(crash_cases); i++)
            if (strcmp(crash_cases[i].file, f) == 0)
                want = crash_cases[i].status;
        if (want < 0)
            g_printerr("tests/data/crash/%s has no line in crash_cases (tests/test_limits.c)\n", f);
        g_assert_cmpint(want, >=, 0);
        g_autofree char *rel = g_strconcat("tests/data/crash/", f, NULL);
        g_autofree char *tmp = temp_dir();
        g_autofree char *dot = g_build_filename(tmp, "x.dot", NULL);
        const char *run_args[] = { "run", "--json", rel, NULL };
        const char *graph_args[] = { "graph", rel, "-o", dot, NULL };
        for (int k = 0; k < 2; k++) {
            Result r = arsim_no_suppressions(k == 0 ? run_args : graph_args);
            if (r.status != want)
                g_printerr("%s: arsim %s: status %d, want %d\n%s\n", f, k == 0 ? "run" : "graph", r.status, want, r.err);
            g_assert_cmpint(r.status, ==, want);
            result_clear(&r);
        }
        test_remove_tree(tmp);
    }
    g_assert_cmpuint(n, ==, G_N_ELEMENTS(crash_cases));
}

/* Millions of mistakes are counted, not all kept: memory stays bounded and the summary says so. */
static void test_diagnostics_capped(void)
{
    g_autoptr(ArDiagList) l = diag_list_new();
    for (int i = 0; i < 1500; i++)
        diag_add(l, i % 3 ? DIAG_ERROR : DIAG_WARNING, "f.json", i + 1, 1, "/x", "problem %d", i);
    g_assert_cmpuint(l->items->len, ==, DIAG_KEEP_MAX);
    g_assert_cmpint(l->errors + l->warnings, ==, 1500);
    g_assert_cmpint(l->warnings, ==, 500);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    diag_print(l, f);
    fclose(f);
    g_assert_nonnull(strstr(buf, "... and 500 more (1000 errors and 500 warnings in all; the first 1000 are shown)"));
    free(buf);
}

/* A small file can ask for a huge run: refused up front with what to raise, never an OOM kill. */
static void test_memory_estimate(void)
{
    GString *t = g_string_new("{\"settings\":{\"maxMemoryMiB\":1},\"vnets\":[{\"name\":\"hub\",\"addressPrefixes\":[\"10.0.0.0/16\"]}],"
                              "\"gateways\":[{\"name\":\"er\",\"vnet\":\"hub\",\"type\":\"ExpressRoute\"}],"
                              "\"sites\":[{\"name\":\"dc\",\"asn\":65020,\"connections\":[{\"expressRouteGateway\":\"er\"}],"
                              "\"addressPrefixes\":[");
    for (int i = 0; i < 3000; i++)
        g_string_append_printf(t, "%s\"100.%d.%d.0/24\"", i ? "," : "", i / 256, i % 256);
    g_string_append(t, "]}]}");
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_text("m.json", t->str, t->len, NULL, d);
    g_assert_null(s);
    g_autofree char *msg = diag_format(g_ptr_array_index(d->items, 0));
    g_assert_true(g_str_has_prefix(msg, "m.json:1:1: this scenario could need about"));
    g_assert_nonnull(strstr(msg, "settings.maxMemoryMiB allows (1 MiB)"));
    /* The same file with the default limit loads. */
    g_autoptr(ArDiagList) d2 = diag_list_new();
    const char *sets[] = { "settings.maxMemoryMiB=16384", NULL };
    ArLoadOptions o = { .sets = sets };
    g_autoptr(ArScenario) s2 = load_text("m.json", t->str, t->len, &o, d2);
    g_assert_nonnull(s2);
    g_string_free(t, TRUE);
}

/* The estimate tests' network: spokes spokes, er_prefixes circuit prefixes, 4 NVAs. */
static void gen_params_for(ArGenParams *gp, int spokes, int er_prefixes)
{
    gen_params_default(gp);
    gp->spokes = spokes;
    gp->er_prefixes = er_prefixes;
    gp->nvas = 4;
    gp->sku = GEN_SKU_PREMIUM;
    gp->lift_limits = TRUE;
}

/* A generated scenario (arsim generate's shape) loaded for command what; NULL when refused. */
static ArScenario *gen_load(int spokes, int er_prefixes, ScnEstimateFor what, const char *max_mib)
{
    ArGenParams gp;
    gen_params_for(&gp, spokes, er_prefixes);
    g_autofree char *text = test_generated_text(&gp);
    g_autofree char *set = g_strdup_printf("settings.maxMemoryMiB=%s", max_mib);
    const char *sets[] = { set, NULL };
    ArLoadOptions o = { .sets = sets, .estimate_for = what };
    g_autoptr(ArDiagList) d = diag_list_new();
    return load_text("g.json", text, strlen(text), &o, d);
}

/* The estimate is the command's: it grows with the routes and the spokes, a report or a compare
 * needs more than a run, and the loader holds the command's own estimate against the cap. */
static void test_memory_estimate_per_command(void)
{
    g_autoptr(ArScenario) small = gen_load(10, 1000, SCN_EST_RUN, "16384");
    g_autoptr(ArScenario) routes = gen_load(10, 8000, SCN_EST_RUN, "16384");
    g_autoptr(ArScenario) spokes = gen_load(2000, 1000, SCN_EST_RUN, "16384");
    g_assert_nonnull(small);
    g_assert_nonnull(routes);
    g_assert_nonnull(spokes);
    for (ScnEstimateFor w = 0; w < SCN_EST_N; w++) {
        g_assert_cmpuint(scn_estimate_bytes(routes, w), >, scn_estimate_bytes(small, w));
        g_assert_cmpuint(scn_estimate_bytes(spokes, w), >, scn_estimate_bytes(small, w));
    }
    /* 7,000 more ExpressRoute prefixes cross at least the circuit, both gateway instances and
     * both Route Server instances to the 4 NVAs: 16 sessions and more at 32 bytes a path, so the
     * estimate grows by at least 512 bytes a prefix. */
    g_assert_cmpuint(scn_estimate_bytes(routes, SCN_EST_RUN) - scn_estimate_bytes(small, SCN_EST_RUN), >=, 7000u * 512u);
    for (ArScenario *s = small; s; s = s == small ? routes : s == routes ? spokes : NULL) {
        uint64_t run = scn_estimate_bytes(s, SCN_EST_RUN);
        g_assert_cmpuint(scn_estimate_bytes(s, SCN_EST_GRAPH), >, run);
        g_assert_cmpuint(scn_estimate_bytes(s, SCN_EST_TRACE), >, run);
        g_assert_cmpuint(scn_estimate_bytes(s, SCN_EST_REPORT), >, scn_estimate_bytes(s, SCN_EST_TRACE));
        g_assert_cmpuint(scn_estimate_bytes(s, SCN_EST_COMPARE), >, scn_estimate_bytes(s, SCN_EST_TRACE));
        g_assert_cmpuint(scn_estimate_bytes(s, SCN_EST_REPORT_COMPARE), >, scn_estimate_bytes(s, SCN_EST_REPORT));
        g_assert_cmpuint(scn_estimate_bytes(s, SCN_EST_REPORT_COMPARE), >, scn_estimate_bytes(s, SCN_EST_COMPARE));
    }
    /* run --csv builds the reach matrix for its reachability rows: (2,000 spokes + hub + sites)^2
     * cells of 4 bytes more than run. */
    g_assert_cmpuint(scn_estimate_bytes(spokes, SCN_EST_RUN_CSV) - scn_estimate_bytes(spokes, SCN_EST_RUN), >=,
                     2001u * 2001u * 4u);
    g_assert_cmpuint(scn_estimate_bytes(small, SCN_EST_RUN_CSV), >, scn_estimate_bytes(small, SCN_EST_RUN));
    g_assert_cmpstr(scn_estimate_name(SCN_EST_RUN_CSV), ==, "run --csv");
    /* 2,000 spokes: the reach matrix of a compare ((VNets + sites)^2 cells, two of them) outgrows the run. */
    g_assert_cmpuint(scn_estimate_bytes(spokes, SCN_EST_COMPARE), >, 2 * scn_estimate_bytes(spokes, SCN_EST_RUN));
    /* A cap between run's and report's estimates: run loads, report is refused. */
    uint64_t mid = (scn_estimate_bytes(spokes, SCN_EST_RUN) + scn_estimate_bytes(spokes, SCN_EST_REPORT)) / 2 >> 20;
    g_autofree char *cap = g_strdup_printf("%" G_GUINT64_FORMAT, mid);
    g_assert_cmpuint(scn_estimate_bytes(spokes, SCN_EST_RUN) >> 20, <, mid);
    g_assert_cmpuint(scn_estimate_bytes(spokes, SCN_EST_REPORT) >> 20, >, mid + 1);
    g_autoptr(ArScenario) as_run = gen_load(2000, 1000, SCN_EST_RUN, cap);
    g_autoptr(ArScenario) as_report = gen_load(2000, 1000, SCN_EST_REPORT, cap);
    g_assert_nonnull(as_run);
    g_assert_null(as_report);
    g_assert_cmpstr(scn_estimate_name(SCN_EST_REPORT), ==, "report");

    /* `run --csv` is held to its own estimate: with a cap between run's and run --csv's, run loads
     * the file and run --csv refuses it, naming itself. */
    uint64_t csv_mid = (scn_estimate_bytes(spokes, SCN_EST_RUN) + scn_estimate_bytes(spokes, SCN_EST_RUN_CSV)) / 2 >> 20;
    g_assert_cmpuint(scn_estimate_bytes(spokes, SCN_EST_RUN) >> 20, <, csv_mid);
    g_assert_cmpuint(scn_estimate_bytes(spokes, SCN_EST_RUN_CSV) >> 20, >, csv_mid + 1);
    g_autofree char *csv_cap = g_strdup_printf("%" G_GUINT64_FORMAT, csv_mid);
    g_autoptr(ArScenario) csv_as_run = gen_load(2000, 1000, SCN_EST_RUN, csv_cap);
    g_assert_nonnull(csv_as_run);
    ArGenParams gp;
    gen_params_for(&gp, 2000, 1000);
    g_autofree char *dir = temp_dir();
    g_autofree char *file = test_write_generated(&gp, dir);
    g_autofree char *csv_set = g_strdup_printf("settings.maxMemoryMiB=%s", csv_cap);
    char *csv_sets[] = { csv_set, NULL };
    const ArRunArgs csv = { .file = file, .format = "csv", .sets = csv_sets };
    g_auto(TestRun) r = test_cmd_run(&csv);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "for `arsim run --csv`"));
    g_assert_cmpstr(r.out, ==, "");
    test_remove_tree(dir);
}

/* n NVAs in one /8 hub: with rs, all peer with one Route Server (liftLimits set); without, all are
 * bgpPeers of NVA "core" (Azure sets no limit there). */
static GString *many_peers(guint n, gboolean rs)
{
    GString *t = g_string_new("{\"settings\":{\"liftLimits\":");
    g_string_append_printf(t, "%s},\"vnets\":[{\"name\":\"hub\",\"addressPrefixes\":[\"10.0.0.0/8\"]}],"
                              "\"routeServers\":[{\"name\":\"ars\",\"vnet\":\"hub\"}],\"nvas\":[", rs ? "true" : "false");
    if (!rs) {
        g_string_append(t, "{\"name\":\"core\",\"vnet\":\"hub\",\"ipAddress\":\"10.255.0.4\",\"asn\":65000,\"bgpPeers\":[");
        for (guint i = 0; i < n; i++)
            g_string_append_printf(t, "%s{\"nva\":\"n%u\"}", i ? "," : "", i);
        g_string_append(t, "]},");
    }
    for (guint i = 0; i < n; i++) {
        uint32_t ip = 0x0A010000u + i;
        g_string_append_printf(t, "%s{\"name\":\"n%u\",\"vnet\":\"hub\",\"ipAddress\":\"10.%u.%u.%u\",\"asn\":65001%s}",
                               i ? "," : "", i, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, rs ? ",\"routeServer\":\"ars\"" : "");
    }
    g_string_append(t, "]}");
    return t;
}

/* One speaker holds at most RIB_MAX_PEERS (65,535) peers: past that the validator refuses the
 * scenario naming the limit (exit 2), with or without liftLimits, instead of an abort in the
 * build (exit 134). */
static void test_peers_per_speaker(void)
{
    for (int rs = 1; rs >= 0; rs--) {
        for (guint n = 65535; n <= 65536; n++) {
            g_autoptr(GString) t = many_peers(n, rs);
            g_autoptr(ArDiagList) d = diag_list_new();
            g_autoptr(ArScenario) s = load_text("p.json", t->str, t->len, NULL, d);
            if (n == 65535) { /* the most a speaker holds */
                if (!s)
                    diag_print(d, stderr);
                g_assert_nonnull(s);
                continue;
            }
            /* With liftLimits, one warning too (the Route Server's Azure limit), not one per NVA. */
            g_assert_null(s);
            g_assert_cmpint(d->errors, ==, 1);
            g_assert_cmpint(d->warnings, ==, rs ? 1 : 0);
            const ArDiag *err = NULL;
            for (guint i = 0; i < d->items->len; i++)
                if (((const ArDiag *)g_ptr_array_index(d->items, i))->severity == DIAG_ERROR)
                    err = g_ptr_array_index(d->items, i);
            g_autofree char *msg = diag_format(err);
            if (!strstr(msg, "BGP sessions; arsim holds at most 65535 per speaker"))
                g_printerr("%s\n", msg);
            g_assert_nonnull(strstr(msg, "BGP sessions; arsim holds at most 65535 per speaker"));
            g_assert_true(g_str_has_prefix(msg, "p.json:1:"));
            g_assert_nonnull(strstr(msg, rs ? "/routeServers/0: 'ars' would have 65536" : "/nvas/0: 'core' would have 65536"));
            if (!rs)
                continue;
            /* The executable: exit 2 with the message (every command loads through cli_load). */
            g_autofree char *dir = temp_dir();
            g_autofree char *f = g_build_filename(dir, "p.json", NULL);
            write_file(f, t->str, (gssize)t->len);
            g_autofree char *svg = g_build_filename(dir, "p.dot", NULL);
            const char *const cmds[][5] = { { "run", f, NULL }, { "report", f, "-o", svg, NULL } };
            for (size_t k = 0; k < G_N_ELEMENTS(cmds); k++) {
                Result r = arsim_argv(cmds[k]);
                assert_cli_error(&r, "arsim holds at most 65535 per speaker");
                result_clear(&r);
            }
            test_remove_tree(dir);
        }
    }
}

/* Name of the first entry of dir starting with prefix, or NULL. g_free it. */
static char *dir_entry(const char *dir, const char *prefix)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *f;
    while (d && (f = g_dir_read_name(d)))
        if (g_str_has_prefix(f, prefix))
            return g_strdup(f);
    return NULL;
}

/* --trace has a cap (exit 2, a message, no file); its temporary file is removed when SIGINT or
 * SIGTERM stops the run, and the exit status still names the signal. */
static void test_trace_cap_and_signals(void)
{
    g_autofree char *dir = temp_dir();
    g_autofree char *tr = g_build_filename(dir, "t.jsonl", NULL);
    Result r = arsim("run", "tests/data/limits/route-limit-flap.json", "--set", "settings.maxTime=1h", "--trace", tr,
                     "--trace-max-mib", "1");
    assert_cli_error(&r, "t.jsonl: cannot write: the trace reached its cap of 1 MiB at simulated time");
    g_assert_nonnull(strstr(r.err, "(raise --trace-max-mib, or stop earlier with --until)"));
    result_clear(&r);
    g_autofree char *left = dir_entry(dir, "");
    g_assert_null(left);

    const int sigs[] = { SIGINT, SIGTERM };
    for (size_t k = 0; k < G_N_ELEMENTS(sigs); k++) {
        g_autofree char *root = src_path("");
        const char *argv[] = { g_getenv("ARSIM_BIN"), "run", "tests/data/limits/route-limit-flap.json", "--set",
                               "settings.maxTime=8760h", "--max-events", "1000000000", "--trace", tr, NULL };
        GPid pid;
        g_autoptr(GError) e = NULL;
        g_assert_true(g_spawn_async(root, (char **)argv, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                    NULL, NULL, &pid, &e));
        g_assert_no_error(e);
        /* Wait (at most 60 s) until the temporary trace holds something: the run is well under way. */
        gboolean started = FALSE;
        for (int i = 0; i < 6000 && !started; i++) {
            g_autofree char *tmp = dir_entry(dir, ".t.jsonl.");
            g_autofree char *p = tmp ? g_build_filename(dir, tmp, NULL) : NULL;
            GStatBuf st;
            started = p && g_stat(p, &st) == 0 && st.st_size > 0;
            if (!started)
                g_usleep(10000);
        }
        g_assert_true(started);
        g_assert_cmpint(kill(pid, sigs[k]), ==, 0);
        int wait = 0;
        g_assert_cmpint(waitpid(pid, &wait, 0), ==, pid);
        g_spawn_close_pid(pid);
        g_assert_true(WIFSIGNALED(wait));
        g_assert_cmpint(WTERMSIG(wait), ==, sigs[k]);
        g_autofree char *after = dir_entry(dir, "");
        if (after)
            g_printerr("left behind after signal %d: %s\n", sigs[k], after);
        g_assert_null(after);
    }
    test_remove_tree(dir);
}

/* The message of the first error in d. */
static const char *first_error(const ArDiagList *d)
{
    for (guint i = 0; i < d->items->len; i++) {
        const ArDiag *x = g_ptr_array_index(d->items, i);
        if (x->severity == DIAG_ERROR)
            return x->message;
    }
    g_assert_not_reached();
    return NULL;
}

/* No byte below 0x20 but tab, newline and carriage return, and no DEL. */
static gboolean no_control_bytes(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
            return FALSE;
    return TRUE;
}

/* Control characters in text: a \u0000 escape is refused with its line:col (cJSON would cut the
 * string there and "hub\u0000x" would pass as "hub"); names in "known: ..." lists are escaped and
 * cut; a control character in the scenario's name does not make the SVG invalid XML. */
static void test_control_characters(void)
{
    const char *nul_name = "{\"vnets\": [\n  {\"name\": \"hub\\u0000x\", \"addressPrefixes\": [\"10.0.0.0/16\"]}]}";
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_text("n.json", nul_name, strlen(nul_name), NULL, d);
    assert_load_error(s, d, "\\u0000 (NUL) in a string is not allowed");
    const ArDiag *x = g_ptr_array_index(d->items, 0);
    g_assert_cmpint(x->line, ==, 2);
    g_assert_cmpint(x->col, ==, 16);
    const char *nul_key = "{\"vnets\\u0000\": [], \"vnets\": [{\"name\": \"hub\", \"addressPrefixes\": [\"10.0.0.0/16\"]}]}";
    g_autoptr(ArDiagList) d2 = diag_list_new();
    g_autoptr(ArScenario) s2 = load_text("k.json", nul_key, strlen(nul_key), NULL, d2);
    assert_load_error(s2, d2, "\\u0000 (NUL)");
    /* An escaped backslash before "u0000" is text, not an escape: this one loads. */
    const char *text = "{\"description\": \"a\\\\u0000b\", \"vnets\": [{\"name\": \"hub\", \"addressPrefixes\": [\"10.0.0.0/16\"]}]}";
    g_autoptr(ArDiagList) d3 = diag_list_new();
    g_autoptr(ArScenario) s3 = load_text("t.json", text, strlen(text), NULL, d3);
    g_assert_nonnull(s3);
    g_assert_cmpstr(s3->description, ==, "a\\u0000b");
    const char *sets[] = { "description=\"a\\u0000b\"", NULL };
    g_autoptr(ArDiagList) d4 = diag_list_new();
    g_autoptr(ArScenario) s4 = load_text("t.json", text, strlen(text), &(ArLoadOptions){ .sets = sets }, d4);
    assert_load_error(s4, d4, "\\u0000 (NUL) in a value is not allowed");

    /* "known: ..." with a megabyte-long name holding a terminal escape: escaped, cut, short. */
    GString *t = g_string_new("{\"vnets\": [{\"name\": \"\\u001b[31m");
    for (int i = 0; i < 1000000; i++)
        g_string_append_c(t, 'A');
    g_string_append(t, "\", \"addressPrefixes\": [\"10.0.0.0/16\"]}], \"routeServers\": [{\"name\": \"ars\", \"vnet\": \"nope\"}]}");
    g_autoptr(ArDiagList) d5 = diag_list_new();
    g_autoptr(ArScenario) s5 = load_text("m.json", t->str, t->len, NULL, d5);
    g_assert_null(s5);
    g_autofree char *all = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&all, &n);
    diag_print(d5, f);
    fclose(f);
    const char *known = strstr(first_error(d5), "no VNet named \"nope\"; known: ") ? first_error(d5) : NULL;
    for (guint i = 0; !known && i < d5->items->len; i++)
        if (strstr(((ArDiag *)g_ptr_array_index(d5->items, i))->message, "known: "))
            known = ((ArDiag *)g_ptr_array_index(d5->items, i))->message;
    g_assert_nonnull(known);
    g_assert_nonnull(strstr(known, "known: \\u001b[31mAAAA"));
    g_assert_true(g_str_has_suffix(known, "AAA..."));
    g_assert_cmpuint(strlen(known), <, 200);
    g_assert_true(no_control_bytes(all));
    g_assert_cmpuint(n, <, 4096); /* every message cuts the name */
    g_string_free(t, TRUE);

    /* The scenario's name in the diagram's title. */
    g_autofree char *dir = temp_dir();
    g_autofree char *in = g_build_filename(dir, "c.json", NULL);
    g_autofree char *svg = g_build_filename(dir, "c.svg", NULL);
    const char *ctl = "{\"name\": \"bad\\u001b[31mred\\u0001\", \"vnets\": [{\"name\": \"hub\", \"addressPrefixes\": [\"10.0.0.0/16\"]}]}";
    write_file(in, ctl, -1);
    Result r = arsim("graph", in, "-o", svg);
    g_assert_cmpint(r.status, ==, 0);
    result_clear(&r);
    g_autofree char *img = NULL;
    g_assert_true(g_file_get_contents(svg, &img, NULL, NULL));
    g_assert_true(no_control_bytes(img));
    g_assert_nonnull(strstr(img, "bad\xEF\xBF\xBD[31mred\xEF\xBF\xBD"));
    /* trace --from's list of valid names: the first 12, the rest counted. */
    g_autofree char *gen = g_build_filename(dir, "g.json", NULL);
    r = arsim("generate", "--spokes", "20", "--er-prefixes", "0", "--nvas", "1", "--routes-per-nva", "1", "-o", gen);
    g_assert_cmpint(r.status, ==, 0);
    result_clear(&r);
    r = arsim("trace", gen, "--from", "nope", "--to", "10.0.0.1");
    assert_cli_error(&r, "valid: branch1, hub, spoke1, spoke2, spoke3, spoke4, spoke5, spoke6, spoke7, spoke8, spoke9, "
                         "spoke10, ... (10 more)\n");
    result_clear(&r);
    test_remove_tree(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/limits/size/100mb-file", test_file_100mb);
    g_test_add_func("/limits/size/pipe-1e8-prefixes", test_pipe_1e8_prefixes);
    g_test_add_func("/limits/size/devices", test_devices);
    g_test_add_func("/limits/nesting-10000", test_nesting_10000);
    g_test_add_func("/limits/binary-garbage", test_binary_garbage);
    g_test_add_func("/limits/huge-tokens", test_huge_tokens);
    g_test_add_func("/limits/empty-and-directory", test_empty_and_directory);
    g_test_add_func("/limits/event-cap", test_event_cap);
    g_test_add_func("/limits/crash-regressions", test_crash_regressions);
    g_test_add_func("/limits/diagnostics-capped", test_diagnostics_capped);
    g_test_add_func("/limits/memory-estimate", test_memory_estimate);
    g_test_add_func("/limits/memory-estimate-per-command", test_memory_estimate_per_command);
    g_test_add_func("/limits/peers-per-speaker", test_peers_per_speaker);
    g_test_add_func("/limits/control-characters", test_control_characters);
    g_test_add_func("/limits/trace-cap-and-signals", test_trace_cap_and_signals);
    return g_test_run();
}
