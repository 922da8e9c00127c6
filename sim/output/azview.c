/* azview.c - the simulation as Azure's CLI prints it: NIC effective routes, gateway learned routes. */
#include "arsim/output.h"

#include <string.h>

static cJSON *ip_str(uint32_t ip)
{
    char buf[IP_STRLEN];
    return cJSON_CreateString(ip_format(ip, buf));
}

/* The table VMs of where get: "VNET/SUBNET" for a subnet with a route table, else the VNet's
 * (a subnet without one, or "VNET"). NULL when the VNet is not in the scenario. O(tables). */
static const ArEffTable *nic_table(const ArRun *run, const char *where)
{
    const ArScenario *scn = run->net->scn;
    g_autofree char *vnet = g_strdup(where);
    char *slash = strchr(vnet, '/');
    if (slash)
        *slash = '\0';
    const ArEffTable *fallback = NULL;
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        g_autofree char *name = eff_table_name(scn, t);
        if (strcmp(name, where) == 0)
            return t;
        const ArVnet *vn = g_ptr_array_index(scn->vnets, t->vnet);
        if (t->subnet == AR_NO_INDEX && strcmp(vn->name, vnet) == 0)
            fallback = t;
    }
    return fallback;
}

cJSON *out_az_nic_routes_json(const ArRun *run, const char *where, GError **error)
{
    const ArEffTable *t = nic_table(run, where);
    if (!t) {
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "no VNet named \"%s\" in the scenario (a NIC is named VNET or "
                    "VNET/SUBNET)", where);
        return NULL;
    }
    bool disable = false;
    if (t->subnet != AR_NO_INDEX) {
        const ArVnet *vn = g_ptr_array_index(run->net->scn->vnets, t->vnet);
        disable = ((const ArSubnet *)g_ptr_array_index(vn->subnets, t->subnet))->disable_bgp;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNullToObject(doc, "nextLink");
    cJSON *arr = cJSON_AddArrayToObject(doc, "value");
    char buf[PFX_STRLEN];
    /* Keys in the order az prints them (sorted). */
    ArEffIter it;
    eff_iter_init(&it, t);
    for (const ArEffRoute *r; (r = eff_iter_next(&it));) {
        cJSON *o = cJSON_CreateObject();
        cJSON *p = cJSON_AddArrayToObject(o, "addressPrefix");
        cJSON_AddItemToArray(p, cJSON_CreateString(pfx_format(r->prefix, buf)));
        cJSON_AddBoolToObject(o, "disableBgpRoutePropagation", disable);
        cJSON_AddBoolToObject(o, "hasBgpOverride", false);
        cJSON_AddNullToObject(o, "name");
        cJSON *ips = cJSON_AddArrayToObject(o, "nextHopIpAddress");
        for (guint k = 0; k < r->next_hops->len; k++)
            cJSON_AddItemToArray(ips, ip_str(g_array_index(r->next_hops, uint32_t, k)));
        cJSON_AddStringToObject(o, "nextHopType", eff_nh_type_name(r->type));
        cJSON_AddStringToObject(o, "source", eff_source_name(r));
        cJSON_AddStringToObject(o, "state", "Active");
        cJSON_AddItemToArray(arr, o);
    }
    return doc;
}

cJSON *out_az_gateway_routes_json(const ArRun *run, const char *gw, GError **error)
{
    const ArScenario *scn = run->net->scn;
    int g = scn_find(scn->gateways, gw);
    if (g == AR_NO_INDEX) {
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "no gateway named \"%s\" in the scenario", gw);
        return NULL;
    }
    const void *res = g_ptr_array_index(scn->gateways, g);
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(doc, "value");
    char buf[PFX_STRLEN];
    const ArSim *sim = run->net->sim;
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        if (sp->resource != res || (sp->kind != NODE_VPN_GATEWAY && sp->kind != NODE_ER_GATEWAY))
            continue;
        g_autoptr(GArray) keys = rib_sorted_keys(&sp->rib);
        for (guint k = 0; k < keys->len; k++) {
            uint64_t key = g_array_index(keys, uint64_t, k);
            const ArRibNet *n = rib_find(&sp->rib, key);
            for (const ArRoute *r = n ? rib_first(n) : NULL; r; r = rib_route_next(n, r)) {
                bool local = r->peer == PEER_LOCAL;
                const ArPeer *p = local ? NULL : bgp_peer(sp, r->peer);
                g_autofree char *path = attr_path_to_string(rt_attrs(r)->path);
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "asPath", path);
                cJSON_AddItemToObject(o, "localAddress", ip_str(sp->ip));
                cJSON_AddStringToObject(o, "network", pfx_format(pfx_from_key(key), buf));
                /* The gateway's own VNet prefixes: origin Network, no next hop (as Azure lists them). */
                cJSON_AddItemToObject(o, "nextHop", local ? cJSON_CreateString("") : ip_str(rt_attrs(r)->next_hop));
                cJSON_AddStringToObject(o, "origin", local ? "Network" : p->session->ibgp ? "IBgp" : "EBgp");
                cJSON_AddItemToObject(o, "sourcePeer", ip_str(local ? sp->ip : p->remote->ip));
                cJSON_AddNumberToObject(o, "weight", local ? 32768 : rt_attrs(r)->weight);
                cJSON_AddItemToArray(arr, o);
            }
        }
    }
    return doc;
}
