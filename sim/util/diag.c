/* diag.c - collection and printing of diagnostics about the input. */
#include "arsim/diag.h"

#include <string.h>

G_DEFINE_QUARK(arsim-error-quark, ar_error)

static void diag_free(gpointer p)
{
    ArDiag *d = p;
    g_free(d->file);
    g_free(d->pointer);
    g_free(d->message);
    g_free(d);
}

ArDiagList *diag_list_new(void)
{
    ArDiagList *l = g_new0(ArDiagList, 1);
    l->items = g_ptr_array_new_with_free_func(diag_free);
    return l;
}

void diag_list_free(ArDiagList *l)
{
    if (!l)
        return;
    g_ptr_array_free(l->items, TRUE);
    g_free(l);
}

void diag_add(ArDiagList *l, ArSeverity sev, const char *file, int line, int col, const char *pointer,
              const char *fmt, ...)
{
    if (sev == DIAG_ERROR)
        l->errors++;
    else
        l->warnings++;
    if (l->items->len >= DIAG_KEEP_MAX)
        return; /* counted, not kept */
    ArDiag *d = g_new0(ArDiag, 1);
    va_list ap;
    d->severity = sev;
    d->file = g_strdup(file ? file : "");
    d->line = line;
    d->col = col;
    d->pointer = g_strdup(pointer ? pointer : "");
    va_start(ap, fmt);
    d->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(l->items, d);
}

static gint diag_cmp(gconstpointer a, gconstpointer b)
{
    const ArDiag *x = *(ArDiag *const *)a, *y = *(ArDiag *const *)b;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return 0;
}

void diag_sort(ArDiagList *l)
{
    /* g_ptr_array_sort is a merge sort in GLib (stable), so equal positions keep their order. */
    g_ptr_array_sort(l->items, diag_cmp);
}

char *diag_format(const ArDiag *d)
{
    GString *s = g_string_new(d->file);
    if (d->line > 0)
        g_string_append_printf(s, ":%d:%d", d->line, d->col);
    g_string_append(s, ": ");
    if (d->pointer[0])
        g_string_append_printf(s, "%s: ", d->pointer);
    if (d->severity == DIAG_WARNING)
        g_string_append(s, "warning: ");
    g_string_append(s, d->message);
    return g_string_free(s, FALSE);
}

void diag_print(const ArDiagList *l, FILE *out)
{
    for (guint i = 0; i < l->items->len; i++) {
        g_autofree char *line = diag_format(g_ptr_array_index(l->items, i));
        fprintf(out, "%s\n", line);
    }
    guint total = (guint)(l->errors + l->warnings);
    if (total > l->items->len)
        fprintf(out, "... and %u more (%d errors and %d warnings in all; the first %u are shown)\n",
                total - l->items->len, l->errors, l->warnings, l->items->len);
}
