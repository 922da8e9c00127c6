/* rows.c - a run's results as flat rows: node routes, effective routes, reachability pairs. */
#include "arsim/rows.h"

const char *rows_peer_origin(const ArSpeaker *sp, uint16_t peer)
{
    if (peer == PEER_LOCAL)
        return "Igp";
    return bgp_peer(sp, peer)->session->ibgp ? "IBgp" : "EBgp";
}

const char *rows_route_origin(const ArSpeaker *sp, const ArRoute *r) { return rows_peer_origin(sp, r->peer); }

/* The rows of one prefix's paths. */
static void net_rows(const ArSpeaker *sp, uint64_t key, const ArRibNet *net, ArRouteRowFn fn, void *user)
{
    for (const ArRoute *r = rib_first(net); r; r = rib_route_next(net, r)) {
        const ArRouteRow row = {
            .node = sp,
            .prefix = pfx_from_key(key),
            .route = r,
            .from = bgp_route_source(sp, r),
            .origin = rows_route_origin(sp, r),
            .best = r == rib_best(net),
        };
        fn(&row, user);
    }
}

void rows_node_routes(const ArSpeaker *sp, const ArPrefix *prefix, ArRouteRowFn fn, void *user)
{
    if (prefix) {
        uint64_t key = pfx_key(*prefix);
        const ArRibNet *net = rib_find(&sp->rib, key);
        if (net)
            net_rows(sp, key, net, fn, user);
        return;
    }
    g_autoptr(GArray) keys = rib_sorted_keys(&sp->rib);
    for (guint i = 0; i < keys->len; i++) {
        uint64_t key = g_array_index(keys, uint64_t, i);
        const ArRibNet *net = rib_find(&sp->rib, key);
        g_assert(net); /* the keys are the RIB's own */
        net_rows(sp, key, net, fn, user);
    }
}

GPtrArray *rows_node_speakers(const ArRun *run, const char *node)
{
    if (!node)
        return NULL;
    GPtrArray *keep = g_ptr_array_new();
    azure_resolve(run->net, node, keep);
    return keep;
}

bool rows_keeps_speaker(const GPtrArray *keep, const ArSpeaker *sp)
{
    return !keep || g_ptr_array_find((GPtrArray *)keep, sp, NULL);
}

void rows_routes(const ArRun *run, const char *node, const ArPrefix *prefix, ArRouteRowFn fn, void *user)
{
    const GPtrArray *speakers = run->net->sim->speakers;
    g_autoptr(GPtrArray) keep = rows_node_speakers(run, node);
    for (guint i = 0; i < speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(speakers, i);
        if (rows_keeps_speaker(keep, sp))
            rows_node_routes(sp, prefix, fn, user);
    }
}

void rows_table_routes(const ArEffTable *t, const ArPrefix *prefix, ArEffRowFn fn, void *user)
{
    ArEffRow row = { .table = t };
    ArEffIter it;
    eff_iter_init(&it, t);
    while ((row.route = eff_iter_next(&it)))
        if (!prefix || pfx_key(row.route->prefix) == pfx_key(*prefix))
            fn(&row, user);
}

void rows_effective(const ArRun *run, const ArPrefix *prefix, ArEffRowFn fn, void *user)
{
    for (guint i = 0; i < run->eff->len; i++)
        rows_table_routes(g_ptr_array_index(run->eff, i), prefix, fn, user);
}

void rows_reach(const ArReachMatrix *m, ArReachRowFn fn, void *user)
{
    guint n = m->endpoints->len;
    for (guint i = 0; i < n; i++)
        for (guint j = i + 1; j < n; j++) {
            const ArReachRow row = {
                .a = &g_array_index(m->endpoints, ArReachEndpoint, i),
                .b = &g_array_index(m->endpoints, ArReachEndpoint, j),
                .cell = &m->cells[i * n + j],
            };
            fn(&row, user);
        }
}
