/* files.c - the one check every command makes before any work: no output over an input or another output. */
#include "arsim/output.h"

#include <glib/gstdio.h>

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
