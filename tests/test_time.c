/* test_time.c - simulated time: timed events, hold timers, flaps, MRAI, jitter, the timeline. */
#include "testlib.h"
#include "arsim/output.h"
#include "arsim/timefmt.h"

#include <string.h>

static ArRun *run_until(const ArScenario *scn, double until_s)
{
    ArSimConfig cfg = { .until = (ArTime)(until_s * (double)AR_SEC) };
    return run_scenario(scn, until_s > 0 ? &cfg : NULL);
}

/* The VMs of vnet have an effective route for prefix (through BGP or not). */
static gboolean vm_has(const ArRun *run, const char *vnet, const char *prefix)
{
    int v = scn_find(run->net->scn->vnets, vnet);
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    return eff_find(g_ptr_array_index(run->eff, v), p) != NULL;
}

/* The node behind the first next hop of vnet's effective route for prefix. */
static const char *vm_via(const ArRun *run, const char *vnet, const char *prefix)
{
    int v = scn_find(run->net->scn->vnets, vnet);
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    const ArEffRoute *r = eff_find(g_ptr_array_index(run->eff, v), p);
    g_assert_nonnull(r);
    g_assert_cmpuint(r->via->len, >, 0);
    return ((const ArSpeaker *)g_ptr_array_index(r->via, 0))->name;
}

/* Node name holds a best path for prefix. */
static gboolean node_has(const ArRun *run, const char *name, const char *prefix)
{
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    const ArRibNet *n = rib_find(&bgp_speaker_find(run->net->sim, name)->rib, pfx_key(p));
    return n && rib_best(n);
}

static const ArEpoch *epoch(const ArRun *run, guint i)
{
    g_assert_cmpuint(i, <, run->net->epochs->len);
    return &g_array_index(run->net->epochs, ArEpoch, i);
}

/* A silent NVA crash: Route Server keeps the routes until its hold timer expires, 180 s after the
 * last keepalive it received, so 120 to 180 s after the crash (keepalive every 60 s, FAQ). */
static void test_silent_crash(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("nva-silent-failure.json", NULL);
    {
        g_autoptr(ArRun) run = run_until(scn, 179.9);
        g_assert_true(vm_has(run, "hub", "10.100.0.0/16"));
        g_assert_true(vm_has(run, "spoke1", "10.100.0.0/16"));
    }
    {
        g_autoptr(ArRun) run = run_until(scn, 240.1);
        g_assert_false(vm_has(run, "hub", "10.100.0.0/16"));
        g_assert_false(vm_has(run, "spoke1", "10.100.0.0/16"));
    }
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_CONVERGED);
    /* start, crash at 60 s settled when the last hold timer expires, restore at 600 s settled after
     * session setup (5 s) */
    g_assert_cmpuint(run->net->epochs->len, ==, 3);
    const ArEpoch *crash = epoch(run, 1);
    g_assert_true(crash->quiet);
    g_assert_cmpuint(crash->start, ==, 60 * AR_SEC);
    g_assert_cmpuint(crash->settled, >=, 180 * AR_SEC);
    g_assert_cmpuint(crash->settled, <, 241 * AR_SEC);
    g_assert_cmpuint(epoch(run, 2)->settled, >=, 605 * AR_SEC);
    g_assert_true(vm_has(run, "hub", "10.100.0.0/16")); /* back after the restore */
}

/* Session-down times of sdwan's sessions, one line per session ("ars/0 202786000"). */
static void collect_downs(void *user, const ArTraceRec *r)
{
    if (r->kind == TR_SESSION_DOWN && r->time < 600 * AR_SEC)
        g_string_append_printf(user, "%s-%s %" G_GUINT64_FORMAT "\n", r->from->name, r->to->name, r->time);
}

/* The hold timer runs from the last keepalive received: each session notices a silent crash
 * between hold - keepalive and hold after it (RFC 4271 4.4, 6.5; 60 s and 180 s, FAQ), at a phase
 * drawn from the seed: the same seed gives the same times, the seeds do not all give the same. */
static void test_keepalive_phase(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("nva-silent-failure.json", NULL);
    g_autoptr(GHashTable) distinct = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (uint32_t seed = 0; seed < 6; seed++) {
        ArSimConfig cfg = { .seed = seed };
        g_autoptr(GString) a = g_string_new(NULL), b = g_string_new(NULL);
        run_free(run_scenario_traced(scn, &cfg, collect_downs, a));
        run_free(run_scenario_traced(scn, &cfg, collect_downs, b));
        g_assert_cmpstr(a->str, ==, b->str);
        g_auto(GStrv) lines = g_strsplit(a->str, "\n", -1);
        guint n = 0;
        for (guint i = 0; lines[i] && *lines[i]; i++, n++) {
            ArTime t = g_ascii_strtoull(strchr(lines[i], ' ') + 1, NULL, 10);
            g_assert_cmpuint(t, >, (60 + 120) * AR_SEC);
            g_assert_cmpuint(t, <=, (60 + 180) * AR_SEC);
            g_hash_table_add(distinct, g_strdup(lines[i]));
        }
        g_assert_cmpuint(n, ==, 3); /* ars/0, ars/1 and onprem1 each lose sdwan */
    }
    g_assert_cmpuint(g_hash_table_size(distinct), >, 3);
    /* With a 90 s hold time: 60 to 90 s after the crash. */
    const char *h90[] = { "nvas.sdwan.holdTime=\"90s\"", NULL };
    g_autoptr(ArScenario) s90 = test_load_scenario("nva-silent-failure.json", h90);
    g_autoptr(GString) c = g_string_new(NULL);
    run_free(run_scenario_traced(s90, NULL, collect_downs, c));
    g_auto(GStrv) lines = g_strsplit(c->str, "\n", -1);
    for (guint i = 0; lines[i] && *lines[i]; i++) {
        ArTime t = g_ascii_strtoull(strchr(lines[i], ' ') + 1, NULL, 10);
        g_assert_cmpuint(t, >, (60 + 60) * AR_SEC);
        g_assert_cmpuint(t, <=, (60 + 90) * AR_SEC);
    }
}

/* Hold time per node: a session uses the smaller end's (RFC 4271 4.2); 0 means no hold timer. */
static void test_hold_time_per_node(void)
{
    const char *h90[] = { "nvas.sdwan.holdTime=\"90s\"", NULL };
    g_autoptr(ArScenario) scn = test_load_scenario("nva-silent-failure.json", h90);
    {
        g_autoptr(ArRun) run = run_until(scn, 119.9); /* noticed 60 to 90 s after the crash at 60 s */
        g_assert_true(vm_has(run, "hub", "10.100.0.0/16"));
    }
    {
        g_autoptr(ArRun) run = run_until(scn, 150.1);
        g_assert_false(vm_has(run, "hub", "10.100.0.0/16"));
    }
    const char *h0[] = { "nvas.sdwan.holdTime=0", NULL };
    g_autoptr(ArScenario) never = test_load_scenario("nva-silent-failure.json", h0);
    g_autoptr(ArRun) run = run_until(never, 599);
    g_assert_true(vm_has(run, "hub", "10.100.0.0/16")); /* never noticed: the dead NVA keeps its routes */
    g_autoptr(ArDiagList) d = diag_list_new();
    const char *bad[] = { "sites.onprem1.holdTime=\"2s\"", NULL };
    g_autofree char *path = test_scenario_path("nva-silent-failure.json");
    ArLoadOptions o = { .sets = bad };
    g_autoptr(ArScenario) none = load_file(path, &o, d);
    g_assert_null(none);
    g_autofree char *msg = diag_format(g_ptr_array_index(d->items, 0));
    g_assert_nonnull(strstr(msg, "/sites/0/holdTime: a BGP hold time is 0 (no hold timer) or at least 3 s"));
}

/* A graceful shutdown: NOTIFICATION, routes gone within milliseconds. */
static void test_graceful_shutdown(void)
{
    const char *sets[] = { "events=[{\"at\": \"60s\", \"fail\": \"sdwan\", \"mode\": \"graceful\"}]", NULL };
    g_autoptr(ArScenario) scn = test_load_scenario("nva-silent-failure.json", sets);
    g_autoptr(ArRun) run = run_until(scn, 60.5);
    g_assert_false(vm_has(run, "hub", "10.100.0.0/16"));
    const ArEpoch *e = epoch(run, 1);
    g_assert_true(e->quiet);
    g_assert_cmpuint(e->settled - e->start, <, AR_SEC / 10);
}

/* Enabling branch-to-branch at 10 minutes ends where branch-to-branch on from the start does. */
static void test_b2b_later_equals_from_start(void)
{
    g_autoptr(ArScenario) later = test_load_scenario("enable-b2b-at-10m.json", NULL);
    const char *on[] = { "routeServers.ars.allowBranchToBranchTraffic=true", "events=[]", NULL };
    g_autoptr(ArScenario) start = test_load_scenario("enable-b2b-at-10m.json", on);
    g_autoptr(ArRun) a = run_scenario(later, NULL);
    g_autoptr(ArRun) b = run_scenario(start, NULL);
    g_assert_cmpint(a->end, ==, RUN_CONVERGED);
    cJSON *ja = out_run_json(a, NULL), *jb = out_run_json(b, NULL);
    g_autofree char *na = cJSON_PrintUnformatted(cJSON_GetObjectItem(ja, "nodes"));
    g_autofree char *nb = cJSON_PrintUnformatted(cJSON_GetObjectItem(jb, "nodes"));
    g_autofree char *ea = cJSON_PrintUnformatted(cJSON_GetObjectItem(ja, "effectiveRoutes"));
    g_autofree char *eb = cJSON_PrintUnformatted(cJSON_GetObjectItem(jb, "effectiveRoutes"));
    g_autofree char *ta = cJSON_PrintUnformatted(cJSON_GetObjectItem(ja, "tables"));
    g_autofree char *tb = cJSON_PrintUnformatted(cJSON_GetObjectItem(jb, "tables"));
    g_assert_cmpstr(na, ==, nb);
    g_assert_cmpstr(ea, ==, eb);
    g_assert_cmpstr(ta, ==, tb);
    g_assert_nonnull(strstr(na, "65515-12076-65020")); /* sdwan learned onprem2 */
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    const ArEpoch *e = epoch(a, 1);
    g_assert_true(e->quiet);
    g_assert_cmpuint(e->start, ==, 600 * AR_SEC);
    g_assert_cmpuint(e->settled - e->start, <, AR_SEC);
    g_assert_cmpuint(e->messages, >, 0);
}

/* 1,200 routes from one NVA: the sessions drop, come back after 60 s, drop again. */
static void test_route_leak_flaps(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("nva-route-leak.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_UNTIL); /* never settles: settings.maxTime ends it */
    ArSpeaker *ars = bgp_speaker_find(run->net->sim, "ars/0");
    const ArSession *s = bgp_peer(ars, 0)->session;
    g_assert_cmpstr(bgp_peer(ars, 0)->remote->name, ==, "sdwan");
    /* leak at 120 s, then every 60 s until 120 + 600 s */
    g_assert_cmpuint(s->flaps, ==, 10);
    g_assert_nonnull(strstr(s->down_reason, "route limit exceeded"));
    g_assert_false(epoch(run, 1)->quiet);
    GString *t = g_string_new(NULL);
    out_timeline_text(run, t);
    g_assert_nonnull(strstr(t->str, "NOT settled"));
    g_string_free(t, TRUE);
}

/* Creating the Route Server takes the ExpressRoute gateway down for 10 minutes (FAQ). */
static void test_create_route_server(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("create-route-server.json", NULL);
    {
        g_autoptr(ArRun) run = run_until(scn, 299);
        g_assert_true(vm_has(run, "hub", "10.200.0.0/16"));
        g_assert_false(vm_has(run, "hub", "10.100.0.0/16")); /* no Route Server yet */
    }
    {
        g_autoptr(ArRun) run = run_until(scn, 600);
        g_assert_false(vm_has(run, "hub", "10.200.0.0/16")); /* gateway down */
        g_assert_true(vm_has(run, "hub", "10.100.0.0/16"));
    }
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_CONVERGED);
    g_assert_true(vm_has(run, "hub", "10.200.0.0/16"));
    g_assert_cmpuint(run->net->epochs->len, ==, 3); /* start, creation, gateway back (both instances at once) */
    g_assert_cmpuint(epoch(run, 2)->start, ==, 900 * AR_SEC);
    g_assert_null(epoch(run, 2)->se);
}

/* Maintenance on one instance: the other keeps injecting the NVA's routes. */
static void test_maintenance(void)
{
    const char *sets[] = { "events=[{\"at\": \"60s\", \"maintenance\": \"ars/0\", \"duration\": \"5m\"}]", NULL };
    g_autoptr(ArScenario) scn = test_load_scenario("nva-silent-failure.json", sets);
    g_autoptr(ArRun) during = run_until(scn, 120);
    g_assert_true(vm_has(during, "hub", "10.100.0.0/16"));
    g_assert_true(bgp_speaker_find(during->net->sim, "ars/0")->down);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_false(bgp_speaker_find(run->net->sim, "ars/0")->down);
    g_assert_cmpuint(epoch(run, 2)->start, ==, 360 * AR_SEC);
}

/* Maintenance on one ExpressRoute gateway instance (Azure reboots them one at a time): the other
 * instance keeps the circuit's routes in the VNet and the VNet's in the circuit; VMs move to it. */
static void test_maintenance_gateway_instance(void)
{
    const char *sets[] = { "events=[{\"at\": \"60s\", \"maintenance\": \"ergw/0\", \"duration\": \"5m\"}]", NULL };
    g_autoptr(ArScenario) scn = test_load_scenario("seed-er-sdwan.json", sets);
    g_autoptr(ArRun) before = run_until(scn, 59);
    g_assert_cmpstr(vm_via(before, "hub", "10.200.0.0/16"), ==, "ergw/0");
    g_autoptr(ArRun) during = run_until(scn, 120);
    g_assert_true(bgp_speaker_find(during->net->sim, "ergw/0")->down);
    g_assert_false(bgp_speaker_find(during->net->sim, "ergw/1")->down);
    g_assert_cmpstr(vm_via(during, "hub", "10.200.0.0/16"), ==, "ergw/1");
    g_assert_cmpstr(vm_via(during, "spoke1", "10.200.0.0/16"), ==, "ergw/1");
    g_assert_true(node_has(during, "onprem2", "10.1.0.0/16"));
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_false(bgp_speaker_find(run->net->sim, "ergw/0")->down);
    g_assert_cmpuint(epoch(run, 2)->start, ==, 360 * AR_SEC);
    g_assert_cmpstr(vm_via(run, "hub", "10.200.0.0/16"), ==, "ergw/0");
}

/* MRAI holds back follow-up UPDATEs: the initial convergence takes longer than the interval. */
static void test_mrai(void)
{
    /* With branch-to-branch on, ars/0 tells sdwan the VNet prefixes at once, then onprem2's prefix
     * (learned 10 ms later from the gateway): that second UPDATE waits for the interval. */
    const char *fast[] = { "events=[]", "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
    const char *slow[] = { "events=[]", "routeServers.ars.allowBranchToBranchTraffic=true", "settings={\"mrai\": \"30s\"}", NULL };
    g_autoptr(ArScenario) a = test_load_scenario("nva-silent-failure.json", fast);
    g_autoptr(ArScenario) b = test_load_scenario("nva-silent-failure.json", slow);
    g_autoptr(ArRun) ra = run_scenario(a, NULL);
    g_autoptr(ArRun) rb = run_scenario(b, NULL);
    g_assert_cmpuint(epoch(ra, 0)->settled, <, AR_SEC);
    g_assert_cmpuint(epoch(rb, 0)->settled, >=, 30 * AR_SEC);
    g_assert_cmpuint(epoch(rb, 0)->settled, <, 61 * AR_SEC);
    /* same end state */
    g_assert_true(vm_has(rb, "spoke1", "10.100.0.0/16"));
    g_assert_true(vm_has(rb, "spoke1", "10.200.0.0/16"));
    /* MRAI set on one NVA only: sdwan tells onprem1 the VNets at once, onprem2's prefix 30 s later. */
    const char *one[] = { "events=[]", "routeServers.ars.allowBranchToBranchTraffic=true", "nvas.sdwan.mrai=\"30s\"", NULL };
    g_autoptr(ArScenario) c = test_load_scenario("nva-silent-failure.json", one);
    g_autoptr(ArRun) rc = run_scenario(c, NULL);
    g_assert_cmpuint(epoch(rc, 0)->settled, >=, 30 * AR_SEC);
    g_assert_cmpuint(epoch(rc, 0)->settled, <, 31 * AR_SEC);
    ArPrefix p;
    pfx_parse("10.200.0.0/16", &p);
    g_assert_nonnull(rib_find(&bgp_speaker_find(rc->net->sim, "onprem1")->rib, pfx_key(p)));
}

static void collect(void *user, const ArTraceRec *r)
{
    GString *s = user;
    g_string_append_printf(s, "%" G_GUINT64_FORMAT " %d %s %s %u %u\n", r->time, r->kind, r->from ? r->from->name : "-",
                           r->to ? r->to->name : "-", r->n_withdrawn, r->n_announced);
}

static char *trace_of(const ArScenario *scn, uint32_t seed)
{
    GString *s = g_string_new(NULL);
    ArSimConfig cfg = { .seed = seed };
    ArRun *run = run_scenario_traced(scn, &cfg, collect, s);
    run_free(run);
    return g_string_free(s, FALSE);
}

/* Jitter is seeded: the same seed gives the same trace, another seed another one. */
static void test_seeded_jitter(void)
{
    const char *sets[] = { "settings={\"jitter\": \"20ms\"}", NULL };
    g_autoptr(ArScenario) scn = test_load_scenario("nva-silent-failure.json", sets);
    g_autofree char *a = trace_of(scn, 7), *b = trace_of(scn, 7), *c = trace_of(scn, 8);
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpstr(a, !=, c);
    g_assert_cmpuint(strlen(a), >, 100);
}

/* Durations take days ("7d"), as the format allows up to 365 of them, and nothing past. */
static void test_duration_days(void)
{
    uint64_t us = 0;
    g_assert_true(dur_parse("7d", 365ull * 86400 * AR_SEC, &us));
    g_assert_cmpuint(us, ==, 7ull * 86400 * AR_SEC);
    g_assert_true(dur_parse("1.5d", 365ull * 86400 * AR_SEC, &us));
    g_assert_cmpuint(us, ==, 36ull * 3600 * AR_SEC);
    g_assert_true(dur_parse("365d", 365ull * 86400 * AR_SEC, &us));
    g_assert_false(dur_parse("366d", 365ull * 86400 * AR_SEC, &us));
    g_assert_false(dur_parse("7D", 365ull * 86400 * AR_SEC, &us));
    const char *sets[] = { "settings={\"maxTime\": \"7d\"}", NULL };
    g_autoptr(ArScenario) scn = test_load_scenario("nva-silent-failure.json", sets);
    g_assert_cmpuint(scn->settings.max_time, ==, 7ull * 86400 * AR_SEC);
}

/* Event validation: positions and what to fix. */
static void test_event_errors(void)
{
    static const struct {
        const char *events;
        const char *want;
    } cases[] = {
        { "[{\"at\": \"5x\", \"fail\": \"sdwan\"}]", "t.json:1:19: /events/0/at: \"5x\" is not a duration" },
        { "[{\"at\": 10, \"fail\": \"nope\"}]", "t.json:1:31: /events/0/fail: no node named \"nope\"" },
        { "[{\"at\": 10}]", "t.json:1:12: /events/0: an event has \"at\" and exactly one action" },
        { "[{\"at\": 10, \"set\": \"vnets.hub.addressPrefixes\", \"value\": 1}]",
          "t.json:1:30: /events/0/set: \"vnets.hub.addressPrefixes\" cannot change during a run" },
        { "[{\"at\": 10, \"failSession\": [\"sdwan\"]}]", "t.json:1:38: /events/0/failSession: expected the session's two ends" },
        { "[{\"at\": 10, \"maintenance\": \"ars\"}]", "t.json:1:38: /events/0/maintenance: maintenance takes one Route Server or gateway instance" },
        { "[{\"at\": 10, \"maintenance\": \"sdwan/0\"}]", "t.json:1:38: /events/0/maintenance: maintenance takes one Route Server or gateway instance" },
    };
    /* The events come first, on line 1, so the expected columns are easy to check by eye. */
    const char *rest = "\"vnets\":[{\"name\":\"hub\",\"addressPrefixes\":[\"10.1.0.0/16\"]}],"
                       "\"routeServers\":[{\"name\":\"ars\",\"vnet\":\"hub\"}],"
                       "\"nvas\":[{\"name\":\"sdwan\",\"vnet\":\"hub\",\"ipAddress\":\"10.1.1.4\",\"asn\":65001,\"routeServer\":\"ars\"}]}";
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *full = g_strdup_printf("{\"events\":%s,\n%s", cases[i].events, rest);
        g_autoptr(ArDiagList) d = diag_list_new();
        g_autoptr(ArScenario) scn = load_text("t.json", full, strlen(full), NULL, d);
        g_assert_null(scn);
        g_assert_cmpint(d->errors, ==, 1);
        g_autofree char *got = diag_format(g_ptr_array_index(d->items, 0));
        if (!g_str_has_prefix(got, cases[i].want))
            g_error("case %zu: got \"%s\", want prefix \"%s\"", i, got, cases[i].want);
    }
}

/* A run that does not settle is run again for its diagnosis: a chart recorded during the first
 * run must not point into the first network (it crashed once). */
static void test_chart_of_unsettled_run(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("nva-route-leak.json", NULL);
    ArChart *chart = out_chart_new();
    g_autoptr(ArRun) run = run_scenario_traced(scn, NULL, out_chart_record, chart);
    g_assert_cmpint(run->end, ==, RUN_UNTIL);
    g_assert_nonnull(run->net->flaps);
    g_autofree char *svg = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    g_assert_true(out_chart_svg(chart, run, &svg, &len, &e));
    g_assert_nonnull(strstr(svg, "<svg"));
    g_assert_cmpuint(len, >, 1000);
    out_chart_free(chart);
}

/* Each reason a node is down ends on its own: a maintenance window closing does not bring back a
 * Route Server deleted meanwhile, the gateway outage of a deletion ending does not bring back a
 * gateway the user failed; a restore event does, once nothing else holds it down. */
static void test_down_reasons(void)
{
    const char *sets[] = { "events=[{\"at\": \"60s\", \"maintenance\": \"ars/0\", \"duration\": \"5m\"},"
                           "{\"at\": \"90s\", \"fail\": \"ergw\"},"
                           "{\"at\": \"2m\", \"deleteRouteServer\": \"ars\"},"
                           "{\"at\": \"30m\", \"restore\": \"ergw\"}]",
                           NULL };
    g_autoptr(ArScenario) scn = test_load_scenario("nva-silent-failure.json", sets);
    g_autoptr(ArRun) mid = run_until(scn, 20 * 60);
    /* past the maintenance (6 min) and the gateway outage (12 min) */
    g_assert_true(bgp_speaker_find(mid->net->sim, "ars/0")->down);
    g_assert_true(bgp_speaker_find(mid->net->sim, "ars/1")->down);
    g_assert_true(bgp_speaker_find(mid->net->sim, "ergw/0")->down);
    g_assert_true(bgp_speaker_find(mid->net->sim, "ergw/1")->down);
    g_assert_false(vm_has(mid, "hub", "10.100.0.0/16"));
    g_autoptr(ArRun) end = run_scenario(scn, NULL);
    g_assert_false(bgp_speaker_find(end->net->sim, "ergw/0")->down);
    g_assert_false(bgp_speaker_find(end->net->sim, "ergw/1")->down);
    g_assert_true(bgp_speaker_find(end->net->sim, "ars/0")->down);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/time/silent-crash-hold-timer", test_silent_crash);
    g_test_add_func("/time/keepalive-phase", test_keepalive_phase);
    g_test_add_func("/time/graceful-shutdown", test_graceful_shutdown);
    g_test_add_func("/time/hold-time-per-node", test_hold_time_per_node);
    g_test_add_func("/time/b2b-later-equals-from-start", test_b2b_later_equals_from_start);
    g_test_add_func("/time/route-leak-flaps", test_route_leak_flaps);
    g_test_add_func("/time/create-route-server", test_create_route_server);
    g_test_add_func("/time/maintenance", test_maintenance);
    g_test_add_func("/time/maintenance-gateway-instance", test_maintenance_gateway_instance);
    g_test_add_func("/time/down-reasons", test_down_reasons);
    g_test_add_func("/time/mrai", test_mrai);
    g_test_add_func("/time/seeded-jitter", test_seeded_jitter);
    g_test_add_func("/time/event-errors", test_event_errors);
    g_test_add_func("/time/duration-days", test_duration_days);
    g_test_add_func("/time/chart-of-unsettled-run", test_chart_of_unsettled_run);
    return g_test_run();
}
