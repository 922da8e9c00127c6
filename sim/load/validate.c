/* validate.c - checks a scenario tree against format v1 and builds the model, section by section. */
#include "validator.h"
#include "arsim/rib.h"

#include <string.h>

/* One pass per section, in file order of sections, each referring only to sections already read:
 * vnets (names, prefixes), routeServers, gateways, then the VNets' peerings (they need to know
 * which VNets hold gateways), nvas (refer to route servers), sites (refer to NVAs and gateways),
 * and last the VNet overlap sweep. Lookups are hash tables, so the whole is O(n log n), the log
 * from sorting prefixes. Every object that is a JSON object gets a model object even when it has
 * errors, so later references to it resolve and do not cascade. */

static void ranges_free(gpointer p)
{
    g_array_free(p, TRUE);
}

ArScenario *load_validate(const char *file, const cJSON *root, const JPosIndex *ix, ScnEstimateFor estimate_for,
                          ArDiagList *diags)
{
    Ctx ctx = { 0 }, *c = &ctx;
    c->file = file;
    c->ix = ix;
    c->d = diags;
    c->s = scn_new();
    c->scratch = g_ptr_array_new_with_free_func(g_free);
    /* Name keys point into the cJSON tree, which outlives this function's tables. */
    c->vnet_names = g_hash_table_new(g_str_hash, g_str_equal);
    c->node_names = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    c->addresses = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    c->peered = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    c->site_conns = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    for (int k = 0; k < K_N; k++)
        c->src[k] = g_array_new(FALSE, FALSE, sizeof(Src));
    c->ranges = g_ptr_array_new_with_free_func(ranges_free);
    c->vnet_rs = g_array_new(FALSE, FALSE, sizeof(int));
    c->vnet_gw[0] = g_array_new(FALSE, FALSE, sizeof(int));
    c->vnet_gw[1] = g_array_new(FALSE, FALSE, sizeof(int));
    c->vnet_uses = g_array_new(FALSE, FALSE, sizeof(int));
    c->vnet_host = g_array_new(FALSE, FALSE, sizeof(int));
    c->rs_peers = g_array_new(FALSE, FALSE, sizeof(int));
    c->refs = g_array_new(FALSE, FALSE, sizeof(Ref));

    Src top;
    vd_check_object(c, root, "", fmt_top_keys, TOP_N, &top);
    if (top.f[TOP_NAME])
        c->s->name = g_strdup(top.f[TOP_NAME]->valuestring);
    if (top.f[TOP_DESC])
        c->s->description = g_strdup(top.f[TOP_DESC]->valuestring);
    if (top.f[TOP_VNETS] && !top.f[TOP_VNETS]->child)
        ERR(c, top.f[TOP_VNETS], "/vnets", "at least one VNet is required");

    if (top.f[TOP_SETTINGS])
        vd_settings(c, top.f[TOP_SETTINGS]);
    if (top.f[TOP_VNETS])
        vd_vnets(c, top.f[TOP_VNETS]);
    if (top.f[TOP_RS])
        vd_route_servers(c, top.f[TOP_RS]);
    if (top.f[TOP_GW])
        vd_gateways(c, top.f[TOP_GW]);
    vd_peerings(c);
    if (top.f[TOP_NVAS])
        vd_nvas(c, top.f[TOP_NVAS]);
    if (top.f[TOP_SITES])
        vd_sites(c, top.f[TOP_SITES]);
    vd_warn_vnet_overlaps(c);
    vd_check_refs(c);
    if (top.f[TOP_EVENTS])
        vd_events(c, top.f[TOP_EVENTS]);
    /* What one speaker can hold is bounded by the engine's peer index, not only by Azure's limits:
     * refuse past it, liftLimits or not, rather than abort in the build. */
    if (c->d->errors == 0) {
        const char *section;
        guint at;
        uint64_t peers = scn_most_peers(c->s, &section, &at);
        if (peers > RIB_MAX_PEERS) {
            int kind = K_SITE;
            while (kind > K_VNET && strcmp(vd_section_key[kind], section) != 0)
                kind--;
            const Src *sr = &g_array_index(c->src[kind], Src, at);
            ERR(c, sr->obj, vd_src_ptr(c, kind, (int)at),
                "'%s' would have %" G_GUINT64_FORMAT " BGP sessions; arsim holds at most %u per speaker (a "
                "limit of the simulator, with or without settings.liftLimits)",
                vd_obj_name(c, kind, (int)at), peers, RIB_MAX_PEERS);
        }
    }
    /* A small file can ask for more routes than the machine holds (thousands of sessions each
     * carrying every prefix): refuse it up front rather than die out of memory. The estimate is
     * the command's (a report or a compare builds more than a run). */
    if (c->d->errors == 0) {
        uint64_t need = scn_estimate_bytes(c->s, estimate_for), max = c->s->settings.max_memory_mib * 1024ull * 1024ull;
        if (need > max)
            ERR(c, root, "", "this scenario could need about %.1f GiB of memory for `arsim %s` (its prefixes times the "
                             "sessions and speakers that would hold them), more than settings.maxMemoryMiB allows (%"
                             G_GUINT64_FORMAT " MiB); raise it if the machine has the memory",
                (double)need / (1024.0 * 1024 * 1024), scn_estimate_name(estimate_for), c->s->settings.max_memory_mib);
    }

    g_ptr_array_free(c->scratch, TRUE);
    g_hash_table_destroy(c->vnet_names);
    g_hash_table_destroy(c->node_names);
    g_hash_table_destroy(c->addresses);
    g_hash_table_destroy(c->peered);
    g_hash_table_destroy(c->site_conns);
    for (int k = 0; k < K_N; k++) {
        g_array_free(c->src[k], TRUE);
        g_free(c->known[k]);
    }
    g_ptr_array_free(c->ranges, TRUE);
    g_array_free(c->vnet_rs, TRUE);
    g_array_free(c->vnet_gw[0], TRUE);
    g_array_free(c->vnet_gw[1], TRUE);
    g_array_free(c->vnet_uses, TRUE);
    g_array_free(c->vnet_host, TRUE);
    g_array_free(c->rs_peers, TRUE);
    g_array_free(c->refs, TRUE);
    return c->s;
}
