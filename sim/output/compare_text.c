/* compare_text.c - `arsim compare` as text: the summary line, best routes per node, effective routes
 * per VNet (in full, or grouped into covering ranges past CMP_FULL_MAX differences) and the
 * reachability grids. Reads the comparison's rows (compare.h); computes nothing. */
#include "arsim/compare.h"
#include "arsim/names.h"
#include "arsim/output.h"

#include <string.h>

/* "8400 lost" / "3 gained, 2 changed": the nonzero counts of diffs. */
static void counts_text(const GArray *diffs, GString *out)
{
    guint n[3] = { 0 };
    for (guint k = 0; k < diffs->len; k++)
        n[g_array_index(diffs, ArCmpDiff, k).kind]++;
    static const char *const words[] = { [CMP_ADDED] = "gained", [CMP_REMOVED] = "lost", [CMP_CHANGED] = "changed" };
    bool first = true;
    for (int k = 0; k < 3; k++)
        if (n[k]) {
            g_string_append_printf(out, "%s%u %s", first ? "" : ", ", n[k], words[k]);
            first = false;
        }
}

/* The prefix column of a grouped line: the prefix, or "256 prefixes in 128.0.0.0/16". */
static void range_text(const ArPfxRange *r, GString *out)
{
    char pfx[PFX_STRLEN];
    pfx_format(r->cover, pfx);
    if (r->count == 1)
        g_string_append_printf(out, "%-18s", pfx);
    else
        g_string_append_printf(out, "%u prefixes in %s ", r->count, pfx);
}

/* ---- text report --------------------------------------------------------------------------- */

/* "65515-12076-65020 via ars/0", "(local)". */
static void route_text(const ArSpeaker *sp, const ArRoute *r, bool with_nh, GString *out)
{
    char ip[IP_STRLEN];
    g_autofree char *path = attr_path_to_string(rt_attrs(r)->path);
    const ArSpeaker *src = bgp_route_source(sp, r);
    g_string_append(out, path[0] ? path : "(local)");
    if (src)
        g_string_append_printf(out, " via %s", src->name);
    if (with_nh)
        g_string_append_printf(out, " (next hop %s)", ip_format(rt_attrs(r)->next_hop, ip));
}

/* "VirtualNetworkGateway 10.1.1.4 (sdwan) AS path 65001". */
static void eff_text(const ArScenario *scn, const ArEffRoute *e, GString *out)
{
    char ip[IP_STRLEN];
    g_string_append(out, eff_nh_type_name(e->type));
    for (guint k = 0; k < e->next_hops->len; k++)
        g_string_append_printf(out, "%s%s", k ? ", " : " ", ip_format(g_array_index(e->next_hops, uint32_t, k), ip));
    if (e->via->len) {
        g_string_append(out, " (");
        for (guint k = 0; k < e->via->len; k++)
            g_string_append_printf(out, "%s%s", k ? ", " : "", ((const ArSpeaker *)g_ptr_array_index(e->via, k))->name);
        g_string_append(out, ")");
    }
    if (e->type == NH_VNET_PEERING && e->peer_vnet >= 0)
        g_string_append_printf(out, " %s", ((const ArVnet *)g_ptr_array_index(scn->vnets, e->peer_vnet))->name);
    if (e->path) {
        g_autofree char *p = attr_path_to_string(e->path);
        g_string_append_printf(out, " AS path %s", p[0] ? p : "(empty)");
    }
}

static const char diff_mark[] = { [CMP_ADDED] = '+', [CMP_REMOVED] = '-', [CMP_CHANGED] = '~' };

/* The start of one difference line: its mark, then the covering range (grouped form) or the
 * prefix, then a space. */
static void line_head(const ArCmpDiff *d, const ArPfxRange *r, GString *out)
{
    char pfx[PFX_STRLEN];
    g_string_append_printf(out, "  %c ", diff_mark[d->kind]);
    if (r)
        range_text(r, out);
    else
        g_string_append_printf(out, "%-18s", pfx_format(pfx_from_key(d->key), pfx));
    g_string_append_c(out, ' ');
}

static void nodes_text(const ArCompare *c, GString *out)
{
    if (!c->nodes->len) {
        g_string_append(out, "Best routes: no change\n");
        return;
    }
    g_string_append_printf(out, "Best routes ('+' gained, '-' lost, '~' changed%s)\n",
                           c->grouped ? "; runs of prefixes with the same route grouped into covering ranges" : "");
    for (guint i = 0; i < c->nodes->len; i++) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        g_string_append_printf(out, "%s%s", n->name, !n->before ? "  (new node)" : !n->after ? "  (node gone)" : "");
        g_autoptr(GArray) ranges = c->grouped ? cmp_node_ranges(n) : NULL;
        if (ranges) {
            g_string_append(out, ": ");
            counts_text(n->diffs, out);
            g_string_append_printf(out, ", in %u line%s", ranges->len, ranges->len == 1 ? "" : "s");
        }
        g_string_append_c(out, '\n');
        guint lines = ranges ? ranges->len : n->diffs->len;
        for (guint k = 0; k < lines; k++) {
            const ArPfxRange *r = ranges ? &g_array_index(ranges, ArPfxRange, k) : NULL;
            const ArCmpDiff *d = &g_array_index(n->diffs, ArCmpDiff, r ? r->first : k);
            line_head(d, r, out);
            if (d->kind == CMP_ADDED)
                route_text(n->after, d->after, false, out);
            else if (d->kind == CMP_REMOVED)
                route_text(n->before, d->before, false, out);
            else {
                bool nh = (d->attrs & CMP_ATTR_NEXT_HOP) != 0;
                route_text(n->before, d->before, nh, out);
                g_string_append(out, " -> ");
                route_text(n->after, d->after, nh, out);
                g_autofree char *attrs = cmp_attr_names(d->attrs, ", ");
                g_string_append_printf(out, "  [%s]", attrs);
            }
            g_string_append_c(out, '\n');
        }
    }
}

static void vnets_text(const ArCompare *c, GString *out)
{
    if (!c->vnets->len) {
        g_string_append(out, "Effective routes: no change\n");
        return;
    }
    const ArScenario *sb = c->before->net->scn, *sa = c->after->net->scn;
    g_string_append_printf(out, "Effective routes ('+' gained, '-' lost, '~' changed%s)\n",
                           c->grouped ? "; VNets with the same changes together, runs of prefixes grouped" : "");
    for (guint i = 0; i < c->vnets->len; i++) {
        const ArCmpVnet *v = g_ptr_array_index(c->vnets, i);
        if (c->grouped && g_array_index(c->vnet_class, guint, i) != i)
            continue; /* printed with the first VNet of its class */
        g_autoptr(GArray) ranges = c->grouped ? cmp_vnet_ranges(v) : NULL;
        guint members = 1;
        g_autofree char *names = ranges ? cmp_vnet_class_names(c, i, &members) : NULL;
        g_string_append(out, names ? names : v->name);
        if (members > 1)
            g_string_append_printf(out, "  (%u VNets, the same changes)", members);
        g_string_append(out, !v->before ? "  (new VNet)" : !v->after ? "  (VNet gone)" : "");
        if (ranges) {
            g_string_append(out, ": ");
            counts_text(v->diffs, out);
            g_string_append_printf(out, "%s, in %u line%s", members > 1 ? " each" : "", ranges->len,
                                   ranges->len == 1 ? "" : "s");
        }
        g_string_append_c(out, '\n');
        guint lines = ranges ? ranges->len : v->diffs->len;
        for (guint k = 0; k < lines; k++) {
            const ArPfxRange *r = ranges ? &g_array_index(ranges, ArPfxRange, k) : NULL;
            const ArCmpDiff *d = &g_array_index(v->diffs, ArCmpDiff, r ? r->first : k);
            line_head(d, r, out);
            if (d->before)
                eff_text(sb, d->before, out);
            if (d->kind == CMP_CHANGED)
                g_string_append(out, " -> ");
            if (d->after)
                eff_text(sa, d->after, out);
            if (d->kind == CMP_CHANGED) {
                g_autofree char *attrs = cmp_attr_names(d->attrs, ", ");
                g_string_append_printf(out, "  [%s]", attrs);
            }
            g_string_append_c(out, '\n');
        }
    }
}

static const char *reach_mark(bool reachable, bool asym) { return !reachable ? "no" : asym ? "yes*" : "yes"; }

/* Rows and columns of a grid: every endpoint, or with classes (reach_matrix_classes) one per
 * class, labelled "spoke1-spoke500". reps receives endpoint indexes, labels owned strings. */
static void grid_rows(const ArReachMatrix *m, const guint *cls, GArray *reps, GPtrArray *labels)
{
    guint n = m->endpoints->len;
    for (guint i = 0; i < n; i++) {
        if (cls && cls[i] != i)
            continue;
        g_autoptr(GPtrArray) members = g_ptr_array_new();
        for (guint k = i; k < n; k++)
            if (k == i || (cls && cls[k] == i))
                g_ptr_array_add(members, g_array_index(m->endpoints, ArReachEndpoint, k).name);
        g_array_append_val(reps, i);
        g_ptr_array_add(labels, names_ranges((const char *const *)members->pdata, members->len, 4));
    }
}

/* The cell between class rep a and class rep b; between a class and itself, the cell between two
 * of its members (NULL for a lone endpoint). */
static const ArReachCell *grid_cell(const ArReachMatrix *m, const guint *cls, guint a, guint b)
{
    guint n = m->endpoints->len;
    if (a != b)
        return &m->cells[a * n + b];
    for (guint k = a + 1; cls && k < n; k++)
        if (cls[k] == a)
            return &m->cells[k * n + a];
    return NULL;
}

#define CMP_GRID_CLASS_MIN 3 /* endpoints alike share a row of the grouped grid from this many on */

static void grid_text(const char *title, const ArReachMatrix *m, bool grouped, GString *out)
{
    g_string_append_printf(out, "%s\n", title);
    if (m->endpoints->len < 2) {
        g_string_append(out, "  (fewer than two endpoints)\n");
        return;
    }
    g_autofree guint *cls = grouped ? reach_matrix_classes(m, CMP_GRID_CLASS_MIN) : NULL;
    g_autoptr(GArray) reps = g_array_new(FALSE, FALSE, sizeof(guint));
    g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
    grid_rows(m, cls, reps, labels);
    guint n = reps->len;
    int w = 4;
    for (guint i = 0; i < n; i++)
        w = MAX(w, (int)strlen(g_ptr_array_index(labels, i)));
    g_string_append_printf(out, "  %-*s", w, "");
    for (guint j = 0; j < n; j++)
        g_string_append_printf(out, "  %-*s", w, (const char *)g_ptr_array_index(labels, j));
    g_string_append_c(out, '\n');
    for (guint i = 0; i < n; i++) {
        g_string_append_printf(out, "  %-*s", w, (const char *)g_ptr_array_index(labels, i));
        for (guint j = 0; j < n; j++) {
            const ArReachCell *cell = grid_cell(m, cls, g_array_index(reps, guint, i), g_array_index(reps, guint, j));
            const char *mark = !cell ? "-" : reach_mark(cell->reachable, cell->asymmetric);
            g_string_append_printf(out, "  %-*s", j + 1 < n ? w : 0, mark);
        }
        g_string_append_c(out, '\n');
    }
}

void out_compare_text(const ArCompare *c, GString *out)
{
    g_string_append_printf(out, "%s\n\n", c->summary);
    if (c->grouped) {
        guint classes = 0;
        for (guint i = 0; i < c->vnets->len; i++)
            classes += g_array_index(c->vnet_class, guint, i) == i;
        g_string_append_printf(out, "Totals: best routes %u gained, %u lost, %u changed at %u nodes; %u effective-route "
                                    "differences in %u VNets (%u distinct sets of changes); %u reachability changes\n"
                                    "(more than %u differences: grouped; `compare --json` lists every prefix)\n\n",
                               c->gained, c->lost, c->changed, c->nodes->len, c->eff_diffs, c->vnets->len, classes,
                               c->reach_changes->len, CMP_FULL_MAX);
    }
    nodes_text(c, out);
    g_string_append_c(out, '\n');
    vnets_text(c, out);
    g_string_append_c(out, '\n');
    grid_text(c->grouped ? "Reachability before (both directions delivered; yes* = return path differs; endpoints that "
                               "reach and are reached alike share a row)"
                             : "Reachability before (both directions delivered; yes* = return path differs)",
                  c->reach_before, c->grouped, out);
    g_string_append_c(out, '\n');
    grid_text("Reachability after", c->reach_after, c->grouped, out);
    g_string_append_c(out, '\n');
    if (!c->reach_changes->len) {
        g_string_append(out, "Reachability: no change\n");
        return;
    }
    g_string_append(out, "Reachability changes\n");
    guint shown = MIN(c->reach_changes->len, CMP_SUMMARY_PAIRS);
    for (guint i = 0; i < shown; i++) {
        const ArCmpReach *r = &g_array_index(c->reach_changes, ArCmpReach, i);
        g_string_append_printf(out, "  %s <-> %s: %s -> %s\n", r->a, r->b, reach_mark(r->before, r->asym_before),
                               reach_mark(r->after, r->asym_after));
    }
}
