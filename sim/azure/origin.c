/* origin.c - what Azure nodes originate themselves: local attributes, prefix lists, route tables
 * read from files. Shared by the build (build.c) and by scenario events (events.c). */
#include "azure_priv.h"

const ArAttrs *azure_local_attrs(ArSim *sim, uint32_t next_hop, const GArray *path, const GArray *comms)
{
    ArAttrs a = *sim->empty;
    if (path && path->len)
        a.path = attr_path(sim->attrs, (const uint32_t *)(const void *)path->data, path->len);
    if (comms && comms->len)
        a.comms = attr_comms(sim->attrs, (const uint32_t *)(const void *)comms->data, comms->len);
    a.next_hop = next_hop;
    a.weight = AR_WEIGHT_LOCAL;
    return attr_intern(sim->attrs, &a);
}

void azure_originate_all(ArSpeaker *sp, const GArray *prefixes, uint16_t flags)
{
    const ArAttrs *a = azure_local_attrs(sp->sim, sp->ip, NULL, NULL);
    bgp_originate_list(sp, (const ArPrefix *)(const void *)prefixes->data, prefixes->len, a, flags);
}

/* Originates every route of a file's table (routesFrom) at sp with next hop next_hop: each
 * distinct attribute set interned once, then one bgp_originate per route: O(routes + sets). A path
 * that starts with sp's own ASN (a dump taken at a peer of the node, or at a collector) loses that
 * first ASN, which sp puts back in front when it exports. */
void azure_originate_table(ArSpeaker *sp, const ArRouteTable *t, uint32_t next_hop)
{
    if (!t)
        return;
    g_autofree const ArAttrs **set = g_new(const ArAttrs *, t->attrs->len + 1);
    for (guint i = 0; i < t->attrs->len; i++) {
        const ArTableAttrs *ta = &g_array_index(t->attrs, ArTableAttrs, i);
        const uint32_t *path = &g_array_index(t->asns, uint32_t, ta->path_at);
        uint32_t np = ta->path_len;
        if (np && path[0] == sp->asn) {
            path++;
            np--;
        }
        ArAttrs a = *sp->sim->empty;
        a.path = attr_path(sp->sim->attrs, path, np);
        a.comms = attr_comms(sp->sim->attrs, &g_array_index(t->comms, uint32_t, ta->comm_at), ta->comm_len);
        a.next_hop = next_hop;
        a.weight = AR_WEIGHT_LOCAL;
        a.origin = ta->origin;
        a.med = ta->med;
        set[i] = attr_intern(sp->sim->attrs, &a);
    }
    for (guint i = 0; i < t->routes->len; i++) {
        const ArTableRoute *r = &g_array_index(t->routes, ArTableRoute, i);
        bgp_originate(sp, r->prefix, set[r->attrs], 0);
    }
}

