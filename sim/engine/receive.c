/* receive.c - receiving: an UPDATE's delivery through import policy and route limit into the
 * RIB, the decision process on each changed prefix, and local originations (the Adj-RIB-In and
 * Loc-RIB side; what changes is queued for the next flush, send.c). */
#include "engine_priv.h"

#include "arsim/decision.h"

/* Room for more dirty ids. A list never outgrows the prefix table (one mark per id), so it is
 * given that much room at once: its untouched pages cost nothing, and it is never copied while it
 * grows (it only grows again when the table does, in live mode). The last flushed list is taken
 * when it is big enough: its pages are mapped already. O(1), or O(list) on a regrowth. */
static G_GNUC_NO_INLINE void dirty_grow(ArSpeaker *sp)
{
    ArSim *sim = sp->sim;
    guint want = MAX(MAX(pfxtab_size(&sim->pfx), 2 * sp->dirty_cap), 64u);
    if (!sp->dirty && sim->spare_dirty && sim->spare_dirty_cap >= want) {
        sp->dirty = sim->spare_dirty;
        sp->dirty_cap = sim->spare_dirty_cap;
        sim->spare_dirty = NULL;
        sim->spare_dirty_cap = 0;
        return;
    }
    sp->dirty = g_renew(uint32_t, sp->dirty, want);
    sp->dirty_cap = want;
}

void rx_dirty_release(ArSim *sim, uint32_t *ids, guint cap)
{
    if (!ids)
        return;
    if (sim->spare_dirty_cap >= cap) {
        g_free(ids);
        return;
    }
    g_free(sim->spare_dirty);
    sim->spare_dirty = ids;
    sim->spare_dirty_cap = cap;
}

/* Queues prefix id (its net n) for the speaker's next flush, once. O(1). */
static inline void mark_dirty(ArSpeaker *sp, ArRibNet *n, uint32_t id)
{
    if (!rib_mark_net(n, id))
        return;
    if (G_UNLIKELY(sp->n_dirty == sp->dirty_cap))
        dirty_grow(sp);
    sp->dirty[sp->n_dirty++] = id;
    if (!evq_scheduled(&sp->flush_ev)) {
        evq_push(&sp->sim->q, &sp->flush_ev, sp->sim->now + sp->sim->cfg.proc_delay);
        sp->sim->pending++;
    }
}

/* rx_rib_update, inlined into the loops of a delivery (forced: the compiler stops at its size). */
G_ALWAYS_INLINE static inline void rib_update(ArSpeaker *sp, uint32_t id, uint16_t peer, const ArAttrs *a, uint16_t flags, ArDpMemo *memo)
{
    ArRibNet *n = a ? rib_get(&sp->rib, id) : rib_net(&sp->rib, id);
    if (!n || (!a && !rib_first(n)))
        return;
    const ArRoute *ob = rib_best(n);
    uint16_t old_peer = ob ? ob->peer : PEER_LOCAL;
    uint32_t old_ax = ob ? rt_ax(ob) : 0;
    ArPeer *p = peer == PEER_LOCAL ? NULL : bgp_peer(sp, peer);
    if (a) {
        uint64_t before = sp->rib.routes;
        rib_set_route(&sp->rib, n, peer, a, flags);
        if (sp->rib.routes != before && p)
            p->routes_in++;
    } else if (rib_remove_route(&sp->rib, n, peer)) {
        if (p)
            p->routes_in--;
    } else {
        return;
    }
    const ArRoute *nb = dp_best_memo(sp, n, memo);
    g_assert((nb == NULL) == (rib_first(n) == NULL));
    rib_set_best(n, nb);
    uint32_t new_ax = nb ? rt_ax(nb) : 0;
    uint16_t new_peer = nb ? nb->peer : PEER_LOCAL;
    if (new_ax != old_ax || new_peer != old_peer) {
        mark_dirty(sp, n, id);
        if (sp->sim->watch) {
            gpointer wk = GSIZE_TO_POINTER(((guint64)sp->id << 40) | pfxtab_key(&sp->sim->pfx, id));
            g_hash_table_insert(sp->sim->watch, wk, GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(sp->sim->watch, wk)) + 1));
        }
    }
}

void rx_rib_update(ArSpeaker *sp, uint32_t id, uint16_t peer, const ArAttrs *a, uint16_t flags, ArDpMemo *memo)
{
    rib_update(sp, id, peer, a, flags, memo);
}

void bgp_originate(ArSpeaker *sp, ArPrefix p, const ArAttrs *a, uint16_t flags)
{
    rx_rib_update(sp, pfxtab_intern(&sp->sim->pfx, pfx_key(p)), PEER_LOCAL, a, flags, NULL);
}

void bgp_originate_list(ArSpeaker *sp, const ArPrefix *p, guint n, const ArAttrs *a, uint16_t flags)
{
    /* In prefix order: the ids come from one walk of the prefix table, and the RIB is written in
     * sequence (a scenario lists its prefixes in any order). */
    g_autofree uint64_t *keys = g_new(uint64_t, MAX(n, 1));
    g_autofree uint32_t *ids = g_new(uint32_t, MAX(n, 1));
    for (guint i = 0; i < n; i++)
        keys[i] = pfx_key(p[i]);
    pfx_keys_sort(keys, n);
    pfxtab_ids_sorted(&sp->sim->pfx, keys, n, ids);
    for (guint i = 0; i < n; i++)
        rx_rib_update(sp, ids[i], PEER_LOCAL, a, flags, NULL);
}

void bgp_withdraw_local(ArSpeaker *sp, ArPrefix p)
{
    uint32_t id = pfxtab_find(&sp->sim->pfx, pfx_key(p));
    if (id != PFX_NONE)
        rx_rib_update(sp, id, PEER_LOCAL, NULL, 0, NULL);
}

void bgp_refresh(ArSpeaker *sp)
{
    g_autoptr(GArray) ids = rib_sorted_ids(&sp->rib);
    for (guint i = 0; i < ids->len; i++) {
        uint32_t id = g_array_index(ids, uint32_t, i);
        ArRibNet *n = rib_net(&sp->rib, id);
        rib_set_best(n, dp_best(sp, n));
        mark_dirty(sp, n, id); /* exports are compared with Adj-RIB-Out: only changes go out */
    }
}

void rx_on_deliver(ArEvent *ev, void *ctx)
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
    /* Prefetching the net 8 ids ahead hides most of each access's cache miss. The decision is
     * remembered across the UPDATE's prefixes (their paths mostly agree: dp_best_memo). */
    ArDpMemo memo = { 0 };
    uint32_t nids = m->n_withdraw + m->n_announce;
    for (uint32_t i = 0; i < m->n_withdraw; i++) {
        if (i + 8 < nids)
            rib_prefetch(&sp->rib, m->ids[i + 8]);
        rib_update(sp, m->ids[i], peer->index, NULL, 0, &memo);
    }
    if (m->n_announce) {
        for (uint32_t i = 0; i < m->n_announce; i++) {
            if (m->n_withdraw + i + 8 < nids)
                rib_prefetch(&sp->rib, m->ids[m->n_withdraw + i + 8]);
            uint32_t id = m->ids[m->n_withdraw + i];
            bool ok = a != NULL;
            const ArAttrs *pa = a;
            if (ok && (sp->policy->accept || sp->policy->import_prefix)) { /* policies that read the prefix */
                uint64_t key = pfxtab_key(&sim->pfx, id);
                ok = !sp->policy->accept || sp->policy->accept(sp, peer, pfx_from_key(key), &why);
                if (ok && sp->policy->import_prefix)
                    ok = (pa = sp->policy->import_prefix(sp, peer, key, a, &why)) != NULL;
            }
            if (!ok)
                sp->rejected++;
            /* A rejected announcement withdraws what the peer sent before (RFC 4271 9.1.1). */
            rib_update(sp, id, peer->index, ok ? pa : NULL, 0, &memo);
        }
    }
    g_free(m);
}

/* Live mode: a real peer's UPDATE, through the same path as a simulated one. */
void bgp_deliver_now(ArSim *sim, ArSession *s, uint8_t to, const ArAttrs *a, const uint64_t *withdrawn,
                     uint32_t n_withdrawn, const uint64_t *announced, uint32_t n_announced)
{
    g_assert(to < 2 && (a || n_announced == 0));
    ArMsg *m = tx_msg_new(s, to, a, n_withdrawn, n_announced);
    for (uint32_t i = 0; i < n_withdrawn; i++)
        m->ids[i] = pfxtab_intern(&sim->pfx, withdrawn[i]);
    for (uint32_t i = 0; i < n_announced; i++)
        m->ids[n_withdrawn + i] = pfxtab_intern(&sim->pfx, announced[i]);
    m->ev.time = sim->now;
    sim->pending++; /* rx_on_deliver counts it done */
    sim->stats.events++;
    rx_on_deliver(&m->ev, sim);
}

