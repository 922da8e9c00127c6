/* test_rules.c - one test per Azure rule in docs/azure-rules.md, each on a small inline scenario. */
#include "testlib.h"
#include "arsim/output.h"

#include <string.h>

/* Scenario text with single quotes; must load. */
static ArScenario *load_j(const char *text, const char *const *sets)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    ArScenario *scn = test_load_quoted(text, sets, diags);
    if (!scn)
        diag_print(diags, stderr);
    g_assert_nonnull(scn);
    return scn;
}

typedef struct Case {
    ArScenario *scn;
    ArRun *run;
} Case;

static void case_run(Case *c, const char *text, const char *const *sets)
{
    c->scn = load_j(text, sets);
    c->run = run_scenario(c->scn, NULL);
    g_assert_cmpint(c->run->end, ==, RUN_CONVERGED);
}

static void case_free(Case *c)
{
    run_free(c->run);
    scn_free(c->scn);
}

static ArSpeaker *node(const Case *c, const char *name)
{
    ArSpeaker *sp = bgp_speaker_find(c->run->net->sim, name);
    g_assert_nonnull(sp);
    return sp;
}

static const ArRoute *best(const Case *c, const char *name, const char *prefix)
{
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    ArRibNet *n = rib_find(&node(c, name)->rib, pfx_key(p));
    return n ? rib_best(n) : NULL;
}

static char *best_path(const Case *c, const char *name, const char *prefix)
{
    const ArRoute *r = best(c, name, prefix);
    return r ? attr_path_to_string(rt_attrs(r)->path) : g_strdup("(none)");
}

static const ArSession *session(const Case *c, const char *a, const char *b)
{
    ArSpeaker *sa = node(c, a);
    for (guint i = 0; i < sa->peers->len; i++)
        if (strcmp(bgp_peer(sa, (uint16_t)i)->remote->name, b) == 0)
            return bgp_peer(sa, (uint16_t)i)->session;
    return NULL;
}

static const ArEffRoute *eff(const Case *c, const char *vnet, const char *prefix)
{
    int v = scn_find(c->scn->vnets, vnet);
    g_assert_cmpint(v, !=, AR_NO_INDEX);
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    return eff_find(g_ptr_array_index(c->run->eff, v), p);
}

static char *eff_ips(const Case *c, const char *vnet, const char *prefix)
{
    const ArEffRoute *r = eff(c, vnet, prefix);
    if (!r)
        return g_strdup("(none)");
    GString *s = g_string_new(NULL);
    char buf[IP_STRLEN];
    for (guint i = 0; i < r->next_hops->len; i++)
        g_string_append_printf(s, "%s%s", i ? "," : "", ip_format(g_array_index(r->next_hops, uint32_t, i), buf));
    return g_string_free(s, FALSE);
}

#define HUB "{'name':'hub','addressPrefixes':['10.1.0.0/16']}"
#define ARS_OFF "'routeServers':[{'name':'ars','vnet':'hub'}]"
#define ARS_ON "'routeServers':[{'name':'ars','vnet':'hub','allowBranchToBranchTraffic':true}]"
#define ERGW "{'name':'ergw','vnet':'hub','type':'ExpressRoute'}"

/* R1: Route Server is AS 65515 with two instances; every NVA peers with both (TS, FAQ). */
static void test_two_instances(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "]," ARS_OFF ",'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,"
                 "'routeServer':'ars','advertisedPrefixes':['10.100.0.0/16']}]}", NULL);
    for (int k = 0; k < 2; k++) {
        const char *inst = k ? "ars/1" : "ars/0";
        g_assert_cmpuint(node(&c, inst)->asn, ==, 65515);
        const ArSession *s = session(&c, inst, "nva");
        g_assert_nonnull(s);
        g_assert_false(s->ibgp);
        g_assert_cmpint(s->state, ==, SESS_ESTABLISHED);
        g_assert_nonnull(best(&c, inst, "10.100.0.0/16"));
    }
    case_free(&c);
}

/* R2: gateway sessions to the Route Server are automatic iBGP (ERVPN, LAB); the ExpressRoute
 * gateway is two instances, each with both Route Server instances (expressroute-about-virtual-
 * network-gateways.md: gateway VMs; LAB: the gateway lists both Route Server peers). */
static void test_gateway_ibgp(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "]," ARS_OFF ",'gateways':[" ERGW "]}", NULL);
    g_assert_null(bgp_speaker_find(c.run->net->sim, "ergw"));
    static const char *const inst[] = { "ergw/0", "ergw/1" }, *const rs[] = { "ars/0", "ars/1" };
    for (int g = 0; g < 2; g++)
        for (int k = 0; k < 2; k++) {
            const ArSession *s = session(&c, rs[k], inst[g]);
            g_assert_nonnull(s);
            g_assert_true(s->ibgp);
            g_assert_cmpint(s->state, ==, SESS_ESTABLISHED);
        }
    /* GatewaySubnet is the last /27 of 10.1.0.0/16: the instances take its .4 and .5. */
    g_assert_cmpuint(node(&c, "ergw/0")->ip, ==, 0x0A01FFE4);
    g_assert_cmpuint(node(&c, "ergw/1")->ip, ==, 0x0A01FFE5);
    case_free(&c);
}

/* R3: more routes from one NVA than the per-peer limit drops the session (LIM, FAQ). */
static void test_route_limit(void)
{
    for (int extra = 0; extra < 2; extra++) {
        GString *s = g_string_new("{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','routeLimitPerPeer':20}],"
                                  "'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,"
                                  "'routeServer':'ars','advertisedPrefixes':[");
        for (int i = 0; i < 20 + extra; i++)
            g_string_append_printf(s, "%s'10.200.%d.0/24'", i ? "," : "", i);
        g_string_append(s, "]}]}");
        Case c;
        if (extra) {
            /* Over the limit the session drops, comes back after 60 s, drops again: it flaps until the
             * run gives up (settings.maxTime, here 10 minutes) and the run has not converged. */
            g_string_insert(s, 1, "'settings':{'maxTime':'10m'},");
            c.scn = load_j(s->str, NULL);
            c.run = run_scenario(c.scn, NULL);
            g_assert_cmpint(c.run->end, ==, RUN_UNTIL);
        } else {
            case_run(&c, s->str, NULL);
        }
        const ArSession *ss = session(&c, "ars/0", "nva");
        if (extra) {
            g_assert_cmpint(ss->state, ==, SESS_IDLE);
            g_assert_nonnull(strstr(ss->down_reason, "route limit exceeded"));
            g_assert_cmpuint(ss->flaps, ==, 10);
            g_assert_null(eff(&c, "hub", "10.200.0.0/24"));
        } else {
            g_assert_cmpint(ss->state, ==, SESS_ESTABLISHED);
            g_assert_nonnull(eff(&c, "hub", "10.200.0.0/24"));
        }
        case_free(&c);
        g_string_free(s, TRUE);
    }
}

/* R3b: what loop prevention drops as a whole is not counted: an NVA handing ars/0's VNet routes
 * (65515 in the path) to ars/1 does not push ars/1 over a limit of exactly its own routes. */
static void test_route_limit_ignores_loops(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB ",{'name':'spoke','addressPrefixes':['10.2.0.0/16'],'peerings':[{'remoteVnet':'hub',"
                 "'useRemoteGateways':true}]}],'routeServers':[{'name':'ars','vnet':'hub','routeLimitPerPeer':1}],"
                 "'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars',"
                 "'advertisedPrefixes':['10.100.0.0/16']}]}", NULL);
    for (int k = 0; k < 2; k++) {
        const ArSession *ss = session(&c, k ? "ars/1" : "ars/0", "nva");
        g_assert_cmpint(ss->state, ==, SESS_ESTABLISHED);
        g_assert_cmpuint(ss->flaps, ==, 0);
    }
    g_assert_cmpuint(node(&c, "ars/1")->rejected, >, 0); /* the 65515 routes were dropped, not counted */
    case_free(&c);
}

/* R4: one circuit's routes never reach another circuit on the same gateway (ERVPN). */
static void test_circuit_to_circuit(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "],'gateways':[" ERGW "],'sites':["
                 "{'name':'dc1','asn':65020,'addressPrefixes':['10.201.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]},"
                 "{'name':'dc2','asn':65030,'addressPrefixes':['10.202.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]}]}",
             NULL);
    g_assert_nonnull(best(&c, "ergw/0", "10.201.0.0/16"));
    g_assert_nonnull(best(&c, "ergw/1", "10.202.0.0/16"));
    g_assert_null(best(&c, "dc1", "10.202.0.0/16"));
    g_assert_null(best(&c, "dc2", "10.201.0.0/16"));
    g_autofree char *p = best_path(&c, "dc1", "10.1.0.0/16");
    g_assert_cmpstr(p, ==, "12076");
    case_free(&c);
}

/* R5: toward its ExpressRoute gateway the Route Server tags routes 65517:65517, and drops such
 * routes when a gateway brings them back (FAQ transit prevention). */
static void test_transit_community(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "]," ARS_ON ",'gateways':[" ERGW "],'nvas':[{'name':'nva','vnet':'hub',"
                 "'ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars','advertisedPrefixes':['10.100.0.0/16']}]}", NULL);
    for (int k = 0; k < 2; k++) {
        const ArRoute *r = best(&c, k ? "ergw/1" : "ergw/0", "10.100.0.0/16");
        g_assert_nonnull(r);
        g_assert_true(attr_comms_has(rt_attrs(r)->comms, COMM_ARS_TRANSIT));
    }
    case_free(&c);
}

#define TWO_NVAS(reflect)                                                                                           \
    "{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','nvaToNvaReflection':" reflect "}],'nvas':["    \
    "{'name':'nva1','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars','advertisedPrefixes':['10.101.0.0/16']}," \
    "{'name':'nva2','vnet':'hub','ipAddress':'10.1.2.4','asn':65002,'routeServer':'ars','advertisedPrefixes':['10.102.0.0/16'," \
    "{'prefix':'10.103.0.0/16','communities':['65535:65282']}]}]}"

/* R6: NVA-to-NVA reflection: nva1 learns nva2's routes as 65515-65002 with nva2's next hop (LAB);
 * a setting turns it off. */
static void test_nva_reflection(void)
{
    Case c;
    case_run(&c, TWO_NVAS("true"), NULL);
    g_autofree char *p = best_path(&c, "nva1", "10.102.0.0/16");
    g_assert_cmpstr(p, ==, "65515-65002");
    g_assert_cmphex(rt_attrs(best(&c, "nva1", "10.102.0.0/16"))->next_hop, ==, 0x0A010204u);
    /* never echoed back to its origin */
    g_assert_true(best(&c, "nva1", "10.101.0.0/16")->peer == PEER_LOCAL);
    case_free(&c);
    case_run(&c, TWO_NVAS("false"), NULL);
    g_assert_null(best(&c, "nva1", "10.102.0.0/16"));
    case_free(&c);
}

/* R7: NO_ADVERTISE: injected into VMs, advertised to no BGP peer (INJ). */
static void test_no_advertise(void)
{
    Case c;
    case_run(&c, TWO_NVAS("true"), NULL);
    g_assert_nonnull(best(&c, "ars/0", "10.103.0.0/16"));
    g_assert_null(best(&c, "nva1", "10.103.0.0/16"));
    g_autofree char *ips = eff_ips(&c, "hub", "10.103.0.0/16");
    g_assert_cmpstr(ips, ==, "10.1.2.4");
    case_free(&c);
}

/* R8: equal AS-path length from several NVAs is ECMP; a shorter path wins alone (FAQ). */
static void test_ecmp(void)
{
    const char *base = "{'vnets':[" HUB "]," ARS_OFF ",'nvas':["
                       "{'name':'fw1','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars','advertisedPrefixes':['0.0.0.0/0']},"
                       "{'name':'fw2','vnet':'hub','ipAddress':'10.1.1.5','asn':65001,'routeServer':'ars','advertisedPrefixes':['0.0.0.0/0']}]}";
    Case c;
    case_run(&c, base, NULL);
    g_autofree char *ips = eff_ips(&c, "hub", "0.0.0.0/0");
    g_assert_cmpstr(ips, ==, "10.1.1.4,10.1.1.5");
    /* R9 too: an NVA default route replaces the Internet default in every VM (TS). */
    g_assert_cmpint(eff(&c, "hub", "0.0.0.0/0")->type, ==, NH_GATEWAY);
    case_free(&c);
    const char *sets[] = { "nvas.fw2.advertisedPrefixes=[{\"prefix\":\"0.0.0.0/0\",\"asPath\":[65099]}]", NULL };
    case_run(&c, base, sets);
    g_autofree char *ips2 = eff_ips(&c, "hub", "0.0.0.0/0");
    g_assert_cmpstr(ips2, ==, "10.1.1.4");
    case_free(&c);
}

/* R10: NVA prefixes equal to or longer than the VNet space are neither advertised nor injected;
 * supernets are (INJ). System routes win over BGP routes (FAQ). */
static void test_vnet_prefix_filter(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB ",{'name':'spoke','addressPrefixes':['10.2.0.0/16'],'peerings':[{'remoteVnet':'hub',"
                 "'useRemoteGateways':true}]}]," ARS_OFF ",'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4',"
                 "'asn':65001,'routeServer':'ars','advertisedPrefixes':['10.1.0.0/16','10.1.5.0/24','10.2.3.0/24','10.0.0.0/8']}]}",
             NULL);
    /* ars/0 holds only its own VNet route for 10.1.0.0/16: the NVA's copy was refused. */
    g_assert_cmpuint(best(&c, "ars/0", "10.1.0.0/16")->peer, ==, PEER_LOCAL);
    ArPrefix own;
    g_assert_cmpint(pfx_parse("10.1.0.0/16", &own), ==, PFX_OK);
    g_assert_cmpuint(rib_paths(rib_find(&node(&c, "ars/0")->rib, pfx_key(own))), ==, 1);
    g_assert_null(best(&c, "ars/0", "10.1.5.0/24"));
    g_assert_null(best(&c, "ars/0", "10.2.3.0/24"));
    g_assert_nonnull(best(&c, "ars/0", "10.0.0.0/8"));
    g_assert_cmpint(eff(&c, "hub", "10.1.0.0/16")->type, ==, NH_VNET_LOCAL);
    g_assert_null(eff(&c, "hub", "10.1.5.0/24"));
    /* The supernet replaces Azure's default 10.0.0.0/8 -> None route. */
    g_assert_cmpint(eff(&c, "spoke", "10.0.0.0/8")->type, ==, NH_GATEWAY);
    case_free(&c);
}

/* R11: NVA routes reach VMs of spokes that use the hub's gateways, not of other peered spokes (FAQ, INJ). */
static void test_spoke_injection(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB ",{'name':'s1','addressPrefixes':['10.2.0.0/16'],'peerings':[{'remoteVnet':'hub',"
                 "'useRemoteGateways':true}]},{'name':'s2','addressPrefixes':['10.3.0.0/16'],'peerings':[{'remoteVnet':'hub'}]}],"
                 ARS_OFF ",'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars',"
                 "'advertisedPrefixes':['10.100.0.0/16']}]}", NULL);
    g_assert_nonnull(eff(&c, "s1", "10.100.0.0/16"));
    g_assert_null(eff(&c, "s2", "10.100.0.0/16"));
    /* Only s1's space is advertised to the NVA (useRemoteGateways), s2's is not. */
    g_assert_nonnull(best(&c, "nva", "10.2.0.0/16"));
    g_assert_null(best(&c, "nva", "10.3.0.0/16"));
    case_free(&c);
}

/* R12: the Route Server drops paths holding 65515 (MR) or AS 0 (secure-route-server). */
static void test_loop_and_as0(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "]," ARS_OFF ",'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,"
                 "'routeServer':'ars','advertisedPrefixes':[{'prefix':'10.110.0.0/16','asPath':[65515]},"
                 "{'prefix':'10.111.0.0/16','asPath':[0]},{'prefix':'10.112.0.0/16','asPath':[65100]}]}],"
                 /* Equal delays: under jitter the NVA may first hear ars/1's VNet route and pass it
                  * to ars/0 (65001-65515, a third loop drop) before ars/0's own arrives. */
                 "'settings':{'jitter':0}}", NULL);
    g_assert_null(best(&c, "ars/0", "10.110.0.0/16"));
    g_assert_null(best(&c, "ars/0", "10.111.0.0/16"));
    g_autofree char *p = best_path(&c, "ars/0", "10.112.0.0/16");
    g_assert_cmpstr(p, ==, "65001-65100");
    g_assert_cmpuint(node(&c, "ars/0")->rejected, ==, 2);
    case_free(&c);
}

/* R13: a static (non-BGP) VPN site's prefixes are advertised by the gateway (ERVPN) and injected. */
static void test_static_vpn_site(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "]," ARS_ON ",'gateways':[{'name':'vpngw','vnet':'hub','type':'Vpn','activeActive':true}],"
                 "'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars'}],"
                 "'sites':[{'name':'branch','asn':65050,'addressPrefixes':['10.150.0.0/16'],'connections':[{'vpnGateway':'vpngw','bgp':false}]}]}",
             NULL);
    g_autofree char *p = best_path(&c, "nva", "10.150.0.0/16");
    g_assert_cmpstr(p, ==, "65515");
    g_assert_cmpint(eff(&c, "hub", "10.150.0.0/16")->cls, ==, CLASS_VPN);
    g_assert_cmpuint(eff(&c, "hub", "10.150.0.0/16")->next_hops->len, ==, 2);
    g_assert_null(session(&c, "vpngw/0", "branch"));
    case_free(&c);
}

/* R14: the ExpressRoute gateway prefers its circuit path (weight 32769) to the same prefix learned
 * from the Route Server over iBGP (LAB). */
static void test_ergw_weight(void)
{
    Case c;
    /* Under ASPath the Route Server's best is the NVA's shorter path, so it sends it to the gateway. */
    case_run(&c, "{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','allowBranchToBranchTraffic':true,"
                 "'hubRoutingPreference':'ASPath'}],'gateways':[" ERGW "],'nvas':[{'name':'nva','vnet':'hub',"
                 "'ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars','advertisedPrefixes':['10.50.0.0/16']}],"
                 "'sites':[{'name':'dc','asn':65020,'addressPrefixes':['10.50.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]}]}",
             NULL);
    for (int k = 0; k < 2; k++) {
        const char *gw = k ? "ergw/1" : "ergw/0";
        const ArRoute *r = best(&c, gw, "10.50.0.0/16");
        g_assert_cmpuint(rt_attrs(r)->weight, ==, 32769);
        g_assert_cmpint(bgp_route_source(node(&c, gw), r)->kind, ==, NODE_MSEE);
        /* the iBGP path is there too, just not best */
        ArPrefix p;
        pfx_parse("10.50.0.0/16", &p);
        g_assert_cmpuint(rib_paths(rib_find(&node(&c, gw)->rib, pfx_key(p))), >=, 2);
    }
    case_free(&c);
}

/* R15: ExpressRoute circuit prefix limit from on-premises: 4,000 Standard, 10,000 Premium; over it
 * the session drops (expressroute-routing.md). */
static void test_circuit_limit(void)
{
    for (int premium = 0; premium < 2; premium++) {
        GString *s = g_string_new("{'vnets':[" HUB "],'gateways':[" ERGW "],'sites':[{'name':'dc','asn':65020,'addressPrefixes':[");
        for (int i = 0; i < 4001; i++)
            g_string_append_printf(s, "%s'10.%d.%d.0/24'", i ? "," : "", 128 + i / 256, i % 256);
        g_string_append_printf(s, "],'connections':[{'expressRouteGateway':'ergw','circuitSku':'%s'}]}],"
                               "'settings':{'maxTime':'5m'}}", premium ? "Premium" : "Standard");
        Case c;
        c.scn = load_j(s->str, NULL);
        c.run = run_scenario(c.scn, NULL);
        /* Over the limit the session keeps flapping: the run does not converge. */
        g_assert_cmpint(c.run->end, ==, premium ? RUN_CONVERGED : RUN_UNTIL);
        for (int l = 0; l < 2; l++) { /* both links of the circuit count the limit per session */
            const ArSession *ss = session(&c, l ? "msee/dc/secondary" : "msee/dc/primary", "dc");
            g_assert_cmpint(ss->state, ==, premium ? SESS_ESTABLISHED : SESS_IDLE);
        }
        g_assert_cmpuint(eff(&c, "hub", "10.128.0.0/24") != NULL, ==, premium);
        case_free(&c);
        g_string_free(s, TRUE);
    }
}

/* A site announcing n /24s over conn (a connection object), the run given 5 minutes. */
static char *limit_site_scenario(guint n, const char *gateway, const char *conn)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "{'vnets':[" HUB "],'gateways':[%s],'sites':[{'name':'dc','asn':65020,'addressPrefixes':[",
                           gateway);
    for (guint i = 0; i < n; i++)
        g_string_append_printf(s, "%s'10.%u.%u.0/24'", i ? "," : "", 128 + i / 256, i % 256);
    g_string_append_printf(s, "],'connections':[%s]}],'settings':{'maxTime':'5m'}}", conn);
    return g_string_free(s, FALSE);
}

/* R15b: the limits at their exact boundary: a Premium circuit takes 10,000 prefixes and drops the
 * session at 10,001 (expressroute-routing.md); a VPN gateway takes 4,000 from one BGP site and
 * drops it at 4,001 (vpn-gateway FAQ). */
static void test_premium_and_vpn_limits(void)
{
    static const struct {
        const char *gateway, *conn, *session_end;
        guint limit;
    } cases[] = {
        { ERGW, "{'expressRouteGateway':'ergw','circuitSku':'Premium'}", "msee/dc/primary", 10000 },
        { "{'name':'vpngw','vnet':'hub','type':'Vpn','activeActive':true}", "{'vpnGateway':'vpngw','bgp':true}",
          "vpngw/0", 4000 },
    };
    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        for (guint over = 0; over < 2; over++) {
            g_autofree char *text = limit_site_scenario(cases[k].limit + over, cases[k].gateway, cases[k].conn);
            Case c;
            c.scn = load_j(text, NULL);
            c.run = run_scenario(c.scn, NULL);
            g_assert_cmpint(c.run->end, ==, over ? RUN_UNTIL : RUN_CONVERGED); /* over: it keeps flapping */
            const ArSession *ss = session(&c, cases[k].session_end, "dc");
            g_assert_nonnull(ss);
            g_assert_cmpint(ss->state, ==, over ? SESS_IDLE : SESS_ESTABLISHED);
            g_assert_cmpuint(eff(&c, "hub", "10.128.0.0/24") != NULL, ==, !over);
            case_free(&c);
        }
    }
}

/* A hub whose NVA advertises n /24s (10.128.0.0/24 on), Route Server with branch-to-branch and a
 * per-peer limit of 2,000 (so that only the gateways' limits are at stake), the given gateway and
 * site; settings extra, e.g. ",'liftLimits':true". */
static char *gateway_limit_scenario(guint n, const char *gateway, const char *site, const char *extra)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','allowBranchToBranchTraffic':true,"
                              "'routeLimitPerPeer':2000}],'gateways':[%s],'sites':[%s],'nvas':[{'name':'nva','vnet':'hub',"
                              "'ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars','advertisedPrefixes':[",
                           gateway, site);
    for (guint i = 0; i < n; i++)
        g_string_append_printf(s, "%s'10.%u.%u.0/24'", i ? "," : "", 128 + i / 256, i % 256);
    g_string_append_printf(s, "]}],'settings':{'maxTime':'5m'%s}}", extra);
    return g_string_free(s, FALSE);
}

/* R22: a gateway accepts at most 1,000 routes from a Route Server instance (LIM); past it the
 * gateway - Route Server session drops and what the Route Server taught never reaches
 * on-premises (older LIM: "you'll lose connectivity from your on-premises network to Azure").
 * Here a VPN gateway's branch: 1,000 NVA routes cross, 1,001 drop all four sessions; liftLimits
 * lets them through. */
static void test_rs_gateway_limit(void)
{
    const char *vpngw = "{'name':'vpngw','vnet':'hub','type':'Vpn','activeActive':true}";
    const char *br = "{'name':'br','asn':65060,'addressPrefixes':['10.60.0.0/16'],'connections':[{'vpnGateway':'vpngw','bgp':true}]}";
    for (int k = 0; k < 3; k++) {
        guint n = k == 0 ? 1000 : 1001;
        g_autofree char *text = gateway_limit_scenario(n, vpngw, br, k == 2 ? ",'liftLimits':true" : "");
        Case c;
        c.scn = load_j(text, NULL);
        c.run = run_scenario(c.scn, NULL);
        bool dropped = k == 1;
        g_assert_cmpint(c.run->end, ==, dropped ? RUN_UNTIL : RUN_CONVERGED); /* dropped: it keeps flapping */
        for (int r = 0; r < 2; r++)
            for (int g = 0; g < 2; g++) {
                const ArSession *ss = session(&c, r ? "ars/1" : "ars/0", g ? "vpngw/1" : "vpngw/0");
                g_assert_cmpint(ss->state, ==, dropped ? SESS_IDLE : SESS_ESTABLISHED);
                if (dropped)
                    g_assert_cmpstr(ss->down_reason, ==, "route limit exceeded: 0 learned + 1001 in one UPDATE > 1000");
            }
        g_assert_cmpuint(best(&c, "br", "10.128.0.0/24") != NULL, ==, !dropped);
        g_assert_nonnull(best(&c, "br", "10.1.0.0/16")); /* the gateway still advertises the VNet */
        case_free(&c);
    }
}

/* R23: a circuit accepts at most 1,000 routes from an ExpressRoute gateway, the VNet space and the
 * Route Server's routes together (expressroute-limits; LIM: "must not exceed 1,000"); past it the
 * BGP session disconnects (expressroute-faqs) and on-premises loses even the VNet. 999 NVA routes
 * and the hub's 10.1.0.0/16 cross; 1,000 (each within the Route Server's limit toward the gateway)
 * make 1,001 at the circuit. */
static void test_er_azure_limit(void)
{
    const char *dc = "{'name':'dc','asn':65020,'addressPrefixes':['10.200.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]}";
    for (guint over = 0; over < 2; over++) {
        g_autofree char *text = gateway_limit_scenario(999 + over, ERGW, dc, "");
        Case c;
        c.scn = load_j(text, NULL);
        c.run = run_scenario(c.scn, NULL);
        g_assert_cmpint(c.run->end, ==, over ? RUN_UNTIL : RUN_CONVERGED);
        for (int k = 0; k < 4; k++) { /* both gateway instances' sessions with both links' MSEEs */
            const char *inst = k & 1 ? "ergw/1" : "ergw/0";
            const ArSession *ss = session(&c, k & 2 ? "msee/dc/secondary" : "msee/dc/primary", inst);
            g_assert_nonnull(ss);
            g_assert_cmpint(ss->state, ==, over ? SESS_IDLE : SESS_ESTABLISHED);
            if (over)
                g_assert_cmpstr(ss->down_reason, ==, "route limit exceeded: 1 learned + 1000 in one UPDATE > 1000");
            g_assert_cmpint(session(&c, "ars/0", inst)->state, ==, SESS_ESTABLISHED);
        }
        g_assert_cmpuint(best(&c, "dc", "10.1.0.0/16") != NULL, ==, !over);
        g_assert_cmpuint(best(&c, "dc", "10.128.0.0/24") != NULL, ==, !over);
        case_free(&c);
    }
}

/* R24: at most 500 peerings per VNet (azure-virtual-network-limits): a hub with 500 spokes loads;
 * the 501st is refused (tests/data/bad/vnet-too-many-peerings.json), and with liftLimits it is one
 * warning. */
static void test_vnet_peering_limit(void)
{
    for (guint n = 500; n <= 501; n++) {
        GString *s = g_string_new("{'vnets':[{'name':'hub','addressPrefixes':['10.0.0.0/16']}");
        for (guint k = 0; k < n; k++)
            g_string_append_printf(s, ",{'name':'s%u','addressPrefixes':['10.%u.%u.0/24'],'peerings':[{'remoteVnet':'hub'}]}", k,
                                   1 + k / 256, k % 256);
        g_string_append_printf(s, "]%s}", n == 501 ? ",'settings':{'liftLimits':true}" : "");
        g_autoptr(ArDiagList) d = diag_list_new();
        g_autoptr(ArScenario) scn = test_load_quoted(s->str, NULL, d);
        g_assert_nonnull(scn);
        g_assert_cmpint(d->errors, ==, 0);
        g_assert_cmpint(d->warnings, ==, n == 501 ? 1 : 0);
        if (n == 501)
            g_assert_nonnull(strstr(((const ArDiag *)g_ptr_array_index(d->items, 0))->message,
                                    "peering number 501 of VNet 'hub'; Azure allows at most 500"));
        g_string_free(s, TRUE);
    }
}

/* R25: a VNet's custom BGP community and its region's reach on-premises on the VNet's own prefixes
 * over ExpressRoute private peering (expressroute-routing.md); a spoke without them, the circuit's
 * own routes and the Route Server side carry none; the regional one never shows alone (the
 * validator requires virtualNetworkCommunity). */
static void test_vnet_communities(void)
{
    Case c;
    case_run(&c, "{'vnets':[{'name':'hub','addressPrefixes':['10.1.0.0/16'],'bgpCommunities':{'virtualNetworkCommunity':"
                 "'12076:20001','regionalCommunity':'12076:50004'}},{'name':'spoke','addressPrefixes':['10.2.0.0/16'],"
                 "'peerings':[{'remoteVnet':'hub','useRemoteGateways':true}]}]," ARS_ON ",'gateways':[" ERGW "],"
                 "'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars',"
                 "'advertisedPrefixes':['10.100.0.0/16']}],"
                 "'sites':[{'name':'dc','asn':65020,'addressPrefixes':['10.200.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]}]}",
             NULL);
    const ArRoute *hub = best(&c, "dc", "10.1.0.0/16");
    g_assert_nonnull(hub);
    g_assert_cmpuint(rt_attrs(hub)->comms->len, ==, 2);
    g_assert_true(attr_comms_has(rt_attrs(hub)->comms, 12076u << 16 | 20001u));
    g_assert_true(attr_comms_has(rt_attrs(hub)->comms, 12076u << 16 | 50004u));
    g_assert_cmpuint(rt_attrs(best(&c, "dc", "10.2.0.0/16"))->comms->len, ==, 0);  /* the spoke has none */
    g_assert_false(attr_comms_has(rt_attrs(best(&c, "dc", "10.100.0.0/16"))->comms, 12076u << 16 | 20001u)); /* an NVA's route */
    /* added toward on-premises only, by both links' MSEEs */
    g_assert_cmpuint(rt_attrs(best(&c, "msee/dc/primary", "10.1.0.0/16"))->comms->len, ==, 0);
    g_assert_cmpuint(rt_attrs(best(&c, "msee/dc/secondary", "10.1.0.0/16"))->comms->len, ==, 0);
    g_assert_cmpuint(rt_attrs(best(&c, "nva", "10.1.0.0/16"))->comms->len, ==, 0);
    /* 65517:65517 toward the gateway and its transit prevention are unchanged (3.4). */
    g_assert_true(attr_comms_has(rt_attrs(best(&c, "ergw/0", "10.100.0.0/16"))->comms, COMM_ARS_TRANSIT));
    case_free(&c);
}

/* R16: with hubRoutingPreference VpnGateway, VPN and NVA paths compete on AS-path length (HRP). */
static void test_hrp_vpn_vs_nva(void)
{
    const char *text = "{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','hubRoutingPreference':'VpnGateway'}],"
                       "'gateways':[" ERGW ",{'name':'vpngw','vnet':'hub','type':'Vpn','activeActive':true}],"
                       "'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars',"
                       "'advertisedPrefixes':[{'prefix':'10.60.0.0/16','asPath':[65100,65101]}]}],"
                       "'sites':[{'name':'br','asn':65060,'addressPrefixes':['10.60.0.0/16'],'connections':[{'vpnGateway':'vpngw','bgp':true}]},"
                       "{'name':'dc','asn':65020,'addressPrefixes':['10.60.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]}]}";
    Case c;
    case_run(&c, text, NULL);
    /* VPN path "65060" (1 AS) beats NVA "65001-65100-65101" (3) and ExpressRoute (not preferred). */
    g_assert_cmpint(eff(&c, "hub", "10.60.0.0/16")->cls, ==, CLASS_VPN);
    case_free(&c);
    const char *sets[] = { "routeServers.ars.hubRoutingPreference=ExpressRoute", NULL };
    case_run(&c, text, sets);
    g_assert_cmpint(eff(&c, "hub", "10.60.0.0/16")->cls, ==, CLASS_EXPRESSROUTE);
    case_free(&c);
}

/* R10b: a VPN gateway drops what its BGP site announces inside the VNet space (rule book 5):
 * neither the Route Server nor, with branch-to-branch on, an NVA gets it; the rest passes. */
static void test_vpn_vnet_filter(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','allowBranchToBranchTraffic':true}],"
                 "'gateways':[{'name':'vpngw','vnet':'hub','type':'Vpn','activeActive':true}],"
                 "'nvas':[{'name':'sdwan','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars'}],"
                 "'sites':[{'name':'branch','asn':65010,'addressPrefixes':['10.1.5.0/24','10.60.0.0/16'],"
                 "'connections':[{'vpnGateway':'vpngw','bgp':true}]}]}",
             NULL);
    g_assert_null(best(&c, "vpngw/0", "10.1.5.0/24"));
    g_assert_null(best(&c, "ars/0", "10.1.5.0/24"));
    g_assert_null(best(&c, "sdwan", "10.1.5.0/24"));
    g_assert_nonnull(best(&c, "sdwan", "10.60.0.0/16"));
    g_assert_cmpint(eff(&c, "hub", "10.60.0.0/16")->type, ==, NH_GATEWAY);
    g_assert_cmpuint(node(&c, "vpngw/0")->rejected, ==, 1);
    case_free(&c);
}

/* An NVA and a VPN site announce the same 1-AS path under VpnGateway preference: ECMP over the NVA
 * and both VPN gateway instances (R17, R18). */
#define NVA_VPN_ECMP                                                                                                    \
    "{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','allowBranchToBranchTraffic':true,"                  \
    "'hubRoutingPreference':'VpnGateway'}],'gateways':[{'name':'vpngw','vnet':'hub','type':'Vpn','activeActive':true}]," \
    "'nvas':[{'name':'sdwan','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,'routeServer':'ars',"                     \
    "'advertisedPrefixes':['10.50.0.0/16']}],"                                                                         \
    "'sites':[{'name':'onprem1','asn':65010,'addressPrefixes':['10.50.0.0/16'],"                                       \
    "'connections':[{'vpnGateway':'vpngw','bgp':true}]}]}"

/* R17: a VPN gateway holds routes from its BGP site with the weight of every learned route (32768,
 * LAB), so the AS path decides: its own site's 1-AS path beats the Route Server's ExpressRoute copy,
 * and with VpnGateway preference an NVA and the site announcing the same path length are ECMP. */
static void test_vpn_site_weight(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','allowBranchToBranchTraffic':true}],"
                 "'gateways':[" ERGW ",{'name':'vpngw','vnet':'hub','type':'Vpn','activeActive':true}],"
                 "'sites':[{'name':'branch','asn':65010,'addressPrefixes':['10.50.0.0/16'],'connections':[{'vpnGateway':'vpngw','bgp':true}]},"
                 "{'name':'dc','asn':65020,'addressPrefixes':['10.50.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]}]}",
             NULL);
    for (int k = 0; k < 2; k++) {
        g_autofree char *p = best_path(&c, k ? "vpngw/1" : "vpngw/0", "10.50.0.0/16");
        g_assert_cmpstr(p, ==, "65010");
    }
    case_free(&c);
    case_run(&c, NVA_VPN_ECMP, NULL);
    g_autofree char *ips = eff_ips(&c, "hub", "10.50.0.0/16");
    g_assert_cmpstr(ips, ==, "10.1.1.4,10.1.255.230,10.1.255.231");
    case_free(&c);
}

/* Names of the nodes an effective route leads to, comma-separated, in next-hop order. */
static char *eff_vias(const Case *c, const char *vnet, const char *prefix)
{
    const ArEffRoute *r = eff(c, vnet, prefix);
    if (!r)
        return g_strdup("(none)");
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < r->via->len; i++)
        g_string_append_printf(s, "%s%s", i ? "," : "", ((const ArSpeaker *)g_ptr_array_index(r->via, i))->name);
    return g_string_free(s, FALSE);
}

/* The first effective route for prefix anywhere in a JSON document (an object with "prefix" and
 * "nextHopIps"), depth first: independent of how the document groups its tables. */
static const cJSON *find_eff_json(const cJSON *j, const char *prefix)
{
    if (cJSON_IsObject(j) && cJSON_GetObjectItemCaseSensitive(j, "nextHopIps") &&
        g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "prefix")), prefix) == 0)
        return j;
    for (const cJSON *e = j ? j->child : NULL; e; e = e->next) {
        const cJSON *f = find_eff_json(e, prefix);
        if (f)
            return f;
    }
    return NULL;
}

/* R18: ECMP between an NVA and both instances of a VPN gateway names every next hop: the model
 * (one node per next hop), the text table, the JSON document and the report all print it. */
static void test_ecmp_names_every_hop(void)
{
    Case c;
    case_run(&c, NVA_VPN_ECMP, NULL);
    g_autofree char *ips = eff_ips(&c, "hub", "10.50.0.0/16");
    g_assert_cmpstr(ips, ==, "10.1.1.4,10.1.255.230,10.1.255.231");
    g_autofree char *vias = eff_vias(&c, "hub", "10.50.0.0/16");
    g_assert_cmpstr(vias, ==, "sdwan,vpngw/0,vpngw/1");
    /* text */
    g_autoptr(GString) text = g_string_new(NULL);
    out_run_text(c.run, NULL, text, NULL);
    g_assert_nonnull(strstr(text->str, "10.1.1.4, 10.1.255.230, 10.1.255.231 (sdwan, vpngw/0, vpngw/1)"));
    /* JSON: the effective route's "nextHop" names all three, wherever the document keeps it */
    cJSON *doc = out_run_json(c.run, NULL);
    const cJSON *er = find_eff_json(doc, "10.50.0.0/16");
    g_assert_nonnull(er);
    g_autofree char *names = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(er, "nextHop"));
    g_assert_cmpstr(names, ==, "[\"sdwan\",\"vpngw/0\",\"vpngw/1\"]");
    cJSON_Delete(doc);
    case_free(&c);
}

/* R19: under hubRoutingPreference ASPath, an ExpressRoute path and an NVA path of equal length are
 * decided once, by the Route Server's decision process (HRP: BGP attributes break the tie; RFC
 * 4271 9.1.2.2 (d): the NVA's eBGP path beats the gateway's iBGP one), and the VMs get the path the
 * Route Server advertises. A shorter ExpressRoute path still wins alone. */
static void test_aspath_tie_one_decision(void)
{
    const char *text = "{'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub','hubRoutingPreference':'ASPath'}],"
                       "'gateways':[" ERGW "],'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,"
                       "'routeServer':'ars','advertisedPrefixes':[{'prefix':'10.50.0.0/16','asPath':[65100]}]}],"
                       "'sites':[{'name':'dc','asn':65020,'addressPrefixes':['10.50.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]}]}";
    Case c;
    case_run(&c, text, NULL);
    /* Both paths are 2 ASes long at the Route Server: 12076-65020 and 65001-65100. */
    for (int k = 0; k < 2; k++) {
        const char *rs = k ? "ars/1" : "ars/0";
        g_autofree char *p = best_path(&c, rs, "10.50.0.0/16");
        g_assert_cmpstr(p, ==, "65001-65100");
    }
    g_assert_cmpint(eff(&c, "hub", "10.50.0.0/16")->cls, ==, CLASS_NVA);
    g_autofree char *ips = eff_ips(&c, "hub", "10.50.0.0/16");
    g_assert_cmpstr(ips, ==, "10.1.1.4");
    case_free(&c);
    /* One AS more on the NVA's path: ExpressRoute is shorter and wins, at the Route Server and in VMs. */
    const char *longer[] = { "nvas.nva.advertisedPrefixes=[{\"prefix\":\"10.50.0.0/16\",\"asPath\":[65100,65101]}]", NULL };
    case_run(&c, text, longer);
    g_autofree char *p0 = best_path(&c, "ars/0", "10.50.0.0/16");
    g_assert_cmpstr(p0, ==, "12076-65020");
    g_assert_cmpint(eff(&c, "hub", "10.50.0.0/16")->cls, ==, CLASS_EXPRESSROUTE);
    case_free(&c);
}

/* The reasons `graph --prefix` prints where a prefix stops are asked of the same policies the engine
 * used: one direction of one session, its state and the reason's key words. */
static void assert_why(const Case *c, const char *prefix, const char *from, const char *to, ArPropState state,
                       const char *why_part)
{
    ArPrefix p;
    g_assert_cmpint(pfx_parse(prefix, &p), ==, PFX_OK);
    g_autoptr(GArray) edges = prop_explain(c->run, p);
    for (guint i = 0; i < edges->len; i++) {
        const ArPropEdge *e = &g_array_index(edges, ArPropEdge, i);
        if (strcmp(e->from->name, from) != 0 || strcmp(e->to->name, to) != 0)
            continue;
        g_assert_cmpint(e->state, ==, state);
        if (why_part) {
            g_assert_nonnull(e->why);
            if (!strstr(e->why, why_part))
                g_error("%s %s->%s: reason '%s' lacks '%s'", prefix, from, to, e->why, why_part);
        }
        return;
    }
    g_error("%s: no explanation for %s->%s", prefix, from, to);
}

static void test_explain_reasons(void)
{
    Case c;
    /* AS-path loop (65515 in the path), AS 0, and a path that crosses */
    case_run(&c, "{'vnets':[" HUB "]," ARS_OFF ",'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,"
                 "'routeServer':'ars','advertisedPrefixes':[{'prefix':'10.110.0.0/16','asPath':[65515]},"
                 "{'prefix':'10.111.0.0/16','asPath':[0]},'10.112.0.0/16','10.1.5.0/24']}]}", NULL);
    assert_why(&c, "10.110.0.0/16", "nva", "ars/0", PROP_REJECTED, "65515");
    assert_why(&c, "10.111.0.0/16", "nva", "ars/1", PROP_REJECTED, "AS 0");
    assert_why(&c, "10.112.0.0/16", "nva", "ars/0", PROP_SENT, NULL);
    /* VNet-prefix filter */
    assert_why(&c, "10.1.5.0/24", "nva", "ars/0", PROP_REJECTED, "VNet address space");
    case_free(&c);

    /* NO_ADVERTISE: ars/0 holds nva2's route but sends it to nobody; reflection off is its own reason */
    case_run(&c, TWO_NVAS("true"), NULL);
    assert_why(&c, "10.103.0.0/16", "ars/0", "nva1", PROP_NOT_SENT, "NO_ADVERTISE");
    case_free(&c);
    case_run(&c, TWO_NVAS("false"), NULL);
    assert_why(&c, "10.102.0.0/16", "ars/1", "nva1", PROP_NOT_SENT, "nvaToNvaReflection");
    case_free(&c);

    /* route limit: the session is down and says why */
    const char *limit = "{'settings':{'maxTime':'5m'},'vnets':[" HUB "],'routeServers':[{'name':'ars','vnet':'hub',"
                        "'routeLimitPerPeer':1}],'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001,"
                        "'routeServer':'ars','advertisedPrefixes':['10.200.0.0/24','10.200.1.0/24']}]}";
    c.scn = load_j(limit, NULL);
    c.run = run_scenario(c.scn, NULL);
    assert_why(&c, "10.200.0.0/24", "nva", "ars/0", PROP_DOWN, "route limit exceeded");
    case_free(&c);
}

/* Name of the node a speaker's best path for prefix came from; "local" for its own. */
static const char *best_from(const Case *c, const char *name, const char *prefix)
{
    const ArRoute *r = best(c, name, prefix);
    g_assert_nonnull(r);
    const ArSpeaker *src = bgp_route_source(node(c, name), r);
    return src ? src->name : "local";
}

/* R20: a circuit announcing the hub's own space does not displace the gateway's VNet route
 * (weight 32769 would): the gateway keeps advertising the hub to the other circuit
 * (advertised-gateway-prefixes-overview: gateways advertise the VNet's space). */
static void test_vnet_space_over_circuit_copy(void)
{
    Case c;
    c.scn = test_load_scenario("er-hub-space-from-onprem.json", NULL);
    c.run = run_scenario(c.scn, NULL);
    g_assert_cmpint(c.run->end, ==, RUN_CONVERGED);
    g_assert_cmpstr(best_from(&c, "ergw/0", "10.1.0.0/16"), ==, "local");
    g_assert_cmpstr(best_from(&c, "ergw/1", "10.1.0.0/16"), ==, "local");
    /* dc2 still reaches the hub through its own circuit; the hub's VMs keep VnetLocal. */
    g_autofree char *path = best_path(&c, "dc2", "10.1.0.0/16");
    g_assert_cmpstr(path, ==, "12076");
    g_assert_cmpint(eff(&c, "hub", "10.1.0.0/16")->type, ==, NH_VNET_LOCAL);
    g_autofree char *spoke = best_path(&c, "dc2", "10.2.0.0/16");
    g_assert_cmpstr(spoke, ==, "12076");
    case_free(&c);
}

/* R21: a data centre on ExpressRoute and behind the SD-WAN NVA (branch-to-branch on) is a
 * DISAGREE between the circuit's edge and the gateway. With exactly equal delays it never
 * settles; with the default seeded jitter it settles, for every seed, in one of its two stable
 * states. */
static void test_er_sdwan_disagree_jitter(void)
{
    const char *equal[] = { "settings={\"jitter\": 0, \"maxTime\": \"30s\"}", NULL };
    g_autoptr(ArScenario) eq = test_load_scenario("er-sdwan-dual-homed.json", equal);
    g_autoptr(ArRun) r = run_scenario(eq, NULL);
    g_assert_cmpint(r->end, ==, RUN_UNTIL);
    g_autofree char *why = out_flaps_summary(r, 8);
    g_assert_nonnull(strstr(why, "10.100.0.0/16 at ergw"));
    g_assert_nonnull(strstr(why, "10.100.0.0/16 at msee/dc/"));
    for (uint32_t seed = 0; seed < 8; seed++) {
        Case c;
        c.scn = test_load_scenario("er-sdwan-dual-homed.json", NULL);
        ArSimConfig cfg = { .seed = seed };
        c.run = run_scenario(c.scn, &cfg);
        g_assert_cmpint(c.run->end, ==, RUN_CONVERGED);
        const char *edge = best_from(&c, "msee/dc/primary", "10.100.0.0/16");
        /* Either the edge uses a gateway instance's path and both instances the Route Server's, or
         * the edge uses dc's and both instances the edge's. */
        for (int k = 0; k < 2; k++) {
            const char *gw = best_from(&c, k ? "ergw/1" : "ergw/0", "10.100.0.0/16");
            bool via_gateway = g_str_has_prefix(edge, "ergw/") && g_str_has_prefix(gw, "ars/");
            bool via_dc = strcmp(edge, "dc") == 0 && g_str_has_prefix(gw, "msee/dc/");
            if (!via_gateway && !via_dc)
                g_error("seed %u: msee/dc via %s, ergw/%d via %s: not a stable state", seed, edge, k, gw);
        }
        g_assert_nonnull(best(&c, "dc", "10.100.0.0/16"));
        g_assert_nonnull(best(&c, "branch", "10.200.0.0/16"));
        case_free(&c);
    }
}

/* The first message of a scenario that must not load. */
static char *load_error(const char *text)
{
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) scn = test_load_quoted(text, NULL, d);
    g_assert_null(scn);
    g_assert_cmpuint(d->items->len, >, 0);
    return diag_format(g_ptr_array_index(d->items, 0));
}

/* R25: a circuit's two links are two /30s (expressroute-routing.md): the site's router takes the
 * first address of each, Microsoft's edge the second; by default circuit N of the scenario gets
 * Microsoft's example /29 (192.168.100.128/29) plus 8N. Bad subnets are refused. */
static void test_circuit_link_prefixes(void)
{
    Case c;
    case_run(&c, "{'vnets':[" HUB "],'gateways':[" ERGW "],'sites':["
                 "{'name':'dc','asn':65020,'addressPrefixes':['10.200.0.0/16'],'connections':[{'expressRouteGateway':'ergw',"
                 "'primaryPeerAddressPrefix':'172.31.0.8/30','secondaryPeerAddressPrefix':'172.31.0.12/30'}]},"
                 "{'name':'dc2','asn':65030,'addressPrefixes':['10.202.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]},"
                 "{'name':'dc3','asn':65040,'addressPrefixes':['10.203.0.0/16'],'connections':[{'expressRouteGateway':'ergw'}]}]}",
             NULL);
    static const struct { const char *msee, *site, *router; uint32_t edge; } want[] = {
        { "msee/dc/primary", "dc", "172.31.0.9", 0xAC1F000A },
        { "msee/dc/secondary", "dc", "172.31.0.13", 0xAC1F000E },
        { "msee/dc2/primary", "dc2", "192.168.100.137", 0xC0A8648A },   /* the scenario's second circuit */
        { "msee/dc2/secondary", "dc2", "192.168.100.141", 0xC0A8648E },
        { "msee/dc3/primary", "dc3", "192.168.100.145", 0xC0A86492 },   /* and third: the next /29s */
        { "msee/dc3/secondary", "dc3", "192.168.100.149", 0xC0A86496 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        g_assert_cmpuint(node(&c, want[i].msee)->ip, ==, want[i].edge);
        const ArSession *s = session(&c, want[i].msee, want[i].site);
        g_assert_nonnull(s);
        g_assert_cmpint(s->state, ==, SESS_ESTABLISHED);
        /* the edge learns the site's prefix with the router's side of the /30 as next hop */
        char ip[PFX_STRLEN];
        const ArRoute *r = best(&c, want[i].msee, i < 2 ? "10.200.0.0/16" : i < 4 ? "10.202.0.0/16" : "10.203.0.0/16");
        g_assert_nonnull(r);
        g_assert_cmpstr(ip_format(rt_attrs(r)->next_hop, ip), ==, want[i].router);
        /* each edge peers with both gateway instances */
        g_assert_nonnull(session(&c, want[i].msee, "ergw/0"));
        g_assert_nonnull(session(&c, want[i].msee, "ergw/1"));
    }
    case_free(&c);
    static const struct { const char *conn, *want; } bad[] = {
        { "'primaryPeerAddressPrefix':'172.31.0.8/29','secondaryPeerAddressPrefix':'172.31.0.16/30'", "a link's peering subnet is a /30" },
        { "'primaryPeerAddressPrefix':'172.31.0.8/30'", "missing required key \"secondaryPeerAddressPrefix\"" },
        { "'primaryPeerAddressPrefix':'10.1.0.0/30','secondaryPeerAddressPrefix':'172.31.0.4/30'", "overlaps VNet 'hub'" },
        { "'primaryPeerAddressPrefix':'172.31.0.4/30','secondaryPeerAddressPrefix':'172.31.0.4/30'", "each link needs its own /30" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *text = g_strdup_printf("{'vnets':[" HUB "],'gateways':[" ERGW "],'sites':[{'name':'dc','asn':65020,"
                                                "'addressPrefixes':[],'connections':[{'expressRouteGateway':'ergw',%s}]}]}",
                                                bad[i].conn);
        g_autofree char *msg = load_error(text);
        if (!strstr(msg, bad[i].want))
            g_error("case %zu: \"%s\" lacks \"%s\"", i, msg, bad[i].want);
    }
    /* "link" names a link of an ExpressRoute circuit only. */
    g_autofree char *msg = load_error("{'vnets':[" HUB "],'nvas':[{'name':'nva','vnet':'hub','ipAddress':'10.1.1.4','asn':65001}],"
                                      "'sites':[{'name':'br','asn':65010,'addressPrefixes':[],'connections':[{'nva':'nva'}]}],"
                                      "'events':[{'at':1,'failConnection':{'site':'br','to':'nva','link':'primary'}}]}");
    g_assert_nonnull(strstr(msg, "\"link\" names one link of an ExpressRoute circuit"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rules/R1-two-instances", test_two_instances);
    g_test_add_func("/rules/R2-gateway-ibgp", test_gateway_ibgp);
    g_test_add_func("/rules/R3-route-limit", test_route_limit);
    g_test_add_func("/rules/R3b-route-limit-ignores-loops", test_route_limit_ignores_loops);
    g_test_add_func("/rules/R4-circuit-to-circuit", test_circuit_to_circuit);
    g_test_add_func("/rules/R5-transit-community", test_transit_community);
    g_test_add_func("/rules/R6-nva-reflection", test_nva_reflection);
    g_test_add_func("/rules/R7-no-advertise", test_no_advertise);
    g_test_add_func("/rules/R8-ecmp-and-default", test_ecmp);
    g_test_add_func("/rules/R10-vnet-prefix-filter", test_vnet_prefix_filter);
    g_test_add_func("/rules/R11-spoke-injection", test_spoke_injection);
    g_test_add_func("/rules/R12-loop-and-as0", test_loop_and_as0);
    g_test_add_func("/rules/R13-static-vpn-site", test_static_vpn_site);
    g_test_add_func("/rules/R14-ergw-weight", test_ergw_weight);
    g_test_add_func("/rules/R15-circuit-limit", test_circuit_limit);
    g_test_add_func("/rules/R15b-premium-and-vpn-limits", test_premium_and_vpn_limits);
    g_test_add_func("/rules/R16-hrp-vpn-vs-nva", test_hrp_vpn_vs_nva);
    g_test_add_func("/rules/R10b-vpn-vnet-filter", test_vpn_vnet_filter);
    g_test_add_func("/rules/R17-vpn-site-weight", test_vpn_site_weight);
    g_test_add_func("/rules/R18-ecmp-names-every-hop", test_ecmp_names_every_hop);
    g_test_add_func("/rules/R19-aspath-tie-one-decision", test_aspath_tie_one_decision);
    g_test_add_func("/rules/R20-vnet-space-over-circuit-copy", test_vnet_space_over_circuit_copy);
    g_test_add_func("/rules/R21-er-sdwan-disagree-jitter", test_er_sdwan_disagree_jitter);
    g_test_add_func("/rules/R22-rs-gateway-limit", test_rs_gateway_limit);
    g_test_add_func("/rules/R23-er-azure-limit", test_er_azure_limit);
    g_test_add_func("/rules/R24-vnet-peering-limit", test_vnet_peering_limit);
    g_test_add_func("/rules/R25-circuit-link-prefixes", test_circuit_link_prefixes);
    g_test_add_func("/rules/R26-vnet-communities", test_vnet_communities);
    g_test_add_func("/rules/explain-reasons", test_explain_reasons);
    return g_test_run();
}
