/* graph.c - diagrams of a run built with cgraph: topology, prefix propagation and differences. */
#include "arsim/graph.h"
#include "arsim/names.h"

#include <string.h>

#define GRAPH_GROUP_MIN 8 /* from this many alike spokes on, one cluster draws them all */

#define COLOR_OK "#1a7f37"
#define COLOR_BAD "#cf222e"
#define COLOR_CHANGED "#fd7e14"

/* cgraph takes char* for names and values; these wrappers keep the casts in one place. Graphviz
 * copies a label into SVG as it is, and XML 1.0 forbids control characters: a free text (the
 * scenario's name, a file name in a title) holding one gets U+FFFD in its place. O(length). */
static void set(void *obj, const char *name, const char *value)
{
    const char *p = value;
    while (*p && (unsigned char)*p >= 0x20 && *p != 0x7f)
        p++;
    if (!*p) {
        agsafeset(obj, (char *)name, (char *)value, "");
        return;
    }
    GString *clean = g_string_new_len(value, p - value);
    for (; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            g_string_append(clean, "\xEF\xBF\xBD"); /* U+FFFD */
        else
            g_string_append_c(clean, *p);
    }
    agsafeset(obj, (char *)name, clean->str, "");
    g_string_free(clean, TRUE);
}

static Agraph_t *subgraph(Agraph_t *g, const char *name, const char *label)
{
    Agraph_t *s = agsubg(g, (char *)name, 1);
    set(s, "label", label);
    return s;
}

static Agnode_t *node(Agraph_t *g, const char *name) { return agnode(g, (char *)name, 1); }

static Agedge_t *edge(Agraph_t *g, Agnode_t *t, Agnode_t *h, const char *name)
{
    return agedge(g, t, h, (char *)name, 1);
}

/* Declares every attribute the drawing uses with its default, so the DOT text is stable. */
static void declare_defaults(Agraph_t *g)
{
    static const char *const graph_attrs[][2] = {
        { "rankdir", "LR" }, { "fontname", "Helvetica" }, { "fontsize", "12" }, { "labelloc", "t" },
        { "label", "" }, { "style", "" }, { "color", "" }, { "fillcolor", "" }, { "nodesep", "0.4" },
        { "ranksep", "0.9" }, { "compound", "true" }, { "newrank", "true" },
    };
    static const char *const node_attrs[][2] = {
        { "shape", "box" }, { "style", "filled" }, { "fillcolor", "white" }, { "fontname", "Helvetica" },
        { "fontsize", "10" }, { "label", "\\N" }, { "color", "black" }, { "penwidth", "1" }, { "tooltip", "" },
    };
    static const char *const edge_attrs[][2] = {
        { "fontname", "Helvetica" }, { "fontsize", "9" }, { "label", "" }, { "style", "solid" },
        { "color", "#444444" }, { "fontcolor", "black" }, { "penwidth", "1" }, { "dir", "none" },
        { "arrowhead", "normal" }, { "tooltip", "" }, { "kind", "" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(graph_attrs); i++)
        agattr(g, AGRAPH, (char *)graph_attrs[i][0], (char *)graph_attrs[i][1]);
    for (size_t i = 0; i < G_N_ELEMENTS(node_attrs); i++)
        agattr(g, AGNODE, (char *)node_attrs[i][0], (char *)node_attrs[i][1]);
    for (size_t i = 0; i < G_N_ELEMENTS(edge_attrs); i++)
        agattr(g, AGEDGE, (char *)edge_attrs[i][0], (char *)edge_attrs[i][1]);
    agattr(g, AGNODE, "kind", "");
}

/* ---- stable object order ------------------------------------------------------------------ */

/* cgraph orders subgraphs by object ID, and its default IDs for named objects are string
 * addresses, which differ from run to run. This ID discipline hands out sequential IDs, so order
 * = creation order and the DOT text is byte-identical for the same scenario. */
typedef struct SeqIds {
    Agraph_t *g;            /* the root graph: names live in its string pool */
    IDTYPE next;            /* last ID handed out */
    GHashTable *by_name[3]; /* per AGRAPH/AGNODE/AGEDGE: name -> ID */
    GHashTable *by_id;      /* ID -> name */
} SeqIds;

/* The state of every graph this discipline opened, by root graph: Graphviz 2.42's agclose does
 * not call the discipline's close, so graph_free finds and frees it. */
static GHashTable *open_states;

static void *seq_open(Agraph_t *g, Agdisc_t *disc)
{
    SeqIds *s = g_new0(SeqIds, 1);
    s->g = g;
    for (int i = 0; i < 3; i++)
        s->by_name[i] = g_hash_table_new(g_str_hash, g_str_equal);
    s->by_id = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    if (!open_states)
        open_states = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_insert(open_states, g, s);
    return s;
}

/* Frees the tables; the names themselves live in the graph's string pool. */
static void seq_state_free(SeqIds *s, gboolean free_names)
{
    if (free_names) {
        GHashTableIter it;
        gpointer name;
        g_hash_table_iter_init(&it, s->by_id);
        while (g_hash_table_iter_next(&it, NULL, &name))
            agstrfree(s->g, name);
    }
    g_hash_table_remove(open_states, s->g);
    g_hash_table_destroy(s->by_id);
    for (int i = 0; i < 3; i++)
        g_hash_table_destroy(s->by_name[i]);
    g_free(s);
}

/* Maps names too, so that cgraph never falls back to its internal name map: Graphviz 2.42 closes
 * that map (shared by the root graph and its subgraphs) when it closes the first subgraph, without
 * freeing its entries, which leaked every named object's entry on each agclose. Names are kept in
 * cgraph's string pool (agstrdup), as cgraph's own maps keep them: agwrite reads a flag stored in
 * front of a pooled string to decide whether a name is HTML-like (<...>). */
static long seq_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    SeqIds *s = state;
    int t = objtype == AGINEDGE ? AGEDGE : objtype;
    if (str) {
        gpointer v;
        if (g_hash_table_lookup_extended(s->by_name[t], str, NULL, &v)) {
            *id = (IDTYPE)GPOINTER_TO_SIZE(v);
            return 1;
        }
    }
    if (!createflag)
        return 0;
    s->next += 2; /* odd IDs are cgraph's anonymous ones in the default discipline: keep even */
    *id = s->next;
    if (str) {
        char *name = agstrdup(s->g, str);
        g_hash_table_insert(s->by_name[t], name, GSIZE_TO_POINTER((gsize)s->next));
        IDTYPE *key = g_new(IDTYPE, 1);
        *key = s->next;
        g_hash_table_insert(s->by_id, key, name);
    }
    return 1;
}

static long seq_alloc(void *state, int objtype, IDTYPE id) { return 0; }
/* Names stay mapped until the graph closes: an edge name may be shared by several edges. */
static void seq_free(void *state, int objtype, IDTYPE id) {}
static char *seq_print(void *state, int objtype, IDTYPE id)
{
    SeqIds *s = state;
    return g_hash_table_lookup(s->by_id, &id);
}
/* Called by agclose() in Graphviz versions that do, before the string pool closes. */
static void seq_close(void *state)
{
    seq_state_free(state, TRUE);
}

void graph_free(Agraph_t *g)
{
    if (!g)
        return;
    SeqIds *s = open_states ? g_hash_table_lookup(open_states, g) : NULL;
    agclose(g); /* closes the string pool: the names go with it */
    if (s && open_states && g_hash_table_lookup(open_states, g) == s)
        seq_state_free(s, FALSE); /* agclose did not call seq_close */
}
static void seq_register(void *state, int objtype, void *obj) {}

static Agiddisc_t seq_id_disc = { seq_open, seq_map, seq_alloc, seq_free, seq_print, seq_close, seq_register };

/* ---- per-node diff counts (diff mode) ------------------------------------------------------- */

typedef struct NodeDiff {
    guint added, removed, changed; /* best routes gained, lost, with other attributes */
} NodeDiff;

static bool same_best(const ArSpeaker *a, const ArRoute *ra, const ArSpeaker *b, const ArRoute *rb)
{
    const ArSpeaker *sa = bgp_route_source(a, ra), *sb = bgp_route_source(b, rb);
    if ((sa == NULL) != (sb == NULL) || (sa && strcmp(sa->name, sb->name) != 0))
        return false;
    const ArAsPath *pa = rt_attrs(ra)->path, *pb = rt_attrs(rb)->path;
    return rt_attrs(ra)->next_hop == rt_attrs(rb)->next_hop && pa->len == pb->len &&
           memcmp(pa->asns, pb->asns, pa->len * sizeof(uint32_t)) == 0;
}

/* The best route other holds for the prefix with this key and, in the first run's prefix table, this
 * id; NULL if none. By id when both runs numbered the prefix alike (no hash), else one lookup. O(1). */
static const ArRoute *other_best(const ArSpeaker *other, uint32_t id, uint64_t key)
{
    if (!other)
        return NULL;
    const ArRib *rib = &other->rib;
    const ArRibNet *n = id < pfxtab_size(rib->pfx) && pfxtab_key(rib->pfx, id) == key ? rib_net(rib, id) : rib_find(rib, key);
    return n ? rib_best(n) : NULL;
}

/* One pass over each table, each best route looked up in the other run (as compare's cmp_node):
 * O(n), no sort (at 1M prefixes, two sorts and a hash lookup per prefix and node were most of
 * report --compare's time). */
static NodeDiff node_diff(const ArSpeaker *before, const ArSpeaker *after)
{
    NodeDiff d = { 0 };
    ArRibIter it;
    uint64_t key;
    ArRibNet *net;
    if (before) {
        rib_iter_init(&it, &before->rib);
        while (rib_iter_next(&it, &key, &net)) {
            const ArRoute *rx = rib_best(net);
            if (!rx)
                continue;
            const ArRoute *ry = other_best(after, it.id - 1, key); /* it.id: the id after this net's */
            if (ry)
                d.changed += !same_best(before, rx, after, ry);
            else
                d.removed++;
        }
    }
    rib_iter_init(&it, &after->rib);
    while (rib_iter_next(&it, &key, &net))
        if (rib_best(net) && !other_best(before, it.id - 1, key))
            d.added++;
    return d;
}

/* ---- building ---------------------------------------------------------------------------------- */

typedef struct Builder {
    const ArRun *run;             /* what is drawn */
    const ArGraphOptions *opt;    /* view options */
    Agraph_t *g;                  /* root graph */
    GHashTable *nodes;            /* ArSpeaker* -> Agnode_t* */
    uint64_t key;                 /* --prefix key */
} Builder;

static const ArRoute *best_for(const ArSpeaker *sp, uint64_t key)
{
    const ArRibNet *n = rib_find(&sp->rib, key);
    return n ? rib_best(n) : NULL;
}

static void speaker_node(Builder *b, Agraph_t *where, const ArSpeaker *sp)
{
    char ip[IP_STRLEN];
    Agnode_t *n = node(where, sp->name);
    GString *label = g_string_new(sp->name);
    g_string_append_printf(label, "\\n%s\\nAS %u · %s", names_node_kind[sp->kind].title, sp->asn, ip_format(sp->ip, ip));
    set(n, "shape", names_node_kind[sp->kind].shape);
    set(n, "fillcolor", names_node_kind[sp->kind].fill);
    set(n, "kind", bgp_kind_name(sp->kind));
    if (b->opt->prefix) {
        const ArRoute *r = best_for(sp, b->key);
        if (!r) {
            g_string_append(label, "\\nno route");
            set(n, "fillcolor", "#f6f8fa");
            set(n, "color", "#999999");
        } else {
            g_autofree char *path = attr_path_to_string(rt_attrs(r)->path);
            const ArSpeaker *src = bgp_route_source(sp, r);
            if (src)
                g_string_append_printf(label, "\\nbest: %s from %s", path, src->name);
            else
                g_string_append(label, "\\norigin of the prefix");
            set(n, "penwidth", src ? "2" : "3");
            set(n, "color", COLOR_OK);
        }
    }
    if (b->opt->before) {
        const ArSpeaker *old = bgp_speaker_find(b->opt->before->net->sim, sp->name);
        NodeDiff d = node_diff(old, sp);
        if (d.added || d.removed || d.changed) {
            g_string_append_printf(label, "\\n+%u −%u ~%u routes", d.added, d.removed, d.changed);
            set(n, "color", COLOR_CHANGED);
            set(n, "penwidth", "3");
        }
    }
    set(n, "label", label->str);
    g_string_free(label, TRUE);
    g_hash_table_insert(b->nodes, (gpointer)sp, n);
}

/* What the VMs of VNet v have: effective routes, and the prefix's in --prefix mode (ok: it leads
 * to a node). Appended to label. */
static void vm_routes_label(const Builder *b, int v, GString *label, bool *ok)
{
    const ArEffTable *t = g_ptr_array_index(b->run->eff, v);
    guint bgp = 0;
    ArEffIter it;
    eff_iter_init(&it, t);
    for (const ArEffRoute *r; (r = eff_iter_next(&it));)
        bgp += r->cls != CLASS_SYSTEM;
    g_string_append_printf(label, "%u effective routes (%u via BGP)", t->len, bgp);
    *ok = false;
    if (b->opt->prefix) {
        const ArEffRoute *r = eff_find(t, *b->opt->prefix);
        char pfx[PFX_STRLEN];
        pfx_format(*b->opt->prefix, pfx);
        if (r && r->via->len) {
            g_string_append_printf(label, "\\n%s → ", pfx);
            for (guint i = 0; i < r->via->len; i++)
                g_string_append_printf(label, "%s%s", i ? ", " : "", ((const ArSpeaker *)g_ptr_array_index(r->via, i))->name);
            *ok = true;
        } else {
            g_string_append_printf(label, "\\n%s: %s", pfx, r ? eff_nh_type_name(r->type) : "no route");
        }
    }
}

/* The VMs of a VNet (or of every VNet of a group, named by its first): their routes' label. */
static Agnode_t *vm_node(Builder *b, Agraph_t *where, int v, guint members)
{
    const ArScenario *scn = b->run->net->scn;
    const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
    g_autofree char *name = g_strdup_printf("vms/%s", vn->name);
    Agnode_t *n = node(where, name);
    GString *label = g_string_new(NULL);
    if (members > 1)
        g_string_append_printf(label, "VMs in each of the %u VNets\\n", members);
    else
        g_string_append_printf(label, "VMs in %s\\n", vn->name);
    bool ok;
    vm_routes_label(b, v, label, &ok);
    if (ok) {
        set(n, "color", COLOR_OK);
        set(n, "penwidth", "2");
    }
    set(n, "shape", "tab");
    set(n, "fillcolor", "#ffffff");
    set(n, "kind", "vms");
    set(n, "label", label->str);
    g_string_free(label, TRUE);
    return n;
}

/* Subnets with a route table: their own effective routes differ from the VNet's (user routes,
 * BGP propagation off), so they are drawn beside the VNet's VMs. O(tables). */
static void subnet_nodes(Builder *b, Agraph_t *where, int v, Agnode_t *vms)
{
    const ArScenario *scn = b->run->net->scn;
    const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
    for (guint i = scn->vnets->len; i < b->run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(b->run->eff, i);
        if (t->vnet != v)
            continue;
        const ArSubnet *sn = g_ptr_array_index(vn->subnets, t->subnet);
        g_autofree char *tname = eff_table_name(scn, t);
        g_autofree char *name = g_strdup_printf("vms/%s", tname);
        Agnode_t *n = node(where, name);
        char pfx[PFX_STRLEN];
        GString *label = g_string_new(NULL);
        g_string_append_printf(label, "VMs in subnet %s (%s)\nroute table: %u user routes%s", sn->name,
                               pfx_format(sn->prefix, pfx), sn->routes->len,
                               sn->disable_bgp ? ", BGP propagation off" : "");
        if (b->opt->prefix) {
            /* longest match, not exact: a user route for 10.0.0.0/8 is where 10.200.0.0/16 goes */
            const ArEffRoute *r = eff_match(t, *b->opt->prefix);
            char ip[IP_STRLEN], via[PFX_STRLEN];
            pfx_format(*b->opt->prefix, pfx);
            if (!r)
                g_string_append_printf(label, "\n%s: no route", pfx);
            else if (r->next_hops->len)
                g_string_append_printf(label, "\n%s → %s (%s %s)", pfx,
                                       ip_format(g_array_index(r->next_hops, uint32_t, 0), ip),
                                       eff_source_name(r), pfx_format(r->prefix, via));
            else
                g_string_append_printf(label, "\n%s: %s (%s %s)", pfx, eff_nh_type_name(r->type),
                                       eff_source_name(r), pfx_format(r->prefix, via));
        }
        set(n, "shape", "tab");
        set(n, "fillcolor", "#fffbe6");
        set(n, "kind", "subnet");
        set(n, "label", label->str);
        g_string_free(label, TRUE);
        g_autofree char *ename = g_strdup_printf("subnet/%s", tname);
        Agedge_t *e = edge(b->g, vms, n, ename);
        set(e, "style", "dotted");
        set(e, "color", "#8c959f");
        set(e, "kind", "subnet");
    }
}

/* True when VNet v holds a Route Server, a gateway, an NVA or a subnet with a route table: it is
 * drawn on its own. O(resources). */
static bool vnet_has_nodes(const Builder *b, int v)
{
    const ArNet *net = b->run->net;
    const ArScenario *scn = net->scn;
    for (guint r = 0; r < scn->route_servers->len; r++)
        if (net->rs_cfg[r].vnet == v)
            return true;
    for (guint g = 0; g < scn->gateways->len; g++)
        if (((ArGateway *)g_ptr_array_index(scn->gateways, g))->vnet == v)
            return true;
    for (guint i = 0; i < scn->nvas->len; i++)
        if (((ArNva *)g_ptr_array_index(scn->nvas, i))->vnet == v)
            return true;
    for (guint i = scn->vnets->len; i < b->run->eff->len; i++)
        if (((const ArEffTable *)g_ptr_array_index(b->run->eff, i))->vnet == v)
            return true;
    return false;
}

/* Spokes drawn as one: per VNet, the index of the first VNet of its group (itself when alone or
 * first). VNets without nodes of their own whose peerings (both ways, with their flags) and VMs'
 * label are the same form a group; groups of fewer than GRAPH_GROUP_MIN stay apart. O(V x P). */
static guint *spoke_groups(const Builder *b, guint *members)
{
    const ArScenario *scn = b->run->net->scn;
    guint nv = scn->vnets->len;
    g_autoptr(GPtrArray) sig = g_ptr_array_new_with_free_func(g_free);
    for (guint v = 0; v < nv; v++)
        g_ptr_array_add(sig, vnet_has_nodes(b, (int)v) ? NULL : g_string_new(NULL));
    for (guint v = 0; v < nv; v++) {
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        for (guint i = 0; i < vn->peerings->len; i++) {
            const ArPeering *p = &g_array_index(vn->peerings, ArPeering, i);
            GString *mine = g_ptr_array_index(sig, v), *theirs = g_ptr_array_index(sig, p->remote);
            if (mine)
                g_string_append_printf(mine, "o%d:%d%d,", p->remote, p->use_remote_gateways, p->allow_gateway_transit);
            if (theirs)
                g_string_append_printf(theirs, "i%u:%d%d,", v, p->use_remote_gateways, p->allow_gateway_transit);
        }
    }
    guint *group = g_new(guint, nv + 1);
    g_autoptr(GHashTable) first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint v = 0; v < nv; v++) {
        GString *s = g_ptr_array_index(sig, v);
        group[v] = v;
        members[v] = 0;
        if (!s)
            continue;
        bool ok;
        g_string_append_c(s, '|');
        vm_routes_label(b, (int)v, s, &ok);
        gpointer f;
        if (g_hash_table_lookup_extended(first, s->str, NULL, &f))
            group[v] = GPOINTER_TO_UINT(f);
        else
            g_hash_table_insert(first, g_strdup(s->str), GUINT_TO_POINTER(v));
    }
    for (guint v = 0; v < nv; v++)
        members[group[v]]++;
    for (guint v = 0; v < nv; v++)
        if (members[group[v]] < GRAPH_GROUP_MIN) {
            group[v] = v;
            members[v] = 1;
        }
    for (guint v = 0; v < nv; v++) {
        GString *s = g_ptr_array_index(sig, v);
        if (s)
            g_string_free(s, TRUE);
        g_ptr_array_index(sig, v) = NULL;
    }
    return group;
}

/* The cluster of a group of spokes: "VNets spoke1-spoke500 (500 VNets)" and their prefixes' range. */
static Agraph_t *group_cluster(Builder *b, Agraph_t *azure, const guint *group, guint first, guint members)
{
    const ArScenario *scn = b->run->net->scn;
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint v = first; v < scn->vnets->len; v++)
        if (group[v] == first)
            g_ptr_array_add(names, ((const ArVnet *)g_ptr_array_index(scn->vnets, v))->name);
    g_autofree char *list = names_ranges((const char *const *)names->pdata, names->len, 3);
    const ArVnet *vn = g_ptr_array_index(scn->vnets, first);
    g_autofree char *cname = g_strdup_printf("cluster_vnet_%s", vn->name);
    g_autofree char *label = g_strdup_printf("VNets %s\\n%u VNets with the same peerings and routes", list, members);
    Agraph_t *c = subgraph(azure, cname, label);
    set(c, "style", "rounded,filled");
    set(c, "fillcolor", "#f0f6ff");
    set(c, "color", "#0969da");
    set(c, "peripheries", "2");
    return c;
}

static void azure_clusters(Builder *b, Agraph_t *azure)
{
    const ArNet *net = b->run->net;
    const ArScenario *scn = net->scn;
    char pfx[PFX_STRLEN];
    Agnode_t **vms = g_new0(Agnode_t *, scn->vnets->len + 1);
    g_autofree guint *members = g_new0(guint, scn->vnets->len + 1);
    g_autofree guint *group = spoke_groups(b, members);
    for (guint v = 0; v < scn->vnets->len; v++) {
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        if (group[v] != v) {
            vms[v] = vms[group[v]]; /* drawn with its group */
            continue;
        }
        if (members[v] > 1) {
            Agraph_t *c = group_cluster(b, azure, group, v, members[v]);
            vms[v] = vm_node(b, c, (int)v, members[v]);
            continue;
        }
        g_autofree char *cname = g_strdup_printf("cluster_vnet_%s", vn->name);
        GString *label = g_string_new(NULL);
        g_string_append_printf(label, "VNet %s", vn->name);
        for (guint i = 0; i < vn->prefixes->len; i++)
            g_string_append_printf(label, "%s%s", i ? ", " : "\\n", pfx_format(g_array_index(vn->prefixes, ArPrefix, i), pfx));
        Agraph_t *c = subgraph(azure, cname, label->str);
        g_string_free(label, TRUE);
        set(c, "style", "rounded,filled");
        set(c, "fillcolor", "#f0f6ff");
        set(c, "color", "#0969da");
        for (guint r = 0; r < scn->route_servers->len; r++) {
            const ArRouteServer *rs = &net->rs_cfg[r]; /* settings in force at the end of the run */
            if (rs->vnet != (int)v)
                continue;
            g_autofree char *rname = g_strdup_printf("cluster_rs_%s", rs->name);
            g_autofree char *rlabel = g_strdup_printf("Route Server %s\\nbranch-to-branch: %s · preference: %s",
                                                      rs->name, rs->branch_to_branch ? "ON" : "off", names_hub_pref[rs->hub_pref]);
            Agraph_t *rc = subgraph(c, rname, rlabel);
            set(rc, "style", "dashed");
            set(rc, "color", "#0969da");
            for (int k = 0; k < 2; k++)
                speaker_node(b, rc, net->rs[r][k]);
        }
        for (guint g = 0; g < scn->gateways->len; g++)
            if (((ArGateway *)g_ptr_array_index(scn->gateways, g))->vnet == (int)v)
                for (int k = 0; k < 2 && net->gw[g][k]; k++)
                    speaker_node(b, c, net->gw[g][k]);
        for (guint i = 0; i < scn->nvas->len; i++)
            if (((ArNva *)g_ptr_array_index(scn->nvas, i))->vnet == (int)v)
                speaker_node(b, c, net->nva[i]);
        vms[v] = vm_node(b, c, (int)v, 1);
        subnet_nodes(b, c, (int)v, vms[v]);
    }
    /* Peerings, as listed (each connects both VNets); a group's are drawn once, counted. */
    g_autoptr(GHashTable) drawn = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint v = 0; v < scn->vnets->len; v++) {
        const ArVnet *vn = g_ptr_array_index(scn->vnets, v);
        for (guint i = 0; i < vn->peerings->len; i++) {
            const ArPeering *p = &g_array_index(vn->peerings, ArPeering, i);
            guint count = MAX(members[group[v]], members[group[p->remote]]);
            if (count > 1) {
                g_autofree char *pair = g_strdup_printf("%u/%u/%d", group[v], group[p->remote], p->use_remote_gateways);
                if (!g_hash_table_add(drawn, g_steal_pointer(&pair)))
                    continue;
            }
            g_autofree char *ename = g_strdup_printf("peering/%s/%u", vn->name, i);
            Agedge_t *e = edge(b->g, vms[v], vms[p->remote], ename);
            g_autofree char *times = count > 1 ? g_strdup_printf(" ×%u", count) : g_strdup("");
            g_autofree char *plabel = g_strdup_printf("peering%s%s", times,
                                                      p->use_remote_gateways ? "\\n(uses remote gateways)" : "");
            set(e, "label", plabel);
            set(e, "style", "bold");
            set(e, "color", "#8c959f");
            set(e, "kind", "peering");
        }
    }
    g_free(vms);
}

static void session_edges(Builder *b)
{
    const ArSim *sim = b->run->net->sim;
    for (guint i = 0; i < sim->sessions->len; i++) {
        const ArSession *s = g_ptr_array_index(sim->sessions, i);
        Agnode_t *t = g_hash_table_lookup(b->nodes, s->sp[0]), *h = g_hash_table_lookup(b->nodes, s->sp[1]);
        g_autofree char *ename = g_strdup_printf("session/%s/%s", s->sp[0]->name, s->sp[1]->name);
        Agedge_t *e = edge(b->g, t, h, ename);
        const ArPeer *pa = bgp_peer(s->sp[0], s->peer[0]), *pb = bgp_peer(s->sp[1], s->peer[1]);
        g_autofree char *label = NULL;
        if (s->state == SESS_ESTABLISHED) {
            label = g_strdup_printf("%s\\n→%u ←%u", s->ibgp ? "iBGP" : "eBGP", bgp_out_size(pa),
                                    bgp_out_size(pb));
        } else {
            label = g_strdup_printf("%s DOWN\\n%s", s->ibgp ? "iBGP" : "eBGP",
                                    s->down_reason ? s->down_reason : "not established");
            set(e, "style", "dashed");
            set(e, "color", COLOR_BAD);
            set(e, "fontcolor", COLOR_BAD);
        }
        set(e, "label", label);
        set(e, "kind", "session");
        if (b->opt->prefix)
            set(e, "color", "#d0d7de");
        if (b->opt->before && s->state == SESS_ESTABLISHED) {
            const ArSpeaker *oa = bgp_speaker_find(b->opt->before->net->sim, s->sp[0]->name);
            bool was_up = false;
            for (guint k = 0; oa && k < oa->peers->len; k++) {
                const ArPeer *op = bgp_peer(oa, (uint16_t)k);
                if (strcmp(op->remote->name, s->sp[1]->name) != 0)
                    continue;
                const ArPeer *oq = bgp_peer(op->remote, op->remote_index);
                was_up = op->session->state == SESS_ESTABLISHED && bgp_out_size(op) == bgp_out_size(pa) &&
                         bgp_out_size(oq) == bgp_out_size(pb);
            }
            if (!was_up) {
                set(e, "color", COLOR_CHANGED);
                set(e, "penwidth", "2.5");
            }
        }
    }
}

/* --prefix: one directed edge per session direction whose sender holds the prefix. */
static void propagation_edges(Builder *b)
{
    g_autoptr(GArray) edges = prop_explain(b->run, *b->opt->prefix);
    for (guint i = 0; i < edges->len; i++) {
        const ArPropEdge *pe = &g_array_index(edges, ArPropEdge, i);
        Agnode_t *t = g_hash_table_lookup(b->nodes, pe->from), *h = g_hash_table_lookup(b->nodes, pe->to);
        g_autofree char *ename = g_strdup_printf("prefix/%s/%s", pe->from->name, pe->to->name);
        Agedge_t *e = edge(b->g, t, h, ename);
        set(e, "dir", "forward");
        set(e, "kind", "propagation");
        switch (pe->state) {
        case PROP_SENT:
            set(e, "color", COLOR_OK);
            set(e, "penwidth", pe->to_best ? "3" : "1.2");
            set(e, "label", pe->to_best ? "best" : "");
            break;
        case PROP_NOT_SENT:
        case PROP_REJECTED:
        case PROP_DOWN: {
            g_autofree char *l = g_strdup_printf("%s %s", pe->state == PROP_NOT_SENT ? "✗ not sent:"
                                                            : pe->state == PROP_REJECTED ? "✗ dropped:" : "✗ session down:",
                                                 pe->why);
            set(e, "color", COLOR_BAD);
            set(e, "fontcolor", COLOR_BAD);
            set(e, "style", pe->state == PROP_REJECTED ? "dotted" : "dashed");
            set(e, "arrowhead", "tee");
            set(e, "label", l);
            break;
        }
        }
    }
}

static void legend(Builder *b)
{
    Agraph_t *l = subgraph(b->g, "cluster_legend", "Legend");
    set(l, "style", "rounded");
    set(l, "color", "#8c959f");
    bool present[NODE_KIND_COUNT] = { false };
    const ArSim *sim = b->run->net->sim;
    for (guint i = 0; i < sim->speakers->len; i++)
        present[((ArSpeaker *)g_ptr_array_index(sim->speakers, i))->kind] = true;
    Agnode_t *prev = NULL;
    for (int k = 0; k < NODE_KIND_COUNT; k++) {
        if (!present[k])
            continue;
        g_autofree char *name = g_strdup_printf("legend/%s", bgp_kind_name((ArNodeKind)k));
        Agnode_t *n = node(l, name);
        set(n, "label", names_node_kind[k].title);
        set(n, "shape", names_node_kind[k].shape);
        set(n, "fillcolor", names_node_kind[k].fill);
        set(n, "kind", "legend");
        if (prev) {
            Agedge_t *e = edge(b->g, prev, n, NULL);
            set(e, "style", "invis");
        }
        prev = n;
    }
    /* the VM tabs: every VNet has one; subnets only when a route table exists */
    static const struct { const char *name, *label, *fill; } tabs[] = {
        { "legend/vms", "VMs of a VNet (effective routes)", "#ffffff" },
        { "legend/subnet", "VMs of a subnet with a route table", "#fffbe6" },
    };
    bool has_subnet_tables = b->run->eff->len > b->run->net->scn->vnets->len;
    for (guint t = 0; t < (has_subnet_tables ? 2u : 1u); t++) {
        Agnode_t *n = node(l, tabs[t].name);
        set(n, "label", tabs[t].label);
        set(n, "shape", "tab");
        set(n, "fillcolor", tabs[t].fill);
        set(n, "kind", "legend");
        if (prev)
            set(edge(b->g, prev, n, NULL), "style", "invis");
        prev = n;
    }
    Agnode_t *note = node(l, "legend/edges");
    set(note, "shape", "note");
    set(note, "kind", "legend");
    set(note, "label", b->opt->prefix ? "green: the prefix crossed (thick: chosen as best)\\nred ✗: stopped, with the reason"
                                      : "solid: session established, dashed red: down\\n→N ←M: routes sent tail→head, head→tail");
}

Agraph_t *graph_build(const ArRun *run, const ArGraphOptions *opt)
{
    static const ArGraphOptions none = { 0 };
    Builder b = { .run = run, .opt = opt ? opt : &none };
    const ArScenario *scn = run->net->scn;
    static Agdisc_t disc = { NULL, &seq_id_disc, NULL };
    disc.mem = &AgMemDisc;
    disc.io = &AgIoDisc;
    b.g = agopen("arsim", Agdirected, &disc);
    b.nodes = g_hash_table_new(g_direct_hash, g_direct_equal);
    declare_defaults(b.g);
    GString *title = g_string_new(b.opt->title ? b.opt->title : scn->name ? scn->name : "arsim");
    if (b.opt->prefix) {
        char pfx[PFX_STRLEN];
        b.key = pfx_key(*b.opt->prefix);
        g_string_append_printf(title, "\\nHow %s propagates", pfx_format(*b.opt->prefix, pfx));
    }
    if (b.opt->before)
        g_string_append(title, "\\norange: routes changed (+gained −lost ~changed)");
    set(b.g, "label", title->str);
    g_string_free(title, TRUE);

    Agraph_t *onprem = subgraph(b.g, "cluster_onprem", "On-premises");
    set(onprem, "style", "rounded");
    for (guint i = 0; i < scn->sites->len; i++)
        speaker_node(&b, onprem, run->net->site[i]);
    Agraph_t *edge_c = subgraph(b.g, "cluster_msee", "Microsoft edge");
    set(edge_c, "style", "rounded");
    for (guint i = 0; i < run->net->msee->len; i++)
        speaker_node(&b, edge_c, g_ptr_array_index(run->net->msee, i));
    Agraph_t *azure = subgraph(b.g, "cluster_azure", "Azure");
    set(azure, "style", "rounded");
    azure_clusters(&b, azure);
    session_edges(&b);
    if (b.opt->prefix)
        propagation_edges(&b);
    legend(&b);
    g_hash_table_destroy(b.nodes);
    return b.g;
}
