/* test_engine.c - event queue, attribute interning, decision process and BGP mechanics, without Azure. */
#include "arsim/bgp.h"
#include "arsim/decision.h"
#include "arsim/azure.h"

#include <string.h>

/* ---- event queue ----------------------------------------------------------------------------- */

typedef struct Rec {
    ArEvent ev;
    int id;
    GArray *log;
} Rec;

static void rec_fire(ArEvent *ev, void *ctx)
{
    Rec *r = (Rec *)ev;
    g_array_append_val(r->log, r->id);
}

static void test_evq_order(void)
{
    ArEvq q;
    evq_init(&q);
    g_autoptr(GArray) log = g_array_new(FALSE, FALSE, sizeof(int));
    Rec recs[6];
    ArTime times[6] = { 30, 10, 20, 10, 5, 10 };
    for (int i = 0; i < 6; i++) {
        recs[i] = (Rec){ .id = i, .log = log };
        evq_event_init(&recs[i].ev, rec_fire);
        evq_push(&q, &recs[i].ev, times[i]);
    }
    g_assert_cmpuint(q.len, ==, 6);
    ArEvent *ev;
    while ((ev = evq_pop(&q)) != NULL)
        ev->fn(ev, NULL);
    /* Ties (time 10: ids 1, 3, 5) fire in scheduling order. */
    int want[] = { 4, 1, 3, 5, 2, 0 };
    g_assert_cmpmem(log->data, log->len * sizeof(int), want, sizeof want);
    g_assert_cmpuint(q.peak, ==, 6);
    evq_clear(&q);
}

static void test_evq_cancel(void)
{
    ArEvq q;
    evq_init(&q);
    g_autoptr(GArray) log = g_array_new(FALSE, FALSE, sizeof(int));
    Rec recs[100];
    for (int i = 0; i < 100; i++) {
        recs[i] = (Rec){ .id = i, .log = log };
        evq_event_init(&recs[i].ev, rec_fire);
        evq_push(&q, &recs[i].ev, (ArTime)((i * 37) % 101));
    }
    for (int i = 0; i < 100; i += 3) {
        evq_cancel(&q, &recs[i].ev);
        g_assert_false(evq_scheduled(&recs[i].ev));
    }
    ArTime last = 0;
    ArEvent *ev;
    int n = 0;
    while ((ev = evq_pop(&q)) != NULL) {
        g_assert_cmpuint(ev->time, >=, last);
        g_assert_cmpint(((Rec *)ev)->id % 3, !=, 0);
        last = ev->time;
        n++;
    }
    g_assert_cmpint(n, ==, 66);
    evq_clear(&q);
}

/* ---- attributes ------------------------------------------------------------------------------ */

static void test_attr_intern(void)
{
    ArAttrCache *c = attr_cache_new();
    uint32_t p1[] = { 65001, 65010 };
    const ArAsPath *a = attr_path(c, p1, 2), *b = attr_path(c, p1, 2);
    g_assert_true(a == b);
    g_assert_true(attr_path_prepend(c, attr_path(c, p1 + 1, 1), 65001) == a);
    uint32_t cm[] = { 3, 1, 2, 1 };
    const ArComms *cs = attr_comms(c, cm, 4);
    g_assert_cmpuint(cs->len, ==, 3);
    g_assert_true(attr_comms_has(cs, 2));
    g_assert_false(attr_comms_has(cs, 4));
    ArAttrs x = { .path = a, .comms = cs, .next_hop = 1, .local_pref = 100 };
    const ArAttrs *i1 = attr_intern(c, &x);
    x.next_hop = 2;
    const ArAttrs *i2 = attr_intern(c, &x);
    x.next_hop = 1;
    g_assert_true(i1 != i2);
    g_assert_true(attr_intern(c, &x) == i1);
    g_assert_cmpuint(attr_cache_size(c), ==, 2);
    g_autofree char *s = attr_path_to_string(a);
    g_assert_cmpstr(s, ==, "65001-65010");
    uint32_t priv[] = { 12076, 65515, 65001, 4200000001u, 3356 };
    g_autofree char *s2 = attr_path_to_string(attr_path_remove_private(c, attr_path(c, priv, 5)));
    g_assert_cmpstr(s2, ==, "12076-3356");
    attr_cache_free(c);
}

/* n distinct sets interned in c (next hops base .. base + n - 1), their numbers in ids. */
static void slab_fill(ArAttrCache *c, uint32_t base, guint n, uint32_t *ids)
{
    for (guint k = 0; k < n; k++) {
        ArAttrs x = { .path = attr_path(c, NULL, 0), .comms = attr_comms(c, NULL, 0), .next_hop = base + k };
        const ArAttrs *a = attr_intern(c, &x);
        g_assert_cmpuint(a->id, !=, 0);
        g_assert_true(attr_at(a->id) == a); /* the number finds the set, no table at hand */
        g_assert_cmpuint(a->next_hop, ==, base + k);
        ids[k] = a->id;
    }
}

static gint cmp_u32(gconstpointer a, gconstpointer b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

typedef struct SlabThread {
    uint32_t base;   /* first next hop of its sets */
    uint32_t ids[2000]; /* their numbers */
} SlabThread;

static gpointer slab_thread(gpointer p)
{
    SlabThread *t = p;
    ArAttrCache *c = attr_cache_new();
    slab_fill(c, t->base, G_N_ELEMENTS(t->ids), t->ids);
    return c; /* alive until both threads are done */
}

/* The slab of interned sets (attr.c): a set's number finds it; a freed cache's slots are the next
 * ones handed out (the slab does not grow while sets come and go, as in a sweep's thousands of
 * cases); caches on two threads at once get distinct numbers. */
static void test_attr_slab(void)
{
    enum { N = 500 };
    uint32_t a[N], b[N];
    ArAttrCache *c = attr_cache_new();
    slab_fill(c, 1000, N, a);
    attr_cache_free(c);
    c = attr_cache_new();
    slab_fill(c, 5000, N, b); /* other sets, in the slots the first cache gave back */
    qsort(a, N, sizeof a[0], cmp_u32);
    qsort(b, N, sizeof b[0], cmp_u32);
    g_assert_cmpmem(a, sizeof a, b, sizeof b);
    for (guint k = 1; k < N; k++)
        g_assert_cmpuint(a[k - 1], <, a[k]);
    attr_cache_free(c);

    static SlabThread t[2] = { { .base = 100000 }, { .base = 200000 } };
    GThread *th[2];
    ArAttrCache *tc[2];
    for (guint i = 0; i < 2; i++)
        th[i] = g_thread_new("slab", slab_thread, &t[i]);
    for (guint i = 0; i < 2; i++)
        tc[i] = g_thread_join(th[i]);
    /* Both caches alive: every number is its own set's, none shared between the threads. */
    g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < 2; i++)
        for (guint k = 0; k < G_N_ELEMENTS(t[i].ids); k++) {
            g_assert_cmpuint(attr_at(t[i].ids[k])->next_hop, ==, t[i].base + k);
            g_assert_true(g_hash_table_add(seen, GUINT_TO_POINTER(t[i].ids[k])));
        }
    for (guint i = 0; i < 2; i++)
        attr_cache_free(tc[i]);
}

/* Events of one time fire first-in first-out whichever way they reach bucket 0: pushed at `last`,
 * spread from a level-0, level-1 or level-2 bucket, past stale (cancelled) entries, or re-filed by
 * a push before `last` (evq.c's check_now_order asserts the order at every refill). A seeded random
 * walk of pushes (same time, near, far, in the past), cancels and pops, each pop checked against a
 * plain list: the earliest (time, scheduling order) live event. */
#define FIFO_EVENTS 64

typedef struct FifoRef {
    ArEvent ev;       /* the queued event */
    uint64_t order;   /* scheduling order as the test counts it */
} FifoRef;

static void test_evq_fifo_same_time(void)
{
    static const ArTime steps[] = { 0, 0, 0, 1, 7, 255, 256, 300, 65535, 70000, 1u << 24, 1ull << 33 };
    ArEvq q;
    evq_init(&q);
    FifoRef ev[FIFO_EVENTS];
    for (int i = 0; i < FIFO_EVENTS; i++)
        evq_event_init(&ev[i].ev, rec_fire);
    GRand *rng = g_rand_new_with_seed(16);
    uint64_t order = 0;
    ArTime now = 0;
    guint pops = 0, ties = 0, past = 0;
    for (int step = 0; step < 200000; step++) {
        int i = g_rand_int_range(rng, 0, FIFO_EVENTS);
        int op = g_rand_int_range(rng, 0, 10);
        if (op < 5 && !evq_scheduled(&ev[i].ev)) {
            ArTime t = now + steps[g_rand_int_range(rng, 0, G_N_ELEMENTS(steps))];
            if (op == 0 && now > 0 && g_rand_int_range(rng, 0, 8) == 0) {
                t = now - 1; /* before `last`: the queue re-files everything */
                past++;
            }
            evq_push(&q, &ev[i].ev, t);
            ev[i].order = order++;
        } else if (op == 5 && evq_scheduled(&ev[i].ev)) {
            evq_cancel(&q, &ev[i].ev);
        } else if (op > 5) {
            const FifoRef *want = NULL;
            for (int k = 0; k < FIFO_EVENTS; k++)
                if (evq_scheduled(&ev[k].ev) && (!want || ev[k].ev.time < want->ev.time ||
                                                 (ev[k].ev.time == want->ev.time && ev[k].order < want->order)))
                    want = &ev[k];
            ArTime want_time = want ? want->ev.time : 0;
            ArEvent *got = evq_pop(&q);
            g_assert_true(got == (want ? &want->ev : NULL));
            if (got) {
                ties += pops && got->time == now;
                now = want_time;
                pops++;
            }
        }
    }
    g_rand_free(rng);
    /* The walk did what it is for: many pops, ties among them, pushes into the past. */
    g_assert_cmpuint(pops, >, 50000);
    g_assert_cmpuint(ties, >, 1000);
    g_assert_cmpuint(past, >, 100);
    evq_clear(&q);
}

/* ---- decision process: one test per rule ------------------------------------------------------ */

typedef struct DpFix {
    ArSim *sim;
    ArSpeaker *me, *p1, *p2;
    ArSession *s1, *s2;
} DpFix;

static void dp_fix_init(DpFix *f, uint32_t asn1, uint32_t asn2)
{
    f->sim = bgp_sim_new(NULL);
    f->me = bgp_speaker_new(f->sim, "me", NODE_SITE, 65100, 0x0A000001, &policy_standard);
    f->p1 = bgp_speaker_new(f->sim, "p1", NODE_SITE, asn1, 0x0A000002, &policy_standard);
    f->p2 = bgp_speaker_new(f->sim, "p2", NODE_SITE, asn2, 0x0A000003, &policy_standard);
    f->s1 = bgp_session_new(f->sim, f->me, f->me->ip, f->p1, f->p1->ip);
    f->s2 = bgp_session_new(f->sim, f->me, f->me->ip, f->p2, f->p2->ip);
}

static const ArAttrs *mk(ArSim *sim, const uint32_t *path, uint32_t n, uint32_t lp, uint32_t med, uint32_t w,
                         uint8_t origin)
{
    ArAttrs a = *sim->empty;
    a.path = attr_path(sim->attrs, path, n);
    a.local_pref = lp;
    a.med = med;
    a.weight = w;
    a.origin = origin;
    return attr_intern(sim->attrs, &a);
}

/* Returns the name of the rule that decides between r1 (from p1) and r2 (from p2). */
static const char *decide(DpFix *f, const ArAttrs *a1, const ArAttrs *a2, int *winner)
{
    ArRoute r1 = { .ax = attr_id(a1), .peer = f->s1->peer[0] }, r2 = { .ax = attr_id(a2), .peer = f->s2->peer[0] };
    size_t rule;
    int c = dp_compare(f->me, &r1, &r2, &rule);
    *winner = c > 0 ? 1 : c < 0 ? 2 : 0;
    return rule < dp_rule_count ? dp_rules[rule].name : "tie";
}

static void test_dp_rules(void)
{
    DpFix f;
    dp_fix_init(&f, 65001, 65002);
    uint32_t one[] = { 65001 }, two[] = { 65002, 65003 }, onep2[] = { 65002 };
    int w;
    /* the speaker's own VNet space beats a learned copy, even one of higher weight */
    {
        ArRoute own = { .ax = attr_id(mk(f.sim, NULL, 0, 100, 0, 32768, 0)), .peer = PEER_LOCAL, .flags = RT_VNET };
        ArRoute copy = { .ax = attr_id(mk(f.sim, one, 1, 100, 0, 32769, 0)), .peer = f.s1->peer[0] };
        size_t rule;
        g_assert_cmpint(dp_compare(f.me, &copy, &own, &rule), <, 0);
        g_assert_cmpstr(dp_rules[rule].name, ==, "VNet address space");
    }
    /* weight beats everything after it */
    g_assert_cmpstr(decide(&f, mk(f.sim, two, 2, 100, 0, 1, 0), mk(f.sim, one, 1, 200, 0, 0, 0), &w), ==, "weight");
    g_assert_cmpint(w, ==, 1);
    /* RFC 4271 9.1.1 local preference */
    g_assert_cmpstr(decide(&f, mk(f.sim, two, 2, 200, 0, 0, 0), mk(f.sim, one, 1, 100, 0, 0, 0), &w), ==,
                    "local preference");
    g_assert_cmpint(w, ==, 1);
    /* 9.1.2.2 (a) AS path length */
    g_assert_cmpstr(decide(&f, mk(f.sim, two, 2, 100, 0, 0, 0), mk(f.sim, one, 1, 100, 0, 0, 0), &w), ==,
                    "AS path length");
    g_assert_cmpint(w, ==, 2);
    /* 9.1.2.2 (b) origin */
    g_assert_cmpstr(decide(&f, mk(f.sim, one, 1, 100, 0, 0, ORIGIN_INCOMPLETE), mk(f.sim, onep2, 1, 100, 0, 0, ORIGIN_IGP), &w),
                    ==, "origin");
    g_assert_cmpint(w, ==, 2);
    /* 9.1.2.2 (c) MED only between the same neighbour AS: different AS -> falls through to router ID */
    g_assert_cmpstr(decide(&f, mk(f.sim, one, 1, 100, 50, 0, 0), mk(f.sim, onep2, 1, 100, 10, 0, 0), &w), ==, "router ID");
    g_assert_cmpint(w, ==, 1);
    /* same neighbour AS: MED decides */
    g_assert_cmpstr(decide(&f, mk(f.sim, one, 1, 100, 50, 0, 0), mk(f.sim, one, 1, 100, 10, 0, 0), &w), ==, "MED");
    g_assert_cmpint(w, ==, 2);
    bgp_sim_free(f.sim);

    /* 9.1.2.2 (d) eBGP over iBGP: p1 in our AS (iBGP), p2 external */
    dp_fix_init(&f, 65100, 65002);
    g_assert_cmpstr(decide(&f, mk(f.sim, onep2, 1, 100, 0, 0, 0), mk(f.sim, one, 1, 100, 0, 0, 0), &w), ==,
                    "eBGP over iBGP");
    g_assert_cmpint(w, ==, 2);
    bgp_sim_free(f.sim);
}

static void test_dp_hub_preference(void)
{
    /* A Route Server instance compares an ExpressRoute-gateway path and an NVA path. */
    ArScenario *scn = scn_new();
    ArRouteServer *rs = scn_add_route_server(scn, "ars");
    ArSim *sim = bgp_sim_new(NULL);
    ArSpeaker *ars = bgp_speaker_new(sim, "ars/0", NODE_ROUTE_SERVER, 65515, 0x0A0000C4, &policy_route_server);
    ars->cfg = rs;
    ArSpeaker *ergw = bgp_speaker_new(sim, "ergw", NODE_ER_GATEWAY, 65515, 0x0A0000E4, &policy_er_gateway);
    ArSpeaker *nva = bgp_speaker_new(sim, "nva", NODE_NVA, 65001, 0x0A000104, &policy_standard);
    ArSession *se = bgp_session_new(sim, ars, ars->ip, ergw, ergw->ip);
    ArSession *sn = bgp_session_new(sim, ars, ars->ip, nva, nva->ip);
    uint32_t er[] = { 12076, 65020 }, nv[] = { 65001 };
    ArRoute r_er = { .ax = attr_id(mk(sim, er, 2, 100, 0, 32768, 0)), .peer = se->peer[0] };
    ArRoute r_nva = { .ax = attr_id(mk(sim, nv, 1, 100, 0, 32768, 0)), .peer = sn->peer[0] };
    size_t rule;
    rs->hub_pref = HUBPREF_EXPRESSROUTE;
    g_assert_cmpint(dp_compare(ars, &r_er, &r_nva, &rule), >, 0);
    g_assert_cmpstr(dp_rules[rule].name, ==, "policy preference"); /* the Route Server policy's rank (HRP) */
    rs->hub_pref = HUBPREF_VPNGATEWAY;
    g_assert_cmpint(dp_compare(ars, &r_er, &r_nva, &rule), <, 0);
    g_assert_cmpstr(dp_rules[rule].name, ==, "policy preference"); /* the Route Server policy's rank (HRP) */
    rs->hub_pref = HUBPREF_ASPATH;
    g_assert_cmpint(dp_compare(ars, &r_er, &r_nva, &rule), <, 0);
    g_assert_cmpstr(dp_rules[rule].name, ==, "AS path length");
    bgp_sim_free(sim);
    scn_free(scn);
}

/* ---- decision process: set elimination, order independence (RFC 4271 9.1.2.2) ----------------- */

#define DP_PERM_MAX 6

/* One candidate path: neighbouring AS (first ASN of its path), MED, AS-path length. */
typedef struct DpCand {
    uint32_t nas;     /* neighbouring AS */
    uint32_t med;     /* MULTI_EXIT_DISC */
    uint32_t len;     /* AS-path length, 1 or more */
} DpCand;

typedef struct DpPermFix {
    ArSim *sim;
    ArSpeaker *me;                 /* the deciding speaker */
    uint16_t peer[DP_PERM_MAX];    /* me's peer index toward candidate i's sender */
    ArRoute routes[DP_PERM_MAX];   /* candidate i, sent by peer[i] */
    ArRoute *order[DP_PERM_MAX];   /* the order being tried */
    uint16_t winner;               /* peer index chosen by the first order tried, PEER_LOCAL before */
    guint orders;                  /* orders tried */
} DpPermFix;

static void dp_perm_fix_init(DpPermFix *f)
{
    f->sim = bgp_sim_new(NULL);
    f->me = bgp_speaker_new(f->sim, "me", NODE_SITE, 65100, 0x0A000001, &policy_standard);
    /* Router IDs deliberately out of peer order, so that router ID and peer index disagree. */
    static const uint32_t ids[DP_PERM_MAX] = { 0x0A000005, 0x0A000002, 0x0A000007, 0x0A000003, 0x0A000006, 0x0A000004 };
    for (int i = 0; i < DP_PERM_MAX; i++) {
        g_autofree char *name = g_strdup_printf("p%d", i);
        ArSpeaker *p = bgp_speaker_new(f->sim, name, NODE_SITE, 65200u + (uint32_t)i, ids[i], &policy_standard);
        f->peer[i] = bgp_session_new(f->sim, f->me, f->me->ip, p, p->ip)->peer[0];
    }
}

/* Runs dp_best over every order of routes[k .. n) behind order[0 .. k) (Heap-free recursion by
 * swapping), asserting that every order gives the same winner. */
static void dp_perm_try(DpPermFix *f, ArRoute **pool, size_t k, size_t n)
{
    if (k == n) {
        ArRoute arr[DP_PERM_MAX]; /* the paths side by side in this order, as a net holds them */
        for (size_t i = 0; i < n; i++)
            arr[i] = *f->order[i];
        g_assert_cmpuint(n, >=, 3); /* fewer are held inline, where the pairwise comparison decides */
        ArRibNet net = { .many = { .arr = arr, .best = 0, .tag = RIB_MANY, .n = (uint32_t)n } };
        ArRoute *b = dp_best(f->me, &net);
        g_assert_nonnull(b);
        if (f->winner == PEER_LOCAL)
            f->winner = b->peer;
        g_assert_cmpuint(b->peer, ==, f->winner);
        f->orders++;
        return;
    }
    for (size_t i = k; i < n; i++) {
        ArRoute *t = pool[k];
        pool[k] = pool[i];
        pool[i] = t;
        f->order[k] = pool[k];
        dp_perm_try(f, pool, k + 1, n);
        pool[i] = pool[k];
        pool[k] = t;
    }
}

/* Sets up candidates c[0 .. n) and tries all n! orders; returns the winner's candidate index. */
static int dp_perm_run(DpPermFix *f, const DpCand *c, size_t n)
{
    ArRoute *pool[DP_PERM_MAX];
    for (size_t i = 0; i < n; i++) {
        uint32_t path[4] = { c[i].nas, 65010, 65011, 65012 };
        g_assert_cmpuint(c[i].len, >=, 1);
        g_assert_cmpuint(c[i].len, <=, 4);
        f->routes[i] = (ArRoute){ .ax = attr_id(mk(f->sim, path, c[i].len, 100, c[i].med, 0, 0)), .peer = f->peer[i] };
        pool[i] = &f->routes[i];
    }
    f->winner = PEER_LOCAL;
    f->orders = 0;
    dp_perm_try(f, pool, 0, n);
    guint fact = 1;
    for (guint i = 2; i <= n; i++)
        fact *= i;
    g_assert_cmpuint(f->orders, ==, fact);
    for (size_t i = 0; i < n; i++)
        if (f->peer[i] == f->winner)
            return (int)i;
    g_assert_not_reached();
}

static void test_dp_order_independent(void)
{
    DpPermFix f;
    dp_perm_fix_init(&f);
    /* The trap of issue 13. Router IDs: candidate 0 = .5, 1 = .2, 2 = .7. A = candidate 1 (AS
     * 65001, MED 10), B = candidate 2 (AS 65001, MED 5), C = candidate 0 (AS 65002). Pairwise,
     * B beats A (MED), C beats B (router ID), A beats C (router ID): a cycle, and a fold over the
     * list returns whichever the order favours. RFC 4271 removes A (MED within AS 65001), then
     * router ID picks C over B. */
    DpCand trap[3] = { { 65002, 0, 1 }, { 65001, 10, 1 }, { 65001, 5, 1 } };
    g_assert_cmpint(dp_perm_run(&f, trap, 3), ==, 0);
    /* Same shape with the lone path's MED lower than both: still compared with neither. */
    DpCand trap2[3] = { { 65002, 0, 1 }, { 65001, 10, 1 }, { 65001, 5, 1 } };
    trap2[0].med = 100;
    g_assert_cmpint(dp_perm_run(&f, trap2, 3), ==, 0);
    /* A path eliminated by AS-path length no longer knocks out its AS's other paths by MED:
     * candidate 2 (MED 0, path of 2) loses on length; candidate 1 (MED 50) stays and wins on
     * router ID (.2) against candidate 0 (.5). */
    DpCand len[3] = { { 65002, 0, 1 }, { 65001, 50, 1 }, { 65001, 0, 2 } };
    g_assert_cmpint(dp_perm_run(&f, len, 3), ==, 1);

    /* Random sets of 3 to 6 paths, every order of each. */
    g_autoptr(GRand) rng = g_rand_new_with_seed(13);
    static const uint32_t meds[] = { 0, 5, 10, 20 };
    for (size_t n = 3; n <= DP_PERM_MAX; n++) {
        for (int set = 0; set < (n == DP_PERM_MAX ? 8 : 40); set++) {
            DpCand c[DP_PERM_MAX];
            for (size_t i = 0; i < n; i++)
                c[i] = (DpCand){ 65001u + (uint32_t)g_rand_int_range(rng, 0, 3), meds[g_rand_int_range(rng, 0, 4)],
                                 g_rand_int_range(rng, 0, 4) ? 1u : 2u };
            int w = dp_perm_run(&f, c, n);
            /* The winner has the shortest path, and no path of its AS with as short a path has a
             * lower MED. */
            for (size_t i = 0; i < n; i++) {
                g_assert_cmpuint(c[w].len, <=, c[i].len);
                if (c[i].nas == c[w].nas && c[i].len == c[w].len)
                    g_assert_cmpuint(c[w].med, <=, c[i].med);
            }
        }
    }
    bgp_sim_free(f.sim);
}

/* ---- BGP mechanics on a chain a - b - c ---------------------------------------------------------- */

typedef struct Chain {
    ArSim *sim;
    ArSpeaker *a, *b, *c;
    ArSession *ab, *bc;
} Chain;

static void chain_init(Chain *ch, uint32_t asn_c)
{
    ch->sim = bgp_sim_new(NULL);
    ch->a = bgp_speaker_new(ch->sim, "a", NODE_SITE, 65001, 0x01010101, &policy_standard);
    ch->b = bgp_speaker_new(ch->sim, "b", NODE_SITE, 65002, 0x02020202, &policy_standard);
    ch->c = bgp_speaker_new(ch->sim, "c", NODE_SITE, asn_c, 0x03030303, &policy_standard);
    ch->ab = bgp_session_new(ch->sim, ch->a, ch->a->ip, ch->b, ch->b->ip);
    ch->bc = bgp_session_new(ch->sim, ch->b, ch->b->ip, ch->c, ch->c->ip);
}

static const ArRoute *best_of(ArSpeaker *sp, const char *prefix)
{
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    ArRibNet *n = rib_find(&sp->rib, pfx_key(p));
    return n ? rib_best(n) : NULL;
}

static char *path_of(ArSpeaker *sp, const char *prefix)
{
    const ArRoute *r = best_of(sp, prefix);
    return r ? attr_path_to_string(rt_attrs(r)->path) : g_strdup("(none)");
}

static void originate(ArSpeaker *sp, const char *prefix, const uint32_t *comms, uint32_t ncomms)
{
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    ArAttrs a = *sp->sim->empty;
    a.next_hop = sp->ip;
    a.weight = AR_WEIGHT_LOCAL;
    a.comms = attr_comms(sp->sim->attrs, comms, ncomms);
    bgp_originate(sp, p, attr_intern(sp->sim->attrs, &a), 0);
}

static void chain_up(Chain *ch)
{
    bgp_session_up_at(ch->sim, ch->ab, 0);
    bgp_session_up_at(ch->sim, ch->bc, 0);
    g_assert_cmpint(bgp_run(ch->sim, AR_TIME_NEVER), ==, RUN_CONVERGED);
}

static void test_bgp_prepend_and_next_hop(void)
{
    Chain ch;
    chain_init(&ch, 65003);
    originate(ch.a, "10.100.0.0/16", NULL, 0);
    chain_up(&ch);
    g_autofree char *pc = path_of(ch.c, "10.100.0.0/16");
    g_assert_cmpstr(pc, ==, "65002-65001");
    g_assert_cmphex(rt_attrs(best_of(ch.c, "10.100.0.0/16"))->next_hop, ==, ch.b->ip);
    /* Two hops of 10 ms link delay and 1 ms batching each. */
    g_assert_cmpuint(ch.sim->stats.last_change, ==, 22 * AR_MSEC);
    bgp_sim_free(ch.sim);
}

static void test_bgp_loop_drop(void)
{
    /* c is in a's AS: the route comes back to 65001 and must be dropped there. */
    Chain ch;
    chain_init(&ch, 65001);
    originate(ch.a, "10.100.0.0/16", NULL, 0);
    originate(ch.c, "10.200.0.0/16", NULL, 0);
    chain_up(&ch);
    g_assert_null(best_of(ch.c, "10.100.0.0/16"));
    g_assert_null(best_of(ch.a, "10.200.0.0/16"));
    g_assert_nonnull(best_of(ch.b, "10.200.0.0/16"));
    g_assert_cmpuint(ch.c->rejected, ==, 1);
    bgp_sim_free(ch.sim);
}

static void test_bgp_never_back_to_source(void)
{
    Chain ch;
    chain_init(&ch, 65003);
    originate(ch.a, "10.100.0.0/16", NULL, 0);
    chain_up(&ch);
    ArPeer *b_to_a = bgp_peer(ch.b, ch.ab->peer[1]);
    ArPrefix p;
    pfx_parse("10.100.0.0/16", &p);
    g_assert_null(bgp_out_lookup(ch.b, b_to_a, pfx_key(p)));
    ArPeer *b_to_c = bgp_peer(ch.b, ch.bc->peer[0]);
    g_assert_nonnull(bgp_out_lookup(ch.b, b_to_c, pfx_key(p)));
    bgp_sim_free(ch.sim);
}

static void test_bgp_no_advertise(void)
{
    Chain ch;
    chain_init(&ch, 65003);
    uint32_t na = COMM_NO_ADVERTISE, ne = COMM_NO_EXPORT;
    originate(ch.a, "10.100.0.0/16", &na, 1);
    originate(ch.a, "10.101.0.0/16", &ne, 1);
    chain_up(&ch);
    /* a attaches the communities as the routes leave; b, the receiver, honours them: the
     * NO_ADVERTISE route goes to nobody, the NO_EXPORT one to no other AS. */
    g_assert_nonnull(best_of(ch.b, "10.100.0.0/16"));
    g_assert_nonnull(best_of(ch.b, "10.101.0.0/16"));
    g_assert_null(best_of(ch.c, "10.100.0.0/16"));
    g_assert_null(best_of(ch.c, "10.101.0.0/16"));
    bgp_sim_free(ch.sim);
}

static void test_bgp_withdraw_on_down(void)
{
    Chain ch;
    chain_init(&ch, 65003);
    originate(ch.a, "10.100.0.0/16", NULL, 0);
    chain_up(&ch);
    g_assert_nonnull(best_of(ch.c, "10.100.0.0/16"));
    bgp_session_down(ch.sim, ch.ab, "test");
    g_assert_cmpint(bgp_run(ch.sim, AR_TIME_NEVER), ==, RUN_CONVERGED);
    g_assert_null(best_of(ch.b, "10.100.0.0/16"));
    g_assert_null(best_of(ch.c, "10.100.0.0/16"));
    g_assert_cmpuint(ch.sim->stats.withdrawn, ==, 1);
    bgp_sim_free(ch.sim);
}

static void test_bgp_route_limit(void)
{
    /* b accepts at most 3 routes from a; a sends 4 in one UPDATE: the session drops. */
    Chain ch;
    chain_init(&ch, 65003);
    bgp_peer(ch.b, ch.ab->peer[1])->route_limit = 3;
    for (int i = 0; i < 4; i++) {
        g_autofree char *p = g_strdup_printf("10.%d.0.0/16", 100 + i);
        originate(ch.a, p, NULL, 0);
    }
    bgp_session_up_at(ch.sim, ch.ab, 0);
    bgp_session_up_at(ch.sim, ch.bc, 0);
    /* The session comes back after the idle time (60 s) and drops again: it flaps. */
    g_assert_cmpint(bgp_run(ch.sim, 10 * 60 * AR_SEC), ==, RUN_UNTIL);
    g_assert_cmpint(ch.ab->state, ==, SESS_IDLE);
    g_assert_nonnull(strstr(ch.ab->down_reason, "0 learned + 4 in one UPDATE > 3"));
    g_assert_cmpuint(ch.ab->flaps, ==, 10);
    g_assert_null(best_of(ch.c, "10.100.0.0/16"));
    bgp_sim_free(ch.sim);

    /* Exactly at the limit is fine. */
    chain_init(&ch, 65003);
    bgp_peer(ch.b, ch.ab->peer[1])->route_limit = 4;
    for (int i = 0; i < 4; i++) {
        g_autofree char *p = g_strdup_printf("10.%d.0.0/16", 100 + i);
        originate(ch.a, p, NULL, 0);
    }
    chain_up(&ch);
    g_assert_cmpint(ch.ab->state, ==, SESS_ESTABLISHED);
    g_assert_nonnull(best_of(ch.c, "10.103.0.0/16"));
    bgp_sim_free(ch.sim);
}

/* What an UPDATE trace saw on one session: each message's time and prefix counts. */
typedef struct UpdLog {
    const ArSpeaker *from;   /* sender whose messages are logged */
    GArray *time;            /* ArTime of each delivered UPDATE */
    GArray *n;               /* guint: prefixes it carried (announced + withdrawn) */
    guint announcing;        /* messages that announced */
    guint too_big;           /* messages over 4,096 bytes, or not full though more prefixes followed */
} UpdLog;

static void upd_log(void *user, const ArTraceRec *r)
{
    UpdLog *l = user;
    if (r->kind != TR_UPDATE || r->from != l->from)
        return;
    guint n = r->n_announced + r->n_withdrawn;
    g_array_append_val(l->time, r->time);
    g_array_append_val(l->n, n);
    l->announcing += r->n_announced > 0;
    /* RFC 4271 4.3 by hand: header 19, two length fields, a /24 is 4 bytes; the attributes of a's
     * routes at b: ORIGIN (4), AS_PATH 65001 in 4 octets (3 + 2 + 4), NEXT_HOP (7). */
    size_t size = 19 + 2 + 2 + 4u * n + (r->n_announced ? 4 + 9 + 7 : 0);
    if (size > 4096)
        l->too_big++;
}

/* A batch of prefixes goes as as many UPDATEs as 4,096 bytes need (RFC 4271 4.3), written back to
 * back: one delivery time for the batch, whatever the jitter; the route limit counts each one. */
static void test_bgp_update_size(void)
{
    for (int jitter = 0; jitter < 2; jitter++) {
        ArSimConfig cfg = { .jitter = jitter ? 5 * AR_MSEC : 0, .seed = 7 };
        ArSim *sim = bgp_sim_new(&cfg);
        ArSpeaker *a = bgp_speaker_new(sim, "a", NODE_SITE, 65001, 0x01010101, &policy_standard);
        ArSpeaker *b = bgp_speaker_new(sim, "b", NODE_SITE, 65002, 0x02020202, &policy_standard);
        ArSession *ab = bgp_session_new(sim, a, a->ip, b, b->ip);
        enum { N = 3000 };
        for (int i = 0; i < N; i++) {
            g_autofree char *p = g_strdup_printf("10.%d.%d.0/24", i / 256, i % 256);
            originate(a, p, NULL, 0);
        }
        UpdLog l = { .from = a, .time = g_array_new(FALSE, FALSE, sizeof(ArTime)), .n = g_array_new(FALSE, FALSE, sizeof(guint)) };
        sim->trace = upd_log;
        sim->trace_user = &l;
        bgp_session_up_at(sim, ab, 0);
        g_assert_cmpint(bgp_run(sim, AR_TIME_NEVER), ==, RUN_CONVERGED);
        /* (4,096 - 23 - 20) / 4 = 1,013 prefixes a message: 1,013 + 1,013 + 974. */
        g_assert_cmpuint(l.n->len, ==, 3);
        g_assert_cmpuint(g_array_index(l.n, guint, 0), ==, 1013);
        g_assert_cmpuint(g_array_index(l.n, guint, 1), ==, 1013);
        g_assert_cmpuint(g_array_index(l.n, guint, 2), ==, 974);
        g_assert_cmpuint(b->peers->len ? bgp_peer(b, 0)->routes_in : 0, ==, N);
        g_assert_cmpuint(sim->stats.updates, ==, 3);
        for (guint i = 1; i < l.time->len; i++)
            g_assert_cmpuint(g_array_index(l.time, ArTime, i), ==, g_array_index(l.time, ArTime, 0));
        /* Withdrawals: (4,096 - 23) / 4 = 1,018 a message. */
        for (int i = 0; i < N; i++) {
            ArPrefix p = { 0x0A000000u + ((uint32_t)i << 8), 24 };
            bgp_withdraw_local(a, p);
        }
        g_array_set_size(l.n, 0);
        g_array_set_size(l.time, 0);
        g_assert_cmpint(bgp_run(sim, AR_TIME_NEVER), ==, RUN_CONVERGED);
        g_assert_cmpuint(l.n->len, ==, 3);
        g_assert_cmpuint(g_array_index(l.n, guint, 0), ==, 1018);
        g_assert_cmpuint(g_array_index(l.n, guint, 2), ==, N - 2 * 1018);
        g_assert_cmpuint(bgp_peer(b, 0)->routes_in, ==, 0);
        g_assert_cmpuint(l.too_big, ==, 0);
        g_array_free(l.time, TRUE);
        g_array_free(l.n, TRUE);
        bgp_sim_free(sim);
    }

    /* A limit of 1,500: the first message (1,013) passes, the second (1,013 + 1,013) drops the
     * session; in one 3,000-prefix UPDATE the first would have. */
    Chain ch;
    chain_init(&ch, 65003);
    bgp_peer(ch.b, ch.ab->peer[1])->route_limit = 1500;
    for (int i = 0; i < 3000; i++) {
        g_autofree char *p = g_strdup_printf("10.%d.%d.0/24", i / 256, i % 256);
        originate(ch.a, p, NULL, 0);
    }
    bgp_session_up_at(ch.sim, ch.ab, 0);
    g_assert_cmpint(bgp_run(ch.sim, 30 * AR_SEC), ==, RUN_UNTIL);
    g_assert_cmpint(ch.ab->state, ==, SESS_IDLE);
    g_assert_cmpstr(ch.ab->down_reason, ==, "route limit exceeded: 1013 learned + 1013 in one UPDATE > 1500");
    bgp_sim_free(ch.sim);
}

static void test_bgp_ibgp_split_horizon(void)
{
    /* a -eBGP- b -iBGP- c -iBGP- d: c must not pass b's iBGP-learned route on to d. */
    ArSim *sim = bgp_sim_new(NULL);
    ArSpeaker *a = bgp_speaker_new(sim, "a", NODE_SITE, 65001, 1, &policy_standard);
    ArSpeaker *b = bgp_speaker_new(sim, "b", NODE_SITE, 65002, 2, &policy_standard);
    ArSpeaker *c = bgp_speaker_new(sim, "c", NODE_SITE, 65002, 3, &policy_standard);
    ArSpeaker *d = bgp_speaker_new(sim, "d", NODE_SITE, 65002, 4, &policy_standard);
    ArSession *s[3] = { bgp_session_new(sim, a, 1, b, 2), bgp_session_new(sim, b, 2, c, 3), bgp_session_new(sim, c, 3, d, 4) };
    g_assert_false(s[0]->ibgp);
    g_assert_true(s[1]->ibgp);
    originate(a, "10.100.0.0/16", NULL, 0);
    uint32_t ne = COMM_NO_EXPORT;
    originate(a, "10.102.0.0/16", &ne, 1);
    for (int i = 0; i < 3; i++)
        bgp_session_up_at(sim, s[i], 0);
    g_assert_cmpint(bgp_run(sim, AR_TIME_NEVER), ==, RUN_CONVERGED);
    g_autofree char *pc = path_of(c, "10.100.0.0/16");
    g_assert_cmpstr(pc, ==, "65001"); /* no prepend over iBGP */
    g_assert_null(best_of(d, "10.100.0.0/16"));
    /* NO_EXPORT received by b stays inside b's AS: c (iBGP) gets it. */
    g_assert_nonnull(best_of(c, "10.102.0.0/16"));
    bgp_sim_free(sim);
}

/* Update groups: a hub with four spokes of one kind on one address exports each prefix once for
 * all of them and stores what it sent once (the peers' own maps stay empty), the split horizon
 * included; a session that goes down leaves the group and comes back into it with its whole
 * table; with an MRAI the peers leave their groups and are sent the same. */
typedef struct Hub {
    ArSim *sim;
    ArSpeaker *h, *s[4];
    ArSession *ss[4];
} Hub;

static void hub_init(Hub *x, const ArSimConfig *cfg)
{
    x->sim = bgp_sim_new(cfg);
    x->h = bgp_speaker_new(x->sim, "h", NODE_SITE, 65010, 0x0a0a0a0a, &policy_standard);
    originate(x->h, "10.10.0.0/16", NULL, 0);
    for (int k = 0; k < 4; k++) {
        g_autofree char *name = g_strdup_printf("s%d", k);
        x->s[k] = bgp_speaker_new(x->sim, name, NODE_SITE, 65020 + (uint32_t)k, 0x14141400u + (uint32_t)k, &policy_standard);
        x->ss[k] = bgp_session_new(x->sim, x->h, x->h->ip, x->s[k], x->s[k]->ip);
        for (int j = 0; j < 2; j++) {
            g_autofree char *p = g_strdup_printf("10.%d.%d.0/24", 20 + k, j);
            originate(x->s[k], p, NULL, 0);
        }
        bgp_session_up_at(x->sim, x->ss[k], 0);
    }
    g_assert_cmpint(bgp_run(x->sim, AR_TIME_NEVER), ==, RUN_CONVERGED);
}

/* What h sent spoke k: its own prefix and the other spokes' (none of k's own). */
static void hub_check_sent(const Hub *x, int k, guint want)
{
    const ArPeer *pk = bgp_peer(x->h, x->ss[k]->peer[0]);
    g_assert_cmpuint(bgp_out_size(pk), ==, want);
    for (int o = 0; o < 4; o++) {
        ArPrefix p;
        g_autofree char *ps = g_strdup_printf("10.%d.1.0/24", 20 + o);
        pfx_parse(ps, &p);
        const ArAttrs *a = bgp_out_lookup(x->h, pk, pfx_key(p));
        if (o == k || x->ss[o]->state != SESS_ESTABLISHED || x->ss[k]->state != SESS_ESTABLISHED) {
            g_assert_null(a);
        } else {
            g_assert_nonnull(a);
            g_autofree char *path = attr_path_to_string(a->path);
            g_autofree char *want_path = g_strdup_printf("65010-%d", 65020 + o);
            g_assert_cmpstr(path, ==, want_path);
        }
    }
}

static void test_bgp_update_groups(void)
{
    Hub x;
    hub_init(&x, NULL);
    g_assert_cmpuint(x.h->groups->len, ==, 1);
    for (int k = 0; k < 4; k++) {
        const ArPeer *pk = bgp_peer(x.h, x.ss[k]->peer[0]);
        g_assert_true(pk->attached);
        g_assert_cmpuint(idmap_size(&pk->out), ==, 0); /* nothing stored per peer */
        hub_check_sent(&x, k, 1 + 2 * 3);
    }
    g_autofree char *got = path_of(x.s[1], "10.20.0.0/24");
    g_assert_cmpstr(got, ==, "65010-65020");
    /* s0 goes down: it leaves the group; the others are sent the withdrawals. */
    bgp_session_down(x.sim, x.ss[0], "test");
    g_assert_cmpint(bgp_run(x.sim, AR_TIME_NEVER), ==, RUN_CONVERGED);
    const ArPeer *p0 = bgp_peer(x.h, x.ss[0]->peer[0]);
    g_assert_false(p0->attached);
    hub_check_sent(&x, 0, 0);
    for (int k = 1; k < 4; k++)
        hub_check_sent(&x, k, 1 + 2 * 2);
    g_assert_null(best_of(x.s[1], "10.20.0.0/24"));
    /* It comes back: the whole table, then into the group again. */
    bgp_session_up_at(x.sim, x.ss[0], x.sim->now);
    g_assert_cmpint(bgp_run(x.sim, AR_TIME_NEVER), ==, RUN_CONVERGED);
    g_assert_true(p0->attached);
    for (int k = 0; k < 4; k++) {
        hub_check_sent(&x, k, 1 + 2 * 3);
        g_assert_cmpuint(idmap_size(&bgp_peer(x.h, x.ss[k]->peer[0])->out), ==, 0);
    }
    g_assert_nonnull(best_of(x.s[1], "10.20.0.0/24"));
    bgp_sim_free(x.sim);

    /* With an MRAI each peer is on its own (a held peer lags the others) and is sent the same. */
    hub_init(&x, &(ArSimConfig){ .mrai = 30 * AR_SEC });
    for (int k = 0; k < 4; k++) {
        g_assert_false(bgp_peer(x.h, x.ss[k]->peer[0])->attached);
        hub_check_sent(&x, k, 1 + 2 * 3);
    }
    bgp_sim_free(x.sim);
}

static void test_bgp_event_cap(void)
{
    Chain ch;
    chain_init(&ch, 65003);
    ch.sim->cfg.max_events = 3;
    originate(ch.a, "10.100.0.0/16", NULL, 0);
    bgp_session_up_at(ch.sim, ch.ab, 0);
    bgp_session_up_at(ch.sim, ch.bc, 0);
    g_assert_cmpint(bgp_run(ch.sim, AR_TIME_NEVER), ==, RUN_EVENT_CAP);
    g_assert_cmpuint(ch.sim->stats.events, ==, 3);
    bgp_sim_free(ch.sim);
}

/* Events alone do not bound the work: one UPDATE can carry a million prefixes. */
static void test_bgp_prefix_cap(void)
{
    Chain ch;
    chain_init(&ch, 65003);
    ch.sim->cfg.max_prefixes = 5;
    for (int i = 0; i < 4; i++) {
        g_autofree char *p = g_strdup_printf("10.%d.0.0/16", 100 + i);
        originate(ch.a, p, NULL, 0);
    }
    bgp_session_up_at(ch.sim, ch.ab, 0);
    bgp_session_up_at(ch.sim, ch.bc, 0);
    g_assert_cmpint(bgp_run(ch.sim, AR_TIME_NEVER), ==, RUN_EVENT_CAP);
    /* a->b carried 4 (under the cap), b->c 4 more: the run stops at the next event, work pending. */
    g_assert_cmpuint(ch.sim->stats.announced, ==, 8);
    g_assert_cmpuint(ch.sim->pending, >, 0);
    bgp_sim_free(ch.sim);
}

/* bgp_check on a converged chain, with one of the invariants it states broken first (what > 0):
 * the table's path count, its net count, a net's path numbering, a peer's count. */
static void check_chain(int what)
{
    Chain ch;
    chain_init(&ch, 65003);
    originate(ch.a, "10.100.0.0/16", NULL, 0);
    originate(ch.c, "10.200.0.0/16", NULL, 0);
    chain_up(&ch);
    ArPrefix p;
    g_assert_cmpint(pfx_parse("10.100.0.0/16", &p), ==, PFX_OK);
    ArRibNet *n = rib_find(&ch.b->rib, pfx_key(p));
    g_assert_nonnull(n);
    switch (what) {
    case 1: ch.b->rib.routes++; break;
    case 2: ch.b->rib.size++; break;
    case 3: n->two[0].ax |= RIB_BEST2; break; /* a best mark on a net's first path */
    case 4: bgp_peer(ch.b, ch.ab->peer[1])->routes_in++; break;
    default: break;
    }
    bgp_check(ch.sim);
    bgp_sim_free(ch.sim);
}

static void test_bgp_check(void) { check_chain(0); }

/* A net's paths under random changes: up to 80 peers and the local path on 8 prefixes, so that
 * nets move between the inline path, arrays of every size class and arrays allocated alone (past
 * 32 paths), and back. After each change: the paths are the reference's, in ascending peer order,
 * counted right; the best path set before stays the best unless it was the one removed; the table's
 * invariants hold (rib_check). */
static void test_rib_paths(void)
{
    enum { NETS = 8, PEERS = 81 }; /* peer PEERS - 1 stands for PEER_LOCAL */
    ArAttrCache *cache = attr_cache_new(); /* three distinct interned sets: paths name them by number */
    const ArAttrs *sets[3];
    for (uint32_t k = 0; k < 3; k++) {
        ArAttrs a = { .path = attr_path(cache, NULL, 0), .comms = attr_comms(cache, NULL, 0), .next_hop = k + 1 };
        sets[k] = attr_intern(cache, &a);
    }
    ArPfxTable pfx;
    pfxtab_init(&pfx);
    for (uint64_t k = 0; k < NETS; k++)
        pfxtab_intern(&pfx, k + 1);
    ArRib rib;
    rib_init(&rib, &pfx);
    const ArAttrs *ref[NETS][PEERS] = { { 0 } };
    g_autoptr(GRand) rng = g_rand_new_with_seed(13);
    guint most = 0;
    for (int step = 0; step < 20000; step++) {
        uint32_t id = (uint32_t)g_rand_int_range(rng, 0, NETS);
        int pi = g_rand_int_range(rng, 0, PEERS);
        uint16_t peer = pi == PEERS - 1 ? PEER_LOCAL : (uint16_t)pi;
        ArRibNet *n = rib_get(&rib, id);
        const ArRoute *b = rib_best(n);
        uint16_t best_peer = b ? b->peer : PEER_LOCAL;
        /* Grow more often than shrink for the first half, then the other way round. */
        bool add = g_rand_int_range(rng, 0, 100) < (step < 10000 ? 70 : 30);
        if (add) {
            const ArAttrs *a = sets[g_rand_int_range(rng, 0, 3)];
            ArRoute *r = rib_set_route(&rib, n, peer, a, 0);
            g_assert_true(rt_attrs(r) == a && r->peer == peer);
            ref[id][pi] = a;
        } else {
            g_assert_cmpint(rib_remove_route(&rib, n, peer), ==, ref[id][pi] != NULL);
            ref[id][pi] = NULL;
        }
        /* The reference, walked in peer order (the local path last), against the net. */
        guint count = 0;
        const ArRoute *r = rib_first(n);
        for (int p = 0; p < PEERS; p++) {
            if (!ref[id][p])
                continue;
            count++;
            g_assert_nonnull(r);
            g_assert_cmpuint(r->peer, ==, p == PEERS - 1 ? PEER_LOCAL : (uint16_t)p);
            g_assert_true(rt_attrs(r) == ref[id][p]);
            r = rib_route_next(n, r);
        }
        g_assert_null(r);
        g_assert_cmpuint(rib_paths(n), ==, count);
        most = MAX(most, count);
        /* The best follows its path; a new decision where it went (the first path stands in). */
        if (b && (add || best_peer != peer))
            g_assert_cmpuint(rib_best(n)->peer, ==, best_peer);
        if (count) {
            guint pick = (guint)g_rand_int_range(rng, 0, (gint32)count);
            const ArRoute *x = rib_first(n);
            while (pick--)
                x = rib_route_next(n, x);
            rib_set_best(n, x);
            g_assert_true(rib_best(n) == x);
        }
        rib_check(&rib);
    }
    g_assert_cmpuint(most, >, RIB_CLASS_MAX); /* some net had an array allocated alone */
    rib_clear(&rib);
    pfxtab_clear(&pfx);
    attr_cache_free(cache);
}

/* Each broken invariant aborts bgp_check (run in a subprocess). */
static void test_bgp_check_broken(gconstpointer what)
{
    if (g_test_subprocess()) {
        check_chain(GPOINTER_TO_INT(what));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/evq/order", test_evq_order);
    g_test_add_func("/evq/cancel", test_evq_cancel);
    g_test_add_func("/evq/fifo-same-time", test_evq_fifo_same_time);
    g_test_add_func("/attr/intern", test_attr_intern);
    g_test_add_func("/attr/slab", test_attr_slab);
    g_test_add_func("/dp/rules", test_dp_rules);
    g_test_add_func("/dp/hub-preference", test_dp_hub_preference);
    g_test_add_func("/dp/order-independent", test_dp_order_independent);
    g_test_add_func("/bgp/prepend-next-hop", test_bgp_prepend_and_next_hop);
    g_test_add_func("/bgp/loop-drop", test_bgp_loop_drop);
    g_test_add_func("/bgp/never-back-to-source", test_bgp_never_back_to_source);
    g_test_add_func("/bgp/no-advertise", test_bgp_no_advertise);
    g_test_add_func("/bgp/withdraw-on-down", test_bgp_withdraw_on_down);
    g_test_add_func("/bgp/route-limit", test_bgp_route_limit);
    g_test_add_func("/bgp/update-size", test_bgp_update_size);
    g_test_add_func("/bgp/ibgp-split-horizon", test_bgp_ibgp_split_horizon);
    g_test_add_func("/bgp/update-groups", test_bgp_update_groups);
    g_test_add_func("/bgp/event-cap", test_bgp_event_cap);
    g_test_add_func("/bgp/prefix-cap", test_bgp_prefix_cap);
    g_test_add_func("/bgp/check", test_bgp_check);
    g_test_add_data_func("/bgp/check/broken-path-count", GINT_TO_POINTER(1), test_bgp_check_broken);
    g_test_add_data_func("/bgp/check/broken-net-count", GINT_TO_POINTER(2), test_bgp_check_broken);
    g_test_add_data_func("/bgp/check/broken-path-numbering", GINT_TO_POINTER(3), test_bgp_check_broken);
    g_test_add_func("/rib/paths", test_rib_paths);
    g_test_add_data_func("/bgp/check/broken-peer-count", GINT_TO_POINTER(4), test_bgp_check_broken);
    return g_test_run();
}
