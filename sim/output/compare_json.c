/* compare_json.c - `arsim compare --json`: the comparison as one JSON document, written one piece
 * (a route, a diff entry, a row of a reachability grid) at a time. */
#include "arsim/compare.h"
#include "arsim/output.h"

/* One kind of a node's or VNet's differences as an array: each added (removed) route, or each
 * changed prefix with both routes and the names of the attributes that differ. route() builds the
 * JSON of one side of a diff. One pass over diffs per kind, so each array keeps diff order:
 * O(diffs) per kind, memory one entry. */
typedef cJSON *(*CmpRouteJson)(const void *ctx, const ArCmpDiff *d, gboolean after);

static void diff_array(ArJsonOut *w, const char *name, ArCmpKind kind, const GArray *diffs, CmpRouteJson route,
                       const void *ctx)
{
    char pfx[PFX_STRLEN];
    out_json_begin(w, name, TRUE);
    for (guint k = 0; k < diffs->len; k++) {
        const ArCmpDiff *d = &g_array_index(diffs, ArCmpDiff, k);
        if (d->kind != kind)
            continue;
        if (kind != CMP_CHANGED) {
            out_json_put(w, NULL, route(ctx, d, kind == CMP_ADDED));
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "prefix", pfx_format(pfx_from_key(d->key), pfx));
        cJSON_AddItemToObject(o, "before", route(ctx, d, FALSE));
        cJSON_AddItemToObject(o, "after", route(ctx, d, TRUE));
        cJSON *attrs = cJSON_AddArrayToObject(o, "attributes");
        g_autofree char *names = cmp_attr_names(d->attrs, ",");
        g_auto(GStrv) parts = g_strsplit(names, ",", -1);
        for (char **p = parts; *p; p++)
            cJSON_AddItemToArray(attrs, cJSON_CreateString(*p));
        out_json_put(w, NULL, o);
    }
    out_json_end(w);
}

/* {"added": [...], "removed": [...], "changed": [...]} under key. */
static void diff_shape(ArJsonOut *w, const char *key, const GArray *diffs, CmpRouteJson route, const void *ctx)
{
    out_json_begin(w, key, FALSE);
    diff_array(w, "added", CMP_ADDED, diffs, route, ctx);
    diff_array(w, "removed", CMP_REMOVED, diffs, route, ctx);
    diff_array(w, "changed", CMP_CHANGED, diffs, route, ctx);
    out_json_end(w);
}

static cJSON *node_route(const void *ctx, const ArCmpDiff *d, gboolean after)
{
    const ArCmpNode *n = ctx;
    return after ? out_route_json(n->after, d->key, d->after) : out_route_json(n->before, d->key, d->before);
}

static cJSON *eff_route(const void *ctx, const ArCmpDiff *d, gboolean after)
{
    (void)ctx;
    return out_eff_route_json(after ? d->after : d->before);
}

/* {SRC: {DST: bool}} one row per piece: O(endpoints) memory, not O(endpoints^2). */
static void matrix(ArJsonOut *w, const char *key, const ArReachMatrix *m)
{
    guint n = m->endpoints->len;
    out_json_begin(w, key, FALSE);
    for (guint i = 0; i < n; i++) {
        cJSON *row = cJSON_CreateObject();
        for (guint j = 0; j < n; j++)
            if (i != j)
                cJSON_AddBoolToObject(row, g_array_index(m->endpoints, ArReachEndpoint, j).name,
                                      m->cells[i * n + j].reachable);
        out_json_put(w, g_array_index(m->endpoints, ArReachEndpoint, i).name, row);
    }
    out_json_end(w);
}

/* One run: its whole document (full) or its head. */
static void run_part(ArJsonOut *w, const char *key, const ArRun *run, gboolean full)
{
    out_json_begin(w, key, FALSE);
    if (full)
        out_run_json_write(run, NULL, w);
    else
        out_run_json_head(run, w);
    out_json_end(w);
}

void out_compare_json_write(const ArCompare *c, gboolean full, ArJsonOut *w)
{
    out_json_put(w, "formatVersion", cJSON_CreateNumber(OUT_COMPARE_FORMAT_VERSION));
    run_part(w, "before", c->before, full);
    run_part(w, "after", c->after, full);
    cJSON *same = cJSON_CreateObject();
    cJSON_AddNumberToObject(same, "nodes", c->same_nodes);
    cJSON_AddNumberToObject(same, "bestRoutes", c->same_best);
    cJSON_AddNumberToObject(same, "vnets", c->same_vnets);
    out_json_put(w, "unchanged", same);

    out_json_begin(w, "diff", FALSE);
    for (guint i = 0; i < c->nodes->len; i++) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        diff_shape(w, n->name, n->diffs, node_route, n);
    }
    out_json_end(w);

    out_json_begin(w, "effectiveRoutes", FALSE);
    for (guint i = 0; i < c->vnets->len; i++) {
        const ArCmpVnet *v = g_ptr_array_index(c->vnets, i);
        guint cls = g_array_index(c->vnet_class, guint, i);
        if (!full && cls != i) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "sameAs", ((const ArCmpVnet *)g_ptr_array_index(c->vnets, cls))->name);
            out_json_put(w, v->name, o);
            continue;
        }
        diff_shape(w, v->name, v->diffs, eff_route, v);
    }
    out_json_end(w);

    out_json_begin(w, "reachability", FALSE);
    matrix(w, "before", c->reach_before);
    matrix(w, "after", c->reach_after);
    out_json_begin(w, "changed", TRUE);
    guint shown = MIN(c->reach_changes->len, CMP_SUMMARY_PAIRS);
    for (guint i = 0; i < shown; i++) {
        const ArCmpReach *r = &g_array_index(c->reach_changes, ArCmpReach, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "a", r->a);
        cJSON_AddStringToObject(o, "b", r->b);
        cJSON_AddBoolToObject(o, "before", r->before);
        cJSON_AddBoolToObject(o, "after", r->after);
        cJSON_AddBoolToObject(o, "asymmetricBefore", r->asym_before);
        cJSON_AddBoolToObject(o, "asymmetricAfter", r->asym_after);
        out_json_put(w, NULL, o);
    }
    out_json_end(w);
    out_json_end(w);
    out_json_put(w, "summary", cJSON_CreateString(c->summary));
}

cJSON *out_compare_json(const ArCompare *c, gboolean full)
{
    ArJsonOut *w = out_json_dom();
    out_json_begin(w, NULL, FALSE);
    out_compare_json_write(c, full, w);
    out_json_end(w);
    return out_json_dom_finish(w);
}
