/* bgp.c - BGP speakers and sessions built, the event loop, the log, and the standard import and
 * export rules policies build on. Receiving is in receive.c, sending in send.c, update groups in
 * updgroup.c, session state in session.c. */
#include "engine_priv.h"

#include <string.h>

const char *bgp_kind_name(ArNodeKind k)
{
    return k < NODE_KIND_COUNT ? names_node_kind[k].name : "?";
}

/* ---- construction -------------------------------------------------------------------------- */

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
    g_free(sp->dirty);
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
        if (ev->fn == rx_on_deliver)
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
    g_free(sim->spare_dirty);
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
    sp->groups = g_ptr_array_new_with_free_func(ug_free);
    rib_init(&sp->rib, &sim->pfx);
    evq_event_init(&sp->flush_ev, tx_on_flush);
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
    evq_event_init(&p->mrai_ev, tx_on_mrai);
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
    evq_event_init(&s->up_ev, sess_on_up);
    evq_event_init(&s->down_ev, sess_on_down);
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

const ArAttrs *bgp_export_standard(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why)
{
    const ArAttrs *a = rt_attrs(r);
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

void bgp_check(const ArSim *sim)
{
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        rib_check(&sp->rib);
        g_autofree uint64_t *learned = g_new0(uint64_t, sp->peers->len + 1); /* last: local */
        ArRibIter it;
        rib_iter_init(&it, &sp->rib);
        uint64_t key;
        ArRibNet *n;
        while (rib_iter_next(&it, &key, &n))
            for (const ArRoute *r = rib_first(n); r; r = rib_route_next(n, r))
                learned[r->peer == PEER_LOCAL ? sp->peers->len : r->peer]++;
        for (guint k = 0; k < sp->peers->len; k++) {
            const ArPeer *peer = bgp_peer(sp, (uint16_t)k);
            g_assert_cmpuint(peer->routes_in, ==, learned[k]);
            g_assert(peer->index == k && peer->remote == peer->session->sp[1 - peer->side]);
            if (peer->attached) {
                g_assert(peer->session->state == SESS_ESTABLISHED && peer->group);
                g_assert(peer->group_pos < peer->group->members->len &&
                         g_ptr_array_index(peer->group->members, peer->group_pos) == peer);
            }
        }
        g_assert(sp->n_dirty <= sp->dirty_cap);
        for (guint k = 0; k < sp->n_dirty; k++)
            g_assert(rib_marked(&sp->rib, sp->dirty[k]));
    }
}

static ArRunEnd run_events(ArSim *sim, ArTime until)
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

ArRunEnd bgp_run(ArSim *sim, ArTime until)
{
    ArRunEnd end = run_events(sim, until);
#ifdef ARSIM_ENGINE_CHECKS
    bgp_check(sim);
#endif
    return end;
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
