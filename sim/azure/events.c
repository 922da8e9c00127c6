/* events.c - the scenario's timed events on the engine's clock, and the epochs they open. */
#include "azure_priv.h"

#include <string.h>

/* A scenario event as an engine event. */
struct ArTimedEvent {
    ArEvent ev;              /* heap node */
    ArNet *net;              /* the network it acts on */
    const ArScnEvent *se;    /* what to do */
};

/* Something an event scheduled for later: a gateway back after a Route Server change, the end
 * of a maintenance window. */
typedef enum DeferredKind {
    DEF_RESTORE_NODE = 0, /* end one reason sp is down */
} DeferredKind;

/* Why events keep a node down (ArNet.down_causes). Each ends on its own: a maintenance window that
 * closes does not bring back a Route Server deleted meanwhile, nor a gateway the user failed. */
enum {
    HOLD_FAILED = 1u << 0,      /* a fail event, until a restore event */
    HOLD_ABSENT = 1u << 1,      /* a Route Server not created yet, or deleted */
    HOLD_MAINTENANCE = 1u << 2, /* a maintenance window */
    HOLD_OUTAGE = 1u << 3,      /* a gateway while its Route Server is created or deleted */
};

struct ArDeferred {
    ArEvent ev;         /* heap node */
    ArNet *net;         /* the network */
    DeferredKind kind;  /* what to do */
    ArSpeaker *sp[2];   /* on which nodes: one, or both instances of a gateway ([1] NULL otherwise) */
    uint8_t cause;      /* DEF_RESTORE_NODE: the HOLD_ reason that ends */
    char *label;        /* what the timeline says when it happens */
};

static void deferred_free(gpointer p)
{
    ArDeferred *d = p;
    g_free(d->label);
    g_free(d);
}

#define CONTAINER_OF(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

void azure_resolve(const ArNet *net, const char *name, GPtrArray *out)
{
    ArSpeaker *sp = bgp_speaker_find(net->sim, name);
    if (sp) {
        g_ptr_array_add(out, sp);
        return;
    }
    for (int k = 0; k < 2; k++) { /* instances; a circuit's two links */
        g_autofree char *inst = g_strdup_printf("%s/%d", name, k);
        g_autofree char *link = g_strdup_printf("%s/%s", name, scn_link_names[k]);
        if ((sp = bgp_speaker_find(net->sim, inst)) != NULL || (sp = bgp_speaker_find(net->sim, link)) != NULL)
            g_ptr_array_add(out, sp);
    }
}

static ArSession *session_between(const ArSpeaker *a, const ArSpeaker *b)
{
    for (guint i = 0; i < a->peers->len; i++)
        if (bgp_peer(a, (uint16_t)i)->remote == b)
            return bgp_peer(a, (uint16_t)i)->session;
    return NULL;
}

/* Sessions between any speaker named a and any named b (instances included). */
static void sessions_between(const ArNet *net, const char *a, const char *b, GPtrArray *out)
{
    g_autoptr(GPtrArray) as = g_ptr_array_new(), bs = g_ptr_array_new();
    azure_resolve(net, a, as);
    azure_resolve(net, b, bs);
    for (guint i = 0; i < as->len; i++)
        for (guint k = 0; k < bs->len; k++) {
            ArSession *s = session_between(g_ptr_array_index(as, i), g_ptr_array_index(bs, k));
            if (s)
                g_ptr_array_add(out, s);
        }
}

static void defer_restore(ArNet *net, ArSpeaker *const sp[2], const char *name, uint8_t cause, ArTime at,
                          const char *why);

/* Adds a reason for sp to be down; the first one takes it down. O(peers) then, O(1) after. */
static void hold(ArNet *net, ArSpeaker *sp, uint8_t cause, bool graceful, const char *why)
{
    uint8_t *causes = &net->down_causes[sp->id];
    bool was_up = *causes == 0;
    *causes |= cause;
    if (was_up)
        bgp_node_fail(net->sim, sp, graceful, why);
}

/* Ends one reason; the node comes back when it was the last. */
static void release(ArNet *net, ArSpeaker *sp, uint8_t cause)
{
    uint8_t *causes = &net->down_causes[sp->id];
    if (!(*causes & cause) && !*causes)
        return;
    *causes &= (uint8_t)~cause;
    if (!*causes)
        bgp_node_restore(net->sim, sp);
    else /* still down, by this reason's end or by another: say why it does not come back */
        bgp_log(net->sim, TR_NODE, sp, NULL, "%s stays down: %s", sp->name,
                *causes & HOLD_ABSENT ? "its Route Server is deleted"
                : *causes & HOLD_FAILED ? "it is failed until a restore event"
                : *causes & HOLD_MAINTENANCE ? "still in maintenance"
                                             : "its Route Server is still being created or deleted");
}

/* A Route Server created or deleted beside a gateway: the gateway is down for a while (FAQ). */
static void gateways_outage(ArNet *net, int rs)
{
    const ArScenario *scn = net->scn;
    ArTime downtime = scn->settings.gateway_downtime;
    if (!downtime)
        return;
    for (guint g = 0; g < scn->gateways->len; g++) {
        if (((ArGateway *)g_ptr_array_index(scn->gateways, g))->vnet != net->rs_cfg[rs].vnet)
            continue;
        for (int k = 0; k < 2 && net->gw[g][k]; k++)
            hold(net, net->gw[g][k], HOLD_OUTAGE, true, "down while the Route Server is created or deleted (FAQ)");
        /* One follow-up brings back every instance of the gateway. */
        defer_restore(net, net->gw[g], ((const ArGateway *)g_ptr_array_index(scn->gateways, g))->name, HOLD_OUTAGE,
                      net->sim->now + downtime, "back after the Route Server change");
    }
}

/* A site's connection: its sessions, or (static VPN) the gateway's origination of its prefixes. */
static void apply_connection(ArNet *net, const ArScnEvent *se, bool fail)
{
    const ArScenario *scn = net->scn;
    int si = scn_find(scn->sites, se->node);
    g_assert(si >= 0);
    const ArSite *st = g_ptr_array_index(scn->sites, si);
    for (guint k = 0; k < st->connections->len; k++) {
        const ArConnection *cn = &g_array_index(st->connections, ArConnection, k);
        const char *tname = cn->kind == CONN_NVA ? ((ArNva *)g_ptr_array_index(scn->nvas, cn->target))->name
                                                 : ((ArGateway *)g_ptr_array_index(scn->gateways, cn->target))->name;
        if (strcmp(tname, se->peer) != 0)
            continue;
        g_autoptr(GPtrArray) sessions = g_ptr_array_new();
        if (cn->kind == CONN_EXPRESSROUTE) {
            /* An ExpressRoute connection links the site's circuit to the gateway: the sessions
             * between the circuit's MSEEs and the gateway's instances. One link ("link"): the
             * BGP session of that link, between the site's router and that link's MSEE. */
            const ArConnection *owner = &g_array_index(st->connections, ArConnection, cn->circuit_of);
            for (guint m = 0; m < net->msee->len; m++) {
                ArSpeaker *msee = g_ptr_array_index(net->msee, m);
                if (msee->resource != owner)
                    continue;
                if (se->link >= 0) {
                    if (msee->instance == se->link)
                        g_ptr_array_add(sessions, session_between(msee, net->site[si]));
                    continue;
                }
                for (int g = 0; g < 2 && net->gw[cn->target][g]; g++)
                    g_ptr_array_add(sessions, session_between(msee, net->gw[cn->target][g]));
            }
        } else if (cn->kind == CONN_VPN && !cn->bgp) {
            for (int g = 0; g < 2 && net->gw[cn->target][g]; g++)
                for (guint p = 0; p < st->prefixes->len; p++) {
                    ArPrefix pf = g_array_index(st->prefixes, ArPrefix, p);
                    if (fail)
                        bgp_withdraw_local(net->gw[cn->target][g], pf);
                    else
                        bgp_originate(net->gw[cn->target][g], pf,
                                      azure_local_attrs(net->sim, net->gw[cn->target][g]->ip, NULL, NULL), RT_STATIC);
                }
        } else {
            sessions_between(net, st->name, tname, sessions);
        }
        for (guint i = 0; i < sessions->len; i++) {
            ArSession *s = g_ptr_array_index(sessions, i);
            if (fail)
                bgp_session_fail(net->sim, s, se->graceful, se->link >= 0 ? "circuit link failed" : "connection failed");
            else
                bgp_session_restore(net->sim, s);
        }
    }
}

static void apply_set(ArNet *net, const ArScnEvent *se)
{
    ArRouteServer *rs = &net->rs_cfg[se->rs];
    switch (se->field) {
    case RSF_BRANCH_TO_BRANCH: rs->branch_to_branch = se->value != 0; break;
    case RSF_HUB_PREF: rs->hub_pref = (ArHubPref)se->value; break;
    case RSF_REFLECT_NVA: rs->reflect_nva_to_nva = se->value != 0; break;
    case RSF_ROUTE_LIMIT: rs->route_limit = se->value; break;
    }
    for (int k = 0; k < 2; k++) {
        ArSpeaker *ars = net->rs[se->rs][k];
        if (se->field == RSF_ROUTE_LIMIT) {
            for (guint i = 0; i < ars->peers->len; i++) {
                ArPeer *p = bgp_peer(ars, (uint16_t)i);
                if (p->remote->kind == NODE_NVA && !net->scn->settings.lift_limits)
                    p->route_limit = rs->route_limit; /* applies from the next UPDATE */
            }
        } else {
            bgp_refresh(ars); /* the policies read the new value: re-decide and re-export */
        }
    }
}

static void apply(ArNet *net, const ArScnEvent *se)
{
    ArSim *sim = net->sim;
    g_autoptr(GPtrArray) nodes = g_ptr_array_new();
    g_autoptr(GPtrArray) sessions = g_ptr_array_new();
    switch (se->kind) {
    case SEV_SET:
        apply_set(net, se);
        break;
    case SEV_FAIL:
    case SEV_RESTORE:
        azure_resolve(net, se->node, nodes);
        for (guint i = 0; i < nodes->len; i++) {
            if (se->kind == SEV_FAIL)
                hold(net, g_ptr_array_index(nodes, i), HOLD_FAILED, se->graceful,
                     se->graceful ? "shut down" : "failed silently");
            else
                release(net, g_ptr_array_index(nodes, i), HOLD_FAILED);
        }
        break;
    case SEV_FAIL_SESSION:
    case SEV_RESTORE_SESSION:
        sessions_between(net, se->node, se->peer, sessions);
        if (!sessions->len)
            bgp_log(sim, TR_SCENARIO, NULL, NULL, "no BGP session between %s and %s: the event changes nothing",
                    se->node, se->peer);
        for (guint i = 0; i < sessions->len; i++) {
            if (se->kind == SEV_FAIL_SESSION)
                bgp_session_fail(sim, g_ptr_array_index(sessions, i), se->graceful, "session failed");
            else
                bgp_session_restore(sim, g_ptr_array_index(sessions, i));
        }
        break;
    case SEV_FAIL_CONNECTION:
    case SEV_RESTORE_CONNECTION:
        apply_connection(net, se, se->kind == SEV_FAIL_CONNECTION);
        break;
    case SEV_ANNOUNCE:
    case SEV_WITHDRAW: {
        ArSpeaker *sp = bgp_speaker_find(sim, se->node);
        g_assert(sp);
        uint32_t nh = sp->kind == NODE_NVA ? ((const ArNva *)sp->cfg)->next_hop : sp->ip;
        for (guint i = 0; i < se->prefixes->len; i++) {
            ArPrefix p = g_array_index(se->prefixes, ArPrefix, i);
            if (se->kind == SEV_ANNOUNCE)
                bgp_originate(sp, p, azure_local_attrs(sim, nh, NULL, NULL), 0);
            else
                bgp_withdraw_local(sp, p);
        }
        break;
    }
    case SEV_CREATE_RS:
    case SEV_DELETE_RS:
        for (int k = 0; k < 2; k++) {
            if (se->kind == SEV_CREATE_RS)
                release(net, net->rs[se->rs][k], HOLD_ABSENT);
            else
                hold(net, net->rs[se->rs][k], HOLD_ABSENT, true, "deleted");
        }
        gateways_outage(net, se->rs);
        break;
    case SEV_MAINTENANCE: {
        ArSpeaker *sp = bgp_speaker_find(sim, se->node);
        g_assert(sp);
        hold(net, sp, HOLD_MAINTENANCE, true, "in maintenance");
        ArSpeaker *one[2] = { sp, NULL };
        defer_restore(net, one, sp->name, HOLD_MAINTENANCE, sim->now + se->duration, "maintenance over");
        break;
    }
    }
}

/* ---- epochs ---------------------------------------------------------------------------------- */

static void epoch_open(ArNet *net, const ArScnEvent *se, const char *label)
{
    const ArSim *sim = net->sim;
    ArEpoch ep = { .se = se, .label = label, .start = sim->now, .log_from = sim->log->len };
    ep.messages = sim->stats.updates; /* counters at the start: closing subtracts */
    ep.events = sim->stats.events;
    g_array_append_val(net->epochs, ep);
}

static void epoch_close(ArNet *net)
{
    const ArSim *sim = net->sim;
    ArEpoch *ep = &g_array_index(net->epochs, ArEpoch, net->epochs->len - 1);
    ep->settled = MAX(ep->start, sim->stats.last_change);
    ep->quiet = sim->pending == 0;
    ep->messages = sim->stats.updates - ep->messages;
    ep->events = sim->stats.events - ep->events;
    ep->log_to = sim->log->len;
    if (net->on_epoch_end)
        net->on_epoch_end(net, ep);
}

static void on_scenario_event(ArEvent *ev, void *ctx)
{
    ArTimedEvent *t = CONTAINER_OF(ev, ArTimedEvent, ev);
    ArNet *net = t->net;
    epoch_close(net);
    epoch_open(net, t->se, t->se->label);
    bgp_log(net->sim, TR_SCENARIO, NULL, NULL, "%s", t->se->label);
    apply(net, t->se);
}

static void on_deferred(ArEvent *ev, void *ctx)
{
    ArDeferred *d = CONTAINER_OF(ev, ArDeferred, ev);
    ArSim *sim = ctx;
    /* A follow-up is a new chapter of the story, like a scenario event. */
    epoch_close(d->net);
    epoch_open(d->net, NULL, d->label);
    bgp_log(sim, TR_SCENARIO, d->sp[0], NULL, "%s", d->label);
    switch (d->kind) {
    case DEF_RESTORE_NODE:
        for (int k = 0; k < 2 && d->sp[k]; k++)
            release(d->net, d->sp[k], d->cause);
        break;
    }
}

/* Follow-ups are not routing work: an epoch can settle while one is due, and it opens its own. */
static void defer_restore(ArNet *net, ArSpeaker *const sp[2], const char *name, uint8_t cause, ArTime at,
                          const char *why)
{
    ArDeferred *d = g_new0(ArDeferred, 1);
    d->net = net;
    d->kind = DEF_RESTORE_NODE;
    d->sp[0] = sp[0];
    d->sp[1] = sp[1];
    d->cause = cause;
    d->label = g_strdup_printf("%s %s", name, why);
    evq_event_init(&d->ev, on_deferred);
    evq_push(&net->sim->q, &d->ev, at);
    net->last_followup = MAX(net->last_followup, at);
    g_ptr_array_add(net->deferred, d);
}

/* ---- setup and run ----------------------------------------------------------------------------- */

void azure_events(ArNet *net)
{
    const ArScenario *scn = net->scn;
    net->timed = g_new0(ArTimedEvent, scn->events->len + 1);
    net->deferred = g_ptr_array_new_with_free_func(deferred_free);
    net->epochs = g_array_new(FALSE, TRUE, sizeof(ArEpoch));
    net->down_causes = g_new0(uint8_t, net->sim->speakers->len + 1); /* every speaker exists by now */
    for (guint i = 0; i < scn->events->len; i++) {
        ArTimedEvent *t = &net->timed[i];
        t->net = net;
        t->se = &g_array_index(scn->events, ArScnEvent, i);
        evq_event_init(&t->ev, on_scenario_event);
    }
    /* A Route Server whose first lifecycle event is its creation does not exist before it. */
    for (guint r = 0; r < scn->route_servers->len; r++)
        for (guint i = 0; i < scn->events->len; i++) {
            const ArScnEvent *se = &g_array_index(scn->events, ArScnEvent, i);
            if ((se->kind == SEV_CREATE_RS || se->kind == SEV_DELETE_RS) && se->rs == (int)r) {
                if (se->kind == SEV_CREATE_RS)
                    for (int k = 0; k < 2; k++) {
                        net->rs[r][k]->down = true;
                        net->down_causes[net->rs[r][k]->id] = HOLD_ABSENT;
                    }
                break;
            }
        }
}

void azure_events_free(ArNet *net)
{
    if (net->epochs)
        g_array_free(net->epochs, TRUE);
    if (net->deferred)
        g_ptr_array_free(net->deferred, TRUE);
    if (net->flaps)
        g_array_free(net->flaps, TRUE);
    g_free(net->timed);
    g_free(net->down_causes);
}

static gint flap_cmp(gconstpointer a, gconstpointer b)
{
    const ArFlap *x = a, *y = b;
    if (x->changes != y->changes)
        return x->changes > y->changes ? -1 : 1;
    if (x->sp->id != y->sp->id)
        return x->sp->id < y->sp->id ? -1 : 1;
    return (x->key > y->key) - (x->key < y->key);
}

/* The watched counts, as (speaker, prefix, changes), most changes first. O(n log n). */
static void collect_flaps(ArNet *net)
{
    ArSim *sim = net->sim;
    net->flaps = g_array_new(FALSE, FALSE, sizeof(ArFlap));
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, sim->watch);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        guint64 packed = GPOINTER_TO_SIZE(k);
        ArFlap f = { g_ptr_array_index(sim->speakers, packed >> 40), packed & ((1ull << 40) - 1), GPOINTER_TO_SIZE(v) };
        g_array_append_val(net->flaps, f);
    }
    g_array_sort(net->flaps, flap_cmp);
    g_hash_table_destroy(sim->watch);
    sim->watch = NULL;
}

void azure_start(ArNet *net)
{
    ArSim *sim = net->sim;
    const ArScenario *scn = net->scn;
    for (guint i = 0; i < sim->sessions->len; i++)
        bgp_session_up_at(sim, g_ptr_array_index(sim->sessions, i), 0);
    ArTime last_event = 0;
    for (guint i = 0; i < scn->events->len; i++) {
        evq_push(&sim->q, &net->timed[i].ev, net->timed[i].se->at);
        last_event = MAX(last_event, net->timed[i].se->at);
    }
    net->until_given = sim->cfg.until != 0;
    net->until = net->until_given ? sim->cfg.until : last_event + scn->settings.max_time;
    epoch_open(net, NULL, "start");
}

void azure_finish(ArNet *net) { epoch_close(net); }

ArRunEnd azure_run(ArNet *net)
{
    ArSim *sim = net->sim;
    const ArScenario *scn = net->scn;
    azure_start(net);
    if (net->watch_window > net->until)
        net->watch_window = net->until; /* the whole run is the window */
    ArTime watch_from = net->until - net->watch_window;
    ArRunEnd end = net->watch_window ? bgp_run(sim, watch_from) : bgp_run(sim, net->until);
    if (net->watch_window && end != RUN_EVENT_CAP) {
        sim->watch = g_hash_table_new(g_direct_hash, g_direct_equal);
        end = bgp_run(sim, net->until);
    }
    /* Follow-ups (a gateway back after 10 minutes) extend the automatic end, not a given one. */
    while (end == RUN_UNTIL && !net->until_given && net->last_followup + scn->settings.max_time > net->until) {
        net->until = net->last_followup + scn->settings.max_time;
        end = bgp_run(sim, net->until);
    }
    if (end == RUN_UNTIL && sim->pending == 0)
        end = RUN_CONVERGED; /* only scenario events after --until were left */
    g_assert(end != RUN_CONVERGED || sim->pending == 0);
    azure_finish(net);
    if (sim->watch)
        collect_flaps(net);
    return end;
}
