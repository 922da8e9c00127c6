/* text.c - run results as aligned tables for a terminal. */
#include "arsim/output.h"

#include <string.h>

static void node_text(const ArSpeaker *sp, GString *out)
{
    char ip[IP_STRLEN], pfx[PFX_STRLEN], nh[IP_STRLEN];
    g_string_append_printf(out, "%s  (%s, AS %u, %s)\n", sp->name, bgp_kind_name(sp->kind), sp->asn,
                           ip_format(sp->ip, ip));
    for (guint i = 0; i < sp->peers->len; i++) {
        const ArPeer *p = bgp_peer(sp, (uint16_t)i);
        g_string_append_printf(out, "  session %-18s %s %-11s received %u, advertised %u%s%s\n", p->remote->name,
                               p->session->ibgp ? "iBGP" : "eBGP",
                               p->session->state == SESS_ESTABLISHED ? "Established" : "Idle", p->routes_in,
                               bgp_out_size(p), p->session->down_reason ? ": " : "",
                               p->session->down_reason ? p->session->down_reason : "");
    }
    g_autoptr(GArray) keys = rib_sorted_keys(&sp->rib);
    if (keys->len == 0) {
        g_string_append(out, "  (no routes)\n\n");
        return;
    }
    g_string_append_printf(out, "    %-18s %-15s %-5s %-18s %s\n", "Network", "Next hop", "Orig", "From", "AS path");
    for (guint i = 0; i < keys->len; i++) {
        uint64_t key = g_array_index(keys, uint64_t, i);
        const ArRibNet *n = rib_find(&sp->rib, key);
        for (const ArRoute *r = n->routes; r; r = r->next) {
            const ArSpeaker *src = bgp_route_source(sp, r);
            const char *orig = !src ? "Igp" : bgp_peer(sp, r->peer)->session->ibgp ? "IBgp" : "EBgp";
            g_autofree char *path = attr_path_to_string(r->attrs->path);
            g_string_append_printf(out, "  %s %-18s %-15s %-5s %-18s %s\n", r == n->best ? ">" : " ",
                                   pfx_format(pfx_from_key(key), pfx), ip_format(r->attrs->next_hop, nh), orig,
                                   src ? src->name : "-", path[0] ? path : "(local)");
        }
    }
    g_string_append_c(out, '\n');
}

static void eff_text(const ArScenario *scn, const ArEffTable *t, GString *out)
{
    char pfx[PFX_STRLEN], ip[IP_STRLEN];
    g_autofree char *name = eff_table_name(scn, t);
    g_string_append_printf(out, "Effective routes of VMs in %s %s", t->subnet == AR_NO_INDEX ? "VNet" : "subnet", name);
    if (t->hub != AR_NO_INDEX && t->hub != t->vnet)
        g_string_append_printf(out, " (uses the gateways of %s)",
                               ((ArVnet *)g_ptr_array_index(scn->vnets, t->hub))->name);
    g_string_append(out, "\n");
    g_string_append_printf(out, "    %-22s %-18s %-22s %s\n", "Source", "Address prefix", "Next hop type",
                           "Next hop IP (via)");
    ArEffIter it;
    eff_iter_init(&it, t);
    for (const ArEffRoute *r; (r = eff_iter_next(&it));) {
        GString *nh = g_string_new(NULL);
        for (guint k = 0; k < r->next_hops->len; k++)
            g_string_append_printf(nh, "%s%s", k ? ", " : "", ip_format(g_array_index(r->next_hops, uint32_t, k), ip));
        if (r->via->len) {
            g_string_append(nh, nh->len ? " (" : "(");
            for (guint k = 0; k < r->via->len; k++)
                g_string_append_printf(nh, "%s%s", k ? ", " : "",
                                       ((const ArSpeaker *)g_ptr_array_index(r->via, k))->name);
            g_string_append(nh, ")");
        }
        if (r->type == NH_VNET_PEERING)
            g_string_append(nh, ((ArVnet *)g_ptr_array_index(scn->vnets, r->peer_vnet))->name);
        g_string_append_printf(out, "    %-22s %-18s %-22s %s\n", eff_source_name(r), pfx_format(r->prefix, pfx),
                               eff_nh_type_name(r->type), nh->str);
        g_string_free(nh, TRUE);
    }
    g_string_append_c(out, '\n');
}

void out_run_text(const ArRun *run, const char *node_filter, GString *out)
{
    const ArSim *sim = run->net->sim;
    const ArScenario *scn = run->net->scn;
    if (!node_filter) {
        g_string_append_printf(out, "%s\n", scn->name ? scn->name : scn->file ? scn->file : "scenario");
        g_string_append_printf(out, "%s after %.3f s simulated: %" G_GUINT64_FORMAT " UPDATE messages, %" G_GUINT64_FORMAT
                               " events.\n\n",
                               run->end == RUN_CONVERGED ? "Converged" : "NOT converged",
                               (double)sim->stats.last_change / (double)AR_SEC, sim->stats.updates, sim->stats.events);
        g_string_append(out, "Routes per node ('>' marks the best path)\n\n");
    }
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        if (!node_filter || strcmp(node_filter, sp->name) == 0)
            node_text(sp, out);
    }
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        const ArVnet *vn = g_ptr_array_index(scn->vnets, t->vnet);
        g_autofree char *name = eff_table_name(scn, t);
        if (!node_filter || strcmp(node_filter, vn->name) == 0 || strcmp(node_filter, name) == 0)
            eff_text(scn, t, out);
    }
}

void out_peering_routes_text(const cJSON *doc, GString *out)
{
    const cJSON *role;
    cJSON_ArrayForEach(role, doc)
    {
        g_string_append_printf(out, "%s\n    %-15s %-18s %-15s %-15s %-6s %-6s %s\n", role->string, "LocalAddress",
                               "Network", "NextHop", "SourcePeer", "Origin", "Weight", "AsPath");
        const cJSON *e;
        cJSON_ArrayForEach(e, role)
        {
            g_string_append_printf(out, "    %-15s %-18s %-15s %-15s %-6s %-6d %s\n",
                                   cJSON_GetObjectItem(e, "localAddress")->valuestring,
                                   cJSON_GetObjectItem(e, "network")->valuestring,
                                   cJSON_GetObjectItem(e, "nextHop")->valuestring,
                                   cJSON_GetObjectItem(e, "sourcePeer")->valuestring,
                                   cJSON_GetObjectItem(e, "origin")->valuestring,
                                   cJSON_GetObjectItem(e, "weight")->valueint,
                                   cJSON_GetObjectItem(e, "asPath")->valuestring);
        }
        g_string_append_c(out, '\n');
    }
}
