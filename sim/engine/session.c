/* session.c - session state: establishment (the whole table sent), teardown (the routes learned
 * over it dropped), hold timers and keepalive phases, session and node failures and restores. */
#include "engine_priv.h"

void bgp_session_up_at(ArSim *sim, ArSession *s, ArTime t)
{
    if (evq_scheduled(&s->up_ev))
        return;
    evq_push(&sim->q, &s->up_ev, t);
    sim->pending++;
}

void sess_on_up(ArEvent *ev, void *ctx)
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
        tx_drop_held(sim, peer);
        g_autoptr(GArray) ids = rib_sorted_ids(&sp->rib);
        if (tx_peer_sync(sp, peer, (uint32_t *)(void *)ids->data, NULL, ids->len) && tx_speaker_mrai(sp))
            peer->next_send = sim->now + tx_speaker_mrai(sp);
        if (!tx_speaker_mrai(sp))
            ug_attach(sp, peer);
    }
}

/* Drops every path sp learned from peer, in prefix order. O(n log n) in sp's table. */
static void peer_flush_routes(ArSpeaker *sp, ArPeer *peer)
{
    g_autoptr(GArray) ids = rib_sorted_ids(&sp->rib);
    ArDpMemo memo = { 0 };
    for (guint i = 0; i < ids->len && peer->routes_in; i++)
        rx_rib_update(sp, g_array_index(ids, uint32_t, i), peer->index, NULL, 0, &memo);
    g_assert(peer->routes_in == 0);
    ug_detach(peer, false);
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
            tx_drop_held(sim, peer);
            peer_flush_routes(s->sp[side], peer);
        }
    }
    if (s->retry && !s->admin_down)
        bgp_session_up_at(sim, s, sim->now + sim->cfg.retry_after_limit);
}

void sess_on_down(ArEvent *ev, void *ctx)
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

