/* test_policy.c - neighbour policies (route maps) of NVAs and sites, NVA-to-NVA sessions, oscillation. */
#include "testlib.h"
#include "arsim/output.h"

#include <string.h>

static ArScenario *load_j(const char *text, ArDiagList *d)
{
    return test_load_quoted(text, NULL, d);
}

typedef struct Case {
    ArScenario *scn;
    ArRun *run;
} Case;

static void case_run(Case *c, const char *text)
{
    g_autoptr(ArDiagList) d = diag_list_new();
    c->scn = load_j(text, d);
    if (!c->scn)
        diag_print(d, stderr);
    g_assert_nonnull(c->scn);
    c->run = run_scenario(c->scn, NULL);
}

static void case_free(Case *c)
{
    run_free(c->run);
    scn_free(c->scn);
}

static const ArRoute *best(const Case *c, const char *node, const char *prefix)
{
    ArSpeaker *sp = bgp_speaker_find(c->run->net->sim, node);
    g_assert_nonnull(sp);
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    const ArRibNet *n = rib_find(&sp->rib, pfx_key(p));
    return n ? rib_best(n) : NULL;
}

static char *path_at(const Case *c, const char *node, const char *prefix)
{
    const ArRoute *r = best(c, node, prefix);
    return r ? attr_path_to_string(rt_attrs(r)->path) : g_strdup("(none)");
}

#define HUB "'vnets':[{'name':'hub','addressPrefixes':['10.1.0.0/16']}],'routeServers':[{'name':'ars','vnet':'hub'}]"
#define NVA(pol) "'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars'," \
                 "'advertisedPrefixes':['10.100.0.0/16','10.100.5.0/24','10.101.0.0/16'," \
                 "{'prefix':'10.150.0.0/16','asPath':[65515,65200]}],'policies':[" pol "]}]"

static void test_export_deny_range(void)
{
    Case c;
    case_run(&c, "{" HUB "," NVA("{'peer':'ars','direction':'export','match':{'prefix':'10.100.0.0/16','le':24},'action':'deny'}") "}");
    g_assert_null(best(&c, "ars/0", "10.100.0.0/16"));
    g_assert_null(best(&c, "ars/1", "10.100.5.0/24"));
    g_assert_nonnull(best(&c, "ars/0", "10.101.0.0/16"));
    case_free(&c);
}

static void test_prepend(void)
{
    Case c;
    case_run(&c, "{" HUB "," NVA("{'peer':'ars','direction':'export','match':{'prefix':'10.101.0.0/16'},'set':{'prepend':2}}") "}");
    g_autofree char *p = path_at(&c, "ars/0", "10.101.0.0/16");
    g_assert_cmpstr(p, ==, "65001-65001-65001");
    g_autofree char *q = path_at(&c, "ars/0", "10.100.0.0/16"); /* exact match only: not this one */
    g_assert_cmpstr(q, ==, "65001");
    case_free(&c);
}

/* The multi-region design: a path holding 65515 is dropped by Route Server unless the NVA
 * removes or replaces the private ASNs on the way out (MR). */
static void test_remove_and_replace_private(void)
{
    Case c;
    case_run(&c, "{" HUB "," NVA("") "}");
    g_assert_null(best(&c, "ars/0", "10.150.0.0/16"));
    case_free(&c);
    case_run(&c, "{" HUB "," NVA("{'peer':'ars','direction':'export','set':{'removePrivateAs':true}}") "}");
    g_autofree char *p = path_at(&c, "ars/0", "10.150.0.0/16");
    g_assert_cmpstr(p, ==, "65001");
    case_free(&c);
    case_run(&c, "{" HUB "," NVA("{'peer':'ars','direction':'export','set':{'replaceAs':{'from':65515,'to':65001}}}") "}");
    g_autofree char *q = path_at(&c, "ars/1", "10.150.0.0/16");
    g_assert_cmpstr(q, ==, "65001-65001-65200");
    case_free(&c);
}

static void test_next_hop_and_community(void)
{
    Case c;
    case_run(&c, "{" HUB "," NVA("{'peer':'ars','direction':'export','match':{'prefix':'10.101.0.0/16'},"
                                 "'set':{'nextHop':'10.1.1.100','addCommunities':['65535:65282']}}") "}");
    const ArRoute *r = best(&c, "ars/0", "10.101.0.0/16");
    g_assert_cmphex(rt_attrs(r)->next_hop, ==, 0x0A010164u);
    g_assert_true(attr_comms_has(rt_attrs(r)->comms, COMM_NO_ADVERTISE));
    ArPrefix p;
    pfx_parse("10.101.0.0/16", &p);
    const ArEffRoute *e = eff_find(g_ptr_array_index(c.run->eff, 0), p);
    g_assert_nonnull(e);
    g_assert_cmphex(g_array_index(e->next_hops, uint32_t, 0), ==, 0x0A010164u);
    case_free(&c);
}

static void test_nva_peering_and_import_deny(void)
{
    Case c;
    case_run(&c, "{'vnets':[{'name':'hub','addressPrefixes':['10.1.0.0/16']}],'nvas':["
                 "{'name':'a','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'bgpPeers':[{'nva':'b'}],"
                 "'advertisedPrefixes':[{'prefix':'10.10.0.0/16','communities':['65001:100']},'10.11.0.0/16']},"
                 "{'name':'b','vnet':'hub','ipAddress':'10.1.1.5','asn':65002,'policies':["
                 "{'peer':'a','direction':'import','match':{'community':'65001:100'},'action':'deny'}]}]}");
    g_assert_cmpint(c.run->end, ==, RUN_CONVERGED);
    g_assert_null(best(&c, "b", "10.10.0.0/16"));
    g_autofree char *p = path_at(&c, "b", "10.11.0.0/16");
    g_assert_cmpstr(p, ==, "65001");
    case_free(&c);
}

/* DISAGREE never settles with equal delays: the run reports the prefix and both NVAs. Under the
 * default jitter it settles. */
static void test_disagree_detected(void)
{
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    g_autofree char *path = g_build_filename(root ? root : ".", "scenarios", "disagree.json", NULL);
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) scn = load_file(path, NULL, d);
    g_assert_nonnull(scn);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_UNTIL);
    g_assert_nonnull(run->net->flaps);
    g_assert_cmpuint(run->net->flaps->len, ==, 2);
    g_autofree char *s = out_flaps_summary(run, 4);
    g_assert_nonnull(strstr(s, "10.99.0.0/16 at nva1"));
    g_assert_nonnull(strstr(s, "10.99.0.0/16 at nva2"));
    g_assert_nonnull(strstr(s, "last 60 s"));
    /* The same network without the preference for the other NVA settles at once. */
    const char *sets[] = { "nvas.nva1.policies=[]", "nvas.nva2.policies=[]", NULL };
    ArLoadOptions o = { .sets = sets };
    g_autoptr(ArScenario) calm = load_file(path, &o, d);
    g_autoptr(ArRun) r2 = run_scenario(calm, NULL);
    g_assert_cmpint(r2->end, ==, RUN_CONVERGED);
    g_assert_null(r2->net->flaps);
    /* The file asks for exactly equal delays (jitter 0); under the default seeded jitter the same
     * gadget settles, as two real daemons do. */
    const char *dflt[] = { "settings={\"maxTime\": \"60s\"}", NULL };
    ArLoadOptions od = { .sets = dflt };
    g_autoptr(ArScenario) jit = load_file(path, &od, d);
    g_assert_cmpuint(jit->settings.jitter, >, 0);
    g_autoptr(ArRun) r3 = run_scenario(jit, NULL);
    g_assert_cmpint(r3->end, ==, RUN_CONVERGED);
}

/* DISAGREE has stable solutions: random delays break the tie and it settles. BAD GADGET has none:
 * it never settles, whatever the timing (Griffin, Shepherd, Wilfong). */
static void test_gadgets_under_jitter(void)
{
    const char *jitter[] = { "settings={\"maxTime\": \"60s\", \"jitter\": \"7ms\"}", NULL };
    for (uint32_t seed = 1; seed <= 3; seed++) {
        ArSimConfig cfg = { .seed = seed };
        g_autoptr(ArScenario) d = test_load_scenario("disagree.json", jitter);
        g_autoptr(ArRun) rd = run_scenario(d, &cfg);
        g_assert_cmpint(rd->end, ==, RUN_CONVERGED);
        g_autoptr(ArScenario) b = test_load_scenario("bad-gadget.json", jitter);
        g_autoptr(ArRun) rb = run_scenario(b, &cfg);
        g_assert_cmpint(rb->end, ==, RUN_UNTIL);
        g_assert_cmpuint(rb->net->flaps->len, ==, 3); /* 10.99.0.0/16 at all three NVAs */
    }
}

static void test_policy_errors(void)
{
    static const struct {
        const char *pol;
        const char *want;
    } cases[] = {
        { "{'peer':'nobody','direction':'export'}", "no node named \"nobody\" for this policy" },
        { "{'direction':'sideways'}", "\"sideways\" is not a valid direction" },
        { "{'direction':'export','action':'deny','set':{'prepend':1}}", "a \"deny\" rule drops the route" },
        { "{'direction':'export','match':{'prefix':'10.0.0.0/8','ge':4}}", "4 is out of range (8..32)" },
        { "{'direction':'export','set':{'addCommunities':['65517:65517']}}", "65517:65517 is reserved" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = g_strdup_printf("{" HUB ",'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4',"
                                                "'asn':65001,'routeServer':'ars','policies':[%s]}]}", cases[i].pol);
        g_autoptr(ArDiagList) d = diag_list_new();
        g_autoptr(ArScenario) scn = load_j(text, d);
        g_assert_null(scn);
        g_autofree char *got = diag_format(g_ptr_array_index(d->items, 0));
        if (!strstr(got, cases[i].want) || !strstr(got, "/nvas/0/policies/0"))
            g_error("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].want);
    }
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) scn = load_j("{" HUB ",'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,"
                                       "'bgpPeers':[{'nva':'nva'}]}]}", d);
    g_assert_null(scn);
    g_autofree char *got = diag_format(g_ptr_array_index(d->items, 0));
    g_assert_nonnull(strstr(got, "/nvas/0/bgpPeers/0/nva: an NVA cannot peer with itself"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/policy/export-deny-range", test_export_deny_range);
    g_test_add_func("/policy/prepend", test_prepend);
    g_test_add_func("/policy/remove-replace-private", test_remove_and_replace_private);
    g_test_add_func("/policy/next-hop-community", test_next_hop_and_community);
    g_test_add_func("/policy/nva-peering-import-deny", test_nva_peering_and_import_deny);
    g_test_add_func("/policy/disagree-detected", test_disagree_detected);
    g_test_add_func("/policy/gadgets-under-jitter", test_gadgets_under_jitter);
    g_test_add_func("/policy/errors", test_policy_errors);
    return g_test_run();
}
