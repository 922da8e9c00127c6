/* decision.c - the BGP decision process as a table of rules, one criterion each (RFC 4271 9.1). */
#include "arsim/bgp.h"

/* Each rule compares two paths to the same prefix and returns > 0 when a is better, < 0 when b is
 * better, 0 to defer to the next rule. The order follows what Azure's routers document: weight
 * first (LAB: the ExpressRoute gateway's MSEE path has weight 32769), the Route Server's hub
 * routing preference before AS-path length (HRP), then RFC 4271 9.1.2.2. */

#define PREFER_HIGHER(x, y) ((x) > (y) ? 1 : (x) < (y) ? -1 : 0)
#define PREFER_LOWER(x, y) ((x) < (y) ? 1 : (x) > (y) ? -1 : 0)

/* Azure / Cisco weight: higher wins. Local to the speaker, set by import. */
static int dp_weight(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_HIGHER(a->attrs->weight, b->attrs->weight);
}

/* RFC 4271 9.1.1: degree of preference = LOCAL_PREF, higher wins. */
static int dp_local_pref(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_HIGHER(a->attrs->local_pref, b->attrs->local_pref);
}

/* Locally originated over learned (Cisco step 3; RFC 4271 leaves it to local policy). */
static int dp_local(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_HIGHER(a->peer == PEER_LOCAL, b->peer == PEER_LOCAL);
}

/* Rank of a path's source under hubRoutingPreference: lower wins. */
static int hub_rank(const ArSpeaker *sp, const ArRoute *r)
{
    const ArRouteServer *rs = sp->cfg;
    const ArSpeaker *src = bgp_route_source(sp, r);
    if (!src)
        return 0;
    bool er = src->kind == NODE_ER_GATEWAY;
    switch (rs->hub_pref) {
    case HUBPREF_EXPRESSROUTE: return er ? 1 : 2; /* ExpressRoute over VPN and NVA */
    case HUBPREF_VPNGATEWAY: return er ? 2 : 1;   /* VPN and NVA over ExpressRoute */
    case HUBPREF_ASPATH: return 1;                /* no preference: AS path decides */
    }
    return 1;
}

/* Azure hubRoutingPreference (HRP): only the Route Server applies it, between equal prefixes. */
static int dp_hub_pref(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    if (sp->kind != NODE_ROUTE_SERVER || !sp->cfg)
        return 0;
    return PREFER_LOWER(hub_rank(sp, a), hub_rank(sp, b));
}

/* RFC 4271 9.1.2.2 (a): shorter AS_PATH wins. */
static int dp_as_path(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_LOWER(a->attrs->path->len, b->attrs->path->len);
}

/* RFC 4271 9.1.2.2 (b): lower ORIGIN wins (IGP < EGP < INCOMPLETE). */
static int dp_origin(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_LOWER(a->attrs->origin, b->attrs->origin);
}

/* RFC 4271 9.1.2.2 (c): lower MULTI_EXIT_DISC wins, only between paths from the same neighbour AS. */
static int dp_med(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    const ArAsPath *pa = a->attrs->path, *pb = b->attrs->path;
    uint32_t na = pa->len ? pa->asns[0] : sp->asn, nb = pb->len ? pb->asns[0] : sp->asn;
    if (na != nb)
        return 0;
    return PREFER_LOWER(a->attrs->med, b->attrs->med);
}

/* RFC 4271 9.1.2.2 (d): a path learned over eBGP wins over one learned over iBGP. (Clause (e),
 * interior cost to the next hop, is not modelled: every next hop is one hop away.) */
static int dp_ebgp(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    return PREFER_LOWER(bgp_route_ibgp(sp, a), bgp_route_ibgp(sp, b));
}

/* RFC 4271 9.1.2.2 (f): lower BGP Identifier of the advertising speaker wins. */
static int dp_router_id(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    const ArSpeaker *sa = bgp_route_source(sp, a), *sb = bgp_route_source(sp, b);
    return PREFER_LOWER(sa ? sa->ip : sp->ip, sb ? sb->ip : sp->ip);
}

/* RFC 4271 9.1.2.2 (g): lower peer address wins; then lower peer index, so the order is total. */
static int dp_peer_addr(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b)
{
    uint32_t ia = a->peer == PEER_LOCAL ? 0 : bgp_peer(sp, a->peer)->remote->ip;
    uint32_t ib = b->peer == PEER_LOCAL ? 0 : bgp_peer(sp, b->peer)->remote->ip;
    int c = PREFER_LOWER(ia, ib);
    return c ? c : PREFER_LOWER(a->peer, b->peer);
}

const ArDpRule dp_rules[] = {
    { "weight", "Azure/Cisco weight (LAB)", dp_weight },
    { "local preference", "RFC 4271 9.1.1", dp_local_pref },
    { "locally originated", "local policy (RFC 4271 9.1.1)", dp_local },
    { "hub routing preference", "Azure hubRoutingPreference (HRP)", dp_hub_pref },
    { "AS path length", "RFC 4271 9.1.2.2 (a)", dp_as_path },
    { "origin", "RFC 4271 9.1.2.2 (b)", dp_origin },
    { "MED", "RFC 4271 9.1.2.2 (c)", dp_med },
    { "eBGP over iBGP", "RFC 4271 9.1.2.2 (d)", dp_ebgp },
    { "router ID", "RFC 4271 9.1.2.2 (f)", dp_router_id },
    { "peer address", "RFC 4271 9.1.2.2 (g)", dp_peer_addr },
};
const size_t dp_rule_count = G_N_ELEMENTS(dp_rules);

int dp_compare(const ArSpeaker *sp, const ArRoute *a, const ArRoute *b, size_t *rule)
{
    for (size_t i = 0; i < dp_rule_count; i++) {
        int c = dp_rules[i].cmp(sp, a, b);
        if (c) {
            if (rule)
                *rule = i;
            return c;
        }
    }
    if (rule)
        *rule = dp_rule_count;
    return 0;
}

ArRoute *dp_best(const ArSpeaker *sp, const ArRibNet *n)
{
    ArRoute *best = NULL;
    for (ArRoute *r = n->routes; r; r = r->next)
        if (!best || dp_compare(sp, r, best, NULL) > 0)
            best = r;
    return best;
}
