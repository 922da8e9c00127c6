/* validate_route_servers.c - the "routeServers" section: Route Servers and their settings. */
#include "validator.h"

/* ---- route servers ----------------------------------------------------------------------- */


void vd_route_servers(Ctx *c, const cJSON *arr)
{
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/routeServers", at);
        Src sr;
        if (!vd_check_object(c, el, ptr, fmt_rs_keys, RS_N, &sr))
            continue;
        const char *name = vd_check_name(c, sr.f[RS_NAME], PK(c, ptr, "name"));
        int idx = (int)c->s->route_servers->len;
        ArRouteServer *r = scn_add_route_server(c->s, name ? name : "");
        vd_add_src(c, K_RS, &sr, at);
        int zero = 0;
        g_array_append_val(c->rs_peers, zero);
        vd_register_node(c, name, sr.f[RS_NAME], PK(c, ptr, "name"), K_RS, idx);

        r->vnet = vd_resolve_vnet(c, sr.f[RS_VNET], PK(c, ptr, "vnet"));
        vd_add_host(c, r->vnet, idx);
        if (r->vnet >= 0) {
            int *slot = &g_array_index(c->vnet_rs, int, r->vnet);
            if (*slot >= 0)
                ERR(c, sr.f[RS_VNET], PK(c, ptr, "vnet"),
                    "VNet '%s' already has Route Server '%s' (%s); Azure allows one Route Server per VNet",
                    ((ArVnet *)g_ptr_array_index(c->s->vnets, r->vnet))->name, vd_obj_name(c, K_RS, *slot),
                    vd_src_ptr(c, K_RS, *slot));
            else
                *slot = idx;
        }
        r->branch_to_branch = vd_get_bool(sr.f[RS_B2B], FALSE);
        r->reflect_nva_to_nva = vd_get_bool(sr.f[RS_REFLECT], TRUE);
        if (sr.f[RS_HRP]) {
            int h = vd_get_word(c, sr.f[RS_HRP], PK(c, ptr, "hubRoutingPreference"), "hubRoutingPreference", &fmt_rs_keys[RS_HRP]);
            if (h >= 0)
                r->hub_pref = (ArHubPref)h;
        }
        if (sr.f[RS_LIMIT])
            vd_get_key_uint(c, sr.f[RS_LIMIT], PK(c, ptr, "routeLimitPerPeer"), &fmt_rs_keys[RS_LIMIT], &r->route_limit);
        const cJSON *ips = sr.f[RS_IPS];
        if (ips) {
            const char *iptr = PK(c, ptr, "virtualRouterIps");
            int n = cJSON_GetArraySize(ips);
            if (n != 2) {
                ERR(c, ips, iptr, "virtualRouterIps needs exactly 2 addresses (one per Route Server instance), got %d", n);
                continue;
            }
            int j = 0;
            for (const cJSON *it = ips->child; it; it = it->next, j++) {
                const char *ip_ptr = PI(c, iptr, j);
                if (!vd_get_ip(c, it, ip_ptr, &r->ips[j]))
                    continue;
                if (j == 1 && r->ips[0] == r->ips[1]) {
                    ERR(c, it, ip_ptr, "virtualRouterIps must be 2 different addresses");
                    continue;
                }
                vd_check_vnet_address(c, it, ip_ptr, r->vnet, r->ips[j]);
            }
        }
    }
}
