/* test_reach.c - data-plane walks: traces, verdicts (delivered, no route, None, loop) and the
 * reachability matrix of the seed scenarios and of small inline ones. */
#include "testlib.h"
#include "arsim/loader.h"
#include "arsim/output.h"
#include "arsim/reach.h"

#include <string.h>

/* One scenario, its run and its forwarding state, freed together. */
typedef struct Fixture {
    ArScenario *scn;  /* the model */
    ArRun *run;       /* converged run */
    ArReach *reach;   /* FIBs */
} Fixture;

static void fixture_free(Fixture *f)
{
    reach_free(f->reach);
    run_free(f->run);
    scn_free(f->scn);
    g_free(f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Fixture, fixture_free)

static Fixture *fixture_run(ArScenario *scn, ArDiagList *diags)
{
    if (!scn)
        diag_print(diags, stderr);
    g_assert_nonnull(scn);
    Fixture *f = g_new0(Fixture, 1);
    f->scn = scn;
    f->run = run_scenario(scn, NULL);
    g_assert_cmpint(f->run->end, ==, RUN_CONVERGED);
    f->reach = reach_new(f->run);
    return f;
}

static Fixture *fixture_file(const char *name, const char *const *sets)
{
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    g_autofree char *path = g_build_filename(root ? root : ".", "scenarios", name, NULL);
    g_autoptr(ArDiagList) diags = diag_list_new();
    ArLoadOptions opts = { .sets = sets };
    return fixture_run(load_file(path, &opts, diags), diags);
}

static Fixture *fixture_text(const char *text)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    return fixture_run(load_text("inline.json", text, strlen(text), NULL, diags), diags);
}

static ArTrace *trace(const Fixture *f, const char *from, const char *to)
{
    ArReachNode start;
    g_assert_true(reach_find_start(f->reach, from, &start));
    uint32_t dst;
    if (!ip_parse(to, &dst))
        g_assert_true(reach_name_addr(f->reach, to, &dst));
    return reach_trace(f->reach, start, dst);
}

/* "spoke1 sdwan onprem1": the nodes a walk went through. */
static char *hop_names(const ArTrace *t)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < t->hops->len; i++)
        g_string_append_printf(s, "%s%s", i ? " " : "", g_array_index(t->hops, ArReachHop, i).name);
    return g_string_free(s, FALSE);
}

static const char *const b2b_on[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };

/* ---- seed-er-sdwan --------------------------------------------------------------------------- */

static void test_sdwan_trace_spoke_to_onprem1(void)
{
    g_autoptr(Fixture) f = fixture_file("seed-er-sdwan.json", NULL);
    g_autoptr(ArTrace) t = trace(f, "spoke1", "10.100.0.4");
    g_autofree char *hops = hop_names(t);
    g_assert_cmpstr(hops, ==, "spoke1 sdwan onprem1");
    g_assert_true(reach_trace_delivered(t, "onprem1"));
    /* The first hop used the injected route: next hop 10.1.1.4, AS path 65001-65010. */
    const ArReachHop *h = &g_array_index(t->hops, ArReachHop, 0);
    char buf[PFX_STRLEN];
    g_assert_cmpstr(pfx_format(h->prefix, buf), ==, "10.100.0.0/16");
    g_assert_cmpstr(h->nh_type, ==, "VirtualNetworkGateway");
    g_assert_cmpstr(h->as_path, ==, "65001-65010");
    g_assert_cmpuint(h->next_hop, ==, (10u << 24) | (1u << 16) | (1u << 8) | 4u);
    g_autofree char *v = reach_verdict_text(t);
    g_assert_cmpstr(v, ==, "delivered at onprem1");
}

static void test_sdwan_b2b_off_matrix(void)
{
    g_autoptr(Fixture) f = fixture_file("seed-er-sdwan.json", NULL);
    g_autoptr(ArReachMatrix) m = reach_matrix(f->reach);
    g_assert_cmpuint(m->endpoints->len, ==, 4);
    const ArReachCell *c = reach_matrix_cell(m, "onprem1", "onprem2");
    g_assert_nonnull(c);
    g_assert_false(c->reachable);
    g_assert_false(c->forward);
    g_assert_false(c->back);
    const char *vnets[] = { "hub", "spoke1" }, *sites[] = { "onprem1", "onprem2" };
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            c = reach_matrix_cell(m, vnets[i], sites[j]);
            g_assert_true(c->reachable);
            g_assert_false(c->asymmetric);
        }
    g_assert_true(reach_matrix_cell(m, "hub", "spoke1")->reachable);
    /* Why not: onprem1 has no route toward onprem2's space. */
    g_autoptr(ArTrace) t = trace(f, "onprem1", "onprem2");
    g_assert_cmpint(t->verdict, ==, REACH_NO_ROUTE);
    g_assert_cmpstr(t->at, ==, "onprem1");
}

static void test_sdwan_b2b_on_matrix(void)
{
    g_autoptr(Fixture) f = fixture_file("seed-er-sdwan.json", b2b_on);
    g_autoptr(ArReachMatrix) m = reach_matrix(f->reach);
    const ArReachCell *c = reach_matrix_cell(m, "onprem1", "onprem2");
    g_assert_true(c->reachable);
    g_assert_false(c->asymmetric);
    g_assert_true(reach_matrix_cell(m, "onprem2", "onprem1")->reachable);
    g_assert_true(reach_matrix_cell(m, "spoke1", "onprem2")->reachable);
    /* The path crosses the ExpressRoute gateway, not the Route Server (not in the data path). */
    g_autoptr(ArTrace) t = trace(f, "onprem1", "10.200.0.4");
    g_autofree char *hops = hop_names(t);
    g_assert_cmpstr(hops, ==, "onprem1 sdwan ergw/0 msee/onprem2/primary onprem2");
    g_autoptr(ArTrace) back = trace(f, "onprem2", "onprem1");
    g_autofree char *bhops = hop_names(back);
    g_assert_cmpstr(bhops, ==, "onprem2 msee/onprem2/primary ergw/0 sdwan onprem1");
}

static void test_sdwan_site_to_vnet(void)
{
    g_autoptr(Fixture) f = fixture_file("seed-er-sdwan.json", NULL);
    /* onprem1 -> sdwan -> (next hop is the Route Server: the VNet fabric) -> spoke1. */
    g_autoptr(ArTrace) t = trace(f, "onprem1", "spoke1");
    g_autofree char *hops = hop_names(t);
    g_assert_cmpstr(hops, ==, "onprem1 sdwan spoke1");
    g_assert_true(reach_trace_delivered(t, "spoke1"));
    /* onprem2 -> MSEE -> ExpressRoute gateway -> hub. */
    g_autoptr(ArTrace) t2 = trace(f, "onprem2", "hub");
    g_autofree char *hops2 = hop_names(t2);
    g_assert_cmpstr(hops2, ==, "onprem2 msee/onprem2/primary ergw/0 hub");
    /* Outside every private range the VNet's default route leads to the Internet. */
    g_autoptr(ArTrace) t3 = trace(f, "hub", "8.8.8.8");
    g_assert_cmpint(t3->verdict, ==, REACH_INTERNET);
    g_assert_false(reach_trace_delivered(t3, NULL));
}

static void test_trace_json(void)
{
    g_autoptr(Fixture) f = fixture_file("seed-er-sdwan.json", NULL);
    g_autoptr(ArTrace) t = trace(f, "spoke1", "onprem1");
    cJSON *doc = out_reach_trace_json(t);
    g_assert_cmpstr(cJSON_GetObjectItem(doc, "from")->valuestring, ==, "spoke1");
    g_assert_cmpstr(cJSON_GetObjectItem(doc, "to")->valuestring, ==, "10.100.0.4");
    g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "delivered")));
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "hops")), ==, 3);
    g_assert_cmpstr(cJSON_GetObjectItem(doc, "verdict")->valuestring, ==, "delivered at onprem1");
    cJSON_Delete(doc);
    GString *s = g_string_new(NULL);
    out_reach_trace_text(t, s);
    g_assert_true(g_str_has_prefix(s->str, "spoke1 -> 10.100.0.4\n"));
    g_assert_true(g_str_has_suffix(s->str, "delivered at onprem1\n"));
    g_string_free(s, TRUE);
}

/* ---- inline scenarios ------------------------------------------------------------------------ */

/* Two NVAs, each advertising 10.99.0.0/16 with the other as next hop: each sends the packet to the
 * other. */
static const char loop_scn[] =
    "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ],\n"
    "  \"routeServers\": [ { \"name\": \"ars\", \"vnet\": \"hub\" } ],\n"
    "  \"nvas\": [\n"
    "    { \"name\": \"nva1\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.4\", \"nextHopIp\": \"10.1.1.5\",\n"
    "      \"asn\": 65001, \"routeServer\": \"ars\", \"advertisedPrefixes\": [\"10.99.0.0/16\"] },\n"
    "    { \"name\": \"nva2\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.5\", \"nextHopIp\": \"10.1.1.4\",\n"
    "      \"asn\": 65002, \"routeServer\": \"ars\", \"advertisedPrefixes\": [\"10.99.0.0/16\"] } ] }\n";

static void test_loop(void)
{
    g_autoptr(Fixture) f = fixture_text(loop_scn);
    g_autoptr(ArTrace) t = trace(f, "hub", "10.99.0.4");
    g_assert_cmpint(t->verdict, ==, REACH_LOOP);
    g_assert_cmpstr(t->cycle, ==, "nva1-nva2-nva1");
    g_autofree char *v = reach_verdict_text(t);
    g_assert_cmpstr(v, ==, "loop through nva1-nva2-nva1");
    g_autofree char *hops = hop_names(t);
    g_assert_cmpstr(hops, ==, "hub nva1 nva2");
    /* Both next hops are equal-cost at the VNet: the other one is reported. */
    const ArReachHop *h = &g_array_index(t->hops, ArReachHop, 0);
    g_assert_cmpuint(h->ecmp->len, ==, 1);
    g_assert_false(reach_trace_delivered(t, NULL));
}

/* ECMP without a loop: both NVAs own the prefix; the first next hop is taken, the other listed. */
static const char ecmp_scn[] =
    "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ],\n"
    "  \"routeServers\": [ { \"name\": \"ars\", \"vnet\": \"hub\" } ],\n"
    "  \"nvas\": [\n"
    "    { \"name\": \"nva1\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.4\",\n"
    "      \"asn\": 65001, \"routeServer\": \"ars\", \"advertisedPrefixes\": [\"0.0.0.0/0\"] },\n"
    "    { \"name\": \"nva2\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.5\",\n"
    "      \"asn\": 65002, \"routeServer\": \"ars\", \"advertisedPrefixes\": [\"0.0.0.0/0\"] } ] }\n";

static void test_ecmp_default_route(void)
{
    g_autoptr(Fixture) f = fixture_text(ecmp_scn);
    /* 0.0.0.0/0 from the NVAs replaces the Internet route... */
    g_autoptr(ArTrace) t = trace(f, "hub", "8.8.8.8");
    g_assert_true(reach_trace_delivered(t, "nva1"));
    const ArReachHop *h = &g_array_index(t->hops, ArReachHop, 0);
    g_assert_cmpuint(h->ecmp->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(h->ecmp, 0), ==, "10.1.1.5 (nva2)");
    /* The text says which of the equal-cost hops the walk follows, and that a flow may take any. */
    g_autoptr(GString) text = g_string_new(NULL);
    out_reach_trace_text(t, text);
    g_assert_nonnull(strstr(text->str, "(ECMP: a flow takes any one; this trace follows the lowest address; also: "
                                       "10.1.1.5 (nva2))"));
    /* ...but Azure's None routes for private ranges are longer and still win. */
    g_autoptr(ArTrace) t2 = trace(f, "hub", "10.50.0.1");
    g_assert_cmpint(t2->verdict, ==, REACH_DROPPED);
    g_autofree char *v = reach_verdict_text(t2);
    g_assert_cmpstr(v, ==, "dropped at hub (None)");
}

/* A VNet with no peering to the hub: black hole both ways. A static VPN site: Azure reaches it, but
 * it has no route back (no BGP). */
static const char island_scn[] =
    "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] },\n"
    "              { \"name\": \"island\", \"addressPrefixes\": [\"10.3.0.0/16\"] } ],\n"
    "  \"gateways\": [ { \"name\": \"vpngw\", \"vnet\": \"hub\", \"type\": \"Vpn\", \"activeActive\": true,\n"
    "                  \"asn\": 65515 } ],\n"
    "  \"sites\": [ { \"name\": \"branch\", \"asn\": 65030, \"addressPrefixes\": [\"10.30.0.0/16\"],\n"
    "               \"connections\": [ { \"vpnGateway\": \"vpngw\", \"bgp\": false } ] } ] }\n";

static void test_black_hole_and_no_route_back(void)
{
    g_autoptr(Fixture) f = fixture_text(island_scn);
    g_autoptr(ArTrace) t = trace(f, "hub", "island");
    g_assert_cmpint(t->verdict, ==, REACH_DROPPED);
    g_assert_cmpstr(t->at, ==, "hub");
    g_autoptr(ArTrace) t2 = trace(f, "hub", "branch");
    g_autofree char *hops = hop_names(t2);
    g_assert_cmpstr(hops, ==, "hub vpngw/0 branch");
    g_assert_true(reach_trace_delivered(t2, "branch"));
    g_autoptr(ArTrace) back = trace(f, "branch", "hub");
    g_assert_cmpint(back->verdict, ==, REACH_NO_ROUTE);
    g_assert_cmpstr(back->at, ==, "branch");
    g_autoptr(ArReachMatrix) m = reach_matrix(f->reach);
    const ArReachCell *c = reach_matrix_cell(m, "hub", "branch");
    g_assert_true(c->forward);
    g_assert_false(c->back);
    g_assert_false(c->reachable);
    g_assert_false(reach_matrix_cell(m, "hub", "island")->reachable);
}

/* A branch dual-homed to two NVAs: VMs send to the lower next hop (nva2, ECMP), the branch's BGP
 * tie-break picks nva1 (lower router ID): reachable, but the return path differs. */
static const char asym_scn[] =
    "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ],\n"
    "  \"routeServers\": [ { \"name\": \"ars\", \"vnet\": \"hub\" } ],\n"
    "  \"nvas\": [\n"
    "    { \"name\": \"nva1\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.3\", \"nextHopIp\": \"10.1.1.9\",\n"
    "      \"asn\": 65001, \"routeServer\": \"ars\" },\n"
    "    { \"name\": \"nva2\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.4\", \"asn\": 65002,\n"
    "      \"routeServer\": \"ars\" } ],\n"
    "  \"sites\": [ { \"name\": \"branch\", \"asn\": 65010, \"addressPrefixes\": [\"10.100.0.0/16\"],\n"
    "               \"connections\": [ { \"nva\": \"nva1\" }, { \"nva\": \"nva2\" } ] } ] }\n";

static void test_asymmetric(void)
{
    g_autoptr(Fixture) f = fixture_text(asym_scn);
    g_autoptr(ArTrace) fwd = trace(f, "hub", "branch");
    g_autoptr(ArTrace) back = trace(f, "branch", "hub");
    g_autofree char *fh = hop_names(fwd);
    g_autofree char *bh = hop_names(back);
    g_assert_cmpstr(fh, ==, "hub nva2 branch");
    g_assert_cmpstr(bh, ==, "branch nva1 hub");
    g_autoptr(ArReachMatrix) m = reach_matrix(f->reach);
    const ArReachCell *c = reach_matrix_cell(m, "branch", "hub");
    g_assert_true(c->reachable);
    g_assert_true(c->asymmetric);
}

/* A firewall NVA without BGP routes hands the packet to its VNet: the hop says so, and never
 * "no route" while the walk goes on. */
static void test_trace_text_no_bgp_route(void)
{
    g_autoptr(Fixture) f = fixture_file("spoke-firewall.json", NULL);
    g_autoptr(ArTrace) t = trace(f, "spoke1/workload", "10.200.0.4");
    g_assert_true(reach_trace_delivered(t, "onprem2"));
    g_autoptr(GString) text = g_string_new(NULL);
    out_reach_trace_text(t, text);
    g_assert_null(strstr(text->str, "no route to"));
    g_assert_nonnull(strstr(text->str, "firewall              (no BGP route)     -> hub                   to the Azure fabric"));
}

static void test_start_names(void)
{
    g_autoptr(Fixture) f = fixture_file("seed-er-sdwan.json", NULL);
    ArReachNode n;
    g_assert_false(reach_find_start(f->reach, "ars/0", &n)); /* only sites and VNets */
    g_assert_true(reach_find_start(f->reach, "hub", &n));
    g_assert_true(n.is_vnet);
    g_autofree char *names = reach_start_names(f->reach);
    g_assert_cmpstr(names, ==, "onprem1, onprem2, hub, spoke1");
    uint32_t a;
    g_assert_true(reach_name_addr(f->reach, "onprem2", &a));
    g_assert_cmpuint(a, ==, (10u << 24) | (200u << 16) | 4u);
}

/* A walk's first hop in a VNet matches what the VNet's whole table (flat, first entry of a prefix
 * winning) matches, though reach looks up a VNet's own layer and its class's shared table: every
 * scenario, every VNet, the first and last address of every route's prefix. */
static void test_layered_lookup(void)
{
    g_autofree char *folder = test_scenario_path("");
    g_autoptr(GDir) dir = g_dir_open(folder, 0, NULL);
    g_assert_nonnull(dir);
    guint checked = 0;
    for (const char *name; (name = g_dir_read_name(dir));) {
        if (!g_str_has_suffix(name, ".json"))
            continue;
        g_autoptr(ArScenario) scn = test_load_scenario(name, NULL);
        g_autoptr(ArRun) run = run_scenario(scn, NULL);
        g_autoptr(ArReach) r = reach_new(run);
        for (guint v = 0; v < scn->vnets->len; v++) {
            const ArEffTable *t = g_ptr_array_index(run->eff, v);
            const GArray *flat = eff_table_routes(t);
            g_autoptr(ArFib) f = fib_new(NULL);
            for (guint k = 0; k < flat->len; k++)
                fib_insert_new(f, g_array_index(flat, ArEffRoute, k).prefix, &g_array_index(flat, ArEffRoute, k));
            ArReachNode start;
            g_assert_true(reach_find_start(r, ((const ArVnet *)g_ptr_array_index(scn->vnets, v))->name, &start));
            for (guint k = 0; k < flat->len; k++) {
                ArPrefix p = g_array_index(flat, ArEffRoute, k).prefix;
                uint32_t probes[2] = { p.addr, p.addr | ~pfx_mask(p.len) };
                for (int i = 0; i < 2; i++) {
                    ArPrefix want = { 0 };
                    const ArEffRoute *e = fib_lookup(f, probes[i], &want);
                    g_autoptr(ArTrace) tr = reach_trace(r, start, probes[i]);
                    const ArReachHop *h = &g_array_index(tr->hops, ArReachHop, 0);
                    g_assert_cmpint(h->matched, ==, e != NULL);
                    if (e) {
                        g_assert_cmpuint(h->prefix.addr, ==, want.addr);
                        g_assert_cmpuint(h->prefix.len, ==, want.len);
                        g_assert_cmpstr(h->nh_type, ==, eff_nh_type_name(e->type));
                    }
                    checked++;
                }
            }
        }
    }
    g_assert_cmpuint(checked, >, 100);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/reach/sdwan/trace-spoke-onprem1", test_sdwan_trace_spoke_to_onprem1);
    g_test_add_func("/reach/sdwan/b2b-off-matrix", test_sdwan_b2b_off_matrix);
    g_test_add_func("/reach/sdwan/b2b-on-matrix", test_sdwan_b2b_on_matrix);
    g_test_add_func("/reach/sdwan/site-to-vnet", test_sdwan_site_to_vnet);
    g_test_add_func("/reach/sdwan/trace-json", test_trace_json);
    g_test_add_func("/reach/inline/loop", test_loop);
    g_test_add_func("/reach/inline/ecmp-default-route", test_ecmp_default_route);
    g_test_add_func("/reach/inline/black-hole", test_black_hole_and_no_route_back);
    g_test_add_func("/reach/inline/asymmetric", test_asymmetric);
    g_test_add_func("/reach/trace-text-no-bgp-route", test_trace_text_no_bgp_route);
    g_test_add_func("/reach/start-names", test_start_names);
    g_test_add_func("/reach/layered-lookup", test_layered_lookup);
    return g_test_run();
}
