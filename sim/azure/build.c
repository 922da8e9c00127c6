/* build.c - turns a validated scenario into speakers, originations and sessions. */
#include "azure_priv.h"

#include <string.h>

/* Weights as Azure shows them (LAB): the ExpressRoute gateway's MSEE path beats other learned routes. */
#define WEIGHT_MSEE 32769u    /* the ExpressRoute gateway's circuit path (LAB) */
#define WEIGHT_LEARNED 32768u /* every learned route on Route Server and gateways (LAB) */

void azure_hub_space(const ArScenario *scn, int h, GArray *out)
{
    for (guint v = 0; v < scn->vnets->len; v++) {
        if ((int)v != h && scn_hub_of(scn, (int)v) != h)
            continue;
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        g_array_append_vals(out, vn->prefixes->data, vn->prefixes->len);
    }
}

/* Addresses Azure would assign when the scenario gives none: RouteServerSubnet is taken as the
 * second-to-last /27 of the VNet's first prefix and GatewaySubnet as the last /27; instances get
 * the subnet's .4 and .5 (the first usable addresses Azure hands out). Documented as a default. */
static uint32_t subnet_ip(const ArScenario *scn, int vnet, int from_end, uint32_t host)
{
    const ArVnet *vn = g_ptr_array_index(scn->vnets, vnet);
    ArPrefix p = g_array_index(vn->prefixes, ArPrefix, 0);
    uint32_t size = p.len >= 32 ? 1u : (uint32_t)(1ull << (32 - p.len));
    uint32_t base = p.addr + (size >= 64 ? size - 32u * (uint32_t)from_end : 0u);
    return base + host;
}

/* The /30 of link l of the circuit numbered circuit (0, 1, ... in site order) when its first
 * connection gives none: Microsoft's example /29 split in two (192.168.100.128/29: primary
 * .128/30, secondary .132/30; expressroute-routing.md), then the /29s after it. Documented in
 * docs/azure-rules.md. */
static ArPrefix default_link_prefix(guint circuit, int l)
{
    uint32_t base = (192u << 24) | (168u << 16) | (100u << 8) | 128u;
    return (ArPrefix){ .addr = base + 8u * circuit + 4u * (uint32_t)l, .len = 30 };
}

static uint32_t site_default_ip(const ArSite *st, guint index)
{
    if (st->prefixes->len) {
        ArPrefix p = g_array_index(st->prefixes, ArPrefix, 0);
        return p.len < 32 ? p.addr + 1 : p.addr;
    }
    return (169u << 24) | (254u << 16) | ((index + 1) & 0xffff) << 8 | 1u;
}

static ArSpeaker *new_instance(ArNet *net, const char *base, int inst, bool suffix, ArNodeKind kind,
                               uint32_t asn, uint32_t ip, const ArPolicy *pol, const void *res)
{
    g_autofree char *name = suffix ? g_strdup_printf("%s/%d", base, inst) : g_strdup(base);
    ArSpeaker *sp = bgp_speaker_new(net->sim, name, kind, asn, ip, pol);
    sp->resource = res;
    sp->instance = inst;
    return sp;
}

/* The VNet-space filter as in_vnet_space (policy.c) wants it, for the Route Server's NVA routes
 * and a VPN gateway's site routes: sorted by address, prefixes inside another
 * one dropped, so the rest are disjoint and only the last one starting at or before a prefix's
 * address can contain it (a binary search). Rejects the same prefixes as the full list. */
static GArray *space_filter(const GArray *space)
{
    GArray *sorted = g_array_copy((GArray *)space);
    g_array_sort(sorted, (GCompareFunc)pfx_cmp);
    GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(ArPrefix), sorted->len);
    for (guint i = 0; i < sorted->len; i++) {
        ArPrefix p = g_array_index(sorted, ArPrefix, i);
        if (out->len && pfx_within(p, g_array_index(out, ArPrefix, out->len - 1)))
            continue;
        g_array_append_val(out, p);
    }
    g_array_free(sorted, TRUE);
    return out;
}

static void build_route_servers(ArNet *net)
{
    const ArScenario *scn = net->scn;
    for (guint i = 0; i < scn->route_servers->len; i++) {
        const ArRouteServer *rs = g_ptr_array_index(scn->route_servers, i);
        g_autoptr(GArray) space = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
        azure_hub_space(scn, rs->vnet, space);
        for (int k = 0; k < 2; k++) {
            uint32_t ip = rs->ips[k] ? rs->ips[k] : subnet_ip(scn, rs->vnet, 2, 4u + (uint32_t)k);
            ArSpeaker *sp = new_instance(net, rs->name, k, true, NODE_ROUTE_SERVER, AR_ASN_ROUTE_SERVER, ip,
                                         &policy_route_server, rs);
            sp->cfg = &net->rs_cfg[i];
            sp->filter = space_filter(space);
            azure_originate_all(sp, space, RT_VNET);
            net->rs[i][k] = sp;
        }
    }
}

static void build_gateways(ArNet *net)
{
    const ArScenario *scn = net->scn;
    for (guint i = 0; i < scn->gateways->len; i++) {
        const ArGateway *gw = g_ptr_array_index(scn->gateways, i);
        g_autoptr(GArray) space = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
        azure_hub_space(scn, gw->vnet, space);
        bool vpn = gw->type == GW_VPN;
        /* An ExpressRoute gateway is always two instances: Azure deploys its VMs in GatewaySubnet and
         * reboots them one at a time in maintenance (expressroute-about-virtual-network-gateways.md);
         * a VPN gateway is two only when active-active. */
        int n = vpn && !gw->active_active ? 1 : 2;
        for (int k = 0; k < n; k++) {
            uint32_t ip = gw->ips[k];
            if (!ip && k == 1 && gw->ips[0])
                ip = gw->ips[0] + 1; /* one address given: the second instance takes the next one */
            if (!ip)
                ip = subnet_ip(scn, gw->vnet, 1, (vpn ? 6u : 4u) + (uint32_t)k);
            ArSpeaker *sp = new_instance(net, gw->name, k, n > 1, vpn ? NODE_VPN_GATEWAY : NODE_ER_GATEWAY,
                                         gw->asn, ip, vpn ? &policy_vpn_gateway : &policy_er_gateway, gw);
            sp->cfg = gw;
            if (vpn)
                sp->filter = space_filter(space); /* what sites announce inside it is dropped */
            azure_originate_all(sp, space, RT_VNET);
            net->gw[i][k] = sp;
        }
    }
}

static void build_nvas(ArNet *net)
{
    const ArScenario *scn = net->scn;
    for (guint i = 0; i < scn->nvas->len; i++) {
        const ArNva *nva = g_ptr_array_index(scn->nvas, i);
        ArSpeaker *sp = bgp_speaker_new(net->sim, nva->name, NODE_NVA, nva->asn, nva->ip,
                                        nva->policies->len ? &policy_mapped : &policy_standard);
        sp->resource = nva;
        sp->cfg = nva;
        sp->route_maps = nva->policies->len ? nva->policies : NULL;
        if (nva->hold_time != UINT64_MAX)
            sp->hold_time = nva->hold_time;
        if (nva->mrai != UINT64_MAX)
            sp->mrai = nva->mrai;
        for (guint k = 0; k < nva->originations->len; k++) {
            const ArOrigination *o = &g_array_index(nva->originations, ArOrigination, k);
            bgp_originate(sp, o->prefix, azure_local_attrs(net->sim, nva->next_hop, o->as_path, o->communities), 0);
        }
        azure_originate_table(sp, nva->table, nva->next_hop);
        net->nva[i] = sp;
    }
}

static void build_sites(ArNet *net)
{
    const ArScenario *scn = net->scn;
    for (guint i = 0; i < scn->sites->len; i++) {
        const ArSite *st = g_ptr_array_index(scn->sites, i);
        uint32_t ip = st->ip ? st->ip : site_default_ip(st, i);
        ArSpeaker *sp = bgp_speaker_new(net->sim, st->name, NODE_SITE, st->asn, ip,
                                        st->policies->len ? &policy_mapped : &policy_standard);
        sp->resource = st;
        sp->cfg = st;
        sp->route_maps = st->policies->len ? st->policies : NULL;
        if (st->hold_time != UINT64_MAX)
            sp->hold_time = st->hold_time;
        if (st->mrai != UINT64_MAX)
            sp->mrai = st->mrai;
        azure_originate_all(sp, st->prefixes, 0);
        azure_originate_table(sp, st->table, ip);
        net->site[i] = sp;
    }
}

static void connect_route_server_peers(ArNet *net)
{
    const ArScenario *scn = net->scn;
    /* NVAs: eBGP multihop to both instances (FAQ). */
    for (guint i = 0; i < scn->nvas->len; i++) {
        const ArNva *nva = g_ptr_array_index(scn->nvas, i);
        if (nva->route_server == AR_NO_INDEX)
            continue;
        for (int k = 0; k < 2; k++) {
            ArSpeaker *ars = net->rs[nva->route_server][k];
            ArSession *s = bgp_session_new(net->sim, ars, ars->ip, net->nva[i], nva->next_hop);
            ArPeer *at_rs = bgp_peer(ars, s->peer[0]);
            at_rs->route_limit = scn->settings.lift_limits ? 0 : net->rs_cfg[nva->route_server].route_limit;
            at_rs->import_weight = WEIGHT_LEARNED; /* shown as weight 32768 by Azure (section 8) */
        }
    }
    /* NVA-to-NVA sessions (bgpPeers): eBGP multihop, or iBGP between equal ASNs. */
    for (guint i = 0; i < scn->nvas->len; i++) {
        const ArNva *nva = g_ptr_array_index(scn->nvas, i);
        for (guint k = 0; k < nva->bgp_peers->len; k++) {
            int o = g_array_index(nva->bgp_peers, int, k);
            bgp_session_new(net->sim, net->nva[i], nva->ip, net->nva[o], ((const ArNva *)g_ptr_array_index(scn->nvas, o))->ip);
        }
    }
    /* Gateways in the Route Server's VNet: automatic iBGP with both instances (ERVPN). */
    for (guint g = 0; g < scn->gateways->len; g++) {
        const ArGateway *gw = g_ptr_array_index(scn->gateways, g);
        for (guint r = 0; r < scn->route_servers->len; r++) {
            const ArRouteServer *rs = g_ptr_array_index(scn->route_servers, r);
            if (rs->vnet != gw->vnet)
                continue;
            for (int gi = 0; gi < 2 && net->gw[g][gi]; gi++)
                for (int k = 0; k < 2; k++) {
                    ArSpeaker *gsp = net->gw[g][gi], *ars = net->rs[r][k];
                    ArSession *s = bgp_session_new(net->sim, ars, ars->ip, gsp, gsp->ip);
                    bgp_peer(ars, s->peer[0])->import_weight = WEIGHT_LEARNED;
                    bgp_peer(gsp, s->peer[1])->import_weight = WEIGHT_LEARNED;
                }
        }
    }
}

static void connect_sites(ArNet *net)
{
    const ArScenario *scn = net->scn;
    guint circuit_no = 0;
    for (guint i = 0; i < scn->sites->len; i++) {
        const ArSite *st = g_ptr_array_index(scn->sites, i);
        ArSpeaker *site = net->site[i];
        g_autofree ArInstPair *msee_of = g_new0(ArInstPair, st->connections->len + 1); /* per circuit owner */
        for (guint c = 0; c < st->connections->len; c++) {
            const ArConnection *cn = &g_array_index(st->connections, ArConnection, c);
            if (cn->kind == CONN_NVA) {
                ArSpeaker *nva = net->nva[cn->target];
                bgp_session_new(net->sim, site, site->ip, nva, nva->ip);
            } else if (cn->kind == CONN_EXPRESSROUTE) {
                /* A circuit is two links, each a BGP session between the site's router and one
                 * of Microsoft's edge routers (MSEE), both active (expressroute-routing.md: a
                 * redundant pair of BGP sessions). A circuit named by several connections reaches
                 * several gateways (VNets linked to one circuit). */
                ArSpeaker **pair = msee_of[cn->circuit_of];
                if (!pair[0]) {
                    g_autofree char *base = scn_msee_name(scn, st, c);
                    for (int l = 0; l < 2; l++) {
                        /* The customer's router takes the /30's first address, the MSEE the
                         * second (expressroute-routing.md). */
                        ArPrefix lp = cn->link_prefix[l].len ? cn->link_prefix[l] : default_link_prefix(circuit_no, l);
                        g_autofree char *name = g_strdup_printf("%s/%s", base, scn_link_names[l]);
                        ArSpeaker *msee = bgp_speaker_new(net->sim, name, NODE_MSEE, AR_ASN_MSEE, lp.addr + 2u, &policy_msee);
                        msee->resource = cn;
                        msee->instance = l;
                        pair[l] = msee;
                        g_ptr_array_add(net->msee, msee);
                        /* Circuit prefix limit from on-premises, per session (expressroute-routing.md). */
                        ArSession *s = bgp_session_new(net->sim, msee, msee->ip, site, lp.addr + 1u);
                        if (!scn->settings.lift_limits)
                            bgp_peer(msee, s->peer[0])->route_limit = cn->sku == SKU_PREMIUM ? AR_ER_PREMIUM_LIMIT : AR_ER_STANDARD_LIMIT;
                    }
                    circuit_no++;
                }
                /* Each gateway instance peers with both of the circuit's edge routers (LAB: the
                 * gateway lists two AS 12076 neighbours beside the Route Server's instances). */
                for (int l = 0; l < 2; l++)
                    for (int k = 0; k < 2 && net->gw[cn->target][k]; k++) {
                        ArSpeaker *ergw = net->gw[cn->target][k];
                        ArSession *s = bgp_session_new(net->sim, ergw, ergw->ip, pair[l], pair[l]->ip);
                        bgp_peer(ergw, s->peer[0])->import_weight = WEIGHT_MSEE;
                    }
            } else if (cn->bgp) {
                for (int k = 0; k < 2 && net->gw[cn->target][k]; k++) {
                    ArSpeaker *vpn = net->gw[cn->target][k];
                    ArSession *s = bgp_session_new(net->sim, vpn, vpn->ip, site, site->ip);
                    /* Every learned route has weight 32768 on a gateway (LAB): the site's own
                     * path is not outweighed by the Route Server's, the AS path decides. */
                    bgp_peer(vpn, s->peer[0])->import_weight = WEIGHT_LEARNED;
                    if (!scn->settings.lift_limits)
                        bgp_peer(vpn, s->peer[0])->route_limit = AR_VPN_SITE_LIMIT;
                }
            } else {
                /* Static site: the gateway originates its prefixes (ERVPN). */
                for (int k = 0; k < 2 && net->gw[cn->target][k]; k++)
                    azure_originate_all(net->gw[cn->target][k], st->prefixes, RT_STATIC);
            }
        }
    }
}

int azure_home_vnet(const ArSpeaker *sp)
{
    switch (sp->kind) {
    case NODE_ROUTE_SERVER: return ((const ArRouteServer *)sp->resource)->vnet;
    case NODE_ER_GATEWAY:
    case NODE_VPN_GATEWAY: return ((const ArGateway *)sp->resource)->vnet;
    case NODE_NVA: return ((const ArNva *)sp->resource)->vnet;
    case NODE_SITE:
    case NODE_MSEE:
    case NODE_KIND_COUNT: break;
    }
    return AR_NO_INDEX;
}

ArSimConfig azure_sim_config(const ArScenario *scn, const ArSimConfig *override)
{
    const ArSettings *st = &scn->settings;
    ArSimConfig c = { .link_delay = st->link_delay, .proc_delay = st->proc_delay, .jitter = st->jitter,
                      .mrai = st->mrai, .hold_time = st->hold_time, .session_setup = st->session_setup,
                      .retry_after_limit = st->retry_after_limit };
    if (override) {
        if (override->link_delay)
            c.link_delay = override->link_delay;
        if (override->proc_delay)
            c.proc_delay = override->proc_delay;
        if (override->jitter)
            c.jitter = override->jitter;
        if (override->mrai)
            c.mrai = override->mrai;
        c.max_events = override->max_events;
        c.max_prefixes = override->max_prefixes;
        c.seed = override->seed;
        c.until = override->until;
    }
    return c;
}

static void keys_of(GArray *keys, const GArray *prefixes)
{
    for (guint i = 0; prefixes && i < prefixes->len; i++) {
        uint64_t k = pfx_key(g_array_index(prefixes, ArPrefix, i));
        g_array_append_val(keys, k);
    }
}

static void keys_of_table(GArray *keys, const ArRouteTable *t)
{
    for (guint i = 0; t && i < t->routes->len; i++) {
        uint64_t k = pfx_key(g_array_index(t->routes, ArTableRoute, i).prefix);
        g_array_append_val(keys, k);
    }
}

/* Gives every prefix the scenario names (VNet spaces, what NVAs and sites announce, their route
 * files, the events' announcements) its id before anything is originated, in prefix order
 * (pfxtab_intern_sorted: ids in prefix order keep the engine's walks sequential). Prefixes that
 * appear only later (a live peer's) get ids as they come. O(n log n). */
static void intern_scenario_prefixes(ArNet *net)
{
    const ArScenario *scn = net->scn;
    g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    for (guint i = 0; i < scn->vnets->len; i++)
        keys_of(keys, ((const ArVnet *)g_ptr_array_index(scn->vnets, i))->prefixes);
    for (guint i = 0; i < scn->nvas->len; i++) {
        const ArNva *nva = g_ptr_array_index(scn->nvas, i);
        for (guint k = 0; k < nva->originations->len; k++) {
            uint64_t key = pfx_key(g_array_index(nva->originations, ArOrigination, k).prefix);
            g_array_append_val(keys, key);
        }
        keys_of_table(keys, nva->table);
    }
    for (guint i = 0; i < scn->sites->len; i++) {
        const ArSite *st = g_ptr_array_index(scn->sites, i);
        keys_of(keys, st->prefixes);
        keys_of_table(keys, st->table);
    }
    for (guint i = 0; i < scn->events->len; i++)
        keys_of(keys, g_array_index(scn->events, ArScnEvent, i).prefixes);
    pfxtab_intern_sorted(&net->sim->pfx, keys);
}

ArNet *azure_net(const ArScenario *scn, const ArSimConfig *cfg)
{
    ArNet *net = g_new0(ArNet, 1);
    net->scn = scn;
    ArSimConfig c = azure_sim_config(scn, cfg);
    net->sim = bgp_sim_new(&c);
    net->rs_cfg = g_new0(ArRouteServer, scn->route_servers->len + 1);
    for (guint i = 0; i < scn->route_servers->len; i++)
        net->rs_cfg[i] = *(const ArRouteServer *)g_ptr_array_index(scn->route_servers, i); /* name borrowed */
    net->rs = g_new0(ArInstPair, scn->route_servers->len + 1);
    net->gw = g_new0(ArInstPair, scn->gateways->len + 1);
    net->nva = g_new0(ArSpeaker *, scn->nvas->len + 1);
    net->site = g_new0(ArSpeaker *, scn->sites->len + 1);
    net->msee = g_ptr_array_new();
    intern_scenario_prefixes(net);
    build_route_servers(net);
    build_gateways(net);
    build_nvas(net);
    build_sites(net);
    connect_route_server_peers(net);
    connect_sites(net);
    azure_session_limits(net);
    azure_events(net);
    return net;
}

void azure_net_free(ArNet *net)
{
    if (!net)
        return;
    bgp_sim_free(net->sim);
    azure_events_free(net);
    g_free(net->rs_cfg);
    g_free(net->rs);
    g_free(net->gw);
    g_free(net->nva);
    g_free(net->site);
    g_ptr_array_free(net->msee, TRUE);
    g_free(net);
}
