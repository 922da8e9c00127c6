/* report_data.c - what the report page shows, as one JSON document its script renders (but the tables). */
#include "report_priv.h"
#include "arsim/graph.h"
#include "arsim/names.h"
#include "arsim/reach.h"

#include <string.h>

/* Numbers the page shows with three decimals are formatted here, as the text outputs do (printf
 * rounds ties to even, JavaScript's toFixed away from zero). */
static void report_secs(cJSON *to, const char *key, ArTime t)
{
    char s[G_ASCII_DTOSTR_BUF_SIZE];
    g_snprintf(s, sizeof s, "%.3f", (double)t / (double)AR_SEC);
    report_add(to, key, s);
}

/* A counter as text: cJSON prints numbers past 2^31 in exponent form. */
static void report_count(cJSON *to, const char *key, guint64 n)
{
    char s[24];
    g_snprintf(s, sizeof s, "%" G_GUINT64_FORMAT, n);
    report_add(to, key, s);
}

/* ---- inline SVG ---------------------------------------------------------------------------------- */

/* Appends what the id starting at p (up to stop) becomes: idp-N, N by first appearance in the
 * drawing. Returns the end of the id. */
static const char *report_svg_id(GString *o, GHashTable *ids, const char *idp, const char *p, char stop)
{
    const char *end = strchr(p, stop);
    if (!end)
        end = p + strlen(p);
    g_autofree char *name = g_strndup(p, (gsize)(end - p));
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(ids, name));
    if (!n) {
        n = g_hash_table_size(ids) + 1;
        g_hash_table_insert(ids, g_steal_pointer(&name), GUINT_TO_POINTER(n));
    }
    g_string_append_printf(o, "%s-%u", idp, n);
    return end;
}

/* An SVG document to show inline: everything before <svg> (XML prolog, doctype, comments) and
 * every comment inside is dropped, and every id and reference to one becomes idp-N (N by first
 * appearance), so several drawings (Graphviz names its groups graph0, node1...) can share the
 * page and cairo's process-wide surface counter does not leak into the bytes. NULL when it is not
 * SVG. O(len). */
static char *report_inline_svg(const char *svg, gsize len, const char *idp)
{
    g_autofree char *text = g_strndup(svg, len);
    const char *p = strstr(text, "<svg");
    if (!p)
        return NULL;
    GString *o = g_string_sized_new(len);
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    while (*p) {
        if (p[0] == '<' && strncmp(p, "<!--", 4) == 0) {
            const char *end = strstr(p + 4, "-->");
            if (!end)
                break;
            p = end + 3;
        } else if (p[0] == 'i' && g_ascii_isspace(p[-1]) && strncmp(p, "id=\"", 4) == 0) {
            g_string_append(o, "id=\"");
            p = report_svg_id(o, ids, idp, p + 4, '"');
        } else if (p[0] == 'h' && strncmp(p, "href=\"#", 7) == 0) {
            g_string_append(o, "href=\"#");
            p = report_svg_id(o, ids, idp, p + 7, '"');
        } else if (p[0] == 'u' && strncmp(p, "url(#", 5) == 0) {
            g_string_append(o, "url(#");
            p = report_svg_id(o, ids, idp, p + 5, ')');
        } else {
            g_string_append_c(o, *p++);
        }
    }
    return g_string_free(o, FALSE);
}

/* A figure: {svg} when drawn, {error} when not; id prefixes the drawing's ids. Takes svg. */
static cJSON *report_figure(const char *id, gboolean ok, char *svg, gsize len, const GError *e)
{
    cJSON *f = cJSON_CreateObject();
    g_autofree char *inl = ok ? report_inline_svg(svg, len, id) : NULL;
    report_add(f, "svg", ok ? (inl ? inl : "<p class=\"mut\">(the drawing is not SVG)</p>") : NULL);
    report_add(f, "error", ok ? NULL : e->message);
    g_free(svg);
    return f;
}

/* run drawn with opt (Graphviz, SVG). */
static cJSON *report_diagram(const char *id, const ArRun *run, const ArGraphOptions *opt)
{
    Agraph_t *g = graph_build(run, opt);
    char *svg = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    gboolean ok = graph_render(g, "svg", &svg, &len, &e);
    graph_free(g);
    return report_figure(id, ok, svg, len, e);
}

/* ---- summary --------------------------------------------------------------------------------------- */

/* [converged, what the run did]. */
static cJSON *report_outcome(const ArRun *run)
{
    const ArSim *sim = run->net->sim;
    GString *t = g_string_new(NULL);
    if (run->end == RUN_CONVERGED)
        g_string_printf(t, " routing settled at %.3f s simulated", (double)sim->stats.last_change / (double)AR_SEC);
    else if (run->end == RUN_EVENT_CAP)
        g_string_printf(t, " stopped by the event cap (%" G_GUINT64_FORMAT " events): routing likely oscillates",
                        sim->cfg.max_events);
    else
        g_string_printf(t, " routing was still changing when the run stopped at %.3f s simulated",
                        (double)sim->now / (double)AR_SEC);
    g_string_append_printf(t, "; %" G_GUINT64_FORMAT " UPDATE messages, %" G_GUINT64_FORMAT " engine events",
                           sim->stats.updates, sim->stats.events);
    cJSON *o = cJSON_CreateArray();
    cJSON_AddItemToArray(o, cJSON_CreateBool(run->end == RUN_CONVERGED));
    report_add(o, NULL, t->str);
    g_string_free(t, TRUE);
    return o;
}

/* Every warning of diags, formatted. */
static cJSON *report_warnings(const ArDiagList *diags)
{
    cJSON *a = cJSON_CreateArray();
    for (guint i = 0; diags && i < diags->items->len; i++) {
        const ArDiag *d = g_ptr_array_index(diags->items, i);
        if (d->severity != DIAG_WARNING)
            continue;
        g_autofree char *line = diag_format(d);
        report_add(a, NULL, line);
    }
    return a;
}

static cJSON *report_summary(const ArReportInput *in)
{
    const ArRun *run = in->run;
    const ArScenario *scn = run->net->scn;
    const ArSim *sim = run->net->sim;
    cJSON *s = cJSON_CreateObject();
    cJSON *sets = cJSON_AddArrayToObject(s, "sets");
    for (char *const *p = in->sets; p && *p; p++)
        report_add(sets, NULL, *p);
    g_autofree char *res = g_strdup_printf("%u VNets, %u Route Servers, %u gateways, %u NVAs, %u on-premises sites, "
                                           "%u timed events", scn->vnets->len, scn->route_servers->len,
                                           scn->gateways->len, scn->nvas->len, scn->sites->len, scn->events->len);
    report_add(s, "resources", res);
    guint up = 0;
    for (guint i = 0; i < sim->sessions->len; i++)
        up += ((const ArSession *)g_ptr_array_index(sim->sessions, i))->state == SESS_ESTABLISHED;
    g_autofree char *simulated = g_strdup_printf("%u BGP speakers, %u sessions (%u Established at the end)",
                                                 sim->speakers->len, sim->sessions->len, up);
    report_add(s, "simulated", simulated);
    cJSON_AddItemToObject(s, "outcome", report_outcome(run));
    cJSON_AddItemToObject(s, "warnings", report_warnings(in->warnings));
    if (in->compare) {
        report_add(s, "comparedWith", in->compare->description);
        cJSON_AddItemToObject(s, "outcomeAfter", report_outcome(in->compare->after));
        cJSON_AddItemToObject(s, "warningsAfter", report_warnings(in->compare_warnings));
    }
    return s;
}

/* ---- reachability grid ----------------------------------------------------------------------------- */

/* Index of every endpoint name of m. */
static GHashTable *report_endpoint_index(const ArReachMatrix *m)
{
    GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < m->endpoints->len; i++)
        g_hash_table_insert(h, g_array_index(m->endpoints, ArReachEndpoint, i).name, GUINT_TO_POINTER(i + 1));
    return h;
}

static bool report_cell_same(const ArReachCell *a, const ArReachCell *b)
{
    return a->forward == b->forward && a->back == b->back && a->reachable == b->reachable &&
           a->asymmetric == b->asymmetric;
}

/* Bits of one grid cell as the page's script reads them; -1 between a row and itself. */
enum { CELL_FORWARD = 1, CELL_BACK = 2, CELL_REACHABLE = 4, CELL_ASYM = 8, CELL_CHANGED = 16 };

/* The grid of m: {id, caption, grouped, labels, cells (rows of cell bits)}; cells that differ in
 * other (may be NULL) are marked changed. O(E^2) with a name index for other. */
static cJSON *report_grid(const char *id, const char *caption, const ArReachMatrix *m, const ArReachMatrix *other)
{
    guint n = m->endpoints->len;
    /* A large grid: endpoints that reach and are reached alike share a row and a column. */
    g_autofree guint *cls = n > REPORT_GRID_FULL ? reach_matrix_classes(m, REPORT_GRID_CLASS) : NULL;
    g_autoptr(GArray) reps = g_array_new(FALSE, FALSE, sizeof(guint));
    g_autoptr(GArray) second = g_array_new(FALSE, FALSE, sizeof(guint)); /* another member, or n */
    cJSON *grid = cJSON_CreateObject();
    report_add(grid, "id", id);
    report_add(grid, "caption", caption);
    cJSON *labels = cJSON_CreateArray();
    for (guint i = 0; i < n; i++) {
        if (cls && cls[i] != i)
            continue;
        g_autoptr(GPtrArray) members = g_ptr_array_new();
        g_ptr_array_add(members, g_array_index(m->endpoints, ArReachEndpoint, i).name);
        guint other_member = n;
        for (guint k = i + 1; cls && k < n; k++)
            if (cls[k] == i) {
                g_ptr_array_add(members, g_array_index(m->endpoints, ArReachEndpoint, k).name);
                if (other_member == n)
                    other_member = k;
            }
        g_array_append_val(reps, i);
        g_array_append_val(second, other_member);
        g_autofree char *list = names_ranges((const char *const *)members->pdata, members->len, 4);
        g_autofree char *label = members->len > 1 ? g_strdup_printf("%s (%u)", list, members->len) : g_strdup(list);
        report_add(labels, NULL, label);
    }
    guint rn = reps->len;
    cJSON_AddBoolToObject(grid, "grouped", cls && rn < n);
    cJSON_AddItemToObject(grid, "labels", labels);
    cJSON *cells = cJSON_AddArrayToObject(grid, "cells");
    g_autoptr(GHashTable) idx = other ? report_endpoint_index(other) : NULL;
    guint on = other ? other->endpoints->len : 0;
    g_autofree double *row = g_new(double, rn);
    for (guint ri = 0; ri < rn; ri++) {
        guint i = g_array_index(reps, guint, ri);
        guint oi = idx ? GPOINTER_TO_UINT(g_hash_table_lookup(idx, g_array_index(m->endpoints, ArReachEndpoint, i).name)) : 0;
        for (guint rj = 0; rj < rn; rj++) {
            guint j = ri == rj ? g_array_index(second, guint, ri) : g_array_index(reps, guint, rj);
            if (j == n) {
                row[rj] = -1;
                continue;
            }
            const ArReachCell *cell = &m->cells[i * n + j];
            bool changed = false;
            if (idx) {
                guint oj = GPOINTER_TO_UINT(g_hash_table_lookup(idx, g_array_index(m->endpoints, ArReachEndpoint, j).name));
                changed = !oi || !oj || !report_cell_same(cell, &other->cells[(oi - 1) * on + (oj - 1)]);
            }
            row[rj] = (cell->forward ? CELL_FORWARD : 0) | (cell->back ? CELL_BACK : 0) |
                      (cell->reachable ? CELL_REACHABLE : 0) | (cell->asymmetric ? CELL_ASYM : 0) |
                      (changed ? CELL_CHANGED : 0);
        }
        cJSON_AddItemToArray(cells, cJSON_CreateDoubleArray(row, (int)rn));
    }
    return grid;
}

/* The grids: the run's, or before and after with a comparison; none when fewer than two endpoints. */
static cJSON *report_reachability(const ArReportInput *in)
{
    cJSON *grids = cJSON_CreateArray();
    if (in->compare) {
        const ArCompare *c = in->compare;
        if (c->reach_before->endpoints->len >= 2) {
            cJSON_AddItemToArray(grids, report_grid("reach-grid", "Before", c->reach_before, c->reach_after));
            cJSON_AddItemToArray(grids, report_grid("reach-grid-after", "After", c->reach_after, c->reach_before));
        }
    } else {
        g_autoptr(ArReach) r = reach_new(in->run);
        g_autoptr(ArReachMatrix) m = reach_matrix(r);
        if (m->endpoints->len >= 2)
            cJSON_AddItemToArray(grids, report_grid("reach-grid", "At the end of the run", m, NULL));
    }
    return grids;
}

/* ---- comparison ------------------------------------------------------------------------------------ */

/* A node's route: [AS path or "(local)", source or null, next hop]. */
static cJSON *report_route_cell(const ArSpeaker *sp, const ArRoute *r)
{
    char ip[IP_STRLEN];
    g_autofree char *path = attr_path_to_string(rt_attrs(r)->path);
    const ArSpeaker *src = bgp_route_source(sp, r);
    cJSON *c = cJSON_CreateArray();
    report_add(c, NULL, path[0] ? path : "(local)");
    report_add(c, NULL, src ? src->name : NULL);
    report_add(c, NULL, ip_format(rt_attrs(r)->next_hop, ip));
    return c;
}

/* An effective route: [next hop type, next hop IPs, via (null: none shown), AS path or null]. */
static cJSON *report_eff_cell(const ArScenario *scn, const ArEffRoute *e)
{
    cJSON *c = cJSON_CreateArray();
    report_add(c, NULL, eff_nh_type_name(e->type));
    GString *hops = g_string_new(NULL), *via = g_string_new(NULL);
    report_eff_hops_via(scn, e, hops, via);
    report_add(c, NULL, hops->str);
    report_add(c, NULL, e->via->len || e->type == NH_VNET_PEERING ? via->str : NULL);
    g_string_free(hops, TRUE);
    g_string_free(via, TRUE);
    g_autofree char *p = e->path ? attr_path_to_string(e->path) : NULL;
    report_add(c, NULL, p ? (p[0] ? p : "(empty)") : NULL);
    return c;
}

static const char *const report_kind_class[] = { [CMP_ADDED] = "gained", [CMP_REMOVED] = "lost", [CMP_CHANGED] = "changed" };

/* One difference: [kind, prefix text, before, after, changed attributes]; before and after are
 * filled by the caller. */
static cJSON *report_diff_row(const ArCmpDiff *d, const ArPfxRange *range)
{
    char pfx[PFX_STRLEN];
    cJSON *row = cJSON_CreateArray();
    report_add(row, NULL, report_kind_class[d->kind]);
    if (range && range->count > 1) {
        g_autofree char *t = g_strdup_printf("%u prefixes in %s", range->count, pfx_format(range->cover, pfx));
        report_add(row, NULL, t);
    } else {
        report_add(row, NULL, pfx_format(pfx_from_key(d->key), pfx));
    }
    return row;
}

static void report_diff_row_close(cJSON *row, const ArCmpDiff *d)
{
    g_autofree char *names = d->kind == CMP_CHANGED ? cmp_attr_names(d->attrs, ", ") : NULL;
    report_add(row, NULL, names ? names : "");
}

/* A group of difference rows: {name, note or null, rows}. */
static cJSON *report_diff_group(cJSON *items, const char *name, const char *note)
{
    cJSON *g = cJSON_CreateObject();
    report_add(g, "name", name);
    report_add(g, "note", note);
    cJSON_AddItemToArray(items, g);
    return cJSON_AddArrayToObject(g, "rows");
}

static cJSON *report_diff_nodes(const ArCompare *c)
{
    cJSON *items = cJSON_CreateArray();
    for (guint i = 0; i < c->nodes->len; i++) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        cJSON *rows = report_diff_group(items, n->name, !n->before ? "(new node)" : !n->after ? "(node gone)" : NULL);
        g_autoptr(GArray) ranges = c->grouped ? cmp_node_ranges(n) : NULL;
        guint lines = ranges ? ranges->len : n->diffs->len;
        for (guint k = 0; k < lines; k++) {
            const ArPfxRange *rg = ranges ? &g_array_index(ranges, ArPfxRange, k) : NULL;
            const ArCmpDiff *d = &g_array_index(n->diffs, ArCmpDiff, rg ? rg->first : k);
            cJSON *row = report_diff_row(d, rg);
            cJSON_AddItemToArray(row, d->before ? report_route_cell(n->before, d->before) : cJSON_CreateNull());
            cJSON_AddItemToArray(row, d->after ? report_route_cell(n->after, d->after) : cJSON_CreateNull());
            report_diff_row_close(row, d);
            cJSON_AddItemToArray(rows, row);
        }
    }
    return items;
}

static cJSON *report_diff_vnets(const ArCompare *c)
{
    const ArScenario *sb = c->before->net->scn, *sa = c->after->net->scn;
    cJSON *items = cJSON_CreateArray();
    for (guint i = 0; i < c->vnets->len; i++) {
        const ArCmpVnet *v = g_ptr_array_index(c->vnets, i);
        if (c->grouped && g_array_index(c->vnet_class, guint, i) != i)
            continue; /* shown with the first VNet that has the same changes */
        g_autoptr(GArray) ranges = c->grouped ? cmp_vnet_ranges(v) : NULL;
        guint members = 1;
        g_autofree char *names = ranges ? cmp_vnet_class_names(c, i, &members) : NULL;
        g_autofree char *label = members > 1 ? g_strdup_printf("%s (%u VNets)", names, members) : g_strdup(v->name);
        cJSON *rows = report_diff_group(items, label, !v->before ? "(new VNet)" : !v->after ? "(VNet gone)" : NULL);
        guint lines = ranges ? ranges->len : v->diffs->len;
        for (guint k = 0; k < lines; k++) {
            const ArPfxRange *rg = ranges ? &g_array_index(ranges, ArPfxRange, k) : NULL;
            const ArCmpDiff *d = &g_array_index(v->diffs, ArCmpDiff, rg ? rg->first : k);
            cJSON *row = report_diff_row(d, rg);
            cJSON_AddItemToArray(row, d->before ? report_eff_cell(sb, d->before) : cJSON_CreateNull());
            cJSON_AddItemToArray(row, d->after ? report_eff_cell(sa, d->after) : cJSON_CreateNull());
            report_diff_row_close(row, d);
            cJSON_AddItemToArray(rows, row);
        }
    }
    return items;
}

static cJSON *report_comparison(const ArReportInput *in)
{
    const ArCompare *c = in->compare;
    cJSON *o = cJSON_CreateObject();
    report_add(o, "description", c->description);
    report_add(o, "summary", c->summary);
    const double counts[] = { c->gained, c->gained_nodes, c->lost, c->lost_nodes, c->changed, c->changed_nodes, c->eff_diffs };
    cJSON_AddItemToObject(o, "counts", cJSON_CreateDoubleArray(counts, G_N_ELEMENTS(counts)));
    cJSON *reach = cJSON_AddArrayToObject(o, "reach");
    for (guint i = 0; i < c->reach_changes->len; i++) {
        const ArCmpReach *r = &g_array_index(c->reach_changes, ArCmpReach, i);
        cJSON *a = cJSON_CreateArray();
        report_add(a, NULL, r->a);
        report_add(a, NULL, r->b);
        cJSON_AddItemToArray(a, cJSON_CreateNumber(r->before ? r->asym_before ? 2 : 1 : 0));
        cJSON_AddItemToArray(a, cJSON_CreateNumber(r->after ? r->asym_after ? 2 : 1 : 0));
        cJSON_AddItemToArray(reach, a);
    }
    ArGraphOptions opt = { .before = c->before, .title = c->description };
    cJSON_AddItemToObject(o, "diagram", report_diagram("diff-diagram", c->after, &opt));
    cJSON_AddBoolToObject(o, "grouped", c->grouped);
    cJSON_AddItemToObject(o, "nodes", report_diff_nodes(c));
    cJSON_AddItemToObject(o, "vnets", report_diff_vnets(c));
    return o;
}

/* ---- timeline ------------------------------------------------------------------------------------ */

/* Next hops of one effective route from out_timeline_json: the IPs, or its type when none. */
static char *report_json_hops(const cJSON *r)
{
    const cJSON *ips = cJSON_GetObjectItemCaseSensitive(r, "nextHopIps");
    if (cJSON_GetArraySize(ips) == 0)
        return g_strdup(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "nextHopType")));
    GString *s = g_string_new(NULL);
    const cJSON *ip;
    cJSON_ArrayForEach(ip, ips)
    {
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", cJSON_GetStringValue(ip));
    }
    return g_string_free(s, FALSE);
}

/* One VNet's changes of one epoch kind ("added", "removed", "changed") as [mark, prefix, next hops,
 * next hops before (changed only)]. */
static void report_json_changes(cJSON *out, const cJSON *v, const char *kind, const char *mark)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v, kind))
    {
        cJSON *c = cJSON_CreateArray();
        report_add(c, NULL, mark);
        report_add(c, NULL, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "prefix")));
        bool changed = strcmp(kind, "changed") == 0;
        g_autofree char *hops = report_json_hops(changed ? cJSON_GetObjectItemCaseSensitive(r, "after") : r);
        report_add(c, NULL, hops);
        if (changed) {
            g_autofree char *was = report_json_hops(cJSON_GetObjectItemCaseSensitive(r, "before"));
            report_add(c, NULL, was);
        }
        cJSON_AddItemToArray(out, c);
    }
}

static ArTime report_json_time(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(n) ? (ArTime)(n->valuedouble * (double)AR_SEC + 0.5) : 0;
}

/* The timeline: {chart, rows: [at, event, log [[at, text]], settled after or null, messages,
 * changes (null for the start) [[VNet, [[mark, prefix, hops, was]]]]], stopped: [at, why] or null}. */
static cJSON *report_timeline(const ArReportInput *in)
{
    const ArRun *run = in->run;
    cJSON *t = cJSON_CreateObject();
    if (in->chart) {
        char *svg = NULL;
        gsize len = 0;
        g_autoptr(GError) e = NULL;
        gboolean ok = out_chart_svg(in->chart, run, &svg, &len, &e);
        cJSON_AddItemToObject(t, "chart", report_figure("chart", ok, svg, len, e));
    } else {
        cJSON_AddNullToObject(t, "chart");
    }
    cJSON *rows = cJSON_AddArrayToObject(t, "rows");
    cJSON *tl = out_timeline_json(run);
    const cJSON *ep;
    int e = 0;
    cJSON_ArrayForEach(ep, tl)
    {
        cJSON *row = cJSON_CreateObject();
        report_secs(row, "at", report_json_time(ep, "at"));
        report_add(row, "event", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ep, "event")));
        cJSON *log = cJSON_AddArrayToObject(row, "log");
        const cJSON *le;
        cJSON_ArrayForEach(le, cJSON_GetObjectItemCaseSensitive(ep, "log"))
        {
            cJSON *l = cJSON_CreateObject();
            report_secs(l, "at", report_json_time(le, "at"));
            report_add(l, "text", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(le, "text")));
            cJSON_AddItemToArray(log, l);
        }
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ep, "settled")))
            report_secs(row, "settled", report_json_time(ep, "settledAfter"));
        else
            cJSON_AddNullToObject(row, "settled");
        const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(ep, "messages");
        report_count(row, "messages", cJSON_IsNumber(msgs) ? (guint64)msgs->valuedouble : 0);
        if (e++ == 0) {
            cJSON_AddNullToObject(row, "changes");
        } else {
            cJSON *changes = cJSON_AddArrayToObject(row, "changes");
            const cJSON *v;
            cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(ep, "effectiveRouteChanges"))
            {
                cJSON *vc = cJSON_CreateArray();
                report_add(vc, NULL, v->string);
                cJSON *list = cJSON_CreateArray();
                report_json_changes(list, v, "added", "+");
                report_json_changes(list, v, "removed", "\xe2\x88\x92");
                report_json_changes(list, v, "changed", "~");
                cJSON_AddItemToArray(vc, list);
                cJSON_AddItemToArray(changes, vc);
            }
        }
        cJSON_AddItemToArray(rows, row);
    }
    cJSON_Delete(tl);
    if (run->end != RUN_CONVERGED) {
        cJSON *s = cJSON_AddArrayToObject(t, "stopped");
        report_secs(s, NULL, run->net->sim->now);
        report_add(s, NULL, run->end == RUN_EVENT_CAP ? "event cap reached" : "time limit reached with routing still changing");
    } else {
        cJSON_AddNullToObject(t, "stopped");
    }
    return t;
}

/* ---- the document ---------------------------------------------------------------------------------- */

const char *report_title(const ArScenario *scn)
{
    return scn->name && scn->name[0] ? scn->name : scn->file ? scn->file : "scenario";
}

cJSON *report_data(const ArReportInput *in)
{
    const ArRun *run = in->run;
    const ArScenario *scn = run->net->scn;
    cJSON *d = cJSON_CreateObject();
    report_add(d, "title", report_title(scn));
    report_add(d, "description", scn->description && scn->description[0] ? scn->description : NULL);
    report_add(d, "source", in->source ? in->source : scn->file);
    cJSON_AddItemToObject(d, "summary", report_summary(in));
    if (in->compare)
        cJSON_AddItemToObject(d, "comparison", report_comparison(in));
    ArGraphOptions opt = { 0 };
    cJSON_AddItemToObject(d, "diagram", report_diagram("diagram", run, &opt));
    cJSON_AddItemToObject(d, "reach", report_reachability(in));
    if (run->net->epochs->len > 1)
        cJSON_AddItemToObject(d, "timeline", report_timeline(in));
    if (in->sweep)
        cJSON_AddItemToObject(d, "sweep", out_sweep_report(in->sweep, in->sweep_results));
    report_tables_data(d, run);
    return d;
}
