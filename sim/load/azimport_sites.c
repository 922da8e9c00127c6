/* azimport_sites.c - sites (local network gateways, circuits, connections), subnet route tables and peerings. */
#include "azi.h"
#include "format_keys.h"

#include <string.h>

/* ---- sites: local network gateways and ExpressRoute circuits, through connections ---- */

cJSON *azi_find_named(cJSON *arr, const char *name)
{
    for (cJSON *o = arr->child; o; o = o->next) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
            return o;
    }
    return NULL;
}

/* The site for resource r (created on first use, keyed by the resource). */
static cJSON *site_for(AzCtx *c, AzRes *r, GHashTable *sites, uint32_t asn)
{
    cJSON *o = g_hash_table_lookup(sites, r);
    if (o)
        return o;
    o = cJSON_CreateObject();
    r->out = azi_node_name(c, r, r->name);
    cJSON_AddStringToObject(o, "name", r->out);
    cJSON_AddNumberToObject(o, "asn", asn);
    cJSON_AddArrayToObject(o, "addressPrefixes");
    cJSON_AddArrayToObject(o, "connections");
    cJSON_AddItemToArray(c->out_site, o);
    g_hash_table_insert(sites, r, o);
    return o;
}

/* A circuit's private peering (inline "peerings" or a child resource): its object, and in *owner
 * the resource it is read from; NULL when it has none. */
static const cJSON *private_peering(AzCtx *c, const AzRes *circ, const AzRes **owner)
{
    const cJSON *list = azi_jget(circ->obj, "peerings");
    for (const cJSON *p = cJSON_IsArray(list) ? list->child : NULL; p; p = p->next) {
        const char *t = azi_str_of(c, circ, p, "peeringType");
        if (t && g_ascii_strcasecmp(t, "AzurePrivatePeering") == 0) {
            *owner = circ;
            return p;
        }
    }
    for (guint k = 0; k < c->res[AZK_CIRCUITPEER]->len; k++) {
        AzRes *p = g_ptr_array_index(c->res[AZK_CIRCUITPEER], k);
        const char *t = azi_str_of(c, p, p->obj, "peeringType");
        if (strcmp(p->parent, circ->name) == 0 && t && g_ascii_strcasecmp(t, "AzurePrivatePeering") == 0) {
            *owner = p;
            return p->obj;
        }
    }
    return NULL;
}

static AzRes *res_named(AzCtx *c, AzKind k, const char *name)
{
    for (guint i = 0; name && i < c->res[k]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[k], i);
        if (strcmp(r->name, name) == 0)
            return r;
    }
    return NULL;
}

/* A VPN connection: the local network gateway becomes a site connected to the VPN gateway. */
static void import_vpn_connection(AzCtx *c, AzRes *r, const char *gw, GHashTable *sites)
{
    AzRes *lng = res_named(c, AZK_LNG, azi_id_part(c, azi_ref_id(c, r, r->obj, "localNetworkGateway2"), "localNetworkGateways"));
    if (!lng) {
        AZ_WARN(c, r, "skipped connection \"%s\": its local network gateway (localNetworkGateway2.id) is not "
                "imported", r->name);
        return;
    }
    gboolean bgp = azi_bool_of(c, r, r->obj, "enableBgp", FALSE);
    const cJSON *lbgp = azi_jget(lng->obj, "bgpSettings");
    uint32_t asn = lbgp ? azi_asn_of(c, lng, lbgp, "asn") : 0;
    if (bgp && !asn) {
        AZ_WARN(c, r, "skipped connection \"%s\": enableBgp is true but local network gateway \"%s\" has no "
                "bgpSettings.asn", r->name, lng->name);
        return;
    }
    gboolean fresh = !g_hash_table_contains(sites, lng);
    cJSON *site = site_for(c, lng, sites, asn ? asn : 65000);
    if (fresh) {
        if (!asn)
            AZ_WARN(c, lng, "local network gateway \"%s\" has no bgpSettings.asn (static routing): its site gets "
                    "ASN 65000, which no BGP session uses", lng->name);
        const cJSON *space = azi_jget(lng->obj, "localNetworkAddressSpace");
        const cJSON *list = space ? azi_jget(space, "addressPrefixes") : NULL;
        cJSON *pfx = cJSON_GetObjectItemCaseSensitive(site, "addressPrefixes");
        for (const cJSON *p = cJSON_IsArray(list) ? list->child : NULL; p; p = p->next) {
            ArPrefix pf;
            if (azi_prefix_of(c, lng, p, &pf))
                cJSON_AddItemToArray(pfx, azi_prefix_json(pf));
        }
        const char *peer = lbgp ? azi_str_of(c, lng, lbgp, "bgpPeeringAddress") : NULL;
        uint32_t ip;
        if (peer && ip_parse(peer, &ip))
            cJSON_AddStringToObject(site, "bgpPeeringAddress", peer);
    }
    cJSON *conn = cJSON_CreateObject();
    cJSON_AddStringToObject(conn, "vpnGateway", ((AzRes *)g_hash_table_lookup(c->gw_by, gw))->out);
    cJSON_AddBoolToObject(conn, "bgp", bgp);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(site, "connections"), conn);
}

/* An ExpressRoute connection: the circuit becomes a site (its customer edge) linked to the gateway. */
static void import_er_connection(AzCtx *c, AzRes *r, const char *gw, GHashTable *sites)
{
    AzRes *circ = res_named(c, AZK_CIRCUIT, azi_id_part(c, azi_ref_id(c, r, r->obj, "peer"), "expressRouteCircuits"));
    if (!circ) {
        AZ_WARN(c, r, "skipped connection \"%s\": its ExpressRoute circuit (peer.id) is not imported", r->name);
        return;
    }
    const AzRes *powner = NULL;
    const cJSON *peering = private_peering(c, circ, &powner);
    uint32_t asn = peering ? azi_asn_of(c, powner, peering, "peerASN") : 0;
    if (!asn) {
        AZ_WARN(c, r, "skipped connection \"%s\": circuit \"%s\" has no AzurePrivatePeering with peerASN", r->name,
                circ->name);
        return;
    }
    gboolean fresh = !g_hash_table_contains(sites, circ);
    cJSON *site = site_for(c, circ, sites, asn);
    const cJSON *sku = azi_jget(circ->obj, "sku");
    const char *tier = sku ? azi_str_of(c, circ, sku, "tier") : NULL;
    const char *sku_name = tier && g_ascii_strcasecmp(tier, "Premium") == 0 ? "Premium" : "Standard";
    if (fresh && tier && g_ascii_strcasecmp(tier, "Premium") != 0 && g_ascii_strcasecmp(tier, "Standard") != 0)
        AZ_WARN(c, circ, "circuit SKU tier \"%s\" imported as Standard (arsim models Standard and Premium)", tier);
    cJSON *conn = cJSON_CreateObject();
    cJSON_AddStringToObject(conn, "expressRouteGateway", ((AzRes *)g_hash_table_lookup(c->gw_by, gw))->out);
    cJSON_AddStringToObject(conn, "circuitSku", sku_name);
    cJSON_AddStringToObject(conn, "circuit", circ->out);
    /* The links' /30s, on the circuit's first connection (the loader's rule); both or neither. */
    const char *pri = azi_str_of(c, powner, peering, "primaryPeerAddressPrefix");
    const char *sec = azi_str_of(c, powner, peering, "secondaryPeerAddressPrefix");
    if (fresh && pri && sec && *pri && *sec) {
        cJSON_AddStringToObject(conn, "primaryPeerAddressPrefix", pri);
        cJSON_AddStringToObject(conn, "secondaryPeerAddressPrefix", sec);
    }
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(site, "connections"), conn);
}

void azi_import_sites(AzCtx *c)
{
    g_autoptr(GHashTable) sites = g_hash_table_new(NULL, NULL); /* AzRes* (LNG or circuit) -> site */
    for (guint i = 0; i < c->res[AZK_CONNECTION]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_CONNECTION], i);
        const char *type = azi_str_of(c, r, r->obj, "connectionType");
        if (!type) {
            AZ_WARN(c, r, "skipped connection \"%s\": missing field connectionType", r->name);
            continue;
        }
        gboolean er = g_ascii_strcasecmp(type, "ExpressRoute") == 0;
        if (!er && g_ascii_strcasecmp(type, "IPsec") != 0) {
            AZ_WARN(c, r, "skipped connection \"%s\": connectionType \"%s\" not modelled (IPsec and ExpressRoute are)",
                    r->name, type);
            continue;
        }
        const char *gw = azi_id_part(c, azi_ref_id(c, r, r->obj, "virtualNetworkGateway1"), "virtualNetworkGateways");
        const char *gt = gw ? g_hash_table_lookup(c->gw_type, gw) : NULL;
        if (!gt || strcmp(gt, er ? "ExpressRoute" : "Vpn") != 0) {
            AZ_WARN(c, r, "skipped connection \"%s\": its %s gateway (virtualNetworkGateway1.id) is not imported",
                    r->name, er ? "ExpressRoute" : "VPN");
            continue;
        }
        if (er)
            import_er_connection(c, r, gw, sites);
        else
            import_vpn_connection(c, r, gw, sites);
    }
    for (guint i = 0; i < c->res[AZK_LNG]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_LNG], i);
        if (!g_hash_table_contains(sites, r))
            AZ_WARN(c, r, "skipped local network gateway \"%s\": no imported connection uses it", r->name);
    }
    for (guint i = 0; i < c->res[AZK_CIRCUIT]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_CIRCUIT], i);
        if (!g_hash_table_contains(sites, r))
            AZ_WARN(c, r, "skipped ExpressRoute circuit \"%s\": no imported connection links it to a gateway", r->name);
    }
}

/* ---- route tables on subnets ---- */

static cJSON *route_json(AzCtx *c, AzRes *rt, const cJSON *route)
{
    const char *name = azi_str_of(c, rt, route, "name");
    const cJSON *pv = azi_jget(route, "addressPrefix");
    const char *type = azi_str_of(c, rt, route, "nextHopType");
    const char *nh = azi_str_of(c, rt, route, "nextHopIpAddress");
    ArPrefix p;
    const char *pstr = azi_sval(c, rt->f, pv);
    if (pstr && !strchr(pstr, '/') && !strchr(pstr, ':')) {
        azi_az_diag(c, DIAG_WARNING, rt->f, pv, "skipped route \"%s\": addressPrefix \"%s\" is a service tag; arsim "
                "models prefixes", name ? name : "", pstr);
        return NULL;
    }
    if (!pv || !type || !azi_prefix_of(c, rt, pv, &p)) {
        if (!pv || !type)
            azi_az_diag(c, DIAG_WARNING, rt->f, route, "skipped route \"%s\": missing field %s", name ? name : "",
                    !pv ? "addressPrefix" : "nextHopType");
        return NULL;
    }
    const char *t = NULL;
    const ArFmtKey *types = &fmt_udr_keys[UR_TYPE]; /* the format's words, in Azure's spelling */
    for (int i = 0; i < types->n_words; i++)
        if (g_ascii_strcasecmp(type, types->words[i]) == 0)
            t = types->words[i];
    if (!t) {
        azi_az_diag(c, DIAG_WARNING, rt->f, route, "skipped route \"%s\": nextHopType \"%s\" not modelled", name ? name : "",
                type);
        return NULL;
    }
    uint32_t ip;
    if (strcmp(t, "VirtualAppliance") == 0 && (!nh || !ip_parse(nh, &ip))) {
        azi_az_diag(c, DIAG_WARNING, rt->f, route, "skipped route \"%s\": a VirtualAppliance route without an IPv4 "
                "nextHopIpAddress", name ? name : "");
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    if (name)
        cJSON_AddStringToObject(o, "name", name);
    cJSON_AddItemToObject(o, "addressPrefix", azi_prefix_json(p));
    cJSON_AddStringToObject(o, "nextHopType", t);
    if (strcmp(t, "VirtualAppliance") == 0)
        cJSON_AddStringToObject(o, "nextHopIpAddress", nh);
    return o;
}

/* The scenario "routeTable" object of route table rt. */
static cJSON *route_table_json(AzCtx *c, AzRes *rt)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", rt->name);
    cJSON_AddBoolToObject(o, "disableBgpRoutePropagation", azi_bool_of(c, rt, rt->obj, "disableBgpRoutePropagation", FALSE));
    cJSON *routes = cJSON_AddArrayToObject(o, "routes");
    const cJSON *list = azi_jget(rt->obj, "routes");
    for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next) {
        cJSON *x = route_json(c, rt, e);
        if (x)
            cJSON_AddItemToArray(routes, x);
    }
    for (guint k = 0; k < c->res[AZK_ROUTE]->len; k++) {
        AzRes *rr = g_ptr_array_index(c->res[AZK_ROUTE], k);
        if (strcmp(rr->parent, rt->name) != 0)
            continue;
        const char *n = rr->name;
        gboolean inline_too = FALSE;
        for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e && !inline_too; e = e->next) {
            const char *en = azi_str_of(c, rt, e, "name");
            inline_too = en && strcmp(en, n) == 0;
        }
        cJSON *x = inline_too ? NULL : route_json(c, rr, rr->obj);
        if (x) {
            if (!cJSON_GetObjectItemCaseSensitive(x, "name"))
                cJSON_AddStringToObject(x, "name", n);
            cJSON_AddItemToArray(routes, x);
        }
    }
    return o;
}

/* Subnets that have an imported route table (from the subnet's routeTable.id, or the table's
 * subnets[].id) become scenario subnets. */
void azi_import_subnets(AzCtx *c)
{
    g_autoptr(GHashTable) used = g_hash_table_new(NULL, NULL);
    for (guint i = 0; i < c->vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c->vnets, i);
        for (guint k = 0; k < v->subs->len; k++) {
            const cJSON *s = g_ptr_array_index(v->subs, k);
            AzRes sub = { .f = v->r->f, .obj = s };
            for (guint q = 0; q < c->res[AZK_SUBNET]->len; q++)
                if (((AzRes *)g_ptr_array_index(c->res[AZK_SUBNET], q))->obj == s)
                    sub.f = ((AzRes *)g_ptr_array_index(c->res[AZK_SUBNET], q))->f;
            const char *name = azi_str_of(c, &sub, s, "name");
            const char *slash = name ? strrchr(name, '/') : NULL;
            if (slash)
                name = slash + 1;
            AzRes *rt = res_named(c, AZK_ROUTETABLE, azi_id_part(c, azi_ref_id(c, &sub, s, "routeTable"), "routeTables"));
            for (guint q = 0; !rt && name && q < c->res[AZK_ROUTETABLE]->len; q++) {
                AzRes *t = g_ptr_array_index(c->res[AZK_ROUTETABLE], q);
                const cJSON *tsubs = azi_jget(t->obj, "subnets");
                for (const cJSON *e = cJSON_IsArray(tsubs) ? tsubs->child : NULL; e && !rt; e = e->next) {
                    const char *id = azi_sval(c, t->f, cJSON_GetObjectItemCaseSensitive(e, "id"));
                    const char *vn = azi_id_part(c, id, "virtualNetworks"), *sn = azi_id_part(c, id, "subnets");
                    if (vn && sn && strcmp(vn, v->r->name) == 0 && strcmp(sn, name) == 0)
                        rt = t;
                }
            }
            if (!rt || !name)
                continue;
            const cJSON *pv = azi_jget(s, "addressPrefix");
            if (!pv) {
                const cJSON *list = azi_jget(s, "addressPrefixes");
                pv = cJSON_IsArray(list) ? list->child : NULL;
                if (pv && pv->next)
                    azi_az_diag(c, DIAG_WARNING, sub.f, list, "subnet \"%s\" has several prefixes: arsim uses the first", name);
            }
            ArPrefix p;
            if (!pv || !azi_prefix_of(c, &sub, pv, &p)) {
                azi_az_diag(c, DIAG_WARNING, sub.f, s, "skipped subnet \"%s\": missing field addressPrefix (IPv4)", name);
                continue;
            }
            if (!v->subnets)
                v->subnets = cJSON_CreateArray();
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", azi_clean_name(c, &sub, name));
            cJSON_AddItemToObject(o, "addressPrefix", azi_prefix_json(p));
            cJSON_AddItemToObject(o, "routeTable", route_table_json(c, rt));
            cJSON_AddItemToArray(v->subnets, o);
            g_hash_table_add(used, rt);
        }
    }
    for (guint i = 0; i < c->res[AZK_ROUTETABLE]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_ROUTETABLE], i);
        if (!g_hash_table_contains(used, r))
            AZ_WARN(c, r, "skipped route table \"%s\": no imported subnet uses it", r->name);
    }
}

/* ---- peerings ---- */

/* One direction of a peering, as Azure lists it under its local VNet. */
typedef struct AzPeer {
    AzRes *r;          /* the resource (or the VNet, for inline peerings) */
    const cJSON *obj;  /* the peering object */
    AzVnet *local, *remote;
    gboolean use_remote, transit;
} AzPeer;

static void collect_peering(AzCtx *c, AzRes *r, const cJSON *obj, AzVnet *local, GArray *all)
{
    const char *name = azi_str_of(c, r, obj, "name");
    const char *rid = azi_ref_id(c, r, obj, "remoteVirtualNetwork");
    const char *rv = azi_id_part(c, rid, "virtualNetworks");
    AzVnet *remote = rv ? g_hash_table_lookup(c->vnet_by, rv) : NULL;
    const char *state = azi_str_of(c, r, obj, "peeringState");
    if (!remote) {
        azi_az_diag(c, DIAG_WARNING, r->f, obj, "skipped peering \"%s\" of VNet \"%s\": %s", name ? name : "",
                local->r->name, rv ? "its remote VNet is not imported" : "missing field remoteVirtualNetwork.id");
        return;
    }
    if (state && g_ascii_strcasecmp(state, "Connected") != 0) {
        azi_az_diag(c, DIAG_WARNING, r->f, obj, "skipped peering \"%s\" of VNet \"%s\": peeringState is \"%s\" (Azure "
                "routes over Connected peerings only)", name ? name : "", local->r->name, state);
        return;
    }
    for (guint i = 0; i < all->len; i++) {
        AzPeer *p = &g_array_index(all, AzPeer, i);
        if (p->local == local && p->remote == remote)
            return; /* the same peering inline and from 'az network vnet peering list' */
    }
    AzPeer p = { r, obj, local, remote, azi_bool_of(c, r, obj, "useRemoteGateways", FALSE),
                 azi_bool_of(c, r, obj, "allowGatewayTransit", FALSE) };
    g_array_append_val(all, p);
}

void azi_import_peerings(AzCtx *c, GHashTable *peer_out)
{
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(AzPeer));
    for (guint i = 0; i < c->vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c->vnets, i);
        const cJSON *list = azi_jget(v->r->obj, "virtualNetworkPeerings");
        for (const cJSON *p = cJSON_IsArray(list) ? list->child : NULL; p; p = p->next)
            collect_peering(c, v->r, p, v, all);
    }
    for (guint i = 0; i < c->res[AZK_PEERING]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[AZK_PEERING], i);
        AzVnet *v = g_hash_table_lookup(c->vnet_by, r->parent);
        if (v)
            collect_peering(c, r, r->obj, v, all);
        else
            AZ_WARN(c, r, "skipped peering \"%s\": its VNet \"%s\" is not imported", r->name, r->parent);
    }
    /* A scenario lists each pair once: under the side that uses the remote gateways, else the first. */
    g_autoptr(GHashTable) done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < all->len; i++) {
        AzPeer *p = &g_array_index(all, AzPeer, i);
        AzPeer *back = NULL;
        for (guint k = 0; k < all->len; k++) {
            AzPeer *q = &g_array_index(all, AzPeer, k);
            if (q->local == p->remote && q->remote == p->local)
                back = q;
        }
        const char *a = p->local->r->name, *b = p->remote->r->name;
        g_autofree char *key = strcmp(a, b) < 0 ? g_strdup_printf("%s\n%s", a, b) : g_strdup_printf("%s\n%s", b, a);
        if (g_hash_table_contains(done, key))
            continue;
        g_hash_table_add(done, g_strdup(key));
        AzPeer *use = back && back->use_remote && !p->use_remote ? back : p;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "remoteVnet", use->remote->r->out);
        gboolean ur = use->use_remote;
        if (ur && !use->remote->has_hub) {
            azi_az_diag(c, DIAG_WARNING, use->r->f, use->obj, "useRemoteGateways dropped: VNet \"%s\" has no imported "
                    "gateway or Route Server", use->remote->r->name);
            ur = FALSE;
        } else if (ur && use->local->has_hub) {
            azi_az_diag(c, DIAG_WARNING, use->r->f, use->obj, "useRemoteGateways dropped: VNet \"%s\" has a gateway "
                    "or Route Server of its own", use->local->r->name);
            ur = FALSE;
        }
        if (ur)
            cJSON_AddBoolToObject(o, "useRemoteGateways", TRUE);
        else if (use->transit)
            cJSON_AddBoolToObject(o, "allowGatewayTransit", TRUE);
        cJSON *arr = g_hash_table_lookup(peer_out, use->local);
        if (!arr) {
            arr = cJSON_CreateArray();
            g_hash_table_insert(peer_out, use->local, arr);
        }
        cJSON_AddItemToArray(arr, o);
    }
}
