/* test_dist.c - what `meson install` ships: versions, man pages, bash completion, the installed library. */
/*
 * The man pages and the completion are checked against `arsim help` as the executable prints it;
 * the install test runs `meson install` into a temporary DESTDIR, compares every file installed with
 * the expected list, compiles each public header alone and builds tests/install/consumer.c against
 * the installed arsim.pc, then runs it on a reference scenario.
 */
#include "testlib.h"
#include "arsim/cli.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* What a process did. */
typedef struct Proc {
    int status; /* exit status, -1 when killed by a signal */
    char *out;  /* standard output */
    char *err;  /* standard error */
} Proc;

static void proc_clear(Proc *p)
{
    g_free(p->out);
    g_free(p->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Proc, proc_clear)

/* The value of a variable tests/meson.build sets; fails the test when unset. */
static const char *need_env(const char *name)
{
    const char *v = g_getenv(name);
    if (!v)
        g_error("%s is not set: run the test through meson test", name);
    return v;
}

/* Runs argv (NULL-terminated) in cwd (NULL: the source root) with env (NULL: ours). */
static Proc run_argv(const char *cwd, char **env, const char *const *argv)
{
    Proc p = { 0 };
    int wait = 0;
    g_autoptr(GError) e = NULL;
    if (!g_spawn_sync(cwd ? cwd : need_env("ARSIM_SOURCE_ROOT"), (char **)argv, env, G_SPAWN_SEARCH_PATH, NULL,
                      NULL, &p.out, &p.err, &wait, &e))
        g_error("cannot run %s: %s", argv[0], e->message);
    p.status = WIFEXITED(wait) ? WEXITSTATUS(wait) : -1;
    return p;
}

/* Runs the arsim under test with up to two arguments (NULL ends them). */
static Proc run_arsim(const char *a1, const char *a2)
{
    const char *argv[] = { need_env("ARSIM_BIN"), a1, a2, NULL };
    return run_argv(NULL, NULL, argv);
}

/* The commands `arsim help` lists under "Commands:", help excluded. */
static GPtrArray *help_commands(void)
{
    g_auto(Proc) p = run_arsim("help", NULL);
    g_assert_cmpint(p.status, ==, 0);
    GPtrArray *cmds = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(p.out, "\n", -1);
    gboolean in = FALSE;
    for (char **l = lines; *l; l++) {
        if (strcmp(*l, "Commands:") == 0) {
            in = TRUE;
            continue;
        }
        if (in && **l == '\0')
            break;
        if (in && g_str_has_prefix(*l, "  ") && (*l)[2] != ' ') {
            g_autofree char *word = g_strndup(*l + 2, strcspn(*l + 2, " "));
            if (strcmp(word, "help") != 0)
                g_ptr_array_add(cmds, g_steal_pointer(&word));
        }
    }
    g_assert_cmpuint(cmds->len, >=, 8); /* run ... version */
    return cmds;
}

/* The long options `arsim help CMD` lists ("--json", "--output"...), --help included. */
static GPtrArray *help_options(const char *cmd)
{
    g_auto(Proc) p = run_arsim("help", cmd);
    g_assert_cmpint(p.status, ==, 0);
    GPtrArray *opts = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(p.out, "\n", -1);
    gboolean in = FALSE; /* inside a "... Options:" block */
    for (char **l = lines; *l; l++) {
        if (**l != ' ') {
            in = g_str_has_suffix(*l, "Options:");
            continue;
        }
        const char *s = g_strstr_len(*l, 40, "--");
        if (in && g_str_has_prefix(*l, "  -") && s)
            g_ptr_array_add(opts, g_strndup(s, strcspn(s, "= ")));
    }
    g_assert_cmpuint(opts->len, >=, 1);
    return opts;
}

static gboolean ptr_array_has(GPtrArray *a, const char *s)
{
    return g_ptr_array_find_with_equal_func(a, s, g_str_equal, NULL);
}

/* ---- version ---- */

static void test_version(void)
{
    g_autofree char *want = g_strdup_printf("arsim %s\nGLib %s\ncJSON %s\nGraphviz %s\n", need_env("ARSIM_VERSION"),
                                            need_env("ARSIM_GLIB_VERSION"), need_env("ARSIM_CJSON_VERSION"),
                                            need_env("ARSIM_GRAPHVIZ_VERSION"));
    g_auto(Proc) flag = run_arsim("--version", NULL);
    g_auto(Proc) cmd = run_arsim("version", NULL);
    g_assert_cmpint(flag.status, ==, 0);
    g_assert_cmpint(cmd.status, ==, 0);
    g_assert_cmpstr(flag.out, ==, want);
    g_assert_cmpstr(cmd.out, ==, want);
    g_assert_cmpstr(cmd.err, ==, "");
    /* The library says the same. */
    g_assert_cmpstr(cli_version(), ==, need_env("ARSIM_VERSION"));

    g_auto(Proc) extra = run_arsim("version", "x");
    g_assert_cmpint(extra.status, ==, 2);
    g_assert_nonnull(strstr(extra.err, "takes no argument"));
    g_auto(Proc) extra2 = run_arsim("--version", "x");
    g_assert_cmpint(extra2.status, ==, 2);
}

/* ---- man pages ---- */

/* A page's roff source with the escapes of its terms undone (\- to -, fonts dropped). */
static char *man_plain(const char *path)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) e = NULL;
    if (!g_file_get_contents(path, &text, NULL, &e))
        g_error("%s", e->message);
    g_auto(GStrv) a = g_strsplit(text, "\\-", -1);
    g_autofree char *dashes = g_strjoinv("-", a);
    g_auto(GStrv) b = g_regex_split_simple("\\\\f[BIR]", dashes, 0, 0);
    return g_strjoinv("", b);
}

static char *build_page(const char *cmd)
{
    g_autofree char *base = cmd ? g_strconcat("arsim-", cmd, ".1", NULL) : g_strdup("arsim.1");
    return g_build_filename(need_env("ARSIM_BUILD_ROOT"), "dist", base, NULL);
}

/* Every command has a page listing every option of its help; the overview page lists every command. */
static void test_man_same_as_help(void)
{
    g_autoptr(GPtrArray) cmds = help_commands();
    g_autofree char *top_path = build_page(NULL);
    g_autofree char *top = man_plain(top_path);
    for (guint i = 0; i < cmds->len; i++) {
        const char *cmd = g_ptr_array_index(cmds, i);
        g_autofree char *entry = g_strdup_printf("\n%s", cmd); /* a .TP term of COMMANDS */
        g_assert_nonnull(strstr(top, entry));
        g_autofree char *see = g_strdup_printf(".BR arsim-%s (1)", cmd);
        g_assert_nonnull(strstr(top, see));

        g_autofree char *path = build_page(cmd);
        g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
        g_autofree char *page = man_plain(path);
        g_autofree char *name = g_strdup_printf(".SH NAME\narsim-%s - ", cmd);
        g_assert_nonnull(strstr(page, name));
        /* The terms of OPTIONS (".TP\n--json\n", ".TP\n-o, --output=FILE\n"): the same long options. */
        const char *options = strstr(page, "\n.SH OPTIONS\n");
        g_assert_nonnull(options);
        g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func(g_free);
        g_auto(GStrv) lines = g_strsplit(options + 1, "\n", -1);
        for (char **l = lines + 1; *l && !g_str_has_prefix(*l, ".SH"); l++) {
            const char *lo;
            if (strcmp(*l, ".TP") == 0 && l[1] && (lo = strstr(l[1], "--")))
                g_ptr_array_add(terms, g_strndup(lo, strcspn(lo, "= ")));
        }
        g_autoptr(GPtrArray) opts = help_options(cmd);
        for (guint j = 0; j < opts->len; j++)
            if (!ptr_array_has(terms, g_ptr_array_index(opts, j)))
                g_error("arsim-%s.1 lacks %s, which `arsim help %s` lists", cmd, (char *)g_ptr_array_index(opts, j), cmd);
        g_assert_cmpuint(terms->len, ==, opts->len);
    }
}

/* groff -ww -z and man -l render every page without a warning. */
static void test_man_render(void)
{
    g_autofree char *groff = g_find_program_in_path("groff");
    g_autofree char *man = g_find_program_in_path("man");
    if (!groff || !man) {
        g_test_skip("groff or man not installed (Debian: groff-base, man-db; tools/test.sh installs them)");
        return;
    }
    /* The check can fail: a page with an unknown request warns. */
    g_autofree char *bad = g_build_filename(g_get_tmp_dir(), "arsim-bad-XXXXXX.1", NULL);
    int fd = g_mkstemp(bad);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(bad, ".TH BAD 1\n.SH NAME\nbad \\- bad\n.nosuchrequest\n", -1, NULL));
    const char *bad_argv[] = { groff, "-man", "-ww", "-z", bad, NULL };
    g_auto(Proc) b = run_argv(NULL, NULL, bad_argv);
    g_assert_cmpstr(b.err, !=, "");
    g_unlink(bad);

    /* All pages in one groff and one man run (each names the file of any warning). */
    g_autoptr(GPtrArray) cmds = help_commands();
    g_autoptr(GPtrArray) gargv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(gargv, g_strdup(groff));
    g_ptr_array_add(gargv, g_strdup("-man"));
    g_ptr_array_add(gargv, g_strdup("-ww"));
    g_ptr_array_add(gargv, g_strdup("-z"));
    g_autoptr(GPtrArray) margv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(margv, g_strdup(man));
    g_ptr_array_add(margv, g_strdup("--warnings=w"));
    g_ptr_array_add(margv, g_strdup("-l"));
    g_ptr_array_add(gargv, build_page(NULL));
    g_ptr_array_add(margv, build_page(NULL));
    for (guint i = 0; i < cmds->len; i++) {
        g_ptr_array_add(gargv, build_page(g_ptr_array_index(cmds, i)));
        g_ptr_array_add(margv, build_page(g_ptr_array_index(cmds, i)));
    }
    g_ptr_array_add(gargv, NULL);
    g_ptr_array_add(margv, NULL);

    g_auto(Proc) g = run_argv(NULL, NULL, (const char *const *)gargv->pdata);
    g_assert_cmpint(g.status, ==, 0);
    if (*g.err)
        g_error("groff -ww -z: %s", g.err);
    g_auto(GStrv) env = g_get_environ();
    env = g_environ_setenv(env, "MANWIDTH", "80", TRUE);
    env = g_environ_setenv(env, "MANPAGER", "cat", TRUE);
    env = g_environ_setenv(env, "LC_ALL", "C.UTF-8", TRUE);
    g_auto(Proc) m = run_argv(NULL, env, (const char *const *)margv->pdata);
    g_assert_cmpint(m.status, ==, 0);
    if (*m.err)
        g_error("man -l: %s", m.err);
    /* Every page rendered: its NAME and SEE ALSO, and the command's own summary line. */
    g_auto(GStrv) names = g_strsplit(m.out, "\nNAME\n", -1);
    g_assert_cmpuint(g_strv_length(names), ==, cmds->len + 2);
    g_auto(GStrv) sees = g_strsplit(m.out, "\nSEE ALSO\n", -1);
    g_assert_cmpuint(g_strv_length(sees), ==, cmds->len + 2);
    for (guint i = 0; i < cmds->len; i++) {
        g_autofree char *name = g_strdup_printf("\n       arsim-%s ", (char *)g_ptr_array_index(cmds, i)); /* justified: any spacing */
        g_assert_nonnull(strstr(m.out, name));
    }
}

/* ---- bash completion ---- */

/* Completes the words given (the last one being completed) with the generated script, from the
 * source root. Returns the candidates. */
static GPtrArray *complete(const char *words)
{
    g_autofree char *script_path = g_build_filename(need_env("ARSIM_BUILD_ROOT"), "dist", "arsim", NULL);
    g_autofree char *script = g_strdup_printf(
        "source \"$1\" || exit 9\n"
        "COMP_WORDS=(%s)\n"
        "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        "_arsim\n"
        "printf '%%s\\n' \"${COMPREPLY[@]}\"\n",
        words);
    const char *argv[] = { "bash", "--norc", "--noprofile", "-c", script, "complete", script_path, NULL };
    g_auto(Proc) p = run_argv(NULL, NULL, argv);
    g_assert_cmpint(p.status, ==, 0);
    g_assert_cmpstr(p.err, ==, "");
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(p.out, "\n", -1);
    for (char **l = lines; *l; l++)
        if (**l)
            g_ptr_array_add(out, g_strdup(*l));
    return out;
}

static void test_completion(void)
{
    g_autoptr(GPtrArray) cmds = help_commands();
    g_autoptr(GPtrArray) all = complete("arsim ''");
    for (guint i = 0; i < cmds->len; i++) {
        const char *cmd = g_ptr_array_index(cmds, i);
        g_assert_true(ptr_array_has(all, cmd));
        /* Every option of the command's help, and nothing else. */
        g_autofree char *words = g_strdup_printf("arsim %s --", cmd);
        g_autoptr(GPtrArray) got = complete(words);
        g_autoptr(GPtrArray) opts = help_options(cmd);
        for (guint j = 0; j < opts->len; j++)
            if (!ptr_array_has(got, g_ptr_array_index(opts, j)))
                g_error("arsim %s --<TAB> lacks %s", cmd, (char *)g_ptr_array_index(opts, j));
        g_assert_cmpuint(got->len, ==, opts->len);
    }
    g_assert_true(ptr_array_has(all, "help"));
    g_assert_cmpuint(all->len, ==, cmds->len + 1);

    g_autoptr(GPtrArray) r = complete("arsim r");
    g_assert_cmpuint(r->len, ==, 2); /* run, report */
    g_autoptr(GPtrArray) h = complete("arsim help gr");
    g_assert_cmpuint(h->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(h, 0), ==, "graph");

    /* Scenario operands: directories and *.json only. */
    g_autoptr(GPtrArray) s = complete("arsim run --json scenarios/seed-er-s");
    g_assert_cmpuint(s->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(s, 0), ==, "scenarios/seed-er-sdwan.json");
    g_autoptr(GPtrArray) c = complete("arsim run tests/test_dis");
    g_assert_cmpuint(c->len, ==, 0); /* test_dist.c is no scenario */
    /* A file option's value: any file, given as "-o FILE" or "--output=FILE" (bash splits at '='). */
    g_autoptr(GPtrArray) o = complete("arsim run -o tests/test_dis");
    g_assert_true(ptr_array_has(o, "tests/test_dist.c"));
    g_autoptr(GPtrArray) eq = complete("arsim run --output = tests/test_dis");
    g_assert_true(ptr_array_has(eq, "tests/test_dist.c"));
    g_autoptr(GPtrArray) cmp = complete("arsim report x.json --compare scenarios/multi-region-n");
    g_assert_cmpuint(cmp->len, ==, 1);
    /* A value that is no file: nothing offered. */
    g_autoptr(GPtrArray) v = complete("arsim run --node ''");
    g_assert_cmpuint(v->len, ==, 0);
}

/* ---- meson install ---- */

/* Relative paths of every file and symlink under root/dir, into out. */
static void walk(const char *root, const char *dir, GPtrArray *out)
{
    g_autofree char *abs = g_build_filename(root, dir, NULL);
    g_autoptr(GDir) d = g_dir_open(abs, 0, NULL);
    g_assert_nonnull(d);
    for (const char *n; (n = g_dir_read_name(d));) {
        g_autofree char *rel = *dir ? g_build_filename(dir, n, NULL) : g_strdup(n);
        g_autofree char *full = g_build_filename(root, rel, NULL);
        if (g_file_test(full, G_FILE_TEST_IS_DIR) && !g_file_test(full, G_FILE_TEST_IS_SYMLINK))
            walk(root, rel, out);
        else
            g_ptr_array_add(out, g_steal_pointer(&rel));
    }
}

/* "usr/local/bin/arsim" for dir /usr/local/bin and name arsim: the path inside DESTDIR. */
static char *in_dest(const char *dir, const char *name)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);
    const char *s = p;
    while (*s == '/')
        s++;
    return g_strdup(s);
}

/* Compiles (and with out, links) the NULL-terminated sources with cc, the sanitizer flags of this build and the given
 * pkg-config flags; fails the test on any warning. */
static void compile(char **env, const char *dir, const char *const *sources, const char *out, const char *pc_flags)
{
    g_autoptr(GError) e = NULL;
    int ccn = 0, pcn = 0;
    g_auto(GStrv) ccv = NULL, pcv = NULL;
    if (!g_shell_parse_argv(need_env("ARSIM_CC"), &ccn, &ccv, &e) ||
        !g_shell_parse_argv(*pc_flags ? pc_flags : "-DNOTHING", &pcn, &pcv, &e))
        g_error("%s", e->message);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    for (int i = 0; i < ccn; i++)
        g_ptr_array_add(argv, ccv[i]);
    const char *flags[] = { "-std=c17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror" };
    for (size_t i = 0; i < G_N_ELEMENTS(flags); i++)
        g_ptr_array_add(argv, (gpointer)flags[i]);
    g_auto(GStrv) san = g_strsplit(g_getenv("ARSIM_SANITIZE_CFLAGS") ? g_getenv("ARSIM_SANITIZE_CFLAGS") : "", " ", -1);
    for (char **s = san; *s; s++)
        if (**s)
            g_ptr_array_add(argv, *s);
    if (out) {
        g_ptr_array_add(argv, "-o");
        g_ptr_array_add(argv, (gpointer)out);
    } else
        g_ptr_array_add(argv, "-fsyntax-only");
    for (const char *const *src = sources; *src; src++)
        g_ptr_array_add(argv, (gpointer)*src);
    for (int i = 0; i < pcn; i++)
        g_ptr_array_add(argv, pcv[i]);
    g_ptr_array_add(argv, NULL);
    g_auto(Proc) p = run_argv(dir, env, (const char *const *)argv->pdata);
    if (p.status != 0 || *p.err)
        g_error("compiling %s failed (%d): %s", sources[0], p.status, p.err);
}

static void rm_rf(const char *dir)
{
    const char *argv[] = { "rm", "-rf", "--", dir, NULL };
    g_auto(Proc) p = run_argv(NULL, NULL, argv);
    g_assert_cmpint(p.status, ==, 0);
}

/* meson install into a temporary DESTDIR: exactly the expected files, and a program built with the
 * installed arsim.pc runs a scenario through the installed library. */
static void test_install(void)
{
    const char *meson = g_getenv("ARSIM_MESON");
    const char *pkgconfig = g_getenv("ARSIM_PKG_CONFIG");
    if (!meson || !*meson || !pkgconfig || !*pkgconfig) {
        g_test_skip("meson or pkg-config not found at configure time");
        return;
    }
    g_autoptr(GError) e = NULL;
    g_autofree char *dest = g_dir_make_tmp("arsim-destdir-XXXXXX", &e);
    g_assert_no_error(e);
    const char *prefix = need_env("ARSIM_PREFIX"), *bindir = need_env("ARSIM_BINDIR"),
               *libdir = need_env("ARSIM_LIBDIR"), *includedir = need_env("ARSIM_INCLUDEDIR"),
               *mandir = need_env("ARSIM_MANDIR"), *compdir = need_env("ARSIM_COMPLETIONDIR"),
               *kind = need_env("ARSIM_DEFAULT_LIBRARY"), *version = need_env("ARSIM_VERSION");

    const char *iargv[] = { meson, "install", "--no-rebuild", "-C", need_env("ARSIM_BUILD_ROOT"), "--destdir", dest, NULL };
    g_auto(Proc) inst = run_argv(NULL, NULL, iargv);
    if (inst.status != 0)
        g_error("meson install failed: %s%s", inst.out, inst.err);

    /* Every file expected, and nothing else. */
    g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(want, in_dest(bindir, "arsim"));
    if (strcmp(kind, "static") != 0) {
        g_autofree char *so0 = g_strdup("libarsim.so.0");
        g_autofree char *sov = g_strconcat("libarsim.so.", version, NULL);
        g_ptr_array_add(want, in_dest(libdir, "libarsim.so"));
        g_ptr_array_add(want, in_dest(libdir, so0));
        g_ptr_array_add(want, in_dest(libdir, sov));
    }
    if (strcmp(kind, "shared") != 0)
        g_ptr_array_add(want, in_dest(libdir, "libarsim.a"));
    g_autofree char *pcdir = g_build_filename(libdir, "pkgconfig", NULL);
    g_ptr_array_add(want, in_dest(pcdir, "arsim.pc"));
    g_autofree char *hdrs = g_build_filename(need_env("ARSIM_SOURCE_ROOT"), "include", "arsim", NULL);
    g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func(g_free);
    walk(hdrs, "", headers);
    g_assert_cmpuint(headers->len, >=, 20);
    g_autofree char *incdir = g_build_filename(includedir, "arsim", NULL);
    for (guint i = 0; i < headers->len; i++)
        g_ptr_array_add(want, in_dest(incdir, g_ptr_array_index(headers, i)));
    g_autofree char *man1 = g_build_filename(mandir, "man1", NULL);
    g_ptr_array_add(want, in_dest(man1, "arsim.1"));
    g_autoptr(GPtrArray) cmds = help_commands();
    for (guint i = 0; i < cmds->len; i++) {
        g_autofree char *page = g_strdup_printf("arsim-%s.1", (char *)g_ptr_array_index(cmds, i));
        g_ptr_array_add(want, in_dest(man1, page));
    }
    g_ptr_array_add(want, in_dest(compdir, "arsim"));

    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(g_free);
    walk(dest, "", got);
    for (guint i = 0; i < want->len; i++)
        if (!ptr_array_has(got, g_ptr_array_index(want, i)))
            g_error("meson install did not install %s", (char *)g_ptr_array_index(want, i));
    for (guint i = 0; i < got->len; i++)
        if (!ptr_array_has(want, g_ptr_array_index(got, i)))
            g_error("meson install installed %s, which nobody expects", (char *)g_ptr_array_index(got, i));
    g_assert_cmpuint(got->len, ==, want->len);

    /* The installed arsim runs (its library found through LD_LIBRARY_PATH, as under DESTDIR the
     * rpath to the final libdir cannot). */
    g_autofree char *dest_lib = g_build_filename(dest, libdir, NULL);
    g_auto(GStrv) env = g_get_environ();
    env = g_environ_setenv(env, "LD_LIBRARY_PATH", dest_lib, TRUE);
    g_autofree char *dest_bin = g_build_filename(dest, bindir, "arsim", NULL);
    const char *vargv[] = { dest_bin, "--version", NULL };
    g_auto(Proc) v = run_argv(NULL, env, vargv);
    g_assert_cmpint(v.status, ==, 0);
    g_autofree char *first = g_strdup_printf("arsim %s\n", version);
    g_assert_true(g_str_has_prefix(v.out, first));

    /* arsim.pc, moved under DESTDIR: its prefix line rewritten, everything else relative to it. */
    g_autofree char *pc_path = g_build_filename(dest, pcdir, "arsim.pc", NULL);
    g_autofree char *pc = NULL;
    g_assert_true(g_file_get_contents(pc_path, &pc, NULL, NULL));
    g_autofree char *prefix_line = g_strdup_printf("prefix=%s\n", prefix);
    g_assert_true(g_str_has_prefix(pc, prefix_line));
    g_assert_nonnull(strstr(pc, "Requires: glib-2.0"));
    g_autofree char *work = g_dir_make_tmp("arsim-consumer-XXXXXX", &e);
    g_assert_no_error(e);
    g_auto(GStrv) pc_lines = g_strsplit(pc, "\n", -1);
    for (char **l = pc_lines; *l; l++) {
        if (g_str_has_prefix(*l, "prefix=")) {
            g_free(*l);
            *l = g_strdup_printf("prefix=%s%s", dest, prefix);
        } else if (strchr(*l, '=') && !strchr(*l, ':'))
            g_assert_true(strstr(*l, "${prefix}") != NULL); /* libdir=${prefix}/lib... */
    }
    g_autofree char *moved = g_strjoinv("\n", pc_lines);
    g_autofree char *moved_path = g_build_filename(work, "arsim.pc", NULL);
    g_assert_true(g_file_set_contents(moved_path, moved, -1, NULL));
    g_auto(GStrv) pcenv = g_get_environ();
    pcenv = g_environ_setenv(pcenv, "PKG_CONFIG_PATH", work, TRUE);
    const char *cflags_argv[] = { pkgconfig, "--cflags", "arsim", NULL };
    g_auto(Proc) cf = run_argv(NULL, pcenv, cflags_argv);
    g_assert_cmpint(cf.status, ==, 0);
    g_autofree char *dest_inc = g_build_filename(dest, includedir, NULL);
    g_assert_nonnull(strstr(cf.out, dest_inc));
    /* Only a static library needs the private requirements (gvc, cairo, libm) on the link line. */
    const char *libs_argv[] = { pkgconfig, "--libs", "arsim", strcmp(kind, "static") == 0 ? "--static" : NULL, NULL };
    g_auto(Proc) lf = run_argv(NULL, pcenv, libs_argv);
    g_assert_cmpint(lf.status, ==, 0);
    g_autofree char *cflags = g_strstrip(g_strdup(cf.out));
    g_autofree char *all_flags = g_strdup_printf("%s %s", cflags, g_strstrip(lf.out));

    /* Each public header compiles alone: one translation unit per header, one compiler run. */
    g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < headers->len; i++) {
        const char *h = g_ptr_array_index(headers, i);
        g_autofree char *src = g_strdup_printf("#include <arsim/%s>\n", h);
        g_autofree char *base = g_strdup_printf("alone-%s.c", h);
        char *path = g_build_filename(work, base, NULL);
        g_assert_true(g_file_set_contents(path, src, -1, NULL));
        g_ptr_array_add(units, path);
    }
    g_ptr_array_add(units, NULL);
    compile(pcenv, work, (const char *const *)units->pdata, NULL, cflags);

    /* The consumer: built against the installed library only, it runs a reference scenario. */
    g_autofree char *consumer_src = g_build_filename(need_env("ARSIM_SOURCE_ROOT"), "tests", "install", "consumer.c", NULL);
    g_autofree char *consumer = g_build_filename(work, "consumer", NULL);
    const char *consumer_srcs[] = { consumer_src, NULL };
    compile(pcenv, work, consumer_srcs, consumer, all_flags);
    g_autofree char *scn = test_scenario_path("seed-er-sdwan.json");
    const char *rargv[] = { consumer, scn, "ars/0", "10.100.0.0/16", NULL };
    g_auto(Proc) r = run_argv(NULL, env, rargv);
    g_assert_cmpstr(r.err, ==, "");
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *line = g_strdup_printf("arsim %s: ars/0 10.100.0.0/16 65001-65010\n", version);
    g_assert_cmpstr(r.out, ==, line);
    /* Branch-to-branch is off: the Route Server keeps the ExpressRoute prefix from the NVA. */
    const char *nargv[] = { consumer, scn, "sdwan", "10.200.0.0/16", NULL };
    g_auto(Proc) n = run_argv(NULL, env, nargv);
    g_assert_cmpint(n.status, ==, 1);

    rm_rf(work);
    rm_rf(dest);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/dist/version", test_version);
    g_test_add_func("/dist/man-same-as-help", test_man_same_as_help);
    g_test_add_func("/dist/man-render", test_man_render);
    g_test_add_func("/dist/completion", test_completion);
    g_test_add_func("/dist/install", test_install);
    return g_test_run();
}
