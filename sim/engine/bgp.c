/* bgp.c - BGP speakers and sessions: UPDATE delivery, import, decision, export, in simulated time. */
#include "arsim/bgp.h"
#include "arsim/msgsize.h"

#include <stddef.h>
#include <string.h>

/* An UPDATE in flight: one attribute set, many prefixes (as on the wire). The event node is
 * embedded, so sending allocates exactly one block. */
typedef struct ArMsg {
    ArEvent ev;            /* heap node: delivery time */
    ArSession *session;    /* carried over this session */
    uint8_t to;            /* receiving side (0 or 1) */
    uint32_t epoch;        /* session epoch when sent */
    const ArAttrs *attrs;  /* attributes of the announced prefixes, NULL when none announced */
    uint32_t n_withdraw;   /* ids[0 .. n_withdraw) are withdrawn */
    uint32_t n_announce;   /* ids[n_withdraw .. n_withdraw + n_announce) are announced */
    uint32_t ids[];        /* prefix ids (ArSim.pfx): 4 bytes a prefix, no hashing on delivery */
} ArMsg;

#define CONTAINER_OF(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

static void on_flush(ArEvent *ev, void *ctx);
static void on_session_up(ArEvent *ev, void *ctx);
static void on_session_down(ArEvent *ev, void *ctx);
static void on_deliver(ArEvent *ev, void *ctx);
static void on_mrai(ArEvent *ev, void *ctx);

const char *bgp_kind_name(ArNodeKind k)
{
    return k < NODE_KIND_COUNT ? names_node_kind[k].name : "?";
}

/* ---- construction -------------------------------------------------------------------------- */

static void group_free(gpointer p);

static void speaker_free(gpointer p)
{
    ArSpeaker *sp = p;
    g_ptr_array_free(sp->groups, TRUE);
    for (guint i = 0; i < sp->peers->len; i++) {
        ArPeer *peer = bgp_peer(sp, (uint16_t)i);
        idmap_clear(&peer->out);
        if (peer->dev)
            g_array_free(peer->dev, TRUE);
        if (peer->held) {
            g_array_free(peer->held, TRUE);
            g_hash_table_destroy(peer->held_set);
        }
        g_free(peer);
    }
    g_ptr_array_free(sp->peers, TRUE);
    rib_clear(&sp->rib);
    g_array_free(sp->dirty, TRUE);
    if (sp->filter)
        g_array_free(sp->filter, TRUE);
    g_free(sp->name);
    g_free(sp);
}

static void session_free(gpointer p)
{
    ArSession *s = p;
    g_free(s->down_reason);
    g_free(s->pending_reason);
    g_free(s);
}

static void log_clear(gpointer p)
{
    g_free(((ArLogEntry *)p)->text);
}

ArSim *bgp_sim_new(const ArSimConfig *cfg)
{
    ArSim *sim = g_new0(ArSim, 1);
    evq_init(&sim->q);
    if (cfg)
        sim->cfg = *cfg;
    if (!sim->cfg.link_delay)
        sim->cfg.link_delay = 10 * AR_MSEC;
    if (!sim->cfg.proc_delay)
        sim->cfg.proc_delay = 1 * AR_MSEC;
    if (!sim->cfg.max_events)
        sim->cfg.max_events = 50000000ull;
    if (!sim->cfg.max_prefixes)
        sim->cfg.max_prefixes = 500000000ull;
    if (!sim->cfg.session_setup)
        sim->cfg.session_setup = 5 * AR_SEC;
    if (!sim->cfg.retry_after_limit)
        sim->cfg.retry_after_limit = 60 * AR_SEC;
    if (sim->cfg.jitter)
        sim->rng = g_rand_new_with_seed(sim->cfg.seed);
    sim->log = g_array_new(FALSE, FALSE, sizeof(ArLogEntry));
    g_array_set_clear_func(sim->log, log_clear);
    sim->attrs = attr_cache_new();
    pfxtab_init(&sim->pfx);
    ArAttrs e = { .path = attr_path(sim->attrs, NULL, 0), .comms = attr_comms(sim->attrs, NULL, 0),
                  .local_pref = AR_LOCAL_PREF_DEFAULT, .origin = ORIGIN_IGP };
    sim->empty = attr_intern(sim->attrs, &e);
    sim->speakers = g_ptr_array_new_with_free_func(speaker_free);
    sim->sessions = g_ptr_array_new_with_free_func(session_free);
    sim->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    return sim;
}

void bgp_sim_free(ArSim *sim)
{
    if (!sim)
        return;
    /* Messages still in flight own their memory: free them with the queue. */
    ArEvent *ev;
    while ((ev = evq_pop(&sim->q)) != NULL)
        if (ev->fn == on_deliver)
            g_free(CONTAINER_OF(ev, ArMsg, ev));
    evq_clear(&sim->q);
    g_hash_table_destroy(sim->by_name);
    if (sim->rng)
        g_rand_free(sim->rng);
    if (sim->watch)
        g_hash_table_destroy(sim->watch);
    g_array_free(sim->log, TRUE);
    g_ptr_array_free(sim->sessions, TRUE);
    g_ptr_array_free(sim->speakers, TRUE);
    attr_cache_free(sim->attrs);
    pfxtab_clear(&sim->pfx);
    g_free(sim);
}

ArSpeaker *bgp_speaker_new(ArSim *sim, const char *name, ArNodeKind kind, uint32_t asn, uint32_t ip,
                           const ArPolicy *policy)
{
    g_assert(!g_hash_table_contains(sim->by_name, name));
    ArSpeaker *sp = g_new0(ArSpeaker, 1);
    sp->name = g_strdup(name);
    sp->kind = kind;
    sp->asn = asn;
    sp->ip = ip;
    sp->policy = policy;
    sp->peers = g_ptr_array_new();
    sp->groups = g_ptr_array_new_with_free_func(group_free);
    rib_init(&sp->rib, &sim->pfx);
    sp->dirty = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    evq_event_init(&sp->flush_ev, on_flush);
    sp->sim = sim;
    sp->id = sim->speakers->len;
    sp->hold_time = AR_TIME_NEVER;
    sp->mrai = AR_TIME_NEVER;
    g_ptr_array_add(sim->speakers, sp);
    g_hash_table_insert(sim->by_name, sp->name, sp);
    return sp;
}

ArSpeaker *bgp_speaker_find(const ArSim *sim, const char *name) { return g_hash_table_lookup(sim->by_name, name); }

static ArPeer *peer_new(ArSpeaker *sp, ArSession *s, uint8_t side, ArSpeaker *remote, uint32_t local_ip)
{
    g_assert(sp->peers->len < PEER_LOCAL);
    ArPeer *p = g_new0(ArPeer, 1);
    p->session = s;
    p->remote = remote;
    p->index = (uint16_t)sp->peers->len;
    p->side = side;
    p->local_ip = local_ip;
    idmap_init(&p->out);
    evq_event_init(&p->mrai_ev, on_mrai);
    g_ptr_array_add(sp->peers, p);
    return p;
}

ArSession *bgp_session_new(ArSim *sim, ArSpeaker *a, uint32_t a_ip, ArSpeaker *b, uint32_t b_ip)
{
    ArSession *s = g_new0(ArSession, 1);
    s->sp[0] = a;
    s->sp[1] = b;
    s->ibgp = a->asn == b->asn;
    ArPeer *pa = peer_new(a, s, 0, b, a_ip);
    ArPeer *pb = peer_new(b, s, 1, a, b_ip);
    pa->remote_index = pb->index;
    pb->remote_index = pa->index;
    s->peer[0] = pa->index;
    s->peer[1] = pb->index;
    evq_event_init(&s->up_ev, on_session_up);
    evq_event_init(&s->down_ev, on_session_down);
    g_ptr_array_add(sim->sessions, s);
    return s;
}

/* ---- helpers for policies ------------------------------------------------------------------ */

const ArAttrs *bgp_attrs_with(ArSim *sim, const ArAttrs *a, const ArAsPath *path, const ArComms *comms,
                              uint32_t next_hop)
{
    ArAttrs c = *a;
    c.path = path;
    c.comms = comms;
    c.next_hop = next_hop;
    return attr_intern(sim->attrs, &c);
}

static const ArAttrs *out_get(const ArPeer *peer, uint32_t id);

const ArAttrs *bgp_out_lookup(const ArSpeaker *sp, const ArPeer *peer, uint64_t key)
{
    uint32_t id = pfxtab_find(&sp->sim->pfx, key);
    return id == PFX_NONE ? NULL : out_get(peer, id);
}

bool bgp_route_ibgp(const ArSpeaker *sp, const ArRoute *r)
{
    return r->peer != PEER_LOCAL && bgp_peer(sp, r->peer)->session->ibgp;
}

ArSpeaker *bgp_route_source(const ArSpeaker *sp, const ArRoute *r)
{
    return r->peer == PEER_LOCAL ? NULL : bgp_peer(sp, r->peer)->remote;
}

const ArAttrs *bgp_export_standard(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why)
{
    const ArAttrs *a = r->attrs;
    if (r->peer == to->index) {
        *why = "not sent back to the peer it came from";
        return NULL;
    }
    if (to->session->ibgp && bgp_route_ibgp(sp, r)) {
        *why = "iBGP-learned routes are not sent to iBGP peers (RFC 4271 9.2)";
        return NULL;
    }
    /* RFC 1997 binds the receiver: a community we originate ourselves is attached on the way out
     * (as an outbound route-map would), so our own NO_ADVERTISE routes still leave. */
    bool learned = r->peer != PEER_LOCAL;
    if (learned && attr_comms_has(a->comms, COMM_NO_ADVERTISE)) {
        *why = "community NO_ADVERTISE (RFC 1997)";
        return NULL;
    }
    ArAttrs c = *a;
    c.weight = 0; /* weight never leaves the speaker */
    if (to->session->ibgp) {
        if (r->peer == PEER_LOCAL)
            c.next_hop = to->local_ip;
        return attr_intern(sp->sim->attrs, &c);
    }
    if (learned && attr_comms_has(a->comms, COMM_NO_EXPORT)) {
        *why = "community NO_EXPORT (RFC 1997)";
        return NULL;
    }
    c.path = attr_path_prepend(sp->sim->attrs, a->path, sp->asn);
    c.next_hop = to->local_ip;
    c.local_pref = AR_LOCAL_PREF_DEFAULT; /* LOCAL_PREF is not sent over eBGP (RFC 4271 5.1.5) */
    if (learned)
        c.med = 0; /* MED is not passed on to other ASes (RFC 4271 5.1.4) */
    return attr_intern(sp->sim->attrs, &c);
}

/* ---- routing table changes ----------------------------------------------------------------- */

static void mark_dirty(ArSpeaker *sp, uint32_t id)
{
    if (!rib_mark(&sp->rib, id))
        return;
    g_array_append_val(sp->dirty, id);
    if (!evq_scheduled(&sp->flush_ev)) {
        evq_push(&sp->sim->q, &sp->flush_ev, sp->sim->now + sp->sim->cfg.proc_delay);
        sp->sim->pending++;
    }
}

/* Sets (a != NULL) or removes the path from peer for key, reruns the decision process and marks
 * the prefix dirty when the best path changed. O(paths x rules). */
static void rib_update(ArSpeaker *sp, uint32_t id, uint16_t peer, const ArAttrs *a, uint16_t flags)
{
    ArRibNet *n = a ? rib_get(&sp->rib, id) : rib_net(&sp->rib, id);
    if (!n || (!a && !n->routes))
        return;
    uint16_t old_peer = n->best ? n->best->peer : PEER_LOCAL;
    const ArAttrs *old_attrs = n->best ? n->best->attrs : NULL;
    ArPeer *p = peer == PEER_LOCAL ? NULL : bgp_peer(sp, peer);
    if (a) {
        bool existed = rib_route_from(n, peer) != NULL;
        rib_set_route(&sp->rib, n, peer, a, flags);
        if (!existed && p)
            p->routes_in++;
    } else if (rib_remove_route(&sp->rib, n, peer)) {
        if (p)
            p->routes_in--;
    } else {
        return;
    }
    n->best = dp_best(sp, n);
    const ArAttrs *new_attrs = n->best ? n->best->attrs : NULL;
    uint16_t new_peer = n->best ? n->best->peer : PEER_LOCAL;
    if (new_attrs != old_attrs || new_peer != old_peer) {
        mark_dirty(sp, id);
        if (sp->sim->watch) {
            gpointer wk = GSIZE_TO_POINTER(((guint64)sp->id << 40) | pfxtab_key(&sp->sim->pfx, id));
            g_hash_table_insert(sp->sim->watch, wk, GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(sp->sim->watch, wk)) + 1));
        }
    }
}

void bgp_originate(ArSpeaker *sp, ArPrefix p, const ArAttrs *a, uint16_t flags)
{
    rib_update(sp, pfxtab_intern(&sp->sim->pfx, pfx_key(p)), PEER_LOCAL, a, flags);
}

/* ---- update groups ------------------------------------------------------------------------- */

/* Update groups, as FRR's update-groups and BIRD's export tables: the peers of one speaker whose
 * exports agree (same kind of remote, same local address, same iBGP/eBGP; the contract is on
 * ArPolicy.export) form a group. At a flush the group computes each prefix's export once, with one
 * member, and stores it once (ArUpdGroup.out). A route that came from a member (or from its
 * speaker or resource: split horizon, "not to another instance") is exported per member, and
 * where a member was sent something else than the group's value, that value is kept in the
 * member's own ArPeer.out (an override; OUT_NONE for nothing). A member leaves the group (is
 * detached, with its whole Adj-RIB-Out written out) when it cannot follow it: its session goes
 * down, or the speaker has an MRAI (a held peer is sent later than the others). A session that
 * comes up is sent the whole table on its own, then attached again. Outputs are unchanged: each
 * member is sent exactly the UPDATEs it was sent before update groups. */
struct ArUpdGroup {
    ArIdMap out;           /* prefix id -> const ArAttrs*: what an attached member without an override
                              was last sent, unless the route came from that member (src) */
    uint16_t **src;        /* src[id >> RIB_PAGE_BITS][id & (RIB_PAGE_IDS - 1)]: the peer the best route
                              came from when id was last exported (PEER_LOCAL: none): that member was
                              sent nothing (split horizon), without an override. 2 bytes a prefix */
    guint n_src;           /* length of src */
    GPtrArray *members;    /* attached ArPeer* (Established), in no particular order (ArPeer.group_pos) */
    ArNodeKind kind;       /* signature: the members' remote kind, */
    uint32_t local_ip;     /* ... our address on their sessions, */
    bool ibgp;             /* ... iBGP or eBGP, */
    const ArSpeaker *only; /* ... and, when the speaker has route maps, the one remote speaker */
    GArray *chg;           /* scratch of one flush: the changes of the group's value (GroupChg), in
                              batch order; NULL between flushes */
};

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
static inline const ArAttrs *group_value(const ArUpdGroup *g, const ArPeer *peer, uint32_t id)
{
    const ArAttrs *gv = idmap_get(&g->out, id);
    return gv && src_get(g, id) == peer->index ? NULL : gv;
}

static void group_free(gpointer p)
{
    ArUpdGroup *g = p;
    idmap_clear(&g->out);
    src_clear(g);
    g_ptr_array_free(g->members, TRUE);
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
    const ArAttrs *before; /* what the member was sent before */
    const ArAttrs *now;    /* what it is sent now */
} MemberDev;

/* An override that says "nothing was sent" (the group's value is something). Never dereferenced. */
static const ArAttrs out_none_tag;
#define OUT_NONE (&out_none_tag)

static inline const ArAttrs *ov_box(const ArAttrs *a) { return a ? a : OUT_NONE; }
static inline const ArAttrs *ov_unbox(const ArAttrs *a) { return a == OUT_NONE ? NULL : a; }

guint bgp_out_size(const ArPeer *peer)
{
    /* Attached: out_len is the difference from the group's size, that of its overrides. */
    return (guint)(peer->attached ? (int64_t)idmap_size(&peer->group->out) + peer->out_len : peer->out_len);
}

/* What peer was last sent for id. O(1). */
static const ArAttrs *out_get(const ArPeer *peer, uint32_t id)
{
    const ArAttrs *v = idmap_get(&peer->out, id);
    if (!peer->attached)
        return v;
    return v ? ov_unbox(v) : group_value(peer->group, peer, id);
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

/* Export of route r (the best for id) to peer: nothing back to the peer it came from (split
 * horizon, every policy's first rule), else the policy's. */
static inline const ArAttrs *export_to(ArSpeaker *sp, ArPeer *peer, uint32_t id, const ArRoute *r)
{
    if (r->peer == peer->index)
        return NULL;
    const char *why = NULL;
    return sp->policy->export(sp, peer, pfxtab_key(&sp->sim->pfx, id), r, &why);
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
    const ArAttrs *v = out_get(c->peer, id);
    if (v)
        idmap_set(&c->full, id, (gpointer)v);
}

/* Takes peer out of its group; keep: write its Adj-RIB-Out out in full (else it is emptied, as at
 * a session down). O(table) with keep, O(1) without. */
static void group_detach(ArPeer *peer, bool keep)
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
    const ArAttrs *own = idmap_get(&peer->out, id), *gv = group_value(peer->group, peer, id);
    if (own == gv) {
        if (own)
            idmap_set(&peer->out, id, NULL);
    } else if (!own) {
        idmap_set(&peer->out, id, (gpointer)OUT_NONE);
    }
}

/* Puts a detached, Established peer in its group: what it was sent becomes overrides of the
 * group's value where they differ (or the group's value, when it has no other member).
 * O(table). */
static void group_attach(ArSpeaker *sp, ArPeer *peer)
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

/* ---- sending ------------------------------------------------------------------------------- */

/* A message on session s to end `to` with room for nwd withdrawn then nann announced prefix ids
 * (filled by the caller). One allocation. */
static ArMsg *msg_new(ArSession *s, uint8_t to, const ArAttrs *a, uint32_t nwd, uint32_t nann)
{
    ArMsg *m = g_malloc(sizeof(ArMsg) + (nwd + nann) * sizeof(uint32_t));
    evq_event_init(&m->ev, on_deliver);
    m->session = s;
    m->to = to;
    m->epoch = s->epoch;
    m->attrs = a;
    m->n_withdraw = nwd;
    m->n_announce = nann;
    return m;
}

/* Queues a message; at: its delivery time, 0 to draw one (link delay and jitter). Returns it. */
static ArTime send_msg(ArSim *sim, ArSession *s, uint8_t to, const ArAttrs *a, const uint32_t *wd, uint32_t nwd,
                       const uint32_t *ann, uint32_t nann, ArTime at)
{
    ArMsg *m = msg_new(s, to, a, nwd, nann);
    if (nwd)
        memcpy(m->ids, wd, nwd * sizeof(uint32_t));
    if (nann)
        memcpy(m->ids + nwd, ann, nann * sizeof(uint32_t));
    /* Messages on one session never overtake each other, whatever the delays. */
    ArTime t = at ? at : sim->now + sim->cfg.link_delay;
    if (sim->rng && !at)
        t += (ArTime)g_rand_int_range(sim->rng, 0, (gint32)MIN(sim->cfg.jitter, (ArTime)G_MAXINT32 - 1) + 1);
    if (t < s->last_delivery[to])
        t = s->last_delivery[to];
    s->last_delivery[to] = t;
    evq_push(&sim->q, &m->ev, t);
    sim->pending++;
    return t;
}

/* One batch (withdrawals when a is NULL, else one attribute set) as as many UPDATEs of at most
 * 4,096 bytes as it needs (msgsize.c), written back to back: they arrive together, in order. */
static void send_batch(ArSim *sim, ArSession *s, uint8_t to, const ArAttrs *a, const uint32_t *ids, uint32_t n)
{
    ArTime at = 0;
    for (uint32_t k; n; ids += k, n -= k) {
        k = msgsize_fit(&sim->pfx, a, s->ibgp, ids, n);
        at = send_msg(sim, s, to, a, a ? NULL : ids, a ? 0 : k, a ? ids : NULL, a ? k : 0, at);
    }
}

/* Sends peer the changes (ids[i], now[i]), i < n (now NULL: a withdrawal): the withdrawals, then
 * each distinct attribute set in order of first appearance, each a batch (send_batch) listing its
 * prefixes in the given order. O(n), one hash per change of attribute set past the first 8. */
static bool send_changes(ArSim *sim, ArPeer *peer, const uint32_t *ids, const ArAttrs *const *now, guint n)
{
    if (!n)
        return false;
    g_autofree uint32_t *slot = g_new(uint32_t, n);
    g_autoptr(GPtrArray) uniq = g_ptr_array_new();  /* distinct sets, first-seen order */
    g_autoptr(GHashTable) index = NULL;             /* set -> slot + 1, past 8 distinct sets */
    guint nwd = 0;
    const ArAttrs *last = NULL;
    uint32_t last_slot = 0;
    for (guint i = 0; i < n; i++) {
        const ArAttrs *a = now[i];
        if (!a) {
            slot[i] = UINT32_MAX;
            nwd++;
            continue;
        }
        if (a != last) {
            guint s = uniq->len;
            if (index) {
                s = GPOINTER_TO_UINT(g_hash_table_lookup(index, a));
                s = s ? s - 1 : uniq->len;
            } else {
                for (guint k = 0; k < uniq->len; k++)
                    if (g_ptr_array_index(uniq, k) == a) {
                        s = k;
                        break;
                    }
            }
            if (s == uniq->len) {
                g_ptr_array_add(uniq, (gpointer)a);
                if (index) {
                    g_hash_table_insert(index, (gpointer)a, GUINT_TO_POINTER(s + 1));
                } else if (uniq->len > 8) {
                    index = g_hash_table_new(g_direct_hash, g_direct_equal);
                    for (guint k = 0; k < uniq->len; k++)
                        g_hash_table_insert(index, g_ptr_array_index(uniq, k), GUINT_TO_POINTER(k + 1));
                }
            }
            last = a;
            last_slot = s;
        }
        slot[i] = last_slot;
    }
    /* Counting sort by slot, stable: withdrawals first, then each set's prefixes. */
    g_autofree uint32_t *start = g_new0(uint32_t, uniq->len + 1);
    for (guint i = 0; i < n; i++)
        if (slot[i] != UINT32_MAX)
            start[slot[i] + 1]++;
    start[0] = nwd;
    for (guint k = 1; k <= uniq->len; k++)
        start[k] += start[k - 1];
    g_autofree uint32_t *sorted = g_new(uint32_t, n);
    guint w = 0;
    for (guint i = 0; i < n; i++) {
        if (slot[i] == UINT32_MAX)
            sorted[w++] = ids[i];
        else
            sorted[start[slot[i]]++] = ids[i];
    }
    ArSession *s = peer->session;
    uint8_t to = (uint8_t)(1 - peer->side);
    if (nwd)
        send_batch(sim, s, to, NULL, sorted, nwd);
    for (guint k = 0, from = nwd; k < uniq->len; k++) {
        /* after the scatter, start[k] is the end of slot k */
        send_batch(sim, s, to, g_ptr_array_index(uniq, k), sorted + from, start[k] - from);
        from = start[k];
    }
    return true;
}

/* Brings a detached peer's Adj-RIB-Out up to date for the given prefix ids and sends the
 * difference (send_changes). O(ids) array accesses. best, when not NULL, holds each id's best
 * route (NULL for none), looked up once by the caller for all peers; otherwise the ids are looked
 * up here. */
static bool peer_sync(ArSpeaker *sp, ArPeer *peer, const uint32_t *ids, ArRoute *const *best, guint nids)
{
    g_assert(!peer->attached);
    ArSim *sim = sp->sim;
    g_autofree uint32_t *cid = g_new(uint32_t, MAX(nids, 1));
    g_autofree const ArAttrs **cnow = g_new(const ArAttrs *, MAX(nids, 1));
    guint n = 0;
    for (guint i = 0; i < nids; i++) {
        uint32_t id = ids[i];
        if (i + 8 < nids)
            idmap_prefetch(&peer->out, ids[i + 8]);
        ArRoute *b;
        if (best) {
            b = best[i];
        } else {
            if (i + 8 < nids)
                rib_prefetch(&sp->rib, ids[i + 8]);
            ArRibNet *net = rib_net(&sp->rib, id);
            b = net ? net->best : NULL;
        }
        const ArAttrs *now = b ? export_to(sp, peer, id, b) : NULL;
        const ArAttrs *before = idmap_get(&peer->out, id);
        if (now == before)
            continue;
        idmap_set(&peer->out, id, (gpointer)now);
        peer->out_len += (now != NULL) - (before != NULL);
        cid[n] = id;
        cnow[n++] = now;
    }
    return send_changes(sim, peer, cid, cnow, n);
}

/* A flush's export for the attached members of group g: each id's value computed once (with the
 * first member the route is not related to) and once more per related member; the group's value
 * and the members' overrides updated; the group's changes in g->chg, each member's differences in
 * its dev. Sends nothing (group_send does, in peer order). O(ids x members) array accesses,
 * O(ids + related) exports. */
static void group_sync(ArSpeaker *sp, ArUpdGroup *g, const uint32_t *ids, ArRoute *const *best, guint nids)
{
    guint k = g->members->len;
    ArPeer **mem = (ArPeer **)g->members->pdata;
    g_autofree const ArAttrs **now = g_new(const ArAttrs *, k);
    g_autofree guint *ndev = g_new0(guint, k);
    /* Room for a change at every id: the loop below writes without growing. The members'
     * differences are few (their own routes): their lists grow by doubling. All are freed once
     * the flush has sent them. */
    g_assert(!g->chg);
    g->chg = g_array_sized_new(FALSE, FALSE, sizeof(GroupChg), nids);
    GroupChg *chg = (GroupChg *)(void *)g->chg->data;
    guint nchg = 0;
    for (guint m = 0; m < k; m++)
        mem[m]->dev = g_array_sized_new(FALSE, FALSE, sizeof(MemberDev), 16);
    for (guint i = 0; i < nids; i++) {
        uint32_t id = ids[i];
        if (i + 8 < nids)
            idmap_prefetch(&g->out, ids[i + 8]);
        const ArRoute *b = best[i];
        const ArAttrs *gb = idmap_get(&g->out, id), *gn = NULL;
        uint16_t sb = src_get(g, id), sn = b ? b->peer : PEER_LOCAL;
        if (b) {
            bool have = false;
            for (guint m = 0; m < k; m++) {
                if (route_related(sp, b, mem[m])) {
                    now[m] = export_to(sp, mem[m], id, b);
                } else {
                    if (!have) {
                        gn = export_to(sp, mem[m], id, b);
                        have = true;
                    }
                    now[m] = gn;
                }
            }
            if (!have)
                gn = now[0]; /* every member related: any value serves as the reference */
        } else {
            for (guint m = 0; m < k; m++)
                now[m] = NULL;
        }
        for (guint m = 0; m < k; m++) {
            ArPeer *p = mem[m];
            const ArAttrs *ov = idmap_get(&p->out, id);
            if (!ov && now[m] == gn && p->index != sb && p->index != sn)
                continue; /* follows the group, before and now */
            const ArAttrs *before = ov ? ov_unbox(ov) : gb && sb == p->index ? NULL : gb;
            const ArAttrs *dflt = gn && sn == p->index ? NULL : gn; /* its value without an override */
            if (before != gb || now[m] != gn) {
                if (ndev[m] == p->dev->len)
                    g_array_set_size(p->dev, MAX(16u, 2 * ndev[m]));
                g_array_index(p->dev, MemberDev, ndev[m]++) = (MemberDev){ i, before, now[m] };
            }
            if (ov || now[m] != dflt)
                idmap_set(&p->out, id, now[m] == dflt ? NULL : (gpointer)ov_box(now[m]));
            /* out_len of a member: its size less the group's. */
            p->out_len += ((now[m] != NULL) - (gn != NULL)) - ((before != NULL) - (gb != NULL));
        }
        if (gn != gb) {
            chg[nchg++] = (GroupChg){ i, gn };
            idmap_set(&g->out, id, (gpointer)gn);
        }
        if (sn != sb)
            src_set(g, id, sn);
    }
    g_array_set_size(g->chg, nchg);
    for (guint m = 0; m < k; m++)
        g_array_set_size(mem[m]->dev, ndev[m]);
}

/* Sends an attached member what group_sync found for it: the group's changes, except where it
 * differs. O(changes + its differences). */
static bool group_send(ArSpeaker *sp, ArPeer *peer, const uint32_t *ids)
{
    const ArUpdGroup *g = peer->group;
    const GroupChg *gc = (const GroupChg *)(const void *)g->chg->data;
    const MemberDev *dv = (const MemberDev *)(const void *)peer->dev->data;
    guint ng = g->chg->len, nd = peer->dev->len;
    g_autofree uint32_t *cid = g_new(uint32_t, MAX(ng + nd, 1));
    g_autofree const ArAttrs **cnow = g_new(const ArAttrs *, MAX(ng + nd, 1));
    guint n = 0;
    for (guint a = 0, d = 0; a < ng || d < nd;) {
        if (d < nd && (a >= ng || dv[d].i <= gc[a].i)) {
            if (dv[d].before != dv[d].now) {
                cid[n] = ids[dv[d].i];
                cnow[n++] = dv[d].now;
            }
            if (a < ng && gc[a].i == dv[d].i)
                a++;
            d++;
        } else {
            cid[n] = ids[gc[a].i];
            cnow[n++] = gc[a].now;
            a++;
        }
    }
    g_array_free(peer->dev, TRUE);
    peer->dev = NULL;
    return send_changes(sp->sim, peer, cid, cnow, n);
}

/* The speaker's MinRouteAdvertisementInterval: its own setting, else the run's. */
static inline ArTime speaker_mrai(const ArSpeaker *sp)
{
    return sp->mrai == AR_TIME_NEVER ? sp->sim->cfg.mrai : sp->mrai;
}

/* MRAI (RFC 4271 9.2.1.1): when the interval since the last UPDATE to this peer has not passed,
 * the prefixes wait in the peer's held set until it has. Otherwise they go now. */
static void peer_send(ArSpeaker *sp, ArPeer *peer, const uint32_t *ids, ArRoute *const *best, guint nids)
{
    ArSim *sim = sp->sim;
    ArTime mrai = speaker_mrai(sp);
    if (mrai && sim->now < peer->next_send) {
        if (!peer->held) {
            peer->held = g_array_new(FALSE, FALSE, sizeof(uint32_t));
            peer->held_set = g_hash_table_new(g_direct_hash, g_direct_equal);
        }
        for (guint i = 0; i < nids; i++)
            if (g_hash_table_add(peer->held_set, GSIZE_TO_POINTER((gsize)ids[i] + 1)))
                g_array_append_val(peer->held, ids[i]);
        if (!evq_scheduled(&peer->mrai_ev)) {
            evq_push(&sim->q, &peer->mrai_ev, peer->next_send);
            sim->pending++;
        }
        return;
    }
    if (peer_sync(sp, peer, ids, best, nids) && mrai)
        peer->next_send = sim->now + mrai;
}

static void peer_drop_held(ArSim *sim, ArPeer *peer)
{
    if (evq_scheduled(&peer->mrai_ev)) {
        evq_cancel(&sim->q, &peer->mrai_ev);
        sim->pending--;
    }
    if (peer->held) {
        g_array_set_size(peer->held, 0);
        g_hash_table_remove_all(peer->held_set);
    }
    peer->next_send = 0;
}

static void on_mrai(ArEvent *ev, void *ctx)
{
    ArSim *sim = ctx;
    ArPeer *peer = CONTAINER_OF(ev, ArPeer, mrai_ev);
    sim->pending--;
    ArSpeaker *sp = peer->session->sp[peer->side];
    g_autoptr(GArray) ids = peer->held;
    peer->held = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_hash_table_remove_all(peer->held_set);
    if (sp->down || peer->session->state != SESS_ESTABLISHED)
        return;
    if (peer_sync(sp, peer, (uint32_t *)(void *)ids->data, NULL, ids->len))
        peer->next_send = sim->now + speaker_mrai(sp);
}

static void on_flush(ArEvent *ev, void *ctx)
{
    ArSim *sim = ctx;
    ArSpeaker *sp = CONTAINER_OF(ev, ArSpeaker, flush_ev);
    sim->pending--;
    sim->stats.last_change = sim->now;
    /* Take the dirty list: exports below never dirty this speaker again. */
    g_autoptr(GArray) ids = sp->dirty;
    sp->dirty = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    const uint32_t *kv = (const uint32_t *)(const void *)ids->data;
    guint nk = ids->len;
    for (guint i = 0; i < nk; i++)
        rib_unmark(&sp->rib, kv[i]);
    if (sp->down)
        return;
    if (sim->trace)
        sim->trace(sim->trace_user, &(ArTraceRec){ .kind = TR_FLUSH, .time = sim->now, .from = sp });
    /* Each id's best route, looked up once for all peers (exports never change this RIB). */
    g_autofree ArRoute **best = g_new(ArRoute *, MAX(nk, 1));
    for (guint i = 0; i < nk; i++) {
        if (i + 8 < nk)
            rib_prefetch(&sp->rib, kv[i + 8]);
        ArRibNet *n = rib_net(&sp->rib, kv[i]);
        best[i] = n ? n->best : NULL;
    }
    /* Update groups compute first; then every peer is sent its UPDATEs in peer order. With an
     * MRAI, peers are held apart from each other: the groups are left. */
    bool mrai = speaker_mrai(sp) != 0;
    for (guint i = 0; i < sp->groups->len; i++) {
        ArUpdGroup *g = g_ptr_array_index(sp->groups, i);
        while (mrai && g->members->len)
            group_detach(g_ptr_array_index(g->members, 0), true);
        if (g->members->len)
            group_sync(sp, g, kv, best, nk);
    }
    for (guint i = 0; i < sp->peers->len; i++) {
        ArPeer *peer = bgp_peer(sp, (uint16_t)i);
        if (peer->attached)
            group_send(sp, peer, kv);
        else if (peer->session->state == SESS_ESTABLISHED)
            peer_send(sp, peer, kv, best, nk);
    }
    for (guint i = 0; i < sp->groups->len; i++) {
        ArUpdGroup *g = g_ptr_array_index(sp->groups, i);
        if (g->chg)
            g_array_free(g->chg, TRUE);
        g->chg = NULL;
    }
}

void bgp_log(ArSim *sim, ArTraceKind kind, const ArSpeaker *a, const ArSpeaker *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ArLogEntry e = { sim->now, kind, g_strdup_vprintf(fmt, ap) };
    va_end(ap);
    g_array_append_val(sim->log, e);
    if (sim->trace)
        sim->trace(sim->trace_user, &(ArTraceRec){ .kind = kind, .time = sim->now, .from = a, .to = b, .text = e.text });
}

/* ---- sessions ------------------------------------------------------------------------------ */

void bgp_session_up_at(ArSim *sim, ArSession *s, ArTime t)
{
    if (evq_scheduled(&s->up_ev))
        return;
    evq_push(&sim->q, &s->up_ev, t);
    sim->pending++;
}

static void on_session_up(ArEvent *ev, void *ctx)
{
    ArSim *sim = ctx;
    ArSession *s = CONTAINER_OF(ev, ArSession, up_ev);
    sim->pending--;
    if (s->state == SESS_ESTABLISHED || s->admin_down || s->sp[0]->down || s->sp[1]->down)
        return;
    s->state = SESS_ESTABLISHED;
    s->up_at = sim->now;
    s->retry = false;
    sim->stats.last_change = sim->now;
    bgp_log(sim, TR_SESSION_UP, s->sp[0], s->sp[1], "session %s - %s established (%s)", s->sp[0]->name, s->sp[1]->name,
            s->ibgp ? "iBGP" : "eBGP");
    /* Each side sends its whole Loc-RIB, in prefix order. O(n log n). */
    for (int side = 0; side < 2; side++) {
        ArSpeaker *sp = s->sp[side];
        ArPeer *peer = bgp_peer(sp, s->peer[side]);
        g_assert(!peer->attached);
        idmap_clear(&peer->out);
        peer->out_len = 0;
        peer_drop_held(sim, peer);
        g_autoptr(GArray) ids = rib_sorted_ids(&sp->rib);
        if (peer_sync(sp, peer, (uint32_t *)(void *)ids->data, NULL, ids->len) && speaker_mrai(sp))
            peer->next_send = sim->now + speaker_mrai(sp);
        if (!speaker_mrai(sp))
            group_attach(sp, peer);
    }
}

/* Drops every path sp learned from peer, in prefix order. O(n log n) in sp's table. */
static void peer_flush_routes(ArSpeaker *sp, ArPeer *peer)
{
    g_autoptr(GArray) ids = rib_sorted_ids(&sp->rib);
    for (guint i = 0; i < ids->len && peer->routes_in; i++)
        rib_update(sp, g_array_index(ids, uint32_t, i), peer->index, NULL, 0);
    g_assert(peer->routes_in == 0);
    group_detach(peer, false);
    idmap_clear(&peer->out);
    peer->out_len = 0;
}

void bgp_session_down(ArSim *sim, ArSession *s, const char *reason)
{
    if (evq_scheduled(&s->up_ev)) {
        evq_cancel(&sim->q, &s->up_ev);
        sim->pending--;
    }
    if (evq_scheduled(&s->down_ev)) {
        evq_cancel(&sim->q, &s->down_ev);
        sim->pending--;
    }
    g_free(s->down_reason);
    s->down_reason = g_strdup(reason);
    if (s->state == SESS_ESTABLISHED) {
        s->state = SESS_IDLE;
        s->epoch++; /* messages already in flight are now stale */
        s->flaps++;
        sim->stats.last_change = sim->now;
        bgp_log(sim, TR_SESSION_DOWN, s->sp[0], s->sp[1], "session %s - %s down: %s", s->sp[0]->name, s->sp[1]->name,
                reason);
        for (int side = 0; side < 2; side++) {
            ArPeer *peer = bgp_peer(s->sp[side], s->peer[side]);
            peer_drop_held(sim, peer);
            peer_flush_routes(s->sp[side], peer);
        }
    }
    if (s->retry && !s->admin_down)
        bgp_session_up_at(sim, s, sim->now + sim->cfg.retry_after_limit);
}

static void on_session_down(ArEvent *ev, void *ctx)
{
    ArSim *sim = ctx;
    ArSession *s = CONTAINER_OF(ev, ArSession, down_ev);
    sim->pending--;
    g_autofree char *why = s->pending_reason;
    s->pending_reason = NULL;
    bgp_session_down(sim, s, why ? why : "reset");
}

void bgp_session_down_after(ArSim *sim, ArSession *s, ArTime delay, const char *reason)
{
    if (s->state != SESS_ESTABLISHED || evq_scheduled(&s->down_ev))
        return;
    g_free(s->pending_reason);
    s->pending_reason = g_strdup(reason);
    evq_push(&sim->q, &s->down_ev, sim->now + delay);
    sim->pending++;
}

/* Time since the last KEEPALIVE a silent peer sent on s, at now. The KEEPALIVE that confirms the
 * OPEN arrives at up_at; then one every hold/3 (RFC 4271 4.4, 10; Azure: 60 s of 180 s, FAQ), the
 * first after a phase in [0, hold/3) drawn from the run's seed and the session's ends, so that each
 * session's schedule is its own and a run repeats exactly. In [0, hold/3). O(name length). */
static ArTime since_keepalive(const ArSim *sim, const ArSession *s, ArTime hold)
{
    ArTime ka = hold / 3;
    if (!ka)
        return 0;
    guint64 h = (guint64)sim->cfg.seed * 0x9E3779B97F4A7C15ull ^ g_str_hash(s->sp[0]->name) ^
                (guint64)g_str_hash(s->sp[1]->name) << 32;
    h ^= h >> 31; /* splitmix64's finaliser: the seed's bits reach every bit of the phase */
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    ArTime phase = (ArTime)(h % ka);
    ArTime up = sim->now - s->up_at;
    return up < phase ? up : (up - phase) % ka;
}

/* Tears the session down as its failure is noticed: over the wire (graceful: one link delay for
 * the NOTIFICATION) or when the hold timer expires (silent; never when the hold time is 0): hold
 * after the last KEEPALIVE received, so between hold - hold/3 and hold after the failure. */
static void notice_failure(ArSim *sim, ArSession *s, bool graceful, const char *why)
{
    if (evq_scheduled(&s->up_ev)) {
        evq_cancel(&sim->q, &s->up_ev);
        sim->pending--;
    }
    if (graceful) {
        g_autofree char *r = g_strdup_printf("%s (NOTIFICATION Cease)", why);
        bgp_session_down_after(sim, s, sim->cfg.link_delay, r);
    } else {
        /* The session's hold time is the smaller of the two ends' (RFC 4271 4.2); 0 at either end
         * means no hold timer, and the failure is never noticed. */
        ArTime h0 = s->sp[0]->hold_time == AR_TIME_NEVER ? sim->cfg.hold_time : s->sp[0]->hold_time;
        ArTime h1 = s->sp[1]->hold_time == AR_TIME_NEVER ? sim->cfg.hold_time : s->sp[1]->hold_time;
        ArTime hold = h0 && h1 ? MIN(h0, h1) : 0;
        if (hold) {
            ArTime since = since_keepalive(sim, s, hold);
            g_autofree char *r = g_strdup_printf("hold timer expired (%s; its last keepalive came %.3f s before the failure, "
                                                 "none for %.0f s)", why, (double)since / AR_SEC,
                                                 (double)hold / AR_SEC);
            bgp_session_down_after(sim, s, hold - since, r);
        }
    }
}

/* A session whose end restarts before its failure was noticed is reset, then set up again. */
static void restart_session(ArSim *sim, ArSession *s, const char *why)
{
    if (s->state == SESS_ESTABLISHED)
        bgp_session_down(sim, s, why);
    if (!s->admin_down && !s->sp[0]->down && !s->sp[1]->down)
        bgp_session_up_at(sim, s, sim->now + sim->cfg.session_setup);
}

void bgp_session_fail(ArSim *sim, ArSession *s, bool graceful, const char *why)
{
    s->admin_down = true;
    notice_failure(sim, s, graceful, why);
}

void bgp_session_restore(ArSim *sim, ArSession *s)
{
    if (!s->admin_down)
        return;
    s->admin_down = false;
    restart_session(sim, s, "session restored: old session reset");
}

void bgp_node_fail(ArSim *sim, ArSpeaker *sp, bool graceful, const char *why)
{
    if (sp->down)
        return;
    sp->down = true;
    bgp_log(sim, TR_NODE, sp, NULL, "%s %s", sp->name, why);
    for (guint i = 0; i < sp->peers->len; i++) {
        g_autofree char *r = g_strdup_printf("%s %s", sp->name, why);
        notice_failure(sim, bgp_peer(sp, (uint16_t)i)->session, graceful, r);
    }
}

void bgp_node_restore(ArSim *sim, ArSpeaker *sp)
{
    if (!sp->down)
        return;
    sp->down = false;
    bgp_log(sim, TR_NODE, sp, NULL, "%s restored", sp->name);
    for (guint i = 0; i < sp->peers->len; i++) {
        g_autofree char *r = g_strdup_printf("%s restarted: old session reset", sp->name);
        restart_session(sim, bgp_peer(sp, (uint16_t)i)->session, r);
    }
}

void bgp_withdraw_local(ArSpeaker *sp, ArPrefix p)
{
    uint32_t id = pfxtab_find(&sp->sim->pfx, pfx_key(p));
    if (id != PFX_NONE)
        rib_update(sp, id, PEER_LOCAL, NULL, 0);
}

void bgp_refresh(ArSpeaker *sp)
{
    g_autoptr(GArray) ids = rib_sorted_ids(&sp->rib);
    for (guint i = 0; i < ids->len; i++) {
        uint32_t id = g_array_index(ids, uint32_t, i);
        ArRibNet *n = rib_net(&sp->rib, id);
        n->best = dp_best(sp, n);
        mark_dirty(sp, id); /* exports are compared with Adj-RIB-Out: only changes go out */
    }
}

/* ---- receiving ----------------------------------------------------------------------------- */

static void on_deliver(ArEvent *ev, void *ctx)
{
    ArSim *sim = ctx;
    ArMsg *m = CONTAINER_OF(ev, ArMsg, ev);
    ArSession *s = m->session;
    sim->pending--;
    ArSpeaker *sp = s->sp[m->to];
    if (m->epoch != s->epoch || s->state != SESS_ESTABLISHED || s->admin_down || sp->down) {
        if (sim->trace)
            sim->trace(sim->trace_user, &(ArTraceRec){ .kind = TR_DROPPED, .time = sim->now, .from = s->sp[1 - m->to],
                                                       .to = sp, .n_withdrawn = m->n_withdraw, .n_announced = m->n_announce });
        g_free(m);
        return;
    }
    ArPeer *peer = bgp_peer(sp, s->peer[m->to]);
    if (sim->trace) {
        /* The trace speaks prefix keys; only a traced run pays for the translation. */
        uint32_t nk = m->n_withdraw + m->n_announce;
        g_autofree uint64_t *keys = g_new(uint64_t, MAX(nk, 1));
        for (uint32_t i = 0; i < nk; i++)
            keys[i] = pfxtab_key(&sim->pfx, m->ids[i]);
        sim->trace(sim->trace_user, &(ArTraceRec){ .kind = TR_UPDATE, .time = sim->now, .from = s->sp[1 - m->to], .to = sp,
                                                   .attrs = m->attrs, .withdrawn = keys, .n_withdrawn = m->n_withdraw,
                                                   .announced = keys + m->n_withdraw, .n_announced = m->n_announce });
    }
    sim->stats.updates++;
    sim->stats.announced += m->n_announce;
    sim->stats.withdrawn += m->n_withdraw;
    sim->stats.last_change = sim->now;

    /* Attribute-level import first: an UPDATE its loop prevention drops as a whole (an NVA
     * handing one Route Server instance's routes to the other, 65515 in the path) brings
     * nothing to count. */
    const char *why = NULL;
    const ArAttrs *a = NULL;
    if (m->n_announce)
        a = sp->policy->import ? sp->policy->import(sp, peer, m->attrs, &why) : m->attrs;
    uint32_t counted = a ? m->n_announce : 0;
    /* Route limit: what is learned already plus what this UPDATE brings (LIM, FAQ). */
    if (peer->route_limit && (uint64_t)peer->routes_in + counted > peer->route_limit) {
        g_autofree char *reason = g_strdup_printf("route limit exceeded: %u learned + %u in one UPDATE > %u",
                                                  peer->routes_in, counted, peer->route_limit);
        g_free(m);
        s->retry = true; /* comes back after the idle time, and may flap */
        bgp_session_down(sim, s, reason);
        return;
    }
    /* Prefetching the net 8 ids ahead hides most of each access's cache miss. */
    uint32_t nids = m->n_withdraw + m->n_announce;
    for (uint32_t i = 0; i < m->n_withdraw; i++) {
        if (i + 8 < nids)
            rib_prefetch(&sp->rib, m->ids[i + 8]);
        rib_update(sp, m->ids[i], peer->index, NULL, 0);
    }
    if (m->n_announce) {
        for (uint32_t i = 0; i < m->n_announce; i++) {
            if (m->n_withdraw + i + 8 < nids)
                rib_prefetch(&sp->rib, m->ids[m->n_withdraw + i + 8]);
            uint32_t id = m->ids[m->n_withdraw + i];
            uint64_t key = pfxtab_key(&sim->pfx, id);
            bool ok = a && (!sp->policy->accept || sp->policy->accept(sp, peer, pfx_from_key(key), &why));
            const ArAttrs *pa = a;
            if (ok && sp->policy->import_prefix)
                ok = (pa = sp->policy->import_prefix(sp, peer, key, a, &why)) != NULL;
            if (!ok)
                sp->rejected++;
            /* A rejected announcement withdraws what the peer sent before (RFC 4271 9.1.1). */
            rib_update(sp, id, peer->index, ok ? pa : NULL, 0);
        }
    }
    g_free(m);
}

ArRunEnd bgp_run(ArSim *sim, ArTime until)
{
    ArEvent *ev;
    while ((ev = evq_peek(&sim->q)) != NULL) {
        if (ev->time > until)
            return RUN_UNTIL;
        if (sim->stats.events >= sim->cfg.max_events ||
            sim->stats.announced + sim->stats.withdrawn >= sim->cfg.max_prefixes)
            return RUN_EVENT_CAP;
        evq_pop(&sim->q);
        g_assert(ev->time >= sim->now);
        sim->now = ev->time;
        sim->stats.events++;
        ev->fn(ev, sim);
    }
    return RUN_CONVERGED;
}

/* ---- live mode ----------------------------------------------------------------------------- */

void bgp_deliver_now(ArSim *sim, ArSession *s, uint8_t to, const ArAttrs *a, const uint64_t *withdrawn,
                     uint32_t n_withdrawn, const uint64_t *announced, uint32_t n_announced)
{
    g_assert(to < 2 && (a || n_announced == 0));
    ArMsg *m = msg_new(s, to, a, n_withdrawn, n_announced);
    for (uint32_t i = 0; i < n_withdrawn; i++)
        m->ids[i] = pfxtab_intern(&sim->pfx, withdrawn[i]);
    for (uint32_t i = 0; i < n_announced; i++)
        m->ids[n_withdrawn + i] = pfxtab_intern(&sim->pfx, announced[i]);
    m->ev.time = sim->now;
    sim->pending++; /* on_deliver counts it done */
    sim->stats.events++;
    on_deliver(&m->ev, sim);
}

void bgp_session_set_live(ArSim *sim, ArSession *s, bool up, const char *why)
{
    if (!up) {
        s->admin_down = true;
        bgp_session_down(sim, s, why);
        return;
    }
    s->admin_down = false;
    if (evq_scheduled(&s->up_ev)) { /* a route-limit retry: the real session decides */
        evq_cancel(&sim->q, &s->up_ev);
        sim->pending--;
    }
    bgp_session_up_at(sim, s, sim->now);
}

void bgp_advance(ArSim *sim, ArTime t)
{
    const ArEvent *next = evq_peek(&sim->q);
    g_assert(t >= sim->now && (!next || next->time >= t));
    sim->now = t;
}

const ArAttrs *bgp_import_standard(ArSpeaker *sp, ArPeer *from, const ArAttrs *in, const char **why)
{
    if (!from->session->ibgp && attr_path_contains(in->path, sp->asn)) {
        *why = "AS-path loop: own ASN in the path (RFC 4271 9.1.2)";
        return NULL;
    }
    if (in->weight == from->import_weight)
        return in;
    ArAttrs c = *in;
    c.weight = from->import_weight;
    return attr_intern(sp->sim->attrs, &c);
}
