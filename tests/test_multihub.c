/* test_multihub.c - several hubs: multi-region with and without the AS-path rewrite, a circuit
 * shared by two hubs (transit prevention), subnets with route tables, traces across hubs. */
#include "testlib.h"
#include "arsim/output.h"
#include "arsim/reach.h"

#include <string.h>

/* The effective-route table named "VNET" or "VNET/SUBNET". */
static const ArEffTable *table(const ArRun *run, const char *name)
{
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        g_autofree char *n = eff_table_name(run->net->scn, t);
        if (strcmp(n, name) == 0)
            return t;
    }
    g_error("no table %s", name);
}

/* "10.1.1.4" (first next hop), the next hop type name when there is none, or "(none)". */
static char *vm_route(const ArRun *run, const char *tname, const char *prefix)
{
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    const ArEffRoute *r = eff_find(table(run, tname), p);
    if (!r)
        return g_strdup("(none)");
    char ip[IP_STRLEN];
    return g_strdup(r->next_hops->len ? ip_format(g_array_index(r->next_hops, uint32_t, 0), ip) : eff_nh_type_name(r->type));
}

static const ArRoute *best(const ArRun *run, const char *node, const char *prefix)
{
    ArSpeaker *sp = bgp_speaker_find(run->net->sim, node);
    g_assert_nonnull(sp);
    ArPrefix p;
    pfx_parse(prefix, &p);
    const ArRibNet *n = rib_find(&sp->rib, pfx_key(p));
    return n ? rib_best(n) : NULL;
}

/* Walks a packet and returns the verdict line and the hops, joined. */
static char *trace(const ArRun *run, const char *from, const char *to)
{
    g_autoptr(ArReach) r = reach_new(run);
    ArReachNode start;
    g_assert_true(reach_find_start(r, from, &start));
    uint32_t dst;
    g_assert_true(ip_parse(to, &dst));
    g_autoptr(ArTrace) t = reach_trace(r, start, dst);
    GString *s = g_string_new(NULL);
    out_reach_trace_text(t, s);
    return g_string_free(s, FALSE);
}

/* The layered tables of a scenario with two hubs: one shared table per hub, each VNet on its
 * hub's; a VNet's own routes are system routes, and every shared route it hides is a BGP route
 * inside its own or a peered VNet's space; walking the layers gives a sorted table with as many
 * routes as it says, the same as the flat array, and eff_find agrees with both. */
static void test_shared_layers(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("multi-region.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_autoptr(GPtrArray) shared = eff_shared_list(run->eff);
    g_assert_cmpuint(shared->len, ==, 2);
    for (guint i = 0; i < run->eff->len; i++) {
        const ArEffTable *t = g_ptr_array_index(run->eff, i);
        if (t->subnet != AR_NO_INDEX) {
            g_assert_null(t->shared);
            continue;
        }
        g_assert_nonnull(t->shared);
        g_assert_true(t->shared == g_ptr_array_index(shared, (guint)t->shared->id));
        g_assert_cmpint(t->shared->hub, ==, t->hub);
        gboolean member = FALSE;
        for (guint k = 0; k < t->shared->members->len; k++)
            member |= g_array_index(t->shared->members, int, k) == t->vnet;
        g_assert_true(member);
        for (guint k = 0; k < t->own->len; k++)
            g_assert_cmpint(g_array_index(t->own, ArEffRoute, k).cls, ==, CLASS_SYSTEM);
        for (guint k = 0; k < t->hidden->len; k++) {
            const ArEffRoute *h = &g_array_index(t->shared->routes, ArEffRoute, g_array_index(t->hidden, guint, k));
            g_assert_cmpint(h->cls, !=, CLASS_SYSTEM);
            gboolean inside = FALSE;
            for (guint o = 0; o < t->own->len; o++) {
                ArPrefix sp = g_array_index(t->own, ArEffRoute, o).prefix;
                inside |= sp.len <= h->prefix.len && (h->prefix.addr & pfx_mask(sp.len)) == sp.addr;
            }
            g_assert_true(inside);
        }
        const GArray *flat = eff_table_routes(t);
        g_assert_cmpuint(flat->len, ==, t->len);
        ArEffIter it;
        eff_iter_init(&it, t);
        guint n = 0;
        for (const ArEffRoute *r; (r = eff_iter_next(&it)); n++) {
            g_assert_true(memcmp(r, &g_array_index(flat, ArEffRoute, n), sizeof *r) == 0);
            if (n)
                g_assert_cmpint(pfx_cmp(&g_array_index(flat, ArEffRoute, n - 1).prefix, &r->prefix), <=, 0);
            const ArEffRoute *f = eff_find(t, r->prefix);
            g_assert_nonnull(f);
            g_assert_cmpint(pfx_cmp(&f->prefix, &r->prefix), ==, 0);
        }
        g_assert_cmpuint(n, ==, t->len);
    }
    /* The two hubs' VNets see each other's prefixes differently: two classes, not one. */
    const ArEffShared *a = g_ptr_array_index(shared, 0), *b = g_ptr_array_index(shared, 1);
    g_assert_cmpint(a->hub, !=, b->hub);
    g_assert_cmpuint(a->members->len + b->members->len, ==, scn->vnets->len);
}

static void test_multi_region_rewrite(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("multi-region.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_CONVERGED);
    g_autofree char *a = vm_route(run, "spoke1", "10.21.0.0/16");
    g_autofree char *b = vm_route(run, "spoke1", "10.102.0.0/16");
    g_autofree char *c = vm_route(run, "spoke2", "10.11.0.0/16");
    g_autofree char *d = vm_route(run, "spoke2", "10.101.0.0/16");
    g_assert_cmpstr(a, ==, "10.1.1.4");
    g_assert_cmpstr(b, ==, "10.1.1.4");
    g_assert_cmpstr(c, ==, "10.2.1.4");
    g_assert_cmpstr(d, ==, "10.2.1.4");
    /* The rewrite: ars1 sees region 2 as coming from 65001 alone. */
    g_autofree char *path = attr_path_to_string(rt_attrs(best(run, "ars1/0", "10.21.0.0/16"))->path);
    g_assert_cmpstr(path, ==, "65001");
    /* A packet from spoke1 to branch2 crosses both hubs' NVAs. */
    g_autofree char *t = trace(run, "spoke1", "10.102.0.4");
    g_assert_nonnull(strstr(t, "nva1"));
    g_assert_nonnull(strstr(t, "nva2"));
    g_assert_nonnull(strstr(t, "delivered at branch2"));
    g_autofree char *back = trace(run, "spoke2", "10.11.0.4");
    g_assert_nonnull(strstr(back, "delivered at spoke1"));
}

static void test_multi_region_no_rewrite(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("multi-region-no-rewrite.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_CONVERGED);
    g_autofree char *a = vm_route(run, "spoke1", "10.21.0.0/16");
    g_autofree char *c = vm_route(run, "spoke2", "10.11.0.0/16");
    g_assert_cmpstr(a, ==, "(none)");
    g_assert_cmpstr(c, ==, "(none)");
    /* nva1 has it (65002-65515), Route Server dropped it. */
    g_autofree char *path = attr_path_to_string(rt_attrs(best(run, "nva1", "10.21.0.0/16"))->path);
    g_assert_cmpstr(path, ==, "65002-65515");
    g_assert_null(best(run, "ars1/0", "10.21.0.0/16"));
    g_assert_cmpuint(bgp_speaker_find(run->net->sim, "ars1/0")->rejected, >, 0);
    /* Branch prefixes carry no 65515 and still cross. */
    g_autofree char *b = vm_route(run, "spoke1", "10.102.0.0/16");
    g_assert_cmpstr(b, ==, "10.1.1.4");
    g_autofree char *t = trace(run, "spoke1", "10.21.0.4");
    g_assert_nonnull(strstr(t, "dropped at spoke1 (None)"));
}

static void test_shared_circuit(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("shared-circuit.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_CONVERGED);
    /* One circuit, two links: an MSEE per link, each peering with both gateways' instances. */
    g_assert_cmpuint(run->net->msee->len, ==, 2);
    g_assert_cmpstr(((ArSpeaker *)g_ptr_array_index(run->net->msee, 0))->name, ==, "msee/dc/primary");
    g_assert_cmpstr(((ArSpeaker *)g_ptr_array_index(run->net->msee, 1))->name, ==, "msee/dc/secondary");
    /* On-premises gets hub1's NVA route, as 12076. */
    g_autofree char *p = attr_path_to_string(rt_attrs(best(run, "dc", "10.50.0.0/16"))->path);
    g_assert_cmpstr(p, ==, "12076");
    /* ergw2 gets it tagged 65517:65517; ars2 drops it; hub2's VMs do not get it. */
    const ArRoute *r = best(run, "ergw2/0", "10.50.0.0/16");
    g_assert_nonnull(r);
    g_assert_true(attr_comms_has(rt_attrs(r)->comms, COMM_ARS_TRANSIT));
    g_assert_null(best(run, "ars2/0", "10.50.0.0/16"));
    g_autofree char *v = vm_route(run, "hub2", "10.50.0.0/16");
    g_assert_cmpstr(v, ==, "(none)");
    /* The hubs reach each other over the circuit; hub1's VMs keep their NVA's route. */
    g_autofree char *h = vm_route(run, "hub2", "10.1.0.0/16");
    g_assert_cmpstr(h, ==, "192.168.100.130"); /* one path: a Route Server is deployed (TS) */
    g_autofree char *n = vm_route(run, "hub1", "10.50.0.0/16");
    g_assert_cmpstr(n, ==, "10.1.1.4");
}

static void test_subnet_route_table(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("spoke-firewall.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_assert_cmpint(run->end, ==, RUN_CONVERGED);
    /* disableBgpRoutePropagation: no gateway or Route Server routes in the subnet. */
    g_autofree char *a = vm_route(run, "spoke1/workload", "10.100.0.0/16");
    g_autofree char *b = vm_route(run, "spoke1/workload", "10.200.0.0/16");
    g_autofree char *c = vm_route(run, "spoke1/workload", "0.0.0.0/0");
    g_autofree char *d = vm_route(run, "spoke1/workload", "10.1.0.0/16");
    g_assert_cmpstr(a, ==, "(none)");
    g_assert_cmpstr(b, ==, "(none)");
    g_assert_cmpstr(c, ==, "10.1.2.4");
    g_assert_cmpstr(d, ==, "VNetPeering");
    ArPrefix p;
    pfx_parse("0.0.0.0/0", &p);
    g_assert_cmpint(eff_find(table(run, "spoke1/workload"), p)->cls, ==, CLASS_USER);
    /* The rest of the VNet keeps the BGP routes; the subnet without a route table has no table. */
    g_autofree char *e = vm_route(run, "spoke1", "10.200.0.0/16");
    g_assert_cmpstr(e, ==, "192.168.100.130");
    g_assert_cmpuint(run->eff->len, ==, 3);
    /* Through the firewall and the hub's routes to onprem2. */
    g_autofree char *t = trace(run, "spoke1/workload", "10.200.0.4");
    g_assert_nonnull(strstr(t, "firewall"));
    g_assert_nonnull(strstr(t, "delivered at onprem2"));
    /* Without the 10.0.0.0/8 route, Azure's default 10.0.0.0/8 None route is the longer match. */
    const char *sets[] = { "vnets.spoke1.subnets.workload.routeTable.routes=[{\"addressPrefix\":\"0.0.0.0/0\","
                           "\"nextHopType\":\"VirtualAppliance\",\"nextHopIpAddress\":\"10.1.2.4\"}]",
                           NULL };
    g_autoptr(ArScenario) s2 = test_load_scenario("spoke-firewall.json", sets);
    g_autoptr(ArRun) r2 = run_scenario(s2, NULL);
    g_autofree char *t2 = trace(r2, "spoke1/workload", "10.200.0.4");
    g_assert_nonnull(strstr(t2, "dropped at spoke1/workload (None)"));
}

static void test_subnet_errors(void)
{
    static const struct {
        const char *subnets;
        const char *want;
    } cases[] = {
        { "[{'name':'a','addressPrefix':'10.9.0.0/24'}]", "/vnets/0/subnets/0/addressPrefix: 10.9.0.0/24 is outside VNet 'hub'" },
        { "[{'name':'a','addressPrefix':'10.1.0.0/24','routeTable':{'routes':[{'addressPrefix':'0.0.0.0/0','nextHopType':'VirtualAppliance'}]}}]",
          "/vnets/0/subnets/0/routeTable/routes/0: a VirtualAppliance route needs \"nextHopIpAddress\"" },
        { "[{'name':'a','addressPrefix':'10.1.0.0/24','routeTable':{'routes':[{'addressPrefix':'0.0.0.0/0','nextHopType':'Firewall'}]}}]",
          "\"Firewall\" is not a valid nextHopType" },
        { "[{'name':'a','addressPrefix':'10.1.0.0/24'},{'name':'a','addressPrefix':'10.1.1.0/24'}]",
          "/vnets/0/subnets/1/name: VNet 'hub' already has a subnet named \"a\"" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = g_strdup_printf("{'vnets':[{'name':'hub','addressPrefixes':['10.1.0.0/16'],'subnets':%s}]}",
                                                cases[i].subnets);
        for (char *q = text; *q; q++)
            if (*q == '\'')
                *q = '"';
        g_autoptr(ArDiagList) d = diag_list_new();
        g_autoptr(ArScenario) s = load_text("s.json", text, strlen(text), NULL, d);
        g_assert_null(s);
        g_autofree char *got = diag_format(g_ptr_array_index(d->items, 0));
        if (!strstr(got, cases[i].want))
            g_error("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].want);
    }
}

/* BGP propagation off brings Azure's defaults back: the VNet's table holds the NVA's 0.0.0.0/0 and
 * 10.0.0.0/8 instead of the defaults, the subnet without BGP routes has Internet and None again. */
static void test_propagation_off_defaults(void)
{
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) scn = test_load_quoted(
        "{'vnets':[{'name':'hub','addressPrefixes':['10.1.0.0/16'],'subnets':[{'name':'mgmt','addressPrefix':'10.1.2.0/24',"
        "'routeTable':{'disableBgpRoutePropagation':true}}]}],'routeServers':[{'name':'ars','vnet':'hub'}],"
        "'nvas':[{'name':'fw','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars',"
        "'advertisedPrefixes':['0.0.0.0/0','10.0.0.0/8']}]}",
        NULL, d);
    g_assert_nonnull(scn);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    g_autofree char *a = vm_route(run, "hub", "0.0.0.0/0");
    g_autofree char *b = vm_route(run, "hub/mgmt", "0.0.0.0/0");
    g_autofree char *c = vm_route(run, "hub/mgmt", "10.0.0.0/8");
    g_assert_cmpstr(a, ==, "10.1.1.4");
    g_assert_cmpstr(b, ==, "Internet");
    g_assert_cmpstr(c, ==, "None");
    g_autofree char *t = trace(run, "hub/mgmt", "8.8.8.8");
    g_assert_nonnull(strstr(t, "Internet"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/multihub/multi-region-rewrite", test_multi_region_rewrite);
    g_test_add_func("/multihub/multi-region-no-rewrite", test_multi_region_no_rewrite);
    g_test_add_func("/multihub/shared-circuit", test_shared_circuit);
    g_test_add_func("/multihub/subnet-route-table", test_subnet_route_table);
    g_test_add_func("/multihub/propagation-off-defaults", test_propagation_off_defaults);
    g_test_add_func("/multihub/subnet-errors", test_subnet_errors);
    g_test_add_func("/multihub/shared-layers", test_shared_layers);
    return g_test_run();
}
