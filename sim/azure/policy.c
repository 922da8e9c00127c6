/* policy.c - Azure's documented routing rules as import/export policies of each node kind.
 * Source keys (FAQ, ERVPN, INJ, MR, LAB...) are those of docs/azure-rules.md. */
#include "azure_priv.h"
#include "arsim/limits.h"

static bool is_gateway(const ArSpeaker *sp)
{
    return sp && (sp->kind == NODE_ER_GATEWAY || sp->kind == NODE_VPN_GATEWAY);
}

/* ---- Route Server ---------------------------------------------------------------------------- */

static const ArAttrs *rs_import(ArSpeaker *sp, ArPeer *from, const ArAttrs *in, const char **why)
{
    /* Loop prevention: a path holding 65515 is dropped, whoever sent it (MR, FAQ). */
    if (attr_path_contains(in->path, AR_ASN_ROUTE_SERVER)) {
        *why = "AS path holds 65515 (Route Server loop prevention)";
        return NULL;
    }
    if (attr_path_contains(in->path, 0)) {
        *why = "AS 0 in the path";
        return NULL;
    }
    /* Transit prevention: routes another Route Server tagged toward its gateway come back through
     * a shared circuit and are dropped here (FAQ). */
    if (is_gateway(from->remote) && attr_comms_has(in->comms, COMM_ARS_TRANSIT)) {
        *why = "community 65517:65517 from a gateway (transit prevention)";
        return NULL;
    }
    return bgp_import_standard(sp, from, in, why);
}

/* True when p lies within one of sp's VNet-space prefixes. The filter is sorted and disjoint
 * (build.c): only the last prefix starting at or before p's address can contain p. O(log filter). */
static bool in_vnet_space(const ArSpeaker *sp, ArPrefix p)
{
    if (!sp->filter || !sp->filter->len)
        return false;
    const ArPrefix *f = (const ArPrefix *)(const void *)sp->filter->data;
    guint lo = 0, hi = sp->filter->len; /* first index with f.addr > p.addr */
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (f[mid].addr <= p.addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && pfx_within(p, f[lo - 1]);
}

static bool rs_accept(ArSpeaker *sp, ArPeer *from, ArPrefix p, const char **why)
{
    /* An NVA prefix equal to or longer than the VNet space is neither advertised nor injected;
     * supernets are accepted (INJ). */
    if (from->remote->kind == NODE_NVA && in_vnet_space(sp, p)) {
        *why = "prefix equal to or longer than the VNet address space";
        return false;
    }
    return true;
}

static const ArAttrs *rs_export(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why)
{
    const ArRouteServer *cfg = sp->cfg;
    const ArSpeaker *src = bgp_route_source(sp, r);
    const ArSpeaker *dst = to->remote;
    if (r->peer == to->index) {
        *why = "not sent back to the peer it came from";
        return NULL;
    }
    if (src && src->resource == dst->resource) {
        *why = "not sent to another instance of the gateway it came from";
        return NULL;
    }
    if (attr_comms_has(rt_attrs(r)->comms, COMM_NO_ADVERTISE)) {
        *why = "NO_ADVERTISE: injected into VMs, advertised to no peer (INJ)";
        return NULL;
    }
    ArSim *sim = sp->sim;
    if (dst->kind == NODE_NVA) {
        if (!src && !(r->flags & RT_VNET)) {
            *why = "not a VNet prefix";
            return NULL;
        }
        if (src && src->kind == NODE_NVA && !cfg->reflect_nva_to_nva) {
            *why = "NVA-to-NVA reflection is off (nvaToNvaReflection)";
            return NULL;
        }
        if (src && src->kind != NODE_NVA && !cfg->branch_to_branch) {
            *why = "branch-to-branch is off: gateway routes are not sent to NVAs (FAQ)";
            return NULL;
        }
        if (attr_comms_has(rt_attrs(r)->comms, COMM_NO_EXPORT)) {
            *why = "community NO_EXPORT (RFC 1997)";
            return NULL;
        }
        /* eBGP: 65515 prepended; a reflected route keeps its next hop (LAB). */
        ArAttrs c = *rt_attrs(r);
        c.path = attr_path_prepend(sim->attrs, rt_attrs(r)->path, sp->asn);
        c.next_hop = src ? rt_attrs(r)->next_hop : to->local_ip;
        c.weight = 0;
        c.local_pref = AR_LOCAL_PREF_DEFAULT;
        c.med = 0;
        return attr_intern(sim->attrs, &c);
    }
    if (is_gateway(dst)) {
        /* Gateways know the VNet space themselves; learned routes cross only with b2b (ERVPN),
         * and never between two gateways of the same kind. */
        if (!src) {
            *why = "gateways know the VNet address space themselves";
            return NULL;
        }
        if (!cfg->branch_to_branch) {
            *why = "branch-to-branch is off: learned routes are not sent to gateways (FAQ)";
            return NULL;
        }
        if (is_gateway(src) && src->kind == dst->kind) {
            *why = "not between two gateways of the same kind";
            return NULL;
        }
        ArAttrs c = *rt_attrs(r);
        c.weight = 0;
        if (dst->kind == NODE_ER_GATEWAY)
            c.comms = attr_comms_add(sim->attrs, c.comms, COMM_ARS_TRANSIT); /* FAQ, ERVPN */
        return attr_intern(sim->attrs, &c);
    }
    *why = "not a Route Server peer";
    return NULL;
}

int azure_hub_rank(ArHubPref pref, bool expressroute)
{
    switch (pref) {
    case HUBPREF_EXPRESSROUTE: return expressroute ? 0 : 1; /* ExpressRoute over VPN and NVA */
    case HUBPREF_VPNGATEWAY: return expressroute ? 1 : 0;   /* VPN and NVA over ExpressRoute */
    case HUBPREF_ASPATH: return 0;                          /* no preference: AS path decides */
    }
    return 0;
}

/* The Route Server's decision under hubRoutingPreference (HRP): learned paths ranked by
 * azure_hub_rank, its own (VNet) paths before them all. O(1). */
static int rs_rank(const ArSpeaker *sp, const ArRoute *r)
{
    const ArRouteServer *cfg = sp->cfg;
    const ArSpeaker *src = bgp_route_source(sp, r);
    if (!cfg || !src)
        return -1;
    return azure_hub_rank(cfg->hub_pref, src->kind == NODE_ER_GATEWAY);
}

const ArPolicy policy_route_server = { .import = rs_import, .accept = rs_accept, .export = rs_export, .rank = rs_rank,
                                       .export_resource = true };

/* ---- ExpressRoute gateway -------------------------------------------------------------------- */

static const ArAttrs *ergw_export(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why)
{
    const ArSpeaker *src = bgp_route_source(sp, r);
    if (r->peer == to->index) {
        *why = "not sent back to the peer it came from";
        return NULL;
    }
    if (to->remote->kind == NODE_MSEE) {
        /* One circuit's routes never reach another circuit through the gateway (ERVPN). */
        if (src && src->kind == NODE_MSEE) {
            *why = "one circuit's routes never reach another circuit through the gateway (ERVPN)";
            return NULL;
        }
        return bgp_export_standard(sp, to, key, r, why);
    }
    /* Toward the Route Server (iBGP): what the circuits taught us, next hop self. */
    if (!src || src->kind != NODE_MSEE) {
        *why = "the gateway sends the Route Server only what its circuits taught it";
        return NULL;
    }
    const ArAttrs *a = bgp_export_standard(sp, to, key, r, why);
    return a ? bgp_attrs_with(sp->sim, a, a->path, a->comms, to->local_ip) : NULL;
}

/* From its circuits the gateway accepts paths that hold 65515: they are other VNets linked to the
 * same circuit, which Azure lets reach each other through the MSEE (and whose Route Servers then
 * drop them, MR / FAQ transit prevention). From the Route Server (iBGP) the standard rules hold. */
static const ArAttrs *ergw_import(ArSpeaker *sp, ArPeer *from, const ArAttrs *in, const char **why)
{
    if (from->remote->kind != NODE_MSEE)
        return bgp_import_standard(sp, from, in, why);
    if (in->weight == from->import_weight)
        return in;
    ArAttrs c = *in;
    c.weight = from->import_weight;
    return attr_intern(sp->sim->attrs, &c);
}

const ArPolicy policy_er_gateway = { .import = ergw_import, .export = ergw_export };

/* ---- VPN gateway ----------------------------------------------------------------------------- */

static const ArAttrs *vpngw_export(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why)
{
    const ArSpeaker *src = bgp_route_source(sp, r);
    if (to->remote->kind == NODE_ROUTE_SERVER) {
        /* Toward the Route Server: BGP sites' routes and static sites' prefixes (ERVPN). */
        bool ok = src ? src->kind == NODE_SITE : (r->flags & RT_STATIC) != 0;
        if (!ok) {
            *why = "the gateway sends the Route Server only its sites' routes";
            return NULL;
        }
        const ArAttrs *a = bgp_export_standard(sp, to, key, r, why);
        return a ? bgp_attrs_with(sp->sim, a, a->path, a->comms, to->local_ip) : NULL;
    }
    return bgp_export_standard(sp, to, key, r, why); /* toward sites: plain eBGP, transit between sites */
}

/* VPN gateways filter what their sites announce inside the VNet space (rule book 5). */
static bool vpngw_accept(ArSpeaker *sp, ArPeer *from, ArPrefix p, const char **why)
{
    if (from->remote->kind == NODE_SITE && in_vnet_space(sp, p)) {
        *why = "prefix equal to or longer than the VNet address space (VPN gateway filter)";
        return false;
    }
    return true;
}

const ArPolicy policy_vpn_gateway = { .import = bgp_import_standard, .accept = vpngw_accept, .export = vpngw_export };

/* ---- MSEE ------------------------------------------------------------------------------------ */

/* The VNet communities of prefix p when it is a VNet's own space with bgpCommunities set
 * (sp->cfg: the scenario, set by azure_session_limits only when some VNet has them): comms with
 * the VNet's custom and regional communities added. O(VNets x their prefixes). */
static const ArComms *vnet_communities(const ArSpeaker *sp, ArPrefix p, const ArComms *comms)
{
    const ArScenario *scn = sp->cfg;
    for (guint v = 0; scn && v < scn->vnets->len; v++) {
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        if (!vn->community)
            continue;
        for (guint k = 0; k < vn->prefixes->len; k++)
            if (pfx_within(p, g_array_index(vn->prefixes, ArPrefix, k))) {
                comms = attr_comms_add(sp->sim->attrs, comms, vn->community);
                return vn->regional ? attr_comms_add(sp->sim->attrs, comms, vn->regional) : comms;
            }
    }
    return comms;
}

static const ArAttrs *msee_export(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why)
{
    /* What one instance of a gateway announced is not sent to its other instance: the connection
     * links the circuit to the gateway, not the gateway to itself. */
    const ArSpeaker *src = bgp_route_source(sp, r);
    if (src && src->resource == to->remote->resource && src->kind == NODE_ER_GATEWAY) {
        *why = "not sent to another instance of the gateway it came from";
        return NULL;
    }
    const ArAttrs *a = bgp_export_standard(sp, to, key, r, why);
    if (!a || to->remote->kind != NODE_SITE)
        return a;
    /* Toward on-premises private ASNs are removed: the site sees 12076 only (FAQ). A VNet's own
     * prefixes carry its custom BGP community and its region's (expressroute-routing.md, "Support
     * for BGP communities"). */
    const ArAsPath *p = attr_path_remove_private(sp->sim->attrs, a->path);
    const ArComms *c = src && src->kind == NODE_ER_GATEWAY ? vnet_communities(sp, pfx_from_key(key), a->comms) : a->comms;
    return p == a->path && c == a->comms ? a : bgp_attrs_with(sp->sim, a, p, c, a->next_hop);
}

const ArPolicy policy_msee = { .import = bgp_import_standard, .export = msee_export, .export_resource = true };

const ArPolicy policy_standard = { .import = bgp_import_standard, .export = bgp_export_standard };

/* ---- limits on Azure's own sessions -------------------------------------------------------- */

void azure_session_limits(ArNet *net)
{
    /* MSEEs tag VNet prefixes toward on-premises when some VNet has bgpCommunities. */
    for (guint v = 0; v < net->scn->vnets->len; v++)
        if (((const ArVnet *)g_ptr_array_index(net->scn->vnets, v))->community) {
            for (guint m = 0; m < net->msee->len; m++) {
                ArSpeaker *msee = g_ptr_array_index(net->msee, m);
                msee->cfg = net->scn;
                msee->export_reads_prefix = true; /* msee_export's communities depend on the prefix */
            }
            break;
        }
    if (net->scn->settings.lift_limits)
        return;
    const GPtrArray *ss = net->sim->sessions;
    for (guint i = 0; i < ss->len; i++) {
        const ArSession *s = g_ptr_array_index(ss, i);
        for (int side = 0; side < 2; side++) {
            const ArSpeaker *me = s->sp[side], *other = s->sp[1 - side];
            ArPeer *p = bgp_peer(me, s->peer[side]);
            /* A gateway accepts at most 1,000 routes from a Route Server instance; past it the
             * session drops and on-premises loses what the Route Server taught (LIM). */
            if (is_gateway(me) && other->kind == NODE_ROUTE_SERVER)
                p->route_limit = AR_RS_GATEWAY_LIMIT;
            /* A circuit accepts at most 1,000 routes from an ExpressRoute gateway (VNet space and
             * what the Route Server taught it); past it the BGP session disconnects and is restored
             * once the count is below the limit (expressroute-limits, expressroute-faqs). */
            else if (me->kind == NODE_MSEE && other->kind == NODE_ER_GATEWAY)
                p->route_limit = AR_ER_AZURE_LIMIT;
        }
    }
}
