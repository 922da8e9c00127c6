/* effective.c - effective routes of each VNet's VMs, derived from the converged RIBs (rule book
 * section 4 and 6). */
#include "arsim/results.h"

#include <stdlib.h>
#include <string.h>

/* A BGP route offered to a VNet's VMs by one injector, with its prefix. */
typedef struct Cand {
    uint64_t key;              /* prefix key (pfx_key) */
    const ArAsPath *path;      /* as learned by the injector */
    const ArSpeaker *via;      /* node the traffic goes to */
    uint32_t next_hop;         /* address VMs send to */
    ArRouteClass cls;          /* who injects it */
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
    case NH_VIRTUAL_APPLIANCE: return "VirtualAppliance";
    }
    return "?";
}

const char *eff_source_name(const ArEffRoute *r)
{
    return r->cls == CLASS_SYSTEM ? "Default" : r->cls == CLASS_USER ? "User" : "VirtualNetworkGateway";
}

char *eff_table_name(const ArScenario *scn, const ArEffTable *t)
{
    const ArVnet *vn = g_ptr_array_index(scn->vnets, t->vnet);
    if (t->subnet == AR_NO_INDEX)
        return g_strdup(vn->name);
    return g_strdup_printf("%s/%s", vn->name, ((const ArSubnet *)g_ptr_array_index(vn->subnets, t->subnet))->name);
}

/* The next-hop and via arrays of every route of one eff_compute, interned: routes with the same
 * next hops share one pair of arrays (read-only), so a route costs its ArEffRoute alone. The pool
 * lives as long as the tables of that computation. */
typedef struct EffPool {
    guint refs;             /* tables still alive */
    GPtrArray *shared;      /* ArEffShared* of the computation, by id, owned */
    GPtrArray *nh;          /* GArray* of uint32_t, owned */
    GPtrArray *via;         /* GPtrArray* of const ArSpeaker*, owned, same index as nh */
    GHashTable *index;      /* GBytes (next hops then via pointers) -> index + 1 */
    guint last;             /* index of the pair interned last (consecutive routes often share it) */
} EffPool;

/* An ArEffTable and the pool its routes point into. */
typedef struct EffTablePriv {
    ArEffTable pub;         /* what callers see */
    EffPool *pool;          /* shared arrays and tables, one reference per table */
    GArray *full;           /* every route, built by eff_table_routes on first use; NULL until then */
} EffTablePriv;

static void shared_free(gpointer p)
{
    ArEffShared *sh = p;
    g_array_free(sh->routes, TRUE);
    g_array_free(sh->members, TRUE);
    g_free(sh);
}

static EffPool *pool_new(void)
{
    EffPool *p = g_new0(EffPool, 1);
    p->nh = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    p->via = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    p->index = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    p->shared = g_ptr_array_new_with_free_func(shared_free);
    /* Index 0: the empty pair of system routes. */
    g_ptr_array_add(p->nh, g_array_new(FALSE, FALSE, sizeof(uint32_t)));
    g_ptr_array_add(p->via, g_ptr_array_new());
    return p;
}

static void pool_unref(EffPool *p)
{
    if (--p->refs)
        return;
    g_ptr_array_free(p->nh, TRUE);
    g_ptr_array_free(p->via, TRUE);
    g_hash_table_destroy(p->index);
    g_ptr_array_free(p->shared, TRUE);
    g_free(p);
}

/* The shared pair holding exactly these next hops and vias. O(n) plus one hash lookup when the
 * pair differs from the previous one. */
static guint pool_hops(EffPool *p, const GArray *nh, const GPtrArray *via)
{
    const GArray *ln = g_ptr_array_index(p->nh, p->last);
    const GPtrArray *lv = g_ptr_array_index(p->via, p->last);
    /* memcmp/memcpy with a NULL pointer are undefined even for 0 bytes: empty arrays may have one. */
    if (ln->len == nh->len && lv->len == via->len && (!nh->len || memcmp(ln->data, nh->data, nh->len * sizeof(uint32_t)) == 0) &&
        (!via->len || memcmp(lv->pdata, via->pdata, via->len * sizeof(gpointer)) == 0))
        return p->last;
    gsize nb = nh->len * sizeof(uint32_t), vb = via->len * sizeof(gpointer);
    guint8 *buf = g_malloc(nb + vb + 1);
    if (nb)
        memcpy(buf, nh->data, nb);
    if (vb)
        memcpy(buf + nb, via->pdata, vb);
    GBytes *key = g_bytes_new_take(buf, nb + vb);
    guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(p->index, key));
    if (idx) {
        g_bytes_unref(key);
        return p->last = idx - 1;
    }
    GArray *n2 = g_array_sized_new(FALSE, FALSE, sizeof(uint32_t), nh->len);
    g_array_append_vals(n2, nh->data, nh->len);
    GPtrArray *v2 = g_ptr_array_sized_new(via->len);
    for (guint i = 0; i < via->len; i++)
        g_ptr_array_add(v2, g_ptr_array_index(via, i));
    g_ptr_array_add(p->nh, n2);
    g_ptr_array_add(p->via, v2);
    g_hash_table_insert(p->index, key, GUINT_TO_POINTER(p->nh->len));
    return p->last = p->nh->len - 1;
}

static void eff_table_free(gpointer p)
{
    EffTablePriv *t = p;
    g_array_free(t->pub.own, TRUE);
    if (t->pub.hidden)
        g_array_free(t->pub.hidden, TRUE);
    if (t->full)
        g_array_free(t->full, TRUE);
    pool_unref(t->pool);
    g_free(t);
}

static ArEffRoute system_route(EffPool *pool, ArPrefix p, ArNextHopType type, int peer_vnet)
{
    return (ArEffRoute){ .prefix = p, .type = type, .cls = CLASS_SYSTEM, .peer_vnet = peer_vnet,
                         .next_hops = g_ptr_array_index(pool->nh, 0), .via = g_ptr_array_index(pool->via, 0) };
}

/* One table collect() reads: a Route Server instance (gw NULL: its NVA-learned paths) or a gateway
 * instance (its circuit or site routes). */
typedef struct CandSource {
    const ArSpeaker *sp;   /* the instance */
    const ArGateway *gw;   /* its gateway, NULL for a Route Server instance */
} CandSource;

/* The hub's injectors in collection order (Route Server instances, then gateway instances), its
 * routing preference, and its Route Server instances in rs_out (NULL, NULL without one): their
 * decision settles ties the preference leaves open (choose). Returns whether it has one. */
static bool cand_sources(const ArNet *net, int hub, GArray *src, ArHubPref *pref, const ArSpeaker *rs_out[2])
{
    rs_out[0] = rs_out[1] = NULL;
    const ArScenario *scn = net->scn;
    *pref = HUBPREF_EXPRESSROUTE; /* without a Route Server, ExpressRoute wins (coexistence default) */
    bool has_rs = false;
    for (guint r = 0; r < scn->route_servers->len; r++) {
        const ArRouteServer *rs = &net->rs_cfg[r]; /* the settings in force (events may change them) */
        if (rs->vnet != hub)
            continue;
        *pref = rs->hub_pref;
        has_rs = true;
        for (int k = 0; k < 2; k++) {
            rs_out[k] = net->rs[r][k];
            CandSource c = { net->rs[r][k], NULL };
            g_array_append_val(src, c);
        }
    }
    for (guint g = 0; g < scn->gateways->len; g++) {
        const ArGateway *gw = g_ptr_array_index(scn->gateways, g);
        if (gw->vnet != hub)
            continue;
        for (int k = 0; k < 2 && net->gw[g][k]; k++) {
            CandSource c = { net->gw[g][k], gw };
            g_array_append_val(src, c);
        }
    }
    return has_rs;
}

/* What source c offers for prefix key (net n, with a path), appended to cands: a Route Server
 * instance's NVA-learned paths, a gateway instance's circuit route (and the circuit's other edge
 * routers with an equal path) or site route. In path order. */
static void cand_net(const CandSource *c, bool has_rs, uint64_t key, const ArRibNet *n, GArray *cands)
{
    const ArSpeaker *sp = c->sp;
    if (!c->gw) {
        for (const ArRoute *rt = rib_first(n); rt; rt = rib_route_next(n, rt)) {
            ArSpeaker *src = bgp_route_source(sp, rt);
            if (src && src->kind == NODE_NVA) {
                Cand x = { key, rt_attrs(rt)->path, src, rt_attrs(rt)->next_hop, CLASS_NVA };
                g_array_append_val(cands, x);
            }
        }
        return;
    }
    const ArRoute *best = rib_best(n);
    if (!best)
        return;
    ArSpeaker *src = bgp_route_source(sp, best);
    Cand x = { key, rt_attrs(best)->path, sp, 0, CLASS_SYSTEM };
    /* Transit prevention: another hub's Route Server tagged it; this hub's Route Server drops it and
     * its VMs do not get it (FAQ). */
    if (has_rs && attr_comms_has(rt_attrs(best)->comms, COMM_ARS_TRANSIT))
        return;
    if (c->gw->type == GW_EXPRESSROUTE && src && src->kind == NODE_MSEE) {
        x.cls = CLASS_EXPRESSROUTE;
        x.next_hop = rt_attrs(best)->next_hop;
        g_array_append_val(cands, x);
        /* The circuit's other edge routers with an equal path (both links of a circuit, other
         * circuits): ECMP where no Route Server takes it away (choose). */
        for (const ArRoute *o = rib_first(n); o; o = rib_route_next(n, o)) {
            const ArSpeaker *os = o == best ? NULL : bgp_route_source(sp, o);
            if (os && os->kind == NODE_MSEE && rt_attrs(o)->weight == rt_attrs(best)->weight &&
                rt_attrs(o)->path->len == rt_attrs(best)->path->len &&
                (!has_rs || !attr_comms_has(rt_attrs(o)->comms, COMM_ARS_TRANSIT))) {
                Cand e = { key, rt_attrs(o)->path, sp, rt_attrs(o)->next_hop, CLASS_EXPRESSROUTE };
                g_array_append_val(cands, e);
            }
        }
    } else if (c->gw->type == GW_VPN && ((src && src->kind == NODE_SITE) || (!src && (best->flags & RT_STATIC)))) {
        x.cls = CLASS_VPN;
        x.next_hop = sp->ip;
        g_array_append_val(cands, x);
    }
}

/* Collects what the hub's injectors offer (cand_sources, cand_net), table by table. O(R). For one
 * prefix, candidates come in source order, then path order. */
static void collect(const GArray *src, bool has_rs, GArray *cands)
{
    for (guint i = 0; i < src->len; i++) {
        const CandSource *c = &g_array_index(src, CandSource, i);
        ArRibIter it;
        uint64_t key;
        ArRibNet *n;
        rib_iter_init(&it, &c->sp->rib);
        while (rib_iter_next(&it, &key, &n))
            cand_net(c, has_rs, key, n, cands);
    }
}

/* At most as many candidates as collect() finds in the sources' tables: every path (each path
 * gives one candidate at most). Reserving that much up front spares the candidate array its growth
 * by doubling (copies and page faults): untouched room costs no memory. O(sources). */
static guint collect_bound(const GArray *src)
{
    uint64_t n = 0;
    for (guint i = 0; i < src->len; i++)
        n += g_array_index(src, CandSource, i).sp->rib.routes;
    return (guint)MIN(n, (uint64_t)G_MAXUINT / 2);
}

/* Most sorted runs merged instead of radix-sorted (cand_sort). */
#define EFF_MERGE_RUNS 16u

/* Stable merge of the sorted runs of a (runs: each run's start, then n), pairwise, a pass per
 * doubling: O(n log runs). */
static void cand_merge_runs(Cand *a, guint n, GArray *runs)
{
    g_autofree Cand *tmp = g_new(Cand, n);
    Cand *src = a, *dst = tmp;
    while (runs->len > 2) {
        const guint *r = (const guint *)(const void *)runs->data;
        guint nr = runs->len - 1, w = 0;
        for (guint k = 0; k < nr; k += 2) {
            guint lo = r[k], mid = k + 1 < nr ? r[k + 1] : r[nr], hi = k + 1 < nr ? r[k + 2] : r[nr];
            guint i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                dst[o++] = src[j].key < src[i].key ? src[j++] : src[i++]; /* ties: the earlier run */
            while (i < mid)
                dst[o++] = src[i++];
            while (j < hi)
                dst[o++] = src[j++];
            g_array_index(runs, guint, w++) = lo;
        }
        g_array_index(runs, guint, w++) = n;
        g_array_set_size(runs, w);
        Cand *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(Cand));
}

/* Stable sort of candidates by prefix key: a few sorted runs merged, else pfx_sort_by_key (radix on
 * the key's 40 bits, insertion below 256 entries). O(n). Equal keys keep their collection order. */
static void cand_sort(GArray *cands)
{
    Cand *a = (Cand *)(void *)cands->data;
    guint n = cands->len;
    /* The candidates come table by table, each in prefix order when the run's ids are (rib.h):
     * a few sorted runs merge in one or two passes, cheaper than the radix sort's three. */
    g_autoptr(GArray) runs = g_array_new(FALSE, FALSE, sizeof(guint)); /* start of each run, then n */
    for (guint i = 0; i < n && runs->len <= EFF_MERGE_RUNS; i++)
        if (i == 0 || a[i].key < a[i - 1].key)
            g_array_append_val(runs, i);
    if (runs->len <= 1)
        return;
    if (runs->len <= EFF_MERGE_RUNS) {
        g_array_append_val(runs, n);
        cand_merge_runs(a, n, runs);
        return;
    }
    G_STATIC_ASSERT(offsetof(Cand, key) == 0); /* pfx_sort_by_key reads the key first */
    pfx_sort_by_key(a, n, sizeof(Cand));
}

/* Rank of a class under the preference: lower wins; equal ranks compete on AS-path length (HRP).
 * The Route Server's ranking (azure_hub_rank), so VMs and the Route Server agree. */
static int class_rank(ArHubPref pref, ArRouteClass c)
{
    return azure_hub_rank(pref, c == CLASS_EXPRESSROUTE);
}

static int ip_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* TRUE when the hub's Route Server, for prefix key, selected the ExpressRoute gateway's path: its
 * decision process (weight, preference, AS path, then RFC 4271 9.1.2.2's tie breakers, HRP) is the
 * one answer for what the preference leaves tied. The first instance holding a best path speaks
 * (both hold the same inputs); O(1). */
static bool rs_prefers_er(const ArSpeaker *const rs[2], uint64_t key)
{
    for (int k = 0; k < 2; k++) {
        const ArRibNet *n = rs[k] ? rib_find(&rs[k]->rib, key) : NULL;
        if (n && rib_best(n)) {
            const ArSpeaker *src = bgp_route_source(rs[k], rib_best(n));
            return src && src->kind == NODE_ER_GATEWAY;
        }
    }
    return true; /* no Route Server decision: ExpressRoute wins, as in coexistence without one */
}

/* Picks the winning candidates c[0 .. n) for one prefix into r: best class rank, then shortest AS
 * path; NVA and VPN paths that tie are ECMP (FAQ); an ExpressRoute winner is alone once a Route
 * Server is deployed (TS: one ExpressRoute path; the gateway's best, the first candidate), and
 * without one every equal path of the circuits' edge routers is ECMP (both links of a circuit). When ExpressRoute ties with VPN or NVA paths
 * (only under ASPath), the Route Server's own best decides, so what VMs get is what it advertises
 * (rs_prefers_er). Every next hop is named: via[k] is a node reached at next_hops[k]. nh and via
 * are scratch arrays. O(n^2) in the candidates of one prefix (a handful). */
static void choose(const Cand *c, guint n, ArHubPref pref, const ArSpeaker *const rs[2], EffPool *pool, GArray *nh,
                   GPtrArray *via, ArEffRoute *r)
{
    int best_rank = G_MAXINT;
    uint32_t best_len = G_MAXUINT32;
    bool er_tied = false, other_tied = false;
    for (guint i = 0; i < n; i++) {
        int rank = class_rank(pref, c[i].cls);
        if (rank < best_rank || (rank == best_rank && c[i].path->len < best_len)) {
            best_rank = rank;
            best_len = c[i].path->len;
            er_tied = other_tied = false;
        }
        if (rank == best_rank && c[i].path->len == best_len) {
            if (c[i].cls == CLASS_EXPRESSROUTE)
                er_tied = true;
            else
                other_tied = true;
        }
    }
    bool er_wins = er_tied && (!other_tied || rs_prefers_er(rs, c[0].key));
    const Cand *first = NULL;
    g_array_set_size(nh, 0);
    g_ptr_array_set_size(via, 0);
    for (guint i = 0; i < n; i++) {
        if (class_rank(pref, c[i].cls) != best_rank || c[i].path->len != best_len)
            continue;
        if (er_wins != (c[i].cls == CLASS_EXPRESSROUTE))
            continue;
        if (!first)
            first = &c[i];
        if (er_wins && rs[0] && &c[i] != first)
            break;
        bool dup = false;
        for (guint k = 0; k < nh->len; k++)
            dup |= g_array_index(nh, uint32_t, k) == c[i].next_hop;
        if (!dup)
            g_array_append_val(nh, c[i].next_hop);
    }
    g_assert(first);
    r->cls = first->cls;
    r->path = first->path;
    /* ECMP next hops in address order; via follows the same order, naming the node behind each hop
     * whatever its class (an NVA and a VPN gateway's instances share one ECMP route). */
    if (nh->len > 1)
        g_array_sort(nh, (GCompareFunc)ip_cmp);
    for (guint k = 0; k < nh->len; k++) {
        uint32_t hop = g_array_index(nh, uint32_t, k);
        for (guint i = 0; i < n; i++) {
            if (c[i].next_hop == hop && class_rank(pref, c[i].cls) == best_rank && c[i].path->len == best_len &&
                er_wins == (c[i].cls == CLASS_EXPRESSROUTE)) {
                g_ptr_array_add(via, (gpointer)c[i].via);
                break;
            }
        }
    }
    g_assert(via->len == nh->len);
    guint idx = pool_hops(pool, nh, via);
    r->next_hops = g_ptr_array_index(pool->nh, idx);
    r->via = g_ptr_array_index(pool->via, idx);
}

/* The BGP routes a hub's injectors give its VNets: ArEffRoute (NH_GATEWAY), ascending by prefix,
 * one per prefix. O(R) for R candidates. */
static GArray *hub_routes(const ArNet *net, int hub, EffPool *pool)
{
    g_autoptr(GArray) src = g_array_new(FALSE, FALSE, sizeof(CandSource));
    ArHubPref pref;
    const ArSpeaker *rs[2];
    bool has_rs = cand_sources(net, hub, src, &pref, rs);
    g_autoptr(GArray) nh = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_autoptr(GPtrArray) via = g_ptr_array_new();
    const ArPfxTable *pfx = &net->sim->pfx;
    if (pfx->ordered) {
        /* Prefix ids in prefix order: every source's table walked in step, id by id, each
         * prefix's candidates chosen from at once: no candidate array, no sort. Pages of ids no
         * source holds are skipped. O(ids of touched pages x sources). */
        GArray *out = g_array_new(FALSE, FALSE, sizeof(ArEffRoute));
        g_autoptr(GArray) cur = g_array_new(FALSE, FALSE, sizeof(Cand));
        guint ids = pfxtab_size(pfx);
        /* Each source's nets of the current page (NULL: it holds none there), looked up once a page. */
        g_autofree const ArRibNet **pnets = g_new(const ArRibNet *, MAX(src->len, 1));
        for (guint page = 0; page << RIB_PAGE_BITS < ids; page++) {
            bool any = false;
            for (guint k = 0; k < src->len; k++) {
                pnets[k] = rib_net(&g_array_index(src, CandSource, k).sp->rib, page << RIB_PAGE_BITS);
                any |= pnets[k] != NULL;
            }
            if (!any)
                continue;
            guint end = MIN(ids, (page + 1) << RIB_PAGE_BITS);
            for (guint id = page << RIB_PAGE_BITS; id < end; id++) {
                g_array_set_size(cur, 0);
                uint64_t key = pfxtab_key(pfx, id);
                for (guint k = 0; k < src->len; k++) {
                    const ArRibNet *n = pnets[k] ? pnets[k] + (id & (RIB_PAGE_IDS - 1)) : NULL;
                    if (n && rib_first(n))
                        cand_net(&g_array_index(src, CandSource, k), has_rs, key, n, cur);
                }
                if (!cur->len)
                    continue;
                ArEffRoute r = { .prefix = pfx_from_key(key), .type = NH_GATEWAY, .peer_vnet = AR_NO_INDEX };
                choose((const Cand *)(const void *)cur->data, cur->len, pref, rs, pool, nh, via, &r);
                g_array_append_val(out, r);
            }
        }
        return out;
    }
    g_autoptr(GArray) cands = g_array_sized_new(FALSE, FALSE, sizeof(Cand), collect_bound(src));
    collect(src, has_rs, cands);
    cand_sort(cands);
    const Cand *c = (const Cand *)(const void *)cands->data;
    guint distinct = 0;
    for (guint i = 0; i < cands->len; i++)
        distinct += i == 0 || c[i].key != c[i - 1].key;
    GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(ArEffRoute), distinct);
    for (guint i = 0, j; i < cands->len; i = j) {
        for (j = i + 1; j < cands->len && c[j].key == c[i].key; j++)
            ;
        ArEffRoute r = { .prefix = pfx_from_key(c[i].key), .type = NH_GATEWAY, .peer_vnet = AR_NO_INDEX };
        choose(c + i, j - i, pref, rs, pool, nh, via, &r);
        g_array_append_val(out, r);
    }
    return out;
}

/* Index of the first route of rs (ascending keys) whose key is >= key. O(log n). */
guint eff_lower_bound(const GArray *rs, uint64_t key)
{
    guint lo = 0, hi = rs->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (pfx_key(g_array_index(rs, ArEffRoute, mid).prefix) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static gint route_cmp(gconstpointer a, gconstpointer b)
{
    const ArEffRoute *x = a, *y = b;
    int c = pfx_cmp(&x->prefix, &y->prefix);
    return c ? c : (int)x->type - (int)y->type;
}

static gint uint_cmp(gconstpointer a, gconstpointer b)
{
    guint x = *(const guint *)a, y = *(const guint *)b;
    return (x > y) - (x < y);
}

/* A new table of the computation using pool, for VNet v (subnet: AR_NO_INDEX for the VNet's). */
static EffTablePriv *table_new(EffPool *pool, int v, int subnet, int hub)
{
    EffTablePriv *priv = g_new0(EffTablePriv, 1);
    priv->pool = pool;
    pool->refs++;
    priv->pub.vnet = v;
    priv->pub.subnet = subnet;
    priv->pub.hub = hub;
    return priv;
}

/* The routes every VNet served by hub shares (hub AR_NO_INDEX: VNets without one): the hub's BGP
 * routes, and Azure's defaults for the prefixes no BGP route has. bgp: the hub's routes, NULL
 * without a hub. O(B) for B BGP routes. */
static ArEffShared *shared_new(EffPool *pool, int hub, const GArray *bgp)
{
    ArEffShared *sh = g_new0(ArEffShared, 1);
    sh->id = (int)pool->shared->len;
    sh->hub = hub;
    sh->members = g_array_new(FALSE, FALSE, sizeof(int));
    guint nb = bgp ? bgp->len : 0;
    g_autoptr(GArray) defs = g_array_new(FALSE, FALSE, sizeof(ArEffRoute));
    for (guint i = 0; i < G_N_ELEMENTS(default_routes); i++) {
        ArPrefix p = { default_routes[i].addr, default_routes[i].len };
        guint at = nb ? eff_lower_bound(bgp, pfx_key(p)) : 0;
        if (at < nb && pfx_key(g_array_index(bgp, ArEffRoute, at).prefix) == pfx_key(p))
            continue; /* a BGP route for it: the default comes back only where that route is shadowed */
        ArEffRoute r = system_route(pool, p, default_routes[i].type, AR_NO_INDEX);
        g_array_append_val(defs, r);
    }
    g_array_sort(defs, route_cmp);
    /* Merge the defaults (a handful) into the BGP routes: runs of BGP routes are copied whole. */
    sh->routes = g_array_sized_new(FALSE, FALSE, sizeof(ArEffRoute), nb + defs->len);
    guint i = 0;
    for (guint d = 0; d <= defs->len; d++) {
        const ArEffRoute *y = d < defs->len ? &g_array_index(defs, ArEffRoute, d) : NULL;
        guint upto = nb;
        if (y && nb) {
            upto = eff_lower_bound(bgp, pfx_key(y->prefix));
            while (upto < nb && route_cmp(&g_array_index(bgp, ArEffRoute, upto), y) < 0)
                upto++;
        }
        if (upto > i)
            g_array_append_vals(sh->routes, &g_array_index(bgp, ArEffRoute, i), upto - i);
        i = MAX(i, upto);
        if (y)
            g_array_append_vals(sh->routes, y, 1);
    }
    g_ptr_array_add(pool->shared, sh);
    return sh;
}

/* Effective routes of VNet v as a layer over its class's shared table sh: its own system routes
 * (its space, its peered VNets' spaces), the shared BGP routes those spaces shadow (hidden), and
 * the Azure default a hidden BGP route had replaced. peers: VNets peered with v, ascending.
 * O(S log B) for S system routes over B shared routes, plus the shadowed routes. */
static ArEffTable *vnet_table(const ArNet *net, int v, const GArray *peers, ArEffShared *sh, EffPool *pool)
{
    const ArScenario *scn = net->scn;
    EffTablePriv *priv = table_new(pool, v, AR_NO_INDEX, scn_hub_of(scn, v));
    ArEffTable *t = &priv->pub;
    t->shared = sh;
    g_array_append_val(sh->members, v);
    const GArray *bgp = sh->routes;

    /* System routes: the VNet and its peerings win over any BGP route inside them (FAQ). */
    GArray *sys = g_array_new(FALSE, FALSE, sizeof(ArEffRoute));
    const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
    for (guint i = 0; i < vn->prefixes->len; i++) {
        ArEffRoute r = system_route(pool, g_array_index(vn->prefixes, ArPrefix, i), NH_VNET_LOCAL, AR_NO_INDEX);
        g_array_append_val(sys, r);
    }
    for (guint k = 0; k < peers->len; k++) {
        int u = g_array_index(peers, int, k);
        const ArVnet *un = g_ptr_array_index(scn->vnets, u);
        for (guint i = 0; i < un->prefixes->len; i++) {
            ArEffRoute r = system_route(pool, g_array_index(un->prefixes, ArPrefix, i), NH_VNET_PEERING, u);
            g_array_append_val(sys, r);
        }
    }

    /* BGP routes inside a system prefix are shadowed: per system prefix, the shared routes whose
     * address lies in it are found by binary search (they are contiguous), and the BGP ones at
     * least as long are hidden (the shared defaults are not BGP routes and stay). */
    t->hidden = g_array_new(FALSE, FALSE, sizeof(guint));
    guint nb = bgp->len;
    for (guint s = 0; s < sys->len; s++) {
        ArPrefix sp = g_array_index(sys, ArEffRoute, s).prefix;
        uint64_t end = (uint64_t)sp.addr + (sp.len ? (1ull << (32 - sp.len)) : (1ull << 32));
        for (guint i = eff_lower_bound(bgp, (uint64_t)sp.addr << 8), hi = eff_lower_bound(bgp, end << 8); i < hi; i++) {
            const ArEffRoute *b = &g_array_index(bgp, ArEffRoute, i);
            if (b->cls != CLASS_SYSTEM && b->prefix.len >= sp.len)
                g_array_append_val(t->hidden, i);
        }
    }
    g_array_sort(t->hidden, uint_cmp);
    guint n = 0; /* two system prefixes may shadow the same route: keep it once */
    for (guint k = 0; k < t->hidden->len; k++)
        if (n == 0 || g_array_index(t->hidden, guint, n - 1) != g_array_index(t->hidden, guint, k))
            g_array_index(t->hidden, guint, n++) = g_array_index(t->hidden, guint, k);
    g_array_set_size(t->hidden, n);

    /* Azure's default for a prefix whose BGP route is hidden applies again. */
    for (guint i = 0; i < G_N_ELEMENTS(default_routes); i++) {
        ArPrefix p = { default_routes[i].addr, default_routes[i].len };
        guint at = eff_lower_bound(bgp, pfx_key(p));
        if (at >= nb || pfx_key(g_array_index(bgp, ArEffRoute, at).prefix) != pfx_key(p) ||
            g_array_index(bgp, ArEffRoute, at).cls == CLASS_SYSTEM)
            continue; /* the shared table has the default itself */
        bool hidden = false;
        for (guint k = 0; k < t->hidden->len && !hidden; k++)
            hidden = g_array_index(t->hidden, guint, k) == at;
        if (hidden) {
            ArEffRoute r = system_route(pool, p, default_routes[i].type, AR_NO_INDEX);
            g_array_append_val(sys, r);
        }
    }
    g_array_sort(sys, route_cmp); /* stable: equal routes keep the order above */
    t->own = sys;
    t->len = bgp->len - t->hidden->len + sys->len;
    return t;
}

/* Effective routes of a subnet with a route table, from its VNet's (vt): without the gateway and
 * Route Server routes when BGP propagation is disabled (INJ), then each user-defined route
 * replacing any route for the same prefix (user routes win over system and BGP routes for an
 * equal prefix; the longest prefix still matches first). A standalone table. O(R + U log R). */
static ArEffTable *subnet_table(const ArEffTable *vt, int sn_index, const ArSubnet *sn, EffPool *pool)
{
    EffTablePriv *priv = table_new(pool, vt->vnet, sn_index, vt->hub);
    ArEffTable *t = &priv->pub;
    g_autoptr(GHashTable) user = g_hash_table_new(rib_key_hash, g_direct_equal);
    for (guint i = 0; i < sn->routes->len; i++)
        g_hash_table_add(user, rib_key_ptr(pfx_key(g_array_index(sn->routes, ArUdr, i).prefix)));
    t->own = g_array_sized_new(FALSE, FALSE, sizeof(ArEffRoute), vt->len + sn->routes->len);
    ArEffIter it;
    eff_iter_init(&it, vt);
    for (const ArEffRoute *r; (r = eff_iter_next(&it));) {
        if (g_hash_table_contains(user, rib_key_ptr(pfx_key(r->prefix))))
            continue;
        if (sn->disable_bgp && r->cls != CLASS_SYSTEM) {
            /* The VNet's table dropped Azure's default for this prefix in favour of the BGP
             * route; without the BGP route the default applies again (0.0.0.0/0 -> Internet). */
            for (guint d = 0; d < G_N_ELEMENTS(default_routes); d++)
                if (r->prefix.addr == default_routes[d].addr && r->prefix.len == default_routes[d].len) {
                    ArEffRoute def = system_route(pool, r->prefix, default_routes[d].type, AR_NO_INDEX);
                    g_array_append_val(t->own, def);
                }
            continue;
        }
        g_array_append_vals(t->own, r, 1);
    }
    static const ArNextHopType types[] = { [UDR_VIRTUAL_APPLIANCE] = NH_VIRTUAL_APPLIANCE, [UDR_GATEWAY] = NH_GATEWAY,
                                           [UDR_VNET_LOCAL] = NH_VNET_LOCAL, [UDR_INTERNET] = NH_INTERNET,
                                           [UDR_NONE] = NH_NONE };
    g_autoptr(GArray) nh = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_autoptr(GPtrArray) via = g_ptr_array_new();
    for (guint i = 0; i < sn->routes->len; i++) {
        const ArUdr *u = &g_array_index(sn->routes, ArUdr, i);
        g_array_set_size(nh, 0);
        if (u->type == UDR_VIRTUAL_APPLIANCE)
            g_array_append_val(nh, u->ip);
        guint h = pool_hops(pool, nh, via);
        ArEffRoute r = { .prefix = u->prefix, .type = types[u->type], .cls = CLASS_USER, .peer_vnet = AR_NO_INDEX,
                         .next_hops = g_ptr_array_index(pool->nh, h), .via = g_ptr_array_index(pool->via, h) };
        g_array_append_val(t->own, r);
    }
    g_array_sort(t->own, route_cmp);
    t->len = t->own->len;
    return t;
}

GPtrArray *eff_compute(const ArNet *net)
{
    const ArScenario *scn = net->scn;
    guint nv = scn->vnets->len;
    EffPool *pool = pool_new();
    pool->refs = 1; /* held by this function until the tables hold it */
    /* VNets peered with each VNet (either side may list the pairing), ascending. O(V + P). */
    GArray **peers = g_new0(GArray *, nv);
    for (guint v = 0; v < nv; v++)
        peers[v] = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint v = 0; v < nv; v++) {
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        for (guint k = 0; k < vn->peerings->len; k++) {
            int u = g_array_index(vn->peerings, ArPeering, k).remote;
            if (u == (int)v)
                continue;
            g_array_append_val(peers[v], u);
            int vi = (int)v;
            g_array_append_val(peers[u], vi);
        }
    }
    for (guint v = 0; v < nv; v++) {
        g_array_sort(peers[v], (GCompareFunc)ip_cmp); /* ints >= 0: same order as unsigned */
        guint n = 0;
        for (guint k = 0; k < peers[v]->len; k++)
            if (n == 0 || g_array_index(peers[v], int, n - 1) != g_array_index(peers[v], int, k))
                g_array_index(peers[v], int, n++) = g_array_index(peers[v], int, k);
        g_array_set_size(peers[v], n);
    }
    /* One shared table per class: per hub (its routes computed once for all the VNets it serves),
     * and one for the VNets without a hub (slot nv). */
    ArEffShared **cls = g_new0(ArEffShared *, nv + 1);
    GPtrArray *tables = g_ptr_array_new_with_free_func(eff_table_free);
    for (guint v = 0; v < nv; v++) {
        int h = scn_hub_of(scn, (int)v);
        guint slot = h != AR_NO_INDEX ? (guint)h : nv;
        if (!cls[slot]) {
            g_autoptr(GArray) bgp = h != AR_NO_INDEX ? hub_routes(net, h, pool) : NULL;
            cls[slot] = shared_new(pool, h, bgp);
        }
        g_ptr_array_add(tables, vnet_table(net, (int)v, peers[v], cls[slot], pool));
    }
    /* Subnets with a route table, after all the VNets (so index v is still VNet v). */
    for (guint v = 0; v < nv; v++) {
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        for (guint k = 0; k < vn->subnets->len; k++) {
            const ArSubnet *sn = g_ptr_array_index(vn->subnets, k);
            if (sn->has_route_table)
                g_ptr_array_add(tables, subnet_table(g_ptr_array_index(tables, v), (int)k, sn, pool));
        }
    }
    for (guint v = 0; v < nv; v++)
        g_array_free(peers[v], TRUE);
    g_free(peers);
    g_free(cls);
    pool_unref(pool);
    return tables;
}

GPtrArray *eff_shared_list(const GPtrArray *tables)
{
    GPtrArray *out = g_ptr_array_new();
    if (tables->len == 0)
        return out;
    const GPtrArray *all = ((const EffTablePriv *)g_ptr_array_index(tables, 0))->pool->shared;
    for (guint i = 0; i < all->len; i++)
        g_ptr_array_add(out, g_ptr_array_index(all, i));
    return out;
}

void eff_iter_init(ArEffIter *it, const ArEffTable *t)
{
    *it = (ArEffIter){ .t = t };
}

const ArEffRoute *eff_iter_next(ArEffIter *it)
{
    const ArEffTable *t = it->t;
    const GArray *sr = t->shared ? t->shared->routes : NULL;
    /* Skip the hidden shared routes (both lists ascending). */
    while (sr && it->h < t->hidden->len && it->s < sr->len && g_array_index(t->hidden, guint, it->h) == it->s) {
        it->s++;
        it->h++;
    }
    const ArEffRoute *s = sr && it->s < sr->len ? &g_array_index(sr, ArEffRoute, it->s) : NULL;
    const ArEffRoute *o = it->o < t->own->len ? &g_array_index(t->own, ArEffRoute, it->o) : NULL;
    if (o && (!s || route_cmp(o, s) <= 0)) {
        it->o++;
        return o;
    }
    if (s)
        it->s++;
    return s;
}

const GArray *eff_table_routes(const ArEffTable *t)
{
    EffTablePriv *priv = (EffTablePriv *)(void *)t; /* pub is the first member; the cache is not part of the value */
    if (!t->shared)
        return t->own;
    if (!priv->full) {
        priv->full = g_array_sized_new(FALSE, FALSE, sizeof(ArEffRoute), t->len);
        ArEffIter it;
        eff_iter_init(&it, t);
        for (const ArEffRoute *r; (r = eff_iter_next(&it));)
            g_array_append_vals(priv->full, r, 1);
        g_assert(priv->full->len == t->len);
    }
    return priv->full;
}

/* First route of rs (ascending) whose prefix is exactly p and, with hidden, whose index is not
 * hidden; NULL if none. O(log n + k) for k routes of that prefix. */
static const ArEffRoute *find_in(const GArray *rs, const GArray *hidden, ArPrefix p)
{
    uint64_t k = pfx_key(p);
    for (guint i = eff_lower_bound(rs, k); i < rs->len && pfx_key(g_array_index(rs, ArEffRoute, i).prefix) == k; i++) {
        bool gone = false;
        if (hidden) {
            guint lo = 0, hi = hidden->len;
            while (lo < hi) {
                guint mid = lo + (hi - lo) / 2;
                if (g_array_index(hidden, guint, mid) < i)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            gone = lo < hidden->len && g_array_index(hidden, guint, lo) == i;
        }
        if (!gone)
            return &g_array_index(rs, ArEffRoute, i);
    }
    return NULL;
}

const ArEffRoute *eff_find(const ArEffTable *t, ArPrefix p)
{
    const ArEffRoute *o = find_in(t->own, NULL, p);
    const ArEffRoute *s = t->shared ? find_in(t->shared->routes, t->hidden, p) : NULL;
    if (o && s)
        return route_cmp(o, s) <= 0 ? o : s; /* the first in table order */
    return o ? o : s;
}

const ArEffRoute *eff_match(const ArEffTable *t, ArPrefix p)
{
    for (int len = p.len; len >= 0; len--) {
        const ArEffRoute *r = eff_find(t, (ArPrefix){ p.addr & pfx_mask((uint8_t)len), (uint8_t)len });
        if (r)
            return r;
    }
    return NULL;
}
