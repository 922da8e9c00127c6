/* validate_sites.c - the "sites" section: on-premises networks and their connections. */
#include "validator.h"
#include "arsim/rib.h"

#include <string.h>

/* ---- sites ------------------------------------------------------------------------------- */



/* primaryPeerAddressPrefix and secondaryPeerAddressPrefix: both or neither, each a /30
 * (expressroute-routing.md: two /30 subnets, or a /29 split in two), apart from each other and from
 * every VNet (Azure refuses an overlap), on the circuit's first connection only. */
static void link_prefixes(Ctx *c, const Src *sr, const cJSON *el, const char *ptr, const ArSite *st, ArConnection *cn)
{
    static const int keys[2] = { CN_PRIMARY, CN_SECONDARY };
    const cJSON *v[2] = { sr->f[CN_PRIMARY], sr->f[CN_SECONDARY] };
    if (!v[0] && !v[1])
        return;
    if (cn->circuit_of != (int)st->connections->len) {
        const cJSON *one = v[0] ? v[0] : v[1];
        ERR(c, one, PK(c, ptr, v[0] ? "primaryPeerAddressPrefix" : "secondaryPeerAddressPrefix"),
            "circuit '%s' is set up by an earlier connection: give its peering subnets there", cn->circuit);
        return;
    }
    if (!v[0] || !v[1]) {
        ERR(c, el, ptr, "missing required key \"%s\": a circuit's private peering has a primary and a secondary "
                        "link, each with its /30 (expressroute-routing.md)",
            fmt_conn_keys[keys[v[0] ? 1 : 0]].key);
        return;
    }
    ArPrefix p[2];
    for (int i = 0; i < 2; i++) {
        const char *kp = PK(c, ptr, fmt_conn_keys[keys[i]].key);
        if (!vd_get_prefix(c, v[i], kp, &p[i]))
            return;
        char b[PFX_STRLEN];
        if (p[i].len != 30) {
            ERR(c, v[i], kp, "%s: a link's peering subnet is a /30 (your router takes its first address, "
                             "Microsoft's edge the second; expressroute-routing.md)", pfx_format(p[i], b));
            return;
        }
        for (guint n = 0; n < c->s->vnets->len; n++) {
            const ArVnet *vn = g_ptr_array_index(c->s->vnets, n);
            for (guint k = 0; k < vn->prefixes->len; k++) {
                ArPrefix q = g_array_index(vn->prefixes, ArPrefix, k);
                if (pfx_within(p[i], q) || pfx_within(q, p[i])) {
                    char qb[PFX_STRLEN];
                    ERR(c, v[i], kp, "%s overlaps VNet '%s' (%s): peering subnets must not overlap VNet address "
                                     "space (expressroute-routing.md)", pfx_format(p[i], b), vn->name, pfx_format(q, qb));
                    return;
                }
            }
        }
    }
    if (p[0].addr == p[1].addr) {
        char b[PFX_STRLEN];
        ERR(c, v[1], PK(c, ptr, "secondaryPeerAddressPrefix"), "%s is the primary link's subnet too; each link needs its own /30",
            pfx_format(p[1], b));
        return;
    }
    cn->link_prefix[0] = p[0];
    cn->link_prefix[1] = p[1];
}

static void do_connection(Ctx *c, const cJSON *el, const char *ptr, int site, ArSite *st)
{
    Src sr;
    if (!vd_check_object(c, el, ptr, fmt_conn_keys, CN_N, &sr))
        return;
    ArConnection cn = { .kind = CONN_NVA, .target = AR_NO_INDEX, .sku = SKU_STANDARD,
                        .circuit_of = (int)st->connections->len };
    int kinds = 0, kind = -1;
    for (const cJSON *ch = el->child; ch; ch = ch->next) {
        int k = vd_spec_find(fmt_conn_keys, CN_N, ch->string);
        if (k < CN_NVA || k > CN_VPN || k == kind) /* the same key twice is a duplicate key */
            continue;
        if (++kinds == 1)
            kind = k;
        else
            vd_report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string),
                   "\"%s\" cannot be combined with \"%s\": a connection has exactly one target", ch->string,
                   fmt_conn_keys[kind].key);
    }
    if (kinds == 0) {
        ERR(c, el, ptr, "a connection needs exactly one of \"nva\", \"expressRouteGateway\" or \"vpnGateway\"");
        return;
    }
    /* Attribute keys of another kind of connection; not judged when the kind itself is unclear. */
    static const struct { int key, kind; } owner[] = { { CN_SKU, CN_ER }, { CN_BGP, CN_VPN }, { CN_CIRCUIT, CN_ER },
                                                       { CN_PRIMARY, CN_ER }, { CN_SECONDARY, CN_ER } };
    for (size_t i = 0; i < G_N_ELEMENTS(owner) && kinds == 1; i++) {
        if ((sr.present & (1u << owner[i].key)) && kind != owner[i].kind) {
            const cJSON *kn = cJSON_GetObjectItemCaseSensitive(el, fmt_conn_keys[owner[i].key].key);
            vd_report(c, DIAG_ERROR, kn, TRUE, PK(c, ptr, fmt_conn_keys[owner[i].key].key),
                   "\"%s\" belongs to \"%s\" connections only", fmt_conn_keys[owner[i].key].key,
                   fmt_conn_keys[owner[i].kind].key);
        }
    }
    const cJSON *tnode = sr.f[kind];
    const char *tptr = PK(c, ptr, fmt_conn_keys[kind].key);
    cn.kind = kind == CN_NVA ? CONN_NVA : kind == CN_ER ? CONN_EXPRESSROUTE : CONN_VPN;
    if (kind == CN_NVA) {
        cn.target = vd_resolve_node(c, tnode, tptr, K_NVA);
    } else {
        cn.target = vd_resolve_node(c, tnode, tptr, K_GW);
        if (cn.target >= 0) {
            const Src *gs = &g_array_index(c->src[K_GW], Src, cn.target);
            const ArGateway *g = g_ptr_array_index(c->s->gateways, cn.target);
            ArGatewayType want = kind == CN_ER ? GW_EXPRESSROUTE : GW_VPN;
            if (gs->gw_type_known && g->type != want) {
                ERR(c, tnode, tptr, "gateway '%s' is of type %s; \"%s\" needs a gateway of type %s", g->name,
                    fmt_gw_keys[GW_TYPE].words[g->type], fmt_conn_keys[kind].key, fmt_gw_keys[GW_TYPE].words[want]);
                cn.target = AR_NO_INDEX;
            }
        }
    }
    if (cn.target >= 0) {
        guint64 key = ((guint64)(guint32)site << 32) | ((guint64)(kind != CN_NVA) << 31) | (guint32)cn.target;
        const char *first = g_hash_table_lookup(c->site_conns, &key);
        if (first) {
            ERR(c, tnode, tptr, "site '%s' already connects to '%s' (%s)", st->name, tnode->valuestring, first);
        } else {
            guint64 *k = g_new(guint64, 1);
            *k = key;
            g_hash_table_insert(c->site_conns, k, (gpointer)ptr);
        }
    }
    if (kind == CN_ER && sr.f[CN_SKU]) {
        int sku = vd_get_word(c, sr.f[CN_SKU], PK(c, ptr, "circuitSku"), "circuitSku", &fmt_conn_keys[CN_SKU]);
        if (sku >= 0)
            cn.sku = (ArCircuitSku)sku;
    }
    if (kind == CN_VPN)
        cn.bgp = vd_get_bool(sr.f[CN_BGP], FALSE);
    if (kind == CN_ER && sr.f[CN_CIRCUIT]) {
        cn.circuit = g_strdup(vd_check_name(c, sr.f[CN_CIRCUIT], PK(c, ptr, "circuit")) ? sr.f[CN_CIRCUIT]->valuestring : "");
        /* Connections of this site naming the same circuit share it (one MSEE, several gateways). */
        for (guint k = 0; k < st->connections->len; k++) {
            const ArConnection *o = &g_array_index(st->connections, ArConnection, k);
            if (o->kind == CONN_EXPRESSROUTE && o->circuit && strcmp(o->circuit, cn.circuit) == 0 && o->circuit_of == (int)k) {
                cn.circuit_of = (int)k;
                if (o->sku != cn.sku && sr.f[CN_SKU])
                    ERR(c, sr.f[CN_SKU], PK(c, ptr, "circuitSku"), "circuit '%s' is already %s (an earlier connection says so)",
                        cn.circuit, fmt_conn_keys[CN_SKU].words[o->sku]);
                cn.sku = o->sku;
                break;
            }
        }
    }
    if (kind == CN_ER)
        link_prefixes(c, &sr, el, ptr, st, &cn);
    g_array_append_val(st->connections, cn);
}

/* A site's addressPrefixes into st->prefixes, each reported where it is not a prefix or repeats
 * an earlier one (at that one's index). A list without repeats, the rule, is told by sorting its
 * keys (pfx_keys_sort, O(n)); only a list with one is checked item by item in a hash table (seen,
 * emptied first), for the messages. */
static void site_prefixes(Ctx *c, const cJSON *list, const char *base, GHashTable *seen, ArSite *st)
{
    g_autoptr(GArray) items = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    g_autoptr(GArray) at = g_array_new(FALSE, FALSE, sizeof(int));           /* each one's index */
    g_autoptr(GPtrArray) nodes = g_ptr_array_new();                            /* each one's node */
    int j = 0;
    for (const cJSON *it = list->child; it; it = it->next, j++) {
        ArPrefix p;
        if (!vd_get_prefix_at(c, it, base, j, &p))
            continue;
        g_array_append_val(items, p);
        g_array_append_val(at, j);
        g_ptr_array_add(nodes, (gpointer)it);
    }
    g_autofree uint64_t *keys = g_new(uint64_t, MAX(items->len, 1));
    for (guint i = 0; i < items->len; i++)
        keys[i] = pfx_key(g_array_index(items, ArPrefix, i));
    pfx_keys_sort(keys, items->len);
    bool repeats = false;
    for (guint i = 1; i < items->len && !repeats; i++)
        repeats = keys[i] == keys[i - 1];
    if (!repeats) {
        g_array_append_vals(st->prefixes, items->data, items->len);
        return;
    }
    g_hash_table_remove_all(seen);
    for (guint i = 0; i < items->len; i++) {
        ArPrefix p = g_array_index(items, ArPrefix, i);
        int k = g_array_index(at, int, i);
        gpointer key = rib_key_ptr(pfx_key(p));
        guint first = GPOINTER_TO_UINT(g_hash_table_lookup(seen, key)); /* its index + 1 */
        char b[PFX_STRLEN];
        if (first) {
            ERR(c, g_ptr_array_index(nodes, i), PI(c, base, k), "%s is already listed at %s", pfx_format(p, b),
                PI(c, base, (int)first - 1));
            continue;
        }
        g_hash_table_insert(seen, key, GUINT_TO_POINTER((guint)k + 1));
        g_array_append_val(st->prefixes, p);
    }
}

void vd_sites(Ctx *c, const cJSON *arr)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(rib_key_hash, g_direct_equal); /* prefix key packed in the pointer */
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/sites", at);
        Src sr;
        if (!vd_check_object(c, el, ptr, fmt_site_keys, ST_N, &sr))
            continue;
        const char *name = vd_check_name(c, sr.f[ST_NAME], PK(c, ptr, "name"));
        int idx = (int)c->s->sites->len;
        ArSite *st = scn_add_site(c->s, name ? name : "");
        vd_add_src(c, K_SITE, &sr, at);
        vd_register_node(c, name, sr.f[ST_NAME], PK(c, ptr, "name"), K_SITE, idx);

        if (sr.f[ST_ASN])
            vd_get_wide_asn(c, sr.f[ST_ASN], PK(c, ptr, "asn"), FALSE, &st->asn);
        if (sr.f[ST_IP])
            vd_get_ip(c, sr.f[ST_IP], PK(c, ptr, "bgpPeeringAddress"), &st->ip);
        if (sr.f[ST_PREFIXES])
            site_prefixes(c, sr.f[ST_PREFIXES], PK(c, ptr, "addressPrefixes"), seen, st);
        if (sr.f[ST_CONNS]) {
            const char *base = PK(c, ptr, "connections");
            int j = 0;
            for (const cJSON *it = sr.f[ST_CONNS]->child; it; it = it->next, j++)
                do_connection(c, it, PI(c, base, j), idx, st);
        }
        if (sr.f[ST_FROM])
            st->table = vd_routes_from(c, sr.f[ST_FROM], PK(c, ptr, "routesFrom"));
        if (sr.f[ST_POL])
            vd_policies(c, sr.f[ST_POL], PK(c, ptr, "policies"), st->policies);
        if (sr.f[ST_HOLD])
            vd_get_hold_time(c, sr.f[ST_HOLD], PK(c, ptr, "holdTime"), &st->hold_time);
        if (sr.f[ST_MRAI])
            vd_get_time(c, sr.f[ST_MRAI], PK(c, ptr, "mrai"), &st->mrai);
    }
}
