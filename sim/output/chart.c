/* chart.c - routes held per node over simulated time, drawn as SVG with cairo (--chart). */
#include "arsim/output.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <string.h>

/* One point of a node's series: its Loc-RIB size from this time on. */
typedef struct Point {
    double t;        /* simulated seconds */
    guint routes;    /* prefixes with a best path */
} Point;

/* Series are keyed by speaker id and named by copies: a run that does not settle is run again
 * for its diagnosis, and the speakers recorded here belong to the first network, since freed. */
struct ArChart {
    GHashTable *series;   /* speaker id + 1 -> GArray of Point */
    GArray *order;        /* speaker ids in first-seen order */
    GPtrArray *names;     /* their names, same order, owned */
};

ArChart *out_chart_new(void)
{
    ArChart *c = g_new0(ArChart, 1);
    c->series = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_array_unref);
    c->order = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    c->names = g_ptr_array_new_with_free_func(g_free);
    return c;
}

void out_chart_free(ArChart *c)
{
    if (!c)
        return;
    g_hash_table_destroy(c->series);
    g_array_free(c->order, TRUE);
    g_ptr_array_free(c->names, TRUE);
    g_free(c);
}

/* A speaker's Loc-RIB changes just before it flushes: sample it then, keeping only changes. */
void out_chart_record(void *chart, const ArTraceRec *r)
{
    ArChart *c = chart;
    if (r->kind != TR_FLUSH || !r->from)
        return;
    gpointer key = GUINT_TO_POINTER(r->from->id + 1);
    GArray *s = g_hash_table_lookup(c->series, key);
    if (!s) {
        s = g_array_new(FALSE, FALSE, sizeof(Point));
        g_hash_table_insert(c->series, key, s);
        g_array_append_val(c->order, r->from->id);
        g_ptr_array_add(c->names, g_strdup(r->from->name));
        Point zero = { 0.0, 0 };
        g_array_append_val(s, zero);
    }
    Point p = { (double)r->time / (double)AR_SEC, rib_size(&r->from->rib) };
    Point *last = &g_array_index(s, Point, s->len - 1);
    if (last->routes == p.routes)
        return;
    if (last->t == p.t)
        last->routes = p.routes;
    else
        g_array_append_val(s, p);
}

static cairo_status_t to_gstring(void *closure, const unsigned char *data, unsigned int len)
{
    g_string_append_len(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A "nice" axis step (1, 2, 5 x 10^k) giving about n ticks over range. */
static double nice_step(double range, int n)
{
    double raw = range / n, mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static const double palette[][3] = {
    { 0.05, 0.40, 0.85 }, { 0.85, 0.33, 0.10 }, { 0.10, 0.60, 0.30 }, { 0.55, 0.25, 0.70 },
    { 0.80, 0.10, 0.45 }, { 0.00, 0.60, 0.65 }, { 0.60, 0.50, 0.05 }, { 0.35, 0.35, 0.35 },
};

gboolean out_chart_svg(ArChart *c, const ArRun *run, char **data, gsize *len, GError **error)
{
    const double W = 960, H = 480, L = 70, R = 230, T = 50, B = 60;
    const ArNet *net = run->net;
    double tmax = (double)net->sim->now / (double)AR_SEC;
    guint ymax = 1;
    for (guint i = 0; i < c->order->len; i++) {
        GArray *s = g_hash_table_lookup(c->series, GUINT_TO_POINTER(g_array_index(c->order, uint32_t, i) + 1));
        for (guint k = 0; k < s->len; k++) {
            ymax = MAX(ymax, g_array_index(s, Point, k).routes);
            tmax = MAX(tmax, g_array_index(s, Point, k).t);
        }
    }
    tmax = tmax > 0 ? tmax * 1.05 : 1.0;
    GString *svg = g_string_new(NULL);
    cairo_surface_t *surf = cairo_svg_surface_create_for_stream(to_gstring, svg, W, H);
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

    /* Axes, ticks and grid. */
    double pw = W - L - R, ph = H - T - B;
#define X(t) (L + (t) / tmax * pw)
#define Y(v) (T + ph - (double)(v) / (double)ymax * ph)
    cairo_set_font_size(cr, 11);
    cairo_set_line_width(cr, 1);
    double xs = nice_step(tmax, 8), ys = MAX(1.0, nice_step((double)ymax, 6)); /* route counts are whole */
    char buf[64];
    for (double t = 0; t <= tmax + 1e-9; t += xs) {
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, X(t), T);
        cairo_line_to(cr, X(t), T + ph);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        g_snprintf(buf, sizeof buf, "%g", t);
        cairo_move_to(cr, X(t) - 8, T + ph + 16);
        cairo_show_text(cr, buf);
    }
    for (double v = 0; v <= ymax + 1e-9; v += ys) {
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, L, Y(v));
        cairo_line_to(cr, L + pw, Y(v));
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        g_snprintf(buf, sizeof buf, "%g", v);
        cairo_move_to(cr, L - 10 - 7 * (double)strlen(buf), Y(v) + 4);
        cairo_show_text(cr, buf);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, L, T, pw, ph);
    cairo_stroke(cr);
    cairo_move_to(cr, L + pw / 2 - 60, H - 18);
    cairo_show_text(cr, "simulated time (s)");
    cairo_save(cr);
    cairo_move_to(cr, 18, T + ph / 2 + 50);
    cairo_rotate(cr, -M_PI / 2);
    cairo_show_text(cr, "prefixes with a best path");
    cairo_restore(cr);
    cairo_set_font_size(cr, 14);
    cairo_move_to(cr, L, 28);
    cairo_show_text(cr, "Routes per node over time");

    /* Scenario events: dashed verticals with their labels. */
    double dash[] = { 4, 3 };
    cairo_set_font_size(cr, 10);
    for (guint e = 0; e < net->epochs->len; e++) {
        const ArEpoch *ep = &g_array_index(net->epochs, ArEpoch, e);
        if (e == 0)
            continue; /* the start */
        double x = X((double)ep->start / (double)AR_SEC);
        cairo_set_source_rgb(cr, 0.6, 0.1, 0.1);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, x, T);
        cairo_line_to(cr, x, T + ph);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        /* Labels stay inside the plot: near the right edge they go left of their line. */
        cairo_text_extents_t ext;
        cairo_text_extents(cr, ep->label, &ext);
        double lx = x + 3 + ext.x_advance > L + pw ? x - 3 - ext.x_advance : x + 3;
        cairo_move_to(cr, MAX(L + 2, lx), T + 12 + 12 * (double)(e % 3));
        cairo_show_text(cr, ep->label);
    }

    /* One step line per node, legend on the right. */
    cairo_set_line_width(cr, 2);
    for (guint i = 0; i < c->order->len; i++) {
        const char *name = g_ptr_array_index(c->names, i);
        GArray *s = g_hash_table_lookup(c->series, GUINT_TO_POINTER(g_array_index(c->order, uint32_t, i) + 1));
        const double *col = palette[i % G_N_ELEMENTS(palette)];
        cairo_set_source_rgb(cr, col[0], col[1], col[2]);
        const Point *p0 = &g_array_index(s, Point, 0);
        cairo_move_to(cr, X(p0->t), Y(p0->routes));
        for (guint k = 1; k < s->len; k++) {
            const Point *p = &g_array_index(s, Point, k);
            cairo_line_to(cr, X(p->t), Y(g_array_index(s, Point, k - 1).routes));
            cairo_line_to(cr, X(p->t), Y(p->routes));
        }
        cairo_line_to(cr, X(tmax), Y(g_array_index(s, Point, s->len - 1).routes));
        cairo_stroke(cr);
        double ly = T + 14 + 16 * (double)i;
        if (ly < H - 10) {
            cairo_move_to(cr, W - R + 14, ly - 4);
            cairo_line_to(cr, W - R + 34, ly - 4);
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_move_to(cr, W - R + 40, ly);
            cairo_show_text(cr, name);
        }
    }
#undef X
#undef Y
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        g_string_free(svg, TRUE);
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "cairo could not draw the chart: %s", cairo_status_to_string(st));
        return FALSE;
    }
    *len = svg->len;
    *data = g_string_free(svg, FALSE);
    return TRUE;
}
