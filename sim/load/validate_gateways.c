/* validate_gateways.c - the "gateways" section: ExpressRoute and VPN gateways. */
#include "validator.h"

/* ---- gateways ---------------------------------------------------------------------------- */


void vd_gateways(Ctx *c, const cJSON *arr)
{
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/gateways", at);
        Src sr;
        if (!vd_check_object(c, el, ptr, fmt_gw_keys, GW_N, &sr))
            continue;
        const char *name = vd_check_name(c, sr.f[GW_NAME], PK(c, ptr, "name"));
        int idx = (int)c->s->gateways->len;
        ArGateway *g = scn_add_gateway(c->s, name ? name : "");
        Src *kept = vd_add_src(c, K_GW, &sr, at);
        vd_register_node(c, name, sr.f[GW_NAME], PK(c, ptr, "name"), K_GW, idx);

        int type = -1;
        if (sr.f[GW_TYPE])
            type = vd_get_word(c, sr.f[GW_TYPE], PK(c, ptr, "type"), "gateway type", &fmt_gw_keys[GW_TYPE]);
        if (type >= 0) {
            g->type = (ArGatewayType)type;
            kept->gw_type_known = TRUE;
        }
        g->vnet = vd_resolve_vnet(c, sr.f[GW_VNET], PK(c, ptr, "vnet"));
        vd_add_host(c, g->vnet, -2 - idx);
        if (g->vnet >= 0 && type >= 0) {
            int *slot = &g_array_index(c->vnet_gw[type], int, g->vnet);
            if (*slot >= 0)
                ERR(c, sr.f[GW_VNET], PK(c, ptr, "vnet"),
                    "VNet '%s' already has %s gateway '%s' (%s); Azure allows one gateway of each type per VNet",
                    ((ArVnet *)g_ptr_array_index(c->s->vnets, g->vnet))->name,
                    type == GW_VPN ? "a Vpn" : "an ExpressRoute", vd_obj_name(c, K_GW, *slot), vd_src_ptr(c, K_GW, *slot));
            else
                *slot = idx;
        }
        g->active_active = vd_get_bool(sr.f[GW_AA], FALSE);
        gboolean asn_ok = TRUE;
        if (sr.f[GW_ASN]) {
            const char *aptr = PK(c, ptr, "asn");
            if (type == GW_EXPRESSROUTE) {
                double x;
                asn_ok = vd_get_whole(c, sr.f[GW_ASN], aptr, &x);
                if (asn_ok && x != AR_ASN_ROUTE_SERVER) {
                    ERR(c, sr.f[GW_ASN], aptr, "an ExpressRoute gateway's ASN is always 65515; remove \"asn\"");
                    asn_ok = FALSE;
                }
            } else if (type == GW_VPN) {
                asn_ok = vd_get_wide_asn(c, sr.f[GW_ASN], aptr, TRUE, &g->asn);
            } else {
                double x; /* unknown type (reported): which ASN rule applies is unclear */
                asn_ok = vd_get_whole(c, sr.f[GW_ASN], aptr, &x);
            }
        }
        /* A VPN gateway beside a Route Server must be active-active with ASN 65515 (ERVPN). */
        int rs = g->vnet >= 0 ? g_array_index(c->vnet_rs, int, g->vnet) : -1;
        if (type == GW_VPN && rs >= 0) {
            const char *rsn = vd_obj_name(c, K_RS, rs);
            if (!g->active_active)
                ERR(c, sr.f[GW_AA] ? sr.f[GW_AA] : el, sr.f[GW_AA] ? PK(c, ptr, "activeActive") : ptr,
                    "VPN gateway '%s' must be active-active beside Route Server '%s'; set \"activeActive\": true",
                    g->name, rsn);
            if (asn_ok && g->asn != AR_ASN_ROUTE_SERVER)
                ERR(c, sr.f[GW_ASN], PK(c, ptr, "asn"),
                    "VPN gateway '%s' must use ASN 65515 beside Route Server '%s'; set \"asn\": 65515", g->name, rsn);
        }
        const cJSON *ips = sr.f[GW_IPS];
        if (ips) {
            const char *iptr = PK(c, ptr, "ipAddresses");
            int n = cJSON_GetArraySize(ips);
            if (n < 1 || n > 2) {
                ERR(c, ips, iptr, "ipAddresses needs 1 or 2 addresses (one per gateway instance), got %d", n);
                continue;
            }
            int j = 0;
            for (const cJSON *it = ips->child; it; it = it->next, j++) {
                const char *ip_ptr = PI(c, iptr, j);
                if (!vd_get_ip(c, it, ip_ptr, &g->ips[j]))
                    continue;
                if (j == 1 && g->ips[0] == g->ips[1]) {
                    ERR(c, it, ip_ptr, "ipAddresses must be different addresses");
                    continue;
                }
                vd_check_vnet_address(c, it, ip_ptr, g->vnet, g->ips[j]);
            }
        }
    }
}
