/* azimport_hub.c - VNets, Route Servers, gateways and NVAs of an export, as scenario objects. */
#include "azi.h"

#include "arsim/names.h"

#include <string.h>

/* ---- VNets ---- */

void azi_import_vnets(AzCtx *c)
{
    for (guint i = 0; i < c->res[AZK_VNET]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_VNET], i);
        const cJSON *space = azi_jget(r->obj, "addressSpace");
        const cJSON *list = space ? azi_jget(space, "addressPrefixes") : NULL;
        if (list && !cJSON_IsArray(list)) {
            azi_az_diag(c, DIAG_ERROR, r->f, list, "expected addressSpace.addressPrefixes as an array, got %s",
                    load_type_name(list));
            continue;
        }
        AzVnet *v = g_new0(AzVnet, 1);
        v->r = r;
        v->prefixes = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
        v->subs = g_ptr_array_new();
        for (const cJSON *p = list ? list->child : NULL; p; p = p->next) {
            ArPrefix pf;
            if (azi_prefix_of(c, r, p, &pf))
                g_array_append_val(v->prefixes, pf);
        }
        if (v->prefixes->len == 0) {
            AZ_WARN(c, r, "skipped virtual network \"%s\": missing field addressSpace.addressPrefixes (no IPv4 prefix)",
                    r->name);
            g_array_free(v->prefixes, TRUE);
            g_ptr_array_free(v->subs, TRUE);
            g_free(v);
            continue;
        }
        r->out = azi_clean_name(c, r, r->name);
        const cJSON *subs = azi_jget(r->obj, "subnets");
        for (const cJSON *s = cJSON_IsArray(subs) ? subs->child : NULL; s; s = s->next)
            if (cJSON_IsObject(s))
                g_ptr_array_add(v->subs, (gpointer)s);
        g_ptr_array_add(c->vnets, v);
        g_hash_table_insert(c->vnet_by, (gpointer)r->name, v);
    }
    /* Subnets listed as resources of their own (templates) join their VNet's inline ones. */
    for (guint i = 0; i < c->res[AZK_SUBNET]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_SUBNET], i);
        AzVnet *v = g_hash_table_lookup(c->vnet_by, r->parent);
        if (!v)
            continue;
        gboolean dup = FALSE;
        for (guint k = 0; k < v->subs->len && !dup; k++) {
            const char *n = azi_str_of(c, r, g_ptr_array_index(v->subs, k), "name");
            dup = n && strcmp(n, r->name) == 0;
        }
        if (!dup)
            g_ptr_array_add(v->subs, (gpointer)r->obj);
    }
}

/* The VNet whose subnet lists an IP configuration of resource NAME of type seg (virtualHubs,
 * virtualNetworkGateways): where Azure placed it. */
static AzVnet *vnet_by_ipconfig(AzCtx *c, const char *seg, const char *name)
{
    for (guint i = 0; i < c->vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c->vnets, i);
        for (guint k = 0; k < v->subs->len; k++) {
            const cJSON *cfgs = azi_jget(g_ptr_array_index(v->subs, k), "ipConfigurations");
            for (const cJSON *ip = cJSON_IsArray(cfgs) ? cfgs->child : NULL; ip; ip = ip->next) {
                const char *owner = azi_id_part(c, azi_sval(c, v->r->f, cJSON_GetObjectItemCaseSensitive(ip, "id")), seg);
                if (owner && strcmp(owner, name) == 0)
                    return v;
            }
        }
    }
    return NULL;
}

/* ---- Route Servers ---- */

/* The format's spelling of hubRoutingPreference s (any case), NULL when s is none of them. */
static const char *hub_pref_name(const char *s)
{
    for (int i = 0; i < HUBPREF_COUNT; i++)
        if (g_ascii_strcasecmp(s, names_hub_pref[i]) == 0)
            return names_hub_pref[i];
    return NULL;
}

/* Two router addresses inside v, else FALSE (arsim then chooses them). */
static gboolean router_ips(AzCtx *c, const AzRes *r, const cJSON *list, const AzVnet *v, cJSON *out)
{
    uint32_t ip[2];
    int n = 0;
    for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next, n++) {
        const char *s = azi_sval(c, r->f, e);
        if (n >= 2 || !s || !ip_parse(s, &ip[n]) || !azi_vnet_holds(v, ip[n]))
            return FALSE;
    }
    if (n != 2 || ip[0] == ip[1])
        return FALSE;
    cJSON *arr = cJSON_AddArrayToObject(out, "virtualRouterIps");
    for (int k = 0; k < 2; k++) {
        char buf[IP_STRLEN];
        cJSON_AddItemToArray(arr, cJSON_CreateString(ip_format(ip[k], buf)));
    }
    return TRUE;
}

void azi_import_route_servers(AzCtx *c)
{
    for (guint i = 0; i < c->res[AZK_HUB]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_HUB], i);
        if (azi_jget(r->obj, "virtualWan")) {
            AZ_WARN(c, r, "skipped virtual hub \"%s\": a Virtual WAN hub (it has \"virtualWan\"), not a Route "
                    "Server; kind not modelled", r->name);
            continue;
        }
        AzVnet *v = vnet_by_ipconfig(c, "virtualHubs", r->name);
        for (guint k = 0; !v && k < c->res[AZK_HUBIPCONF]->len; k++) {
            AzRes *ipc = g_ptr_array_index(c->res[AZK_HUBIPCONF], k);
            const char *vn = strcmp(ipc->parent, r->name) == 0
                                 ? azi_id_part(c, azi_ref_id(c, ipc, ipc->obj, "subnet"), "virtualNetworks") : NULL;
            v = vn ? g_hash_table_lookup(c->vnet_by, vn) : NULL;
        }
        const cJSON *ips = azi_jget(r->obj, "virtualRouterIps");
        if (!v && cJSON_IsArray(ips) && ips->child) {
            uint32_t a;
            const char *s = azi_sval(c, r->f, ips->child);
            if (s && ip_parse(s, &a))
                v = azi_vnet_holding(c, a);
        }
        if (!v) {
            AZ_WARN(c, r, "skipped Route Server \"%s\": cannot tell its VNet (no imported VNet lists its ip "
                    "configuration in a RouteServerSubnet, and no imported VNet holds its virtualRouterIps)", r->name);
            continue;
        }
        if (v->has_rs) {
            AZ_WARN(c, r, "skipped Route Server \"%s\": VNet \"%s\" already has one", r->name, v->r->name);
            continue;
        }
        uint32_t asn = azi_asn_of(c, r, r->obj, "virtualRouterAsn");
        if (asn && asn != 65515)
            AZ_WARN(c, r, "virtualRouterAsn %u: arsim's Route Server always has 65515", asn);
        cJSON *o = cJSON_CreateObject();
        r->out = azi_node_name(c, r, r->name);
        cJSON_AddStringToObject(o, "name", r->out);
        cJSON_AddStringToObject(o, "vnet", v->r->out);
        cJSON_AddBoolToObject(o, "allowBranchToBranchTraffic", azi_bool_of(c, r, r->obj, "allowBranchToBranchTraffic", FALSE));
        const cJSON *pv = azi_jget(r->obj, "hubRoutingPreference");
        const char *pref = azi_sval(c, r->f, pv);
        if (pref && hub_pref_name(pref))
            cJSON_AddStringToObject(o, "hubRoutingPreference", hub_pref_name(pref));
        else if (pv) {
            g_autofree char *choices = names_choices(names_hub_pref, HUBPREF_COUNT);
            azi_az_diag(c, DIAG_ERROR, r->f, pv, "expected hubRoutingPreference %s", choices);
        }
        if (ips && !router_ips(c, r, ips, v, o))
            AZ_WARN(c, r, "virtualRouterIps are not two addresses inside VNet \"%s\": arsim chooses them", v->r->name);
        cJSON_AddItemToArray(c->out_rs, o);
        v->has_hub = TRUE;
        g_hash_table_insert(c->rs_by, (gpointer)r->name, r);
        g_hash_table_insert(c->rs_vnet, (gpointer)r->name, v);
        v->has_rs = TRUE;
    }
}

/* ---- gateways ---- */

/* The instance addresses of a VPN gateway's BGP settings (bgpPeeringAddresses[].defaultBgpIpAddresses,
 * else bgpPeeringAddress "a,b"); added when there is one per instance, inside the VNet. */
static void gateway_ips(AzCtx *c, const AzRes *r, const cJSON *bgp, const AzVnet *v, int instances, cJSON *out)
{
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    const cJSON *addrs = azi_jget(bgp, "bgpPeeringAddresses");
    for (const cJSON *a = cJSON_IsArray(addrs) ? addrs->child : NULL; a; a = a->next) {
        const cJSON *def = azi_jget(a, "defaultBgpIpAddresses");
        const char *s = cJSON_IsArray(def) && def->child ? azi_sval(c, r->f, def->child) : NULL;
        if (s)
            g_ptr_array_add(found, g_strdup(s));
    }
    const char *joined = azi_str_of(c, r, bgp, "bgpPeeringAddress");
    if (found->len == 0 && joined) {
        g_auto(GStrv) parts = g_strsplit(joined, ",", -1);
        for (guint k = 0; parts[k]; k++)
            g_ptr_array_add(found, g_strstrip(g_strdup(parts[k])));
    }
    if ((int)found->len != instances)
        return;
    uint32_t ip[2] = { 0, 0 };
    for (guint k = 0; k < found->len; k++)
        if (!ip_parse(g_ptr_array_index(found, k), &ip[k]) || !azi_vnet_holds(v, ip[k]))
            return;
    if (instances == 2 && ip[0] == ip[1])
        return;
    cJSON *arr = cJSON_AddArrayToObject(out, "ipAddresses");
    for (guint k = 0; k < found->len; k++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(g_ptr_array_index(found, k)));
}

void azi_import_gateways(AzCtx *c)
{
    for (guint i = 0; i < c->res[AZK_GATEWAY]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_GATEWAY], i);
        const cJSON *tv = azi_jget(r->obj, "gatewayType");
        const char *type = azi_sval(c, r->f, tv);
        if (!type) {
            AZ_WARN(c, r, "skipped virtual network gateway \"%s\": missing field gatewayType", r->name);
            continue;
        }
        gboolean vpn = g_ascii_strcasecmp(type, "Vpn") == 0;
        if (!vpn && g_ascii_strcasecmp(type, "ExpressRoute") != 0) {
            AZ_WARN(c, r, "skipped virtual network gateway \"%s\": gatewayType \"%s\" not modelled (Vpn and "
                    "ExpressRoute are)", r->name, type);
            continue;
        }
        AzVnet *v = NULL;
        const cJSON *cfgs = azi_jget(r->obj, "ipConfigurations");
        for (const cJSON *ip = cJSON_IsArray(cfgs) ? cfgs->child : NULL; ip && !v; ip = ip->next) {
            const char *vn = azi_id_part(c, azi_ref_id(c, r, ip, "subnet"), "virtualNetworks");
            v = vn ? g_hash_table_lookup(c->vnet_by, vn) : NULL;
        }
        if (!v)
            v = vnet_by_ipconfig(c, "virtualNetworkGateways", r->name);
        if (!v) {
            AZ_WARN(c, r, "skipped virtual network gateway \"%s\": cannot tell its VNet (missing field "
                    "ipConfigurations[].subnet.id naming an imported VNet's GatewaySubnet)", r->name);
            continue;
        }
        const char *tname = vpn ? "Vpn" : "ExpressRoute";
        g_autofree char *slot = g_strdup_printf("%s/%s", v->r->name, tname);
        if (g_hash_table_contains(c->gw_type, slot)) {
            AZ_WARN(c, r, "skipped virtual network gateway \"%s\": VNet \"%s\" already has a %s gateway", r->name,
                    v->r->name, tname);
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        r->out = azi_node_name(c, r, r->name);
        cJSON_AddStringToObject(o, "name", r->out);
        cJSON_AddStringToObject(o, "vnet", v->r->out);
        cJSON_AddStringToObject(o, "type", tname);
        if (vpn) {
            gboolean aa = azi_bool_of(c, r, r->obj, "activeActive", FALSE);
            cJSON_AddBoolToObject(o, "activeActive", aa);
            const cJSON *bgp = azi_jget(r->obj, "bgpSettings");
            uint32_t asn = bgp ? azi_asn_of(c, r, bgp, "asn") : 0;
            if (asn)
                cJSON_AddNumberToObject(o, "asn", asn);
            if (bgp)
                gateway_ips(c, r, bgp, v, aa ? 2 : 1, o);
        }
        cJSON_AddItemToArray(c->out_gw, o);
        v->has_hub = TRUE;
        g_hash_table_insert(c->gw_type, g_strdup(slot), (gpointer)tname);
        g_hash_table_insert(c->gw_type, g_strdup(r->name), (gpointer)tname);
        g_hash_table_insert(c->gw_by, (gpointer)r->name, r);
    }
}

/* ---- NVAs: the Route Server's BGP connections ---- */

void azi_import_nvas(AzCtx *c)
{
    for (guint i = 0; i < c->res[AZK_BGPCONN]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_BGPCONN], i);
        AzRes *hub = g_hash_table_lookup(c->rs_by, r->parent);
        if (!hub) {
            AZ_WARN(c, r, "skipped Route Server peering \"%s\": its Route Server \"%s\" is not imported", r->name,
                    r->parent);
            continue;
        }
        const cJSON *ipv = azi_jget(r->obj, "peerIp");
        const char *ips = azi_sval(c, r->f, ipv);
        uint32_t asn = azi_asn_of(c, r, r->obj, "peerAsn");
        uint32_t ip;
        if (!ips || !asn) {
            AZ_WARN(c, r, "skipped Route Server peering \"%s\": missing field %s", r->name, !ips ? "peerIp" : "peerAsn");
            continue;
        }
        if (!ip_parse(ips, &ip)) {
            azi_az_diag(c, DIAG_ERROR, r->f, ipv, "expected peerIp as an IPv4 address, got \"%s\"", ips);
            continue;
        }
        AzVnet *rsv = g_hash_table_lookup(c->rs_vnet, hub->name);
        AzVnet *v = azi_vnet_holds(rsv, ip) ? rsv : azi_vnet_holding(c, ip);
        if (!v) {
            AZ_WARN(c, r, "skipped Route Server peering \"%s\": peerIp %s is in no imported VNet", r->name, ips);
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        r->out = azi_node_name(c, r, r->name);
        cJSON_AddStringToObject(o, "name", r->out);
        cJSON_AddStringToObject(o, "vnet", v->r->out);
        cJSON_AddStringToObject(o, "ipAddress", ips);
        cJSON_AddNumberToObject(o, "asn", asn);
        cJSON_AddStringToObject(o, "routeServer", hub->out);
        cJSON_AddItemToArray(c->out_nva, o);
    }
}
