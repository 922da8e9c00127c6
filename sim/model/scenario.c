/* scenario.c - construction, lookup and destruction of the scenario model. */
#include "arsim/scenario.h"

#include <string.h>

static void subnet_free(gpointer p)
{
    ArSubnet *sn = p;
    g_free(sn->name);
    g_array_free(sn->routes, TRUE);
    g_free(sn);
}

ArSubnet *scn_add_subnet(ArVnet *v, const char *name)
{
    ArSubnet *sn = g_new0(ArSubnet, 1);
    sn->name = g_strdup(name);
    sn->routes = g_array_new(FALSE, FALSE, sizeof(ArUdr));
    g_ptr_array_add(v->subnets, sn);
    return sn;
}

static void vnet_free(gpointer p)
{
    ArVnet *v = p;
    g_free(v->name);
    g_ptr_array_free(v->subnets, TRUE);
    g_array_free(v->prefixes, TRUE);
    g_array_free(v->peerings, TRUE);
    g_free(v);
}

static void rs_free(gpointer p)
{
    ArRouteServer *r = p;
    g_free(r->name);
    g_free(r);
}

static void gw_free(gpointer p)
{
    ArGateway *g = p;
    g_free(g->name);
    g_free(g);
}

static void origination_clear(gpointer p)
{
    ArOrigination *o = p;
    if (o->as_path)
        g_array_free(o->as_path, TRUE);
    if (o->communities)
        g_array_free(o->communities, TRUE);
}

static void rule_clear(gpointer p)
{
    ArRmRule *r = p;
    g_free(r->peer);
    if (r->add_comms)
        g_array_free(r->add_comms, TRUE);
}

static GArray *rules_new(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(ArRmRule));
    g_array_set_clear_func(a, rule_clear);
    return a;
}

static void nva_free(gpointer p)
{
    ArNva *n = p;
    g_free(n->name);
    g_array_free(n->originations, TRUE);
    g_array_free(n->policies, TRUE);
    g_array_free(n->bgp_peers, TRUE);
    scn_route_table_free(n->table);
    g_free(n);
}

static void connection_clear(gpointer p)
{
    g_free(((ArConnection *)p)->circuit);
}

static void site_free(gpointer p)
{
    ArSite *s = p;
    g_free(s->name);
    g_array_free(s->prefixes, TRUE);
    g_array_free(s->connections, TRUE);
    g_array_free(s->policies, TRUE);
    scn_route_table_free(s->table);
    g_free(s);
}

ArRouteTable *scn_route_table_new(const char *file)
{
    ArRouteTable *t = g_new0(ArRouteTable, 1);
    t->file = g_strdup(file);
    t->routes = g_array_new(FALSE, FALSE, sizeof(ArTableRoute));
    t->attrs = g_array_new(FALSE, FALSE, sizeof(ArTableAttrs));
    t->asns = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    t->comms = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    return t;
}

void scn_route_table_free(ArRouteTable *t)
{
    if (!t)
        return;
    g_free(t->file);
    g_array_free(t->routes, TRUE);
    g_array_free(t->attrs, TRUE);
    g_array_free(t->asns, TRUE);
    g_array_free(t->comms, TRUE);
    g_free(t);
}

static void event_clear(gpointer p)
{
    ArScnEvent *e = p;
    g_free(e->node);
    g_free(e->peer);
    g_free(e->label);
    if (e->prefixes)
        g_array_free(e->prefixes, TRUE);
}

void scn_settings_default(ArSettings *st)
{
    *st = (ArSettings){
        .link_delay = AR_US_MS(AR_LINK_DELAY_MS),
        .proc_delay = AR_US_MS(AR_PROC_DELAY_MS),
        .jitter = AR_US_MS(AR_JITTER_MS),
        .mrai = 0,
        .hold_time = AR_US(AR_HOLD_TIME_S),
        .session_setup = AR_US(AR_SESSION_SETUP_S),
        .retry_after_limit = AR_US(AR_RETRY_AFTER_LIMIT_S),
        .gateway_downtime = AR_US(AR_GATEWAY_DOWNTIME_S),
        .max_time = AR_US(AR_MAX_TIME_S),
        .max_memory_mib = AR_MAX_MEMORY_MIB,
    };
}

ArScenario *scn_new(void)
{
    ArScenario *s = g_new0(ArScenario, 1);
    scn_settings_default(&s->settings);
    s->events = g_array_new(FALSE, TRUE, sizeof(ArScnEvent));
    g_array_set_clear_func(s->events, event_clear);
    s->vnets = g_ptr_array_new_with_free_func(vnet_free);
    s->route_servers = g_ptr_array_new_with_free_func(rs_free);
    s->gateways = g_ptr_array_new_with_free_func(gw_free);
    s->nvas = g_ptr_array_new_with_free_func(nva_free);
    s->sites = g_ptr_array_new_with_free_func(site_free);
    return s;
}

void scn_free(ArScenario *s)
{
    if (!s)
        return;
    g_free(s->name);
    g_free(s->description);
    g_free(s->file);
    g_ptr_array_free(s->vnets, TRUE);
    g_ptr_array_free(s->route_servers, TRUE);
    g_ptr_array_free(s->gateways, TRUE);
    g_ptr_array_free(s->nvas, TRUE);
    g_ptr_array_free(s->sites, TRUE);
    g_array_free(s->events, TRUE);
    g_free(s);
}

ArVnet *scn_add_vnet(ArScenario *s, const char *name)
{
    ArVnet *v = g_new0(ArVnet, 1);
    v->name = g_strdup(name);
    v->prefixes = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    v->peerings = g_array_new(FALSE, FALSE, sizeof(ArPeering));
    v->subnets = g_ptr_array_new_with_free_func(subnet_free);
    g_ptr_array_add(s->vnets, v);
    return v;
}

ArRouteServer *scn_add_route_server(ArScenario *s, const char *name)
{
    ArRouteServer *r = g_new0(ArRouteServer, 1);
    r->name = g_strdup(name);
    r->vnet = AR_NO_INDEX;
    r->hub_pref = HUBPREF_EXPRESSROUTE;
    r->route_limit = AR_RS_ROUTE_LIMIT;
    r->reflect_nva_to_nva = true;
    g_ptr_array_add(s->route_servers, r);
    return r;
}

ArGateway *scn_add_gateway(ArScenario *s, const char *name)
{
    ArGateway *g = g_new0(ArGateway, 1);
    g->name = g_strdup(name);
    g->vnet = AR_NO_INDEX;
    g->asn = AR_ASN_ROUTE_SERVER;
    g_ptr_array_add(s->gateways, g);
    return g;
}

ArNva *scn_add_nva(ArScenario *s, const char *name)
{
    ArNva *n = g_new0(ArNva, 1);
    n->name = g_strdup(name);
    n->vnet = AR_NO_INDEX;
    n->route_server = AR_NO_INDEX;
    n->originations = g_array_new(FALSE, TRUE, sizeof(ArOrigination));
    g_array_set_clear_func(n->originations, origination_clear);
    n->policies = rules_new();
    n->bgp_peers = g_array_new(FALSE, FALSE, sizeof(int));
    n->hold_time = UINT64_MAX;
    n->mrai = UINT64_MAX;
    g_ptr_array_add(s->nvas, n);
    return n;
}

ArSite *scn_add_site(ArScenario *s, const char *name)
{
    ArSite *st = g_new0(ArSite, 1);
    st->name = g_strdup(name);
    st->prefixes = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    st->connections = g_array_new(FALSE, TRUE, sizeof(ArConnection));
    g_array_set_clear_func(st->connections, connection_clear);
    st->policies = rules_new();
    st->hold_time = UINT64_MAX;
    st->mrai = UINT64_MAX;
    g_ptr_array_add(s->sites, st);
    return st;
}

int scn_find(GPtrArray *objs, const char *name)
{
    /* Every model object starts with its name, so one lookup serves all kinds. */
    for (guint i = 0; i < objs->len; i++) {
        const char *const *n = g_ptr_array_index(objs, i);
        if (strcmp(*n, name) == 0)
            return (int)i;
    }
    return AR_NO_INDEX;
}

static bool vnet_hosts_resources(const ArScenario *s, int v)
{
    for (guint i = 0; i < s->route_servers->len; i++)
        if (((ArRouteServer *)g_ptr_array_index(s->route_servers, i))->vnet == v)
            return true;
    for (guint i = 0; i < s->gateways->len; i++)
        if (((ArGateway *)g_ptr_array_index(s->gateways, i))->vnet == v)
            return true;
    return false;
}

int scn_hub_of(const ArScenario *s, int v)
{
    if (vnet_hosts_resources(s, v))
        return v;
    const ArVnet *vn = g_ptr_array_index(s->vnets, v);
    for (guint i = 0; i < vn->peerings->len; i++) {
        const ArPeering *p = &g_array_index(vn->peerings, ArPeering, i);
        if (p->use_remote_gateways)
            return p->remote;
    }
    return AR_NO_INDEX;
}

const char *const scn_link_names[2] = { "primary", "secondary" };

char *scn_msee_name(const ArScenario *s, const ArSite *st, guint k)
{
    guint circuits = 0;
    for (guint i = 0; i < st->connections->len; i++) {
        const ArConnection *c = &g_array_index(st->connections, ArConnection, i);
        circuits += c->kind == CONN_EXPRESSROUTE && c->circuit_of == (int)i;
    }
    const ArConnection *cn = &g_array_index(st->connections, ArConnection, k);
    const ArConnection *owner = &g_array_index(st->connections, ArConnection, cn->circuit_of);
    if (circuits <= 1)
        return g_strdup_printf("msee/%s", st->name);
    if (owner->circuit)
        return g_strdup_printf("msee/%s/%s", st->name, owner->circuit);
    return g_strdup_printf("msee/%s/%s", st->name, ((const ArGateway *)g_ptr_array_index(s->gateways, owner->target))->name);
}

/* ---- memory estimate (scn_estimate_bytes) ------------------------------------------------------
 * Sizes of the structures that grow with a scenario, rounded up, and what each command builds on
 * top of one run. Measured with tools/estimate-check.sh (peak RSS of each command on generated
 * scenarios of 10k-1M prefixes and 100-4,000 spokes); docs/performance.md has the table. When the
 * engine's layout changes (rib.h), change these and re-run the checker: it fails when a peak is
 * above its estimate. */
#define EST_BASE_BYTES (16u << 20)          /* the process, GLib, cJSON, Graphviz's libraries: 9-10 MiB for `validate` or `run` of a seed scenario */
#define EST_BYTES_PER_LOADED_PREFIX 320u    /* while loading: the cJSON item (64 + its string), its position index and the file's text (1M prefixes: 284 MiB) */
#define EST_BYTES_PER_VNET 4096u            /* a VNet in the model and while loading (3,000 spokes: 9 MiB) */
#define EST_BYTES_PER_SESSION_PATH 32u      /* a prefix crossing a session: the receiver's ArRoute (8; none beyond its net for a net's first two paths), the sender's Adj-RIB-Out slot (ArIdMap, 4), its id in an UPDATE in flight (8), 12 to spare */
#define EST_BYTES_PER_SPEAKER_NET 24u       /* a prefix held by a speaker: its ArRibNet (16) in a RIB page, the dirty bit, page and prefix-table slack */
#define EST_BYTES_PER_EFFECTIVE 56u         /* an effective route (ArEffRoute, 48) in a shared table, with array slack */
#define EST_GRAPHVIZ_BYTES (8u << 20)       /* Graphviz's layout and renderer (graph of a seed scenario: 16 MiB against run's 10) */
#define EST_BYTES_PER_DIAGRAM_NODE 2048u    /* a node of the diagram (4,000 spokes: 5 MiB) */
#define EST_BYTES_PER_REACH_CELL 4u         /* sizeof(ArReachCell): the reach matrix is (VNets + sites)^2 of them */
#define EST_REPORT_ROWS 5000u               /* REPORT_FULL_ROWS: a table of the report's page with more paths lists runs of prefixes with the same paths */
#define EST_REPORT_GROUPED_ROWS 2000u       /* rows of such a grouped table (measured 450-800 on B5 and B2; data-dependent: the one assumption here) */
#define EST_BYTES_PER_REPORT_ROW 1100u      /* a row of the page's data: a cJSON object of 5-7 members (massif, 101 spokes: 46 MB for about 42,000 rows) */

/* What each command adds to one run. The engine's tables (sessions, speakers, effective routes)
 * count in quarters: a second run alive at once is 4 more, the forwarding tries (ArFib, two
 * 40-byte nodes per prefix) of the speakers a walk or the reach matrix visits 1-4 more; measured
 * peaks over one run: trace 1.15-1.25, report 1.5-1.7, compare 1.8-2.5 (B5 10k-1M, B2). */
static const struct {
    const char *name;     /* the command */
    guint engine_quarters; /* the engine's tables, in quarters of one run */
    guint models;         /* scenarios loaded (compare, report --compare: two) */
    guint matrices;       /* reach matrices built */
    guint pages;          /* report pages built (their route tables' rows) */
    bool diagram;         /* a Graphviz diagram is laid out */
} est_cmd[SCN_EST_N] = {
    [SCN_EST_RUN] = { "run", 4, 1, 0, 0, false },
    [SCN_EST_RUN_CSV] = { "run --csv", 4, 1, 1, 0, false },
    [SCN_EST_GRAPH] = { "graph", 4, 1, 0, 0, true },
    [SCN_EST_TRACE] = { "trace", 5, 1, 0, 0, false },
    [SCN_EST_REPORT] = { "report", 8, 1, 1, 1, true },
    [SCN_EST_COMPARE] = { "compare", 10, 2, 2, 0, false },
    [SCN_EST_REPORT_COMPARE] = { "report --compare", 12, 2, 2, 2, true },
};

const char *scn_estimate_name(ScnEstimateFor what)
{
    g_assert(what < SCN_EST_N);
    return est_cmd[what].name;
}

/* Union-find over the resources, so that routes are only counted where they can travel. */
static guint uf_find(guint *parent, guint x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

static void uf_join(guint *parent, guint a, guint b)
{
    parent[uf_find(parent, a)] = uf_find(parent, b);
}

uint64_t scn_estimate_bytes(const ArScenario *s, ScnEstimateFor what)
{
    g_assert(what < SCN_EST_N);
    /* Ids: route servers, gateways, NVAs, sites, VNets, in that order. */
    guint nrs = s->route_servers->len, ngw = s->gateways->len, nnva = s->nvas->len, nst = s->sites->len,
          nv = s->vnets->len;
    guint o_gw = nrs, o_nva = o_gw + ngw, o_st = o_nva + nnva, o_v = o_st + nst, n = o_v + nv;
    g_autofree guint *parent = g_new(guint, n + 1);
    g_autofree uint64_t *prefixes = g_new0(uint64_t, n + 1), *sessions = g_new0(uint64_t, n + 1),
                        *speakers = g_new0(uint64_t, n + 1), *tables = g_new0(uint64_t, n + 1);
    g_autofree bool *hubless = g_new0(bool, n + 1); /* the component has VNets without a hub */
    for (guint i = 0; i < n; i++)
        parent[i] = i;
    for (guint i = 0; i < nrs; i++) {
        const ArRouteServer *r = g_ptr_array_index(s->route_servers, i);
        if (r->vnet >= 0)
            uf_join(parent, i, o_v + (guint)r->vnet);
    }
    for (guint i = 0; i < ngw; i++) {
        const ArGateway *g = g_ptr_array_index(s->gateways, i);
        if (g->vnet >= 0)
            uf_join(parent, o_gw + i, o_v + (guint)g->vnet);
    }
    for (guint v = 0; v < nv; v++) {
        int h = scn_hub_of(s, (int)v);
        if (h >= 0)
            uf_join(parent, o_v + v, o_v + (guint)h);
    }
    for (guint i = 0; i < nnva; i++) {
        const ArNva *x = g_ptr_array_index(s->nvas, i);
        if (x->route_server >= 0)
            uf_join(parent, o_nva + i, (guint)x->route_server);
        for (guint k = 0; k < x->bgp_peers->len; k++)
            uf_join(parent, o_nva + i, o_nva + (guint)g_array_index(x->bgp_peers, int, k));
    }
    for (guint i = 0; i < nst; i++) {
        const ArSite *st = g_ptr_array_index(s->sites, i);
        for (guint k = 0; k < st->connections->len; k++) {
            const ArConnection *c = &g_array_index(st->connections, ArConnection, k);
            if (c->target >= 0)
                uf_join(parent, o_st + i, (c->kind == CONN_NVA ? o_nva : o_gw) + (guint)c->target);
        }
    }
    /* What each component holds: prefixes originated in it, its sessions, speakers and VNets. */
    /* Effective-route tables: one shared table per hub and one for the VNets without one
     * (eff_compute's classes), one per subnet with a route table; other VNets add a few rows. */
    uint64_t loaded = 0; /* prefixes listed in the file */
    for (guint v = 0; v < nv; v++) {
        const ArVnet *vn = g_ptr_array_index(s->vnets, v);
        guint r = uf_find(parent, o_v + v);
        int hub = scn_hub_of(s, (int)v);
        prefixes[r] += vn->prefixes->len;
        loaded += vn->prefixes->len;
        tables[r] += hub == (int)v;
        hubless[r] |= hub == AR_NO_INDEX;
        for (guint k = 0; k < vn->subnets->len; k++)
            tables[r] += ((const ArSubnet *)g_ptr_array_index(vn->subnets, k))->has_route_table;
    }
    for (guint i = 0; i < nrs; i++) {
        guint r = uf_find(parent, i);
        speakers[r] += 2;
    }
    for (guint i = 0; i < ngw; i++) {
        guint r = uf_find(parent, o_gw + i);
        speakers[r] += 2;
        sessions[r] += 4; /* instances with both Route Server instances */
    }
    for (guint i = 0; i < nnva; i++) {
        const ArNva *x = g_ptr_array_index(s->nvas, i);
        guint r = uf_find(parent, o_nva + i);
        prefixes[r] += x->originations->len + (x->table ? x->table->routes->len : 0);
        loaded += x->originations->len + (x->table ? x->table->routes->len : 0);
        speakers[r] += 1;
        sessions[r] += (x->route_server >= 0 ? 2 : 0) + x->bgp_peers->len;
    }
    for (guint i = 0; i < nst; i++) {
        const ArSite *st = g_ptr_array_index(s->sites, i);
        guint r = uf_find(parent, o_st + i);
        prefixes[r] += st->prefixes->len + (st->table ? st->table->routes->len : 0);
        loaded += st->prefixes->len + (st->table ? st->table->routes->len : 0);
        speakers[r] += 1; /* the site */
        /* a circuit is two MSEEs (primary and secondary link) and six sessions (the site and each
         * MSEE, each MSEE and both gateway instances), a VPN link up to two (one per instance) */
        for (guint k = 0; k < st->connections->len; k++) {
            bool er = g_array_index(st->connections, ArConnection, k).kind == CONN_EXPRESSROUTE;
            speakers[r] += er ? 2 : 0;
            sessions[r] += er ? 6 : 2;
        }
    }
    uint64_t announced = 0; /* prefixes announced by events: counted everywhere, to stay an upper bound */
    for (guint i = 0; i < s->events->len; i++) {
        const ArScnEvent *e = &g_array_index(s->events, ArScnEvent, i);
        if (e->kind == SEV_ANNOUNCE && e->prefixes)
            announced += e->prefixes->len;
    }
    /* The engine's tables of one run, per component: each prefix once per session it may cross
     * and per speaker that may hold it, and once per effective-route table. */
    uint64_t engine = 0, table_rows = 0;
    for (guint i = 0; i < n; i++) {
        if (uf_find(parent, i) != i)
            continue;
        uint64_t p = prefixes[i] + announced;
        tables[i] += hubless[i];
        engine += p * (sessions[i] * EST_BYTES_PER_SESSION_PATH + speakers[i] * EST_BYTES_PER_SPEAKER_NET +
                       tables[i] * EST_BYTES_PER_EFFECTIVE);
        table_rows += (p > EST_REPORT_ROWS ? EST_REPORT_GROUPED_ROWS : p) * (speakers[i] + tables[i]);
    }
    uint64_t endpoints = nv + nst, nodes = nv + nst + nnva + 2ull * (nrs + ngw);
    uint64_t bytes = EST_BASE_BYTES + est_cmd[what].models * (uint64_t)nv * EST_BYTES_PER_VNET +
                     engine * est_cmd[what].engine_quarters / 4 +
                     est_cmd[what].matrices * endpoints * endpoints * EST_BYTES_PER_REACH_CELL +
                     est_cmd[what].pages * table_rows * EST_BYTES_PER_REPORT_ROW;
    if (est_cmd[what].diagram)
        bytes += EST_GRAPHVIZ_BYTES + nodes * EST_BYTES_PER_DIAGRAM_NODE;
    /* Loading comes first and is freed before the run: the peak is the larger of the two. */
    uint64_t load = EST_BASE_BYTES + (uint64_t)nv * EST_BYTES_PER_VNET + loaded * EST_BYTES_PER_LOADED_PREFIX;
    return MAX(bytes, load);
}

/* Keeps the largest count seen and where it is. */
static void most_keep(uint64_t n, const char *sec, guint i, uint64_t *best, const char **section, guint *index)
{
    if (n > *best) {
        *best = n;
        *section = sec;
        *index = i;
    }
}

uint64_t scn_most_peers(const ArScenario *s, const char **section, guint *index)
{
    guint nrs = s->route_servers->len, ngw = s->gateways->len, nnva = s->nvas->len;
    g_autofree uint64_t *rs = g_new0(uint64_t, nrs + 1), *gw = g_new0(uint64_t, ngw + 1),
                        *nva = g_new0(uint64_t, nnva + 1);
    for (guint i = 0; i < nnva; i++) {
        const ArNva *x = g_ptr_array_index(s->nvas, i);
        if (x->route_server >= 0) {
            rs[x->route_server]++;
            nva[i] += 2; /* both instances */
        }
        nva[i] += x->bgp_peers->len;
        for (guint k = 0; k < x->bgp_peers->len; k++)
            nva[g_array_index(x->bgp_peers, int, k)]++;
    }
    for (guint g = 0; g < ngw; g++) {
        const ArGateway *gp = g_ptr_array_index(s->gateways, g);
        uint64_t instances = gp->type == GW_VPN && !gp->active_active ? 1 : 2;
        for (guint r = 0; r < nrs; r++) {
            if (((const ArRouteServer *)g_ptr_array_index(s->route_servers, r))->vnet == gp->vnet) {
                rs[r] += instances;
                gw[g] += 2;
            }
        }
    }
    uint64_t best = 0;
    *section = "sites";
    *index = 0;
    for (guint i = 0; i < s->sites->len; i++) {
        const ArSite *st = g_ptr_array_index(s->sites, i);
        uint64_t site = 0;
        g_autofree uint64_t *msee = g_new0(uint64_t, st->connections->len + 1); /* per circuit owner */
        for (guint k = 0; k < st->connections->len; k++) {
            const ArConnection *c = &g_array_index(st->connections, ArConnection, k);
            if (c->target < 0)
                continue;
            if (c->kind == CONN_NVA) {
                site++;
                nva[c->target]++;
            } else if (c->kind == CONN_EXPRESSROUTE) {
                /* The circuit's two MSEEs (primary and secondary link) each peer with the site and
                 * with both instances of every gateway it is linked to; msee[] counts one of them. */
                if (msee[c->circuit_of] == 0)
                    site += 2, msee[c->circuit_of]++;
                msee[c->circuit_of] += 2;
                gw[c->target] += 2; /* each gateway instance peers with both MSEEs */
            } else if (c->bgp) {
                const ArGateway *gp = g_ptr_array_index(s->gateways, c->target);
                uint64_t instances = gp->active_active ? 2 : 1;
                site += instances;
                gw[c->target]++;
            }
        }
        most_keep(site, "sites", i, &best, section, index);
        for (guint k = 0; k < st->connections->len; k++)
            most_keep(msee[k], "sites", i, &best, section, index);
    }
    for (guint i = 0; i < nrs; i++)
        most_keep(rs[i], "routeServers", i, &best, section, index);
    for (guint i = 0; i < ngw; i++)
        most_keep(gw[i], "gateways", i, &best, section, index);
    for (guint i = 0; i < nnva; i++)
        most_keep(nva[i], "nvas", i, &best, section, index);
    return best;
}

bool scn_vnets_peered(const ArScenario *s, int a, int b)
{
    for (int side = 0; side < 2; side++) {
        const ArVnet *vn = g_ptr_array_index(s->vnets, side ? b : a);
        int other = side ? a : b;
        for (guint i = 0; i < vn->peerings->len; i++)
            if (g_array_index(vn->peerings, ArPeering, i).remote == other)
                return true;
    }
    return false;
}
