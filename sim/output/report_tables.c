/* report_tables.c - the report's routing tables and effective routes as data for the page's script. */
#include "report_priv.h"
#include "arsim/names.h"

#include <string.h>

/* ---- routing tables -------------------------------------------------------------------------------- */

/* The sessions of one speaker: [remote, ibgp, up, down reason or null, routes in, routes out]. */
static cJSON *report_sessions(const ArSpeaker *sp)
{
    cJSON *rows = cJSON_CreateArray();
    for (guint i = 0; i < sp->peers->len; i++) {
        const ArPeer *p = bgp_peer(sp, (uint16_t)i);
        cJSON *r = cJSON_CreateArray();
        report_add(r, NULL, p->remote->name);
        cJSON_AddItemToArray(r, cJSON_CreateNumber(p->session->ibgp));
        cJSON_AddItemToArray(r, cJSON_CreateNumber(p->session->state == SESS_ESTABLISHED));
        report_add(r, NULL, p->session->down_reason);
        cJSON_AddItemToArray(r, cJSON_CreateNumber(p->routes_in));
        cJSON_AddItemToArray(r, cJSON_CreateNumber(bgp_out_size(p)));
        cJSON_AddItemToArray(rows, r);
    }
    return rows;
}

/* One path row of a node's table: [best, key, text or 0 when it is the key, next hop, source or
 * null (local), "iBGP"/"eBGP"/"local", AS path, local pref, weight, communities]. text: the network
 * cell's text (a prefix or "256 prefixes in 128.0.0.0/16"); key: the prefix (or cover) the filter
 * matches. */
static cJSON *report_route_row(const ArSpeaker *sp, const char *text, const char *key, const ArRoute *r, bool best)
{
    char ip[IP_STRLEN];
    const ArSpeaker *src = bgp_route_source(sp, r);
    cJSON *row = cJSON_CreateArray();
    cJSON_AddItemToArray(row, cJSON_CreateNumber(best));
    report_add(row, NULL, key);
    if (strcmp(text, key) == 0)
        cJSON_AddItemToArray(row, cJSON_CreateNumber(0));
    else
        report_add(row, NULL, text);
    report_add(row, NULL, ip_format(rt_attrs(r)->next_hop, ip));
    report_add(row, NULL, src ? src->name : NULL);
    report_add(row, NULL, !src ? "local" : bgp_peer(sp, r->peer)->session->ibgp ? "iBGP" : "eBGP");
    g_autofree char *path = attr_path_to_string(rt_attrs(r)->path);
    report_add(row, NULL, path);
    cJSON_AddItemToArray(row, cJSON_CreateNumber(rt_attrs(r)->local_pref));
    cJSON_AddItemToArray(row, cJSON_CreateNumber(rt_attrs(r)->weight));
    const ArComms *cs = rt_attrs(r)->comms;
    GString *comms = g_string_new(NULL);
    for (uint32_t k = 0; k < cs->len; k++) {
        g_autofree char *cm = attr_comm_to_string(cs->vals[k]);
        if (k)
            g_string_append_c(comms, ' ');
        g_string_append(comms, cm);
    }
    report_add(row, NULL, comms->str);
    g_string_free(comms, TRUE);
    return row;
}

/* Two prefixes of one speaker with the same paths: the same attributes (interned: one pointer)
 * from the same peers, in the same order, the same one best. */
static bool report_same_paths(const ArRibNet *a, const ArRibNet *b)
{
    const ArRoute *x = rib_first(a), *y = rib_first(b);
    for (; x && y; x = rib_route_next(a, x), y = rib_route_next(b, y))
        if (rt_attrs(x) != rt_attrs(y) || x->peer != y->peer || (x == rib_best(a)) != (y == rib_best(b)))
            return false;
    return !x && !y;
}

/* The text of a covering range: the prefix, or "256 prefixes in 128.0.0.0/16"; key gets the cover. */
static void report_range_text(const ArPfxRange *r, char *key, GString *text)
{
    pfx_format(r->cover, key);
    if (r->count == 1)
        g_string_assign(text, key);
    else
        g_string_printf(text, "%u prefixes in %s", r->count, key);
}

/* One node: {name, info, sessions, grouped: [prefixes, paths, rows] or null, rows}; past
 * REPORT_FULL_ROWS paths, runs of prefixes with the same paths as one row per path and covering
 * range. out_node_nets's cost (O(P) with order, the run's prefixes sorted once, for a node holding
 * most of them), then O(paths). */
static cJSON *report_node(const ArSpeaker *sp, GArray **order)
{
    char ip[IP_STRLEN], pfx[PFX_STRLEN];
    cJSON *node = cJSON_CreateObject();
    report_add(node, "name", sp->name);
    g_autofree char *info = g_strdup_printf("%s, AS %u, %s%s", bgp_kind_name(sp->kind), sp->asn,
                                            ip_format(sp->ip, ip), sp->down ? ", down" : "");
    report_add(node, "info", info);
    cJSON_AddItemToObject(node, "sessions", report_sessions(sp));
    cJSON_AddNullToObject(node, "grouped");
    cJSON *rows = cJSON_AddArrayToObject(node, "rows");
    g_autoptr(GArray) nets = out_node_nets(sp, NULL, order);
    if (!nets->len)
        return node;
    const OutKeyNet *kn = (const OutKeyNet *)(void *)nets->data;
    guint64 paths = sp->rib.routes;
    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(ArPfxRange));
    if (paths > REPORT_FULL_ROWS) {
        for (guint i = 0; i < nets->len;) {
            guint j = i + 1;
            for (; j < nets->len; j++) {
                /* Each net's paths are a cache miss: fetched 8 nets ahead. */
                if (j + 8 < nets->len)
                    __builtin_prefetch(rib_first(kn[j + 8].net));
                if (!report_same_paths(kn[i].net, kn[j].net))
                    break;
            }
            pfx_ranges(kn, sizeof(OutKeyNet), nets->len, i, j, ranges);
            i = j;
        }
        const double g[] = { nets->len, (double)paths, ranges->len };
        cJSON_ReplaceItemInObjectCaseSensitive(node, "grouped", cJSON_CreateDoubleArray(g, 3));
    } else {
        for (guint i = 0; i < nets->len; i++) {
            ArPfxRange one = { pfx_from_key(kn[i].key), i, 1 };
            g_array_append_val(ranges, one);
        }
    }
    GString *text = g_string_new(NULL);
    for (guint i = 0; i < ranges->len; i++) {
        const ArPfxRange *rg = &g_array_index(ranges, ArPfxRange, i);
        const ArRibNet *n = kn[rg->first].net;
        report_range_text(rg, pfx, text);
        for (const ArRoute *r = rib_first(n); r; r = rib_route_next(n, r))
            cJSON_AddItemToArray(rows, report_route_row(sp, text->str, pfx, r, r == rib_best(n)));
    }
    g_string_free(text, TRUE);
    return node;
}

/* ---- effective routes ------------------------------------------------------------------------------ */

/* Two effective routes of one run that print the same apart from the prefix. */
static bool report_eff_same(const ArEffRoute *a, const ArEffRoute *b)
{
    if (a->type != b->type || a->cls != b->cls || a->peer_vnet != b->peer_vnet || a->path != b->path ||
        a->next_hops->len != b->next_hops->len || a->via->len != b->via->len)
        return false;
    if (a->next_hops->len && memcmp(a->next_hops->data, b->next_hops->data, a->next_hops->len * sizeof(uint32_t)))
        return false;
    return !a->via->len || memcmp(a->via->pdata, b->via->pdata, a->via->len * sizeof(gpointer)) == 0;
}

void report_eff_hops_via(const ArScenario *scn, const ArEffRoute *r, GString *hops, GString *via)
{
    char ip[IP_STRLEN];
    for (guint k = 0; k < r->next_hops->len; k++)
        g_string_append_printf(hops, "%s%s", k ? ", " : "", ip_format(g_array_index(r->next_hops, uint32_t, k), ip));
    for (guint k = 0; k < r->via->len; k++)
        g_string_append_printf(via, "%s%s", k ? ", " : "", ((const ArSpeaker *)g_ptr_array_index(r->via, k))->name);
    if (r->type == NH_VNET_PEERING && r->peer_vnet >= 0)
        g_string_append(via, ((const ArVnet *)g_ptr_array_index(scn->vnets, r->peer_vnet))->name);
}

/* One effective-route row: [key, text or 0 when it is the key, source, next hop type, next hop IPs,
 * via (nodes, or the peered VNet), AS path]. */
static cJSON *report_eff_row(const ArScenario *scn, const char *text, const char *key, const ArEffRoute *r)
{
    cJSON *row = cJSON_CreateArray();
    report_add(row, NULL, key);
    if (strcmp(text, key) == 0)
        cJSON_AddItemToArray(row, cJSON_CreateNumber(0));
    else
        report_add(row, NULL, text);
    report_add(row, NULL, eff_source_name(r));
    report_add(row, NULL, eff_nh_type_name(r->type));
    GString *hops = g_string_new(NULL), *via = g_string_new(NULL);
    report_eff_hops_via(scn, r, hops, via);
    report_add(row, NULL, hops->str);
    report_add(row, NULL, via->str);
    g_string_free(hops, TRUE);
    g_string_free(via, TRUE);
    g_autofree char *p = r->path ? attr_path_to_string(r->path) : NULL;
    report_add(row, NULL, p ? p : "");
    return row;
}

/* A table of effective routes (const ArEffRoute*, ascending): {n: the rows' name (null: the rows
 * take their group's), grouped: [routes, rows] or null, rows}; past REPORT_FULL_ROWS, runs of routes
 * that print the same share a row per covering range. O(n x 32). */
static cJSON *report_eff_table(const ArScenario *scn, const char *row_name, const GPtrArray *rs)
{
    char pfx[PFX_STRLEN];
    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(ArPfxRange));
    g_autoptr(GArray) keys = g_array_sized_new(FALSE, FALSE, sizeof(uint64_t), rs->len);
    for (guint i = 0; i < rs->len; i++) {
        uint64_t k = pfx_key(((const ArEffRoute *)g_ptr_array_index(rs, i))->prefix);
        g_array_append_val(keys, k);
    }
    bool grouped = rs->len > REPORT_FULL_ROWS;
    for (guint i = 0; i < rs->len;) {
        guint j = i + 1;
        while (grouped && j < rs->len && report_eff_same(g_ptr_array_index(rs, i), g_ptr_array_index(rs, j)))
            j++;
        pfx_ranges(keys->data, sizeof(uint64_t), keys->len, i, j, ranges);
        i = j;
    }
    cJSON *t = cJSON_CreateObject();
    report_add(t, "n", row_name);
    if (grouped) {
        const double g[] = { rs->len, ranges->len };
        cJSON_AddItemToObject(t, "grouped", cJSON_CreateDoubleArray(g, 2));
    } else {
        cJSON_AddNullToObject(t, "grouped");
    }
    cJSON *rows = cJSON_AddArrayToObject(t, "rows");
    GString *text = g_string_new(NULL);
    for (guint i = 0; i < ranges->len; i++) {
        const ArPfxRange *rg = &g_array_index(ranges, ArPfxRange, i);
        report_range_text(rg, pfx, text);
        cJSON_AddItemToArray(rows, report_eff_row(scn, text->str, pfx, g_ptr_array_index(rs, rg->first)));
    }
    g_string_free(text, TRUE);
    return t;
}

/* The hub whose gateways a VNet's routes come from, when it is another VNet's; else null. */
static void report_hub(cJSON *to, const ArScenario *scn, int vnet, int hub)
{
    bool other = hub != AR_NO_INDEX && hub != vnet;
    report_add(to, "hub", other ? ((const ArVnet *)g_ptr_array_index(scn->vnets, hub))->name : NULL);
}

/* One VNet's effective routes, in full: {k: "vnet", name, subnet, hub, table}. */
static cJSON *report_vnet(const ArScenario *scn, const ArEffTable *t)
{
    g_autofree char *name = eff_table_name(scn, t); /* "VNET", or "VNET/SUBNET" for a route table's subnet */
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "k", "vnet");
    report_add(b, "name", name);
    cJSON_AddBoolToObject(b, "subnet", t->subnet != AR_NO_INDEX);
    report_hub(b, scn, t->vnet, t->hub);
    g_autoptr(GPtrArray) rs = g_ptr_array_sized_new(t->len);
    ArEffIter it;
    eff_iter_init(&it, t);
    for (const ArEffRoute *r; (r = eff_iter_next(&it));)
        g_ptr_array_add(rs, (gpointer)r);
    cJSON_AddItemToObject(b, "table", report_eff_table(scn, name, rs));
    return b;
}

/* Pointers to every route of an ArEffRoute array, for report_eff_table. */
static GPtrArray *report_route_ptrs(const GArray *routes)
{
    GPtrArray *rs = g_ptr_array_sized_new(routes->len);
    for (guint k = 0; k < routes->len; k++)
        g_ptr_array_add(rs, &g_array_index(routes, ArEffRoute, k));
    return rs;
}

/* The names of a shared table's VNets: "hub, spoke1-spoke500". Caller frees. */
static char *report_member_names(const ArScenario *scn, const ArEffShared *sh, const char *sep, guint max_runs)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint k = 0; k < sh->members->len; k++)
        g_ptr_array_add(names, ((const ArVnet *)g_ptr_array_index(scn->vnets, g_array_index(sh->members, int, k)))->name);
    if (!sep)
        return names_ranges((const char *const *)names->pdata, names->len, max_runs);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(sep, (char **)names->pdata);
}

/* A table several VNets share (ArEffShared), once: {k: "shared", id, all (every VNet's name, for
 * the filter), list (their names in runs), members, hub, table}. */
static cJSON *report_shared(const ArScenario *scn, const ArEffShared *sh)
{
    g_autofree char *all = report_member_names(scn, sh, " ", 0);
    g_autofree char *list = report_member_names(scn, sh, NULL, 4);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "k", "shared");
    cJSON_AddNumberToObject(b, "id", sh->id);
    report_add(b, "all", all);
    report_add(b, "list", list);
    cJSON_AddNumberToObject(b, "members", sh->members->len);
    report_hub(b, scn, AR_NO_INDEX, sh->hub);
    g_autoptr(GPtrArray) rs = report_route_ptrs(sh->routes);
    cJSON_AddItemToObject(b, "table", report_eff_table(scn, NULL, rs));
    return b;
}

/* A VNet on a shared table, its own routes and the shared ones it hides: {k: "layer", name, len,
 * shared (its id), hidden: [count, the first REPORT_HIDDEN_NAMED prefixes], table}. */
static cJSON *report_vnet_layer(const ArScenario *scn, const ArEffTable *t)
{
    char pfx[PFX_STRLEN];
    g_autofree char *name = eff_table_name(scn, t);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "k", "layer");
    report_add(b, "name", name);
    cJSON_AddNumberToObject(b, "len", t->len);
    cJSON_AddNumberToObject(b, "shared", t->shared->id);
    cJSON *hidden = cJSON_AddArrayToObject(b, "hidden");
    cJSON_AddItemToArray(hidden, cJSON_CreateNumber(t->hidden->len));
    cJSON *named = cJSON_CreateArray();
    cJSON_AddItemToArray(hidden, named);
    for (guint k = 0; k < t->hidden->len && k < REPORT_HIDDEN_NAMED; k++) {
        const ArEffRoute *h = &g_array_index(t->shared->routes, ArEffRoute, g_array_index(t->hidden, guint, k));
        report_add(named, NULL, pfx_format(h->prefix, pfx));
    }
    g_autoptr(GPtrArray) rs = report_route_ptrs(t->own);
    cJSON_AddItemToObject(b, "table", report_eff_table(scn, name, rs));
    return b;
}

void report_tables_data(cJSON *data, const ArRun *run)
{
    const ArSim *sim = run->net->sim;
    const ArScenario *scn = run->net->scn;
    cJSON *nodes = cJSON_AddArrayToObject(data, "nodes");
    g_autoptr(GArray) order = NULL;
    for (guint i = 0; i < sim->speakers->len; i++)
        cJSON_AddItemToArray(nodes, report_node(g_ptr_array_index(sim->speakers, i), &order));
    cJSON *eff = cJSON_AddObjectToObject(data, "effective");
    cJSON *blocks = cJSON_CreateArray();
    guint total = 0;
    for (guint i = 0; i < run->eff->len; i++)
        total += ((const ArEffTable *)g_ptr_array_index(run->eff, i))->len;
    g_autoptr(GPtrArray) shared = eff_shared_list(run->eff);
    if (total <= REPORT_FULL_ROWS || !shared->len) {
        cJSON_AddNullToObject(eff, "shared");
        for (guint i = 0; i < run->eff->len; i++)
            cJSON_AddItemToArray(blocks, report_vnet(scn, g_ptr_array_index(run->eff, i)));
    } else {
        /* Each distinct table once, with the VNets sharing it, then what each VNet has on top. */
        const double counts[] = { scn->vnets->len, shared->len };
        cJSON_AddItemToObject(eff, "shared", cJSON_CreateDoubleArray(counts, 2));
        for (guint i = 0; i < shared->len; i++)
            cJSON_AddItemToArray(blocks, report_shared(scn, g_ptr_array_index(shared, i)));
        for (guint i = 0; i < run->eff->len; i++) {
            const ArEffTable *t = g_ptr_array_index(run->eff, i);
            cJSON_AddItemToArray(blocks, t->shared ? report_vnet_layer(scn, t) : report_vnet(scn, t));
        }
    }
    cJSON_AddItemToObject(eff, "blocks", blocks);
}
