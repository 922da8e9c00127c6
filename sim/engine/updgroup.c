/* updgroup.c - update groups (engine_priv.h): peers whose exports agree share one computed export
 * and one stored Adj-RIB-Out per prefix; members keep only their differences (overrides). */
#include "engine_priv.h"

#include <string.h>

/* The source peer recorded for id (ArUpdGroup.src), PEER_LOCAL when none. O(1). */
static inline uint16_t src_get(const ArUpdGroup *g, uint32_t id)
{
    guint pg = id >> RIB_PAGE_BITS;
    return pg < g->n_src && g->src[pg] ? g->src[pg][id & (RIB_PAGE_IDS - 1)] : PEER_LOCAL;
}

static void src_set(ArUpdGroup *g, uint32_t id, uint16_t peer)
{
    guint pg = id >> RIB_PAGE_BITS;
    if (pg >= g->n_src || !g->src[pg]) {
        if (peer == PEER_LOCAL)
            return;
        if (pg >= g->n_src) {
            guint n = MAX(g->n_src * 2, pg + 1);
            g->src = g_renew(uint16_t *, g->src, n);
            memset(g->src + g->n_src, 0, (n - g->n_src) * sizeof(uint16_t *));
            g->n_src = n;
        }
        g->src[pg] = g_new(uint16_t, RIB_PAGE_IDS);
        memset(g->src[pg], 0xff, RIB_PAGE_IDS * sizeof(uint16_t)); /* PEER_LOCAL */
    }
    g->src[pg][id & (RIB_PAGE_IDS - 1)] = peer;
}

static void src_clear(ArUpdGroup *g)
{
    for (guint i = 0; i < g->n_src; i++)
        g_free(g->src[i]);
    g_free(g->src);
    g->src = NULL;
    g->n_src = 0;
}

/* What an attached member without an override at id was sent: the group's value, or nothing when
 * the route came from it. O(1). */
static inline uint32_t group_value(const ArUpdGroup *g, const ArPeer *peer, uint32_t id)
{
    uint32_t gv = idmap_get(&g->out, id);
    return gv && src_get(g, id) == peer->index ? 0 : gv;
}

void ug_free(gpointer p)
{
    ArUpdGroup *g = p;
    idmap_clear(&g->out);
    src_clear(g);
    g_ptr_array_free(g->members, TRUE);
    if (g->chg)
        g_array_free(g->chg, TRUE);
    tx_plan_clear(&g->plan);
    g_free(g);
}

/* One change of a group's (or member's) value in a batch. */
typedef struct GroupChg {
    uint32_t i;            /* index in the batch */
    const ArAttrs *now;    /* value sent now, NULL = withdrawal */
} GroupChg;

/* Where a member's value differs from the group's at one index of a batch. */
typedef struct MemberDev {
    uint32_t i;            /* index in the batch */
    uint32_t before;       /* what the member was sent before (ArAttrs.id, 0: nothing) */
    const ArAttrs *now;    /* what it is sent now */
} MemberDev;

/* An override that says "nothing was sent" (the group's value is something): no set's number. */
#define OUT_NONE UINT32_MAX

static inline uint32_t ov_box(uint32_t a) { return a ? a : OUT_NONE; }
static inline uint32_t ov_unbox(uint32_t a) { return a == OUT_NONE ? 0 : a; }

guint bgp_out_size(const ArPeer *peer)
{
    /* Attached: out_len is the difference from the group's size, that of its overrides. */
    return (guint)(peer->attached ? (int64_t)idmap_size(&peer->group->out) + peer->out_len : peer->out_len);
}

/* The number of what peer was last sent for id (ArAttrs.id), 0 for nothing. O(1). */
static uint32_t ug_out_id(const ArPeer *peer, uint32_t id)
{
    uint32_t v = idmap_get(&peer->out, id);
    if (!peer->attached)
        return v;
    return v ? ov_unbox(v) : group_value(peer->group, peer, id);
}

const ArAttrs *ug_out_get(const ArPeer *peer, uint32_t id)
{
    return attr_at(ug_out_id(peer, id));
}

/* True when route r's export to member p may differ from the group's: it came from p, from p's
 * speaker over another session, or (export_resource policies) from another instance of p's
 * resource. O(1). */
static inline bool route_related(const ArSpeaker *sp, const ArRoute *r, const ArPeer *p)
{
    if (r->peer == PEER_LOCAL)
        return false;
    if (r->peer == p->index)
        return true;
    const ArSpeaker *src = bgp_peer(sp, r->peer)->remote;
    return src == p->remote ||
           (sp->policy->export_resource && src->resource && src->resource == p->remote->resource);
}

/* The group peer belongs to, created on first use. O(groups of the speaker). */
static ArUpdGroup *group_of(ArSpeaker *sp, ArPeer *peer)
{
    const ArSpeaker *only = sp->route_maps ? peer->remote : NULL;
    for (guint i = 0; i < sp->groups->len; i++) {
        ArUpdGroup *g = g_ptr_array_index(sp->groups, i);
        if (g->kind == peer->remote->kind && g->local_ip == peer->local_ip && g->ibgp == peer->session->ibgp &&
            g->only == only)
            return g;
    }
    ArUpdGroup *g = g_new0(ArUpdGroup, 1);
    idmap_init(&g->out);
    g->members = g_ptr_array_new();
    g->kind = peer->remote->kind;
    g->local_ip = peer->local_ip;
    g->ibgp = peer->session->ibgp;
    g->only = only;
    g_ptr_array_add(sp->groups, g);
    return g;
}

/* Calls fn(ctx, id) for every id of every page either map has written. O(pages x 4,096). */
static void pages_each(const ArIdMap *a, const ArIdMap *b, void (*fn)(void *ctx, uint32_t id), void *ctx)
{
    guint n = MAX(a->n_pages, b->n_pages);
    for (guint pg = 0; pg < n; pg++) {
        if (!(pg < a->n_pages && a->pages[pg]) && !(pg < b->n_pages && b->pages[pg]))
            continue;
        for (uint32_t j = 0; j < RIB_PAGE_IDS; j++)
            fn(ctx, (pg << RIB_PAGE_BITS) | j);
    }
}

/* Detach: the member's full Adj-RIB-Out, written from the group's value and its overrides. */
typedef struct DetachCtx {
    ArPeer *peer;          /* the member leaving */
    ArIdMap full;          /* its Adj-RIB-Out being built */
} DetachCtx;

static void detach_one(void *ctx, uint32_t id)
{
    DetachCtx *c = ctx;
    uint32_t v = ug_out_id(c->peer, id);
    if (v)
        idmap_set(&c->full, id, v);
}

/* Takes peer out of its group; keep: write its Adj-RIB-Out out in full (else it is emptied, as at
 * a session down). O(table) with keep, O(1) without. */
void ug_detach(ArPeer *peer, bool keep)
{
    if (!peer->attached)
        return;
    ArUpdGroup *g = peer->group;
    if (keep) {
        peer->out_len = bgp_out_size(peer);
        DetachCtx c = { .peer = peer };
        idmap_init(&c.full);
        pages_each(&g->out, &peer->out, detach_one, &c);
        idmap_clear(&peer->out);
        peer->out = c.full;
    } else {
        idmap_clear(&peer->out);
        peer->out_len = 0;
    }
    /* Swap-remove from the member list. */
    guint last = g->members->len - 1;
    ArPeer *moved = g_ptr_array_index(g->members, last);
    g_ptr_array_index(g->members, peer->group_pos) = moved;
    moved->group_pos = peer->group_pos;
    g_ptr_array_set_size(g->members, last);
    peer->attached = false;
    if (!g->members->len) {
        idmap_clear(&g->out); /* nobody follows it: the next member brings its own table */
        src_clear(g);
    }
}

static void attach_one(void *ctx, uint32_t id)
{
    ArPeer *peer = ctx;
    uint32_t own = idmap_get(&peer->out, id), gv = group_value(peer->group, peer, id);
    if (own == gv) {
        if (own)
            idmap_set(&peer->out, id, 0);
    } else if (!own) {
        idmap_set(&peer->out, id, OUT_NONE);
    }
}

/* Puts a detached, Established peer in its group: what it was sent becomes overrides of the
 * group's value where they differ (or the group's value, when it has no other member).
 * O(table). */
void ug_attach(ArSpeaker *sp, ArPeer *peer)
{
    g_assert(!peer->attached && peer->session->state == SESS_ESTABLISHED);
    if (!peer->group)
        peer->group = group_of(sp, peer);
    ArUpdGroup *g = peer->group;
    if (!g->members->len) {
        idmap_clear(&g->out);
        src_clear(g);
        g->out = peer->out;
        idmap_init(&peer->out);
        peer->out_len = 0;
    } else {
        pages_each(&g->out, &peer->out, attach_one, peer);
        peer->out_len -= (int64_t)idmap_size(&g->out);
    }
    peer->attached = true;
    peer->group_pos = g->members->len;
    g_ptr_array_add(g->members, peer);
}

const ArAttrs *bgp_out_lookup(const ArSpeaker *sp, const ArPeer *peer, uint64_t key)
{
    uint32_t id = pfxtab_find(&sp->sim->pfx, key);
    return id == PFX_NONE ? NULL : ug_out_get(peer, id);
}

/* A flush's export for the attached members of group g: each id's value computed once (with the
 * first member the route is not related to) and once more per related member; the group's value
 * and the members' overrides updated; the group's changes in g->chg, each member's differences in
 * its dev. Sends nothing (ug_send does, in peer order). O(ids x members) array accesses,
 * O(ids + related) exports. */
void ug_sync(ArSpeaker *sp, ArUpdGroup *g, const uint32_t *ids, ArRoute *const *best, guint nids)
{
    guint k = g->members->len;
    ArPeer **mem = (ArPeer **)g->members->pdata;
    g_autofree const ArAttrs **now = g_new(const ArAttrs *, k);
    g_autofree guint *ndev = g_new0(guint, k);
    g_autofree uint32_t **mpage = g_new(uint32_t *, k); /* each member's override page of the current page */
    /* Room for a change at every id, for the group and for each member: the loop below writes
     * without growing or copying. A member's differences are mostly few (its own routes), and
     * the pages of room it never writes are never touched. All are freed once the flush has sent
     * them. */
    g_assert(!g->chg);
    g->chg = g_array_sized_new(FALSE, FALSE, sizeof(GroupChg), nids);
    GroupChg *chg = (GroupChg *)(void *)g->chg->data;
    guint nchg = 0;
    for (guint m = 0; m < k; m++) {
        mem[m]->dev = g_array_sized_new(FALSE, FALSE, sizeof(MemberDev), nids);
        mem[m]->skips = 0;
    }
    TxMemo memo;
    tx_memo_init(&memo, sp);
    /* The members' values for the last best route (attributes, peer, flags): consecutive ids of a
     * flush mostly share it (one UPDATE's prefixes), and then share every member's export too,
     * unless the export reads the prefix (memo off). */
    const ArAttrs *last_gn = NULL;
    uint32_t last_ax = 0; /* the last route's set (rt_ax); 0: now[] holds nothing reusable */
    uint16_t last_peer = 0, last_flags = 0;
    /* The maps' pages of the current page of ids, looked up when an id leaves it: a flush's ids
     * mostly come in runs of one page (arrival order, which is prefix order). */
    guint cur_pg = G_MAXUINT;
    uint32_t *gpage = NULL;
    uint16_t *spage = NULL;
    for (guint i = 0; i < nids; i++) {
        uint32_t id = ids[i], off = id & (RIB_PAGE_IDS - 1);
        if (id >> RIB_PAGE_BITS != cur_pg) {
            cur_pg = id >> RIB_PAGE_BITS;
            gpage = idmap_page(&g->out, id);
            spage = cur_pg < g->n_src ? g->src[cur_pg] : NULL;
            for (guint m = 0; m < k; m++)
                mpage[m] = idmap_page(&mem[m]->out, id);
        }
        if (i + 8 < nids && gpage && ids[i + 8] >> RIB_PAGE_BITS == cur_pg)
            __builtin_prefetch(&gpage[ids[i + 8] & (RIB_PAGE_IDS - 1)]);
        const ArRoute *b = best[i];
        uint32_t gb = gpage ? gpage[off] : 0; /* the group's value before (ArAttrs.id) */
        const ArAttrs *gn = NULL;             /* and now */
        uint16_t sb = spage ? spage[off] : PEER_LOCAL, sn = b ? b->peer : PEER_LOCAL;
        if (b && memo.on && rt_ax(b) == last_ax && b->peer == last_peer && b->flags == last_flags) {
            gn = last_gn; /* now[] holds the members' values already */
        } else if (b) {
            bool have = false;
            for (guint m = 0; m < k; m++) {
                if (route_related(sp, b, mem[m])) {
                    now[m] = tx_export_memo(&memo, sp, mem[m], id, b);
                } else {
                    if (!have) {
                        gn = tx_export_memo(&memo, sp, mem[m], id, b);
                        have = true;
                    }
                    now[m] = gn;
                }
            }
            if (!have)
                gn = now[0]; /* every member related: any value serves as the reference */
            last_ax = rt_ax(b);
            last_peer = b->peer;
            last_flags = b->flags;
            last_gn = gn;
        } else {
            for (guint m = 0; m < k; m++)
                now[m] = NULL;
            last_ax = 0;
        }
        uint32_t gn_id = attr_id(gn);
        for (guint m = 0; m < k; m++) {
            ArPeer *p = mem[m];
            uint32_t ov = mpage[m] ? mpage[m][off] : 0;
            if (!ov && now[m] == gn && p->index != sb && p->index != sn)
                continue; /* follows the group, before and now */
            uint32_t before = ov ? ov_unbox(ov) : gb && sb == p->index ? 0 : gb;
            const ArAttrs *dflt = gn && sn == p->index ? NULL : gn; /* its value without an override */
            if (before != gb || now[m] != gn) { /* interned: one set, one pointer, one number */
                if (!ov && sn == p->index && !now[m] && !before && gn) {
                    /* The route came from this member: the group announces it to the others, this
                     * one had nothing and gets nothing. ug_send skips it by the source peer. */
                    p->skips++;
                } else {
                    g_assert(ndev[m] < nids);
                    ((MemberDev *)(void *)p->dev->data)[ndev[m]++] = (MemberDev){ i, before, now[m] };
                }
            }
            if (ov || now[m] != dflt)
                idmap_page_set(&p->out, &mpage[m], id, now[m] == dflt ? 0 : ov_box(attr_id(now[m])));
            /* out_len of a member: its size less the group's. */
            p->out_len += ((now[m] != NULL) - (gn != NULL)) - ((before != 0) - (gb != 0));
        }
        if (gn_id != gb) {
            chg[nchg++] = (GroupChg){ i, gn };
            idmap_page_set(&g->out, &gpage, id, gn_id);
        }
        if (sn != sb) {
            if (spage) {
                spage[off] = sn;
            } else {
                src_set(g, id, sn);
                spage = g->src[cur_pg];
            }
        }
    }
    g_array_set_size(g->chg, nchg);
    for (guint m = 0; m < k; m++)
        g_array_set_size(mem[m]->dev, ndev[m]);
}

/* Sends an attached member what ug_sync found for it: the group's changes, except where it
 * differs. O(changes + its differences). */
bool ug_send(ArSpeaker *sp, ArPeer *peer, const uint32_t *ids)
{
    ArUpdGroup *g = peer->group;
    const GroupChg *gc = (const GroupChg *)(const void *)g->chg->data;
    const MemberDev *dv = (const MemberDev *)(const void *)peer->dev->data;
    guint ng = g->chg->len, nd = peer->dev->len;
    if (nd == 0 && peer->skips == 0) {
        /* No difference of its own: the group's changes as the group's one plan of messages. */
        g_array_free(peer->dev, TRUE);
        peer->dev = NULL;
        if (!ng)
            return false;
        if (!g->plan.msgs || g->plan.ibgp != peer->session->ibgp) {
            tx_plan_clear(&g->plan);
            g_autofree uint32_t *gid = g_new(uint32_t, ng);
            g_autofree const ArAttrs **gnow = g_new(const ArAttrs *, ng);
            for (guint a = 0; a < ng; a++) {
                gid[a] = ids[gc[a].i];
                gnow[a] = gc[a].now;
            }
            tx_plan_build(sp->sim, &g->plan, peer->session->ibgp, gid, gnow, ng);
        }
        return tx_plan_send(sp->sim, peer, &g->plan);
    }
    g_autofree uint32_t *cid = g_new(uint32_t, MAX(ng + nd, 1));
    g_autofree const ArAttrs **cnow = g_new(const ArAttrs *, MAX(ng + nd, 1));
    guint n = 0;
    for (guint a = 0, d = 0; a < ng || d < nd;) {
        if (d < nd && (a >= ng || dv[d].i <= gc[a].i)) {
            if (dv[d].before != attr_id(dv[d].now)) {
                cid[n] = ids[dv[d].i];
                cnow[n++] = dv[d].now;
            }
            if (a < ng && gc[a].i == dv[d].i)
                a++;
            d++;
        } else {
            /* An announcement of a route that came from this member, which had nothing: skipped
             * (ug_sync's split horizon, counted in skips). Without a dev entry, the member's source
             * and a non-NULL group value say exactly that. */
            if (!(peer->skips && gc[a].now && src_get(g, ids[gc[a].i]) == peer->index)) {
                cid[n] = ids[gc[a].i];
                cnow[n++] = gc[a].now;
            }
            a++;
        }
    }
    g_array_free(peer->dev, TRUE);
    peer->dev = NULL;
    return tx_send_changes(sp->sim, peer, cid, cnow, n);
}

void ug_flush_done(ArUpdGroup *g)
{
    if (g->chg)
        g_array_free(g->chg, TRUE);
    g->chg = NULL;
    tx_plan_clear(&g->plan);
}
