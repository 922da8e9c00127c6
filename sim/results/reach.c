/* reach.c - data-plane walks: longest-prefix match hop by hop over speakers' best routes and VNets'
 * effective routes; traces, verdicts and the reachability matrix. */
#include "arsim/reach.h"

#include <string.h>

struct ArReach {
    const ArRun *run;           /* the converged run (borrowed) */
    GHashTable *sp_fib;         /* const ArSpeaker* -> ArFib* of its best routes (values: ArRoute*),
                                 * built on the first lookup of a speaker holding at most
                                 * REACH_FIB_MAX prefixes (larger ones are probed, reach_probe) */
    uint64_t pfx_lens;          /* bit L set: some prefix of the run (net->sim->pfx) has length L */
    ArFib **vnet_fib;           /* per effective-route table (VNets, then subnets with a route table):
                                 * ArFib of its own routes (all of them for a standalone table;
                                 * values: ArEffRoute*) */
    GHashTable *shared_fib;     /* const ArEffShared* -> ArFib* of its routes, one per class of VNets,
                                 * built on first use when it holds at most REACH_FIB_MAX routes */
    GHashTable *shared_lens;    /* const ArEffShared* -> prefix lengths of its routes (bit L, + 1 so
                                 * that the value is never 0), for the larger ones, on first use */
    ArFib **full_fib;           /* per table: every route, built only when a lookup in the shared
                                 * FIB lands on a route this table hides (NULL until then) */
    guint ntables;              /* number of tables: run->eff->len */
    char **table_name;          /* per table: "VNET" or "VNET/SUBNET" */
    ArFib *vnet_space;          /* every VNet's addressPrefixes -> VNet index + 1 */
    ArFib *site_space;          /* every site's addressPrefixes -> site index + 1, built on first use
                                 * (static VPN routes only: an ExpressRoute site may list 1M prefixes) */
    GHashTable *ip_owner;       /* next hop address -> speaker owning it (NVA ip / nextHopIp, gateway ip) */
    GHashTable *rs_ip;          /* Route Server instance address -> its speaker */
    GArray *endpoints;          /* ArReachEndpoint: VNets in scenario order, then sites */
};

/* ---- building ------------------------------------------------------------------------------ */

static void reach_endpoint_clear(gpointer p) { g_free(((ArReachEndpoint *)p)->name); }

/* First prefix's network address + 4 (the first address Azure hands to a VM); the network address
 * itself for prefixes too small to hold it. */
static uint32_t reach_rep_addr(const GArray *prefixes)
{
    ArPrefix p = g_array_index(prefixes, ArPrefix, 0);
    return p.len <= 29 ? p.addr + 4u : p.addr;
}

/* Inserted in address order: consecutive inserts walk the same upper nodes, which stay in cache
 * (in the RIB's hash order, a 1M-route table missed on nearly every node). O(n log n + 32 n). */
static ArFib *reach_speaker_fib(const ArSpeaker *sp)
{
    ArFib *f = fib_new(NULL);
    g_autoptr(GArray) ids = rib_sorted_ids(&sp->rib); /* by id: no hash per route */
    for (guint i = 0; i < ids->len; i++) {
        uint32_t id = g_array_index(ids, uint32_t, i);
        const ArRibNet *n = rib_net(&sp->rib, id);
        if (n && rib_best(n))
            fib_insert(f, pfx_from_key(pfxtab_key(sp->rib.pfx, id)), rib_best(n));
    }
    return f;
}

/* A FIB of table t's routes: all of them (full), or only its own layer. A prefix listed twice:
 * the first entry wins, as in the table's order. O(R x 32). */
static ArFib *reach_table_fib(const ArEffTable *t, bool full)
{
    ArFib *f = fib_new(NULL);
    if (full) {
        ArEffIter it;
        eff_iter_init(&it, t);
        for (const ArEffRoute *e; (e = eff_iter_next(&it));)
            fib_insert_new(f, e->prefix, (gpointer)e);
    } else {
        for (guint k = 0; k < t->own->len; k++)
            fib_insert_new(f, g_array_index(t->own, ArEffRoute, k).prefix, &g_array_index(t->own, ArEffRoute, k));
    }
    return f;
}

/* Past this many prefixes a table is not copied into a FIB: a walk looks its destination up by
 * exact match, one probe per prefix length present (reach_probe). A FIB costs O(n) time and
 * memory to build and pays off over many lookups (the reachability matrix of hundreds of VNets);
 * a trace or a matrix of a few endpoints over 1M-route tables does a handful of lookups. */
#define REACH_FIB_MAX 65536u

/* The longest match for dst among the prefix lengths in lens (bit L: length L), longest first:
 * found(ctx, prefix) answers for one exact prefix. O(lengths present) exact lookups. */
static gconstpointer reach_probe(uint64_t lens, uint32_t dst, gconstpointer (*found)(gconstpointer, ArPrefix),
                                 gconstpointer ctx, ArPrefix *matched)
{
    for (int len = 32; len >= 0; len--) {
        if (!(lens >> len & 1u))
            continue;
        ArPrefix p = { dst & pfx_mask((uint8_t)len), (uint8_t)len };
        gconstpointer v = found(ctx, p);
        if (v) {
            if (matched)
                *matched = p;
            return v;
        }
    }
    return NULL;
}

/* A speaker's best route for exactly p, NULL if none. O(1). */
static gconstpointer reach_sp_exact(gconstpointer sp, ArPrefix p)
{
    const ArRibNet *n = rib_find(&((const ArSpeaker *)sp)->rib, pfx_key(p));
    return n ? rib_best(n) : NULL;
}

/* The speaker's best route for the longest prefix holding dst, NULL if none; *matched gets that
 * prefix. A small table is looked up in a FIB built on its first use; a large one is probed. The
 * ArReach is a cache of forwarding state: filling it does not change what any walk answers. */
static const ArRoute *reach_sp_lookup(const ArReach *r, const ArSpeaker *sp, uint32_t dst, ArPrefix *matched)
{
    if (rib_size(&sp->rib) > REACH_FIB_MAX)
        return reach_probe(r->pfx_lens, dst, reach_sp_exact, sp, matched);
    ArFib *f = g_hash_table_lookup(r->sp_fib, sp);
    if (!f) {
        f = reach_speaker_fib(sp);
        g_hash_table_insert(((ArReach *)r)->sp_fib, (gpointer)sp, f);
    }
    return fib_lookup(f, dst, matched);
}

/* The first route of a shared table (ascending) whose prefix is exactly p, hidden or not (what
 * its FIB would hold), NULL if none. O(log n). */
static gconstpointer reach_shared_exact(gconstpointer shared, ArPrefix p)
{
    const GArray *rs = ((const ArEffShared *)shared)->routes;
    uint64_t k = pfx_key(p);
    guint lo = eff_lower_bound(rs, k);
    return lo < rs->len && pfx_key(g_array_index(rs, ArEffRoute, lo).prefix) == k ? &g_array_index(rs, ArEffRoute, lo)
                                                                                  : NULL;
}

/* Longest match for dst in a class's shared routes (the first route of that prefix, as a FIB
 * filled in table order keeps): a FIB for a small table, probes of a large one. */
static const ArEffRoute *reach_shared_lookup(const ArReach *r, const ArEffShared *sh, uint32_t dst, ArPrefix *matched)
{
    if (sh->routes->len > REACH_FIB_MAX) {
        guint64 *lens = g_hash_table_lookup(r->shared_lens, sh);
        if (!lens) {
            lens = g_new0(guint64, 1);
            for (guint k = 0; k < sh->routes->len; k++)
                *lens |= (guint64)1 << g_array_index(sh->routes, ArEffRoute, k).prefix.len;
            g_hash_table_insert(r->shared_lens, (gpointer)sh, lens);
        }
        return reach_probe(*lens, dst, reach_shared_exact, sh, matched);
    }
    ArFib *sf = g_hash_table_lookup(r->shared_fib, sh);
    if (!sf) {
        sf = fib_new(NULL);
        for (guint k = 0; k < sh->routes->len; k++)
            fib_insert_new(sf, g_array_index(sh->routes, ArEffRoute, k).prefix, &g_array_index(sh->routes, ArEffRoute, k));
        g_hash_table_insert(r->shared_fib, (gpointer)sh, sf);
    }
    return fib_lookup(sf, dst, matched);
}

static gint reach_uint_cmp(gconstpointer a, gconstpointer b)
{
    guint x = *(const guint *)a, y = *(const guint *)b;
    return (x > y) - (x < y);
}

/* Longest match for dst in table i: the longer of its own layer's and its class's shared match
 * (its own on a tie, as the table lists its own route first). When the shared match is a route
 * this table hides, the table's full FIB answers (built once, only then). O(32). */
static const ArEffRoute *reach_eff_lookup(const ArReach *r, guint i, uint32_t dst, ArPrefix *matched)
{
    const ArEffTable *t = g_ptr_array_index(r->run->eff, i);
    if (!t->shared)
        return fib_lookup(r->vnet_fib[i], dst, matched);
    if (r->full_fib[i])
        return fib_lookup(r->full_fib[i], dst, matched);
    ArPrefix po = { 0 }, ps = { 0 };
    const ArEffRoute *o = fib_lookup(r->vnet_fib[i], dst, &po);
    const ArEffRoute *s = reach_shared_lookup(r, t->shared, dst, &ps);
    if (s) {
        guint at = (guint)(s - (const ArEffRoute *)(const void *)t->shared->routes->data);
        if (t->hidden->len && bsearch(&at, t->hidden->data, t->hidden->len, sizeof(guint), reach_uint_cmp)) {
            ((ArReach *)r)->full_fib[i] = reach_table_fib(t, true);
            return fib_lookup(r->full_fib[i], dst, matched);
        }
    }
    bool own = o && (!s || po.len >= ps.len);
    if (matched && (o || s))
        *matched = own ? po : ps;
    return own ? o : s;
}

ArReach *reach_new(const ArRun *run)
{
    const ArNet *net = run->net;
    const ArScenario *scn = net->scn;
    ArReach *r = g_new0(ArReach, 1);
    r->run = run;
    r->sp_fib = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)fib_free);
    r->ip_owner = g_hash_table_new(g_direct_hash, g_direct_equal);
    r->rs_ip = g_hash_table_new(g_direct_hash, g_direct_equal);
    r->shared_fib = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)fib_free);
    r->shared_lens = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    for (guint i = 0; i < pfxtab_size(&net->sim->pfx); i++)
        r->pfx_lens |= (uint64_t)1 << (pfxtab_key(&net->sim->pfx, i) & 0xff);
    for (guint i = 0; i < net->sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(net->sim->speakers, i);
        if (sp->kind == NODE_ROUTE_SERVER)
            g_hash_table_insert(r->rs_ip, GUINT_TO_POINTER(sp->ip), (gpointer)sp);
        else if (sp->kind == NODE_NVA || sp->kind == NODE_ER_GATEWAY || sp->kind == NODE_VPN_GATEWAY)
            g_hash_table_insert(r->ip_owner, GUINT_TO_POINTER(sp->ip), (gpointer)sp);
    }
    /* An NVA's advertised next hop (e.g. a load balancer in front of it) leads to the NVA, unless
     * that address is another node's own. */
    for (guint i = 0; i < scn->nvas->len; i++) {
        const ArNva *nva = g_ptr_array_index(scn->nvas, i);
        if (!g_hash_table_contains(r->ip_owner, GUINT_TO_POINTER(nva->next_hop)))
            g_hash_table_insert(r->ip_owner, GUINT_TO_POINTER(nva->next_hop), net->nva[i]);
    }

    r->ntables = run->eff->len;
    r->vnet_fib = g_new0(ArFib *, r->ntables + 1);
    r->full_fib = g_new0(ArFib *, r->ntables + 1);
    r->table_name = g_new0(char *, r->ntables + 1);
    /* Subnets with a route table walk their own routes (a walk starts there with --from VNET/SUBNET). */
    for (guint i = scn->vnets->len; i < r->ntables; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        ArFib *f = fib_new(NULL);
        ArEffIter it;
        eff_iter_init(&it, t);
        for (const ArEffRoute *e; (e = eff_iter_next(&it));)
            fib_insert_new(f, e->prefix, (gpointer)e);
        r->vnet_fib[i] = f;
        r->table_name[i] = eff_table_name(scn, t);
    }
    r->vnet_space = fib_new(NULL);
    r->endpoints = g_array_new(FALSE, FALSE, sizeof(ArReachEndpoint));
    g_array_set_clear_func(r->endpoints, reach_endpoint_clear);
    for (guint v = 0; v < scn->vnets->len; v++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, v);
        r->vnet_fib[t->vnet] = reach_table_fib(t, !t->shared);
        r->table_name[v] = eff_table_name(scn, t);
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        for (guint k = 0; k < vn->prefixes->len; k++) {
            ArPrefix p = g_array_index(vn->prefixes, ArPrefix, k);
            fib_insert_new(r->vnet_space, p, GINT_TO_POINTER((int)v + 1));
        }
        if (vn->prefixes->len) {
            ArReachEndpoint ep = { g_strdup(vn->name), true, (int)v, reach_rep_addr(vn->prefixes) };
            g_array_append_val(r->endpoints, ep);
        }
    }
    for (guint s = 0; s < scn->sites->len; s++) {
        const ArSite *st = g_ptr_array_index(scn->sites, s);
        if (st->prefixes->len) {
            ArReachEndpoint ep = { g_strdup(st->name), false, (int)s, reach_rep_addr(st->prefixes) };
            g_array_append_val(r->endpoints, ep);
        }
    }
    return r;
}

void reach_free(ArReach *r)
{
    if (!r)
        return;
    g_hash_table_destroy(r->sp_fib);
    for (guint v = 0; v < r->ntables; v++) {
        fib_free(r->vnet_fib[v]);
        if (r->full_fib[v])
            fib_free(r->full_fib[v]);
        g_free(r->table_name[v]);
    }
    g_free(r->vnet_fib);
    g_free(r->full_fib);
    g_hash_table_destroy(r->shared_fib);
    g_hash_table_destroy(r->shared_lens);
    g_free(r->table_name);
    fib_free(r->vnet_space);
    if (r->site_space)
        fib_free(r->site_space);
    g_hash_table_destroy(r->ip_owner);
    g_hash_table_destroy(r->rs_ip);
    g_array_free(r->endpoints, TRUE);
    g_free(r);
}

/* The site owning dst (index), -1 when none: the sites' address spaces as a FIB, built on the
 * first call. O(P x 32) once for P site prefixes, then O(32). */
static int reach_site_of(const ArReach *r, uint32_t dst)
{
    if (!r->site_space) {
        const ArScenario *scn = r->run->net->scn;
        ArFib *f = fib_new(NULL);
        for (guint s = 0; s < scn->sites->len; s++) {
            const ArSite *st = g_ptr_array_index(scn->sites, s);
            for (guint k = 0; k < st->prefixes->len; k++)
                fib_insert_new(f, g_array_index(st->prefixes, ArPrefix, k), GINT_TO_POINTER((int)s + 1));
        }
        ((ArReach *)r)->site_space = f;
    }
    return GPOINTER_TO_INT(fib_lookup(r->site_space, dst, NULL)) - 1;
}

/* ---- names and starts ---------------------------------------------------------------------- */

static const char *reach_vnet_name(const ArReach *r, int v)
{
    return r->table_name[v];
}

static const char *reach_node_name(const ArReach *r, ArReachNode n)
{
    return n.is_vnet ? reach_vnet_name(r, n.vnet) : n.sp->name;
}

static ArReachNode reach_vnet_node(int v) { return (ArReachNode){ .is_vnet = true, .vnet = v, .sp = NULL }; }
static ArReachNode reach_sp_node(const ArSpeaker *sp) { return (ArReachNode){ .is_vnet = false, .vnet = -1, .sp = sp }; }

static bool reach_node_eq(ArReachNode a, ArReachNode b)
{
    return a.is_vnet == b.is_vnet && (a.is_vnet ? a.vnet == b.vnet : a.sp == b.sp);
}

static ArReachNode reach_endpoint_node(const ArReach *r, const ArReachEndpoint *ep)
{
    return ep->is_vnet ? reach_vnet_node(ep->index) : reach_sp_node(r->run->net->site[ep->index]);
}

gboolean reach_find_start(const ArReach *r, const char *name, ArReachNode *out)
{
    const ArScenario *scn = r->run->net->scn;
    for (guint s = 0; s < scn->sites->len; s++)
        if (strcmp(((const ArSite *)g_ptr_array_index(scn->sites, s))->name, name) == 0) {
            *out = reach_sp_node(r->run->net->site[s]);
            return TRUE;
        }
    for (guint v = 0; v < r->ntables; v++)
        if (strcmp(reach_vnet_name(r, (int)v), name) == 0) {
            *out = reach_vnet_node((int)v);
            return TRUE;
        }
    return FALSE;
}

/* Names listed by reach_start_names; the rest are counted. */
#define REACH_NAMES_MAX 12u

char *reach_start_names(const ArReach *r)
{
    const ArScenario *scn = r->run->net->scn;
    /* At most REACH_NAMES_MAX names, the rest counted: thousands of sites make no readable line. */
    GString *s = g_string_new(NULL);
    guint total = scn->sites->len + r->ntables;
    for (guint i = 0; i < total && i < REACH_NAMES_MAX; i++) {
        const char *name = i < scn->sites->len ? ((const ArSite *)g_ptr_array_index(scn->sites, i))->name
                                               : reach_vnet_name(r, (int)(i - scn->sites->len));
        g_string_append_printf(s, "%s%s", i ? ", " : "", name);
    }
    if (total > REACH_NAMES_MAX)
        g_string_append_printf(s, ", ... (%u more)", total - REACH_NAMES_MAX);
    return g_string_free(s, FALSE);
}

gboolean reach_name_addr(const ArReach *r, const char *name, uint32_t *addr)
{
    const ArScenario *scn = r->run->net->scn;
    for (guint s = 0; s < scn->sites->len; s++) {
        const ArSite *st = g_ptr_array_index(scn->sites, s);
        if (strcmp(st->name, name) == 0) {
            if (!st->prefixes->len)
                return FALSE;
            *addr = reach_rep_addr(st->prefixes);
            return TRUE;
        }
    }
    for (guint v = 0; v < scn->vnets->len; v++) {
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        if (strcmp(vn->name, name) == 0) {
            if (!vn->prefixes->len)
                return FALSE;
            *addr = reach_rep_addr(vn->prefixes);
            return TRUE;
        }
    }
    return FALSE;
}

const char *reach_verdict_name(ArReachVerdict v)
{
    switch (v) {
    case REACH_DELIVERED: return "delivered";
    case REACH_NO_ROUTE: return "no route";
    case REACH_DROPPED: return "dropped";
    case REACH_INTERNET: return "to Internet";
    case REACH_LOOP: return "loop";
    case REACH_HOP_LIMIT: return "hop limit";
    case REACH_DOWN: return "down";
    }
    return "?";
}

/* ---- one step ------------------------------------------------------------------------------ */

/* What one node does with the packet. */
typedef struct Step {
    bool go_on;                 /* the packet moves on to next */
    ArReachNode next;           /* go_on: where */
    ArReachVerdict verdict;     /* !go_on: how the walk ends here */
} Step;

static void reach_hop_clear(gpointer p)
{
    ArReachHop *h = p;
    g_free(h->name);
    g_free(h->as_path);
    g_free(h->from);
    g_free(h->next);
    g_free(h->note);
    if (h->ecmp)
        g_ptr_array_free(h->ecmp, TRUE);
}

static Step step_end(ArReachVerdict v) { return (Step){ .go_on = false, .verdict = v }; }
static Step step_to(ArReachNode n) { return (Step){ .go_on = true, .next = n }; }

/* The packet enters Azure's fabric: the VNet whose space holds dst, else the fallback VNet (the
 * hub of the component that took it). */
static Step reach_enter_vnet(const ArReach *r, uint32_t dst, int fallback, ArReachHop *h, bool text)
{
    int v = GPOINTER_TO_INT(fib_lookup(r->vnet_space, dst, NULL)) - 1;
    if (v < 0)
        v = fallback;
    if (v < 0) {
        if (text)
            h->note = g_strdup("the address is in no VNet");
        return step_end(REACH_NO_ROUTE);
    }
    return step_to(reach_vnet_node(v));
}

static Step reach_step_vnet(const ArReach *r, int v, uint32_t dst, ArReachHop *h, bool text)
{
    const ArEffRoute *e = reach_eff_lookup(r, (guint)v, dst, &h->prefix);
    if (!e)
        return step_end(REACH_NO_ROUTE);
    char ip[IP_STRLEN];
    h->matched = true;
    h->nh_type = eff_nh_type_name(e->type);
    if (text && e->path)
        h->as_path = attr_path_to_string(e->path);
    switch (e->type) {
    case NH_VNET_LOCAL:
        return step_end(REACH_DELIVERED);
    case NH_VNET_PEERING:
        return step_to(reach_vnet_node(e->peer_vnet));
    case NH_INTERNET:
        return step_end(REACH_INTERNET);
    case NH_NONE:
        return step_end(REACH_DROPPED);
    case NH_VIRTUAL_APPLIANCE: {
        /* A user-defined route: to whatever node owns the address (an NVA, a firewall). */
        h->has_next_hop = true;
        h->next_hop = g_array_index(e->next_hops, uint32_t, 0);
        const ArSpeaker *owner = g_hash_table_lookup(r->ip_owner, GUINT_TO_POINTER(h->next_hop));
        if (!owner) {
            if (text)
                h->note = g_strdup_printf("user-defined route to %s, which no node owns", ip_format(h->next_hop, ip));
            return step_end(REACH_NO_ROUTE);
        }
        if (text)
            h->note = g_strdup_printf("user-defined route to %s", owner->name);
        return step_to(reach_sp_node(owner));
    }
    case NH_GATEWAY:
        break;
    }
    guint n = MIN(e->next_hops->len, e->via->len);
    if (n == 0)
        return step_end(REACH_NO_ROUTE);
    h->has_next_hop = true;
    h->next_hop = g_array_index(e->next_hops, uint32_t, 0);
    if (text) {
        h->ecmp = g_ptr_array_new_with_free_func(g_free);
        for (guint k = 1; k < n; k++)
            g_ptr_array_add(h->ecmp, g_strdup_printf("%s (%s)", ip_format(g_array_index(e->next_hops, uint32_t, k), ip),
                                                     ((const ArSpeaker *)g_ptr_array_index(e->via, k))->name));
    }
    const ArSpeaker *to = g_ptr_array_index(e->via, 0);
    /* An NVA may advertise another NVA's address as next hop: the packet goes to that address. */
    const ArSpeaker *owner = g_hash_table_lookup(r->ip_owner, GUINT_TO_POINTER(h->next_hop));
    if (e->cls == CLASS_NVA && owner && owner->kind == NODE_NVA && owner != to) {
        if (text)
            h->note = g_strdup_printf("injected by %s; next hop %s is %s", to->name, ip_format(h->next_hop, ip), owner->name);
        to = owner;
    }
    return step_to(reach_sp_node(to));
}

/* A route learned from a Route Server: the Route Server is not in the data path. */
static Step reach_via_route_server(const ArReach *r, const ArSpeaker *rs, uint32_t dst, ArReachHop *h, bool text)
{
    char ip[IP_STRLEN];
    uint32_t nh = h->next_hop;
    const ArSpeaker *own = g_hash_table_lookup(r->rs_ip, GUINT_TO_POINTER(nh));
    if (own) {
        if (text)
            h->note = g_strdup_printf("next hop %s is Route Server %s: the VNet fabric delivers", ip_format(nh, ip), own->name);
        return reach_enter_vnet(r, dst, azure_home_vnet(own), h, text);
    }
    const ArSpeaker *owner = g_hash_table_lookup(r->ip_owner, GUINT_TO_POINTER(nh));
    if (!owner) {
        if (text)
            h->note = g_strdup_printf("learned from Route Server %s; next hop %s belongs to no node", rs->name,
                                      ip_format(nh, ip));
        return step_end(REACH_NO_ROUTE);
    }
    if (text)
        h->note = g_strdup_printf("learned from Route Server %s (not in the data path); next hop %s is %s", rs->name,
                                  ip_format(nh, ip), owner->name);
    return step_to(reach_sp_node(owner));
}

static Step reach_step_speaker(const ArReach *r, const ArSpeaker *sp, uint32_t dst, ArReachHop *h, bool text)
{
    if (sp->down) { /* failed, deleted or in maintenance: it forwards nothing */
        if (text)
            h->note = g_strdup_printf("%s is down", sp->name);
        return step_end(REACH_DOWN);
    }
    const ArRoute *best = reach_sp_lookup(r, sp, dst, &h->prefix);
    if (!best && sp->kind == NODE_NVA) {
        /* No BGP route: an NVA (a firewall without BGP, say) hands the packet to the Azure fabric,
         * which forwards it by the effective routes of the NVA's VNet. */
        if (text)
            h->note = g_strdup("to the Azure fabric (the NVA's VNet's effective routes)");
        return step_to(reach_vnet_node(azure_home_vnet(sp)));
    }
    if (!best)
        return step_end(REACH_NO_ROUTE);
    char ip[IP_STRLEN];
    h->matched = true;
    h->has_next_hop = true;
    h->next_hop = rt_attrs(best)->next_hop;
    if (text)
        h->as_path = attr_path_to_string(rt_attrs(best)->path);
    if (best->peer != PEER_LOCAL) {
        const ArSpeaker *src = bgp_route_source(sp, best);
        if (text)
            h->from = g_strdup(src->name);
        if (src->kind == NODE_ROUTE_SERVER)
            return reach_via_route_server(r, src, dst, h, text);
        if (bgp_peer(sp, best->peer)->session->admin_down) { /* a failed session or connection carries nothing */
            if (text)
                h->note = g_strdup_printf("the link to %s failed", src->name);
            return step_end(REACH_DOWN);
        }
        return step_to(reach_sp_node(src));
    }
    if (best->flags & RT_VNET) {
        if (text)
            h->note = g_strdup("VNet address space: into the VNet fabric");
        return reach_enter_vnet(r, dst, azure_home_vnet(sp), h, text);
    }
    if (best->flags & RT_STATIC) {
        int s = reach_site_of(r, dst);
        if (s < 0) {
            if (text)
                h->note = g_strdup("static VPN site prefix, but no site holds the address");
            return step_end(REACH_NO_ROUTE);
        }
        if (text)
            h->note = g_strdup("static VPN site: over the tunnel");
        return step_to(reach_sp_node(r->run->net->site[s]));
    }
    if (sp->kind == NODE_NVA) {
        /* An NVA advertising another node's address as next hop (a route injector) hands over. */
        const ArSpeaker *owner = g_hash_table_lookup(r->ip_owner, GUINT_TO_POINTER(rt_attrs(best)->next_hop));
        if (owner && owner != sp) {
            if (text)
                h->note = g_strdup_printf("originated with next hop %s, which is %s", ip_format(rt_attrs(best)->next_hop, ip),
                                          owner->name);
            return step_to(reach_sp_node(owner));
        }
    }
    return step_end(REACH_DELIVERED); /* a site's or NVA's own prefix */
}

/* ---- walks --------------------------------------------------------------------------------- */

/* The walk from start toward dst, hop by hop. With text, each hop's names, notes and AS path are
 * written (what `arsim trace` prints); without, only the nodes and the verdict (reach_cell: a
 * matrix or a sweep walks thousands of pairs and reads nothing else). O(hops x (lookup + hops)):
 * a loop is found by looking back over the hops so far (at most REACH_MAX_HOPS). */
static ArTrace *reach_walk(const ArReach *r, ArReachNode start, uint32_t dst, bool text)
{
    ArTrace *t = g_new0(ArTrace, 1);
    if (text)
        t->from = g_strdup(reach_node_name(r, start));
    t->to = dst;
    t->hops = g_array_new(FALSE, TRUE, sizeof(ArReachHop));
    g_array_set_clear_func(t->hops, reach_hop_clear);
    ArReachNode cur = start;
    for (;;) {
        guint at = 0; /* the hop that was at cur before, + 1 */
        for (guint i = 0; i < t->hops->len && !at; i++)
            if (reach_node_eq(g_array_index(t->hops, ArReachHop, i).node, cur))
                at = i + 1;
        if (at) {
            if (text) {
                GString *c = g_string_new(NULL);
                for (guint i = at - 1; i < t->hops->len; i++)
                    g_string_append_printf(c, "%s-", g_array_index(t->hops, ArReachHop, i).name);
                g_string_append(c, reach_node_name(r, cur));
                t->cycle = g_string_free(c, FALSE);
                t->at = g_strdup(reach_node_name(r, cur));
            }
            t->verdict = REACH_LOOP;
            break;
        }
        if (t->hops->len >= REACH_MAX_HOPS) {
            t->verdict = REACH_HOP_LIMIT;
            if (text)
                t->at = g_strdup(reach_node_name(r, cur));
            break;
        }
        ArReachHop h = { 0 };
        h.node = cur;
        if (text)
            h.name = g_strdup(reach_node_name(r, cur));
        Step s = cur.is_vnet ? reach_step_vnet(r, cur.vnet, dst, &h, text) : reach_step_speaker(r, cur.sp, dst, &h, text);
        if (s.go_on && text)
            h.next = g_strdup(reach_node_name(r, s.next));
        g_array_append_val(t->hops, h);
        if (!s.go_on) {
            t->verdict = s.verdict;
            if (text)
                t->at = g_strdup(reach_node_name(r, cur));
            break;
        }
        cur = s.next;
    }
    return t;
}

ArTrace *reach_trace(const ArReach *r, ArReachNode start, uint32_t dst) { return reach_walk(r, start, dst, true); }

void reach_trace_free(ArTrace *t)
{
    if (!t)
        return;
    g_free(t->from);
    g_array_free(t->hops, TRUE);
    g_free(t->at);
    g_free(t->cycle);
    g_free(t);
}

bool reach_trace_delivered(const ArTrace *t, const char *want)
{
    return t->verdict == REACH_DELIVERED && (!want || strcmp(t->at, want) == 0);
}

/* Delivered exactly at node n (names may be shared by a VNet and a speaker). */
static bool reach_delivered_at(const ArTrace *t, ArReachNode n)
{
    return t->verdict == REACH_DELIVERED && t->hops->len &&
           reach_node_eq(g_array_index(t->hops, ArReachHop, t->hops->len - 1).node, n);
}

char *reach_verdict_text(const ArTrace *t)
{
    switch (t->verdict) {
    case REACH_DELIVERED: return g_strdup_printf("delivered at %s", t->at);
    case REACH_NO_ROUTE: return g_strdup_printf("no route at %s", t->at);
    case REACH_DROPPED: return g_strdup_printf("dropped at %s (None)", t->at);
    case REACH_INTERNET: return g_strdup_printf("to Internet from %s", t->at);
    case REACH_LOOP: return g_strdup_printf("loop through %s", t->cycle);
    case REACH_HOP_LIMIT: return g_strdup_printf("hop limit (%d) reached at %s", REACH_MAX_HOPS, t->at);
    case REACH_DOWN: return g_strdup_printf("down at %s", t->at);
    }
    return g_strdup("?");
}

/* ---- matrix -------------------------------------------------------------------------------- */

/* The return path is the forward path reversed, node for node. */
static bool reach_paths_mirror(const ArTrace *fwd, const ArTrace *back)
{
    guint n = fwd->hops->len;
    if (back->hops->len != n)
        return false;
    for (guint i = 0; i < n; i++)
        if (!reach_node_eq(g_array_index(fwd->hops, ArReachHop, i).node,
                           g_array_index(back->hops, ArReachHop, n - 1 - i).node))
            return false;
    return true;
}

ArReachCell reach_cell(const ArReach *r, guint i, guint j)
{
    g_assert(i < r->endpoints->len && j < r->endpoints->len);
    const ArReachEndpoint *a = &g_array_index(r->endpoints, ArReachEndpoint, i);
    const ArReachEndpoint *b = &g_array_index(r->endpoints, ArReachEndpoint, j);
    ArReachNode na = reach_endpoint_node(r, a), nb = reach_endpoint_node(r, b);
    g_autoptr(ArTrace) fwd = reach_walk(r, na, b->addr, false);
    g_autoptr(ArTrace) back = reach_walk(r, nb, a->addr, false);
    ArReachCell c = { 0 };
    c.forward = reach_delivered_at(fwd, nb);
    c.back = reach_delivered_at(back, na);
    c.reachable = c.forward && c.back;
    c.asymmetric = c.reachable && !reach_paths_mirror(fwd, back);
    return c;
}

ArReachMatrix *reach_matrix(const ArReach *r)
{
    ArReachMatrix *m = g_new0(ArReachMatrix, 1);
    guint n = r->endpoints->len;
    m->endpoints = g_array_sized_new(FALSE, FALSE, sizeof(ArReachEndpoint), n);
    g_array_set_clear_func(m->endpoints, reach_endpoint_clear);
    for (guint i = 0; i < n; i++) {
        ArReachEndpoint ep = g_array_index(r->endpoints, ArReachEndpoint, i);
        ep.name = g_strdup(ep.name);
        g_array_append_val(m->endpoints, ep);
    }
    m->cells = g_new0(ArReachCell, (gsize)n * n + 1);
    for (guint i = 0; i < n; i++)
        for (guint j = i + 1; j < n; j++) {
            ArReachCell c = reach_cell(r, i, j);
            m->cells[i * n + j] = c;
            ArReachCell mirror = c; /* seen from b: forward and back swap */
            mirror.forward = c.back;
            mirror.back = c.forward;
            m->cells[j * n + i] = mirror;
        }
    return m;
}

void reach_matrix_free(ArReachMatrix *m)
{
    if (!m)
        return;
    g_array_free(m->endpoints, TRUE);
    g_free(m->cells);
    g_free(m);
}

const ArReachCell *reach_matrix_cell(const ArReachMatrix *m, const char *a, const char *b)
{
    int ia = -1, ib = -1;
    for (guint i = 0; i < m->endpoints->len; i++) {
        const char *nm = g_array_index(m->endpoints, ArReachEndpoint, i).name;
        if (ia < 0 && strcmp(nm, a) == 0)
            ia = (int)i;
        if (ib < 0 && strcmp(nm, b) == 0)
            ib = (int)i;
    }
    if (ia < 0 || ib < 0)
        return NULL;
    return &m->cells[(guint)ia * m->endpoints->len + (guint)ib];
}

static bool reach_cell_eq(const ArReachCell *a, const ArReachCell *b)
{
    return a->forward == b->forward && a->back == b->back && a->reachable == b->reachable &&
           a->asymmetric == b->asymmetric;
}

/* i belongs to the class led by l (second: its second member so far, or n when none): same kind,
 * same cell toward every endpoint outside {i, l}, and toward l the cell l has toward second. O(E). */
static bool reach_same_class(const ArReachMatrix *m, guint i, guint l, guint second)
{
    guint n = m->endpoints->len;
    if (g_array_index(m->endpoints, ArReachEndpoint, i).is_vnet != g_array_index(m->endpoints, ArReachEndpoint, l).is_vnet)
        return false;
    for (guint k = 0; k < n; k++)
        if (k != i && k != l && !reach_cell_eq(&m->cells[i * n + k], &m->cells[l * n + k]))
            return false;
    return second >= n || reach_cell_eq(&m->cells[i * n + l], &m->cells[second * n + l]);
}

guint *reach_matrix_classes(const ArReachMatrix *m, guint min_members)
{
    guint n = m->endpoints->len;
    guint *cls = g_new(guint, n + 1);
    guint *second = g_new(guint, n + 1);
    /* Members of a class have equal counts of each cell value in their rows (their rows differ only
     * by swapping the self cell and the cell between them): candidates are looked for among the
     * leaders of the same counts. */
    g_autoptr(GHashTable) leaders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
    for (guint i = 0; i < n; i++) {
        guint counts[16] = { 0 };
        for (guint k = 0; k < n; k++) {
            const ArReachCell *c = &m->cells[i * n + k];
            if (k != i)
                counts[c->forward | c->back << 1 | c->reachable << 2 | c->asymmetric << 3]++;
        }
        g_autofree char *sig = g_strdup_printf("%d:%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u",
                                               g_array_index(m->endpoints, ArReachEndpoint, i).is_vnet, counts[0],
                                               counts[1], counts[2], counts[3], counts[4], counts[5], counts[6],
                                               counts[7], counts[8], counts[9], counts[10], counts[11], counts[12],
                                               counts[13], counts[14], counts[15]);
        GArray *cands = g_hash_table_lookup(leaders, sig);
        if (!cands) {
            cands = g_array_new(FALSE, FALSE, sizeof(guint));
            g_hash_table_insert(leaders, g_steal_pointer(&sig), cands);
        }
        cls[i] = i;
        second[i] = n;
        for (guint c = 0; c < cands->len; c++) {
            guint l = g_array_index(cands, guint, c);
            if (reach_same_class(m, i, l, second[l])) {
                cls[i] = l;
                if (second[l] == n)
                    second[l] = i;
                break;
            }
        }
        if (cls[i] == i)
            g_array_append_val(cands, i);
    }
    g_free(second);
    g_autofree guint *size = g_new0(guint, n + 1);
    for (guint i = 0; i < n; i++)
        size[cls[i]]++;
    for (guint i = 0; i < n; i++)
        if (size[cls[i]] < min_members)
            cls[i] = i;
    return cls;
}
