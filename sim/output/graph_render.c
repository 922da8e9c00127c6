/* graph_render.c - a built diagram drawn as DOT, SVG, PNG or PDF with Graphviz's one gvc context. */
#include "arsim/graph.h"
#include "arsim/diag.h"

#include <graphviz/gvc.h>
#include <stdio.h>
#include <string.h>

const char *graph_format_for(const char *path)
{
    static const char *const formats[] = { "svg", "png", "pdf", "dot" };
    const char *dot = path ? strrchr(path, '.') : NULL;
    for (size_t i = 0; dot && i < G_N_ELEMENTS(formats); i++)
        if (g_ascii_strcasecmp(dot + 1, formats[i]) == 0)
            return formats[i];
    return NULL;
}

/* A GLib-owned, NUL-terminated copy of n bytes. */
static char *copy_out(const char *buf, size_t n)
{
    char *d = g_malloc(n + 1);
    memcpy(d, buf, n);
    d[n] = '\0';
    return d;
}

/* One Graphviz context for the process: its plugins keep pointers into it (the pango plugin's
 * font names), so freeing it between two renders made the second read freed memory. Created on
 * first use, thread-safe, never freed. */
static GVC_t *shared_gvc(void)
{
    static GVC_t *gvc;
    if (g_once_init_enter(&gvc))
        g_once_init_leave(&gvc, gvContext());
    return gvc;
}

const char *graph_graphviz_version(void)
{
    return gvcVersion(shared_gvc());
}

gboolean graph_render(Agraph_t *g, const char *format, char **data, gsize *len, GError **error)
{
    if (strcmp(format, "dot") == 0) {
        /* The graph as built: no layout, so the text depends on the scenario only. */
        char *buf = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&buf, &n);
        if (!f || agwrite(g, f) != 0) {
            if (f)
                fclose(f);
            free(buf);
            g_set_error(error, AR_ERROR, AR_ERROR_IO, "cannot write DOT text");
            return FALSE;
        }
        fclose(f);
        *data = copy_out(buf, n);
        *len = n;
        free(buf);
        return TRUE;
    }
    GVC_t *gvc = shared_gvc();
    if (gvLayout(gvc, g, "dot") != 0) {
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "Graphviz could not lay out the diagram (is libgvc's dot plugin installed?)");
        return FALSE;
    }
    char *buf = NULL;
    unsigned int n = 0;
    int rc = gvRenderData(gvc, g, format, &buf, &n);
    gboolean ok = rc == 0 && buf != NULL;
    if (ok) {
        *data = copy_out(buf, n);
        *len = n;
    } else {
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "Graphviz cannot render format \"%s\"", format);
    }
    if (buf)
        gvFreeRenderData(buf);
    gvFreeLayout(gvc, g);
    return ok;
}
