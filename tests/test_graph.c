/* test_graph.c - diagrams: the DOT read back with cgraph, SVG/PNG rendering, determinism. */
#include "arsim/graph.h"
#include "testlib.h"

#include <string.h>

/* Builds the diagram of a reference scenario and returns its DOT text. */
static char *dot_of(const char *name, const char *const *sets, const char *prefix)
{
    g_autoptr(ArScenario) scn = test_load_scenario(name, sets);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    ArPrefix p;
    if (prefix)
        g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    ArGraphOptions opt = { .prefix = prefix ? &p : NULL };
    Agraph_t *g = graph_build(run, &opt);
    char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    g_assert_true(graph_render(g, "dot", &data, &len, &e));
    g_assert_cmpuint(strlen(data), ==, len);
    graph_free(g);
    return data;
}

static Agraph_t *read_back(const char *dot)
{
    Agraph_t *g = agmemread(dot);
    g_assert_nonnull(g);
    return g;
}

static const char *attr(void *obj, const char *name)
{
    const char *v = agget(obj, (char *)name);
    return v ? v : "";
}

static int count_edges(Agraph_t *g, const char *kind, const char *label_part)
{
    int n = 0;
    for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
        for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e))
            if (strcmp(attr(e, "kind"), kind) == 0 && (!label_part || strstr(attr(e, "label"), label_part)))
                n++;
    return n;
}

static void test_topology(void)
{
    g_autofree char *dot = dot_of("seed-er-sdwan.json", NULL, NULL);
    Agraph_t *g = read_back(dot);
    /* Clusters: each VNet, the Route Server inside the hub, on-premises, the Microsoft edge. */
    Agraph_t *hub = agsubg(agsubg(g, "cluster_azure", 0), "cluster_vnet_hub", 0);
    g_assert_nonnull(hub);
    g_assert_nonnull(agsubg(agsubg(g, "cluster_azure", 0), "cluster_vnet_spoke1", 0));
    Agraph_t *rs = agsubg(hub, "cluster_rs_ars", 0);
    g_assert_nonnull(rs);
    g_assert_nonnull(strstr(attr(rs, "label"), "branch-to-branch: off"));
    g_assert_nonnull(strstr(attr(rs, "label"), "preference: ExpressRoute"));
    g_assert_nonnull(agnode(rs, "ars/0", 0));
    g_assert_nonnull(agnode(rs, "ars/1", 0));
    g_assert_nonnull(agnode(hub, "sdwan", 0));
    g_assert_nonnull(agnode(hub, "ergw/0", 0));
    g_assert_nonnull(agnode(hub, "ergw/1", 0));
    g_assert_nonnull(agnode(agsubg(g, "cluster_onprem", 0), "onprem1", 0));
    g_assert_nonnull(agnode(agsubg(g, "cluster_msee", 0), "msee/onprem2/primary", 0));
    g_assert_nonnull(agnode(agsubg(g, "cluster_msee", 0), "msee/onprem2/secondary", 0));
    g_assert_cmpstr(attr(agnode(g, "sdwan", 0), "kind"), ==, "nva");
    g_assert_cmpstr(attr(agnode(g, "sdwan", 0), "shape"), ==, "box3d");
    g_assert_cmpstr(attr(agnode(g, "ars/0", 0), "shape"), ==, "doubleoctagon");
    /* Sessions: sdwan x2, ergw/0 and ergw/1 x2 each, onprem1-sdwan, onprem2 with the circuit's
     * two MSEEs, ergw/0 and ergw/1 with each MSEE; all established. */
    g_assert_cmpint(count_edges(g, "session", NULL), ==, 13);
    g_assert_cmpint(count_edges(g, "session", "iBGP"), ==, 4);
    g_assert_cmpint(count_edges(g, "session", "DOWN"), ==, 0);
    Agedge_t *e = agedge(g, agnode(g, "ars/0", 0), agnode(g, "sdwan", 0), NULL, 0);
    g_assert_nonnull(e);
    g_assert_cmpstr(attr(e, "label"), ==, "eBGP\\n→2 ←1");
    g_assert_cmpint(count_edges(g, "peering", "uses remote gateways"), ==, 1);
    g_assert_nonnull(agsubg(g, "cluster_legend", 0));
    agclose(g);
}

static void test_prefix_view(void)
{
    /* Why 10.200.0.0/16 does not reach the SD-WAN appliance with branch-to-branch off. */
    g_autofree char *dot = dot_of("seed-er-sdwan.json", NULL, "10.200.0.0/16");
    Agraph_t *g = read_back(dot);
    g_assert_nonnull(strstr(attr(g, "label"), "How 10.200.0.0/16 propagates"));
    Agedge_t *e = agedge(g, agnode(g, "ars/0", 0), agnode(g, "sdwan", 0), "prefix/ars/0/sdwan", 0);
    g_assert_nonnull(e);
    g_assert_nonnull(strstr(attr(e, "label"), "branch-to-branch is off"));
    g_assert_cmpstr(attr(e, "arrowhead"), ==, "tee");
    g_assert_nonnull(strstr(attr(agnode(g, "sdwan", 0), "label"), "no route"));
    g_assert_nonnull(strstr(attr(agnode(g, "onprem2", 0), "label"), "origin"));
    /* the path it did take: onprem2 -> both links' MSEEs; the primary (the lower router ID) ->
     * both gateway instances; ergw/0 (the lower router ID) -> both Route Server instances */
    g_assert_cmpint(count_edges(g, "propagation", "best"), ==, 6);
    agclose(g);

    const char *on[] = { "routeServers.ars.allowBranchToBranchTraffic=true", NULL };
    g_autofree char *dot_on = dot_of("seed-er-sdwan.json", on, "10.200.0.0/16");
    g = read_back(dot_on);
    g_assert_nonnull(strstr(attr(agnode(g, "sdwan", 0), "label"), "best: 65515-12076-65020"));
    g_assert_cmpint(count_edges(g, "propagation", "branch-to-branch"), ==, 0);
    agclose(g);
}

static void test_subnet_route_table(void)
{
    /* spoke1/workload has a route table with BGP propagation off: drawn as its own node, and in
     * the prefix view it sends on-premises traffic to the firewall, not to the gateway. */
    g_autofree char *dot = dot_of("spoke-firewall.json", NULL, "10.200.0.0/16");
    Agraph_t *g = read_back(dot);
    Agnode_t *n = agnode(g, "vms/spoke1/workload", 0);
    g_assert_nonnull(n);
    g_assert_cmpstr(attr(n, "kind"), ==, "subnet");
    g_assert_nonnull(strstr(attr(n, "label"), "BGP propagation off"));
    g_assert_nonnull(strstr(attr(n, "label"), "10.1.2.4"));
    g_assert_cmpint(count_edges(g, "subnet", NULL), ==, 1);
    g_assert_nonnull(agnode(agsubg(g, "cluster_legend", 0), "legend/subnet", 0));
    agclose(g);

    /* a scenario without route tables draws no subnet node */
    g_autofree char *plain = dot_of("seed-er-sdwan.json", NULL, NULL);
    g = read_back(plain);
    g_assert_cmpint(count_edges(g, "subnet", NULL), ==, 0);
    g_assert_null(agnode(g, "legend/subnet", 0));
    g_assert_nonnull(agnode(agsubg(g, "cluster_legend", 0), "legend/vms", 0));
    agclose(g);
}

static void test_deterministic(void)
{
    g_autofree char *a = dot_of("seed-er-vpn.json", NULL, NULL);
    g_autofree char *b = dot_of("seed-er-vpn.json", NULL, NULL);
    g_assert_cmpstr(a, ==, b);
}

static void test_render_svg_png(void)
{
    g_autoptr(ArScenario) scn = test_load_scenario("seed-same-prefix.json", NULL);
    g_autoptr(ArRun) run = run_scenario(scn, NULL);
    Agraph_t *g = graph_build(run, NULL);
    g_autofree char *svg = NULL, *png = NULL;
    gsize svg_len = 0, png_len = 0;
    g_autoptr(GError) e = NULL;
    g_assert_true(graph_render(g, "svg", &svg, &svg_len, &e));
    g_assert_nonnull(strstr(svg, "<svg"));
    g_assert_nonnull(strstr(svg, "sdwan"));
    g_assert_true(graph_render(g, "png", &png, &png_len, &e));
    g_assert_cmpuint(png_len, >, 1000);
    g_assert_cmpmem(png, 4, "\x89PNG", 4);
    g_autofree char *bad = NULL;
    gsize bad_len;
    g_assert_false(graph_render(g, "no-such-format", &bad, &bad_len, &e));
    g_assert_nonnull(e);
    graph_free(g);
    g_assert_cmpstr(graph_format_for("out/x.SVG"), ==, "svg");
    g_assert_null(graph_format_for("x.txt"));
}

/* Count of nodes of g whose kind attribute is kind. */
static int count_nodes(Agraph_t *g, const char *kind)
{
    int n = 0;
    for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
        n += strcmp(attr(v, "kind"), kind) == 0;
    return n;
}

/* Past GRAPH_GROUP_MIN alike spokes, one labelled cluster and one VM node draw them all, and one
 * counted peering edge joins them to the hub; below it (7 spokes) each is drawn. */
static void test_spoke_groups(void)
{
    for (int spokes = 7; spokes <= 12; spokes += 5) {
        ArGenParams p;
        gen_params_default(&p);
        p.spokes = spokes;
        g_autoptr(ArScenario) scn = test_load_generated(&p, NULL);
        g_autoptr(ArRun) run = run_scenario(scn, NULL);
        Agraph_t *built = graph_build(run, NULL);
        char *data = NULL;
        gsize len = 0;
        g_autoptr(GError) e = NULL;
        g_assert_true(graph_render(built, "dot", &data, &len, &e));
        graph_free(built);
        Agraph_t *g = read_back(data);
        if (spokes == 7) {
            g_assert_cmpint(count_nodes(g, "vms"), ==, 8); /* the hub and 7 spokes */
            g_assert_null(strstr(data, "spoke1-spoke7"));
        } else {
            g_assert_cmpint(count_nodes(g, "vms"), ==, 2); /* the hub and the group */
            g_assert_nonnull(strstr(data, "VNets spoke1-spoke12\\n12 VNets with the same peerings and routes"));
            g_assert_nonnull(strstr(data, "VMs in each of the 12 VNets"));
            g_assert_cmpint(count_edges(g, "peering", "peering ×12"), ==, 1);
            g_assert_cmpint(count_edges(g, "peering", NULL), ==, 1);
        }
        agclose(g);
        g_free(data);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/graph/topology", test_topology);
    g_test_add_func("/graph/prefix-view", test_prefix_view);
    g_test_add_func("/graph/subnet-route-table", test_subnet_route_table);
    g_test_add_func("/graph/deterministic", test_deterministic);
    g_test_add_func("/graph/render-svg-png", test_render_svg_png);
    g_test_add_func("/graph/spoke-groups", test_spoke_groups);
    return g_test_run();
}
