/* csv.c - `arsim run --csv`: the run's node routes, effective routes and reachability as one CSV table, walked through the results' rows. */
#include "arsim/output.h"
#include "arsim/reach.h"
#include "arsim/rows.h"

#include <string.h>

/* One table as RFC 4180 writes it (comma-separated, a field holding a comma, a quote or a line break
 * in double quotes, a quote doubled), lines ending in LF: one row per node route, then one per
 * effective route, then one per pair of reachability endpoints. Columns, in this order: */
static const char *const csv_columns[] = {
    "table",       /* "route" (a path a node holds), "effective" (a VMs' effective route) or "reach" (a pair) */
    "node",        /* the speaker, the effective-route table's "VNET" or "VNET/SUBNET", or reach: the first endpoint */
    "prefix",      /* the route's prefix */
    "best",        /* route: true when it is the node's best path; effective: empty */
    "origin",      /* route: "Igp", "EBgp", "IBgp" (Azure's origin); effective: its source ("Default"...) */
    "from",        /* route: the peer it was learned from (empty when originated); effective: empty */
    "nextHop",     /* route: the BGP next hop; effective: the next hop IPs, space-separated */
    "asPath",      /* Azure style "65515-12076-65020", empty when none */
    "weight",      /* route: its weight; effective: empty */
    "localPref",   /* route: its local preference; effective: empty */
    "communities", /* route: "A:B", space-separated; effective: empty */
    "nextHopType", /* effective: "VnetLocal", "VirtualNetworkGateway"...; route: empty */
    "via",         /* effective: the speakers it leads to, space-separated; route: empty */
    "to",          /* reach: the other endpoint (a VNet or site); the rest: empty */
    "forward",     /* reach: "true" when node -> to is delivered; the rest: empty */
    "back",        /* reach: "true" when to -> node is delivered */
    "reachable",   /* reach: both directions delivered */
    "asymmetric",  /* reach: reachable, and the way back is not the way there reversed */
};
#define CSV_REACH_COLUMNS 5 /* the last columns, empty in route and effective rows */

#define CSV_FLUSH_BYTES 65536 /* the buffer goes to the stream past this size: memory is bounded */

/* A CSV being written: the stream, a buffer of whole rows, and the AS paths formatted so far. */
typedef struct CsvOut {
    ArOutStream *s;       /* where the bytes go */
    GString *buf;         /* rows not yet written */
    GHashTable *paths;    /* const ArAsPath* -> char*: each interned path formatted once, O(1) per row */
    const ArScenario *scn;/* names of the tables */
} CsvOut;

/* Appends one field (after a comma unless first), quoted when it must be. O(length). */
static void field(GString *b, const char *s, gboolean first)
{
    if (!first)
        g_string_append_c(b, ',');
    if (!s || !s[strcspn(s, ",\"\r\n")]) {
        g_string_append(b, s ? s : "");
        return;
    }
    g_string_append_c(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            g_string_append_c(b, '"');
        g_string_append_c(b, *p);
    }
    g_string_append_c(b, '"');
}

/* Appends n empty fields (after a comma each). */
static void empty_fields(GString *b, guint n)
{
    for (guint i = 0; i < n; i++)
        field(b, "", FALSE);
}

static void end_row(CsvOut *c)
{
    g_string_append_c(c->buf, '\n');
    if (c->buf->len >= CSV_FLUSH_BYTES)
        out_stream_drain(c->s, c->buf);
}

static const char *path_text(CsvOut *c, const ArAsPath *p)
{
    if (!p)
        return "";
    char *s = g_hash_table_lookup(c->paths, p);
    if (!s) {
        s = attr_path_to_string(p);
        g_hash_table_insert(c->paths, (gpointer)p, s);
    }
    return s;
}

static void route_row(const ArRouteRow *row, void *user)
{
    CsvOut *c = user;
    GString *b = c->buf;
    const ArAttrs *a = rt_attrs(row->route);
    char pfx[PFX_STRLEN], ip[PFX_STRLEN], num[24];
    field(b, "route", TRUE);
    field(b, row->node->name, FALSE);
    field(b, pfx_format(row->prefix, pfx), FALSE);
    field(b, row->best ? "true" : "false", FALSE);
    field(b, row->origin, FALSE);
    field(b, row->from ? row->from->name : "", FALSE);
    field(b, ip_format(a->next_hop, ip), FALSE);
    field(b, path_text(c, a->path), FALSE);
    g_snprintf(num, sizeof num, "%u", (unsigned)a->weight);
    field(b, num, FALSE);
    g_snprintf(num, sizeof num, "%u", (unsigned)a->local_pref);
    field(b, num, FALSE);
    g_autoptr(GString) comms = g_string_new(NULL);
    for (uint32_t i = 0; i < a->comms->len; i++) {
        g_autofree char *t = attr_comm_to_string(a->comms->vals[i]);
        g_string_append_printf(comms, "%s%s", i ? " " : "", t);
    }
    field(b, comms->str, FALSE);
    empty_fields(b, 2 + CSV_REACH_COLUMNS);
    end_row(c);
}

static void eff_row(const ArEffRow *row, void *user)
{
    CsvOut *c = user;
    GString *b = c->buf;
    const ArEffRoute *r = row->route;
    char pfx[PFX_STRLEN], ip[PFX_STRLEN];
    g_autofree char *table = eff_table_name(c->scn, row->table);
    field(b, "effective", TRUE);
    field(b, table, FALSE);
    field(b, pfx_format(r->prefix, pfx), FALSE);
    field(b, "", FALSE);
    field(b, eff_source_name(r), FALSE);
    field(b, "", FALSE);
    g_autoptr(GString) list = g_string_new(NULL);
    for (guint k = 0; k < r->next_hops->len; k++)
        g_string_append_printf(list, "%s%s", k ? " " : "", ip_format(g_array_index(r->next_hops, uint32_t, k), ip));
    field(b, list->str, FALSE);
    field(b, path_text(c, r->path), FALSE);
    field(b, "", FALSE);
    field(b, "", FALSE);
    field(b, "", FALSE);
    field(b, eff_nh_type_name(r->type), FALSE);
    g_string_truncate(list, 0);
    for (guint k = 0; k < r->via->len; k++)
        g_string_append_printf(list, "%s%s", k ? " " : "", ((const ArSpeaker *)g_ptr_array_index(r->via, k))->name);
    field(b, list->str, FALSE);
    empty_fields(b, CSV_REACH_COLUMNS);
    end_row(c);
}

static void reach_row(const ArReachRow *row, void *user)
{
    CsvOut *c = user;
    GString *b = c->buf;
    field(b, "reach", TRUE);
    field(b, row->a->name, FALSE);
    empty_fields(b, G_N_ELEMENTS(csv_columns) - CSV_REACH_COLUMNS - 2);
    field(b, row->b->name, FALSE);
    const bool flags[] = { row->cell->forward, row->cell->back, row->cell->reachable, row->cell->asymmetric };
    G_STATIC_ASSERT(G_N_ELEMENTS(flags) == CSV_REACH_COLUMNS - 1);
    for (guint i = 0; i < G_N_ELEMENTS(flags); i++)
        field(b, flags[i] ? "true" : "false", FALSE);
    end_row(c);
}

void out_run_csv(const ArRun *run, const ArRunView *v, ArOutStream *s)
{
    CsvOut c = {
        .s = s,
        .buf = g_string_new(NULL),
        .paths = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
        .scn = run->net->scn,
    };
    for (guint i = 0; i < G_N_ELEMENTS(csv_columns); i++)
        field(c.buf, csv_columns[i], i == 0);
    end_row(&c);
    const ArPrefix *prefix = v ? v->prefix : NULL;
    if (!(v && v->vnet))
        rows_routes(run, v ? v->node : NULL, prefix, route_row, &c);
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        if (out_view_keeps_table(c.scn, t, v))
            rows_table_routes(t, prefix, eff_row, &c);
    }
    if (!(v && (v->node || v->vnet || v->prefix))) { /* reachability is of the whole run */
        g_autoptr(ArReach) r = reach_new(run);
        g_autoptr(ArReachMatrix) m = reach_matrix(r);
        rows_reach(m, reach_row, &c);
    }
    out_stream_drain(s, c.buf);
    g_string_free(c.buf, TRUE);
    g_hash_table_destroy(c.paths);
}

char *out_peering_routes_csv(const cJSON *doc)
{
    /* The entries' members (out_peering_routes_json), after the role they are listed under. */
    static const char *const cols[] = { "localAddress", "network", "nextHop", "sourcePeer", "origin", "asPath", "weight" };
    GString *b = g_string_new(NULL);
    field(b, "role", TRUE);
    for (guint i = 0; i < G_N_ELEMENTS(cols); i++)
        field(b, cols[i], FALSE);
    g_string_append_c(b, '\n');
    const cJSON *role, *e;
    cJSON_ArrayForEach(role, doc)
    {
        cJSON_ArrayForEach(e, role)
        {
            field(b, role->string, TRUE);
            for (guint i = 0; i < G_N_ELEMENTS(cols); i++) {
                const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, cols[i]);
                char num[24];
                if (cJSON_IsNumber(f))
                    g_snprintf(num, sizeof num, "%.0f", f->valuedouble);
                field(b, cJSON_IsString(f) ? f->valuestring : cJSON_IsNumber(f) ? num : "", FALSE);
            }
            g_string_append_c(b, '\n');
        }
    }
    return g_string_free(b, FALSE);
}
