/* effective.c - effective routes of each VNet's VMs, derived from the converged RIBs (rule book
 * section 4 and 6). */
#include "arsim/results.h"

#include <stdlib.h>

/* A BGP route offered to a VNet's VMs by one injector. */
typedef struct Cand {
    ArRouteClass cls;          /* who injects it */
    const ArAsPath *path;      /* as learned by the injector */
    uint32_t next_hop;         /* address VMs send to */
    const ArSpeaker *via;      /* node the traffic goes to */
} Cand;

/* Azure's default routes, shown as source "Default" (overridden by an equal BGP prefix). */
static const struct {
    uint32_t addr;
    uint8_t len;
    ArNextHopType type;
} default_routes[] = {
    { 0x00000000u, 0, NH_INTERNET },  { 0x0A000000u, 8, NH_NONE },   { 0xAC100000u, 12, NH_NONE },
    { 0xC0A80000u, 16, NH_NONE },     { 0x64400000u, 10, NH_NONE },
};

const char *eff_nh_type_name(ArNextHopType t)
{
    switch (t) {
    case NH_VNET_LOCAL: return "VnetLocal";
    case NH_VNET_PEERING: return "VNetPeering";
    case NH_GATEWAY: return "VirtualNetworkGateway";
    case NH_INTERNET: return "Internet";
    case NH_NONE: return "None";
    }
    return "?";
}

const char *eff_source_name(const ArEffRoute *r) { return r->cls == CLASS_SYSTEM ? "Default" : "VirtualNetworkGateway"; }

static void eff_route_clear(gpointer p)
{
    ArEffRoute *r = p;
    g_array_free(r->next_hops, TRUE);
    g_ptr_array_free(r->via, TRUE);
}

static void eff_table_free(gpointer p)
{
    ArEffTable *t = p;
    g_array_free(t->routes, TRUE);
    g_free(t);
}

static ArEffRoute *add_route(ArEffTable *t, ArPrefix p, ArNextHopType type, ArRouteClass cls)
{
    ArEffRoute r = { .prefix = p, .type = type, .cls = cls, .peer_vnet = AR_NO_INDEX };
    r.next_hops = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    r.via = g_ptr_array_new();
    g_array_append_val(t->routes, r);
    return &g_array_index(t->routes, ArEffRoute, t->routes->len - 1);
}

static void cand_add(GHashTable *cands, uint64_t key, ArRouteClass cls, const ArAsPath *path, uint32_t nh,
                     const ArSpeaker *via)
{
    GArray *a = g_hash_table_lookup(cands, rib_key_ptr(key));
    if (!a) {
        a = g_array_new(FALSE, FALSE, sizeof(Cand));
        g_hash_table_insert(cands, rib_key_ptr(key), a);
    }
    Cand c = { cls, path, nh, via };
    g_array_append_val(a, c);
}

/* Collects what the hub's injectors offer: the Route Server's NVA-learned paths (both instances),
 * the ExpressRoute gateway's circuit routes, the VPN gateway's site routes. O(R). */
static void collect(const ArNet *net, int hub, GHashTable *cands, ArHubPref *pref)
{
    const ArScenario *scn = net->scn;
    *pref = HUBPREF_EXPRESSROUTE; /* without a Route Server, ExpressRoute wins (coexistence default) */
    for (guint r = 0; r < scn->route_servers->len; r++) {
        const ArRouteServer *rs = &net->rs_cfg[r]; /* the settings in force (events may change them) */
        if (rs->vnet != hub)
            continue;
        *pref = rs->hub_pref;
        for (int k = 0; k < 2; k++) {
            ArSpeaker *sp = net->rs[r][k];
            GHashTableIter it;
            gpointer key, val;
            g_hash_table_iter_init(&it, sp->rib.nets);
            while (g_hash_table_iter_next(&it, &key, &val))
                for (ArRoute *rt = ((ArRibNet *)val)->routes; rt; rt = rt->next) {
                    ArSpeaker *src = bgp_route_source(sp, rt);
                    if (src && src->kind == NODE_NVA)
                        cand_add(cands, rib_ptr_key(key), CLASS_NVA, rt->attrs->path, rt->attrs->next_hop, src);
                }
        }
    }
    for (guint g = 0; g < scn->gateways->len; g++) {
        const ArGateway *gw = g_ptr_array_index(scn->gateways, g);
        if (gw->vnet != hub)
            continue;
        for (int k = 0; k < 2 && net->gw[g][k]; k++) {
            ArSpeaker *sp = net->gw[g][k];
            GHashTableIter it;
            gpointer key, val;
            g_hash_table_iter_init(&it, sp->rib.nets);
            while (g_hash_table_iter_next(&it, &key, &val)) {
                const ArRoute *best = ((ArRibNet *)val)->best;
                if (!best)
                    continue;
                ArSpeaker *src = bgp_route_source(sp, best);
                if (gw->type == GW_EXPRESSROUTE && src && src->kind == NODE_MSEE)
                    cand_add(cands, rib_ptr_key(key), CLASS_EXPRESSROUTE, best->attrs->path, best->attrs->next_hop, sp);
                else if (gw->type == GW_VPN && ((src && src->kind == NODE_SITE) || (!src && (best->flags & RT_STATIC))))
                    cand_add(cands, rib_ptr_key(key), CLASS_VPN, best->attrs->path, sp->ip, sp);
            }
        }
    }
}

/* Rank of a class under the preference: lower wins; equal ranks compete on AS-path length (HRP). */
static int class_rank(ArHubPref pref, ArRouteClass c)
{
    switch (pref) {
    case HUBPREF_EXPRESSROUTE: return c == CLASS_EXPRESSROUTE ? 0 : 1;
    case HUBPREF_VPNGATEWAY: return c == CLASS_EXPRESSROUTE ? 1 : 0;
    case HUBPREF_ASPATH: return 0;
    }
    return 0;
}

static int ip_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Picks the winning candidates for one prefix into r: best class rank, then shortest AS path;
 * NVA and VPN paths that tie are ECMP (FAQ); an ExpressRoute winner is alone (TS: one
 * ExpressRoute path once a Route Server is deployed) and, under ASPath, wins a tie (documented). */
static void choose(GArray *cands, ArHubPref pref, ArEffRoute *r)
{
    int best_rank = G_MAXINT;
    uint32_t best_len = G_MAXUINT32;
    bool er_at_best = false;
    for (guint i = 0; i < cands->len; i++) {
        const Cand *c = &g_array_index(cands, Cand, i);
        int rank = class_rank(pref, c->cls);
        if (rank < best_rank || (rank == best_rank && c->path->len < best_len)) {
            best_rank = rank;
            best_len = c->path->len;
            er_at_best = false;
        }
        if (rank == best_rank && c->path->len == best_len && c->cls == CLASS_EXPRESSROUTE)
            er_at_best = true;
    }
    const Cand *first = NULL;
    for (guint i = 0; i < cands->len; i++) {
        const Cand *c = &g_array_index(cands, Cand, i);
        if (class_rank(pref, c->cls) != best_rank || c->path->len != best_len)
            continue;
        if (er_at_best != (c->cls == CLASS_EXPRESSROUTE))
            continue;
        if (!first)
            first = c;
        if (er_at_best && c != first)
            break;
        bool dup = false;
        for (guint k = 0; k < r->next_hops->len; k++)
            dup |= g_array_index(r->next_hops, uint32_t, k) == c->next_hop;
        if (!dup)
            g_array_append_val(r->next_hops, c->next_hop);
    }
    r->cls = first->cls;
    r->path = first->path;
    /* ECMP next hops in address order; via follows the same order. */
    g_array_sort(r->next_hops, (GCompareFunc)ip_cmp);
    for (guint k = 0; k < r->next_hops->len; k++) {
        uint32_t nh = g_array_index(r->next_hops, uint32_t, k);
        for (guint i = 0; i < cands->len; i++) {
            const Cand *c = &g_array_index(cands, Cand, i);
            if (c->next_hop == nh && c->cls == r->cls) {
                g_ptr_array_add(r->via, (gpointer)c->via);
                break;
            }
        }
    }
}

static gint route_cmp(gconstpointer a, gconstpointer b)
{
    const ArEffRoute *x = a, *y = b;
    int c = pfx_cmp(&x->prefix, &y->prefix);
    return c ? c : (int)x->type - (int)y->type;
}

static gint key_cmp(gconstpointer a, gconstpointer b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static ArEffTable *vnet_table(const ArNet *net, int v)
{
    const ArScenario *scn = net->scn;
    ArEffTable *t = g_new0(ArEffTable, 1);
    t->vnet = v;
    t->hub = scn_hub_of(scn, v);
    t->routes = g_array_new(FALSE, FALSE, sizeof(ArEffRoute));
    g_array_set_clear_func(t->routes, eff_route_clear);

    /* System routes: the VNet and its peerings win over any BGP route inside them (FAQ). */
    g_autoptr(GArray) system = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
    for (guint i = 0; i < vn->prefixes->len; i++)
        add_route(t, g_array_index(vn->prefixes, ArPrefix, i), NH_VNET_LOCAL, CLASS_SYSTEM);
    g_array_append_vals(system, vn->prefixes->data, vn->prefixes->len);
    for (guint u = 0; u < scn->vnets->len; u++) {
        if ((int)u == v || !scn_vnets_peered(scn, v, (int)u))
            continue;
        const ArVnet *un = g_ptr_array_index(scn->vnets, u);
        for (guint i = 0; i < un->prefixes->len; i++) {
            ArEffRoute *r = add_route(t, g_array_index(un->prefixes, ArPrefix, i), NH_VNET_PEERING, CLASS_SYSTEM);
            r->peer_vnet = (int)u;
        }
        g_array_append_vals(system, un->prefixes->data, un->prefixes->len);
    }

    g_autoptr(GHashTable) cands = g_hash_table_new_full(rib_key_hash, g_direct_equal, NULL,
                                                         (GDestroyNotify)g_array_unref);
    ArHubPref pref = HUBPREF_EXPRESSROUTE;
    if (t->hub != AR_NO_INDEX)
        collect(net, t->hub, cands, &pref);

    g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, cands);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        uint64_t k = rib_ptr_key(key);
        g_array_append_val(keys, k);
    }
    g_array_sort(keys, key_cmp);
    g_autoptr(GHashTable) bgp_prefixes = g_hash_table_new(rib_key_hash, g_direct_equal);
    for (guint i = 0; i < keys->len; i++) {
        uint64_t k = g_array_index(keys, uint64_t, i);
        ArPrefix p = pfx_from_key(k);
        bool shadowed = false;
        for (guint s = 0; s < system->len && !shadowed; s++)
            shadowed = pfx_within(p, g_array_index(system, ArPrefix, s));
        if (shadowed)
            continue;
        ArEffRoute *r = add_route(t, p, NH_GATEWAY, CLASS_NVA);
        choose(g_hash_table_lookup(cands, rib_key_ptr(k)), pref, r);
        g_hash_table_add(bgp_prefixes, rib_key_ptr(k));
    }
    for (guint i = 0; i < G_N_ELEMENTS(default_routes); i++) {
        ArPrefix p = { default_routes[i].addr, default_routes[i].len };
        if (!g_hash_table_contains(bgp_prefixes, rib_key_ptr(pfx_key(p))))
            add_route(t, p, default_routes[i].type, CLASS_SYSTEM);
    }
    g_array_sort(t->routes, route_cmp);
    return t;
}

GPtrArray *eff_compute(const ArNet *net)
{
    GPtrArray *tables = g_ptr_array_new_with_free_func(eff_table_free);
    for (guint v = 0; v < net->scn->vnets->len; v++)
        g_ptr_array_add(tables, vnet_table(net, (int)v));
    return tables;
}

const ArEffRoute *eff_find(const ArEffTable *t, ArPrefix p)
{
    guint lo = 0, hi = t->routes->len;
    uint64_t k = pfx_key(p);
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        const ArEffRoute *r = &g_array_index(t->routes, ArEffRoute, mid);
        uint64_t mk = pfx_key(r->prefix);
        if (mk == k)
            return r;
        if (mk < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Each epoch keeps the effective routes it ended with; the last are the run's. */
static void snapshot_eff(ArNet *net, ArEpoch *ep)
{
    ep->eff = eff_compute(net);
}

ArRun *run_scenario(const ArScenario *scn, const ArSimConfig *cfg)
{
    return run_scenario_traced(scn, cfg, NULL, NULL);
}

ArRun *run_scenario_traced(const ArScenario *scn, const ArSimConfig *cfg, ArTraceFn trace, void *user)
{
    ArRun *run = g_new0(ArRun, 1);
    run->net = build_net(scn, cfg);
    run->net->sim->trace = trace;
    run->net->sim->trace_user = user;
    run->net->on_epoch_end = snapshot_eff;
    run->end = build_run(run->net);
    GArray *epochs = run->net->epochs;
    run->eff = g_array_index(epochs, ArEpoch, epochs->len - 1).eff; /* owned by the epoch */
    return run;
}

void run_free(ArRun *run)
{
    if (!run)
        return;
    build_net_free(run->net);
    g_free(run);
}
