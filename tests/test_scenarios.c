/* test_scenarios.c - the outcomes ../shared/scenarios/README.md requires, through the same JSON
 * `arsim run --json` prints, with and without --set. */
#include "testlib.h"
#include "arsim/output.h"

#include <string.h>

/* Loads, runs and returns the run document; sets is NULL-terminated or NULL. */
static cJSON *run_json(const char *name, const char *const *sets)
{
    g_autoptr(ArScenario) scn = test_load_scenario(name, sets);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_CONVERGED);
    cJSON *doc = out_run_json(run, NULL);
    g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "converged")));
    return doc;
}

/* The routes node holds for prefix: every path (learned from any peer). */
static GPtrArray *routes_for(const cJSON *doc, const char *node, const char *prefix)
{
    const cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "nodes"), node);
    g_assert_nonnull(n);
    GPtrArray *out = g_ptr_array_new();
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(n, "routes"))
    {
        if (strcmp(cJSON_GetObjectItem(r, "prefix")->valuestring, prefix) == 0)
            g_ptr_array_add(out, (gpointer)r);
    }
    return out;
}

/* True when node has a path to prefix with exactly this AS path (NULL: any path). */
static gboolean learns(const cJSON *doc, const char *node, const char *prefix, const char *as_path)
{
    g_autoptr(GPtrArray) rs = routes_for(doc, node, prefix);
    for (guint i = 0; i < rs->len; i++) {
        const cJSON *r = g_ptr_array_index(rs, i);
        if (!as_path || strcmp(cJSON_GetObjectItem(r, "asPath")->valuestring, as_path) == 0)
            return TRUE;
    }
    return FALSE;
}

/* The best path's field, or NULL. */
static const char *best_field(const cJSON *doc, const char *node, const char *prefix, const char *field)
{
    g_autoptr(GPtrArray) rs = routes_for(doc, node, prefix);
    for (guint i = 0; i < rs->len; i++) {
        const cJSON *r = g_ptr_array_index(rs, i);
        if (cJSON_IsTrue(cJSON_GetObjectItem(r, "best"))) {
            const cJSON *f = cJSON_GetObjectItem(r, field);
            return cJSON_IsString(f) ? f->valuestring : NULL;
        }
    }
    return NULL;
}

/* The route for prefix in a list of effective routes, NULL if none. */
static const cJSON *route_in(const cJSON *routes, const char *prefix)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, routes)
    {
        if (strcmp(cJSON_GetObjectItem(r, "prefix")->valuestring, prefix) == 0)
            return r;
    }
    return NULL;
}

/* The VNet's effective route for prefix, read as docs/output-format.md tells scripts to: the
 * VNet's own routes, else its shared table's unless the VNet lists the prefix as hidden. */
static const cJSON *eff_route(const cJSON *doc, const char *vnet, const char *prefix)
{
    const cJSON *e = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "effectiveRoutes"), vnet);
    g_assert_nonnull(e);
    const cJSON *own = route_in(cJSON_GetObjectItem(e, "routes"), prefix);
    const cJSON *table = cJSON_GetObjectItem(e, "table");
    if (own || cJSON_IsNull(table))
        return own;
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItem(e, "hidden"))
    {
        if (strcmp(h->valuestring, prefix) == 0)
            return NULL;
    }
    const cJSON *shared = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tables"), table->valuestring);
    g_assert_nonnull(shared);
    return route_in(cJSON_GetObjectItem(shared, "routes"), prefix);
}

/* "10.1.1.4" or "10.1.1.4,10.1.1.5": the effective route's next hop IPs joined. */
static char *eff_next_hops(const cJSON *doc, const char *vnet, const char *prefix, const char *field)
{
    const cJSON *r = eff_route(doc, vnet, prefix);
    if (!r)
        return g_strdup("(no route)");
    GString *s = g_string_new(NULL);
    const cJSON *ip;
    cJSON_ArrayForEach(ip, cJSON_GetObjectItem(r, field))
        g_string_append_printf(s, "%s%s", s->len ? "," : "", ip->valuestring);
    return g_string_free(s, FALSE);
}

static const char *const b2b_on[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };

/* ---- seed-er-sdwan ------------------------------------------------------------------------------ */

static void test_sdwan_b2b_off(void)
{
    cJSON *doc = run_json("seed-er-sdwan.json", NULL);
    /* sdwan: VNet prefixes from the Route Server (65515), onprem1's prefix, not onprem2's. */
    g_assert_true(learns(doc, "sdwan", "10.1.0.0/16", "65515"));
    g_assert_true(learns(doc, "sdwan", "10.2.0.0/16", "65515"));
    g_assert_true(learns(doc, "sdwan", "10.100.0.0/16", "65010"));
    g_assert_false(learns(doc, "sdwan", "10.200.0.0/16", NULL));
    /* onprem2: VNet prefixes as 12076 only, not onprem1's prefix. */
    g_assert_true(learns(doc, "onprem2", "10.1.0.0/16", "12076"));
    g_assert_true(learns(doc, "onprem2", "10.2.0.0/16", "12076"));
    g_assert_false(learns(doc, "onprem2", "10.100.0.0/16", NULL));
    /* onprem1: VNet prefixes through sdwan, not onprem2's prefix. */
    g_assert_true(learns(doc, "onprem1", "10.1.0.0/16", "65001-65515"));
    g_assert_true(learns(doc, "onprem1", "10.2.0.0/16", "65001-65515"));
    g_assert_false(learns(doc, "onprem1", "10.200.0.0/16", NULL));
    /* VMs in hub and spoke: NVA routes injected whatever b2b says; onprem2 through ExpressRoute. */
    for (int i = 0; i < 2; i++) {
        const char *vnet = i ? "spoke1" : "hub";
        g_autofree char *ips = eff_next_hops(doc, vnet, "10.100.0.0/16", "nextHopIps");
        g_assert_cmpstr(ips, ==, "10.1.1.4");
        g_assert_cmpstr(cJSON_GetObjectItem(eff_route(doc, vnet, "10.100.0.0/16"), "nextHopType")->valuestring, ==,
                        "VirtualNetworkGateway");
        g_autofree char *via = eff_next_hops(doc, vnet, "10.200.0.0/16", "nextHop");
        g_assert_cmpstr(via, ==, "ergw/0");
        g_assert_cmpstr(cJSON_GetObjectItem(eff_route(doc, vnet, "10.200.0.0/16"), "nextHopType")->valuestring, ==,
                        "VirtualNetworkGateway");
    }
    /* The spoke reaches the hub over the peering, and vice versa. */
    g_assert_cmpstr(cJSON_GetObjectItem(eff_route(doc, "spoke1", "10.1.0.0/16"), "nextHopType")->valuestring, ==,
                    "VNetPeering");
    g_assert_cmpstr(cJSON_GetObjectItem(eff_route(doc, "hub", "10.2.0.0/16"), "nextHopType")->valuestring, ==,
                    "VNetPeering");
    cJSON_Delete(doc);
}

static void test_sdwan_b2b_on(void)
{
    cJSON *doc = run_json("seed-er-sdwan.json", b2b_on);
    g_assert_true(learns(doc, "sdwan", "10.200.0.0/16", "65515-12076-65020"));
    g_assert_true(learns(doc, "onprem1", "10.200.0.0/16", "65001-65515-12076-65020"));
    /* The ExpressRoute gateway learns onprem1's prefix from the Route Server over iBGP, no 65515. */
    for (int k = 0; k < 2; k++) {
        const char *gw = k ? "ergw/1" : "ergw/0"; /* both instances, from both Route Server instances */
        g_assert_true(learns(doc, gw, "10.100.0.0/16", "65001-65010"));
        g_assert_cmpstr(best_field(doc, gw, "10.100.0.0/16", "origin"), ==, "IBgp");
    }
    g_assert_true(learns(doc, "onprem2", "10.100.0.0/16", "12076"));
    /* Unchanged: VNet prefixes and effective routes. */
    g_assert_true(learns(doc, "sdwan", "10.1.0.0/16", "65515"));
    g_autofree char *ips = eff_next_hops(doc, "hub", "10.100.0.0/16", "nextHopIps");
    g_assert_cmpstr(ips, ==, "10.1.1.4");
    cJSON_Delete(doc);
}

/* ---- seed-er-vpn ---------------------------------------------------------------------------------- */

static void test_vpn_b2b_off(void)
{
    cJSON *doc = run_json("seed-er-vpn.json", NULL);
    g_assert_false(learns(doc, "onprem1", "10.200.0.0/16", NULL));
    g_assert_false(learns(doc, "onprem2", "10.100.0.0/16", NULL));
    /* Both still learn the VNets: onprem1 from the VPN gateway instances, onprem2 over ExpressRoute. */
    g_assert_true(learns(doc, "onprem1", "10.1.0.0/16", "65515"));
    g_assert_true(learns(doc, "onprem2", "10.2.0.0/16", "12076"));
    /* VMs reach onprem1 through both VPN instances (active-active). */
    g_autofree char *via = eff_next_hops(doc, "spoke1", "10.100.0.0/16", "nextHop");
    g_assert_cmpstr(via, ==, "vpngw/0,vpngw/1");
    cJSON_Delete(doc);
}

static void test_vpn_b2b_on(void)
{
    cJSON *doc = run_json("seed-er-vpn.json", b2b_on);
    g_assert_true(learns(doc, "onprem2", "10.100.0.0/16", "12076"));
    g_assert_true(learns(doc, "onprem1", "10.200.0.0/16", "65515-12076-65020"));
    const char *from = best_field(doc, "onprem1", "10.200.0.0/16", "from");
    g_assert_nonnull(from);
    g_assert_true(g_str_has_prefix(from, "vpngw/"));
    cJSON_Delete(doc);
}

/* ---- seed-same-prefix ------------------------------------------------------------------------------ */

static void check_same_prefix(const char *pref, const char *want_ips, const char *want_via)
{
    g_autofree char *set = g_strdup_printf("routeServers.ars.hubRoutingPreference=%s", pref);
    const char *sets[] = { set, NULL };
    cJSON *doc = run_json("seed-same-prefix.json", sets);
    g_assert_true(learns(doc, "ergw/0", "10.50.0.0/16", "12076-65020"));
    g_assert_true(learns(doc, "ergw/1", "10.50.0.0/16", "12076-65020"));
    g_autofree char *ips = eff_next_hops(doc, "hub", "10.50.0.0/16", "nextHopIps");
    g_autofree char *via = eff_next_hops(doc, "hub", "10.50.0.0/16", "nextHop");
    g_assert_cmpstr(ips, ==, want_ips);
    g_assert_cmpstr(via, ==, want_via);
    cJSON_Delete(doc);
}

static void test_same_prefix_expressroute(void)
{
    /* Default preference, as in the file: ExpressRoute wins although its path is longer. */
    cJSON *doc = run_json("seed-same-prefix.json", NULL);
    g_autofree char *via = eff_next_hops(doc, "hub", "10.50.0.0/16", "nextHop");
    g_assert_cmpstr(via, ==, "ergw/0");
    cJSON_Delete(doc);
    /* One ExpressRoute next hop although the circuit has two links: a Route Server is deployed (TS). */
    check_same_prefix("ExpressRoute", "192.168.100.130", "ergw/0");
}

static void test_same_prefix_aspath(void) { check_same_prefix("ASPath", "10.1.1.4", "sdwan"); }
static void test_same_prefix_vpngateway(void) { check_same_prefix("VpnGateway", "10.1.1.4", "sdwan"); }

/* ---- er-gateway-maintenance and er-circuit-links (issue 15 items 1 and 2) --------------------- */

/* The run document of name at time at_s (seconds), converged or not. */
static cJSON *run_json_at(const char *name, double at_s)
{
    g_autoptr(ArScenario) scn = test_load_scenario(name, NULL);
    ArSimConfig cfg = { .until = (ArTime)(at_s * (double)AR_SEC) };
    g_autoptr(ArRun) run = run_scenario(scn, at_s > 0 ? &cfg : NULL);
    return out_run_json(run, NULL);
}

/* Maintenance on ergw/0: the Route Server and the circuit keep ergw/1's paths; the NVA's next hop
 * for the data centre moves to ergw/1's address and back; VMs and the data centre lose nothing. */
static void test_gateway_maintenance(void)
{
    static const struct {
        double at;        /* seconds */
        const char *nh;   /* sdwan's next hop for the data centre: the gateway instance */
        const char *via;  /* the node behind the VMs' next hop */
    } at[] = { { 59, "10.1.255.228", "ergw/0" }, { 120, "10.1.255.229", "ergw/1" }, { 0, "10.1.255.228", "ergw/0" } };
    for (size_t i = 0; i < G_N_ELEMENTS(at); i++) {
        cJSON *doc = run_json_at("er-gateway-maintenance.json", at[i].at);
        g_assert_cmpstr(best_field(doc, "sdwan", "10.200.0.0/16", "nextHop"), ==, at[i].nh);
        g_assert_cmpstr(best_field(doc, "branch", "10.200.0.0/16", "asPath"), ==, "65001-65515-12076-65020");
        for (int v = 0; v < 2; v++) {
            g_autofree char *via = eff_next_hops(doc, v ? "spoke1" : "hub", "10.200.0.0/16", "nextHop");
            g_assert_cmpstr(via, ==, at[i].via);
        }
        g_assert_true(learns(doc, "dc", "10.1.0.0/16", "12076"));
        g_assert_true(learns(doc, "dc", "10.100.0.0/16", "12076"));
        cJSON_Delete(doc);
    }
}

/* A circuit's two links: both edges are next hops in VMs (no Route Server); one link down loses
 * nothing; both down lose the data centre; each comes back. */
static void test_circuit_links(void)
{
    static const struct {
        double at;
        const char *ips;  /* the VMs' next hops for the data centre */
        gboolean dc_has_hub;
    } at[] = { { 59, "192.168.100.130,192.168.100.134", TRUE },  { 90, "192.168.100.134", TRUE },
               { 150, "(no route)", FALSE },                     { 210, "192.168.100.130", TRUE },
               { 0, "192.168.100.130,192.168.100.134", TRUE } };
    for (size_t i = 0; i < G_N_ELEMENTS(at); i++) {
        cJSON *doc = run_json_at("er-circuit-links.json", at[i].at);
        g_autofree char *ips = eff_next_hops(doc, "hub", "10.200.0.0/16", "nextHopIps");
        g_assert_cmpstr(ips, ==, at[i].ips);
        g_assert_true(learns(doc, "dc", "10.1.0.0/16", "12076") == at[i].dc_has_hub);
        cJSON_Delete(doc);
    }
    /* Each link's MSEE peers with the data centre on its /30: the router's side is the first address. */
    cJSON *doc = run_json_at("er-circuit-links.json", 30);
    g_assert_cmpstr(best_field(doc, "msee/dc/primary", "10.200.0.0/16", "nextHop"), ==, "192.168.100.129");
    g_assert_cmpstr(best_field(doc, "msee/dc/secondary", "10.200.0.0/16", "nextHop"), ==, "192.168.100.133");
    cJSON_Delete(doc);
}

/* Effective routes have two walks over the hub's tables: in step by prefix id while ids are in
 * prefix order (every run the build makes), and collect-then-sort otherwise (a prefix that arrived
 * later, as from a live peer). On every shipped scenario both give the same tables. */
static void assert_same_eff(const GPtrArray *x, const GPtrArray *y)
{
    g_assert_cmpuint(x->len, ==, y->len);
    for (guint t = 0; t < x->len; t++) {
        ArEffIter a, b;
        eff_iter_init(&a, g_ptr_array_index(x, t));
        eff_iter_init(&b, g_ptr_array_index(y, t));
        for (;;) {
            const ArEffRoute *r = eff_iter_next(&a), *q = eff_iter_next(&b);
            g_assert_true((r == NULL) == (q == NULL));
            if (!r)
                break;
            g_assert_cmpuint(pfx_key(r->prefix), ==, pfx_key(q->prefix));
            g_assert_cmpint(r->type, ==, q->type);
            g_assert_cmpint(r->cls, ==, q->cls);
            g_assert_true(r->path == q->path); /* interned */
            g_assert_cmpint(r->peer_vnet, ==, q->peer_vnet);
            g_assert_cmpuint(r->next_hops->len, ==, q->next_hops->len);
            g_assert_cmpuint(r->via->len, ==, q->via->len);
            for (guint k = 0; k < r->next_hops->len; k++)
                g_assert_cmpuint(g_array_index(r->next_hops, uint32_t, k), ==, g_array_index(q->next_hops, uint32_t, k));
            for (guint k = 0; k < r->via->len; k++)
                g_assert_true(g_ptr_array_index(r->via, k) == g_ptr_array_index(q->via, k));
        }
    }
}

static void test_effective_both_walks(void)
{
    g_autofree char *dir = test_scenario_path("");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    guint checked = 0;
    for (const char *f; (f = g_dir_read_name(d));) {
        if (!g_str_has_suffix(f, ".json"))
            continue;
        g_autoptr(ArScenario) scn = test_load_scenario(f, NULL);
        g_autoptr(ArRun) run = run_scenario(scn, NULL);
        ArPfxTable *pfx = &run->net->sim->pfx;
        g_assert_true(pfx->ordered); /* the build gives ids in prefix order */
        g_autoptr(GPtrArray) in_step = eff_compute(run->net);
        pfx->ordered = false;
        g_autoptr(GPtrArray) sorted = eff_compute(run->net);
        pfx->ordered = true;
        assert_same_eff(in_step, sorted);
        checked++;
    }
    g_assert_cmpuint(checked, >=, 17);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/seed-er-sdwan/b2b-off", test_sdwan_b2b_off);
    g_test_add_func("/seed-er-sdwan/b2b-on", test_sdwan_b2b_on);
    g_test_add_func("/seed-er-vpn/b2b-off", test_vpn_b2b_off);
    g_test_add_func("/seed-er-vpn/b2b-on", test_vpn_b2b_on);
    g_test_add_func("/seed-same-prefix/expressroute", test_same_prefix_expressroute);
    g_test_add_func("/seed-same-prefix/aspath", test_same_prefix_aspath);
    g_test_add_func("/seed-same-prefix/vpngateway", test_same_prefix_vpngateway);
    g_test_add_func("/er-gateway-maintenance/instances", test_gateway_maintenance);
    g_test_add_func("/er-circuit-links/links", test_circuit_links);
    g_test_add_func("/effective/both-walks", test_effective_both_walks);
    return g_test_run();
}
