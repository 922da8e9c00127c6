/* validate_policies.c - neighbour policies of NVAs and sites, and the node names checked once all are known. */
#include "validator.h"
#include <string.h>

/* ---- policies --------------------------------------------------------------------------- */
/* Neighbour policies of an NVA or site: route-map rules, first match wins. */
void vd_policies(Ctx *c, const cJSON *arr, const char *base, GArray *out)
{
    int i = 0;
    for (const cJSON *el = arr->child; el; el = el->next, i++) {
        const char *ptr = PI(c, base, i);
        Src sr;
        if (!vd_check_object(c, el, ptr, fmt_policy_keys, PO_N, &sr))
            continue;
        ArRmRule r = { 0 };
        if (sr.f[PO_DIR])
            r.import = vd_get_word(c, sr.f[PO_DIR], PK(c, ptr, "direction"), "direction", &fmt_policy_keys[PO_DIR]) == 0;
        if (sr.f[PO_ACTION])
            r.deny = vd_get_word(c, sr.f[PO_ACTION], PK(c, ptr, "action"), "action", &fmt_policy_keys[PO_ACTION]) == 1;
        if (sr.f[PO_PEER] && strcmp(sr.f[PO_PEER]->valuestring, "*") != 0)
            r.peer = g_strdup(sr.f[PO_PEER]->valuestring);
        const char *mp = PK(c, ptr, "match");
        Src m;
        if (sr.f[PO_MATCH] && vd_check_object(c, sr.f[PO_MATCH], mp, fmt_match_keys, PM_N, &m)) {
            if (m.f[PM_PREFIX] && vd_get_prefix(c, m.f[PM_PREFIX], PK(c, mp, "prefix"), &r.prefix))
                r.has_prefix = TRUE;
            uint32_t ge = r.prefix.len, le = r.prefix.len;
            if (m.f[PM_GE] || m.f[PM_LE])
                le = 32;
            if (m.f[PM_GE])
                vd_get_uint_range(c, m.f[PM_GE], PK(c, mp, "ge"), r.prefix.len, fmt_match_keys[PM_GE].max, &ge);
            if (m.f[PM_LE])
                vd_get_uint_range(c, m.f[PM_LE], PK(c, mp, "le"), ge, fmt_match_keys[PM_LE].max, &le);
            if ((m.f[PM_GE] || m.f[PM_LE]) && !m.f[PM_PREFIX])
                ERR(c, sr.f[PO_MATCH], mp, "\"ge\" and \"le\" go with \"prefix\"");
            r.ge = (uint8_t)ge;
            r.le = (uint8_t)le;
            if (m.f[PM_AS] && vd_get_key_uint(c, m.f[PM_AS], PK(c, mp, "asPathContains"), &fmt_match_keys[PM_AS], &r.as))
                r.has_as = TRUE;
            if (m.f[PM_COMM] && vd_get_community(c, m.f[PM_COMM], PK(c, mp, "community"), &r.comm))
                r.has_comm = TRUE;
        }
        const char *sp = PK(c, ptr, "set");
        Src st;
        if (sr.f[PO_SET] && vd_check_object(c, sr.f[PO_SET], sp, fmt_set_keys, PS_N, &st)) {
            if (r.deny)
                ERR(c, sr.f[PO_SET], sp, "a \"deny\" rule drops the route: \"set\" has nothing to change");
            uint32_t v;
            if (st.f[PS_PREPEND] && vd_get_key_uint(c, st.f[PS_PREPEND], PK(c, sp, "prepend"), &fmt_set_keys[PS_PREPEND], &v))
                r.prepend = (uint8_t)v;
            r.remove_private = vd_get_bool(st.f[PS_REMOVE], FALSE);
            Src ra;
            const char *rp = PK(c, sp, "replaceAs");
            if (st.f[PS_REPLACE] && vd_check_object(c, st.f[PS_REPLACE], rp, fmt_replace_keys, RA_N, &ra) && ra.f[RA_FROM] &&
                ra.f[RA_TO] && vd_get_key_uint(c, ra.f[RA_FROM], PK(c, rp, "from"), &fmt_replace_keys[RA_FROM], &r.replace_from) &&
                vd_get_key_uint(c, ra.f[RA_TO], PK(c, rp, "to"), &fmt_replace_keys[RA_TO], &r.replace_to))
                r.has_replace = TRUE;
            if (st.f[PS_ADDCOMM]) {
                r.add_comms = g_array_new(FALSE, FALSE, sizeof(uint32_t));
                const char *ap = PK(c, sp, "addCommunities");
                int k = 0;
                for (const cJSON *it = st.f[PS_ADDCOMM]->child; it; it = it->next, k++)
                    if (vd_get_community(c, it, PI(c, ap, k), &v)) {
                        if (v == AR_COMMUNITY_RS_RESERVED)
                            ERR(c, it, PI(c, ap, k), "65517:65517 is reserved by Route Server (ERVPN): NVAs must not advertise it");
                        g_array_append_val(r.add_comms, v);
                    }
            }
            if (st.f[PS_LP] && vd_get_key_uint(c, st.f[PS_LP], PK(c, sp, "localPreference"), &fmt_set_keys[PS_LP], &r.local_pref))
                r.has_local_pref = TRUE;
            if (st.f[PS_NH] && vd_get_ip(c, st.f[PS_NH], PK(c, sp, "nextHop"), &r.next_hop))
                r.has_next_hop = TRUE;
        }
        g_array_append_val(out, r);
    }
    /* Peers are checked when every node is known (sites come after NVAs). */
    i = 0;
    for (const cJSON *el = arr->child; el; el = el->next, i++) {
        const cJSON *peer = cJSON_IsObject(el) ? cJSON_GetObjectItemCaseSensitive(el, "peer") : NULL;
        if (!cJSON_IsString(peer) || strcmp(peer->valuestring, "*") == 0)
            continue;
        Ref ref = { peer, PK(c, PI(c, base, i), "peer"), -1, NULL };
        g_array_append_val(c->refs, ref);
    }
}

void vd_check_refs(Ctx *c)
{
    g_autoptr(GHashTable) names = vd_node_names(c);
    /* NVA pairs already peered, (low index << 32 | high index): O(1) per bgpPeers entry. */
    g_autoptr(GHashTable) pairs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    for (guint i = 0; i < c->refs->len; i++) {
        const Ref *r = &g_array_index(c->refs, Ref, i);
        const char *n = r->node->valuestring;
        if (r->nva < 0) {
            if (!g_hash_table_contains(names, n))
                ERR(c, r->node, r->ptr, "no node named %s for this policy; use a neighbour's name, a Route Server's name "
                                        "(both instances) or \"*\"", Q(c, n));
            continue;
        }
        ArNva *nva = g_ptr_array_index(c->s->nvas, r->nva);
        const NodeRef *nr = g_hash_table_lookup(c->node_names, n);
        int other = nr && nr->kind == K_NVA ? nr->index : AR_NO_INDEX;
        if (other < 0) {
            ERR(c, r->node, r->ptr, "no NVA named %s; bgpPeers lists other NVAs (sites connect through \"connections\"); known: %s",
                Q(c, n), vd_known(c, K_NVA));
            continue;
        }
        if (other == r->nva) {
            ERR(c, r->node, r->ptr, "an NVA cannot peer with itself");
            continue;
        }
        /* Listed twice, or on both sides: one session. */
        gint64 *pair = g_new(gint64, 1);
        *pair = ((gint64)MIN(other, r->nva) << 32) | (gint64)MAX(other, r->nva);
        gboolean dup = !g_hash_table_add(pairs, pair);
        if (dup)
            ERR(c, r->node, r->ptr, "the session between '%s' and '%s' is already listed; list it once", nva->name, n);
        else
            g_array_append_val(nva->bgp_peers, other);
    }
}
