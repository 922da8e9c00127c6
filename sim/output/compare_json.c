/* compare_json.c - `arsim compare --json`: the comparison as one JSON document, written one piece
 * (a route, a diff entry, a row of a reachability grid) at a time. */
#include "arsim/compare.h"
#include "arsim/output.h"

/* One kind of a node's or VNet's differences as an array: each added (removed) route, or each
 * changed prefix with both routes and the names of the attributes that differ. route() builds the
 * JSON of one side of a diff. One pass over diffs per kind, so each array keeps diff order:
 * O(diffs) per kind, memory one entry. */
typedef cJSON *(*CmpRouteJson)(const void *ctx, const ArCmpDiff *d, gboolean after);

/* A changed prefix: {"prefix", "before": route, "after": route, "attributes": [names that differ]};
 * bare: the two routes without their "prefix" member (the grouped form's). */
static cJSON *changed_json(const ArCmpDiff *d, CmpRouteJson route, const void *ctx, gboolean bare)
{
    char pfx[PFX_STRLEN];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "prefix", pfx_format(pfx_from_key(d->key), pfx));
    cJSON *before = route(ctx, d, FALSE), *after = route(ctx, d, TRUE);
    if (bare) {
        cJSON_DeleteItemFromObjectCaseSensitive(before, "prefix");
        cJSON_DeleteItemFromObjectCaseSensitive(after, "prefix");
    }
    cJSON_AddItemToObject(o, "before", before);
    cJSON_AddItemToObject(o, "after", after);
    cJSON *attrs = cJSON_AddArrayToObject(o, "attributes");
    g_autofree char *names = cmp_attr_names(d->attrs, ",");
    g_auto(GStrv) parts = g_strsplit(names, ",", -1);
    for (char **p = parts; *p; p++)
        cJSON_AddItemToArray(attrs, cJSON_CreateString(*p));
    return o;
}

static void diff_array(ArJsonOut *w, const char *name, ArCmpKind kind, const GArray *diffs, CmpRouteJson route,
                       const void *ctx)
{
    out_json_begin(w, name, TRUE);
    for (guint k = 0; k < diffs->len; k++) {
        const ArCmpDiff *d = &g_array_index(diffs, ArCmpDiff, k);
        if (d->kind != kind)
            continue;
        if (kind != CMP_CHANGED) {
            out_json_put(w, NULL, route(ctx, d, kind == CMP_ADDED));
            continue;
        }
        out_json_put(w, NULL, changed_json(d, route, ctx, FALSE));
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

/* ---- The grouped form (format version 3, docs/output-format.md) ------------------------------
 * Past OUT_JSON_FULL_ROUTES differences (16M lost best routes when branch-to-branch goes off at 1M
 * prefixes), each node's and VNet's added, removed and changed entries are written as groups of
 * entries equal but for the prefix, each naming a set of "prefixSets", as run --json's version 3. */

/* One entry of a diff list, for its group's piece. */
typedef struct DiffItem {
    const ArCmpDiff *d;    /* the difference */
    CmpRouteJson route;    /* builds one side */
    const void *ctx;       /* route's context */
} DiffItem;

static cJSON *diff_piece(const void *p)
{
    const DiffItem *it = p;
    if (it->d->kind == CMP_CHANGED)
        return changed_json(it->d, it->route, it->ctx, TRUE);
    return it->route(it->ctx, it->d, it->d->kind == CMP_ADDED);
}

/* What a node's difference prints besides its prefix: the kind, the attributes that differ, and
 * each side's interned attributes and peer (the node is the same for the whole list). */
static void node_key(const ArCmpDiff *d, OutGroupKey *k)
{
    const ArRoute *b = d->before, *a = d->after;
    *k = (OutGroupKey){ 5, { (guint64)d->kind << 32 | d->attrs, (guint64)(guintptr)(b ? rt_attrs(b) : NULL),
                             b ? b->peer : G_MAXUINT64, (guint64)(guintptr)(a ? rt_attrs(a) : NULL), a ? a->peer : G_MAXUINT64 } };
}

/* The same for an effective-route difference: next hops, via and AS path are interned (equal
 * pointers print equal text), the type and source class packed with the kind. */
static void eff_key(const ArCmpDiff *d, OutGroupKey *k)
{
    const ArEffRoute *b = d->before, *a = d->after;
    guint64 flags = (guint64)d->kind << 48 | (guint64)d->attrs << 32 | (b ? (guint64)b->type << 8 | b->cls : 0xffff) << 16 |
                    (a ? (guint64)a->type << 8 | a->cls : 0xffff);
    *k = (OutGroupKey){ 7, { flags, (guint64)(guintptr)(b ? b->next_hops : NULL), (guint64)(guintptr)(b ? b->via : NULL),
                             (guint64)(guintptr)(b ? b->path : NULL), (guint64)(guintptr)(a ? a->next_hops : NULL),
                             (guint64)(guintptr)(a ? a->via : NULL), (guint64)(guintptr)(a ? a->path : NULL) } };
}

/* A diff list's groups: [added, removed, changed], each a GPtrArray of groups. O(diffs). */
static GPtrArray *diff_groups(const GArray *diffs, CmpRouteJson route, const void *ctx,
                              void (*key)(const ArCmpDiff *, OutGroupKey *), OutSets *sets)
{
    static const ArCmpKind kinds[] = { CMP_ADDED, CMP_REMOVED, CMP_CHANGED };
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
        OutGrouper *g = out_grouper_new();
        for (guint k = 0; k < diffs->len; k++) {
            const ArCmpDiff *d = &g_array_index(diffs, ArCmpDiff, k);
            if (d->kind != kinds[i])
                continue;
            OutGroupKey gk;
            key(d, &gk);
            DiffItem it = { d, route, ctx };
            out_grouper_add(g, &gk, d->key, diff_piece, &it);
        }
        g_ptr_array_add(out, out_grouper_finish(g, sets));
    }
    return out;
}

/* {"addedGroups": [...], "removedGroups": [...], "changedGroups": [...]} under key. */
static void groups_shape(ArJsonOut *w, const char *key, const GPtrArray *groups)
{
    out_json_begin(w, key, FALSE);
    out_groups_write(w, "addedGroups", g_ptr_array_index(groups, 0));
    out_groups_write(w, "removedGroups", g_ptr_array_index(groups, 1));
    out_groups_write(w, "changedGroups", g_ptr_array_index(groups, 2));
    out_json_end(w);
}

/* Differences listed (nodes', and VNets' not written as sameAs). O(nodes + VNets). */
static guint64 diff_count(const ArCompare *c)
{
    guint64 n = 0;
    for (guint i = 0; i < c->nodes->len; i++)
        n += ((const ArCmpNode *)g_ptr_array_index(c->nodes, i))->diffs->len;
    for (guint i = 0; i < c->vnets->len; i++)
        if (g_array_index(c->vnet_class, guint, i) == i)
            n += ((const ArCmpVnet *)g_ptr_array_index(c->vnets, i))->diffs->len;
    return n;
}

void out_compare_json_write(const ArCompare *c, gboolean full, ArJsonOut *w)
{
    OutCmpForm form = full ? OUT_CMP_FULL
                      : out_json_is_stream(w) && diff_count(c) > OUT_JSON_FULL_ROUTES ? OUT_CMP_GROUPED
                                                                                      : OUT_CMP_SUMMARY;
    out_compare_json_write_form(c, form, w);
}

void out_compare_json_write_form(const ArCompare *c, OutCmpForm form, ArJsonOut *w)
{
    gboolean full = form == OUT_CMP_FULL, grouped = form == OUT_CMP_GROUPED;
    /* Grouped: every group first, so that the prefix sets come before the lists naming them. */
    OutSets *sets = grouped ? out_sets_new() : NULL;
    g_autoptr(GPtrArray) node_grp = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    g_autoptr(GPtrArray) vnet_grp = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    for (guint i = 0; grouped && i < c->nodes->len; i++) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        g_ptr_array_add(node_grp, diff_groups(n->diffs, node_route, n, node_key, sets));
    }
    for (guint i = 0; grouped && i < c->vnets->len; i++) {
        const ArCmpVnet *v = g_ptr_array_index(c->vnets, i);
        g_ptr_array_add(vnet_grp, g_array_index(c->vnet_class, guint, i) == i
                                      ? diff_groups(v->diffs, eff_route, v, eff_key, sets)
                                      : g_ptr_array_new());
    }

    out_json_put(w, "formatVersion", cJSON_CreateNumber(grouped ? OUT_COMPARE_FORMAT_GROUPED : OUT_COMPARE_FORMAT_VERSION));
    run_part(w, "before", c->before, full);
    run_part(w, "after", c->after, full);
    cJSON *same = cJSON_CreateObject();
    cJSON_AddNumberToObject(same, "nodes", c->same_nodes);
    cJSON_AddNumberToObject(same, "bestRoutes", c->same_best);
    cJSON_AddNumberToObject(same, "vnets", c->same_vnets);
    out_json_put(w, "unchanged", same);
    if (grouped)
        out_sets_write(w, sets);
    out_sets_free(sets);

    out_json_begin(w, "diff", FALSE);
    for (guint i = 0; i < c->nodes->len; i++) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        if (grouped)
            groups_shape(w, n->name, g_ptr_array_index(node_grp, i));
        else
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
        if (grouped)
            groups_shape(w, v->name, g_ptr_array_index(vnet_grp, i));
        else
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
