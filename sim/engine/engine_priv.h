/* engine_priv.h - what the engine's files share: the UPDATE in flight, update groups, and the steps
 * of receiving (receive.c), sending (send.c), grouping (updgroup.c) and sessions (session.c). */
#ifndef ARSIM_ENGINE_PRIV_H
#define ARSIM_ENGINE_PRIV_H

#include "arsim/bgp.h"
#include "arsim/decision.h"

#include <stddef.h>
#include <string.h>

#define CONTAINER_OF(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

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

/* One message of a plan: attrs (NULL: withdrawals) and its prefixes, plan ids [from, from + n). */
typedef struct TxPlanMsg {
    const ArAttrs *attrs;  /* the message's attribute set, NULL for withdrawals */
    uint32_t from;         /* its first prefix in TxPlan.ids */
    uint32_t n;            /* its prefix count */
    bool first;            /* first message of its batch (one delivery time per batch) */
} TxPlanMsg;
/* A list of changes as UPDATE messages, ready to send to any peer whose session has the same
 * iBGP/eBGP kind (the split depends on it): update-group members with no difference of their own
 * share one (ug_send), so the sort and the split are done once per group, not per member. */
typedef struct TxPlan {
    uint32_t *ids;         /* the prefix ids, withdrawals first, then grouped by attribute set */
    GArray *msgs;          /* TxPlanMsg, in sending order */
    bool ibgp;             /* the session kind the split was made for */
} TxPlan;

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
    ArIdMap out;           /* prefix id -> ArAttrs.id: what an attached member without an override
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
    TxPlan plan;           /* scratch of one flush: chg as messages, built by the first member with no
                              difference of its own and sent to every such member; msgs NULL until then */
};

/* Event handlers, set on the events by the constructors (bgp.c). */
G_GNUC_INTERNAL void rx_on_deliver(ArEvent *ev, void *ctx);   /* receive.c: an UPDATE arrives */
G_GNUC_INTERNAL void tx_on_flush(ArEvent *ev, void *ctx);     /* send.c: a speaker sends its changes */
G_GNUC_INTERNAL void tx_on_mrai(ArEvent *ev, void *ctx);      /* send.c: a peer's MRAI expires */
G_GNUC_INTERNAL void sess_on_up(ArEvent *ev, void *ctx);      /* session.c: a session comes up */
G_GNUC_INTERNAL void sess_on_down(ArEvent *ev, void *ctx);    /* session.c: a scheduled teardown */

/* ---- receive.c ---- */
/* Sets (a != NULL) or removes the path from peer for prefix id, reruns the decision process
 * (through memo, the batch's last decision, when not NULL) and marks the prefix dirty when the
 * best path changed. O(paths x rules), O(paths) on a memo hit. */
G_GNUC_INTERNAL void rx_rib_update(ArSpeaker *sp, uint32_t id, uint16_t peer, const ArAttrs *a, uint16_t flags,
                                   ArDpMemo *memo);
/* Hands back a flushed dirty list of room cap: kept as the run's spare when it is the biggest,
 * else freed. */
G_GNUC_INTERNAL void rx_dirty_release(ArSim *sim, uint32_t *ids, guint cap);

/* ---- send.c ---- */
/* A message on session s to end `to` with room for nwd withdrawn then nann announced prefix ids
 * (filled by the caller). One allocation. */
G_GNUC_INTERNAL ArMsg *tx_msg_new(ArSession *s, uint8_t to, const ArAttrs *a, uint32_t nwd, uint32_t nann);
/* Sends peer the changes (ids[i], now[i]), i < n (now NULL: a withdrawal), grouped by attribute
 * set. FALSE when n is 0 (nothing sent). */
G_GNUC_INTERNAL bool tx_send_changes(ArSim *sim, ArPeer *peer, const uint32_t *ids, const ArAttrs *const *now, guint n);
/* Builds the plan of changes (ids[i], now[i]), i < n, as tx_send_changes sends them. O(n). */
G_GNUC_INTERNAL void tx_plan_build(ArSim *sim, TxPlan *plan, bool ibgp, const uint32_t *ids, const ArAttrs *const *now,
                                   guint n);
/* Queues the plan's messages to peer. TRUE when something was sent. O(prefixes) copies. */
G_GNUC_INTERNAL bool tx_plan_send(ArSim *sim, ArPeer *peer, const TxPlan *plan);
G_GNUC_INTERNAL void tx_plan_clear(TxPlan *plan);
/* Brings a detached peer's Adj-RIB-Out up to date for the given prefix ids and sends the
 * difference. best, when not NULL, holds each id's best route. TRUE when something was sent. */
G_GNUC_INTERNAL bool tx_peer_sync(ArSpeaker *sp, ArPeer *peer, const uint32_t *ids, ArRoute *const *best, guint nids);
/* Forgets what waits for the peer's MRAI, and the MRAI itself. */
G_GNUC_INTERNAL void tx_drop_held(ArSim *sim, ArPeer *peer);

/* The speaker's MinRouteAdvertisementInterval: its own setting, else the run's. */
static inline ArTime tx_speaker_mrai(const ArSpeaker *sp)
{
    return sp->mrai == AR_TIME_NEVER ? sp->sim->cfg.mrai : sp->mrai;
}

/* Export of route r (the best for id) to peer: nothing back to the peer it came from (split
 * horizon, every policy's first rule), else the policy's. */
static inline const ArAttrs *tx_export(ArSpeaker *sp, ArPeer *peer, uint32_t id, const ArRoute *r)
{
    if (r->peer == peer->index)
        return NULL;
    const char *why = NULL;
    return sp->policy->export(sp, peer, pfxtab_key(&sp->sim->pfx, id), r, &why);
}

/* Exports of one batch (a flush's, or a session's whole table), remembered by route (attributes,
 * source peer, flags) and receiving peer: the prefixes of a batch that share a best route's
 * attributes (one UPDATE's worth, typically) are exported once, not once per prefix. Valid within
 * one batch only (policies read settings that events change between batches), and only where the
 * export does not read the prefix: on a speaker without route maps (ArPolicy.export). Direct-mapped,
 * TX_MEMO_SLOTS slots. */
#define TX_MEMO_SLOTS 64u
typedef struct TxMemoSlot {
    const ArAttrs *out;    /* the export's result (NULL: nothing sent) */
    uint32_t in;           /* the route's attribute set (rt_ax), 0 for an empty slot */
    uint16_t from;         /* the route's peer */
    uint16_t flags;        /* the route's flags */
    uint16_t to;           /* the receiving peer's index */
} TxMemoSlot;
typedef struct TxMemo {
    bool on;                           /* false: every export is computed (the export reads the prefix) */
    TxMemoSlot slot[TX_MEMO_SLOTS];    /* by a hash of (in, from, flags, to) */
} TxMemo;

static inline void tx_memo_init(TxMemo *m, const ArSpeaker *sp)
{
    m->on = sp->route_maps == NULL && !sp->export_reads_prefix;
    memset(m->slot, 0, sizeof m->slot);
}

/* tx_export through the batch's memo. O(1) on a hit. */
static inline const ArAttrs *tx_export_memo(TxMemo *m, ArSpeaker *sp, ArPeer *peer, uint32_t id, const ArRoute *r)
{
    if (r->peer == peer->index)
        return NULL;
    if (!m->on)
        return tx_export(sp, peer, id, r);
    uint32_t ax = rt_ax(r); /* the number: no read of the set itself on a hit */
    guint h = (guint)(ax * 0x9E3779B1u + r->peer * 0x85EBCA77u + peer->index * 0xC2B2AE3Du + r->flags);
    TxMemoSlot *s = &m->slot[(h >> 16) & (TX_MEMO_SLOTS - 1)];
    if (s->in == ax && s->from == r->peer && s->flags == r->flags && s->to == peer->index)
        return s->out;
    const ArAttrs *out = tx_export(sp, peer, id, r);
    *s = (TxMemoSlot){ out, ax, r->peer, r->flags, peer->index };
    return out;
}

/* ---- updgroup.c ---- */
G_GNUC_INTERNAL void ug_free(gpointer g);
/* What peer was last sent for id. O(1). */
G_GNUC_INTERNAL const ArAttrs *ug_out_get(const ArPeer *peer, uint32_t id);
/* Takes peer out of its group; keep: write its Adj-RIB-Out out in full (else it is emptied, as at
 * a session down). O(table) with keep, O(1) without. */
G_GNUC_INTERNAL void ug_detach(ArPeer *peer, bool keep);
/* Puts a detached, Established peer in its group. O(table). */
G_GNUC_INTERNAL void ug_attach(ArSpeaker *sp, ArPeer *peer);
/* A flush's export for the attached members of group g (see updgroup.c); sends nothing. */
G_GNUC_INTERNAL void ug_sync(ArSpeaker *sp, ArUpdGroup *g, const uint32_t *ids, ArRoute *const *best, guint nids);
/* Sends an attached member what ug_sync found for it. TRUE when something was sent. */
G_GNUC_INTERNAL bool ug_send(ArSpeaker *sp, ArPeer *peer, const uint32_t *ids);
/* Frees the group's scratch of one flush. */
G_GNUC_INTERNAL void ug_flush_done(ArUpdGroup *g);

#endif
