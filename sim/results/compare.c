/* compare.c - differences between two runs as rows: best routes per node, effective routes per VNet,
 * reachability changes, and their grouping into covering ranges; printed by sim/output/compare_*.c. */
#include "arsim/compare.h"
#include "arsim/names.h"

#include <string.h>

/* ---- helpers ------------------------------------------------------------------------------- */

/* AS paths of two runs live in different interning caches: compare by content. */
static bool cmp_path_eq(const ArAsPath *a, const ArAsPath *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->len != b->len)
        return false;
    return memcmp(a->asns, b->asns, a->len * sizeof(uint32_t)) == 0;
}

static bool cmp_str_eq(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

char *cmp_attr_names(unsigned attrs, const char *sep)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        { CMP_ATTR_AS_PATH, "asPath" },        { CMP_ATTR_NEXT_HOP, "nextHop" },
        { CMP_ATTR_FROM, "from" },             { CMP_ATTR_NH_TYPE, "nextHopType" },
        { CMP_ATTR_NH_IPS, "nextHopIps" },     { CMP_ATTR_VIA, "nextHop" },
    };
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (attrs & names[i].bit)
            g_string_append_printf(s, "%s%s", s->len ? sep : "", names[i].name);
    return g_string_free(s, FALSE);
}

static void cmp_push(GArray *diffs, uint64_t key, ArCmpKind kind, const void *before, const void *after, unsigned attrs)
{
    ArCmpDiff d = { .key = key, .before = before, .after = after, .kind = kind, .attrs = attrs };
    g_array_append_val(diffs, d);
}

/* ---- best routes --------------------------------------------------------------------------- */

/* The best route other (a speaker of the other run) holds for the prefix with this key and, in
 * the first run's prefix table, this id; NULL if none. Two runs of one scenario usually number
 * their prefixes alike: then the id finds the net without hashing, else one hash lookup. O(1). */
static const ArRoute *cmp_other_best(const ArSpeaker *other, uint32_t id, uint64_t key)
{
    if (!other)
        return NULL;
    const ArRib *rib = &other->rib;
    if (id < pfxtab_size(rib->pfx) && pfxtab_key(rib->pfx, id) == key) {
        const ArRibNet *n = rib_net(rib, id);
        return n ? rib_best(n) : NULL;
    }
    const ArRibNet *n = rib_find(rib, key);
    return n ? rib_best(n) : NULL;
}

static gint cmp_diff_order(gconstpointer a, gconstpointer b)
{
    uint64_t x = ((const ArCmpDiff *)a)->key, y = ((const ArCmpDiff *)b)->key;
    return (x > y) - (x < y);
}

static unsigned cmp_route_attrs(const ArSpeaker *sa, const ArRoute *a, const ArSpeaker *sb, const ArRoute *b)
{
    unsigned d = 0;
    if (!cmp_path_eq(rt_attrs(a)->path, rt_attrs(b)->path))
        d |= CMP_ATTR_AS_PATH;
    if (rt_attrs(a)->next_hop != rt_attrs(b)->next_hop)
        d |= CMP_ATTR_NEXT_HOP;
    const ArSpeaker *fa = bgp_route_source(sa, a), *fb = bgp_route_source(sb, b);
    if (!cmp_str_eq(fa ? fa->name : NULL, fb ? fb->name : NULL))
        d |= CMP_ATTR_FROM;
    return d;
}

/* Whether diffs are in ascending key order already. O(D). */
static bool cmp_sorted(const GArray *diffs)
{
    const ArCmpDiff *d = (const ArCmpDiff *)(void *)diffs->data;
    for (guint i = 1; i < diffs->len; i++)
        if (d[i - 1].key > d[i].key)
            return false;
    return true;
}

/* One pass over each table (each best route looked up in the other run), then the differences
 * sorted by prefix: O(R + D log D) for R best routes and D differences, O(R + D) when the runs
 * number their prefixes in prefix order (pfxtab_intern_sorted: the scenario's prefixes), as the
 * passes then find them in order. */
static ArCmpNode *cmp_node(const char *name, const ArSpeaker *before, const ArSpeaker *after)
{
    ArCmpNode *n = g_new0(ArCmpNode, 1);
    n->name = name;
    n->before = before;
    n->after = after;
    /* Sized for every best route of the first run gone (16M at 1M prefixes when branch-to-branch
     * goes off): no copy while growing; pages never written cost nothing. */
    n->diffs = g_array_sized_new(FALSE, FALSE, sizeof(ArCmpDiff), before ? rib_size(&before->rib) : 0);
    ArRibIter it;
    uint64_t key;
    ArRibNet *net;
    /* The last pair of best routes compared: prefix after prefix, a node's best routes come from a
     * few attribute sets and peers, so the comparison (AS paths by content, peers by name) is
     * mostly the last one's. */
    struct {
        const ArAttrs *b, *a;  /* the two routes' attributes; NULL before the first */
        uint16_t pb, pa;       /* their peers */
        unsigned d;            /* cmp_route_attrs of the pair */
    } last = { NULL, NULL, 0, 0, 0 };
    if (before) {
        rib_iter_init(&it, &before->rib);
        while (rib_iter_next(&it, &key, &net)) {
            const ArRoute *rb = rib_best(net);
            if (!rb)
                continue;
            const ArRoute *ra = cmp_other_best(after, it.id - 1, key); /* it.id: the id after this net's */
            if (!ra) {
                cmp_push(n->diffs, key, CMP_REMOVED, rb, NULL, 0);
                continue;
            }
            if (rt_attrs(rb) != last.b || rt_attrs(ra) != last.a || rb->peer != last.pb || ra->peer != last.pa) {
                last.b = rt_attrs(rb);
                last.a = rt_attrs(ra);
                last.pb = rb->peer;
                last.pa = ra->peer;
                last.d = cmp_route_attrs(before, rb, after, ra);
            }
            unsigned d = last.d;
            if (d)
                cmp_push(n->diffs, key, CMP_CHANGED, rb, ra, d);
            else
                n->same++;
        }
    }
    if (after) {
        rib_iter_init(&it, &after->rib);
        while (rib_iter_next(&it, &key, &net))
            if (rib_best(net) && !cmp_other_best(before, it.id - 1, key))
                cmp_push(n->diffs, key, CMP_ADDED, NULL, rib_best(net), 0);
    }
    if (!cmp_sorted(n->diffs))
        g_array_sort(n->diffs, cmp_diff_order); /* keys are distinct within one node */
    return n;
}

static void cmp_node_free(gpointer p)
{
    ArCmpNode *n = p;
    g_array_free(n->diffs, TRUE);
    g_free(n);
}

static void cmp_nodes(ArCompare *c)
{
    const ArSim *sb = c->before->net->sim, *sa = c->after->net->sim;
    for (guint i = 0; i < sb->speakers->len; i++) {
        const ArSpeaker *b = g_ptr_array_index(sb->speakers, i);
        g_ptr_array_add(c->nodes, cmp_node(b->name, b, bgp_speaker_find(sa, b->name)));
    }
    for (guint i = 0; i < sa->speakers->len; i++) {
        const ArSpeaker *a = g_ptr_array_index(sa->speakers, i);
        if (!bgp_speaker_find(sb, a->name))
            g_ptr_array_add(c->nodes, cmp_node(a->name, NULL, a));
    }
    /* Count, then keep only nodes that differ. */
    for (guint i = 0; i < c->nodes->len;) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        guint add = 0, rem = 0, chg = 0;
        for (guint k = 0; k < n->diffs->len; k++) {
            ArCmpKind kind = g_array_index(n->diffs, ArCmpDiff, k).kind;
            add += kind == CMP_ADDED;
            rem += kind == CMP_REMOVED;
            chg += kind == CMP_CHANGED;
        }
        c->gained += add;
        c->lost += rem;
        c->changed += chg;
        c->gained_nodes += add > 0;
        c->lost_nodes += rem > 0;
        c->changed_nodes += chg > 0;
        c->same_best += n->same;
        c->same_nodes += !n->diffs->len && n->before && n->after;
        if (n->diffs->len)
            i++;
        else
            g_ptr_array_remove_index(c->nodes, i);
    }
}

/* ---- effective routes ---------------------------------------------------------------------- */

/* A walk over one table's routes in order, without copying the table (ArEffIter), that yields
 * each prefix once: its first entry, as the data-plane walk uses. */
typedef struct CmpEffWalk {
    ArEffIter it;           /* position in the table */
    const ArEffRoute *next; /* the route after the current one, NULL at the end */
} CmpEffWalk;

static void cmp_walk_init(CmpEffWalk *w, const ArEffTable *t)
{
    w->next = NULL;
    if (!t)
        return;
    eff_iter_init(&w->it, t);
    w->next = eff_iter_next(&w->it);
}

/* The next route with a new prefix and its key; NULL at the end. O(1) amortised. */
static const ArEffRoute *cmp_walk_next(CmpEffWalk *w, uint64_t *key)
{
    const ArEffRoute *e = w->next;
    if (!e)
        return NULL;
    *key = pfx_key(e->prefix);
    do
        w->next = eff_iter_next(&w->it);
    while (w->next && pfx_key(w->next->prefix) == *key);
    return e;
}

static unsigned cmp_eff_attrs(const ArEffRoute *a, const ArEffRoute *b)
{
    unsigned d = 0;
    if (a->type != b->type)
        d |= CMP_ATTR_NH_TYPE;
    if (a->next_hops->len != b->next_hops->len ||
        (a->next_hops->len && memcmp(a->next_hops->data, b->next_hops->data, a->next_hops->len * sizeof(uint32_t)) != 0))
        d |= CMP_ATTR_NH_IPS;
    bool via_same = a->via->len == b->via->len;
    for (guint i = 0; via_same && i < a->via->len; i++)
        via_same = strcmp(((const ArSpeaker *)g_ptr_array_index(a->via, i))->name,
                          ((const ArSpeaker *)g_ptr_array_index(b->via, i))->name) == 0;
    if (!via_same)
        d |= CMP_ATTR_VIA;
    if (!cmp_path_eq(a->path, b->path))
        d |= CMP_ATTR_AS_PATH;
    return d;
}

/* Both tables are sorted by prefix key: one merge pass, O(n), no allocation per route. */
static ArCmpVnet *cmp_vnet(const char *name, const ArEffTable *before, const ArEffTable *after)
{
    ArCmpVnet *v = g_new0(ArCmpVnet, 1);
    v->name = name;
    v->before = before;
    v->after = after;
    v->diffs = g_array_new(FALSE, FALSE, sizeof(ArCmpDiff));
    CmpEffWalk wb, wa;
    cmp_walk_init(&wb, before);
    cmp_walk_init(&wa, after);
    uint64_t kb = 0, ka = 0;
    const ArEffRoute *eb = cmp_walk_next(&wb, &kb), *ea = cmp_walk_next(&wa, &ka);
    while (eb || ea) {
        if (eb && (!ea || kb < ka)) {
            cmp_push(v->diffs, kb, CMP_REMOVED, eb, NULL, 0);
            eb = cmp_walk_next(&wb, &kb);
        } else if (ea && (!eb || ka < kb)) {
            cmp_push(v->diffs, ka, CMP_ADDED, NULL, ea, 0);
            ea = cmp_walk_next(&wa, &ka);
        } else {
            unsigned d = cmp_eff_attrs(eb, ea);
            if (d)
                cmp_push(v->diffs, kb, CMP_CHANGED, eb, ea, d);
            eb = cmp_walk_next(&wb, &kb);
            ea = cmp_walk_next(&wa, &ka);
        }
    }
    return v;
}

static void cmp_vnet_free(gpointer p)
{
    ArCmpVnet *v = p;
    g_array_free(v->diffs, TRUE);
    g_free(v);
}

/* Name of a table ("VNET" or "VNET/SUBNET"), kept alive by the comparison. */
static const char *cmp_table_name(ArCompare *c, const ArRun *run, const ArEffTable *t)
{
    char *n = eff_table_name(run->net->scn, t);
    g_ptr_array_add(c->names, n);
    return n;
}

/* Table name -> ArEffTable* of a run. */
static GHashTable *cmp_vnet_tables(ArCompare *c, const ArRun *run)
{
    GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        const char *name = cmp_table_name(c, run, t);
        if (!g_hash_table_contains(h, name))
            g_hash_table_insert(h, (gpointer)name, (gpointer)t);
    }
    return h;
}

/* Two effective routes that print the same apart from their prefix. */
static bool cmp_eff_same(const ArEffRoute *a, const ArEffRoute *b)
{
    if (!a || !b)
        return a == b;
    return cmp_eff_attrs(a, b) == 0 && a->peer_vnet == b->peer_vnet && a->cls == b->cls;
}

/* Two VNets with the same differences: same prefixes, kinds and routes before and after. O(diffs). */
static bool cmp_vnet_same(const ArCmpVnet *a, const ArCmpVnet *b)
{
    if (a->diffs->len != b->diffs->len || !a->before != !b->before || !a->after != !b->after)
        return false;
    for (guint k = 0; k < a->diffs->len; k++) {
        const ArCmpDiff *x = &g_array_index(a->diffs, ArCmpDiff, k), *y = &g_array_index(b->diffs, ArCmpDiff, k);
        if (x->key != y->key || x->kind != y->kind || x->attrs != y->attrs || !cmp_eff_same(x->before, y->before) ||
            !cmp_eff_same(x->after, y->after))
            return false;
    }
    return true;
}

/* c->vnet_class: VNets bucketed by a hash of their differences' prefixes and kinds, then compared
 * with each earlier class of the bucket. O(diffs) when classes are few. */
static void cmp_vnet_classes(ArCompare *c)
{
    g_autoptr(GHashTable) buckets = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_array_unref);
    for (guint i = 0; i < c->vnets->len; i++) {
        const ArCmpVnet *v = g_ptr_array_index(c->vnets, i);
        guint h = v->diffs->len;
        for (guint k = 0; k < v->diffs->len; k++) {
            const ArCmpDiff *d = &g_array_index(v->diffs, ArCmpDiff, k);
            h = h * 31u + rib_key_hash(rib_key_ptr(d->key)) + (guint)d->kind;
        }
        GArray *leaders = g_hash_table_lookup(buckets, GUINT_TO_POINTER(h));
        if (!leaders) {
            leaders = g_array_new(FALSE, FALSE, sizeof(guint));
            g_hash_table_insert(buckets, GUINT_TO_POINTER(h), leaders);
        }
        guint cls = i;
        for (guint l = 0; l < leaders->len && cls == i; l++)
            if (cmp_vnet_same(g_ptr_array_index(c->vnets, g_array_index(leaders, guint, l)), v))
                cls = g_array_index(leaders, guint, l);
        if (cls == i)
            g_array_append_val(leaders, i);
        g_array_append_val(c->vnet_class, cls);
    }
}

static void cmp_vnets(ArCompare *c)
{
    g_autoptr(GHashTable) tb = cmp_vnet_tables(c, c->before);
    g_autoptr(GHashTable) ta = cmp_vnet_tables(c, c->after);
    for (guint i = 0; i < c->before->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(c->before->eff, i);
        const char *name = cmp_table_name(c, c->before, t);
        g_ptr_array_add(c->vnets, cmp_vnet(name, t, g_hash_table_lookup(ta, name)));
    }
    for (guint i = 0; i < c->after->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(c->after->eff, i);
        const char *name = cmp_table_name(c, c->after, t);
        if (!g_hash_table_contains(tb, name))
            g_ptr_array_add(c->vnets, cmp_vnet(name, NULL, t));
    }
    for (guint i = 0; i < c->vnets->len;) {
        const ArCmpVnet *v = g_ptr_array_index(c->vnets, i);
        c->eff_diffs += v->diffs->len;
        c->same_vnets += !v->diffs->len && v->before && v->after;
        if (v->diffs->len)
            i++;
        else
            g_ptr_array_remove_index(c->vnets, i);
    }
    cmp_vnet_classes(c);
}

/* ---- reachability -------------------------------------------------------------------------- */

static void cmp_reach_clear(gpointer p)
{
    ArCmpReach *r = p;
    g_free(r->a);
    g_free(r->b);
}

/* Endpoint name -> index + 1 (the first endpoint of a name, as reach_matrix_cell). */
static GHashTable *cmp_endpoint_index(const ArReachMatrix *m)
{
    GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < m->endpoints->len; i++) {
        const char *nm = g_array_index(m->endpoints, ArReachEndpoint, i).name;
        if (!g_hash_table_contains(h, nm))
            g_hash_table_insert(h, (gpointer)nm, GUINT_TO_POINTER(i + 1));
    }
    return h;
}

/* Cell of the pair (a, b) in O(1); an all-false cell when either is not an endpoint of m. */
static const ArReachCell *cmp_cell(const ArReachMatrix *m, GHashTable *index, const char *a, const char *b)
{
    static const ArReachCell none = { 0 };
    guint ia = GPOINTER_TO_UINT(g_hash_table_lookup(index, a)), ib = GPOINTER_TO_UINT(g_hash_table_lookup(index, b));
    if (!ia || !ib)
        return &none;
    return &m->cells[(ia - 1) * m->endpoints->len + (ib - 1)];
}

static void cmp_reach(ArCompare *c)
{
    /* One run's forwarding tables at a time: they are the large part. */
    ArReach *fwd = reach_new(c->before);
    c->reach_before = reach_matrix(fwd);
    reach_free(fwd);
    fwd = reach_new(c->after);
    c->reach_after = reach_matrix(fwd);
    reach_free(fwd);
    /* Endpoints of both runs by name: the first run's order, then new ones. */
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    const ArReachMatrix *ms[2] = { c->reach_before, c->reach_after };
    for (int m = 0; m < 2; m++)
        for (guint i = 0; i < ms[m]->endpoints->len; i++) {
            const char *nm = g_array_index(ms[m]->endpoints, ArReachEndpoint, i).name;
            if (g_hash_table_add(seen, (gpointer)nm))
                g_ptr_array_add(names, (gpointer)nm);
        }
    g_autoptr(GHashTable) ib = cmp_endpoint_index(c->reach_before);
    g_autoptr(GHashTable) ia = cmp_endpoint_index(c->reach_after);
    for (guint i = 0; i < names->len; i++)
        for (guint j = i + 1; j < names->len; j++) {
            const char *a = g_ptr_array_index(names, i), *b = g_ptr_array_index(names, j);
            const ArReachCell *cb = cmp_cell(c->reach_before, ib, a, b);
            const ArReachCell *ca = cmp_cell(c->reach_after, ia, a, b);
            if (cb->reachable == ca->reachable && cb->asymmetric == ca->asymmetric)
                continue;
            ArCmpReach r = { g_strdup(a), g_strdup(b), cb->reachable, ca->reachable, cb->asymmetric, ca->asymmetric };
            g_array_append_val(c->reach_changes, r);
        }
}

/* ---- summary ------------------------------------------------------------------------------- */


static char *cmp_summary(const ArCompare *c)
{
    GString *s = g_string_new(c->description ? c->description : "comparison");
    g_string_append(s, ": ");
    if (!cmp_differs(c)) {
        g_string_append(s, "no difference");
        return g_string_free(s, FALSE);
    }
    g_string_append_printf(s, "%u route%s gained at %u node%s, %u lost at %u node%s", c->gained,
                           c->gained == 1 ? "" : "s", c->gained_nodes, c->gained_nodes == 1 ? "" : "s", c->lost,
                           c->lost_nodes, c->lost_nodes == 1 ? "" : "s");
    if (c->changed)
        g_string_append_printf(s, ", %u changed at %u node%s", c->changed, c->changed_nodes,
                               c->changed_nodes == 1 ? "" : "s");
    if (c->eff_diffs)
        g_string_append_printf(s, "; %u effective route%s differ%s", c->eff_diffs, c->eff_diffs == 1 ? "" : "s",
                               c->eff_diffs == 1 ? "s" : "");
    guint shown = MIN(c->reach_changes->len, CMP_SUMMARY_PAIRS);
    for (guint i = 0; i < shown; i++) {
        const ArCmpReach *r = &g_array_index(c->reach_changes, ArCmpReach, i);
        const char *what = r->before == r->after ? (r->asym_after ? "now asymmetric" : "now symmetric")
                           : r->after           ? "now reachable"
                                                : "no longer reachable";
        g_string_append_printf(s, "; %s <-> %s %s", r->a, r->b, what);
    }
    if (c->reach_changes->len > shown)
        g_string_append_printf(s, "; %u more reachability changes", c->reach_changes->len - shown);
    return g_string_free(s, FALSE);
}

ArCompare *cmp_runs(const ArRun *before, const ArRun *after, const char *description)
{
    ArCompare *c = g_new0(ArCompare, 1);
    c->before = before;
    c->after = after;
    c->description = g_strdup(description);
    c->nodes = g_ptr_array_new_with_free_func(cmp_node_free);
    c->vnets = g_ptr_array_new_with_free_func(cmp_vnet_free);
    c->names = g_ptr_array_new_with_free_func(g_free);
    c->reach_changes = g_array_new(FALSE, FALSE, sizeof(ArCmpReach));
    g_array_set_clear_func(c->reach_changes, cmp_reach_clear);
    c->vnet_class = g_array_new(FALSE, FALSE, sizeof(guint));
    cmp_nodes(c);
    cmp_vnets(c);
    cmp_reach(c);
    c->grouped = c->gained + c->lost + c->changed + c->eff_diffs > CMP_FULL_MAX;
    c->summary = cmp_summary(c);
    return c;
}

void cmp_free(ArCompare *c)
{
    if (!c)
        return;
    g_free(c->description);
    g_ptr_array_free(c->nodes, TRUE);
    g_ptr_array_free(c->vnets, TRUE);
    reach_matrix_free(c->reach_before);
    reach_matrix_free(c->reach_after);
    g_array_free(c->reach_changes, TRUE);
    g_free(c->summary);
    g_ptr_array_free(c->names, TRUE);
    g_array_free(c->vnet_class, TRUE);
    g_free(c);
}

bool cmp_differs(const ArCompare *c)
{
    return c->nodes->len || c->vnets->len || c->reach_changes->len;
}

/* The path and value of "PATH=VALUE" when PATH ends in allowBranchToBranchTraffic. */
static bool cmp_b2b_set(const char *set, bool *value)
{
    const char *eq = strchr(set, '=');
    if (!eq)
        return false;
    g_autofree char *path = g_strndup(set, (gsize)(eq - set));
    g_strstrip(path);
    const char *last = strrchr(path, '.');
    last = last ? last + 1 : path;
    if (strcmp(last, "allowBranchToBranchTraffic") != 0)
        return false;
    g_autofree char *v = g_strstrip(g_strdup(eq + 1));
    if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
        return false;
    *value = strcmp(v, "true") == 0;
    return true;
}

char *cmp_describe(const char *file_a, const char *file_b, char *const *sets)
{
    g_autofree char *joined = sets && sets[0] ? g_strjoinv(", ", (char **)sets) : NULL;
    if (file_b)
        return joined ? g_strdup_printf("%s -> %s with %s", file_a, file_b, joined)
                      : g_strdup_printf("%s -> %s", file_a, file_b);
    if (!joined)
        return g_strdup_printf("%s -> %s", file_a, file_a);
    bool all = true, first = false;
    for (guint i = 0; sets[i] && all; i++) {
        bool v = false; /* read only when cmp_b2b_set set it */
        all = cmp_b2b_set(sets[i], &v) && (i == 0 || v == first);
        if (all && i == 0)
            first = v;
    }
    if (all)
        return g_strdup(first ? "enabling branch-to-branch" : "disabling branch-to-branch");
    return g_steal_pointer(&joined);
}

/* ---- grouped form ---------------------------------------------------------------------------- */

G_STATIC_ASSERT(G_STRUCT_OFFSET(ArCmpDiff, key) == 0); /* pfx_ranges reads the key at offset 0 */

/* Two diffs in one run: same kind, same changed attributes, same routes apart from the prefix. */
typedef bool (*CmpSameFn)(const void *ctx, const ArCmpDiff *a, const ArCmpDiff *b);

static bool cmp_node_same(const void *ctx, const ArCmpDiff *a, const ArCmpDiff *b)
{
    const ArCmpNode *n = ctx;
    if (a->kind != b->kind || a->attrs != b->attrs)
        return false;
    if (a->before && cmp_route_attrs(n->before, a->before, n->before, b->before))
        return false;
    return !a->after || !cmp_route_attrs(n->after, a->after, n->after, b->after);
}

static bool cmp_vnet_diff_same(const void *ctx, const ArCmpDiff *a, const ArCmpDiff *b)
{
    (void)ctx;
    return a->kind == b->kind && a->attrs == b->attrs && cmp_eff_same(a->before, b->before) &&
           cmp_eff_same(a->after, b->after);
}

#define CMP_RANGE_MIN 4 /* fewer prefixes than this in a covering range are listed one by one */

/* Runs of diffs that print the same, each collapsed into covering ranges of at least
 * CMP_RANGE_MIN prefixes (the others one per line). O(diffs x 32). */
static GArray *cmp_ranges(const GArray *diffs, CmpSameFn same, const void *ctx)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(ArPfxRange));
    for (guint i = 0; i < diffs->len;) {
        guint j = i + 1;
        while (j < diffs->len && same(ctx, &g_array_index(diffs, ArCmpDiff, i), &g_array_index(diffs, ArCmpDiff, j)))
            j++;
        guint from = out->len;
        pfx_ranges(diffs->data, sizeof(ArCmpDiff), diffs->len, i, j, out);
        /* A range of a few prefixes reads better as those prefixes. */
        for (guint r = from; r < out->len; r++) {
            ArPfxRange range = g_array_index(out, ArPfxRange, r);
            if (range.count == 1 || range.count >= CMP_RANGE_MIN)
                continue;
            g_array_remove_index(out, r);
            for (guint k = 0; k < range.count; k++) {
                ArPfxRange one = { pfx_from_key(g_array_index(diffs, ArCmpDiff, range.first + k).key), range.first + k, 1 };
                g_array_insert_val(out, r + k, one);
            }
            r += range.count - 1;
        }
        i = j;
    }
    return out;
}

GArray *cmp_node_ranges(const ArCmpNode *n) { return cmp_ranges(n->diffs, cmp_node_same, n); }

GArray *cmp_vnet_ranges(const ArCmpVnet *v) { return cmp_ranges(v->diffs, cmp_vnet_diff_same, NULL); }

char *cmp_vnet_class_names(const ArCompare *c, guint cls, guint *count)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint i = 0; i < c->vnets->len; i++)
        if (g_array_index(c->vnet_class, guint, i) == cls)
            g_ptr_array_add(names, (gpointer)((const ArCmpVnet *)g_ptr_array_index(c->vnets, i))->name);
    *count = names->len;
    return names_ranges((const char *const *)names->pdata, names->len, 4);
}
