/* sweep.c - failure sweeps: each failure of the chosen kinds simulated from the converged network,
 * with its repair, sampled for reachability; cases independent, on threads or MPI ranks. */
#include "arsim/sweep.h"

#include "arsim/reach.h"

#include <string.h>

G_DEFINE_QUARK(arsim-sweep-error-quark, sweep_error)

#define CONTAINER_OF(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* Routing is taken as paused when nothing is due for this long: a reachability sample is taken. */
#define SWEEP_QUIET_GAP AR_SEC
/* At most this many samples during one failure (besides the one at the failure itself): a case
 * that keeps changing (an MRAI round each time) is sampled again only when its failure ends. */
#define SWEEP_MAX_SAMPLES 16u

/* One failure the plan can combine: the event that breaks something and the one that repairs it. */
typedef struct SweepFailure {
    ArSweepKind kind;         /* what kind */
    char *what;               /* "nva sdwan", "session sdwan - ars/0" */
    char *node;               /* the event's node (owned) */
    char *peer;               /* the event's peer, NULL when none (owned) */
    ArScnEvent fail;          /* the failure (at and order set per case); strings point at the above */
    ArScnEvent repair;        /* the repair; kind SEV_SET marks none (maintenance ends by itself) */
    bool has_repair;          /* repair is an event */
} SweepFailure;

/* One case: one failure, or two at the same time. */
typedef struct SweepCase {
    guint n;                  /* failures: 1 or 2 */
    guint f[2];               /* indexes into failures */
} SweepCase;

/* A pair of endpoints that reach each other before any failure. */
typedef struct SweepPairIx {
    guint i, j;               /* endpoint indexes, i < j */
} SweepPairIx;

struct ArSweep {
    const ArScenario *scn;    /* the scenario (not owned) */
    ArScenario base_scn;      /* scn without its events: what every case starts from */
    GArray *no_events;        /* the empty event list of base_scn */
    ArSweepOptions opt;       /* as given, defaults filled in */
    ArRun *base;              /* the converged baseline */
    ArReachMatrix *reach;     /* who reaches whom in the baseline */
    GArray *pairs;            /* SweepPairIx, reachable pairs of the baseline, matrix order */
    GPtrArray *best_keys;     /* per speaker id: GArray of uint64_t keys with a best route in the baseline */
    GArray *failures;         /* SweepFailure */
    GArray *cases;            /* SweepCase, singles first, then pairs (i < j) */
    ArTime t_fail;            /* when each case's failure happens */
    ArTime window;            /* how long before the repair */
};

static const char *const kind_names[SWEEP_KIND_COUNT] = {
    "nva", "site", "gateway", "rs-instance", "maintenance", "route-server", "session", "connection",
};

const char *sweep_kind_name(ArSweepKind k)
{
    g_assert(k < SWEEP_KIND_COUNT);
    return kind_names[k];
}

const char *sweep_mode_name(ArSweepMode m)
{
    return m == SWEEP_MODE_SILENT ? "silent" : m == SWEEP_MODE_GRACEFUL ? "graceful" : "default";
}

gboolean sweep_kinds_parse(const char *text, unsigned *mask, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);
    unsigned m = 0;
    for (char **p = parts; *p; p++) {
        char *name = g_strstrip(*p);
        if (!*name)
            continue;
        int k = -1;
        for (int i = 0; i < SWEEP_KIND_COUNT; i++)
            if (strcmp(name, kind_names[i]) == 0)
                k = i;
        if (strcmp(name, "all") == 0) {
            m |= SWEEP_KINDS_ALL;
            continue;
        }
        if (k < 0) {
            g_autofree char *known = g_strjoinv(", ", (char **)kind_names);
            g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_BAD_KIND, "unknown failure kind \"%s\"; kinds: %s, all", name,
                        known);
            return FALSE;
        }
        m |= 1u << k;
    }
    if (!m) {
        g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_BAD_KIND, "no failure kind given");
        return FALSE;
    }
    *mask = m;
    return TRUE;
}

/* ---- the plan ------------------------------------------------------------------------------ */

static void failure_clear(gpointer p)
{
    SweepFailure *f = p;
    g_free(f->what);
    g_free(f->node);
    g_free(f->peer);
    g_free(f->fail.label);
    g_free(f->repair.label);
}

/* Adds a failure whose events name node (and peer); the labels follow the loader's wording. */
static SweepFailure *add_failure(ArSweep *s, ArSweepKind kind, ArScnEventKind fk, ArScnEventKind rk, bool has_repair,
                                 const char *node, const char *peer, bool graceful)
{
    SweepFailure f = { .kind = kind, .node = g_strdup(node), .peer = g_strdup(peer), .has_repair = has_repair };
    f.what = peer ? g_strdup_printf("%s %s - %s", kind_names[kind], node, peer) : g_strdup_printf("%s %s", kind_names[kind], node);
    f.fail = (ArScnEvent){ .kind = fk, .node = f.node, .peer = f.peer, .graceful = graceful, .rs = AR_NO_INDEX };
    f.repair = (ArScnEvent){ .kind = rk, .node = f.node, .peer = f.peer, .rs = AR_NO_INDEX };
    const char *peer_part = peer ? " - " : "";
    const char *mode = graceful ? " (graceful)" : " (silent)";
    switch (fk) {
    case SEV_FAIL:
        f.fail.label = kind == SWEEP_MAINTENANCE ? g_strdup_printf("%s maintenance", node)
                                                 : g_strdup_printf("%s fails%s", node, mode);
        f.repair.label = g_strdup_printf("%s restored", node);
        break;
    case SEV_FAIL_SESSION:
        f.fail.label = g_strdup_printf("%s%s%s session fails%s", node, peer_part, peer, mode);
        f.repair.label = g_strdup_printf("%s%s%s session restored", node, peer_part, peer);
        break;
    case SEV_FAIL_CONNECTION:
        f.fail.label = g_strdup_printf("%s%s%s connection fails%s", node, peer_part, peer, mode);
        f.repair.label = g_strdup_printf("%s%s%s connection restored", node, peer_part, peer);
        break;
    case SEV_DELETE_RS:
        f.fail.label = g_strdup_printf("%s Route Server deleted", node);
        f.repair.label = g_strdup_printf("%s Route Server created", node);
        break;
    default: /* SEV_MAINTENANCE */
        f.fail.label = g_strdup_printf("%s maintenance", node);
        break;
    }
    g_array_append_val(s->failures, f);
    return &g_array_index(s->failures, SweepFailure, s->failures->len - 1);
}

static bool mode_graceful(ArSweepMode m, bool dflt)
{
    return m == SWEEP_MODE_DEFAULT ? dflt : m == SWEEP_MODE_GRACEFUL;
}

/* Every failure of the chosen kinds, in a fixed order: kind, then scenario (and instance) order. */
static void plan_failures(ArSweep *s)
{
    const ArScenario *scn = s->scn;
    const ArNet *net = s->base->net;
    unsigned k = s->opt.kinds;
    bool node_graceful = mode_graceful(s->opt.mode, false), link_graceful = mode_graceful(s->opt.mode, true);
    if (k & (1u << SWEEP_NVA))
        for (guint i = 0; i < scn->nvas->len; i++)
            add_failure(s, SWEEP_NVA, SEV_FAIL, SEV_RESTORE, true, net->nva[i]->name, NULL, node_graceful);
    if (k & (1u << SWEEP_SITE))
        for (guint i = 0; i < scn->sites->len; i++)
            add_failure(s, SWEEP_SITE, SEV_FAIL, SEV_RESTORE, true, net->site[i]->name, NULL, node_graceful);
    if (k & (1u << SWEEP_GATEWAY))
        for (guint g = 0; g < scn->gateways->len; g++)
            for (int i = 0; i < 2 && net->gw[g][i]; i++)
                add_failure(s, SWEEP_GATEWAY, SEV_FAIL, SEV_RESTORE, true, net->gw[g][i]->name, NULL, node_graceful);
    if (k & (1u << SWEEP_RS_INSTANCE))
        for (guint r = 0; r < scn->route_servers->len; r++)
            for (int i = 0; i < 2; i++)
                add_failure(s, SWEEP_RS_INSTANCE, SEV_FAIL, SEV_RESTORE, true, net->rs[r][i]->name, NULL, node_graceful);
    if (k & (1u << SWEEP_MAINTENANCE)) {
        /* Route Server instances by their own event (back by itself), gateways as a graceful stop. */
        for (guint r = 0; r < scn->route_servers->len; r++)
            for (int i = 0; i < 2; i++) {
                SweepFailure *f = add_failure(s, SWEEP_MAINTENANCE, SEV_MAINTENANCE, SEV_SET, false, net->rs[r][i]->name,
                                              NULL, true);
                f->fail.duration = s->window;
            }
        for (guint g = 0; g < scn->gateways->len; g++)
            for (int i = 0; i < 2 && net->gw[g][i]; i++)
                add_failure(s, SWEEP_MAINTENANCE, SEV_FAIL, SEV_RESTORE, true, net->gw[g][i]->name, NULL, true);
    }
    if (k & (1u << SWEEP_ROUTE_SERVER))
        for (guint r = 0; r < scn->route_servers->len; r++) {
            const ArRouteServer *rs = g_ptr_array_index(scn->route_servers, r);
            SweepFailure *f = add_failure(s, SWEEP_ROUTE_SERVER, SEV_DELETE_RS, SEV_CREATE_RS, true, rs->name, NULL, true);
            f->fail.rs = f->repair.rs = (int)r;
        }
    if (k & (1u << SWEEP_SESSION))
        for (guint i = 0; i < net->sim->sessions->len; i++) {
            const ArSession *ss = g_ptr_array_index(net->sim->sessions, i);
            add_failure(s, SWEEP_SESSION, SEV_FAIL_SESSION, SEV_RESTORE_SESSION, true, ss->sp[0]->name, ss->sp[1]->name,
                        link_graceful);
        }
    if (k & (1u << SWEEP_CONNECTION))
        for (guint i = 0; i < scn->sites->len; i++) {
            const ArSite *st = g_ptr_array_index(scn->sites, i);
            for (guint c = 0; c < st->connections->len; c++) {
                const ArConnection *cn = &g_array_index(st->connections, ArConnection, c);
                const char *to = cn->kind == CONN_NVA ? ((const ArNva *)g_ptr_array_index(scn->nvas, cn->target))->name
                                                      : ((const ArGateway *)g_ptr_array_index(scn->gateways, cn->target))->name;
                add_failure(s, SWEEP_CONNECTION, SEV_FAIL_CONNECTION, SEV_RESTORE_CONNECTION, true, st->name, to,
                            link_graceful);
            }
        }
}

/* Keys of every best route of every speaker of the baseline, for the routes each case loses. */
static void plan_best_keys(ArSweep *s)
{
    const ArSim *sim = s->base->net->sim;
    s->best_keys = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        GArray *keys = g_array_new(FALSE, FALSE, sizeof(uint64_t));
        ArRibIter it;
        uint64_t key;
        ArRibNet *n;
        rib_iter_init(&it, &sp->rib);
        while (rib_iter_next(&it, &key, &n))
            if (rib_best(n))
                g_array_append_val(keys, key);
        g_ptr_array_add(s->best_keys, keys);
    }
}

ArSweep *sweep_new(const ArScenario *scn, const ArSweepOptions *opt, GError **error)
{
    g_autoptr(ArSweep) s = g_new0(ArSweep, 1);
    s->scn = scn;
    s->opt = *opt;
    if (!s->opt.kinds)
        s->opt.kinds = SWEEP_KINDS_ALL;
    if (!s->opt.depth)
        s->opt.depth = 1;
    if (!s->opt.max_cases)
        s->opt.max_cases = SWEEP_DEFAULT_MAX_CASES;
    s->opt.cfg.until = 0; /* every case runs until it settles after its repair */
    s->base_scn = *scn;
    s->no_events = g_array_new(FALSE, TRUE, sizeof(ArScnEvent));
    s->base_scn.events = s->no_events;
    s->failures = g_array_new(FALSE, TRUE, sizeof(SweepFailure));
    g_array_set_clear_func(s->failures, failure_clear);
    s->cases = g_array_new(FALSE, TRUE, sizeof(SweepCase));
    s->base = run_scenario(&s->base_scn, &s->opt.cfg);
    if (s->base->end != RUN_CONVERGED) {
        g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_NOT_CONVERGED,
                    "the scenario does not settle without failures (see arsim run --timeline); nothing to fail from");
        return NULL;
    }
    ArTime settled = s->base->net->sim->stats.last_change;
    s->t_fail = (settled / AR_SEC + 2) * AR_SEC; /* a whole second, at least one after convergence */
    s->window = scn->settings.max_time;
    {
        g_autoptr(ArReach) r = reach_new(s->base);
        s->reach = reach_matrix(r);
    }
    guint ne = s->reach->endpoints->len;
    s->pairs = g_array_new(FALSE, FALSE, sizeof(SweepPairIx));
    for (guint i = 0; i < ne; i++)
        for (guint j = i + 1; j < ne; j++)
            if (s->reach->cells[i * ne + j].reachable) {
                SweepPairIx p = { i, j };
                g_array_append_val(s->pairs, p);
            }
    plan_best_keys(s);
    plan_failures(s);
    guint64 nf = s->failures->len;
    guint64 total = nf + (s->opt.depth >= 2 ? nf * (nf ? nf - 1 : 0) / 2 : 0);
    if (total > s->opt.max_cases) {
        g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_TOO_MANY,
                    "%" G_GUINT64_FORMAT " cases (%" G_GUINT64_FORMAT " failures%s) exceed --max-cases %" G_GUINT64_FORMAT
                    "; choose fewer --kinds or raise --max-cases",
                    total, nf, s->opt.depth >= 2 ? " and their pairs" : "", s->opt.max_cases);
        return NULL;
    }
    for (guint i = 0; i < nf; i++) {
        SweepCase c = { 1, { i, 0 } };
        g_array_append_val(s->cases, c);
    }
    if (s->opt.depth >= 2)
        for (guint i = 0; i < nf; i++)
            for (guint j = i + 1; j < nf; j++) {
                SweepCase c = { 2, { i, j } };
                g_array_append_val(s->cases, c);
            }
    return g_steal_pointer(&s);
}

void sweep_free(ArSweep *s)
{
    if (!s)
        return;
    if (s->failures)
        g_array_free(s->failures, TRUE);
    if (s->cases)
        g_array_free(s->cases, TRUE);
    if (s->pairs)
        g_array_free(s->pairs, TRUE);
    if (s->best_keys)
        g_ptr_array_free(s->best_keys, TRUE);
    reach_matrix_free(s->reach);
    run_free(s->base);
    if (s->no_events)
        g_array_free(s->no_events, TRUE);
    g_free(s);
}

guint sweep_case_count(const ArSweep *s) { return s->cases->len; }
guint sweep_failure_count(const ArSweep *s) { return s->failures->len; }
const ArSweepOptions *sweep_options(const ArSweep *s) { return &s->opt; }
const ArScenario *sweep_scenario(const ArSweep *s) { return s->scn; }
ArTime sweep_fail_time(const ArSweep *s) { return s->t_fail; }
ArTime sweep_window(const ArSweep *s) { return s->window; }
const GArray *sweep_endpoints(const ArSweep *s) { return s->reach->endpoints; }
guint sweep_baseline_pairs(const ArSweep *s) { return s->pairs->len; }

/* ---- one case ------------------------------------------------------------------------------ */

/* Per baseline pair, during one case. */
typedef struct PairState {
    ArTime lost_at;           /* first time lost, AR_TIME_NEVER while never */
    ArTime lost_since;        /* start of the current loss, AR_TIME_NEVER when reachable */
    ArTime lost_for;          /* losses that ended, summed */
} PairState;

/* One case's run: the network, its phase, the samples so far. */
typedef struct CaseRun {
    const ArSweep *s;         /* the plan */
    ArNet *net;               /* the case's network */
    ArEvent probe;            /* the sampling event, in the engine's queue during the failure */
    int phase;                /* 0 baseline, 1 failure, 2 after the repair */
    ArTime t_fail, t_repair;  /* absolute times */
    ArTime last_sample;       /* time of the last sample */
    guint samples;            /* samples taken */
    PairState *ps;            /* per baseline pair */
    uint64_t updates_at_fail; /* stats.updates when the failure happened */
    uint64_t updates_at_repair; /* stats.updates when the repair happened */
    ArTime settle_abs;        /* last routing change of the failure phase */
    bool settled;             /* nothing was pending at the repair */
    ArSweepResult *res;       /* what it found */
} CaseRun;

/* Who reaches whom now, among the pairs that did in the baseline: effective routes, then both
 * walks of each pair. O(effective routes + baseline pairs x hops x 32). */
static void case_sample(CaseRun *c)
{
    ArNet *net = c->net;
    ArTime t = net->sim->now - c->t_fail;
    GPtrArray *eff = eff_compute(net);
    ArRun view = { .net = net, .eff = eff, .end = RUN_CONVERGED };
    ArReach *r = reach_new(&view);
    /* Only the pairs that reached each other before: a failure takes reachability away. */
    for (guint k = 0; k < c->s->pairs->len; k++) {
        SweepPairIx p = g_array_index(c->s->pairs, SweepPairIx, k);
        PairState *ps = &c->ps[k];
        bool lost = !reach_cell(r, p.i, p.j).reachable;
        if (lost && ps->lost_since == AR_TIME_NEVER) {
            ps->lost_since = t;
            if (ps->lost_at == AR_TIME_NEVER)
                ps->lost_at = t;
        } else if (!lost && ps->lost_since != AR_TIME_NEVER) {
            ps->lost_for += t - ps->lost_since;
            ps->lost_since = AR_TIME_NEVER;
        }
    }
    reach_free(r);
    g_ptr_array_unref(eff);
    c->last_sample = net->sim->now;
    c->samples++;
}

/* The probe: at the failure itself, then each time routing pauses (nothing due for
 * SWEEP_QUIET_GAP) after changing. It follows the queue from event time to event time, so it
 * runs after everything due at a time and stops at the repair. */
static void case_probe(ArEvent *ev, void *ctx)
{
    CaseRun *c = CONTAINER_OF(ev, CaseRun, probe);
    ArSim *sim = ctx;
    if (c->phase != 1)
        return;
    const ArEvent *next = evq_peek(&sim->q);
    bool first = c->samples == 0;
    bool quiet = !next || next->time >= sim->now + SWEEP_QUIET_GAP;
    if (first || (quiet && sim->stats.last_change > c->last_sample && c->samples <= SWEEP_MAX_SAMPLES))
        case_sample(c);
    if (next)
        evq_push(&sim->q, &c->probe, next->time);
}

/* Routes each node that is up lost against the baseline: O(best routes of the baseline). */
static void case_losses(CaseRun *c)
{
    const ArSim *sim = c->net->sim;
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        const GArray *keys = g_ptr_array_index(c->s->best_keys, i);
        if (sp->down) /* the failed node itself: what it held no longer matters */
            continue;
        guint lost = 0;
        for (guint k = 0; k < keys->len; k++) {
            const ArRibNet *n = rib_find(&sp->rib, g_array_index(keys, uint64_t, k));
            lost += !n || !rib_best(n);
        }
        if (lost) {
            ArSweepLoss l = { g_strdup(sp->name), lost };
            g_array_append_val(c->res->losses, l);
            c->res->routes_lost += lost;
        }
    }
}

/* Every node holds a best route for exactly the baseline's prefixes. O(best routes). */
static bool case_recovered(const CaseRun *c)
{
    const ArSim *sim = c->net->sim;
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        const GArray *keys = g_ptr_array_index(c->s->best_keys, i);
        guint have = 0;
        ArRibIter it;
        uint64_t key;
        ArRibNet *n;
        rib_iter_init(&it, &sp->rib);
        while (rib_iter_next(&it, &key, &n))
            have += rib_best(n) != NULL;
        if (have != keys->len)
            return false;
        for (guint k = 0; k < keys->len; k++) {
            const ArRibNet *b = rib_find(&sp->rib, g_array_index(keys, uint64_t, k));
            if (!b || !rib_best(b))
                return false;
        }
    }
    return true;
}

/* The engine closes an epoch when a scenario event fires: the failure (the baseline ends), the
 * repair (the failure ends), and follow-ups in between. */
static void case_epoch_end(ArNet *net, ArEpoch *ep)
{
    CaseRun *c = net->epoch_user;
    ArSim *sim = net->sim;
    if (c->phase == 0 && sim->now >= c->t_fail) {
        c->phase = 1;
        c->updates_at_fail = sim->stats.updates;
        /* Queued now, it runs after the failure events due at this time. */
        evq_event_init(&c->probe, case_probe);
        evq_push(&sim->q, &c->probe, sim->now);
    } else if (c->phase == 1 && sim->now >= c->t_repair) {
        c->settled = sim->pending == 0;
        c->settle_abs = MAX(c->t_fail, sim->stats.last_change);
        if (sim->stats.last_change > c->last_sample) /* routing changed since the last sample */
            case_sample(c);
        case_losses(c);
        c->updates_at_repair = sim->stats.updates;
        c->phase = 2;
        if (evq_scheduled(&c->probe))
            evq_cancel(&sim->q, &c->probe);
    }
}

static ArScnEvent case_event(const ArScnEvent *tpl, ArTime at, int order)
{
    ArScnEvent e = *tpl;
    e.at = at;
    e.order = order;
    return e;
}

ArSweepResult *sweep_run_case(const ArSweep *s, guint i)
{
    g_assert(i < s->cases->len);
    const SweepCase *sc = &g_array_index(s->cases, SweepCase, i);
    const SweepFailure *f[2] = { &g_array_index(s->failures, SweepFailure, sc->f[0]),
                                 sc->n > 1 ? &g_array_index(s->failures, SweepFailure, sc->f[1]) : NULL };
    g_autofree char *label = sc->n > 1 ? g_strdup_printf("%s + %s", f[0]->fail.label, f[1]->fail.label)
                                       : g_strdup(f[0]->fail.label);
    CaseRun c = { .s = s, .t_fail = s->t_fail, .t_repair = s->t_fail + s->window };
    c.res = sweep_result_new(i, label);

    /* The scenario with the failures at t_fail and the repairs one window later. */
    g_autoptr(GArray) events = g_array_new(FALSE, TRUE, sizeof(ArScnEvent));
    int order = 0;
    for (guint k = 0; k < sc->n; k++) {
        ArScnEvent e = case_event(&f[k]->fail, c.t_fail, order++);
        g_array_append_val(events, e);
        g_ptr_array_add(c.res->what, g_strdup(f[k]->what));
    }
    for (guint k = 0; k < sc->n; k++)
        if (f[k]->has_repair) {
            ArScnEvent e = case_event(&f[k]->repair, c.t_repair, order++);
            g_array_append_val(events, e);
        }
    ArScenario scn = s->base_scn;
    scn.events = events;

    c.ps = g_new(PairState, s->pairs->len + 1);
    for (guint k = 0; k < s->pairs->len; k++)
        c.ps[k] = (PairState){ AR_TIME_NEVER, AR_TIME_NEVER, 0 };
    c.net = azure_net(&scn, &s->opt.cfg);
    c.net->on_epoch_end = case_epoch_end;
    c.net->epoch_user = &c;
    ArRunEnd end = azure_run(c.net);
    ArSim *sim = c.net->sim;
    if (c.phase == 1) { /* the run ended before the repair time: an event cap, or no repair event */
        c.settled = sim->pending == 0;
        c.settle_abs = MAX(c.t_fail, sim->stats.last_change);
        if (sim->stats.last_change > c.last_sample)
            case_sample(&c);
        case_losses(&c);
        c.updates_at_repair = sim->stats.updates;
        c.phase = 2;
    }
    g_assert(c.phase == 2 || end == RUN_EVENT_CAP);
    ArSweepResult *res = c.res;
    res->capped = end == RUN_EVENT_CAP;
    res->settled = c.settled;
    res->settle = c.settle_abs - c.t_fail;
    res->updates = c.updates_at_repair - c.updates_at_fail;
    res->repair_updates = sim->stats.updates - c.updates_at_repair;
    res->repair_settle = sim->stats.last_change > c.t_repair ? sim->stats.last_change - c.t_repair : 0;
    res->recovered = end == RUN_CONVERGED && case_recovered(&c);
    res->samples = c.samples;
    const GArray *eps = s->reach->endpoints;
    for (guint k = 0; k < s->pairs->len; k++) {
        const PairState *ps = &c.ps[k];
        if (ps->lost_at == AR_TIME_NEVER)
            continue;
        SweepPairIx p = g_array_index(s->pairs, SweepPairIx, k);
        ArSweepPair x = {
            .a = g_strdup(g_array_index(eps, ArReachEndpoint, p.i).name),
            .b = g_strdup(g_array_index(eps, ArReachEndpoint, p.j).name),
            .lost_at = ps->lost_at,
            .lost_for = ps->lost_for,
            .until_repair = ps->lost_since != AR_TIME_NEVER,
        };
        g_array_append_val(res->pairs, x);
    }
    g_free(c.ps);
    azure_net_free(c.net);
    return res;
}

/* ---- many cases ---------------------------------------------------------------------------- */

/* What the worker threads share. */
typedef struct SweepJobs {
    const ArSweep *s;            /* the plan */
    ArSweepResult **slots;       /* per case index: its result, written by the thread that ran it */
    GMutex lock;                 /* serialises progress calls */
    guint done;                  /* cases finished (under lock) */
    guint total;                 /* cases of this rank */
    ArSweepProgressFn progress;  /* may be NULL */
    void *user;                  /* its argument */
} SweepJobs;

static void sweep_job_done(SweepJobs *j)
{
    g_mutex_lock(&j->lock);
    j->done++;
    if (j->progress)
        j->progress(j->user, j->done, j->total);
    g_mutex_unlock(&j->lock);
}

static void sweep_worker(gpointer data, gpointer user)
{
    SweepJobs *j = user;
    guint i = GPOINTER_TO_UINT(data) - 1;
    j->slots[i] = sweep_run_case(j->s, i);
    sweep_job_done(j);
}

GPtrArray *sweep_run(const ArSweep *s, guint rank, guint size, guint jobs, ArSweepProgressFn progress, void *user)
{
    g_assert(size >= 1 && rank < size);
    guint n = s->cases->len;
    SweepJobs j = { .s = s, .slots = g_new0(ArSweepResult *, n + 1), .progress = progress, .user = user };
    g_mutex_init(&j.lock);
    for (guint i = rank; i < n; i += size)
        j.total++;
    if (jobs <= 1 || j.total <= 1) {
        for (guint i = rank; i < n; i += size)
            sweep_worker(GUINT_TO_POINTER(i + 1), &j);
    } else {
        /* Each case builds its own network from the immutable plan: nothing else is shared. */
        GThreadPool *pool = g_thread_pool_new(sweep_worker, &j, (gint)MIN(jobs, j.total), TRUE, NULL);
        g_assert(pool); /* exclusive threads are created here; GLib aborts if it cannot */
        for (guint i = rank; i < n; i += size)
            g_thread_pool_push(pool, GUINT_TO_POINTER(i + 1), NULL);
        g_thread_pool_free(pool, FALSE, TRUE); /* waits for every case */
    }
    g_mutex_clear(&j.lock);
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)sweep_result_free);
    for (guint i = rank; i < n; i += size)
        g_ptr_array_add(out, j.slots[i]);
    g_free(j.slots);
    return out;
}
