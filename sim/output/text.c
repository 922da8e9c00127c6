/* text.c - run results as aligned tables for a terminal; past a size, a summary that groups what is shared. */
#include "arsim/output.h"
#include "arsim/rows.h"

#include <string.h>

/* Hands what out holds to sink, when there is one (else out keeps growing). */
static void drain(ArOutStream *sink, GString *out)
{
    if (sink)
        out_stream_drain(sink, out);
}

/* A table being printed from the results' rows: where the lines go, and the rows so far. */
typedef struct TextRows {
    const ArScenario *scn; /* names of VNets (effective routes) */
    GString *out;          /* the lines */
    ArOutStream *sink;     /* where out is drained every 4096 rows, NULL to keep it */
    guint64 rows;          /* rows printed */
} TextRows;

/* Counts a row printed; drains every 4096 rows. */
static void text_row_done(TextRows *t)
{
    if ((++t->rows & 4095) == 0)
        drain(t->sink, t->out);
}

/* One path of a node's table: "  > NETWORK NEXTHOP ORIG FROM ASPATH", after the column header
 * when it is the node's first. O(path length). */
static void route_line(const ArRouteRow *row, void *user)
{
    TextRows *t = user;
    char pfx[PFX_STRLEN], nh[IP_STRLEN];
    if (t->rows == 0)
        g_string_append_printf(t->out, "    %-18s %-15s %-5s %-18s %s\n", "Network", "Next hop", "Orig", "From",
                               "AS path");
    g_autofree char *path = attr_path_to_string(rt_attrs(row->route)->path);
    g_string_append_printf(t->out, "  %s %-18s %-15s %-5s %-18s %s\n", row->best ? ">" : " ",
                           pfx_format(row->prefix, pfx), ip_format(rt_attrs(row->route)->next_hop, nh), row->origin,
                           row->from ? row->from->name : "-", path[0] ? path : "(local)");
    text_row_done(t);
}

/* The node's name line and one line per session. */
static void node_head_text(const ArSpeaker *sp, GString *out)
{
    char ip[IP_STRLEN];
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
}

/* A node in full (only the prefix p when not NULL), through its route rows. Drained into sink
 * (when given) every 4096 paths. */
static void node_text(const ArSpeaker *sp, const ArPrefix *p, GString *out, ArOutStream *sink)
{
    node_head_text(sp, out);
    TextRows t = { .out = out, .sink = sink };
    rows_node_routes(sp, p, route_line, &t);
    g_string_append(out, t.rows ? "\n" : "  (no routes)\n\n");
}

/* The column header of an effective-route table. */
static void eff_header(GString *out)
{
    g_string_append_printf(out, "    %-22s %-18s %-22s %s\n", "Source", "Address prefix", "Next hop type",
                           "Next hop IP (via)");
}

/* One effective route: "    SOURCE PREFIX TYPE NEXTHOPS (VIA)". */
static void eff_line(const ArScenario *scn, const ArEffRoute *r, GString *out)
{
    char pfx[PFX_STRLEN], ip[IP_STRLEN];
    g_string_append_printf(out, "    %-22s %-18s %-22s ", eff_source_name(r), pfx_format(r->prefix, pfx),
                           eff_nh_type_name(r->type));
    for (guint k = 0; k < r->next_hops->len; k++)
        g_string_append_printf(out, "%s%s", k ? ", " : "", ip_format(g_array_index(r->next_hops, uint32_t, k), ip));
    if (r->via->len) {
        g_string_append(out, r->next_hops->len ? " (" : "(");
        for (guint k = 0; k < r->via->len; k++)
            g_string_append_printf(out, "%s%s", k ? ", " : "", ((const ArSpeaker *)g_ptr_array_index(r->via, k))->name);
        g_string_append(out, ")");
    }
    if (r->type == NH_VNET_PEERING)
        g_string_append(out, ((ArVnet *)g_ptr_array_index(scn->vnets, r->peer_vnet))->name);
    g_string_append_c(out, '\n');
}

/* "Effective routes of VMs in VNet NAME (uses the gateways of HUB)" without the new line. */
static void eff_title(const ArScenario *scn, const ArEffTable *t, GString *out)
{
    g_autofree char *name = eff_table_name(scn, t);
    g_string_append_printf(out, "Effective routes of VMs in %s %s", t->subnet == AR_NO_INDEX ? "VNet" : "subnet", name);
    if (t->hub != AR_NO_INDEX && t->hub != t->vnet)
        g_string_append_printf(out, " (uses the gateways of %s)",
                               ((ArVnet *)g_ptr_array_index(scn->vnets, t->hub))->name);
}

/* eff_line of one effective-route row. */
static void eff_row_line(const ArEffRow *row, void *user)
{
    TextRows *t = user;
    eff_line(t->scn, row->route, t->out);
    text_row_done(t);
}

/* A table in full (only the routes for exactly p when not NULL), through its rows; drained every
 * 4096 routes. */
static void eff_text(const ArScenario *scn, const ArEffTable *t, const ArPrefix *p, GString *out, ArOutStream *sink)
{
    eff_title(scn, t, out);
    g_string_append(out, "\n");
    eff_header(out);
    TextRows tr = { .scn = scn, .out = out, .sink = sink };
    rows_table_routes(t, p, eff_row_line, &tr);
    g_string_append_c(out, '\n');
}

/* ---- summary of a large run ------------------------------------------------------------------ */

/* Lines the full output would have: one per path held, one per effective route. O(S + T). */
static guint64 full_lines(const ArRun *run)
{
    guint64 n = 0;
    for (guint i = 0; i < run->net->sim->speakers->len; i++)
        n += ((const ArSpeaker *)g_ptr_array_index(run->net->sim->speakers, i))->rib.routes;
    for (guint i = 0; i < run->eff->len; i++)
        n += ((const ArEffTable *)g_ptr_array_index(run->eff, i))->len;
    return n;
}

/* Paths of one node from one peer (or originated) with one origin. */
typedef struct PeerCount {
    const char *from;   /* the peer's name, "-" for routes originated here */
    const char *orig;   /* Igp, EBgp, IBgp */
    guint64 paths;      /* paths held */
    guint64 best;       /* of which best */
} PeerCount;

#define SUMMARY_AHEAD 16 /* nets between the prefetch of a net's paths and their count */

/* A node as counts: its sessions, then paths and best paths per peer and origin, in session
 * order (originated first). O(R) over its paths. */
static void node_summary(const ArSpeaker *sp, GString *out)
{
    node_head_text(sp, out);
    guint np = sp->peers->len;
    g_autofree PeerCount *c = g_new0(PeerCount, np + 1); /* slot np: originated here */
    guint64 prefixes = 0, best = 0, paths = 0;
    /* The paths lie wherever they were allocated: a second iterator runs SUMMARY_AHEAD nets ahead
     * and starts loading each net's first path, so that the count waits for memory once per
     * window instead of once per path (a 1M-route node is otherwise a cache miss per path). */
    ArRibIter it, ahead;
    uint64_t key;
    ArRibNet *n;
    rib_iter_init(&it, &sp->rib);
    rib_iter_init(&ahead, &sp->rib);
    for (guint k = 0; k < SUMMARY_AHEAD && rib_iter_next(&ahead, &key, &n); k++)
        __builtin_prefetch(rib_first(n));
    while (rib_iter_next(&it, &key, &n)) {
        ArRibNet *m;
        if (rib_iter_next(&ahead, &key, &m))
            __builtin_prefetch(rib_first(m));
        prefixes += rib_first(n) != NULL;
        for (const ArRoute *r = rib_first(n); r; r = rib_route_next(n, r)) {
            guint slot = r->peer == PEER_LOCAL ? np : r->peer;
            g_assert(slot <= np);
            c[slot].paths++;
            c[slot].best += r == rib_best(n);
            paths++;
            best += r == rib_best(n);
        }
    }
    if (!paths) {
        g_string_append(out, "  (no routes)\n\n");
        return;
    }
    g_string_append_printf(out, "    %-18s %-5s %10s %10s\n", "From", "Orig", "Paths", "Best");
    for (guint k = 0; k <= np; k++) {
        guint slot = k == 0 ? np : k - 1;
        if (!c[slot].paths)
            continue;
        const char *from = slot == np ? "-" : bgp_peer(sp, (uint16_t)slot)->remote->name;
        const char *orig = rows_peer_origin(sp, slot == np ? PEER_LOCAL : (uint16_t)slot);
        g_string_append_printf(out, "    %-18s %-5s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "\n", from, orig,
                               c[slot].paths, c[slot].best);
    }
    g_string_append_printf(out, "    %-24s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "  (%" G_GUINT64_FORMAT " prefixes)\n\n",
                           "total", paths, best, prefixes);
}

/* Routes of a table walked by it, counted by source and next hop type (at most a few lines). */
static void eff_counts(ArEffIter *it, GString *out)
{
    guint64 count[CLASS_USER + 1][NH_VIRTUAL_APPLIANCE + 1] = { { 0 } };
    guint64 total = 0;
    for (const ArEffRoute *r; (r = eff_iter_next(it)); total++)
        count[r->cls][r->type]++;
    g_string_append_printf(out, "    %-22s %-22s %10s\n", "Source", "Next hop type", "Routes");
    for (guint c = 0; c <= CLASS_USER; c++)
        for (guint t = 0; t <= NH_VIRTUAL_APPLIANCE; t++)
            if (count[c][t]) {
                ArEffRoute probe = { .cls = (ArRouteClass)c };
                g_string_append_printf(out, "    %-22s %-22s %10" G_GUINT64_FORMAT "\n", eff_source_name(&probe),
                                       eff_nh_type_name((ArNextHopType)t), count[c][t]);
            }
    g_string_append_printf(out, "    %-45s %10" G_GUINT64_FORMAT "\n", "total", total);
}

/* A shared table once: the VNets on it (wrapped), then its routes in full when they fit under the
 * threshold, else counted. */
static void shared_text(const ArRun *run, const ArEffShared *sh, GString *out, ArOutStream *sink)
{
    const ArScenario *scn = run->net->scn;
    g_string_append_printf(out, "Effective routes shared by %u VNet%s", sh->members->len, sh->members->len == 1 ? "" : "s");
    if (sh->hub != AR_NO_INDEX)
        g_string_append_printf(out, " (the gateways and Route Server of %s)",
                               ((const ArVnet *)g_ptr_array_index(scn->vnets, sh->hub))->name);
    else
        g_string_append(out, " (no hub: Azure's defaults)");
    g_string_append(out, ":\n   ");
    gsize col = 3;
    for (guint k = 0; k < sh->members->len; k++) {
        const char *name = ((const ArVnet *)g_ptr_array_index(scn->vnets, g_array_index(sh->members, int, k)))->name;
        if (col + strlen(name) + 2 > 100) {
            g_string_append(out, "\n   ");
            col = 3;
        }
        g_string_append_printf(out, " %s%s", name, k + 1 < sh->members->len ? "," : "");
        col += strlen(name) + 2;
    }
    g_string_append_printf(out, "\n  %u routes, each VNet also has its own below.\n", sh->routes->len);
    /* The shared routes as a table of their own: nothing hidden, nothing added. */
    g_autoptr(GArray) none = g_array_new(FALSE, FALSE, sizeof(guint));
    g_autoptr(GArray) no_own = g_array_new(FALSE, FALSE, sizeof(ArEffRoute));
    ArEffTable whole = { .vnet = AR_NO_INDEX, .subnet = AR_NO_INDEX, .hub = sh->hub, .shared = sh,
                         .own = no_own, .hidden = none, .len = sh->routes->len };
    if (sh->routes->len > OUT_TEXT_FULL_LINES) {
        ArEffIter it;
        eff_iter_init(&it, &whole);
        eff_counts(&it, out);
        g_string_append(out, "  (more than " G_STRINGIFY(OUT_TEXT_FULL_LINES) " routes: --vnet NAME prints a VNet's in full)\n\n");
        return;
    }
    eff_header(out);
    TextRows t = { .scn = scn, .out = out, .sink = sink };
    rows_table_routes(&whole, NULL, eff_row_line, &t);
    g_string_append_c(out, '\n');
}

/* A VNet's layer: what it has on top of its shared table, and the shared routes it does not get. */
static void layer_text(const ArScenario *scn, const ArEffTable *t, GString *out)
{
    char pfx[PFX_STRLEN];
    eff_title(scn, t, out);
    g_autofree char *key = out_eff_shared_key(scn, t->shared);
    g_string_append_printf(out, ": %u routes: the shared table of %s", t->len, key);
    if (t->hidden->len) {
        g_string_append_printf(out, " without %u (inside its own spaces):", t->hidden->len);
        for (guint k = 0; k < t->hidden->len && k < 8; k++)
            g_string_append_printf(out, " %s", pfx_format(g_array_index(t->shared->routes, ArEffRoute,
                                                                        g_array_index(t->hidden, guint, k)).prefix, pfx));
        if (t->hidden->len > 8)
            g_string_append(out, " ...");
        g_string_append(out, ";");
    }
    g_string_append(out, " and its own:\n");
    eff_header(out);
    for (guint i = 0; i < t->own->len; i++)
        eff_line(scn, &g_array_index(t->own, ArEffRoute, i), out);
    g_string_append_c(out, '\n');
}

static void summary_text(const ArRun *run, guint64 lines, GString *out, ArOutStream *sink)
{
    const ArSim *sim = run->net->sim;
    const ArScenario *scn = run->net->scn;
    g_string_append_printf(out, "This run is large (%" G_GUINT64_FORMAT " lines of routes in full, more than %d): each node is\n"
                                "summarised, and each effective-route table that VNets share is printed once.\n"
                                "See more: --node NAME (one node or VNet), --vnet NAME (one VNet's effective routes),\n"
                                "--prefix A.B.C.D/LEN (one prefix in every node and VNet), --all (everything in full).\n\n",
                           lines, OUT_TEXT_FULL_LINES);
    g_string_append(out, "Routes per node: paths held and best paths, by the peer they came from\n\n");
    for (guint i = 0; i < sim->speakers->len; i++) {
        node_summary(g_ptr_array_index(sim->speakers, i), out);
        drain(sink, out);
    }
    g_autoptr(GPtrArray) shared = eff_shared_list(run->eff);
    for (guint i = 0; i < shared->len; i++) {
        shared_text(run, g_ptr_array_index(shared, i), out, sink);
        drain(sink, out);
    }
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        if (t->shared) {
            layer_text(scn, t, out);
        } else { /* a subnet's own table: counted */
            eff_title(scn, t, out);
            g_string_append_printf(out, ": %u routes\n", t->len);
            ArEffIter it;
            eff_iter_init(&it, t);
            eff_counts(&it, out);
            g_string_append_c(out, '\n');
        }
        drain(sink, out);
    }
}

void out_run_text(const ArRun *run, const ArRunView *v, GString *out, ArOutStream *sink)
{
    const ArSim *sim = run->net->sim;
    const ArScenario *scn = run->net->scn;
    const char *node = v ? v->node : NULL, *vnet = v ? v->vnet : NULL;
    const ArPrefix *p = v ? v->prefix : NULL;
    if (!node && !vnet) {
        g_string_append_printf(out, "%s\n", scn->name ? scn->name : scn->file ? scn->file : "scenario");
        g_string_append_printf(out, "%s after %.3f s simulated: %" G_GUINT64_FORMAT " UPDATE messages, %" G_GUINT64_FORMAT
                               " events.\n\n",
                               run->end == RUN_CONVERGED ? "Converged" : "NOT converged",
                               (double)sim->stats.last_change / (double)AR_SEC, sim->stats.updates, sim->stats.events);
        guint64 lines = full_lines(run);
        if (!p && !(v && v->all) && lines > OUT_TEXT_FULL_LINES) {
            summary_text(run, lines, out, sink);
            return;
        }
        g_string_append(out, "Routes per node ('>' marks the best path)\n\n");
    }
    g_autoptr(GPtrArray) keep = rows_node_speakers(run, node); /* --node's speakers */
    for (guint i = 0; i < sim->speakers->len && !vnet; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        if (rows_keeps_speaker(keep, sp)) {
            node_text(sp, p, out, sink);
            drain(sink, out);
        }
    }
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        if (out_view_keeps_table(scn, t, v)) {
            eff_text(scn, t, p, out, sink);
            drain(sink, out);
        }
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
