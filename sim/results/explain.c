/* explain.c - why a prefix did or did not cross each session, asked of the engine's own policies. */
#include "arsim/results.h"

static const ArRoute *best_for(const ArSpeaker *sp, uint64_t key)
{
    const ArRibNet *n = rib_find(&sp->rib, key);
    return n ? rib_best(n) : NULL;
}

/* The receiver's reason for refusing what the sender advertised. */
static const char *import_reason(ArSpeaker *to, ArPeer *peer, uint64_t key, const ArAttrs *sent)
{
    const char *why = NULL;
    const ArAttrs *a = to->policy->import ? to->policy->import(to, peer, sent, &why) : sent;
    if (a && to->policy->accept && !to->policy->accept(to, peer, pfx_from_key(key), &why))
        a = NULL;
    return a ? "refused" : why ? why : "refused by import policy";
}

static void explain_direction(const ArRun *run, ArSession *s, int side, uint64_t key, GArray *out)
{
    ArSpeaker *from = s->sp[side], *to = s->sp[1 - side];
    const ArRoute *best = best_for(from, key);
    if (!best || bgp_route_source(from, best) == to)
        return; /* nothing to explain: the route came from there */
    ArPropEdge e = { .from = from, .to = to };
    if (s->state != SESS_ESTABLISHED) {
        e.state = PROP_DOWN;
        e.why = s->down_reason ? s->down_reason : "session not established";
        g_array_append_val(out, e);
        return;
    }
    ArPeer *out_peer = bgp_peer(from, s->peer[side]);
    const char *why = NULL;
    const ArAttrs *sent = from->policy->export(from, out_peer, key, best, &why);
    if (!sent) {
        e.state = PROP_NOT_SENT;
        e.why = why ? why : "kept back by export policy";
        g_array_append_val(out, e);
        return;
    }
    ArPeer *in_peer = bgp_peer(to, s->peer[1 - side]);
    const ArRibNet *n = rib_find(&to->rib, key);
    const ArRoute *r = n ? rib_route_from((ArRibNet *)n, in_peer->index) : NULL;
    if (!r) {
        e.state = PROP_REJECTED;
        e.why = import_reason(to, in_peer, key, sent);
    } else {
        e.state = PROP_SENT;
        e.to_best = rib_best(n) == r;
    }
    g_array_append_val(out, e);
}

GArray *prop_explain(const ArRun *run, ArPrefix p)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(ArPropEdge));
    uint64_t key = pfx_key(p);
    const ArSim *sim = run->net->sim;
    for (guint i = 0; i < sim->sessions->len; i++) {
        ArSession *s = g_ptr_array_index(sim->sessions, i);
        explain_direction(run, s, 0, key, out);
        explain_direction(run, s, 1, key, out);
    }
    return out;
}
