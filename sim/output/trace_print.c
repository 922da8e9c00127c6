/* trace_print.c - `arsim trace`: one data-plane walk (reach.h) as text, a line per hop, and as JSON. */
#include "arsim/output.h"
#include "arsim/reach.h"

#include <string.h>

void out_reach_trace_text(const ArTrace *t, GString *out)
{
    char ip[IP_STRLEN], pfx[PFX_STRLEN];
    int w = 4;
    for (guint i = 0; i < t->hops->len; i++)
        w = MAX(w, (int)strlen(g_array_index(t->hops, ArReachHop, i).name));
    g_string_append_printf(out, "%s -> %s\n", t->from, ip_format(t->to, ip));
    for (guint i = 0; i < t->hops->len; i++) {
        const ArReachHop *h = &g_array_index(t->hops, ArReachHop, i);
        g_string_append_printf(out, "  %-2u %-*s  ", i + 1, w, h->name);
        if (!h->matched && h->next) { /* no route of its own here, yet handed on (an NVA to its VNet's fabric) */
            g_string_append_printf(out, "%-18s -> %-*s  %s\n", "(no BGP route)", w, h->next, h->note ? h->note : "");
            continue;
        }
        if (!h->matched) {
            g_string_append_printf(out, "no route to %s\n", ip_format(t->to, ip));
            if (h->note)
                g_string_append_printf(out, "     %-*s  (%s)\n", w, "", h->note);
            continue;
        }
        g_string_append_printf(out, "%-18s ", pfx_format(h->prefix, pfx));
        if (h->next)
            g_string_append_printf(out, "-> %-*s  ", w, h->next);
        GString *d = g_string_new(NULL);
        if (h->nh_type)
            g_string_append(d, h->nh_type);
        else if (!h->from)
            g_string_append(d, "local");
        if (h->has_next_hop)
            g_string_append_printf(d, "%snext hop %s", d->len ? ", " : "", ip_format(h->next_hop, ip));
        if (h->as_path && h->as_path[0])
            g_string_append_printf(d, ", AS path %s", h->as_path);
        if (h->from && (!h->next || strcmp(h->from, h->next) != 0))
            g_string_append_printf(d, ", learned from %s", h->from);
        if (h->ecmp && h->ecmp->len) {
            /* Azure spreads flows over every equal-cost next hop by hash; one walk follows one. */
            g_string_append(d, " (ECMP: a flow takes any one; this trace follows the lowest address; also:");
            for (guint k = 0; k < h->ecmp->len; k++)
                g_string_append_printf(d, " %s", (const char *)g_ptr_array_index(h->ecmp, k));
            g_string_append(d, ")");
        }
        g_string_append_printf(out, "%s\n", d->str);
        g_string_free(d, TRUE);
        if (h->note)
            g_string_append_printf(out, "     %-*s  (%s)\n", w, "", h->note);
    }
    g_autofree char *v = reach_verdict_text(t);
    g_string_append_printf(out, "%s\n", v);
}

static void opt_string(cJSON *o, const char *key, const char *val)
{
    if (val)
        cJSON_AddStringToObject(o, key, val);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *out_reach_trace_json(const ArTrace *t)
{
    char ip[IP_STRLEN], pfx[PFX_STRLEN];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", t->from);
    cJSON_AddStringToObject(o, "to", ip_format(t->to, ip));
    cJSON *hops = cJSON_AddArrayToObject(o, "hops");
    for (guint i = 0; i < t->hops->len; i++) {
        const ArReachHop *h = &g_array_index(t->hops, ArReachHop, i);
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "node", h->name);
        cJSON_AddStringToObject(j, "kind", h->node.is_vnet ? "vnet" : bgp_kind_name(h->node.sp->kind));
        opt_string(j, "prefix", h->matched ? pfx_format(h->prefix, pfx) : NULL);
        if (h->nh_type)
            cJSON_AddStringToObject(j, "nextHopType", h->nh_type);
        opt_string(j, "nextHop", h->has_next_hop ? ip_format(h->next_hop, ip) : NULL);
        opt_string(j, "asPath", h->as_path);
        opt_string(j, "learnedFrom", h->from);
        opt_string(j, "next", h->next);
        cJSON *ecmp = cJSON_AddArrayToObject(j, "ecmp");
        for (guint k = 0; h->ecmp && k < h->ecmp->len; k++)
            cJSON_AddItemToArray(ecmp, cJSON_CreateString(g_ptr_array_index(h->ecmp, k)));
        if (h->note)
            cJSON_AddStringToObject(j, "note", h->note);
        cJSON_AddItemToArray(hops, j);
    }
    g_autofree char *v = reach_verdict_text(t);
    cJSON_AddStringToObject(o, "verdict", v);
    cJSON_AddStringToObject(o, "result", reach_verdict_name(t->verdict));
    cJSON_AddStringToObject(o, "at", t->at);
    cJSON_AddBoolToObject(o, "delivered", t->verdict == REACH_DELIVERED);
    return o;
}
