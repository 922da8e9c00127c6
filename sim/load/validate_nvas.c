/* validate_nvas.c - the "nvas" section: NVAs, what they advertise, their Route Server and bgpPeers. */
#include "validator.h"
#include "arsim/rib.h"

#include <string.h>

/* ---- nvas -------------------------------------------------------------------------------- */

static void do_origination(Ctx *c, const cJSON *it, const char *ptr, ArNva *n, GHashTable *seen)
{
    ArOrigination o = { { 0, 0 }, g_array_new(FALSE, FALSE, sizeof(uint32_t)),
                        g_array_new(FALSE, FALSE, sizeof(uint32_t)) };
    const cJSON *pnode = it;
    const char *pptr = ptr;
    gboolean ok;
    if (cJSON_IsObject(it)) {
        Src sr;
        vd_check_object(c, it, ptr, fmt_adv_keys, AP_N, &sr);
        pnode = sr.f[AP_PREFIX];
        pptr = PK(c, ptr, "prefix");
        ok = pnode && vd_get_prefix(c, pnode, pptr, &o.prefix);
        if (sr.f[AP_PATH]) {
            const char *base = PK(c, ptr, "asPath");
            int j = 0;
            for (const cJSON *a = sr.f[AP_PATH]->child; a; a = a->next, j++) {
                uint32_t asn;
                const char *aptr = PI(c, base, j);
                if (!cJSON_IsNumber(a)) {
                    ERR(c, a, aptr, "expected an integer ASN, got %s", load_type_name(a));
                    continue;
                }
                if (!vd_get_uint_range(c, a, aptr, 0, UINT32_MAX, &asn))
                    continue;
                /* Accepted so that the simulation can show the drop (rule book section 5). */
                if (asn == 0)
                    WARN(c, a, aptr, "AS 0 in an AS path is invalid (RFC 7607); Route Server drops this route");
                else if (asn == AR_ASN_ROUTE_SERVER)
                    WARN(c, a, aptr, "65515 in the AS path: Route Server drops this route (loop prevention, MR)");
                g_array_append_val(o.as_path, asn);
            }
        }
        if (sr.f[AP_COMM]) {
            const char *base = PK(c, ptr, "communities");
            int j = 0;
            for (const cJSON *a = sr.f[AP_COMM]->child; a; a = a->next, j++) {
                uint32_t cm;
                const char *cptr = PI(c, base, j);
                if (!cJSON_IsString(a))
                    ERR(c, a, cptr, "expected a community string such as \"65001:100\", got %s", load_type_name(a));
                else if (!vd_parse_community(a->valuestring, &cm))
                    ERR(c, a, cptr, "%s is not a community (A:B with A and B in 0..65535)", Q(c, a->valuestring));
                else if (cm == AR_COMMUNITY_RS_RESERVED)
                    ERR(c, a, cptr, "community 65517:65517 is reserved by Route Server; NVAs must not advertise it (ERVPN)");
                else
                    g_array_append_val(o.communities, cm);
            }
        }
    } else if (cJSON_IsString(it)) {
        ok = vd_get_prefix(c, it, ptr, &o.prefix);
    } else {
        ERR(c, it, ptr, "expected a CIDR prefix string or an object with \"prefix\", got %s", load_type_name(it));
        ok = FALSE;
    }
    if (ok) {
        gpointer key = rib_key_ptr(pfx_key(o.prefix));
        const char *first = g_hash_table_lookup(seen, key);
        if (first) {
            char b[PFX_STRLEN];
            ERR(c, pnode, pptr, "%s is already advertised by %s", pfx_format(o.prefix, b), first);
        } else {
            g_hash_table_insert(seen, key, (gpointer)ptr);
        }
    }
    /* Appended even when invalid: the model is discarded then, and this frees the arrays. */
    g_array_append_val(n->originations, o);
}

void vd_nvas(Ctx *c, const cJSON *arr)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(rib_key_hash, g_direct_equal); /* prefix key packed in the pointer */
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/nvas", at);
        Src sr;
        if (!vd_check_object(c, el, ptr, fmt_nva_keys, NV_N, &sr))
            continue;
        const char *name = vd_check_name(c, sr.f[NV_NAME], PK(c, ptr, "name"));
        int idx = (int)c->s->nvas->len;
        ArNva *n = scn_add_nva(c->s, name ? name : "");
        vd_add_src(c, K_NVA, &sr, at);
        vd_register_node(c, name, sr.f[NV_NAME], PK(c, ptr, "name"), K_NVA, idx);

        n->vnet = vd_resolve_vnet(c, sr.f[NV_VNET], PK(c, ptr, "vnet"));
        if (sr.f[NV_IP] && vd_get_ip(c, sr.f[NV_IP], PK(c, ptr, "ipAddress"), &n->ip))
            vd_check_vnet_address(c, sr.f[NV_IP], PK(c, ptr, "ipAddress"), n->vnet, n->ip);
        n->next_hop = n->ip;
        if (sr.f[NV_NH])
            vd_get_ip(c, sr.f[NV_NH], PK(c, ptr, "nextHopIp"), &n->next_hop);
        if (sr.f[NV_ASN])
            vd_get_nva_asn(c, sr.f[NV_ASN], PK(c, ptr, "asn"), &n->asn);

        const char *rptr = PK(c, ptr, "routeServer");
        n->route_server = vd_resolve_node(c, sr.f[NV_RS], rptr, K_RS);
        if (n->route_server >= 0) {
            const ArRouteServer *r = g_ptr_array_index(c->s->route_servers, n->route_server);
            if (r->vnet >= 0 && n->vnet >= 0 && r->vnet != n->vnet) {
                guint64 key = ((guint64)MIN(r->vnet, n->vnet) << 32) | (guint64)MAX(r->vnet, n->vnet);
                if (!g_hash_table_contains(c->peered, &key))
                    ERR(c, sr.f[NV_RS], rptr,
                        "Route Server '%s' is in VNet '%s', which is neither the NVA's VNet '%s' nor peered with it",
                        r->name, ((ArVnet *)g_ptr_array_index(c->s->vnets, r->vnet))->name,
                        ((ArVnet *)g_ptr_array_index(c->s->vnets, n->vnet))->name);
            }
            int *peers = &g_array_index(c->rs_peers, int, n->route_server);
            /* With liftLimits, one warning per Route Server: thousands would bury any error. */
            gboolean lift = c->s->settings.lift_limits;
            if (++*peers > AR_RS_MAX_PEERS && (!lift || *peers == AR_RS_MAX_PEERS + 1))
                vd_report(c, lift ? DIAG_WARNING : DIAG_ERROR, sr.f[NV_RS], FALSE, rptr,
                    "NVA '%s' would be BGP peer number %d of Route Server '%s'; Azure allows at most %d peers per Route Server (LIM)%s",
                    n->name, *peers, r->name, AR_RS_MAX_PEERS, lift ? "; later peers past the limit are not listed" : "");
        }
        if (sr.f[NV_ADV]) {
            g_hash_table_remove_all(seen);
            const char *base = PK(c, ptr, "advertisedPrefixes");
            int j = 0;
            for (const cJSON *it = sr.f[NV_ADV]->child; it; it = it->next, j++)
                do_origination(c, it, PI(c, base, j), n, seen);
        }
        if (sr.f[NV_FROM])
            n->table = vd_routes_from(c, sr.f[NV_FROM], PK(c, ptr, "routesFrom"));
        if (sr.f[NV_POL])
            vd_policies(c, sr.f[NV_POL], PK(c, ptr, "policies"), n->policies);
        if (sr.f[NV_HOLD])
            vd_get_hold_time(c, sr.f[NV_HOLD], PK(c, ptr, "holdTime"), &n->hold_time);
        if (sr.f[NV_MRAI])
            vd_get_time(c, sr.f[NV_MRAI], PK(c, ptr, "mrai"), &n->mrai);
        if (sr.f[NV_PEERS]) {
            const char *base = PK(c, ptr, "bgpPeers");
            int j = 0;
            for (const cJSON *it = sr.f[NV_PEERS]->child; it; it = it->next, j++) {
                const char *pp = PI(c, base, j);
                const cJSON *nv = cJSON_IsObject(it) ? cJSON_GetObjectItemCaseSensitive(it, fmt_bgp_peer_keys[BP_NVA].key) : NULL;
                if (!cJSON_IsString(nv) || cJSON_GetArraySize(it) != 1) {
                    ERR(c, it, pp, "expected {\"nva\": NAME}: another NVA to peer with over eBGP multihop");
                    continue;
                }
                Ref ref = { nv, PK(c, pp, fmt_bgp_peer_keys[BP_NVA].key), idx, NULL };
                g_array_append_val(c->refs, ref);
            }
        }
    }
}
