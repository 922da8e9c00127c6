/* files.c - output files: none over an input or another output; temporary ones removed on a signal. */
#include "arsim/output.h"

#include <glib/gstdio.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What one named file is, for comparing names that may differ (links, "..", hard links). */
typedef struct FileId {
    gboolean exists;  /* stat() succeeded: dev and ino identify it */
    gboolean special; /* an existing device, FIFO or socket: written into, never replaced */
    dev_t dev;        /* device of the file, when it exists */
    ino_t ino;        /* inode of the file, when it exists */
    char *where;      /* when it does not exist: its resolved folder and name, where it will appear */
} FileId;

/* Where a file that does not exist yet will be created: a dangling link's target (links followed,
 * at most 40 as the kernel does), with its folder resolved. g_free it. */
static char *future_path(const char *path)
{
    g_autofree char *p = g_strdup(path);
    for (int depth = 0; depth < 40; depth++) {
        g_autofree char *to = g_file_read_link(p, NULL);
        if (!to)
            break;
        g_autofree char *dir = g_path_get_dirname(p);
        g_free(p);
        p = g_canonicalize_filename(to, dir);
    }
    g_autofree char *dir = g_path_get_dirname(p);
    g_autofree char *base = g_path_get_basename(p);
    char *real = realpath(dir, NULL);
    char *r = real ? g_build_filename(real, base, NULL) : g_canonicalize_filename(p, NULL);
    free(real);
    return r;
}

static void file_id(const char *path, FileId *id)
{
    GStatBuf st;
    memset(id, 0, sizeof *id);
    id->exists = g_stat(path, &st) == 0;
    if (id->exists) {
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        id->special = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    } else {
        id->where = future_path(path);
    }
}

static gboolean file_id_same(const FileId *a, const FileId *b)
{
    if (a->exists != b->exists)
        return FALSE;
    return a->exists ? a->dev == b->dev && a->ino == b->ino : strcmp(a->where, b->where) == 0;
}

gboolean out_check_files(const ArFileArg *inputs, guint n_inputs, const ArFileArg *outputs, guint n_outputs,
                         GError **error)
{
    /* O(n^2) over a command's few file options (at most a handful). */
    g_autofree FileId *in = g_new0(FileId, n_inputs + 1), *out = g_new0(FileId, n_outputs + 1);
    gboolean ok = TRUE;
    for (guint i = 0; i < n_inputs; i++)
        if (inputs[i].path)
            file_id(inputs[i].path, &in[i]);
    for (guint o = 0; o < n_outputs && ok; o++) {
        const ArFileArg *a = &outputs[o];
        if (!a->path)
            continue;
        if (!*a->path) {
            g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "the output file name given to %s is empty", a->option);
            ok = FALSE;
            break;
        }
        file_id(a->path, &out[o]);
        if (out[o].special) /* -o /dev/stdout, /dev/null, a FIFO: written into, nothing is replaced */
            continue;
        for (guint i = 0; i < n_inputs && ok; i++) {
            if (inputs[i].path && in[i].exists && file_id_same(&out[o], &in[i])) {
                g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "%s %s: refusing to write over the input %s %s", a->option,
                            a->path, inputs[i].option, inputs[i].path);
                ok = FALSE;
            }
        }
        for (guint p = 0; p < o && ok; p++) {
            if (outputs[p].path && !out[p].special && file_id_same(&out[o], &out[p])) {
                g_set_error(error, AR_ERROR, AR_ERROR_USAGE,
                            "%s %s and %s %s name the same file: each output needs a file of its own", outputs[p].option,
                            outputs[p].path, a->option, a->path);
                ok = FALSE;
            }
        }
    }
    for (guint i = 0; i < n_inputs; i++)
        g_free(in[i].where);
    for (guint o = 0; o < n_outputs; o++)
        g_free(out[o].where);
    return ok;
}

/* ---- temporary files removed on SIGINT and SIGTERM ---------------------------------------- */

/* Paths the handler unlinks. A slot is published (pointer stored) only once its string is
 * complete, and cleared before the string is freed, so the handler never reads freed memory. */
static char *volatile cleanup_paths[OUT_CLEANUP_MAX];
static guint cleanup_count;              /* slots in use; changed outside the handler only */
static struct sigaction cleanup_old[2];  /* SIGINT's and SIGTERM's handlers before ours */
static const int cleanup_signals[2] = { SIGINT, SIGTERM };

/* Only async-signal-safe calls: unlink, signal, raise. */
static void cleanup_on_signal(int sig)
{
    for (int i = 0; i < OUT_CLEANUP_MAX; i++) {
        char *p = cleanup_paths[i];
        if (p)
            unlink(p);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

gboolean out_cleanup_add(const char *path)
{
    for (int i = 0; i < OUT_CLEANUP_MAX; i++) {
        if (cleanup_paths[i])
            continue;
        if (cleanup_count++ == 0) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = cleanup_on_signal;
            sigemptyset(&sa.sa_mask);
            for (int k = 0; k < 2; k++)
                sigaction(cleanup_signals[k], &sa, &cleanup_old[k]);
        }
        cleanup_paths[i] = g_strdup(path);
        return TRUE;
    }
    return FALSE;
}

void out_cleanup_remove(const char *path)
{
    for (int i = 0; i < OUT_CLEANUP_MAX; i++) {
        char *p = cleanup_paths[i];
        if (!p || strcmp(p, path) != 0)
            continue;
        cleanup_paths[i] = NULL;
        g_free(p);
        g_assert(cleanup_count > 0);
        if (--cleanup_count == 0)
            for (int k = 0; k < 2; k++)
                sigaction(cleanup_signals[k], &cleanup_old[k], NULL);
        return;
    }
}
