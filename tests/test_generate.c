/* test_generate.c - `arsim generate`: generated scenarios load, have the asked size, are
 * deterministic, respect Azure's limits unless lifted, and converge. */
#include "testlib.h"
#include "arsim/cli.h"
#include "arsim/generate.h"
#include "arsim/loader.h"
#include "arsim/results.h"

#include <glib/gstdio.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small scenario with every part: spokes, NVAs and their sites, ExpressRoute, VPN sites. */
static ArGenParams small_params(void)
{
    ArGenParams p;
    gen_params_default(&p);
    p.spokes = 3;
    p.nvas = 3;
    p.routes_per_nva = 4;
    p.er_prefixes = 5;
    p.vpn_sites = 2;
    p.prefixes_per_site = 3;
    p.branch_to_branch = true;
    return p;
}

/* The document as text (unformatted), or NULL with *code set when gen_scenario refuses. */
static char *gen_text(const ArGenParams *p, int *code, char **message)
{
    g_autoptr(GError) e = NULL;
    cJSON *doc = gen_scenario(p, &e);
    if (!doc) {
        if (code)
            *code = e->code;
        if (message)
            *message = g_strdup(e->message);
        return NULL;
    }
    char *raw = cJSON_PrintUnformatted(doc);
    char *text = g_strdup(raw);
    cJSON_free(raw);
    cJSON_Delete(doc);
    return text;
}

/* Loads text; fails the test on any error (warnings are allowed and counted in *warnings). */
static ArScenario *load_ok(const char *text, int *warnings)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    ArScenario *scn = load_text("generated", text, strlen(text), NULL, diags);
    if (!scn || diags->errors)
        diag_print(diags, stderr);
    g_assert_nonnull(scn);
    g_assert_cmpint(diags->errors, ==, 0);
    if (warnings)
        *warnings = diags->warnings;
    return scn;
}

static const ArSite *site_named(const ArScenario *scn, const char *name)
{
    int i = scn_find(scn->sites, name);
    g_assert_cmpint(i, >=, 0);
    return g_ptr_array_index(scn->sites, i);
}

static void test_counts(void)
{
    ArGenParams p = small_params();
    g_autofree char *text = gen_text(&p, NULL, NULL);
    g_assert_nonnull(text);
    int warnings = -1;
    g_autoptr(ArScenario) scn = load_ok(text, &warnings);
    g_assert_cmpint(warnings, ==, 0);
    g_assert_cmpuint(scn->vnets->len, ==, 1 + 3);
    g_assert_cmpuint(scn->route_servers->len, ==, 1);
    g_assert_cmpuint(scn->gateways->len, ==, 2);
    g_assert_cmpuint(scn->nvas->len, ==, 3);
    g_assert_cmpuint(scn->sites->len, ==, 1 + 3 + 2);
    g_assert_false(scn->settings.lift_limits);
    const ArRouteServer *rs = g_ptr_array_index(scn->route_servers, 0);
    g_assert_true(rs->branch_to_branch);
    g_assert_cmpuint(site_named(scn, "onprem-er")->prefixes->len, ==, 5);
    g_assert_cmpuint(site_named(scn, "branch1")->prefixes->len, ==, 4);
    g_assert_cmpuint(site_named(scn, "branch3")->prefixes->len, ==, 4);
    g_assert_cmpuint(site_named(scn, "vpnsite2")->prefixes->len, ==, 3);
    for (guint v = 1; v < scn->vnets->len; v++)
        g_assert_cmpint(scn_hub_of(scn, (int)v), ==, 0);
    g_assert_cmpuint(gen_total_prefixes(&p), ==, 5 + 3 * 4 + 2 * 3);

    /* Without ExpressRoute prefixes or VPN sites, no such gateway. */
    p.er_prefixes = 0;
    p.vpn_sites = 0;
    g_autofree char *bare = gen_text(&p, NULL, NULL);
    g_autoptr(ArScenario) s2 = load_ok(bare, NULL);
    g_assert_cmpuint(s2->gateways->len, ==, 0);
    g_assert_cmpuint(s2->sites->len, ==, 3);
}

/* Expects gen_scenario to refuse p with code, the message containing want. */
static void assert_refused(const ArGenParams *p, int code, const char *want)
{
    int got = -1;
    g_autofree char *msg = NULL;
    g_autofree char *text = gen_text(p, &got, &msg);
    g_assert_null(text);
    g_assert_cmpint(got, ==, code);
    if (!strstr(msg, want))
        g_test_message("message: %s", msg);
    g_assert_nonnull(strstr(msg, want));
}

/* B2, every per-resource maximum at once: with branch-to-branch its 8,000 NVA routes and 400 VPN
 * routes would cross to the gateways, past Azure's 1,000 (LIM), so only --lift-limits builds it;
 * branch-to-branch off, the same sizes load without lifting any limit. */
static void test_azure_max(void)
{
    ArGenParams p;
    test_b2_params(&p);
    g_autofree char *text = gen_text(&p, NULL, NULL);
    g_assert_nonnull(text);
    g_autoptr(ArScenario) scn = load_ok(text, NULL);
    g_assert_cmpuint(scn->vnets->len, ==, 501);
    g_assert_cmpuint(scn->sites->len, ==, 1 + 8 + 4);
    g_assert_cmpuint(site_named(scn, "onprem-er")->prefixes->len, ==, 10000);
    g_assert_true(scn->settings.lift_limits);
    p.lift_limits = false;
    assert_refused(&p, GEN_ERROR_LIMIT, "8400 routes the Route Server would advertise to the ExpressRoute gateway exceed "
                                        "Azure's limit of 1000");
    p.branch_to_branch = false;
    g_autofree char *off = gen_text(&p, NULL, NULL);
    g_autoptr(ArScenario) s2 = load_ok(off, NULL);
    g_assert_false(s2->settings.lift_limits);
}

static void test_deterministic(void)
{
    ArGenParams p = small_params();
    g_autofree char *a = gen_text(&p, NULL, NULL);
    g_autofree char *b = gen_text(&p, NULL, NULL);
    g_assert_cmpstr(a, ==, b);
    p.seed = 2;
    g_autofree char *c = gen_text(&p, NULL, NULL);
    g_assert_cmpstr(a, !=, c);
    g_autoptr(ArScenario) scn = load_ok(c, NULL);
    g_assert_cmpuint(scn->sites->len, ==, 6);
}

static void test_limits(void)
{
    ArGenParams p = small_params();
    p.nvas = 9;
    assert_refused(&p, GEN_ERROR_LIMIT, "--lift-limits");
    p = small_params();
    p.routes_per_nva = 1001;
    assert_refused(&p, GEN_ERROR_LIMIT, "1000 routes");
    p = small_params();
    p.er_prefixes = 4001;
    assert_refused(&p, GEN_ERROR_LIMIT, "--circuit-sku Premium");
    p.sku = GEN_SKU_PREMIUM;
    p.er_prefixes = 10001;
    assert_refused(&p, GEN_ERROR_LIMIT, "--lift-limits");
    p = small_params();
    p.prefixes_per_site = 4001;
    assert_refused(&p, GEN_ERROR_LIMIT, "--lift-limits");
    /* Azure's own sessions (docs/azure-rules.md 2.5-2.7): the hub's 501st peering; with
     * branch-to-branch, routes toward each gateway; VNet prefixes and routes toward the circuit. */
    p = small_params();
    p.spokes = 501;
    assert_refused(&p, GEN_ERROR_LIMIT, "501 spokes exceed Azure's limit of 500 peerings per VNet");
    p.spokes = 500;
    g_autofree char *five_hundred = gen_text(&p, NULL, NULL);
    g_assert_nonnull(five_hundred);
    p = small_params();
    p.branch_to_branch = true;
    p.er_prefixes = 1001;
    assert_refused(&p, GEN_ERROR_LIMIT, "the Route Server would advertise to the VPN gateway");
    p = small_params();
    p.branch_to_branch = true;
    p.nvas = 2;
    p.routes_per_nva = 500;
    p.vpn_sites = 0;
    p.spokes = 0;
    assert_refused(&p, GEN_ERROR_LIMIT, "1001 routes the ExpressRoute gateway would advertise to the circuit");
    p.routes_per_nva = 499;
    g_autofree char *at_limit = gen_text(&p, NULL, NULL); /* 1 hub + 998 NVA routes */
    g_assert_nonnull(at_limit);

    /* Lifted: the same sizes load (a warning for the 9th NVA), with settings.liftLimits. */
    p = small_params();
    p.nvas = 9;
    p.routes_per_nva = 1001;
    p.er_prefixes = 10001;
    p.prefixes_per_site = 4001;
    p.lift_limits = true;
    g_autofree char *text = gen_text(&p, NULL, NULL);
    g_assert_nonnull(text);
    g_assert_nonnull(strstr(text, "\"liftLimits\":true"));
    int warnings = 0;
    g_autoptr(ArScenario) scn = load_ok(text, &warnings);
    g_assert_true(scn->settings.lift_limits);
    g_assert_cmpuint(scn->nvas->len, ==, 9);
    g_assert_cmpint(warnings, >=, 1);
}

static void test_invalid(void)
{
    ArGenParams p = small_params();
    p.spokes = -1;
    assert_refused(&p, GEN_ERROR_INVALID, "--spokes must not be negative");
    p = small_params();
    p.prefixes_per_site = -5;
    assert_refused(&p, GEN_ERROR_INVALID, "negative");
    p = small_params();
    p.spokes = GEN_MAX_SPOKES + 1;
    assert_refused(&p, GEN_ERROR_INVALID, "address plan");
    p = small_params();
    p.lift_limits = true;
    p.er_prefixes = GEN_MAX_PREFIXES + 1;
    assert_refused(&p, GEN_ERROR_INVALID, "64 MiB");
    ArGenSku sku;
    g_assert_true(gen_sku_parse("premium", &sku) && sku == GEN_SKU_PREMIUM);
    g_assert_true(gen_sku_parse("Standard", &sku) && sku == GEN_SKU_STANDARD);
    g_assert_false(gen_sku_parse("Ultra", &sku));
}

/* True when node holds a path to the prefix. */
static gboolean holds(const ArRun *run, const char *node, ArPrefix p)
{
    const ArSpeaker *sp = bgp_speaker_find(run->net->sim, node);
    g_assert_nonnull(sp);
    const ArRibNet *n = rib_find(&sp->rib, pfx_key(p));
    return n && rib_best(n);
}

static void test_converges(void)
{
    ArGenParams p = small_params();
    g_autofree char *text = gen_text(&p, NULL, NULL);
    g_autoptr(ArScenario) scn = load_ok(text, NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_CONVERGED);
    for (guint i = 0; i < run->net->sim->sessions->len; i++) {
        const ArSession *s = g_ptr_array_index(run->net->sim->sessions, i);
        g_assert_cmpint(s->state, ==, SESS_ESTABLISHED);
    }
    /* Every NVA and every NVA site learns the other NVA sites' prefixes (through the Route
     * Server) and, with branch-to-branch on, the ExpressRoute and VPN sites' prefixes. */
    const ArSite *er = site_named(scn, "onprem-er");
    const ArSite *vpn = site_named(scn, "vpnsite1");
    for (int i = 1; i <= 3; i++) {
        g_autofree char *nva = g_strdup_printf("nva%d", i);
        g_autofree char *branch = g_strdup_printf("branch%d", i);
        for (int k = 1; k <= 3; k++) {
            g_autofree char *other = g_strdup_printf("branch%d", k);
            const ArSite *st = site_named(scn, other);
            for (guint j = 0; j < st->prefixes->len; j++) {
                ArPrefix q = g_array_index(st->prefixes, ArPrefix, j);
                g_assert_true(holds(run, nva, q));
                g_assert_true(holds(run, branch, q));
            }
        }
        g_assert_true(holds(run, nva, g_array_index(er->prefixes, ArPrefix, 0)));
        g_assert_true(holds(run, branch, g_array_index(vpn->prefixes, ArPrefix, 0)));
    }
    /* The spokes see the NVA sites' and ExpressRoute prefixes as effective routes. */
    const ArEffTable *spoke = g_ptr_array_index(run->eff, 1);
    g_assert_nonnull(eff_find(spoke, g_array_index(er->prefixes, ArPrefix, 0)));
    g_assert_nonnull(eff_find(spoke, g_array_index(site_named(scn, "branch2")->prefixes, ArPrefix, 0)));
}

/* Effective routes are computed once per equivalence class: every VNet of a generated hub and
 * spoke scenario layers its own few routes over the one shared table of the hub, and storing
 * them costs the shared table once plus the layers, not one full table per VNet. */
static void test_shared_tables(void)
{
    ArGenParams p = small_params();
    p.spokes = 40;
    g_autofree char *text = gen_text(&p, NULL, NULL);
    g_autoptr(ArScenario) scn = load_ok(text, NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_autoptr(GPtrArray) shared = eff_shared_list(run->eff);
    g_assert_cmpuint(shared->len, ==, 1);
    const ArEffShared *sh = g_ptr_array_index(shared, 0);
    g_assert_cmpint(sh->id, ==, 0);
    g_assert_cmpuint(sh->members->len, ==, scn->vnets->len);
    guint64 stored = sh->routes->len, full = 0;
    for (guint v = 0; v < scn->vnets->len; v++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, v);
        g_assert_true(t->shared == sh);
        g_assert_cmpint(g_array_index(sh->members, int, v), ==, (int)v);
        stored += t->own->len + t->hidden->len;
        full += t->len;
        g_assert_cmpuint(eff_table_routes(t)->len, ==, t->len);
        if (v > 0) /* a spoke: its space and the hub's */
            g_assert_cmpuint(t->own->len, ==, 2);
    }
    g_assert_cmpuint(stored * 4, <, full); /* one full table per VNet would store them all */
}

/* cmd_generate: -o writes a file that loads; bad parameters exit 2 with a message. */
static void test_cli(void)
{
    g_autofree char *dir = g_dir_make_tmp("arsim-gen-XXXXXX", NULL);
    g_assert_nonnull(dir);
    g_autofree char *path = g_build_filename(dir, "g.json", NULL);
    ArGenerateArgs a = { .params = { .spokes = 2, .nvas = 2, .routes_per_nva = 3, .er_prefixes = 4, .vpn_sites = 1,
                                     .prefixes_per_site = 2, .seed = 5 },
                         .circuit_sku = "Standard", .output = path };
    FILE *out = tmpfile(), *err = tmpfile();
    g_assert_cmpint(cmd_generate(&a, out, err), ==, EXIT_OK);
    g_autoptr(ArDiagList) diags = diag_list_new();
    g_autoptr(ArScenario) scn = load_file(path, NULL, diags);
    g_assert_nonnull(scn);
    g_assert_cmpint(diags->errors, ==, 0);
    g_assert_cmpuint(scn->sites->len, ==, 1 + 2 + 1);

    a.output = NULL;
    a.circuit_sku = "Gold";
    g_assert_cmpint(cmd_generate(&a, out, err), ==, EXIT_BAD_INPUT);
    a.circuit_sku = "Premium";
    a.params.nvas = -3;
    g_assert_cmpint(cmd_generate(&a, out, err), ==, EXIT_BAD_INPUT);
    a.params.nvas = 20;
    g_assert_cmpint(cmd_generate(&a, out, err), ==, EXIT_BAD_INPUT);
    fflush(err);
    rewind(err);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, err);
    buf[n] = '\0';
    g_assert_nonnull(strstr(buf, "unknown circuit SKU \"Gold\""));
    g_assert_nonnull(strstr(buf, "--nvas must not be negative"));
    g_assert_nonnull(strstr(buf, "add --lift-limits"));
    fclose(out);
    fclose(err);
    g_remove(path);
    g_rmdir(dir);
}

/* ---- the engine structures the scale work changed ----------------------------------------- */

typedef struct StressEv {
    ArEvent ev;   /* queued node */
    int id;       /* index in the test's array */
} StressEv;

/* The event queue pops in (time, scheduling order) against a brute-force reference, with ties,
 * cancellations (then reuse of the same events) and pushes at the current time. */
static void test_evq_stress(void)
{
    enum { N = 600 };
    StressEv evs[N];
    uint64_t seq_of[N];  /* reference: scheduling order of each queued event */
    ArTime time_of[N];   /* reference: its time */
    bool queued[N] = { false };
    uint64_t next = 0;
    ArEvq q;
    evq_init(&q);
    g_autoptr(GRand) rnd = g_rand_new_with_seed(7);
    for (int i = 0; i < N; i++) {
        evs[i].id = i;
        evq_event_init(&evs[i].ev, NULL);
    }
    ArTime now = 0;
    for (int step = 0; step < 20000; step++) {
        int i = g_rand_int_range(rnd, 0, N);
        int op = g_rand_int_range(rnd, 0, 10);
        if (op < 5 && !queued[i]) {
            /* A few fixed delays (many ties), sometimes now itself, sometimes far away. */
            static const ArTime delays[] = { 0, 1, 1000, 1000, 10000, 70000, 5000000 };
            ArTime t = now + delays[g_rand_int_range(rnd, 0, G_N_ELEMENTS(delays))];
            evq_push(&q, &evs[i].ev, t);
            queued[i] = true;
            seq_of[i] = next++;
            time_of[i] = t;
        } else if (op < 6 && queued[i]) {
            evq_cancel(&q, &evs[i].ev);
            queued[i] = false;
        } else {
            int best = -1;
            for (int k = 0; k < N; k++)
                if (queued[k] && (best < 0 || time_of[k] < time_of[best] ||
                                  (time_of[k] == time_of[best] && seq_of[k] < seq_of[best])))
                    best = k;
            ArEvent *peek = evq_peek(&q);
            ArEvent *ev = evq_pop(&q);
            g_assert_true(peek == ev);
            if (best < 0) {
                g_assert_null(ev);
                continue;
            }
            g_assert_nonnull(ev);
            g_assert_cmpint(((StressEv *)ev)->id, ==, best);
            g_assert_false(evq_scheduled(ev));
            queued[best] = false;
            now = time_of[best];
        }
        guint live = 0;
        for (int k = 0; k < N; k++)
            live += queued[k];
        g_assert_cmpuint(q.len, ==, live);
    }
    evq_clear(&q);
    for (int k = 0; k < N; k++)
        g_assert_false(evq_scheduled(&evs[k].ev));

    /* A push before the last popped time (never done by the engine) is still ordered. */
    evq_init(&q);
    evq_push(&q, &evs[0].ev, 100);
    evq_push(&q, &evs[1].ev, 300);
    g_assert_true(evq_pop(&q) == &evs[0].ev);
    evq_push(&q, &evs[2].ev, 50);
    evq_push(&q, &evs[3].ev, 300);
    g_assert_true(evq_pop(&q) == &evs[2].ev);
    g_assert_true(evq_pop(&q) == &evs[1].ev);
    g_assert_true(evq_pop(&q) == &evs[3].ev);
    g_assert_null(evq_pop(&q));
    evq_clear(&q);
}

/* ArKeyMap against a GHashTable: inserts, replacements, removals, lookups, iteration. */
/* The [start, end) of the mapping holding addr, and whether the kernel was told to back it with
 * huge pages ("hg" among its VmFlags in /proc/self/smaps). FALSE when addr is in no mapping. */
static gboolean heap_mapping(uintptr_t addr, uintptr_t *start, uintptr_t *end, gboolean *huge)
{
    g_autofree char *smaps = NULL;
    g_assert_true(g_file_get_contents("/proc/self/smaps", &smaps, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit(smaps, "\n", -1);
    gboolean in = FALSE;
    for (guint i = 0; lines[i]; i++) {
        unsigned long a, b;
        if (sscanf(lines[i], "%lx-%lx ", &a, &b) == 2 && strchr(lines[i], ' ')) {
            in = addr >= a && addr < b;
            if (in) {
                *start = a;
                *end = b;
            }
        } else if (in && g_str_has_prefix(lines[i], "VmFlags:")) {
            *huge = strstr(lines[i], " hg") != NULL;
            return TRUE;
        }
    }
    return FALSE;
}

/* cli_heap_reserve: in a process that ran cli_process_setup, the next allocations come from a
 * part of the heap advised for huge pages, at least as long as asked (less the 2 MiB alignment at
 * both ends); without cli_process_setup (a library host, these tests), or with ARSIM_HUGE_PAGES=0,
 * it changes nothing. Each case in a process of its own: the allocator settings are process-wide. */
static void test_heap_reserve(void)
{
#if defined(__SANITIZE_ADDRESS__)
    g_test_skip("the sanitizer's allocator has no heap to advise");
    return;
#endif
    g_autofree char *thp = NULL;
    if (!g_file_get_contents("/sys/kernel/mm/transparent_hugepage/enabled", &thp, NULL, NULL) ||
        strstr(thp, "[never]")) {
        g_test_skip("no transparent huge pages on this kernel");
        return;
    }
    const size_t want = (size_t)64 << 20, use = (size_t)40 << 20;
    if (g_test_subprocess()) {
        const char *mode = g_getenv("ARSIM_TEST_HEAP_SETUP");
        gboolean setup = g_strcmp0(mode, "1") == 0;
        if (g_strcmp0(mode, "off") == 0) { /* the executable's setup, huge pages turned off */
            g_setenv("ARSIM_HUGE_PAGES", "0", TRUE);
            cli_process_setup();
        } else if (setup) {
            cli_process_setup();
        } else { /* the same allocator settings, but a host that did not hand its heap over */
            mallopt(M_MMAP_MAX, 0);
            mallopt(M_TRIM_THRESHOLD, -1);
        }
        cli_heap_reserve(want);
        void *p = malloc(use);
        g_assert_nonnull(p);
        uintptr_t start = 0, end = 0;
        gboolean huge = FALSE;
        uintptr_t mid = (uintptr_t)p + use / 2; /* the block's ends may lie in the unaligned margins */
        g_assert_true(heap_mapping(mid, &start, &end, &huge));
        if (setup) {
            g_assert_true(huge);
            g_assert_cmpuint(end - start, >=, want - ((size_t)4 << 20));
            g_assert_cmpuint((uintptr_t)p + use - ((size_t)2 << 20), <=, end);
        } else {
            g_assert_false(huge);
        }
        free(p);
        return;
    }
    for (int setup = 0; setup <= 2; setup++) {
        g_setenv("ARSIM_TEST_HEAP_SETUP", setup == 2 ? "off" : setup ? "1" : "0", TRUE);
        g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
        g_test_trap_assert_passed();
    }
    g_unsetenv("ARSIM_TEST_HEAP_SETUP");
}

static void test_keymap(void)
{
    ArKeyMap m;
    keymap_init(&m);
    g_autoptr(GHashTable) ref = g_hash_table_new(rib_key_hash, g_direct_equal);
    g_autoptr(GRand) rnd = g_rand_new_with_seed(3);
    for (int step = 0; step < 200000; step++) {
        /* /24 prefix keys from a small range, so that keys repeat and clusters form. */
        uint64_t key = pfx_key((ArPrefix){ 0x20000000u + (uint32_t)g_rand_int_range(rnd, 0, 5000) * 256u, 24 });
        int op = g_rand_int_range(rnd, 0, 3);
        if (op == 0) {
            gpointer v = GINT_TO_POINTER(step + 1);
            keymap_insert(&m, key, v);
            g_hash_table_insert(ref, rib_key_ptr(key), v);
        } else if (op == 1) {
            g_assert_cmpint(keymap_remove(&m, key), ==, g_hash_table_remove(ref, rib_key_ptr(key)));
        } else {
            g_assert_true(keymap_lookup(&m, key) == g_hash_table_lookup(ref, rib_key_ptr(key)));
        }
        g_assert_cmpuint(keymap_size(&m), ==, g_hash_table_size(ref));
    }
    guint pos = 0, n = 0;
    uint64_t key;
    gpointer v;
    while (keymap_next(&m, &pos, &key, &v)) {
        g_assert_true(g_hash_table_lookup(ref, rib_key_ptr(key)) == v);
        n++;
    }
    g_assert_cmpuint(n, ==, g_hash_table_size(ref));
    keymap_reserve(&m, 100000);
    g_assert_cmpuint(keymap_size(&m), ==, n);
    keymap_clear(&m);
    g_assert_null(keymap_lookup(&m, key));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/generate/counts", test_counts);
    g_test_add_func("/generate/azure-max", test_azure_max);
    g_test_add_func("/generate/deterministic", test_deterministic);
    g_test_add_func("/generate/limits", test_limits);
    g_test_add_func("/generate/invalid", test_invalid);
    g_test_add_func("/generate/converges", test_converges);
    g_test_add_func("/generate/cli", test_cli);
    g_test_add_func("/generate/shared-tables", test_shared_tables);
    g_test_add_func("/scale/evq-stress", test_evq_stress);
    g_test_add_func("/scale/keymap", test_keymap);
    g_test_add_func("/scale/heap-reserve", test_heap_reserve);
    return g_test_run();
}
