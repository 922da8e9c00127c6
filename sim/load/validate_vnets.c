/* validate_vnets.c - the "vnets" section: VNets, their subnets and route tables, peerings, address overlaps. */
#include "validator.h"
#include <string.h>

/* "10.1.0.0/16, 10.3.0.0/16" */
static const char *vnet_space(Ctx *c, int v)
{
    const ArVnet *vn = g_ptr_array_index(c->s->vnets, v);
    GString *sp = g_string_new(NULL);
    char buf[PFX_STRLEN];
    for (guint i = 0; i < vn->prefixes->len; i++)
        g_string_append_printf(sp, "%s%s", i ? ", " : "", pfx_format(g_array_index(vn->prefixes, ArPrefix, i), buf));
    return vd_keep(c, g_string_free(sp, FALSE));
}

/* An address of an Azure resource: inside its VNet and not already taken there. Skipped (no
 * cascade) when the VNet did not resolve or has no valid prefix. */
void vd_check_vnet_address(Ctx *c, const cJSON *node, const char *ptr, int vnet, uint32_t ip)
{
    if (vnet < 0)
        return;
    const ArVnet *vn = g_ptr_array_index(c->s->vnets, vnet);
    if (vn->prefixes->len == 0)
        return;
    gboolean inside = FALSE;
    for (guint i = 0; i < vn->prefixes->len && !inside; i++)
        inside = pfx_contains_ip(g_array_index(vn->prefixes, ArPrefix, i), ip);
    char buf[IP_STRLEN];
    if (!inside) {
        ERR(c, node, ptr, "%s is outside VNet '%s' (%s)", ip_format(ip, buf), vn->name, vnet_space(c, vnet));
        return;
    }
    guint64 key = ((guint64)(guint32)vnet << 32) | ip;
    const char *holder = g_hash_table_lookup(c->addresses, &key);
    if (holder) {
        ERR(c, node, ptr, "%s in VNet '%s' is already used by %s", ip_format(ip, buf), vn->name, holder);
        return;
    }
    guint64 *k = g_new(guint64, 1);
    *k = key;
    g_hash_table_insert(c->addresses, k, (gpointer)ptr);
}

/* ---- vnets ------------------------------------------------------------------------------- */



/* Subnets of VNet v, with their route tables (user-defined routes, BGP propagation). */
static void do_subnets(Ctx *c, const cJSON *arr, const char *base, ArVnet *vn)
{
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    int i = 0;
    for (const cJSON *el = arr->child; el; el = el->next, i++) {
        const char *ptr = PI(c, base, i);
        Src sr;
        if (!vd_check_object(c, el, ptr, fmt_subnet_keys, SN_N, &sr))
            continue;
        const char *name = vd_check_name(c, sr.f[SN_NAME], PK(c, ptr, "name"));
        if (name && !g_hash_table_add(names, (gpointer)name))
            ERR(c, sr.f[SN_NAME], PK(c, ptr, "name"), "VNet '%s' already has a subnet named %s", vn->name, Q(c, name));
        ArSubnet *sn = scn_add_subnet(vn, name ? name : "");
        const char *pp = PK(c, ptr, "addressPrefix");
        if (sr.f[SN_PREFIX] && vd_get_prefix(c, sr.f[SN_PREFIX], pp, &sn->prefix)) {
            gboolean inside = FALSE;
            for (guint k = 0; k < vn->prefixes->len; k++)
                inside |= pfx_within(sn->prefix, g_array_index(vn->prefixes, ArPrefix, k));
            if (!inside && vn->prefixes->len) {
                char b[PFX_STRLEN];
                ERR(c, sr.f[SN_PREFIX], pp, "%s is outside VNet '%s' (%s)", pfx_format(sn->prefix, b), vn->name,
                    vnet_space(c, (int)c->s->vnets->len - 1));
            }
        }
        const char *rp = PK(c, ptr, "routeTable");
        Src rt;
        if (!sr.f[SN_RT] || !vd_check_object(c, sr.f[SN_RT], rp, fmt_route_table_keys, RT_N, &rt))
            continue;
        sn->has_route_table = TRUE;
        sn->disable_bgp = vd_get_bool(rt.f[RT_DISABLE], FALSE);
        if (!rt.f[RT_ROUTES])
            continue;
        const char *rb = PK(c, rp, "routes");
        int j = 0;
        for (const cJSON *ue = rt.f[RT_ROUTES]->child; ue; ue = ue->next, j++) {
            const char *up = PI(c, rb, j);
            Src ur;
            if (!vd_check_object(c, ue, up, fmt_udr_keys, UR_N, &ur))
                continue;
            ArUdr u = { 0 };
            gboolean ok = ur.f[UR_PREFIX] && vd_get_prefix(c, ur.f[UR_PREFIX], PK(c, up, "addressPrefix"), &u.prefix);
            int t = ur.f[UR_TYPE] ? vd_get_word(c, ur.f[UR_TYPE], PK(c, up, "nextHopType"), "nextHopType", &fmt_udr_keys[UR_TYPE]) : -1;
            ok = ok && t >= 0;
            if (t >= 0)
                u.type = (ArUdrNextHop)t;
            if (t == UDR_VIRTUAL_APPLIANCE && !ur.f[UR_IP]) {
                ERR(c, ue, up, "a VirtualAppliance route needs \"nextHopIpAddress\" (the firewall's or NVA's address)");
                ok = FALSE;
            } else if (t >= 0 && t != UDR_VIRTUAL_APPLIANCE && ur.f[UR_IP]) {
                ERR(c, ur.f[UR_IP], PK(c, up, "nextHopIpAddress"), "\"nextHopIpAddress\" goes with nextHopType VirtualAppliance only");
                ok = FALSE;
            } else if (ur.f[UR_IP] && !vd_get_ip(c, ur.f[UR_IP], PK(c, up, "nextHopIpAddress"), &u.ip)) {
                ok = FALSE;
            }
            for (guint k = 0; ok && k < sn->routes->len; k++)
                if (pfx_key(g_array_index(sn->routes, ArUdr, k).prefix) == pfx_key(u.prefix)) {
                    char b[PFX_STRLEN];
                    ERR(c, ur.f[UR_PREFIX], PK(c, up, "addressPrefix"), "route table already has a route for %s (%s/%u)",
                        pfx_format(u.prefix, b), rb, k);
                    ok = FALSE;
                }
            if (ok)
                g_array_append_val(sn->routes, u);
        }
    }
    /* Subnets of one VNet never overlap (Azure refuses it). O(n^2) in the subnets of one VNet,
     * which are few. */
    for (guint a = 0; a < vn->subnets->len; a++)
        for (guint b = a + 1; b < vn->subnets->len; b++) {
            const ArSubnet *x = g_ptr_array_index(vn->subnets, a), *y = g_ptr_array_index(vn->subnets, b);
            if (x->prefix.len && y->prefix.len && pfx_overlap(x->prefix, y->prefix)) {
                char pa[PFX_STRLEN], pb[PFX_STRLEN];
                const cJSON *node = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, (int)b), "addressPrefix");
                ERR(c, node, PK(c, PI(c, base, (int)b), "addressPrefix"), "%s overlaps subnet '%s' (%s) of VNet '%s'",
                    pfx_format(y->prefix, pb), x->name, pfx_format(x->prefix, pa), vn->name);
            }
        }
}

/* bgpCommunities: the custom community (and the region's) Azure tags the VNet's routes with toward
 * on-premises over ExpressRoute; both must be 12076:N (how-to-configure-custom-bgp-communities). */
static void do_vnet_communities(Ctx *c, const cJSON *obj, const char *ptr, ArVnet *vn)
{
    Src cs;
    if (!vd_check_object(c, obj, ptr, fmt_vnet_comm_keys, VC_N, &cs))
        return;
    static const char *const keys[VC_N] = { "virtualNetworkCommunity", "regionalCommunity" };
    uint32_t *dst[VC_N] = { &vn->community, &vn->regional };
    for (int k = 0; k < VC_N; k++) {
        if (!cs.f[k])
            continue;
        const char *kp = PK(c, ptr, keys[k]);
        uint32_t v;
        if (!vd_get_community(c, cs.f[k], kp, &v))
            continue;
        if (v >> 16 != AR_ASN_MSEE)
            ERR(c, cs.f[k], kp, "a VNet's BGP community must be 12076:N (Microsoft's ASN first), got %u:%u", v >> 16, v & 0xffffu);
        else
            *dst[k] = v;
    }
}

static int range_cmp(const void *a, const void *b)
{
    const Range *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1; /* the larger (containing) range first */
    if (x->vnet != y->vnet)
        return x->vnet < y->vnet ? -1 : 1;
    return (x->at > y->at) - (x->at < y->at);
}

static const char *range_ptr(Ctx *c, const Range *r)
{
    const Src *sr = &g_array_index(c->src[K_VNET], Src, r->vnet);
    return vd_keep(c, g_strdup_printf("/vnets/%d/addressPrefixes/%d", sr->at, r->at));
}

/* Azure refuses a VNet whose address prefixes overlap each other. Sorted by start, a range
 * overlaps an earlier one iff it starts before the largest end so far. O(p log p). */
static void check_own_overlap(Ctx *c, GArray *rs)
{
    g_array_sort(rs, range_cmp);
    const Range *reach = NULL; /* earlier range with the largest end */
    char a[PFX_STRLEN], b[PFX_STRLEN];
    for (guint i = 0; i < rs->len; i++) {
        const Range *r = &g_array_index(rs, Range, i);
        if (reach && reach->end >= r->start) {
            /* Report at the one written later in the file. */
            const Range *late = reach->at > r->at ? reach : r, *early = late == r ? reach : r;
            ERR(c, late->node, range_ptr(c, late), "%s overlaps %s (%s) of the same VNet",
                pfx_format(late->p, a), pfx_format(early->p, b), range_ptr(c, early));
        }
        if (!reach || r->end > reach->end)
            reach = r;
    }
}

void vd_vnets(Ctx *c, const cJSON *arr)
{
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/vnets", at);
        Src sr;
        if (!vd_check_object(c, el, ptr, fmt_vnet_keys, VN_N, &sr))
            continue;
        const char *name = vd_check_name(c, sr.f[VN_NAME], PK(c, ptr, "name"));
        int v = (int)c->s->vnets->len;
        ArVnet *vn = scn_add_vnet(c->s, name ? name : "");
        vd_add_src(c, K_VNET, &sr, at);
        int minus1 = -1;
        g_array_append_val(c->vnet_rs, minus1);
        g_array_append_val(c->vnet_gw[0], minus1);
        g_array_append_val(c->vnet_gw[1], minus1);
        g_array_append_val(c->vnet_uses, minus1);
        g_array_append_val(c->vnet_host, minus1);
        GArray *rs = g_array_new(FALSE, FALSE, sizeof(Range));
        g_ptr_array_add(c->ranges, rs);

        if (name) {
            gpointer hit = g_hash_table_lookup(c->vnet_names, name);
            if (hit)
                ERR(c, sr.f[VN_NAME], PK(c, ptr, "name"), "name %s is already used by %s", Q(c, name),
                    vd_src_ptr(c, K_VNET, GPOINTER_TO_INT(hit) - 1));
            else
                g_hash_table_insert(c->vnet_names, (gpointer)name, GINT_TO_POINTER(v + 1));
        }
        const cJSON *pl = sr.f[VN_PREFIXES];
        if (!pl)
            continue;
        const char *pptr = PK(c, ptr, "addressPrefixes");
        if (!pl->child)
            ERR(c, pl, pptr, "addressPrefixes needs at least one prefix");
        int j = 0;
        for (const cJSON *it = pl->child; it; it = it->next, j++) {
            ArPrefix p;
            if (!vd_get_prefix_at(c, it, pptr, j, &p))
                continue;
            g_array_append_val(vn->prefixes, p);
            Range r = { p.addr, p.addr | ~pfx_mask(p.len), v, j, p, it };
            g_array_append_val(rs, r);
        }
        check_own_overlap(c, rs);
        if (sr.f[VN_COMMS])
            do_vnet_communities(c, sr.f[VN_COMMS], PK(c, ptr, "bgpCommunities"), vn);
        if (sr.f[VN_SUBNETS])
            do_subnets(c, sr.f[VN_SUBNETS], PK(c, ptr, "subnets"), vn);
    }
}

/* ---- peerings ---------------------------------------------------------------------------- */


static gboolean vnet_hosts(Ctx *c, int v)
{
    return g_array_index(c->vnet_host, int, v) != -1;
}

static const char *vnet_host_name(Ctx *c, int v)
{
    int h = g_array_index(c->vnet_host, int, v);
    return h >= 0 ? vd_obj_name(c, K_RS, h) : vd_obj_name(c, K_GW, -2 - h);
}

/* First overlap between two VNets' sorted ranges, two pointers: O(pa + pb). A range that ends
 * before the other list's current one starts can overlap nothing later in that list. */
static gboolean first_overlap(GArray *a, GArray *b, const Range **ra, const Range **rb)
{
    guint i = 0, j = 0;
    while (i < a->len && j < b->len) {
        const Range *x = &g_array_index(a, Range, i), *y = &g_array_index(b, Range, j);
        if (x->end < y->start)
            i++;
        else if (y->end < x->start)
            j++;
        else {
            *ra = x;
            *rb = y;
            return TRUE;
        }
    }
    return FALSE;
}

/* Counts one more peering at VNet v (listed at node, ptr, with VNet other): past Azure's 500 an
 * error, or with liftLimits one warning for the VNet. */
static void count_peering(Ctx *c, guint *count, int v, int other, const cJSON *node, const char *ptr)
{
    if (++count[v] <= AR_VNET_MAX_PEERINGS)
        return;
    gboolean lift = c->s->settings.lift_limits;
    if (lift && count[v] > AR_VNET_MAX_PEERINGS + 1)
        return;
    vd_report(c, lift ? DIAG_WARNING : DIAG_ERROR, node, FALSE, ptr,
              "the peering with VNet '%s' is peering number %u of VNet '%s'; Azure allows at most %u peerings per VNet "
              "(azure-virtual-network-limits)%s",
              ((ArVnet *)g_ptr_array_index(c->s->vnets, other))->name, count[v],
              ((ArVnet *)g_ptr_array_index(c->s->vnets, v))->name, AR_VNET_MAX_PEERINGS,
              lift ? "; later peerings past the limit are not listed" : "; settings.liftLimits lifts it for a what-if run");
}

void vd_peerings(Ctx *c)
{
    g_autofree guint *count = g_new0(guint, c->s->vnets->len + 1); /* peerings per VNet, either end */
    for (guint v = 0; v < c->s->vnets->len; v++) {
        const Src *sr = &g_array_index(c->src[K_VNET], Src, v);
        const cJSON *arr = sr->f[VN_PEERINGS];
        if (!arr)
            continue;
        ArVnet *vn = g_ptr_array_index(c->s->vnets, v);
        const char *base = vd_keep(c, g_strdup_printf("/vnets/%d/peerings", sr->at));
        int at = 0;
        for (const cJSON *el = arr->child; el; el = el->next, at++) {
            const char *ptr = PI(c, base, at);
            Src pr;
            if (!vd_check_object(c, el, ptr, fmt_peering_keys, PR_N, &pr))
                continue;
            const cJSON *rem = pr.f[PR_REMOTE];
            const char *rptr = PK(c, ptr, "remoteVnet");
            ArPeering p = { vd_resolve_vnet(c, rem, rptr), vd_get_bool(pr.f[PR_USE], FALSE), vd_get_bool(pr.f[PR_ALLOW], FALSE) };
            const char *uptr = PK(c, ptr, "useRemoteGateways");
            if (p.use_remote_gateways && p.allow_gateway_transit)
                ERR(c, pr.f[PR_USE], uptr,
                    "useRemoteGateways and allowGatewayTransit cannot both be true on one peering");
            if (p.use_remote_gateways && vnet_hosts(c, (int)v))
                ERR(c, pr.f[PR_USE], uptr,
                    "VNet '%s' has its own gateway or Route Server ('%s'), so it cannot use remote gateways",
                    vn->name, vnet_host_name(c, (int)v));
            if (p.remote < 0)
                continue;
            ArVnet *rv = g_ptr_array_index(c->s->vnets, p.remote);
            if (p.remote == (int)v) {
                ERR(c, rem, rptr, "VNet '%s' cannot peer with itself", vn->name);
                continue;
            }
            guint64 key = ((guint64)MIN(v, (guint)p.remote) << 32) | MAX(v, (guint)p.remote);
            const char *first = g_hash_table_lookup(c->peered, &key);
            if (first) {
                ERR(c, rem, rptr, "VNets '%s' and '%s' are already peered by %s; list a peering once", vn->name,
                    rv->name, first);
                continue;
            }
            guint64 *k = g_new(guint64, 1);
            *k = key;
            g_hash_table_insert(c->peered, k, (gpointer)ptr);
            g_array_append_val(vn->peerings, p);
            count_peering(c, count, (int)v, p.remote, rem, rptr);
            count_peering(c, count, p.remote, (int)v, rem, rptr);

            const Range *ra, *rb;
            if (first_overlap(g_ptr_array_index(c->ranges, v), g_ptr_array_index(c->ranges, p.remote), &ra, &rb)) {
                char a[PFX_STRLEN], b[PFX_STRLEN];
                ERR(c, rem, rptr, "VNets '%s' (%s) and '%s' (%s) have overlapping address spaces; Azure refuses to peer them",
                    vn->name, pfx_format(ra->p, a), rv->name, pfx_format(rb->p, b));
            }
            if (p.use_remote_gateways && !vnet_hosts(c, (int)v)) {
                int *uses = &g_array_index(c->vnet_uses, int, v);
                if (!vnet_hosts(c, p.remote) && !c->hosts_unresolved)
                    ERR(c, pr.f[PR_USE], uptr, "VNet '%s' has no gateway or Route Server to use", rv->name);
                else if (*uses >= 0)
                    ERR(c, pr.f[PR_USE], uptr,
                        "VNet '%s' already uses the gateways of VNet '%s'; useRemoteGateways can be true on one peering only",
                        vn->name, ((ArVnet *)g_ptr_array_index(c->s->vnets, *uses))->name);
                else
                    *uses = p.remote;
            }
        }
    }
}

/* ---- VNet overlap sweep ------------------------------------------------------------------ */

/* Unpeered VNets may overlap in Azure (peered ones may not: vd_peerings reports those), but their
 * overlap makes routes ambiguous, so it is a warning, one per VNet pair. CIDR ranges are nested or
 * disjoint, so in (start, larger first) order the earlier ranges that reach a range all contain it
 * and form a stack. Each range is compared with at most STACK_LOOK entries of that stack: O(p log p)
 * for p prefixes, complete unless more than STACK_LOOK VNets share one prefix. */
#define STACK_LOOK 64

void vd_warn_vnet_overlaps(Ctx *c)
{
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Range));
    for (guint v = 0; v < c->ranges->len; v++) {
        GArray *rs = g_ptr_array_index(c->ranges, v);
        g_array_append_vals(all, rs->data, rs->len);
    }
    g_array_sort(all, range_cmp);
    g_autoptr(GHashTable) warned = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    g_autoptr(GPtrArray) stack = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++) {
        const Range *r = &g_array_index(all, Range, i);
        while (stack->len && ((const Range *)g_ptr_array_index(stack, stack->len - 1))->end < r->start)
            g_ptr_array_set_size(stack, (gint)stack->len - 1);
        for (guint k = stack->len, seen = 0; k > 0 && seen < STACK_LOOK; k--, seen++) {
            const Range *e = g_ptr_array_index(stack, k - 1);
            if (e->vnet == r->vnet)
                continue;
            guint64 key = ((guint64)(guint32)MIN(e->vnet, r->vnet) << 32) | (guint32)MAX(e->vnet, r->vnet);
            if (g_hash_table_contains(c->peered, &key) || g_hash_table_contains(warned, &key))
                continue;
            guint64 *kp = g_new(guint64, 1);
            *kp = key;
            g_hash_table_add(warned, kp);
            /* Reported at the prefix of the VNet written later in the file. */
            const Range *late = e->vnet > r->vnet ? e : r, *early = late == r ? e : r;
            char a[PFX_STRLEN], b[PFX_STRLEN];
            WARN(c, late->node, range_ptr(c, late),
                 "%s overlaps %s of VNet '%s' (%s); allowed because the VNets are not peered, but routes to the overlap are ambiguous",
                 pfx_format(late->p, a), pfx_format(early->p, b),
                 ((ArVnet *)g_ptr_array_index(c->s->vnets, early->vnet))->name, range_ptr(c, early));
        }
        g_ptr_array_add(stack, (gpointer)r);
    }
}
