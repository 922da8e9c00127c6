/* routemap.c - neighbour policies of NVAs and sites ("policies"): route-map rules, first match wins. */
#include "azure_priv.h"

#include <string.h>

/* "ars" names both Route Server instances; anything else names one node. */
static bool peer_matches(const char *rule_peer, const char *name)
{
    size_t n = strlen(rule_peer);
    return strcmp(rule_peer, name) == 0 || (strncmp(rule_peer, name, n) == 0 && name[n] == '/' && name[n + 1] &&
                                            !strchr(name + n + 1, '/'));
}

static bool rule_matches(const ArRmRule *r, const ArPeer *peer, uint64_t key, const ArAttrs *a)
{
    if (r->peer && !peer_matches(r->peer, peer->remote->name))
        return false;
    if (r->has_prefix) {
        ArPrefix p = pfx_from_key(key);
        if (!pfx_within(p, r->prefix) || p.len < r->ge || p.len > r->le)
            return false;
    }
    if (r->has_as && !attr_path_contains(a->path, r->as))
        return false;
    if (r->has_comm && !attr_comms_has(a->comms, r->comm))
        return false;
    return true;
}

/* The rule's "set" on a: on export position 0 of the path is our own ASN (already prepended), kept
 * in front by removePrivateAs, repeated by prepend. O(path length). */
static const ArAttrs *rule_apply(ArSpeaker *sp, const ArRmRule *r, bool export_side, bool ebgp, const ArAttrs *a)
{
    ArAttrCache *cache = sp->sim->attrs;
    ArAttrs c = *a;
    if (r->remove_private || r->has_replace || r->prepend) {
        const ArAsPath *p = a->path;
        uint32_t keep = export_side && p->len ? 1 : 0;
        GArray *v = g_array_sized_new(FALSE, FALSE, sizeof(uint32_t), p->len + r->prepend);
        for (uint32_t i = 0; i < keep; i++)
            g_array_append_val(v, p->asns[i]);
        for (uint8_t i = 0; i < r->prepend; i++)
            g_array_append_val(v, sp->asn);
        for (uint32_t i = keep; i < p->len; i++) {
            uint32_t asn = p->asns[i];
            if (r->has_replace && asn == r->replace_from)
                asn = r->replace_to;
            else if (r->remove_private && asn_is_private(asn) && !(r->has_replace && asn == r->replace_to))
                continue;
            g_array_append_val(v, asn);
        }
        c.path = attr_path(cache, (const uint32_t *)(const void *)v->data, v->len);
        g_array_free(v, TRUE);
    }
    for (guint i = 0; r->add_comms && i < r->add_comms->len; i++)
        c.comms = attr_comms_add(cache, c.comms, g_array_index(r->add_comms, uint32_t, i));
    if (r->has_local_pref && !(export_side && ebgp))
        c.local_pref = r->local_pref; /* LOCAL_PREF is not sent over eBGP (RFC 4271 5.1.5) */
    if (r->has_next_hop)
        c.next_hop = r->next_hop;
    return attr_intern(cache, &c);
}

/* First rule of the direction that matches decides: deny drops, permit applies its set; no match
 * passes the route unchanged. O(rules). */
static const ArAttrs *rm_eval(ArSpeaker *sp, ArPeer *peer, bool import, uint64_t key, const ArAttrs *a,
                              const char **why)
{
    for (guint i = 0; i < sp->route_maps->len; i++) {
        const ArRmRule *r = &g_array_index(sp->route_maps, ArRmRule, i);
        if (r->import != import || !rule_matches(r, peer, key, a))
            continue;
        if (r->deny) {
            *why = import ? "denied by an import policy" : "denied by an export policy";
            return NULL;
        }
        return rule_apply(sp, r, !import, !peer->session->ibgp, a);
    }
    return a;
}

static const ArAttrs *rm_import_prefix(ArSpeaker *sp, ArPeer *from, uint64_t key, const ArAttrs *a, const char **why)
{
    return rm_eval(sp, from, true, key, a, why);
}

static const ArAttrs *rm_export(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why)
{
    const ArAttrs *a = bgp_export_standard(sp, to, key, r, why);
    return a ? rm_eval(sp, to, false, key, a, why) : NULL;
}

const ArPolicy policy_mapped = { .import = bgp_import_standard, .export = rm_export, .import_prefix = rm_import_prefix };
