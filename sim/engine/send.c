/* send.c - sending: a speaker's flush of its changed prefixes to its peers (update groups first,
 * then each peer in order), the per-peer export of a detached peer, MRAI, and the UPDATE messages
 * themselves (one per attribute set, as on the wire). */
#include "engine_priv.h"

#include "arsim/msgsize.h"

#include <string.h>

/* A message on session s to end `to` with room for nwd withdrawn then nann announced prefix ids
 * (filled by the caller). One allocation. */
ArMsg *tx_msg_new(ArSession *s, uint8_t to, const ArAttrs *a, uint32_t nwd, uint32_t nann)
{
    ArMsg *m = g_malloc(sizeof(ArMsg) + (nwd + nann) * sizeof(uint32_t));
    evq_event_init(&m->ev, rx_on_deliver);
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
    ArMsg *m = tx_msg_new(s, to, a, nwd, nann);
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

/* The batch (withdrawals when a is NULL, else one attribute set) at ids[0 .. n) as messages of at
 * most 4,096 bytes (msgsize.c), appended to plan->msgs; the batch's first message is marked: the
 * messages of one batch are written back to back and arrive together, in order. */
static void plan_batch(ArSim *sim, TxPlan *plan, const ArAttrs *a, uint32_t from, uint32_t n)
{
    const uint32_t *ids = plan->ids + from;
    bool first = true;
    for (uint32_t k; n; ids += k, from += k, n -= k, first = false) {
        k = msgsize_fit(&sim->pfx, a, plan->ibgp, ids, n);
        TxPlanMsg m = { a, from, k, first };
        g_array_append_val(plan->msgs, m);
    }
}

void tx_plan_build(ArSim *sim, TxPlan *plan, bool ibgp, const uint32_t *ids, const ArAttrs *const *now, guint n)
{
    plan->ibgp = ibgp;
    plan->ids = g_new(uint32_t, MAX(n, 1));
    plan->msgs = g_array_new(FALSE, FALSE, sizeof(TxPlanMsg));
    if (!n)
        return;
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
    if (nwd == n || (nwd == 0 && uniq->len == 1)) {
        /* Withdrawals only, or one attribute set (a flush of one UPDATE's prefixes, the common
         * case): the list is its own order. */
        memcpy(plan->ids, ids, n * sizeof(uint32_t));
        plan_batch(sim, plan, nwd ? NULL : g_ptr_array_index(uniq, 0), 0, n);
        return;
    }
    /* Counting sort by slot, stable: withdrawals first, then each set's prefixes. */
    g_autofree uint32_t *start = g_new0(uint32_t, uniq->len + 1);
    for (guint i = 0; i < n; i++)
        if (slot[i] != UINT32_MAX)
            start[slot[i] + 1]++;
    start[0] = nwd;
    for (guint k = 1; k <= uniq->len; k++)
        start[k] += start[k - 1];
    guint w = 0;
    for (guint i = 0; i < n; i++) {
        if (slot[i] == UINT32_MAX)
            plan->ids[w++] = ids[i];
        else
            plan->ids[start[slot[i]]++] = ids[i];
    }
    if (nwd)
        plan_batch(sim, plan, NULL, 0, nwd);
    for (guint k = 0, from = nwd; k < uniq->len; k++) {
        /* after the scatter, start[k] is the end of slot k */
        plan_batch(sim, plan, g_ptr_array_index(uniq, k), from, start[k] - from);
        from = start[k];
    }
}

void tx_plan_clear(TxPlan *plan)
{
    g_free(plan->ids);
    if (plan->msgs)
        g_array_free(plan->msgs, TRUE);
    *plan = (TxPlan){ 0 };
}

bool tx_plan_send(ArSim *sim, ArPeer *peer, const TxPlan *plan)
{
    ArSession *s = peer->session;
    g_assert(s->ibgp == plan->ibgp); /* the message split depends on it */
    uint8_t to = (uint8_t)(1 - peer->side);
    ArTime at = 0;
    for (guint i = 0; i < plan->msgs->len; i++) {
        const TxPlanMsg *m = &g_array_index(plan->msgs, TxPlanMsg, i);
        const uint32_t *ids = plan->ids + m->from;
        if (m->first)
            at = 0; /* a new batch: its delivery time is drawn again */
        at = send_msg(sim, s, to, m->attrs, m->attrs ? NULL : ids, m->attrs ? 0 : m->n, m->attrs ? ids : NULL,
                      m->attrs ? m->n : 0, at);
    }
    return plan->msgs->len > 0;
}

/* Sends peer the changes (ids[i], now[i]), i < n (now NULL: a withdrawal): the withdrawals, then
 * each distinct attribute set in order of first appearance, each a batch listing its prefixes in
 * the given order (tx_plan_build, then tx_plan_send). O(n), one hash per change of attribute set
 * past the first 8. */
bool tx_send_changes(ArSim *sim, ArPeer *peer, const uint32_t *ids, const ArAttrs *const *now, guint n)
{
    if (!n)
        return false;
    TxPlan plan;
    tx_plan_build(sim, &plan, peer->session->ibgp, ids, now, n);
    bool sent = tx_plan_send(sim, peer, &plan);
    tx_plan_clear(&plan);
    return sent;
}

/* Brings a detached peer's Adj-RIB-Out up to date for the given prefix ids and sends the
 * difference (tx_send_changes). O(ids) array accesses. best, when not NULL, holds each id's best
 * route (NULL for none), looked up once by the caller for all peers; otherwise the ids are looked
 * up here. */
bool tx_peer_sync(ArSpeaker *sp, ArPeer *peer, const uint32_t *ids, ArRoute *const *best, guint nids)
{
    g_assert(!peer->attached);
    ArSim *sim = sp->sim;
    g_autofree uint32_t *cid = g_new(uint32_t, MAX(nids, 1));
    g_autofree const ArAttrs **cnow = g_new(const ArAttrs *, MAX(nids, 1));
    guint n = 0;
    TxMemo memo;
    tx_memo_init(&memo, sp);
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
            b = net ? rib_best(net) : NULL;
        }
        const ArAttrs *now = b ? tx_export_memo(&memo, sp, peer, id, b) : NULL;
        uint32_t before = idmap_get(&peer->out, id); /* ArAttrs.id */
        if (attr_id(now) == before)
            continue;
        idmap_set(&peer->out, id, attr_id(now));
        peer->out_len += (now != NULL) - (before != 0);
        cid[n] = id;
        cnow[n++] = now;
    }
    return tx_send_changes(sim, peer, cid, cnow, n);
}

/* MRAI (RFC 4271 9.2.1.1): when the interval since the last UPDATE to this peer has not passed,
 * the prefixes wait in the peer's held set until it has. Otherwise they go now. */
static void peer_send(ArSpeaker *sp, ArPeer *peer, const uint32_t *ids, ArRoute *const *best, guint nids)
{
    ArSim *sim = sp->sim;
    ArTime mrai = tx_speaker_mrai(sp);
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
    if (tx_peer_sync(sp, peer, ids, best, nids) && mrai)
        peer->next_send = sim->now + mrai;
}

void tx_drop_held(ArSim *sim, ArPeer *peer)
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

void tx_on_mrai(ArEvent *ev, void *ctx)
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
    if (tx_peer_sync(sp, peer, (uint32_t *)(void *)ids->data, NULL, ids->len))
        peer->next_send = sim->now + tx_speaker_mrai(sp);
}

/* Sends the speaker's peers what changed at the nk prefix ids kv. */
static void flush_ids(ArSim *sim, ArSpeaker *sp, const uint32_t *kv, guint nk)
{
    if (sp->down) {
        for (guint i = 0; i < nk; i++)
            rib_unmark(&sp->rib, kv[i]);
        return;
    }
    if (sim->trace)
        sim->trace(sim->trace_user, &(ArTraceRec){ .kind = TR_FLUSH, .time = sim->now, .from = sp });
    /* Each id's best route, looked up once for all peers (exports never change this RIB), and its
     * mark cleared in the same pass. */
    g_autofree ArRoute **best = g_new(ArRoute *, MAX(nk, 1));
    for (guint i = 0; i < nk; i++) {
        if (i + 8 < nk)
            rib_prefetch(&sp->rib, kv[i + 8]);
        ArRibNet *n = rib_net(&sp->rib, kv[i]);
        g_assert(n); /* a marked id has its page */
        rib_unmark_net(n, kv[i]);
        best[i] = rib_best(n);
    }
    /* Update groups compute first; then every peer is sent its UPDATEs in peer order. With an
     * MRAI, peers are held apart from each other: the groups are left. */
    bool mrai = tx_speaker_mrai(sp) != 0;
    for (guint i = 0; i < sp->groups->len; i++) {
        ArUpdGroup *g = g_ptr_array_index(sp->groups, i);
        while (mrai && g->members->len)
            ug_detach(g_ptr_array_index(g->members, 0), true);
        if (g->members->len)
            ug_sync(sp, g, kv, best, nk);
    }
    for (guint i = 0; i < sp->peers->len; i++) {
        ArPeer *peer = bgp_peer(sp, (uint16_t)i);
        if (peer->attached)
            ug_send(sp, peer, kv);
        else if (peer->session->state == SESS_ESTABLISHED)
            peer_send(sp, peer, kv, best, nk);
    }
    for (guint i = 0; i < sp->groups->len; i++)
        ug_flush_done(g_ptr_array_index(sp->groups, i));
}

void tx_on_flush(ArEvent *ev, void *ctx)
{
    ArSim *sim = ctx;
    ArSpeaker *sp = CONTAINER_OF(ev, ArSpeaker, flush_ev);
    sim->pending--;
    sim->stats.last_change = sim->now;
    /* Take the dirty list: exports below never dirty this speaker again. */
    uint32_t *kv = sp->dirty;
    guint nk = sp->n_dirty, cap = sp->dirty_cap;
    sp->dirty = NULL;
    sp->n_dirty = sp->dirty_cap = 0;
    flush_ids(sim, sp, kv, nk);
    rx_dirty_release(sim, kv, cap);
}

