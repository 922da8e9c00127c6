/* json.c - run results as JSON documents (cJSON), in a fixed, deterministic order. */
#include "arsim/output.h"
#include "arsim/rows.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static cJSON *ip_json(uint32_t ip)
{
    char buf[IP_STRLEN];
    return cJSON_CreateString(ip_format(ip, buf));
}

static cJSON *path_json(const ArAsPath *p)
{
    g_autofree char *s = attr_path_to_string(p);
    return cJSON_CreateString(s);
}

/* A whole number >= 0 as cJSON prints it ("%1.15g" of an integer is its digits), without cJSON's
 * printf-and-scanf round trip per number: O(digits). */
static cJSON *int_json(guint64 v)
{
    char buf[24], *p = buf + sizeof buf;
    *--p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    return cJSON_CreateRaw(p);
}

/* AS paths are interned: one document formats each once. const ArAsPath* -> char*. */
static const char *path_text(GHashTable *cache, const ArAsPath *p)
{
    char *s = g_hash_table_lookup(cache, p);
    if (!s) {
        s = attr_path_to_string(p);
        g_hash_table_insert(cache, (gpointer)p, s);
    }
    return s;
}

/* One route of sp as JSON; best: it is the prefix's best path. With paths (the AS-path cache of a
 * streamed document, whose pieces are printed and freed at once), strings that outlive the piece
 * are referenced, not copied; without (a piece that may outlive the run), everything is copied. */
static cJSON *route_json(const ArSpeaker *sp, uint64_t key, const ArRoute *r, gboolean best, GHashTable *paths)
{
    char buf[PFX_STRLEN];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObjectCS(o, "prefix", cJSON_CreateString(pfx_format(pfx_from_key(key), buf)));
    cJSON_AddItemToObjectCS(o, "asPath", paths ? cJSON_CreateStringReference(path_text(paths, rt_attrs(r)->path))
                                               : path_json(rt_attrs(r)->path));
    cJSON_AddItemToObjectCS(o, "nextHop", ip_json(rt_attrs(r)->next_hop));
    const ArSpeaker *src = bgp_route_source(sp, r);
    cJSON *(*str)(const char *) = paths ? cJSON_CreateStringReference : cJSON_CreateString;
    cJSON_AddItemToObjectCS(o, "from", src ? str(src->name) : cJSON_CreateNull());
    cJSON_AddItemToObjectCS(o, "origin", str(rows_route_origin(sp, r)));
    cJSON_AddItemToObjectCS(o, "best", cJSON_CreateBool(best));
    /* Raw digits print the same as a number, but a tree kept for reading needs numbers. */
    cJSON_AddItemToObjectCS(o, "weight", paths ? int_json(rt_attrs(r)->weight) : cJSON_CreateNumber(rt_attrs(r)->weight));
    cJSON_AddItemToObjectCS(o, "localPref",
                            paths ? int_json(rt_attrs(r)->local_pref) : cJSON_CreateNumber(rt_attrs(r)->local_pref));
    cJSON *comms = cJSON_CreateArray();
    cJSON_AddItemToObjectCS(o, "communities", comms);
    for (uint32_t i = 0; i < rt_attrs(r)->comms->len; i++) {
        g_autofree char *c = attr_comm_to_string(rt_attrs(r)->comms->vals[i]);
        cJSON_AddItemToArray(comms, cJSON_CreateString(c));
    }
    return o;
}

cJSON *out_route_json(const ArSpeaker *sp, uint64_t key, const ArRoute *r)
{
    return route_json(sp, key, r, r == rib_best(rib_find(&sp->rib, key)), NULL);
}

static cJSON *sessions_json(const ArSpeaker *sp)
{
    cJSON *arr = cJSON_CreateArray();
    for (guint i = 0; i < sp->peers->len; i++) {
        const ArPeer *p = bgp_peer(sp, (uint16_t)i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "peer", p->remote->name);
        cJSON_AddStringToObject(o, "type", p->session->ibgp ? "iBGP" : "eBGP");
        cJSON_AddStringToObject(o, "state", p->session->state == SESS_ESTABLISHED ? "Established" : "Idle");
        cJSON_AddNumberToObject(o, "received", p->routes_in);
        cJSON_AddNumberToObject(o, "advertised", bgp_out_size(p));
        if (p->session->down_reason)
            cJSON_AddStringToObject(o, "reason", p->session->down_reason);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* A node's members before its routes: kind, asn, ip, sessions. */
static void node_head(ArJsonOut *w, const ArSpeaker *sp)
{
    out_json_put(w, "kind", cJSON_CreateString(bgp_kind_name(sp->kind)));
    out_json_put(w, "asn", cJSON_CreateNumber(sp->asn));
    out_json_put(w, "ip", ip_json(sp->ip));
    out_json_put(w, "sessions", sessions_json(sp));
}

typedef OutKeyNet KeyNet;

static gint keynet_cmp(gconstpointer a, gconstpointer b)
{
    uint64_t x = ((const KeyNet *)a)->key, y = ((const KeyNet *)b)->key;
    return (x > y) - (x < y);
}

/* A streamed node's route lines differ only in their prefix: everything after it is a function of
 * the path's interned attributes, the peer it came from and whether it is the best. RouteTails
 * keeps, per such triple, the line route_json prints without its opening '{"prefix":"PREFIX"', so
 * that each route costs a prefix formatted and two copies, not a cJSON object built, printed and
 * freed (29M routes at B5 1M). The bytes are route_json's. */
typedef struct RouteTails {
    GHashTable *tails;  /* packed (attrs, peer, best) -> GString* of the line after the prefix */
    GString *line;      /* reused buffer of one route line */
} RouteTails;

static void tails_free(gpointer p) { g_string_free(p, TRUE); }

/* What a route line depends on besides its prefix: its interned attributes, the peer it came from
 * and whether it is the best, packed in 64 bits. O(1). */
static guint64 route_packed(const ArRoute *r, gboolean best)
{
    /* User-space pointers fit in 47 bits: the peer and the best flag go above them. */
    G_STATIC_ASSERT(sizeof(r->peer) == 2);
    g_assert(((guint64)(guintptr)rt_attrs(r) >> 47) == 0);
    return (guint64)(guintptr)rt_attrs(r) | (guint64)(best != 0) << 47 | (guint64)r->peer << 48;
}

/* The unformatted text of a route piece o (freed here) after its first member, "prefix":"pfx":
 * ',"asPath":...}'. NULL when cJSON cannot build or print it (out of memory). O(size of o). */
static char *piece_tail(cJSON *o, const char *pfx)
{
    g_autofree char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    g_autofree char *head = g_strdup_printf("{\"prefix\":\"%s\"", pfx);
    if (!text || !g_str_has_prefix(text, head))
        return NULL;
    return g_strdup(text + strlen(head));
}

/* The line of route r of sp for prefix key, printed with cJSON once per (attrs, peer, best) of
 * the node. O(1) expected after the first. */
static const GString *route_line(const ArSpeaker *sp, uint64_t key, const ArRoute *r, gboolean best, GHashTable *paths,
                                 RouteTails *rt)
{
    guint64 packed = route_packed(r, best);
    GString *tail = g_hash_table_lookup(rt->tails, rib_key_ptr(packed));
    char pfx[PFX_STRLEN];
    pfx_format(pfx_from_key(key), pfx);
    if (!tail) {
        g_autofree char *text = piece_tail(route_json(sp, key, r, best, paths), pfx);
        if (!text)
            return NULL; /* out of memory: the caller fails the stream */
        tail = g_string_new(text);
        g_hash_table_insert(rt->tails, rib_key_ptr(packed), tail);
    }
    g_string_assign(rt->line, "{\"prefix\":\"");
    g_string_append(rt->line, pfx);
    g_string_append_c(rt->line, '"');
    g_string_append_len(rt->line, tail->str, (gssize)tail->len);
    return rt->line;
}

/* A prefix of the run and its id, for the run's prefixes in printing order. */
typedef struct KeyId {
    uint64_t key;   /* prefix key */
    uint32_t id;    /* its id in the run's prefix table */
} KeyId;

static gint keyid_order(gconstpointer a, gconstpointer b)
{
    uint64_t x = ((const KeyId *)a)->key, y = ((const KeyId *)b)->key;
    return (x > y) - (x < y);
}

/* Every prefix of the run, ascending: sorted once per document (O(P log P)) and filtered per node
 * (O(P)) instead of sorting each node's prefixes (O(R log R) per node: 21 sorts of 1M at B5 1M). */
static const GArray *run_order(const ArSpeaker *sp, GArray **order)
{
    if (!*order) {
        const ArPfxTable *pt = sp->rib.pfx;
        *order = g_array_sized_new(FALSE, FALSE, sizeof(KeyId), pfxtab_size(pt));
        for (guint id = 0; id < pfxtab_size(pt); id++) {
            KeyId k = { pfxtab_key(pt, id), id };
            g_array_append_val(*order, k);
        }
        g_array_sort(*order, keyid_order);
    }
    return *order;
}

GArray *out_node_nets(const ArSpeaker *sp, const ArPrefix *prefix, GArray **order)
{
    GArray *nets = g_array_sized_new(FALSE, FALSE, sizeof(KeyNet), rib_size(&sp->rib));
    if (prefix) {
        KeyNet kn = { pfx_key(*prefix), rib_find(&sp->rib, pfx_key(*prefix)) };
        if (kn.net)
            g_array_append_val(nets, kn);
    } else if ((guint64)rib_size(&sp->rib) * 8 >= pfxtab_size(sp->rib.pfx)) {
        const GArray *all = run_order(sp, order);
        g_array_set_size(nets, rib_size(&sp->rib));
        KeyNet *out = (KeyNet *)(void *)nets->data;
        guint n = 0;
        for (guint i = 0; i < all->len; i++) {
            const KeyId *k = &g_array_index(all, KeyId, i);
            /* Ids are not in prefix order: each net is a cache miss, hidden 16 nets ahead. */
            if (i + 16 < all->len)
                rib_prefetch(&sp->rib, g_array_index(all, KeyId, i + 16).id);
            const ArRibNet *net = rib_net(&sp->rib, k->id);
            if (net && rib_first(net)) { /* as rib_iter_next: a net with no path is absent */
                g_assert(n < nets->len);
                out[n++] = (KeyNet){ k->key, net };
            }
        }
        g_assert(n == nets->len); /* rib_size counts the nets with a path */
    } else {
        ArRibIter it;
        KeyNet kn;
        ArRibNet *n;
        rib_iter_init(&it, &sp->rib);
        while (rib_iter_next(&it, &kn.key, &n)) {
            kn.net = n;
            g_array_append_val(nets, kn);
        }
        g_array_sort(nets, keynet_cmp);
    }
    return nets;
}

/* One node, one route at a time (only the routes for v->prefix when given): out_node_nets's cost. */
static void node_write(ArJsonOut *w, const ArSpeaker *sp, const ArRunView *v, GHashTable *paths, GArray **order)
{
    out_json_begin(w, sp->name, FALSE);
    node_head(w, sp);
    out_json_begin(w, "routes", TRUE);
    g_autoptr(GArray) nets = out_node_nets(sp, v ? v->prefix : NULL, order);
    RouteTails rt = { NULL, NULL };
    if (paths && out_json_is_stream(w)) {
        rt.tails = g_hash_table_new_full(rib_key_hash, g_direct_equal, NULL, tails_free);
        rt.line = g_string_sized_new(256);
    }
    for (guint i = 0; i < nets->len; i++) {
        const KeyNet *kn = &g_array_index(nets, KeyNet, i);
        for (const ArRoute *r = rib_first(kn->net); r; r = rib_route_next(kn->net, r)) {
            if (!rt.tails) {
                out_json_put(w, NULL, route_json(sp, kn->key, r, r == rib_best(kn->net), paths));
                continue;
            }
            const GString *line = route_line(sp, kn->key, r, r == rib_best(kn->net), paths, &rt);
            if (line)
                out_json_put_printed(w, line->str, line->len);
            else
                out_json_put(w, NULL, NULL); /* fails the stream, naming the part */
        }
    }
    if (rt.tails) {
        g_hash_table_destroy(rt.tails);
        g_string_free(rt.line, TRUE);
    }
    out_json_end(w);
    out_json_end(w);
}

cJSON *out_eff_route_json(const ArEffRoute *r)
{
    char buf[PFX_STRLEN];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "prefix", pfx_format(r->prefix, buf));
    cJSON_AddStringToObject(o, "source", eff_source_name(r));
    cJSON_AddStringToObject(o, "nextHopType", eff_nh_type_name(r->type));
    cJSON *ips = cJSON_AddArrayToObject(o, "nextHopIps");
    for (guint k = 0; k < r->next_hops->len; k++)
        cJSON_AddItemToArray(ips, ip_json(g_array_index(r->next_hops, uint32_t, k)));
    cJSON *via = cJSON_AddArrayToObject(o, "nextHop");
    for (guint k = 0; k < r->via->len; k++)
        cJSON_AddItemToArray(via, cJSON_CreateString(((const ArSpeaker *)g_ptr_array_index(r->via, k))->name));
    if (r->path)
        cJSON_AddItemToObject(o, "asPath", path_json(r->path));
    return o;
}

char *out_eff_shared_key(const ArScenario *scn, const ArEffShared *sh)
{
    if (sh->hub == AR_NO_INDEX)
        return g_strdup(OUT_NO_HUB_TABLE);
    return g_strdup(((const ArVnet *)g_ptr_array_index(scn->vnets, sh->hub))->name);
}

gboolean out_view_keeps_table(const ArScenario *scn, const ArEffTable *t, const ArRunView *v)
{
    const char *want = v ? (v->vnet ? v->vnet : v->node) : NULL;
    if (!want)
        return TRUE;
    const ArVnet *vn = g_ptr_array_index(scn->vnets, t->vnet);
    g_autofree char *name = eff_table_name(scn, t);
    return strcmp(want, name) == 0 || strcmp(want, vn->name) == 0;
}

/* The routes of rs (ArEffRoute) whose prefix is exactly p, or all when p is NULL, as pieces. */
static void eff_routes_write(ArJsonOut *w, const GArray *rs, const ArPrefix *p)
{
    for (guint i = 0; i < rs->len; i++) {
        const ArEffRoute *r = &g_array_index(rs, ArEffRoute, i);
        if (!p || pfx_key(r->prefix) == pfx_key(*p))
            out_json_put(w, NULL, out_eff_route_json(r));
    }
}

/* ---- The grouped form (format version 3, docs/output-format.md) --------------------------------
 * At Azure's maximum every node holds the same million prefixes, and the full form writes one line
 * per path held (35M lines, 6.5 GB at 1M). The grouped form writes a node's paths (and a shared
 * effective-route table's routes) as groups of routes equal but for their prefix, each naming a
 * prefix set, and the sets once each in "prefixSets": the same prefixes travel together through
 * every node, so each list is written once. A set lists its prefixes ascending, a run of N
 * consecutive prefixes of one length as "A.B.C.D/L*N". */

/* The prefix sets of one document, each stored once. */
typedef struct PfxSets {
    GPtrArray *sets;    /* GArray of uint64_t prefix keys, ascending; the index is the set's number */
    GHashTable *index;  /* GArray* (by content) -> its number + 1 */
} PfxSets;

/* Hash of a set's keys: O(n). */
static guint keys_hash(gconstpointer p)
{
    const GArray *a = p;
    guint64 h = (guint64)a->len * 0x9E3779B97F4A7C15ull;
    for (guint i = 0; i < a->len; i++) {
        h ^= g_array_index(a, uint64_t, i);
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    return (guint)h;
}

static gboolean keys_equal(gconstpointer a, gconstpointer b)
{
    const GArray *x = a, *y = b;
    return x->len == y->len && memcmp(x->data, y->data, (size_t)x->len * sizeof(uint64_t)) == 0;
}

static void keys_free(gpointer p) { g_array_free(p, TRUE); }

/* The number of the set holding exactly keys (ascending), which it takes over: kept as a new set,
 * or freed when an equal set exists. O(n) expected. */
static guint sets_intern(PfxSets *ps, GArray *keys)
{
    gpointer n;
    if (g_hash_table_lookup_extended(ps->index, keys, NULL, &n)) {
        g_array_free(keys, TRUE);
        return GPOINTER_TO_UINT(n) - 1;
    }
    g_ptr_array_add(ps->sets, keys);
    g_hash_table_insert(ps->index, keys, GUINT_TO_POINTER(ps->sets->len));
    return ps->sets->len - 1;
}

/* Routes equal but for their prefix. */
typedef struct Group {
    char *tail;    /* a route's unformatted line after its prefix member (piece_tail); NULL: out of memory */
    GArray *keys;  /* uint64_t prefix keys, ascending, while collected; NULL once interned */
    guint set;     /* its prefix set, once interned */
} Group;

static void group_free(gpointer p)
{
    Group *g = p;
    g_free(g->tail);
    if (g->keys)
        g_array_free(g->keys, TRUE);
    g_free(g);
}

/* A new group, its first route printed as piece o for prefix key. */
static Group *group_new(GPtrArray *groups, cJSON *o, uint64_t key)
{
    char pfx[PFX_STRLEN];
    Group *g = g_new0(Group, 1);
    g->tail = piece_tail(o, pfx_format(pfx_from_key(key), pfx));
    g->keys = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    g_ptr_array_add(groups, g);
    return g;
}

/* Interns every group's prefixes. O(routes). */
static void groups_intern(GPtrArray *groups, PfxSets *ps)
{
    for (guint i = 0; i < groups->len; i++) {
        Group *g = g_ptr_array_index(groups, i);
        g->set = sets_intern(ps, g_steal_pointer(&g->keys));
    }
}

/* sp's paths (only v->prefix's when given) grouped by (attributes, peer, best): Group*, in order
 * of first appearance. out_node_nets's cost plus O(1) expected per path (a 64-slot memo in front of
 * the hash: a prefix's few paths repeat from prefix to prefix). */
static GPtrArray *node_groups(const ArSpeaker *sp, const ArRunView *v, GHashTable *paths, GArray **order, PfxSets *ps)
{
    g_autoptr(GArray) nets = out_node_nets(sp, v ? v->prefix : NULL, order);
    GPtrArray *groups = g_ptr_array_new_with_free_func(group_free);
    g_autoptr(GHashTable) by = g_hash_table_new(rib_key_hash, g_direct_equal); /* packed -> Group* */
    struct {
        guint64 packed;  /* route_packed; 0 (no attributes) never is one */
        Group *g;        /* its group */
    } memo[64] = { { 0, NULL } };
    for (guint i = 0; i < nets->len; i++) {
        const KeyNet *kn = &g_array_index(nets, KeyNet, i);
        /* Each net and its first path are cache misses: fetched 16 and 8 nets ahead. */
        if (i + 16 < nets->len)
            __builtin_prefetch(g_array_index(nets, KeyNet, i + 16).net);
        if (i + 8 < nets->len)
            __builtin_prefetch(rib_first(g_array_index(nets, KeyNet, i + 8).net));
        for (const ArRoute *r = rib_first(kn->net); r; r = rib_route_next(kn->net, r)) {
            gboolean best = r == rib_best(kn->net);
            guint64 packed = route_packed(r, best);
            guint slot = (guint)((packed * 0x9E3779B97F4A7C15ull) >> 58);
            Group *g = memo[slot].g;
            if (memo[slot].packed != packed) {
                g = g_hash_table_lookup(by, rib_key_ptr(packed));
                if (!g) {
                    g = group_new(groups, route_json(sp, kn->key, r, best, paths), kn->key);
                    g_hash_table_insert(by, rib_key_ptr(packed), g);
                }
                memo[slot].packed = packed;
                memo[slot].g = g;
            }
            g_array_append_val(g->keys, kn->key);
        }
    }
    groups_intern(groups, ps);
    return groups;
}

/* What an effective route prints besides its prefix (out_eff_route_json), by identity: equal keys
 * print equal text (next hops and via are interned, so equal routes mostly have equal keys). */
typedef struct EffKey {
    const GArray *next_hops;  /* r->next_hops */
    const GPtrArray *via;     /* r->via */
    const ArAsPath *path;     /* r->path */
    int type;                 /* r->type */
    int cls;                  /* r->cls */
} EffKey;

static guint effkey_hash(gconstpointer p)
{
    const EffKey *k = p;
    guint64 h = (guint64)(guintptr)k->next_hops * 31 + (guint64)(guintptr)k->via;
    h = h * 31 + (guint64)(guintptr)k->path;
    h = h * 31 + (guint64)k->type * 7 + (guint64)k->cls;
    return rib_key_hash(rib_key_ptr(h));
}

static gboolean effkey_equal(gconstpointer a, gconstpointer b)
{
    const EffKey *x = a, *y = b;
    return x->next_hops == y->next_hops && x->via == y->via && x->path == y->path && x->type == y->type && x->cls == y->cls;
}

/* A shared table's routes grouped (Group*, in order of first appearance). O(1) expected per route:
 * a run of routes with the same key (the hub's million routes through one gateway) hits the last. */
static GPtrArray *shared_groups(const ArEffShared *sh, PfxSets *ps)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func(group_free);
    g_autoptr(GHashTable) by = g_hash_table_new_full(effkey_hash, effkey_equal, g_free, NULL); /* EffKey* -> Group* */
    EffKey last = { 0 };
    Group *g = NULL;
    for (guint i = 0; i < sh->routes->len; i++) {
        const ArEffRoute *r = &g_array_index(sh->routes, ArEffRoute, i);
        EffKey k = { r->next_hops, r->via, r->path, (int)r->type, (int)r->cls };
        if (!g || !effkey_equal(&k, &last)) {
            g = g_hash_table_lookup(by, &k);
            if (!g) {
                g = group_new(groups, out_eff_route_json(r), pfx_key(r->prefix));
                g_hash_table_insert(by, g_memdup2(&k, sizeof k), g);
            }
            last = k;
        }
        uint64_t key = pfx_key(r->prefix);
        g_array_append_val(g->keys, key);
    }
    groups_intern(groups, ps);
    return groups;
}

/* One already printed, unformatted item of the innermost array (parsed back into the tree in DOM mode). */
static void put_line(ArJsonOut *w, const GString *line)
{
    if (out_json_is_stream(w))
        out_json_put_printed(w, line->str, line->len);
    else
        out_json_put(w, NULL, cJSON_ParseWithLength(line->str, line->len));
}

void out_groups_write(ArJsonOut *w, const char *name, const GPtrArray *groups)
{
    out_json_begin(w, name, TRUE);
    g_autoptr(GString) line = g_string_new(NULL);
    for (guint i = 0; i < groups->len; i++) {
        const Group *g = g_ptr_array_index(groups, i);
        if (!g->tail) {
            out_json_put(w, NULL, NULL); /* fails the stream, naming the part */
            continue;
        }
        g_string_printf(line, "{\"prefixSet\":%u", g->set);
        g_string_append(line, g->tail);
        put_line(w, line);
    }
    out_json_end(w);
}

/* "prefixSets": one line per set, ["P", "A.B.C.D/L*N", ...]. O(prefixes). */
static void sets_write(ArJsonOut *w, const PfxSets *ps)
{
    out_json_begin(w, "prefixSets", TRUE);
    g_autoptr(GString) line = g_string_new(NULL);
    char buf[PFX_STRLEN];
    for (guint s = 0; s < ps->sets->len; s++) {
        const GArray *keys = g_ptr_array_index(ps->sets, s);
        g_string_assign(line, "[");
        for (guint i = 0, n; i < keys->len; i += n) {
            ArPrefix p = pfx_from_key(g_array_index(keys, uint64_t, i));
            /* The run of prefixes of p's length that follow it block after block. */
            for (n = 1; p.len > 0 && i + n < keys->len; n++) {
                ArPrefix q = pfx_from_key(g_array_index(keys, uint64_t, i + n));
                if (q.len != p.len || (guint64)q.addr != (guint64)p.addr + ((guint64)n << (32 - p.len)))
                    break;
            }
            g_string_append(line, i ? ",\"" : "\"");
            g_string_append(line, pfx_format(p, buf));
            if (n > 1)
                g_string_append_printf(line, "*%u", n);
            g_string_append_c(line, '"');
        }
        g_string_append_c(line, ']');
        put_line(w, line);
    }
    out_json_end(w);
}

/* ---- Groups of other documents (compare --json's grouped form, output.h) -------------------- */

struct OutSets {
    PfxSets ps;  /* the document's prefix sets */
};

OutSets *out_sets_new(void)
{
    OutSets *s = g_new0(OutSets, 1);
    s->ps.sets = g_ptr_array_new_with_free_func(keys_free);
    s->ps.index = g_hash_table_new(keys_hash, keys_equal);
    return s;
}

void out_sets_free(OutSets *s)
{
    if (!s)
        return;
    g_hash_table_destroy(s->ps.index);
    g_ptr_array_unref(s->ps.sets);
    g_free(s);
}

void out_sets_write(ArJsonOut *w, const OutSets *s)
{
    sets_write(w, &s->ps);
}

struct OutGrouper {
    GPtrArray *groups;   /* Group*, in order of first appearance */
    GHashTable *by;      /* OutGroupKey* (owned) -> Group* */
    OutGroupKey last;    /* the key of the last item added */
    Group *last_group;   /* its group; NULL before the first */
};

static guint gkey_hash(gconstpointer p)
{
    const OutGroupKey *k = p;
    guint64 h = k->n;
    for (guint i = 0; i < k->n; i++)
        h = (h ^ k->v[i]) * 0xff51afd7ed558ccdull, h ^= h >> 32;
    return (guint)h;
}

static gboolean gkey_equal(gconstpointer a, gconstpointer b)
{
    const OutGroupKey *x = a, *y = b;
    return x->n == y->n && memcmp(x->v, y->v, x->n * sizeof x->v[0]) == 0;
}

OutGrouper *out_grouper_new(void)
{
    OutGrouper *g = g_new0(OutGrouper, 1);
    g->groups = g_ptr_array_new_with_free_func(group_free);
    g->by = g_hash_table_new_full(gkey_hash, gkey_equal, g_free, NULL);
    return g;
}

void out_grouper_add(OutGrouper *g, const OutGroupKey *k, uint64_t prefix, OutPieceFn piece, const void *ctx)
{
    g_assert(k->n <= G_N_ELEMENTS(k->v));
    if (!g->last_group || !gkey_equal(k, &g->last)) {
        Group *grp = g_hash_table_lookup(g->by, k);
        if (!grp) {
            grp = group_new(g->groups, piece(ctx), prefix);
            g_hash_table_insert(g->by, g_memdup2(k, sizeof *k), grp);
        }
        g->last = *k;
        g->last_group = grp;
    }
    g_array_append_val(g->last_group->keys, prefix);
}

GPtrArray *out_grouper_finish(OutGrouper *g, OutSets *s)
{
    GPtrArray *groups = g->groups;
    groups_intern(groups, &s->ps);
    g_hash_table_destroy(g->by);
    g_free(g);
    return groups;
}

/* The shared tables a kept VNet layers on: used[id] for each of eff_shared_list's. O(tables). */
static gboolean *shared_used(const ArRun *run, const ArRunView *v, const GPtrArray *shared)
{
    gboolean *used = g_new0(gboolean, shared->len + 1);
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        if (t->shared && out_view_keeps_table(run->net->scn, t, v))
            used[t->shared->id] = TRUE;
    }
    return used;
}

/* "tables": each shared table a kept VNet layers on, once: its hub, its VNets, its routes (or with
 * groups, the grouped form: groups[id] its route groups). */
static void tables_write(ArJsonOut *w, const ArRun *run, const ArRunView *v, GPtrArray *const *groups)
{
    const ArScenario *scn = run->net->scn;
    g_autoptr(GPtrArray) shared = eff_shared_list(run->eff);
    g_autofree gboolean *used = shared_used(run, v, shared);
    out_json_begin(w, "tables", FALSE);
    for (guint i = 0; i < shared->len; i++) {
        const ArEffShared *sh = g_ptr_array_index(shared, i);
        if (!used[i])
            continue;
        g_autofree char *key = out_eff_shared_key(scn, sh);
        out_json_begin(w, key, FALSE);
        out_json_put(w, "hub", sh->hub == AR_NO_INDEX ? cJSON_CreateNull()
                                                     : cJSON_CreateString(((const ArVnet *)g_ptr_array_index(scn->vnets, sh->hub))->name));
        cJSON *names = cJSON_CreateArray();
        for (guint k = 0; k < sh->members->len; k++)
            cJSON_AddItemToArray(names, cJSON_CreateString(((const ArVnet *)g_ptr_array_index(scn->vnets, g_array_index(sh->members, int, k)))->name));
        out_json_put(w, "vnets", names);
        if (groups) {
            out_groups_write(w, "routeGroups", groups[i]);
        } else {
            out_json_begin(w, "routes", TRUE);
            eff_routes_write(w, sh->routes, NULL);
            out_json_end(w);
        }
        out_json_end(w);
    }
    out_json_end(w);
}

/* One VNet's (or subnet's) entry of "effectiveRoutes": {"table", "routes", "hidden"}. */
static void eff_entry_write(ArJsonOut *w, const ArScenario *scn, const ArEffTable *t, const ArRunView *v, gboolean expand)
{
    g_autofree char *name = eff_table_name(scn, t);
    out_json_begin(w, name, FALSE);
    char buf[PFX_STRLEN];
    if (expand || !t->shared) {
        out_json_put(w, "table", cJSON_CreateNull());
        out_json_begin(w, "routes", TRUE);
        ArEffIter it;
        eff_iter_init(&it, t);
        for (const ArEffRoute *r; (r = eff_iter_next(&it));)
            if (!v || !v->prefix || pfx_key(r->prefix) == pfx_key(*v->prefix))
                out_json_put(w, NULL, out_eff_route_json(r));
        out_json_end(w);
        out_json_put(w, "hidden", cJSON_CreateArray());
    } else {
        g_autofree char *key = out_eff_shared_key(scn, t->shared);
        out_json_put(w, "table", cJSON_CreateString(key));
        out_json_begin(w, "routes", TRUE);
        eff_routes_write(w, t->own, NULL);
        out_json_end(w);
        cJSON *hidden = cJSON_CreateArray();
        for (guint k = 0; k < t->hidden->len; k++) {
            const ArEffRoute *r = &g_array_index(t->shared->routes, ArEffRoute, g_array_index(t->hidden, guint, k));
            cJSON_AddItemToArray(hidden, cJSON_CreateString(pfx_format(r->prefix, buf)));
        }
        out_json_put(w, "hidden", hidden);
    }
    out_json_end(w);
}

/* The document's first members, as the given format version. */
static void run_head(const ArRun *run, ArJsonOut *w, int version)
{
    const ArSim *sim = run->net->sim;
    const ArScenario *scn = run->net->scn;
    out_json_put(w, "formatVersion", cJSON_CreateNumber(version));
    if (scn->name)
        out_json_put(w, "scenario", cJSON_CreateString(scn->name));
    out_json_put(w, "converged", cJSON_CreateBool(run->end == RUN_CONVERGED));
    out_json_put(w, "time", cJSON_CreateNumber((double)sim->stats.last_change / (double)AR_SEC));
    out_json_put(w, "messages", cJSON_CreateNumber((double)sim->stats.updates));
    out_json_put(w, "events", cJSON_CreateNumber((double)sim->stats.events));
}

void out_run_json_head(const ArRun *run, ArJsonOut *w)
{
    run_head(run, w, OUT_RUN_FORMAT_VERSION);
}

gboolean out_run_json_wants_groups(const ArRun *run, const ArRunView *v)
{
    if (v && (v->node || v->vnet || v->prefix || v->all))
        return FALSE;
    guint64 lines = 0;
    const GPtrArray *speakers = run->net->sim->speakers;
    for (guint i = 0; i < speakers->len; i++)
        lines += ((const ArSpeaker *)g_ptr_array_index(speakers, i))->rib.routes;
    g_autoptr(GPtrArray) shared = eff_shared_list(run->eff);
    for (guint i = 0; i < shared->len; i++)
        lines += ((const ArEffShared *)g_ptr_array_index(shared, i))->routes->len;
    return lines > OUT_JSON_FULL_ROUTES;
}

void out_run_json_write(const ArRun *run, const ArRunView *v, ArJsonOut *w)
{
    const ArSim *sim = run->net->sim;
    const ArScenario *scn = run->net->scn;
    gboolean expand = v && (v->all || v->vnet || v->prefix);
    gboolean grouped = v && v->grouped;
    g_autoptr(GHashTable) paths = out_json_is_stream(w) ? g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free) : NULL;
    g_autoptr(GArray) order = NULL;
    /* Grouped: every group first, so that the prefix sets come before the nodes naming them;
     * memory is the distinct sets, and one node's prefix keys at a time. */
    PfxSets ps = { g_ptr_array_new_with_free_func(keys_free), g_hash_table_new(keys_hash, keys_equal) };
    g_autoptr(GPtrArray) node_grp = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    g_autoptr(GPtrArray) shared = eff_shared_list(run->eff);
    g_autoptr(GPtrArray) shared_grp = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    g_autoptr(GPtrArray) keep = rows_node_speakers(run, v ? v->node : NULL); /* --node's speakers */
    for (guint i = 0; grouped && i < sim->speakers->len && !(v->vnet); i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        g_ptr_array_add(node_grp, rows_keeps_speaker(keep, sp) ? node_groups(sp, v, paths, &order, &ps) : g_ptr_array_new());
    }
    if (grouped && !expand) {
        g_autofree gboolean *used = shared_used(run, v, shared);
        for (guint i = 0; i < shared->len; i++)
            g_ptr_array_add(shared_grp, used[i] ? shared_groups(g_ptr_array_index(shared, i), &ps) : g_ptr_array_new());
    }

    run_head(run, w, grouped ? OUT_RUN_FORMAT_GROUPED : OUT_RUN_FORMAT_VERSION);
    if (grouped)
        sets_write(w, &ps);
    g_hash_table_destroy(ps.index);
    g_ptr_array_unref(ps.sets);
    out_json_begin(w, "nodes", FALSE);
    for (guint i = 0; i < sim->speakers->len && !(v && v->vnet); i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        if (!rows_keeps_speaker(keep, sp))
            continue;
        if (!grouped) {
            node_write(w, sp, v, paths, &order);
            continue;
        }
        out_json_begin(w, sp->name, FALSE);
        node_head(w, sp);
        out_groups_write(w, "routeGroups", g_ptr_array_index(node_grp, i));
        out_json_end(w);
    }
    out_json_end(w);
    if (!expand)
        tables_write(w, run, v, grouped ? (GPtrArray *const *)shared_grp->pdata : NULL);
    out_json_begin(w, "effectiveRoutes", FALSE);
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        if (out_view_keeps_table(scn, t, v))
            eff_entry_write(w, scn, t, v, expand);
    }
    out_json_end(w);
}

cJSON *out_run_json(const ArRun *run, const char *node_filter)
{
    ArRunView v = { .node = node_filter };
    ArJsonOut *w = out_json_dom();
    out_json_begin(w, NULL, FALSE);
    out_run_json_write(run, &v, w);
    out_json_end(w);
    return out_json_dom_finish(w);
}

/* One entry as `az network routeserver peering list-*-routes` prints it (section 8). */
static cJSON *az_route_json(const ArSpeaker *ars, const ArPeer *peer, uint64_t key, const ArAttrs *a,
                            bool advertised)
{
    char buf[PFX_STRLEN];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "localAddress", ip_json(ars->ip));
    cJSON_AddStringToObject(o, "network", pfx_format(pfx_from_key(key), buf));
    cJSON_AddItemToObject(o, "nextHop", ip_json(a->next_hop));
    cJSON_AddItemToObject(o, "sourcePeer", ip_json(advertised ? ars->ip : peer->remote->ip));
    cJSON_AddStringToObject(o, "origin", advertised ? "Igp" : "EBgp");
    cJSON_AddItemToObject(o, "asPath", path_json(a->path));
    cJSON_AddNumberToObject(o, "weight", advertised ? 0 : a->weight);
    return o;
}

gboolean out_peering_check(const ArRun *run, const char *nva, GError **error)
{
    const ArSpeaker *nsp = bgp_speaker_find(run->net->sim, nva);
    if (!nsp || nsp->kind != NODE_NVA) {
        /* Route Server peers are NVAs (and bgpPeers): what Azure's peering commands list. A Route
         * Server's, gateway's or circuit's name (its instances) is told apart from a mistake. */
        g_autoptr(GPtrArray) named = rows_node_speakers(run, nva);
        if (named->len) {
            const ArSpeaker *first = g_ptr_array_index(named, 0);
            const char *kind = bgp_kind_name(first->kind);
            g_autofree char *insts = named->len > 1 ? g_strdup_printf(" (instances %s and %s)", first->name,
                                                                      ((const ArSpeaker *)g_ptr_array_index(named, 1))->name)
                                                    : g_strdup("");
            g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "%s is %s %s%s, not an NVA: Route Server peerings are NVAs "
                        "(use --node %s for its routes)", nva, strchr("aeiou", kind[0]) ? "an" : "a", kind, insts, nva);
        } else
            g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "no NVA named \"%s\" in the scenario", nva);
        return FALSE;
    }
    return TRUE;
}

cJSON *out_peering_routes_json(const ArRun *run, const char *nva, gboolean advertised, GError **error)
{
    if (!out_peering_check(run, nva, error))
        return NULL;
    const ArSpeaker *nsp = bgp_speaker_find(run->net->sim, nva);
    cJSON *doc = cJSON_CreateObject();
    int found = 0;
    for (guint i = 0; i < nsp->peers->len; i++) {
        const ArPeer *np = bgp_peer(nsp, (uint16_t)i);
        const ArSpeaker *ars = np->remote;
        if (ars->kind != NODE_ROUTE_SERVER)
            continue;
        const ArPeer *peer = bgp_peer(ars, np->remote_index);
        g_autofree char *role = g_strdup_printf("RouteServiceRole_IN_%d", ars->instance);
        cJSON *arr = cJSON_AddArrayToObject(doc, role);
        g_autoptr(GArray) keys = rib_sorted_keys(&ars->rib);
        for (guint k = 0; k < keys->len; k++) {
            uint64_t key = g_array_index(keys, uint64_t, k);
            const ArAttrs *a;
            if (advertised) {
                a = bgp_out_lookup(ars, peer, key);
            } else {
                const ArRoute *r = rib_route_from(rib_find(&ars->rib, key), peer->index);
                a = r ? rt_attrs(r) : NULL;
            }
            if (a)
                cJSON_AddItemToArray(arr, az_route_json(ars, peer, key, a, advertised));
        }
        found++;
    }
    if (!found) {
        cJSON_Delete(doc);
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "NVA \"%s\" does not peer with a Route Server", nva);
        return NULL;
    }
    return doc;
}

char *out_json_print(const cJSON *doc)
{
    char *s = cJSON_Print(doc);
    char *r = s ? g_strconcat(s, "\n", NULL) : NULL;
    cJSON_free(s);
    return r;
}

gboolean out_same_file(const char *x, const char *y)
{
    GStatBuf a, b;
    return g_stat(x, &a) == 0 && g_stat(y, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

char *out_target(const char *path, gboolean *special)
{
    char *target = NULL;
    GStatBuf st;
    if (g_lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        target = realpath(path, NULL);
    if (!target)
        target = g_strdup(path);
    *special = g_stat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    return target;
}

gboolean out_write_file(const char *path, const char *data, gsize len, const char *protect, GError **error)
{
    if (!*path) {
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "the output file name is empty");
        return FALSE;
    }
    if (protect && out_same_file(path, protect)) {
        g_set_error(error, AR_ERROR, AR_ERROR_USAGE, "%s: refusing to write over the input scenario", path);
        return FALSE;
    }
    /* -o /dev/stdout or a FIFO is written into, never replaced; a link's target is replaced. */
    gboolean special;
    g_autofree char *target = out_target(path, &special);
    path = target;
    if (special) {
        FILE *f = fopen(path, "wb");
        bool ok = f && fwrite(data, 1, len, f) == len;
        int err = errno;
        if (f && fclose(f) != 0 && ok) {
            ok = false;
            err = errno;
        }
        if (!ok)
            g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: %s", path, g_strerror(err));
        return ok;
    }
    /* GLib writes a temporary file beside the target and renames it over the target. */
    g_autoptr(GError) e = NULL;
    if (g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &e))
        return TRUE;
    /* GLib's message names its temporary file; say what the user can fix about the file they named. */
    g_autofree char *dir = g_path_get_dirname(path);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: folder %s does not exist", path, dir);
    else if (e->domain == G_FILE_ERROR && (e->code == G_FILE_ERROR_ACCES || e->code == G_FILE_ERROR_PERM))
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: permission denied in folder %s", path, dir);
    else if (e->domain == G_FILE_ERROR && e->code == G_FILE_ERROR_ISDIR)
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: it is a folder", path);
    else if (e->domain == G_FILE_ERROR && e->code == G_FILE_ERROR_NOSPC)
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: no space left on the device", path);
    else
        g_set_error(error, AR_ERROR, AR_ERROR_IO, "%s: cannot write: %s", path, e->message);
    return FALSE;
}
