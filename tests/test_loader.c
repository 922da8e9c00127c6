/* test_loader.c - the scenario loader: positions, every validation rule, defaults, warnings, --set. */
#include "arsim/format.h"
#include "arsim/jsonpos.h"
#include "arsim/loader.h"
#include "arsim/rib.h"
#include "arsim/timefmt.h"

#include <string.h>

/* ---- helpers ----------------------------------------------------------------------------- */

/* A file of the source tree; ARSIM_SOURCE_ROOT is set by meson test, "." otherwise. */
static char *src_path(const char *rel)
{
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    return g_build_filename(root ? root : ".", rel, NULL);
}

static char *fmt_diag(const ArDiagList *d, guint i)
{
    g_assert_cmpuint(i, <, d->items->len);
    return diag_format(g_ptr_array_index(d->items, i));
}

/* The first diagnostic of the given severity, formatted. */
static char *first_of(const ArDiagList *d, ArSeverity sev)
{
    for (guint i = 0; i < d->items->len; i++) {
        const ArDiag *x = g_ptr_array_index(d->items, i);
        if (x->severity == sev)
            return diag_format(x);
    }
    g_assert_not_reached();
    return NULL;
}

static ArScenario *load_str(const char *text, const char *const *sets, ArDiagList *d)
{
    ArLoadOptions o = { .sets = sets };
    return load_text("t.json", text, strlen(text), &o, d);
}

/* Asserts text fails with exactly one error whose formatted form starts with prefix and holds
 * phrase. */
static void assert_one_error(const char *text, const char *const *sets, const char *prefix, const char *phrase)
{
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_str(text, sets, d);
    g_assert_null(s);
    if (d->errors != 1)
        diag_print(d, stderr);
    g_assert_cmpint(d->errors, ==, 1);
    g_autofree char *m = first_of(d, DIAG_ERROR);
    if (!g_str_has_prefix(m, prefix) || !strstr(m, phrase))
        g_printerr("got: %s\nwant prefix: %s\nwant phrase: %s\n", m, prefix, phrase);
    g_assert_true(g_str_has_prefix(m, prefix));
    g_assert_nonnull(strstr(m, phrase));
}

#define HUB_RS_NVA                                                                                   \
    "{\n"                                                                                            \
    "  \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ],\n"               \
    "  \"routeServers\": [ { \"name\": \"ars\", \"vnet\": \"hub\" } ],\n"                             \
    "  \"nvas\": [ { \"name\": \"sdwan\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.4\", \"asn\": 65001, " \
    "\"routeServer\": \"ars\" } ]\n"                                                                 \
    "}\n"

/* ---- jsonpos ----------------------------------------------------------------------------- */

static long off_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    g_assert_nonnull(p);
    return (long)(p - text);
}

static void test_jpos_escapes(void)
{
    /* Keys and values with escaped quotes and backslashes: a naive scan would end them early. */
    const char *t = "{\"a\\\"b\": \"x\\\\\\\"}\", \"c\\\\\": [1, \"\\\\\", {\"d\": \"\\u0041\"}], \"e\": true}";
    cJSON *root = cJSON_Parse(t);
    g_assert_nonnull(root);
    g_autoptr(JPosIndex) ix = jpos_index_new(t, strlen(t), root);
    const cJSON *ab = root->child, *c = ab->next, *e = c->next;
    g_assert_cmpstr(ab->string, ==, "a\"b");
    g_assert_cmpstr(ab->valuestring, ==, "x\\\"}");
    g_assert_cmpint(jpos_offset(ix, root, FALSE), ==, 0);
    g_assert_cmpint(jpos_offset(ix, ab, TRUE), ==, 1);
    g_assert_cmpint(jpos_offset(ix, ab, FALSE), ==, off_of(t, "\"x"));
    g_assert_cmpint(jpos_offset(ix, c, TRUE), ==, off_of(t, "\"c"));
    g_assert_cmpint(jpos_offset(ix, c, FALSE), ==, off_of(t, "[1"));
    g_assert_cmpint(jpos_offset(ix, c->child, FALSE), ==, off_of(t, "1,"));
    g_assert_cmpint(jpos_offset(ix, c->child->next, FALSE), ==, off_of(t, "\"\\\\\","));
    const cJSON *obj = c->child->next->next;
    g_assert_cmpint(jpos_offset(ix, obj, FALSE), ==, off_of(t, "{\"d\""));
    g_assert_cmpint(jpos_offset(ix, obj->child, TRUE), ==, off_of(t, "\"d\""));
    g_assert_cmpint(jpos_offset(ix, obj->child, FALSE), ==, off_of(t, "\"\\u0041"));
    g_assert_cmpint(jpos_offset(ix, e, TRUE), ==, off_of(t, "\"e\""));
    g_assert_cmpint(jpos_offset(ix, e, FALSE), ==, off_of(t, "true"));
    /* Array elements have no key; nodes of other trees have no position. */
    g_assert_cmpint(jpos_offset(ix, c->child, TRUE), ==, -1);
    cJSON *other = cJSON_CreateNull();
    g_assert_cmpint(jpos_offset(ix, other, FALSE), ==, -1);
    cJSON_Delete(other);
    cJSON_Delete(root);
}

static void test_jpos_nested_lines(void)
{
    const char *t = "{\n"
                    "  \"vnets\": [\n"
                    "    { \"name\": \"hub\",\n"
                    "      \"addressPrefixes\": [ \"10.1.0.0/16\" ] }\n"
                    "  ],\r\n"
                    "  \"n\": -1.5e3, \"z\": null\n"
                    "}";
    cJSON *root = cJSON_Parse(t);
    g_assert_nonnull(root);
    g_autoptr(JPosIndex) ix = jpos_index_new(t, strlen(t), root);
    const cJSON *vnets = cJSON_GetObjectItem(root, "vnets");
    const cJSON *hub = vnets->child;
    const cJSON *pfx = cJSON_GetObjectItem(hub, "addressPrefixes");
    int line, col;
    jpos_line_col(ix, jpos_offset(ix, vnets, TRUE), &line, &col);
    g_assert_cmpint(line, ==, 2);
    g_assert_cmpint(col, ==, 3);
    jpos_line_col(ix, jpos_offset(ix, vnets, FALSE), &line, &col);
    g_assert_cmpint(line, ==, 2);
    g_assert_cmpint(col, ==, 12);
    jpos_line_col(ix, jpos_offset(ix, hub, FALSE), &line, &col);
    g_assert_cmpint(line, ==, 3);
    g_assert_cmpint(col, ==, 5);
    jpos_line_col(ix, jpos_offset(ix, pfx, TRUE), &line, &col);
    g_assert_cmpint(line, ==, 4);
    g_assert_cmpint(col, ==, 7);
    jpos_line_col(ix, jpos_offset(ix, pfx->child, FALSE), &line, &col);
    g_assert_cmpint(line, ==, 4);
    g_assert_cmpint(col, ==, 28);
    /* After a CRLF line: columns count bytes from the '\n'. */
    const cJSON *n = cJSON_GetObjectItem(root, "n"), *z = cJSON_GetObjectItem(root, "z");
    jpos_line_col(ix, jpos_offset(ix, n, FALSE), &line, &col);
    g_assert_cmpint(line, ==, 6);
    g_assert_cmpint(col, ==, 8);
    jpos_line_col(ix, jpos_offset(ix, z, FALSE), &line, &col);
    g_assert_cmpint(line, ==, 6);
    g_assert_cmpint(col, ==, 21);
    /* The index and the index-free conversion agree on every offset, including the end. */
    size_t len = strlen(t);
    for (size_t o = 0; o <= len; o++) {
        int l1, c1, l2, c2;
        jpos_line_col(ix, (long)o, &l1, &c1);
        jpos_line_col_of(t, len, o, &l2, &c2);
        g_assert_cmpint(l1, ==, l2);
        g_assert_cmpint(c1, ==, c2);
    }
    jpos_line_col(ix, -1, &line, &col);
    g_assert_cmpint(line, ==, 0);
    g_assert_cmpint(col, ==, 0);
    cJSON_Delete(root);
}

static void test_jpos_duplicates_and_bom(void)
{
    const char *t = "\xEF\xBB\xBF{\"a\": 1, \"a\": {\"a\": []}}";
    cJSON *root = cJSON_Parse(t);
    g_assert_nonnull(root);
    g_autoptr(JPosIndex) ix = jpos_index_new(t, strlen(t), root);
    const cJSON *a1 = root->child, *a2 = a1->next;
    g_assert_cmpint(jpos_offset(ix, root, FALSE), ==, 3);
    g_assert_cmpint(jpos_offset(ix, a1, TRUE), ==, 4);
    g_assert_cmpint(jpos_offset(ix, a1, FALSE), ==, 9);
    g_assert_cmpint(jpos_offset(ix, a2, TRUE), ==, 12);
    g_assert_cmpint(jpos_offset(ix, a2, FALSE), ==, 17);
    g_assert_cmpint(jpos_offset(ix, a2->child, TRUE), ==, 18);
    g_assert_cmpint(jpos_offset(ix, a2->child, FALSE), ==, 23);
    cJSON_Delete(root);
}

static void test_jpos_pointer(void)
{
    g_autoptr(GString) p = g_string_new(NULL);
    jpos_pointer_append(p, "nvas");
    jpos_pointer_append(p, "0");
    jpos_pointer_append(p, "a/b~c");
    g_assert_cmpstr(p->str, ==, "/nvas/0/a~1b~0c");
}

/* ---- reference scenarios ----------------------------------------------------------------- */

static ArScenario *load_ref(const char *name, ArDiagList *d)
{
    g_autofree char *rel = g_strconcat("scenarios/", name, NULL);
    g_autofree char *path = src_path(rel);
    ArScenario *s = load_file(path, NULL, d);
    if (!s || d->items->len)
        diag_print(d, stderr);
    g_assert_nonnull(s);
    g_assert_cmpuint(d->items->len, ==, 0); /* no warnings either */
    g_assert_cmpstr(s->file, ==, path);
    return s;
}

static void test_ref_er_sdwan(void)
{
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_ref("seed-er-sdwan.json", d);
    g_assert_cmpuint(s->vnets->len, ==, 2);
    g_assert_cmpuint(s->route_servers->len, ==, 1);
    g_assert_cmpuint(s->gateways->len, ==, 1);
    g_assert_cmpuint(s->nvas->len, ==, 1);
    g_assert_cmpuint(s->sites->len, ==, 2);
    g_assert_true(g_str_has_prefix(s->name, "ExpressRoute and an SD-WAN NVA"));
    g_assert_nonnull(s->description);

    const ArVnet *hub = g_ptr_array_index(s->vnets, 0), *spoke = g_ptr_array_index(s->vnets, 1);
    g_assert_cmpstr(hub->name, ==, "hub");
    g_assert_cmpuint(hub->prefixes->len, ==, 1);
    g_assert_cmphex(g_array_index(hub->prefixes, ArPrefix, 0).addr, ==, 0x0A010000u);
    g_assert_cmpuint(g_array_index(hub->prefixes, ArPrefix, 0).len, ==, 16);
    g_assert_cmpuint(hub->peerings->len, ==, 0);
    g_assert_cmpuint(spoke->peerings->len, ==, 1);
    const ArPeering *p = &g_array_index(spoke->peerings, ArPeering, 0);
    g_assert_cmpint(p->remote, ==, 0);
    g_assert_true(p->use_remote_gateways);
    g_assert_false(p->allow_gateway_transit);
    g_assert_cmpint(scn_hub_of(s, 1), ==, 0);

    const ArRouteServer *r = g_ptr_array_index(s->route_servers, 0);
    g_assert_cmpstr(r->name, ==, "ars");
    g_assert_cmpint(r->vnet, ==, 0);
    g_assert_false(r->branch_to_branch);
    g_assert_cmpint(r->hub_pref, ==, HUBPREF_EXPRESSROUTE);
    g_assert_cmpuint(r->route_limit, ==, 1000);
    g_assert_true(r->reflect_nva_to_nva);
    g_assert_cmpuint(r->ips[0], ==, 0);
    g_assert_cmpuint(r->ips[1], ==, 0);

    const ArGateway *g = g_ptr_array_index(s->gateways, 0);
    g_assert_cmpint(g->type, ==, GW_EXPRESSROUTE);
    g_assert_cmpint(g->vnet, ==, 0);
    g_assert_cmpuint(g->asn, ==, 65515);
    g_assert_false(g->active_active);

    const ArNva *n = g_ptr_array_index(s->nvas, 0);
    g_assert_cmpstr(n->name, ==, "sdwan");
    g_assert_cmphex(n->ip, ==, 0x0A010104u);
    g_assert_cmphex(n->next_hop, ==, n->ip);
    g_assert_cmpuint(n->asn, ==, 65001);
    g_assert_cmpint(n->route_server, ==, 0);
    g_assert_cmpint(n->vnet, ==, 0);
    g_assert_cmpuint(n->originations->len, ==, 0);

    const ArSite *s1 = g_ptr_array_index(s->sites, 0), *s2 = g_ptr_array_index(s->sites, 1);
    g_assert_cmpuint(s1->asn, ==, 65010);
    g_assert_cmpuint(s1->connections->len, ==, 1);
    g_assert_cmpint(g_array_index(s1->connections, ArConnection, 0).kind, ==, CONN_NVA);
    g_assert_cmpint(g_array_index(s1->connections, ArConnection, 0).target, ==, 0);
    g_assert_cmpuint(s1->ip, ==, 0);
    g_assert_cmpuint(s2->asn, ==, 65020);
    const ArConnection *c2 = &g_array_index(s2->connections, ArConnection, 0);
    g_assert_cmpint(c2->kind, ==, CONN_EXPRESSROUTE);
    g_assert_cmpint(c2->target, ==, 0);
    g_assert_cmpint(c2->sku, ==, SKU_STANDARD);
}

static void test_ref_er_vpn(void)
{
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_ref("seed-er-vpn.json", d);
    g_assert_cmpuint(s->vnets->len, ==, 2);
    g_assert_cmpuint(s->route_servers->len, ==, 1);
    g_assert_cmpuint(s->gateways->len, ==, 2);
    g_assert_cmpuint(s->nvas->len, ==, 0);
    g_assert_cmpuint(s->sites->len, ==, 2);
    const ArGateway *vpn = g_ptr_array_index(s->gateways, 1);
    g_assert_cmpint(vpn->type, ==, GW_VPN);
    g_assert_true(vpn->active_active);
    g_assert_cmpuint(vpn->asn, ==, 65515);
    const ArSite *s1 = g_ptr_array_index(s->sites, 0);
    const ArConnection *c = &g_array_index(s1->connections, ArConnection, 0);
    g_assert_cmpint(c->kind, ==, CONN_VPN);
    g_assert_cmpint(c->target, ==, 1);
    g_assert_true(c->bgp);
}

static void test_ref_same_prefix(void)
{
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_ref("seed-same-prefix.json", d);
    g_assert_cmpuint(s->vnets->len, ==, 1);
    g_assert_cmpuint(s->route_servers->len, ==, 1);
    g_assert_cmpuint(s->gateways->len, ==, 1);
    g_assert_cmpuint(s->nvas->len, ==, 1);
    g_assert_cmpuint(s->sites->len, ==, 1);
    const ArRouteServer *r = g_ptr_array_index(s->route_servers, 0);
    g_assert_true(r->branch_to_branch);
    g_assert_cmpint(r->hub_pref, ==, HUBPREF_EXPRESSROUTE);
    const ArNva *n = g_ptr_array_index(s->nvas, 0);
    g_assert_cmpuint(n->originations->len, ==, 1);
    const ArOrigination *o = &g_array_index(n->originations, ArOrigination, 0);
    g_assert_cmphex(o->prefix.addr, ==, 0x0A320000u);
    g_assert_cmpuint(o->prefix.len, ==, 16);
    g_assert_cmpuint(o->as_path->len, ==, 0);
    g_assert_cmpuint(o->communities->len, ==, 0);
    const ArSite *st = g_ptr_array_index(s->sites, 0);
    g_assert_cmpuint(st->prefixes->len, ==, 2);
}

/* ---- defaults and full syntax ------------------------------------------------------------ */

static void test_defaults_and_attributes(void)
{
    const char *t =
        "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\", \"10.3.0.0/16\"] },\n"
        "              { \"name\": \"spoke\", \"addressPrefixes\": [\"10.2.0.0/16\"],\n"
        "                \"peerings\": [ { \"remoteVnet\": \"hub\" } ] } ],\n"
        "  \"routeServers\": [ { \"name\": \"ars\", \"vnet\": \"hub\", \"hubRoutingPreference\": \"ASPath\",\n"
        "      \"routeLimitPerPeer\": 4000, \"nvaToNvaReflection\": false, \"virtualRouterIps\": [\"10.1.0.4\", \"10.1.0.5\"] } ],\n"
        "  \"gateways\": [ { \"name\": \"vpngw\", \"vnet\": \"hub\", \"type\": \"Vpn\", \"activeActive\": true,\n"
        "      \"ipAddresses\": [\"10.3.0.4\", \"10.3.0.5\"] } ],\n"
        "  \"nvas\": [ { \"name\": \"fw\", \"vnet\": \"spoke\", \"ipAddress\": \"10.2.0.4\", \"asn\": 65002,\n"
        "      \"routeServer\": \"ars\", \"nextHopIp\": \"10.2.0.100\",\n"
        "      \"advertisedPrefixes\": [ \"0.0.0.0/0\", { \"prefix\": \"10.60.0.0/16\", \"asPath\": [65003, 4200000000],\n"
        "        \"communities\": [\"65535:65282\", \"0:0\"] } ] } ],\n"
        "  \"sites\": [ { \"name\": \"branch\", \"asn\": 4200000001, \"addressPrefixes\": [],\n"
        "      \"bgpPeeringAddress\": \"192.168.0.1\", \"connections\": [ { \"vpnGateway\": \"vpngw\" } ] } ] }\n";
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_str(t, NULL, d);
    if (!s)
        diag_print(d, stderr);
    g_assert_nonnull(s);
    g_assert_cmpuint(d->items->len, ==, 0);
    g_assert_null(s->name);
    g_assert_null(s->description);
    g_assert_cmpstr(s->file, ==, "t.json");
    const ArVnet *spoke = g_ptr_array_index(s->vnets, 1);
    const ArPeering *p = &g_array_index(spoke->peerings, ArPeering, 0);
    g_assert_false(p->use_remote_gateways);
    g_assert_false(p->allow_gateway_transit);
    g_assert_true(scn_vnets_peered(s, 0, 1));
    const ArRouteServer *r = g_ptr_array_index(s->route_servers, 0);
    g_assert_false(r->branch_to_branch);
    g_assert_cmpint(r->hub_pref, ==, HUBPREF_ASPATH);
    g_assert_cmpuint(r->route_limit, ==, 4000);
    g_assert_false(r->reflect_nva_to_nva);
    g_assert_cmphex(r->ips[0], ==, 0x0A010004u);
    g_assert_cmphex(r->ips[1], ==, 0x0A010005u);
    const ArGateway *g = g_ptr_array_index(s->gateways, 0);
    g_assert_cmpuint(g->asn, ==, 65515);
    g_assert_cmphex(g->ips[1], ==, 0x0A030005u);
    const ArNva *n = g_ptr_array_index(s->nvas, 0);
    g_assert_cmpint(n->vnet, ==, 1);
    g_assert_cmphex(n->next_hop, ==, 0x0A020064u);
    g_assert_cmpuint(n->originations->len, ==, 2);
    const ArOrigination *o0 = &g_array_index(n->originations, ArOrigination, 0);
    g_assert_cmpuint(o0->prefix.len, ==, 0);
    const ArOrigination *o1 = &g_array_index(n->originations, ArOrigination, 1);
    g_assert_cmpuint(o1->as_path->len, ==, 2);
    g_assert_cmpuint(g_array_index(o1->as_path, uint32_t, 1), ==, 4200000000u);
    g_assert_cmpuint(o1->communities->len, ==, 2);
    g_assert_cmphex(g_array_index(o1->communities, uint32_t, 0), ==, 0xFFFFFF02u);
    const ArSite *st = g_ptr_array_index(s->sites, 0);
    g_assert_cmpuint(st->asn, ==, 4200000001u);
    g_assert_cmpuint(st->prefixes->len, ==, 0);
    g_assert_cmphex(st->ip, ==, 0xC0A80001u);
    const ArConnection *c = &g_array_index(st->connections, ArConnection, 0);
    g_assert_cmpint(c->kind, ==, CONN_VPN);
    g_assert_false(c->bgp); /* Azure's default: a VPN connection without BGP */
}

/* ---- warnings ---------------------------------------------------------------------------- */

static void test_warn_unpeered_overlap(void)
{
    const char *t = "{ \"vnets\": [\n"
                    "  { \"name\": \"a\", \"addressPrefixes\": [\"10.1.0.0/16\"] },\n"
                    "  { \"name\": \"b\", \"addressPrefixes\": [\"10.9.0.0/16\", \"10.1.128.0/24\"] },\n"
                    "  { \"name\": \"c\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ] }\n";
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_str(t, NULL, d);
    g_assert_nonnull(s);
    g_assert_cmpint(d->errors, ==, 0);
    g_assert_cmpint(d->warnings, ==, 3); /* a-b, a-c, b-c: one per pair */
    g_autofree char *w0 = fmt_diag(d, 0);
    g_assert_cmpstr(w0, ==,
                    "t.json:3:53: /vnets/1/addressPrefixes/1: warning: 10.1.128.0/24 overlaps 10.1.0.0/16 of VNet 'a' "
                    "(/vnets/0/addressPrefixes/0); allowed because the VNets are not peered, but routes to the "
                    "overlap are ambiguous");
    g_autofree char *w2 = fmt_diag(d, 2);
    g_assert_true(g_str_has_prefix(w2, "t.json:4:38: /vnets/2/addressPrefixes/0: warning: 10.1.0.0/16 overlaps"));
}

static void test_warn_events_and_asn_65516(void)
{
    const char *t = "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ],\n"
                    "  \"nvas\": [ { \"name\": \"n\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.4\", \"asn\": 65516 } ],\n"
                    "  \"events\": [ { \"at\": 10, \"fail\": \"n\" } ] }\n";
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_str(t, NULL, d);
    g_assert_nonnull(s);
    g_assert_cmpint(d->errors, ==, 0);
    g_assert_cmpint(d->warnings, ==, 1);
    g_autofree char *w0 = fmt_diag(d, 0);
    g_assert_true(g_str_has_prefix(w0, "t.json:2:75: /nvas/0/asn: warning: 65516 may be reserved by Azure"));
    g_assert_cmpuint(s->events->len, ==, 1);
    g_assert_cmpuint(((ArNva *)g_ptr_array_index(s->nvas, 0))->asn, ==, 65516);
    /* AS 0 and 65515 in an AS path load (the simulation shows Route Server dropping them), with a warning. */
    g_autoptr(ArDiagList) d3 = diag_list_new();
    g_autoptr(ArScenario) s3 = load_str(
        "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ],\n"
        "  \"nvas\": [ { \"name\": \"n\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.4\", \"asn\": 65001,\n"
        "    \"advertisedPrefixes\": [ { \"prefix\": \"10.9.0.0/16\", \"asPath\": [0, 65515] } ] } ] }\n",
        NULL, d3);
    g_assert_nonnull(s3);
    g_assert_cmpint(d3->warnings, ==, 2);
    g_autofree char *w30 = fmt_diag(d3, 0), *w31 = fmt_diag(d3, 1);
    g_assert_true(g_str_has_prefix(w30, "t.json:3:67: /nvas/0/advertisedPrefixes/0/asPath/0: warning: AS 0"));
    g_assert_true(g_str_has_prefix(w31, "t.json:3:70: /nvas/0/advertisedPrefixes/0/asPath/1: warning: 65515 in the AS path"));
    const ArOrigination *o = &g_array_index(((ArNva *)g_ptr_array_index(s3->nvas, 0))->originations, ArOrigination, 0);
    g_assert_cmpuint(o->as_path->len, ==, 2);
    /* An empty events array is silent. */
    g_autoptr(ArDiagList) d2 = diag_list_new();
    g_autoptr(ArScenario) s2 =
        load_str("{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ], \"events\": [] }", NULL, d2);
    g_assert_nonnull(s2);
    g_assert_cmpuint(d2->items->len, ==, 0);
}

/* ---- every error, cascades --------------------------------------------------------------- */

static void test_all_errors_sorted(void)
{
    /* Five independent mistakes, in no particular order in the file: all reported, sorted. */
    const char *t = "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.1/16\"] },\n"
                    "              { \"name\": \"x/y\", \"addressPrefixes\": [\"10.2.0.0/16\"] } ],\n"
                    "  \"routeServers\": [ { \"name\": \"ars\", \"vnet\": \"hub\", \"color\": 1 } ],\n"
                    "  \"nvas\": [ { \"name\": \"n1\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.4\", \"asn\": 65515 },\n"
                    "            { \"name\": \"n2\", \"vnet\": \"hub\", \"ipAddress\": \"10.1.1.5\", \"asn\": 65002, \"routeServer\": \"arz\" } ] }\n";
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_str(t, NULL, d);
    g_assert_null(s);
    g_assert_cmpint(d->errors, ==, 5);
    const char *want[] = { "t.json:1:51: /vnets/0/addressPrefixes/0: 10.1.0.1/16 has host bits set",
                           "t.json:2:25: /vnets/1/name: invalid name \"x/y\"",
                           "t.json:3:53: /routeServers/0/color: unknown key \"color\"",
                           "t.json:4:76: /nvas/0/asn: 65515 is reserved by Azure",
                           "t.json:5:98: /nvas/1/routeServer: no Route Server named \"arz\"; known: ars" };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        g_autofree char *m = fmt_diag(d, i);
        if (!g_str_has_prefix(m, want[i]))
            g_printerr("got: %s\nwant: %s\n", m, want[i]);
        g_assert_true(g_str_has_prefix(m, want[i]));
    }
}

static void test_no_cascade(void)
{
    /* An unresolved vnet hides the IP check; a gateway with a bad vnet hides "hub has no gateway";
     * a bad gateway type hides the type check of the connection that names it. */
    assert_one_error("{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] },\n"
                     "  { \"name\": \"spoke\", \"addressPrefixes\": [\"10.2.0.0/16\"],\n"
                     "    \"peerings\": [ { \"remoteVnet\": \"hub\", \"useRemoteGateways\": true } ] } ],\n"
                     "  \"gateways\": [ { \"name\": \"gw\", \"vnet\": \"hubb\", \"type\": \"ExpressRoute\" } ] }\n",
                     NULL, "t.json:4:41: /gateways/0/vnet: ", "no VNet named \"hubb\"");
    assert_one_error("{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ],\n"
                     "  \"gateways\": [ { \"name\": \"gw\", \"vnet\": \"hub\", \"type\": \"Expressroute\" } ],\n"
                     "  \"sites\": [ { \"name\": \"s\", \"asn\": 65010, \"addressPrefixes\": [],\n"
                     "     \"connections\": [ { \"vpnGateway\": \"gw\" } ] } ] }\n",
                     NULL, "t.json:2:56: /gateways/0/type: ", "did you mean \"ExpressRoute\"?");
    /* A missing name does not also report the objects that refer to it elsewhere as unknown VNets. */
    assert_one_error("{ \"vnets\": [ { \"addressPrefixes\": [\"10.1.0.0/16\"] } ] }", NULL, "t.json:1:14: /vnets/0: ",
                     "missing required key \"name\"");
}

/* ---- bad files: one per rule ------------------------------------------------------------- */

typedef struct BadCase {
    const char *file;
    int line, col; /* 0: no position */
    const char *pointer;
    const char *phrase;
} BadCase;

static const BadCase bad_cases[] = {
    { "cidr-host-bits.json", 3, 42, "/vnets/0/addressPrefixes/0", "has host bits set; did you mean 10.1.0.0/16?" },
    { "cidr-malformed.json", 3, 42, "/vnets/0/addressPrefixes/0", "is not an IPv4 prefix in CIDR form" },
    { "duplicate-key.json", 7, 7, "/routeServers/0/vnet", "duplicate key \"vnet\"" },
    { "element-not-object.json", 6, 5, "/routeServers/0", "expected an object, got a string" },
    { "empty.json", 1, 1, "", "empty file" },
    { "events-not-array.json", 5, 13, "/events", "expected an array, got a string" },
    { "gw-er-asn.json", 6, 69, "/gateways/0/asn", "ASN is always 65515" },
    { "gw-ip-count.json", 6, 77, "/gateways/0/ipAddresses", "needs 1 or 2 addresses" },
    { "gw-ip-outside.json", 6, 78, "/gateways/0/ipAddresses/0", "10.2.0.4 is outside VNet 'hub' (10.1.0.0/16)" },
    { "gw-two-same-type.json", 7, 32, "/gateways/1/vnet", "already has an ExpressRoute gateway 'ergw'" },
    { "gw-type-invalid.json", 6, 44, "/gateways/0/type", "is not a valid gateway type" },
    { "gw-vpn-active-active-missing.json", 9, 5, "/gateways/0", "VPN gateway 'vpngw' must be active-active beside Route Server 'ars'; set \"activeActive\": true" },
    { "gw-vpn-asn-beside-rs.json", 10, 14, "/gateways/0/asn", "must use ASN 65515 beside Route Server 'ars'" },
    { "gw-vpn-asn-reserved.json", 6, 61, "/gateways/0/asn", "one of Azure's own" },
    { "gw-vpn-not-active-active.json", 10, 23, "/gateways/0/activeActive", "must be active-active beside Route Server 'ars'" },
    { "integer-not-whole.json", 7, 28, "/routeServers/0/routeLimitPerPeer", "expected an integer, got 1000.5" },
    { "invalid-utf8.json", 2, 22, "", "invalid UTF-8" },
    { "missing-required-key.json", 9, 5, "/nvas/0", "missing required key \"asn\"" },
    { "name-duplicate-node.json", 9, 15, "/nvas/0/name", "is already used by /routeServers/0" },
    { "name-duplicate-vnet.json", 4, 15, "/vnets/1/name", "is already used by /vnets/0" },
    { "name-invalid.json", 6, 15, "/routeServers/0/name", "invalid name \"ars/0\"" },
    { "name-not-string.json", 3, 15, "/vnets/0/name", "expected a string, got a number" },
    { "nul-byte.json", 2, 13, "", "NUL byte" },
    { "nva-advertised-duplicate.json", 10, 59, "/nvas/0/advertisedPrefixes/1/prefix", "already advertised by /nvas/0/advertisedPrefixes/0" },
    { "nva-advertised-host-bits.json", 10, 31, "/nvas/0/advertisedPrefixes/0", "10.50.0.1/16 has host bits set; did you mean 10.50.0.0/16?" },
    { "nva-advertised-wrong-type.json", 10, 31, "/nvas/0/advertisedPrefixes/0", "expected a CIDR prefix string or an object" },
    { "nva-as-path-range.json", 10, 77, "/nvas/0/advertisedPrefixes/0/asPath/1", "4294967296 is out of range (0..4294967295)" },
    { "nva-asn-32bit.json", 9, 71, "/nvas/0/asn", "arsim models 16-bit NVA ASNs only (FAQ)" },
    { "nva-asn-azure-public.json", 9, 71, "/nvas/0/asn", "12076 is a public ASN of Azure" },
    { "nva-asn-iana.json", 9, 71, "/nvas/0/asn", "reserved by IANA" },
    { "nva-asn-not-integer.json", 9, 71, "/nvas/0/asn", "expected an integer, got 65001.5" },
    { "nva-asn-reserved.json", 9, 71, "/nvas/0/asn", "65515 is reserved by Azure (the Route Server's own ASN); use a private ASN such as 65001" },
    { "nva-asn-zero.json", 9, 71, "/nvas/0/asn", "ASN 0 is reserved" },
    { "nva-community-malformed.json", 10, 75, "/nvas/0/advertisedPrefixes/0/communities/0", "is not a community" },
    { "nva-community-reserved.json", 10, 86, "/nvas/0/advertisedPrefixes/0/communities/1", "65517:65517 is reserved by Route Server" },
    { "nva-ip-duplicate.json", 10, 53, "/nvas/1/ipAddress", "already used by /nvas/0/ipAddress" },
    { "nva-ip-malformed.json", 9, 52, "/nvas/0/ipAddress", "is not an IPv4 address" },
    { "nva-ip-outside-vnet.json", 9, 52, "/nvas/0/ipAddress", "10.9.1.4 is outside VNet 'hub' (10.1.0.0/16)" },
    { "nva-next-hop-malformed.json", 9, 113, "/nvas/0/nextHopIp", "is not an IPv4 address" },
    { "nva-route-server-not-peered.json", 10, 95, "/nvas/0/routeServer", "neither the NVA's VNet 'other' nor peered with it" },
    { "nva-unknown-route-server.json", 9, 93, "/nvas/0/routeServer", "no Route Server named \"ars2\"; known: ars" },
    { "nva-unknown-vnet.json", 9, 32, "/nvas/0/vnet", "no VNet named \"hubb\"; known: hub" },
    { "peering-duplicate.json", 6, 37, "/vnets/1/peerings/0/remoteVnet", "are already peered by /vnets/0/peerings/0" },
    { "peering-overlap.json", 5, 37, "/vnets/1/peerings/0/remoteVnet", "overlapping address spaces" },
    { "peering-remote-no-gateway.json", 5, 65, "/vnets/1/peerings/0/useRemoteGateways", "VNet 'hub' has no gateway or Route Server" },
    { "peering-self.json", 5, 37, "/vnets/1/peerings/0/remoteVnet", "cannot peer with itself" },
    { "peering-transit-and-remote.json", 5, 65, "/vnets/1/peerings/0/useRemoteGateways", "cannot both be true" },
    { "peering-unknown-vnet.json", 5, 37, "/vnets/1/peerings/0/remoteVnet", "no VNet named \"hubb\"" },
    { "peering-use-remote-twice.json", 7, 65, "/vnets/2/peerings/1/useRemoteGateways", "already uses the gateways of VNet 'hub'" },
    { "peering-use-remote-with-own-gateway.json", 5, 65, "/vnets/1/peerings/0/useRemoteGateways", "has its own gateway or Route Server ('spokegw')" },
    { "root-not-object.json", 2, 3, "", "expected a JSON object at the top level, got an array" },
    { "rs-hub-routing-preference.json", 6, 61, "/routeServers/0/hubRoutingPreference", "is not a valid hubRoutingPreference" },
    { "rs-route-limit-range.json", 6, 58, "/routeServers/0/routeLimitPerPeer", "0 is out of range (1..10000000)" },
    { "rs-too-many-peers.json", 17, 93, "/nvas/8/routeServer", "at most 8 peers per Route Server (LIM)" },
    { "rs-two-in-vnet.json", 7, 31, "/routeServers/1/vnet", "already has Route Server 'ars'" },
    { "rs-unknown-vnet.json", 6, 30, "/routeServers/0/vnet", "no VNet named \"hubb\"" },
    { "rs-virtual-router-ips-count.json", 6, 57, "/routeServers/0/virtualRouterIps", "exactly 2 addresses" },
    { "rs-virtual-router-ips-outside.json", 6, 70, "/routeServers/0/virtualRouterIps/1", "10.9.0.5 is outside VNet 'hub'" },
    { "rs-virtual-router-ips-same.json", 6, 70, "/routeServers/0/virtualRouterIps/1", "2 different addresses" },
    { "section-not-array.json", 5, 11, "/nvas", "expected an array, got an object" },
    { "site-asn-range.json", 9, 32, "/sites/0/asn", "out of range (1..4294967294)" },
    { "site-asn-reserved.json", 9, 32, "/sites/0/asn", "cannot reuse Azure's ASNs" },
    { "site-bgp-address-malformed.json", 9, 98, "/sites/0/bgpPeeringAddress", "is not an IPv4 address" },
    { "site-circuit-sku-invalid.json", 10, 71, "/sites/0/connections/0/circuitSku", "did you mean \"Premium\"?" },
    { "site-connection-duplicate.json", 11, 49, "/sites/0/connections/1/expressRouteGateway", "already connects to 'ergw'" },
    { "site-connection-foreign-key.json", 13, 42, "/sites/0/connections/0/circuitSku", "belongs to \"expressRouteGateway\" connections only" },
    { "site-connection-none.json", 10, 24, "/sites/0/connections/0", "needs exactly one of" },
    { "site-connection-two-kinds.json", 16, 42, "/sites/0/connections/0/expressRouteGateway", "cannot be combined with \"nva\"" },
    { "site-connection-unknown-gateway.json", 10, 49, "/sites/0/connections/0/expressRouteGateway", "no gateway named \"ergw2\"; known: ergw" },
    { "site-connection-unknown-nva.json", 16, 33, "/sites/0/connections/0/nva", "no NVA named \"ergw\" (\"ergw\" is a gateway)" },
    { "site-connection-wrong-gateway-type.json", 10, 40, "/sites/0/connections/0/vpnGateway", "needs a gateway of type Vpn" },
    { "site-prefix-duplicate.json", 9, 76, "/sites/0/addressPrefixes/1", "already listed at /sites/0/addressPrefixes/0" },
    { "syntax-comment.json", 2, 3, "", "comments are not allowed" },
    { "syntax-error.json", 3, 21, "", "JSON syntax error near \"\\\"addressPrefixes\\\": [\\\"10.\" (missing ',' between two values?)" },
    { "syntax-missing-colon.json", 3, 14, "", "(missing ':' after the key?)" },
    { "syntax-too-deep.json", 2, 1011, "", "nested deeper than cJSON's limit of 1000 levels" },
    { "syntax-trailing-comma.json", 3, 58, "", "trailing comma before ']' is not allowed" },
    { "syntax-trailing-comma-object.json", 3, 56, "", "trailing comma before '}' is not allowed" },
    { "syntax-unterminated.json", 3, 15, "", "unterminated string" },
    { "unknown-key-list.json", 6, 37, "/routeServers/0/color", "valid keys here: name, vnet," },
    { "unknown-key-suggest.json", 6, 37, "/routeServers/0/allowBranchToBranch", "unknown key \"allowBranchToBranch\"; did you mean \"allowBranchToBranchTraffic\"?" },
    { "unknown-key-top.json", 5, 3, "/NVAs", "did you mean \"nvas\"?" },
    { "vnet-community-not-12076.json", 4, 54, "/vnets/0/bgpCommunities/virtualNetworkCommunity", "a VNet's BGP community must be 12076:N (Microsoft's ASN first), got 65001:20001" },
    { "vnet-prefixes-empty.json", 3, 41, "/vnets/0/addressPrefixes", "at least one prefix" },
    { "vnet-prefixes-overlap.json", 3, 57, "/vnets/0/addressPrefixes/1", "overlaps 10.1.0.0/16" },
    { "vnet-too-many-peerings.json", 503, 90, "/vnets/501/peerings/0/remoteVnet", "peering number 501 of VNet 'hub'; Azure allows at most 500 peerings per VNet" },
    { "vnets-empty.json", 2, 12, "/vnets", "at least one VNet is required" },
    { "vnets-missing.json", 1, 1, "", "missing required key \"vnets\"" },
    { "whitespace-only.json", 1, 1, "", "empty file" },
    { "wrong-type.json", 7, 37, "/routeServers/0/allowBranchToBranchTraffic", "expected a boolean, got a string" },
};

static void test_bad_files(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        const BadCase *bc = &bad_cases[i];
        g_autofree char *rel = g_strconcat("tests/data/bad/", bc->file, NULL);
        g_autofree char *path = src_path(rel);
        g_autoptr(ArDiagList) d = diag_list_new();
        g_autoptr(ArScenario) s = load_file(path, NULL, d);
        g_autofree char *prefix = bc->pointer[0] ? g_strdup_printf("%s:%d:%d: %s: ", path, bc->line, bc->col, bc->pointer)
                                                 : g_strdup_printf("%s:%d:%d: ", path, bc->line, bc->col);
        g_autofree char *m = d->errors ? first_of(d, DIAG_ERROR) : g_strdup("(no error)");
        if (s || d->errors != 1 || !g_str_has_prefix(m, prefix) || !strstr(m, bc->phrase)) {
            g_printerr("%s: got %d errors:\n", bc->file, d->errors);
            diag_print(d, stderr);
            g_printerr("want: %s...%s\n", prefix, bc->phrase);
        }
        g_assert_null(s);
        g_assert_cmpint(d->errors, ==, 1);
        g_assert_true(g_str_has_prefix(m, prefix));
        g_assert_nonnull(strstr(m, bc->phrase));
    }
}

/* Every file in tests/data/bad has a case, so a new file cannot go untested. */
static void test_bad_files_all_listed(void)
{
    g_autofree char *dir = src_path("tests/data/bad");
    g_autoptr(GDir) gd = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(gd);
    const char *f;
    guint n = 0;
    while ((f = g_dir_read_name(gd))) {
        if (!g_str_has_suffix(f, ".json"))
            continue;
        gboolean listed = FALSE;
        for (size_t i = 0; i < G_N_ELEMENTS(bad_cases) && !listed; i++)
            listed = strcmp(bad_cases[i].file, f) == 0;
        if (!listed)
            g_printerr("tests/data/bad/%s has no case in test_loader.c\n", f);
        g_assert_true(listed);
        n++;
    }
    g_assert_cmpuint(n, ==, G_N_ELEMENTS(bad_cases));
}

/* ---- files that cannot be read ----------------------------------------------------------- */

static void test_unreadable(void)
{
    g_autofree char *dir = src_path("tests/data/bad");
    g_autofree char *missing = src_path("tests/data/bad/no-such-file.json");
    const char *paths[] = { dir, missing };
    for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
        g_autoptr(ArDiagList) d = diag_list_new();
        g_autoptr(ArScenario) s = load_file(paths[i], NULL, d);
        g_assert_null(s);
        g_assert_cmpint(d->errors, ==, 1);
        g_autofree char *m = fmt_diag(d, 0);
        g_autofree char *want = g_strconcat(paths[i], ": cannot read: ", NULL);
        g_assert_true(g_str_has_prefix(m, want));
    }
}

static void test_too_large(void)
{
    g_autofree char *path = src_path("scenarios/seed-er-sdwan.json");
    ArLoadOptions o = { .max_file_bytes = 100 };
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_file(path, &o, d);
    g_assert_null(s);
    g_autofree char *m = fmt_diag(d, 0);
    g_autofree char *want = g_strconcat(path, ": file is larger than the limit of 100 bytes", NULL);
    g_assert_cmpstr(m, ==, want);
    /* The same through load_text. */
    ArLoadOptions tiny = { .max_file_bytes = 10 };
    g_autoptr(ArDiagList) d3 = diag_list_new();
    g_autoptr(ArScenario) s3 = load_text("big", "{\"vnets\": []}", 13, &tiny, d3);
    g_assert_null(s3);
    g_autofree char *m3 = fmt_diag(d3, 0);
    g_assert_cmpstr(m3, ==, "big: file is larger than the limit of 10 bytes");
}

static void test_text_not_terminated(void)
{
    /* load_text takes a length: bytes after it (here a stray "x") are not part of the file. */
    const char *t = "{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ] }x";
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_text("t.json", t, strlen(t) - 1, NULL, d);
    g_assert_nonnull(s);
    g_assert_cmpuint(d->items->len, ==, 0);
}

/* ---- --set ------------------------------------------------------------------------------- */

static void test_set_overrides(void)
{
    g_autofree char *path = src_path("scenarios/seed-er-sdwan.json");
    const char *sets[] = { "routeServers.ars.allowBranchToBranchTraffic=true",  /* by name */
                           "routeServers.0.hubRoutingPreference=ASPath",        /* by index, created */
                           "nvas.sdwan.ipAddress=10.1.1.5",                     /* plain string */
                           "nvas.sdwan.advertisedPrefixes=[\"10.7.0.0/16\"]",   /* JSON value */
                           "vnets.spoke1.peerings.0.useRemoteGateways=false",
                           "sites.onprem2.connections.0.circuitSku=\"Premium\"",
                           "name=renamed",
                           NULL };
    ArLoadOptions o = { .sets = sets };
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_file(path, &o, d);
    if (!s)
        diag_print(d, stderr);
    g_assert_nonnull(s);
    g_assert_cmpuint(d->items->len, ==, 0);
    const ArRouteServer *r = g_ptr_array_index(s->route_servers, 0);
    g_assert_true(r->branch_to_branch);
    g_assert_cmpint(r->hub_pref, ==, HUBPREF_ASPATH);
    const ArNva *n = g_ptr_array_index(s->nvas, 0);
    g_assert_cmphex(n->ip, ==, 0x0A010105u);
    g_assert_cmphex(n->next_hop, ==, 0x0A010105u);
    g_assert_cmpuint(n->originations->len, ==, 1);
    const ArVnet *spoke = g_ptr_array_index(s->vnets, 1);
    g_assert_false(g_array_index(spoke->peerings, ArPeering, 0).use_remote_gateways);
    const ArSite *st = g_ptr_array_index(s->sites, 1);
    g_assert_cmpint(g_array_index(st->connections, ArConnection, 0).sku, ==, SKU_PREMIUM);
    g_assert_cmpstr(s->name, ==, "renamed");
}

static void test_set_dotted_name(void)
{
    const char *t = "{ \"vnets\": [ { \"name\": \"vnet.1\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ] }";
    const char *sets[] = { "vnets.vnet.1.addressPrefixes=[\"10.9.0.0/16\"]", NULL };
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_str(t, sets, d);
    g_assert_nonnull(s);
    const ArVnet *v = g_ptr_array_index(s->vnets, 0);
    g_assert_cmphex(g_array_index(v->prefixes, ArPrefix, 0).addr, ==, 0x0A090000u);
}

static void test_set_errors(void)
{
    const char *no_eq[] = { "routeServers.ars.allowBranchToBranchTraffic", NULL };
    assert_one_error(HUB_RS_NVA, no_eq, "--set: \"routeServers.ars.allowBranchToBranchTraffic\": ",
                     "expected PATH=VALUE");
    const char *unknown_el[] = { "routeServers.ars2.allowBranchToBranchTraffic=true", NULL };
    assert_one_error(HUB_RS_NVA, unknown_el, "--set: /routeServers: ", "no element named or numbered \"ars2\" in /routeServers; known: ars");
    const char *unknown_mid[] = { "routers.ars.x=1", NULL };
    assert_one_error(HUB_RS_NVA, unknown_mid, "--set: ", "no key \"routers\" at the top level; known: vnets, routeServers, nvas");
    const char *into_scalar[] = { "nvas.sdwan.asn.x=1", NULL };
    assert_one_error(HUB_RS_NVA, into_scalar, "--set: /nvas/0/asn: ", "is a number; cannot select \"x\"");
    const char *empty_seg[] = { "nvas..asn=1", NULL };
    assert_one_error(HUB_RS_NVA, empty_seg, "--set: ", "empty segment");
    /* Values set are validated like the file, and reported without a line: they have none. */
    const char *bad_key[] = { "routeServers.ars.allowBranchToBranch=true", NULL };
    assert_one_error(HUB_RS_NVA, bad_key, "t.json: /routeServers/0/allowBranchToBranch: ",
                     "did you mean \"allowBranchToBranchTraffic\"?");
    const char *bad_val[] = { "nvas.sdwan.asn=65515", NULL };
    assert_one_error(HUB_RS_NVA, bad_val, "t.json: /nvas/0/asn: ", "65515 is reserved by Azure");
    const char *bad_type[] = { "routeServers.ars.allowBranchToBranchTraffic=yes", NULL };
    assert_one_error(HUB_RS_NVA, bad_type, "t.json: /routeServers/0/allowBranchToBranchTraffic: ",
                     "expected a boolean, got a string");
    /* Nodes the file had keep their positions next to an override. */
    const char *ok_and_bad[] = { "nvas.sdwan.asn=65002", "routeServers.ars.routeLimitPerPeer=0", NULL };
    assert_one_error(HUB_RS_NVA, ok_and_bad, "t.json: /routeServers/0/routeLimitPerPeer: ", "out of range");
}

/* ---- scale ------------------------------------------------------------------------------- */

static void test_large_scenario_loads(void)
{
    /* 8,000 VNets, pairs of them peered, 1,000 route servers with 8 NVAs each, 1,000 sites load and
     * validate whole. How fast is a benchmark's question (tools/bench.sh times loading with every
     * row), never a timed test's: the time is reported, not asserted. */
    const int nv = 8000, nrs = 1000;
    GString *t = g_string_new("{ \"vnets\": [\n");
    for (int i = 0; i < nv; i++) {
        g_string_append_printf(t, "%s{ \"name\": \"v%d\", \"addressPrefixes\": [\"10.%d.%d.0/24\"]", i ? ",\n" : "", i,
                               i / 256, i % 256);
        if (i > 0 && i % 2 == 1)
            g_string_append_printf(t, ", \"peerings\": [ { \"remoteVnet\": \"v%d\" } ]", i - 1);
        g_string_append(t, " }");
    }
    g_string_append(t, " ],\n \"routeServers\": [\n");
    for (int i = 0; i < nrs; i++)
        g_string_append_printf(t, "%s{ \"name\": \"ars%d\", \"vnet\": \"v%d\" }", i ? ",\n" : "", i, i * 2);
    g_string_append(t, " ],\n \"nvas\": [\n");
    for (int i = 0; i < nrs * 8; i++)
        g_string_append_printf(t, "%s{ \"name\": \"n%d\", \"vnet\": \"v%d\", \"ipAddress\": \"10.%d.%d.%d\", \"asn\": %d, \"routeServer\": \"ars%d\", \"advertisedPrefixes\": [\"172.%d.%d.0/24\"] }",
                               i ? ",\n" : "", i, (i / 8) * 2, ((i / 8) * 2) / 256, ((i / 8) * 2) % 256, 4 + i % 8,
                               64512 + i % 1000, i / 8, 16 + i / 65536 % 16, (i / 256) % 256);
    g_string_append(t, " ],\n \"sites\": [\n");
    for (int i = 0; i < nrs; i++)
        g_string_append_printf(t, "%s{ \"name\": \"s%d\", \"asn\": %d, \"addressPrefixes\": [\"192.168.%d.0/24\"], \"connections\": [ { \"nva\": \"n%d\" } ] }",
                               i ? ",\n" : "", i, 65000 + i % 500, i % 256, i * 8);
    g_string_append(t, " ] }\n");
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_text("big.json", t->str, t->len, NULL, d);
    gint64 us = g_get_monotonic_time() - t0;
    if (!s)
        diag_print(d, stderr);
    g_assert_nonnull(s);
    g_assert_cmpuint(s->vnets->len, ==, (guint)nv);
    g_assert_cmpuint(s->nvas->len, ==, (guint)nrs * 8);
    g_test_message("loaded %zu bytes in %" G_GINT64_FORMAT " ms", t->len, us / 1000);
    g_string_free(t, TRUE);
}

/* ---- docs ------------------------------------------------------------------------------- */

/* Collects the property names of every object schema; checks each closes additionalProperties.
 * Keys named only in conditional subschemas (if/then, not, dependentSchemas: no "type") count too,
 * so that none escapes the documentation check. */
static void collect_properties(const cJSON *node, GHashTable *keys)
{
    if (cJSON_IsObject(node)) {
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(node, "properties");
        if (cJSON_IsObject(props)) {
            if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(node, "type"))) {
                if (!cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(node, "additionalProperties")))
                    g_printerr("schema object \"%s\" does not set additionalProperties to false\n", node->string);
                g_assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(node, "additionalProperties")));
            }
            for (const cJSON *p = props->child; p; p = p->next)
                g_hash_table_add(keys, p->string);
        }
    }
    for (const cJSON *ch = node->child; ch; ch = ch->next)
        collect_properties(ch, keys);
}

/* Collects the string values of every "enum" and "const" of the schema (the words a scenario may
 * write: "ExpressRoute", "graceful", "deny", ...). */
static void collect_enum_values(const cJSON *node, GHashTable *values)
{
    for (const cJSON *ch = node->child; ch; ch = ch->next) {
        if (ch->string && strcmp(ch->string, "enum") == 0 && cJSON_IsArray(ch)) {
            for (const cJSON *v = ch->child; v; v = v->next)
                if (cJSON_IsString(v))
                    g_hash_table_add(values, v->valuestring);
        } else if (ch->string && strcmp(ch->string, "const") == 0 && cJSON_IsString(ch)) {
            g_hash_table_add(values, ch->valuestring);
        }
        collect_enum_values(ch, values);
    }
}

/* Every key of a scenario's objects is one the schema knows. */
static void assert_keys_known(const cJSON *node, GHashTable *keys, const char *file)
{
    for (const cJSON *ch = node->child; ch; ch = ch->next) {
        if (cJSON_IsObject(node) && !g_hash_table_contains(keys, ch->string))
            g_printerr("%s: key \"%s\" is not in docs/scenario.schema.json\n", file, ch->string);
        if (cJSON_IsObject(node))
            g_assert_true(g_hash_table_contains(keys, ch->string));
        assert_keys_known(ch, keys, file);
    }
}

/* Reads docs/scenario.schema.json (parsed, returned; *schema_text keeps its text) and
 * docs/scenario-format.md (*doc), failing the test when either is missing or the schema is not JSON. */
static cJSON *load_format_docs(char **schema_text, char **doc)
{
    g_autofree char *schema_path = src_path("docs/scenario.schema.json");
    g_autofree char *doc_path = src_path("docs/scenario-format.md");
    g_assert_true(g_file_get_contents(schema_path, schema_text, NULL, NULL));
    g_assert_true(g_file_get_contents(doc_path, doc, NULL, NULL));
    cJSON *schema = cJSON_Parse(*schema_text);
    g_assert_nonnull(schema);
    return schema;
}

static void test_schema_and_doc_agree(void)
{
    g_autofree char *schema_text = NULL, *doc = NULL;
    cJSON *schema = load_format_docs(&schema_text, &doc);
    g_autoptr(GHashTable) keys = g_hash_table_new(g_str_hash, g_str_equal);
    collect_properties(schema, keys);
    g_assert_cmpuint(g_hash_table_size(keys), >=, 30);
    /* Each schema key is documented, written as `key`. */
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, keys);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        g_autofree char *quoted = g_strdup_printf("`%s`", (const char *)k);
        if (!strstr(doc, quoted))
            g_printerr("%s is not documented in docs/scenario-format.md\n", quoted);
        g_assert_nonnull(strstr(doc, quoted));
    }
    /* Each enum or const word is documented, written as `"word"` or inside such a list. */
    g_autoptr(GHashTable) words = g_hash_table_new(g_str_hash, g_str_equal);
    collect_enum_values(schema, words);
    g_assert_cmpuint(g_hash_table_size(words), >=, 10);
    g_hash_table_iter_init(&it, words);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        g_autofree char *quoted = g_strdup_printf("\"%s\"", (const char *)k);
        if (!strstr(doc, quoted))
            g_printerr("%s is not documented in docs/scenario-format.md\n", quoted);
        g_assert_nonnull(strstr(doc, quoted));
    }
    const char *refs[] = { "seed-er-sdwan.json", "seed-er-vpn.json", "seed-same-prefix.json" };
    for (size_t i = 0; i < G_N_ELEMENTS(refs); i++) {
        g_autofree char *rel = g_strconcat("scenarios/", refs[i], NULL);
        g_autofree char *path = src_path(rel);
        g_autofree char *text = NULL;
        g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
        cJSON *scn = cJSON_Parse(text);
        g_assert_nonnull(scn);
        assert_keys_known(scn, keys, refs[i]);
        cJSON_Delete(scn);
    }
    /* Every scenario in scenarios/, not only the references, uses only keys of the schema. */
    g_autofree char *dir_path = src_path("scenarios");
    g_autoptr(GError) err = NULL;
    GDir *dir = g_dir_open(dir_path, 0, &err);
    g_assert_no_error(err);
    guint checked = 0, seeds = 0;
    for (const char *name; (name = g_dir_read_name(dir)) != NULL;) {
        if (!g_str_has_suffix(name, ".json"))
            continue;
        g_autofree char *path = g_build_filename(dir_path, name, NULL);
        g_autofree char *text = NULL;
        g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
        cJSON *scn = cJSON_Parse(text);
        if (!scn)
            g_printerr("scenarios/%s is not JSON\n", name);
        g_assert_nonnull(scn);
        assert_keys_known(scn, keys, name);
        cJSON_Delete(scn);
        checked++;
        seeds += g_str_has_prefix(name, "seed-");
    }
    g_dir_close(dir);
    g_assert_cmpuint(seeds, >=, G_N_ELEMENTS(refs));
    g_assert_cmpuint(checked, >, seeds); /* the timed-event and policy scenarios too */
    cJSON_Delete(schema);
}

/* ---- the format table against the docs ------------------------------------------------------ */

/* The table's entry for key of the object whose schema name is def. */
static const ArFmtKey *fmt_key(const char *def, const char *key)
{
    size_t n;
    const ArFmtObject *objs = fmt_objects(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; strcmp(objs[i].def, def) == 0 && k < objs[i].n; k++)
            if (strcmp(objs[i].keys[k].key, key) == 0)
                return &objs[i].keys[k];
    g_assert_not_reached();
    return NULL;
}

/* A duration as the docs write it (a number of seconds or a string with a unit) in microseconds. */
static gboolean json_duration(const cJSON *v, uint64_t *us)
{
    if (cJSON_IsNumber(v))
        return dur_from_seconds(v->valuedouble, UINT64_MAX / 2, us);
    return cJSON_IsString(v) && dur_parse(v->valuestring, UINT64_MAX / 2, us);
}

/* True when JSON value v is the default dflt (JSON text) of a key of type t: equal durations for
 * durations ("10m" is "600s"), equal JSON otherwise. */
static gboolean same_default(const char *dflt, ArFmtType t, const cJSON *v)
{
    cJSON *want = cJSON_Parse(dflt);
    g_assert_nonnull(want);
    uint64_t a, b;
    gboolean same = t == FMT_TIME ? json_duration(want, &a) && json_duration(v, &b) && a == b
                                  : cJSON_Compare(want, v, TRUE);
    cJSON_Delete(want);
    return same;
}

/* The definition a "$ref" names. */
static const cJSON *schema_ref(const cJSON *schema, const cJSON *node)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(node, "$ref");
    if (!cJSON_IsString(ref))
        return NULL;
    g_assert_true(g_str_has_prefix(ref->valuestring, "#/$defs/"));
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(schema, "$defs"),
                                                        ref->valuestring + strlen("#/$defs/"));
    g_assert_nonnull(def);
    return def;
}

/* What a property of the schema takes, as a word: "string", "integer", ..., "duration". */
static const char *schema_kind(const cJSON *schema, const cJSON *node)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(node, "$ref");
    if (cJSON_IsString(ref))
        return strcmp(ref->valuestring, "#/$defs/duration") == 0 ? "duration" : schema_kind(schema, schema_ref(schema, node));
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(node, "enum");
    if (cJSON_IsArray(e))
        return cJSON_IsString(e->child) ? "string" : "?";
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(node, "type");
    if (cJSON_IsString(t))
        return t->valuestring;
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(node, "const")))
        return "string";
    const char *alts[] = { "oneOf", "anyOf", "allOf" };
    for (size_t i = 0; i < G_N_ELEMENTS(alts); i++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(node, alts[i]);
        if (cJSON_IsArray(a) && a->child)
            return schema_kind(schema, a->child);
    }
    return "?";
}

/* A property's own keyword, or its definition's when it has none ("$ref" to one). */
static const cJSON *schema_word(const cJSON *schema, const cJSON *prop, const char *word)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(prop, word);
    const cJSON *def = v ? NULL : schema_ref(schema, prop);
    return v ? v : def ? schema_word(schema, def, word) : NULL;
}

/* The properties of an object schema, those of its oneOf/allOf branches too: key -> property. */
static void schema_props(const cJSON *node, GHashTable *out)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(node, "properties");
    for (const cJSON *p = cJSON_IsObject(props) ? props->child : NULL; p; p = p->next)
        if (!g_hash_table_contains(out, p->string))
            g_hash_table_insert(out, p->string, (gpointer)p);
    const char *alts[] = { "oneOf", "allOf" };
    for (size_t i = 0; i < G_N_ELEMENTS(alts); i++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(node, alts[i]);
        for (const cJSON *b = cJSON_IsArray(a) ? a->child : NULL; b; b = b->next)
            schema_props(b, out);
    }
}

#define FMT_FAIL(...) (g_printerr(__VA_ARGS__), g_printerr("\n"), fails++)

/* One object of the table against its schema definition: the same keys, required ones, types,
 * defaults, words and bounds. Returns the number of differences (each printed). */
static int schema_object_agrees(const cJSON *schema, const ArFmtObject *o)
{
    int fails = 0;
    const cJSON *node = o->def[0] ? cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(schema, "$defs"), o->def)
                                  : schema;
    if (!node)
        return FMT_FAIL("schema: no $defs/%s for the table's object", o->def);
    g_autoptr(GHashTable) props = g_hash_table_new(g_str_hash, g_str_equal);
    schema_props(node, props);
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(node, "required");
    for (size_t k = 0; k < o->n; k++) {
        const ArFmtKey *key = &o->keys[k];
        const cJSON *p = g_hash_table_lookup(props, key->key);
        if (!p) {
            FMT_FAIL("schema $defs/%s: no property \"%s\"", o->def, key->key);
            continue;
        }
        g_hash_table_remove(props, key->key);
        gboolean required = FALSE;
        for (const cJSON *r = cJSON_IsArray(req) ? req->child : NULL; r; r = r->next)
            required |= strcmp(r->valuestring, key->key) == 0;
        if (required != key->required)
            FMT_FAIL("schema $defs/%s/%s: required is %d, the table says %d", o->def, key->key, required, key->required);
        static const char *const kinds[] = { "string", "boolean", "integer", "array", "object", "duration", NULL };
        const char *kind = schema_kind(schema, p);
        if (kinds[key->type] && strcmp(kind, kinds[key->type]) != 0)
            FMT_FAIL("schema $defs/%s/%s: takes %s, the table says %s", o->def, key->key, kind, kinds[key->type]);
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(p, "default");
        if (key->dflt && (!d || !same_default(key->dflt, key->type, d)))
            FMT_FAIL("schema $defs/%s/%s: default is not %s", o->def, key->key, key->dflt);
        if (!key->dflt && d)
            FMT_FAIL("schema $defs/%s/%s: has a default the table does not have", o->def, key->key);
        const cJSON *words = schema_word(schema, p, "enum");
        int nw = cJSON_GetArraySize(words);
        for (int w = 0; w < MAX(nw, key->n_words); w++) {
            const cJSON *sw = cJSON_GetArrayItem(words, w);
            if (w >= nw || w >= key->n_words || !cJSON_IsString(sw) || strcmp(sw->valuestring, key->words[w]) != 0) {
                FMT_FAIL("schema $defs/%s/%s: enum differs from the table's words", o->def, key->key);
                break;
            }
        }
        if (key->type == FMT_ANY)
            continue;
        const cJSON *lo = schema_word(schema, p, "minimum"), *hi = schema_word(schema, p, "maximum");
        if (key->min < key->max) {
            if (!cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) || lo->valuedouble != key->min || hi->valuedouble != key->max)
                FMT_FAIL("schema $defs/%s/%s: bounds are not %.0f..%.0f", o->def, key->key, key->min, key->max);
        } else if (cJSON_GetObjectItemCaseSensitive(p, "minimum") || cJSON_GetObjectItemCaseSensitive(p, "maximum")) {
            FMT_FAIL("schema $defs/%s/%s: has bounds the table does not have", o->def, key->key);
        }
    }
    GHashTableIter it;
    gpointer extra;
    g_hash_table_iter_init(&it, props);
    while (g_hash_table_iter_next(&it, &extra, NULL))
        FMT_FAIL("schema $defs/%s: property \"%s\" is not in the table", o->def, (const char *)extra);
    return fails;
}

/* A table row of the doc under a heading, with the header of its table. */
typedef struct DocRow {
    char **head;  /* the header's cells, stripped */
    char **cells; /* the row's cells, stripped */
} DocRow;

static void doc_row_clear(gpointer p)
{
    DocRow *r = p;
    g_strfreev(r->cells);
}

/* The cells of a table line "| a | b |", stripped. */
static char **doc_cells(const char *line)
{
    char **cells = g_strsplit(line + 1, "|", -1);
    for (char **c = cells; *c; c++)
        g_strstrip(*c);
    return cells;
}

/* The rows of every table under the heading "## section" or "### section" whose first cell names
 * `key`. Headers are kept in heads (freed by the caller). */
static GArray *doc_rows(char **lines, const char *section, const char *key, GPtrArray *heads)
{
    GArray *rows = g_array_new(FALSE, FALSE, sizeof(DocRow));
    g_array_set_clear_func(rows, doc_row_clear);
    g_autofree char *h2 = g_strdup_printf("## %s", section), *h3 = g_strdup_printf("### %s", section);
    g_autofree char *tick = g_strdup_printf("`%s`", key);
    char **head = NULL;
    gboolean in = FALSE;
    for (char **l = lines; *l; l++) {
        if ((*l)[0] == '#') {
            in = strcmp(*l, h2) == 0 || strcmp(*l, h3) == 0;
            continue;
        }
        if (!in || (*l)[0] != '|') {
            head = NULL;
            continue;
        }
        if (l[1] && g_str_has_prefix(l[1], "| ---")) {
            head = doc_cells(*l);
            g_ptr_array_add(heads, head);
            l++;
            continue;
        }
        char **cells = doc_cells(*l);
        if (head && cells[0] && strstr(cells[0], tick)) {
            DocRow r = { head, cells };
            g_array_append_val(rows, r);
        } else {
            g_strfreev(cells);
        }
    }
    return rows;
}

static int doc_column(char **head, const char *name)
{
    for (int i = 0; head[i]; i++)
        if (strcmp(head[i], name) == 0)
            return i;
    return -1;
}

/* The row's cell under the header name, NULL when its table has no such column. */
static const char *doc_cell(const DocRow *r, const char *name)
{
    int i = doc_column(r->head, name);
    if (i < 0)
        return NULL;
    for (int j = 0; j <= i; j++)
        if (!r->cells[j])
            return NULL;
    return r->cells[i];
}

/* x as the docs may write it: "10000000" or "10,000,000". */
static gboolean doc_has_number(const char *text, double x)
{
    g_autofree char *plain = g_strdup_printf("%.0f", x);
    GString *grouped = g_string_new(NULL);
    size_t len = strlen(plain);
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            g_string_append_c(grouped, ',');
        g_string_append_c(grouped, plain[i]);
    }
    gboolean has = strstr(text, plain) || strstr(text, grouped->str);
    g_string_free(grouped, TRUE);
    return has;
}

/* A cell holds `dflt` (or an equal duration) between backticks. */
static gboolean doc_has_default(const char *cell, const ArFmtKey *key)
{
    for (const char *p = strchr(cell, '`'); p; p = strchr(p, '`')) {
        const char *end = strchr(p + 1, '`');
        if (!end)
            break;
        g_autofree char *tok = g_strndup(p + 1, (gsize)(end - p - 1));
        cJSON *v = cJSON_Parse(tok);
        gboolean same = v && same_default(key->dflt, key->type, v);
        cJSON_Delete(v);
        if (same)
            return TRUE;
        p = end + 1;
    }
    return FALSE;
}

/* One object of the table against its rows in docs/scenario-format.md: every key has a row, and
 * the row says whether it is required, its default and its bounds as the table does. */
static int doc_object_agrees(char **lines, const ArFmtObject *o)
{
    int fails = 0;
    if (!o->section)
        return 0;
    for (size_t k = 0; k < o->n; k++) {
        const ArFmtKey *key = &o->keys[k];
        g_autoptr(GPtrArray) heads = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
        g_autoptr(GArray) rows = doc_rows(lines, o->section, key->key, heads);
        if (!rows->len) {
            FMT_FAIL("docs/scenario-format.md, %s: no row for `%s`", o->section, key->key);
            continue;
        }
        gboolean req_ok = FALSE, dflt_ok = !key->dflt, bounds_ok = !(key->min < key->max) || key->type == FMT_ANY;
        for (guint i = 0; i < rows->len; i++) {
            const DocRow *r = &g_array_index(rows, DocRow, i);
            const char *req = doc_cell(r, "Required");
            req_ok |= !req || g_str_has_prefix(req, "yes") == key->required;
            const char *d = doc_cell(r, "Default");
            dflt_ok = dflt_ok || (d && doc_has_default(d, key));
            g_autofree char *line = g_strjoinv(" | ", r->cells);
            bounds_ok = bounds_ok || (doc_has_number(line, key->max) && (key->min == 0 || doc_has_number(line, key->min)));
        }
        if (!req_ok)
            FMT_FAIL("docs/scenario-format.md, %s: `%s` is %srequired in the table", o->section, key->key,
                     key->required ? "" : "not ");
        if (!dflt_ok)
            FMT_FAIL("docs/scenario-format.md, %s: `%s` does not default to `%s`", o->section, key->key, key->dflt);
        if (!bounds_ok)
            FMT_FAIL("docs/scenario-format.md, %s: `%s` does not say %.0f..%.0f", o->section, key->key, key->min, key->max);
    }
    return fails;
}

/* n with thousands separators, as the docs write counts ("10,000"). */
static char *grouped(unsigned long long n)
{
    return n >= 1000 ? g_strdup_printf("%llu,%03llu", n / 1000, n % 1000) : g_strdup_printf("%llu", n);
}

/* The format table (sim/load/format.c) is the one description: the schema and the format doc agree
 * with it key by key, the numbers they state in prose are the named constants, and the model's
 * defaults are the table's. Change a default, a bound or a key in one place only and this fails. */
static void test_format_table_agrees(void)
{
    g_autofree char *schema_text = NULL, *doc = NULL;
    cJSON *schema = load_format_docs(&schema_text, &doc);
    g_auto(GStrv) lines = g_strsplit(doc, "\n", -1);
    size_t n;
    const ArFmtObject *objs = fmt_objects(&n);
    g_assert_cmpuint(n, >=, 20);
    int fails = 0;
    g_autoptr(GHashTable) defs = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < n; i++) {
        fails += schema_object_agrees(schema, &objs[i]);
        fails += doc_object_agrees(lines, &objs[i]);
        g_hash_table_add(defs, (gpointer)objs[i].def);
    }
    /* Every object of the schema is in the table. */
    const cJSON *sdefs = cJSON_GetObjectItemCaseSensitive(schema, "$defs");
    for (const cJSON *d = sdefs->child; d; d = d->next)
        if ((cJSON_GetObjectItemCaseSensitive(d, "properties") || cJSON_GetObjectItemCaseSensitive(d, "oneOf")) &&
            !g_hash_table_contains(defs, d->string))
            FMT_FAIL("schema $defs/%s is an object the format table does not have", d->string);

    /* Numbers the docs state in prose are the named constants. */
    g_autofree char *er_std = grouped(AR_ER_STANDARD_LIMIT), *er_prem = grouped(AR_ER_PREMIUM_LIMIT);
    g_autofree char *vpn = grouped(AR_VPN_SITE_LIMIT), *sessions = grouped(RIB_MAX_PEERS);
    char *doc_phrases[] = {
        g_strdup_printf("at most %d BGP peers (LIM)", AR_RS_MAX_PEERS),
        g_strdup_printf("the %dth NVA", AR_RS_MAX_PEERS + 1),
        g_strdup_printf("`settings.holdTime` (%d s)", AR_HOLD_TIME_S),
        g_strdup_printf("hold time %d s (FAQ)", AR_HOLD_TIME_S),
        g_strdup_printf("the circuit's %s or %s, a VPN site's %s", er_std, er_prem, vpn),
        g_strdup_printf("`\"Standard\"` (%s prefixes from on-premises) or `\"Premium\"` (%s)", er_std, er_prem),
        g_strdup_printf("at most %s BGP sessions on one speaker", sessions),
        g_strdup_printf("at least %d s", AR_HOLD_TIME_MIN_S),
        g_strdup_printf("[A-Za-z0-9_.-]{0,%d}", AR_NAME_MAX_LEN - 1),
    };
    for (size_t i = 0; i < G_N_ELEMENTS(doc_phrases); i++) {
        if (!strstr(doc, doc_phrases[i]))
            FMT_FAIL("docs/scenario-format.md does not say \"%s\"", doc_phrases[i]);
        g_free(doc_phrases[i]);
    }
    char *schema_phrases[] = {
        g_strdup_printf("more than %d peers per Route Server", AR_RS_MAX_PEERS),
        g_strdup_printf("(LIM: %d)", AR_RS_ROUTE_LIMIT),
        g_strdup_printf("(%s / %s)", er_std, er_prem),
        g_strdup_printf("{0,%d}$", AR_NAME_MAX_LEN - 1),
    };
    for (size_t i = 0; i < G_N_ELEMENTS(schema_phrases); i++) {
        if (!strstr(schema_text, schema_phrases[i]))
            FMT_FAIL("docs/scenario.schema.json does not say \"%s\"", schema_phrases[i]);
        g_free(schema_phrases[i]);
    }

    /* The model's defaults are the table's. */
    g_autoptr(ArDiagList) d = diag_list_new();
    g_autoptr(ArScenario) s = load_str("{ \"vnets\": [ { \"name\": \"hub\", \"addressPrefixes\": [\"10.1.0.0/16\"] } ],"
                                       " \"routeServers\": [ { \"name\": \"ars\", \"vnet\": \"hub\" } ],"
                                       " \"gateways\": [ { \"name\": \"gw\", \"vnet\": \"hub\", \"type\": \"ExpressRoute\" } ] }",
                                       NULL, d);
    g_assert_nonnull(s);
    const struct { const char *key; uint64_t have; } times[] = {
        { "linkDelay", s->settings.link_delay },         { "processingDelay", s->settings.proc_delay },
        { "jitter", s->settings.jitter },                { "mrai", s->settings.mrai },
        { "holdTime", s->settings.hold_time },           { "sessionSetup", s->settings.session_setup },
        { "retryAfterLimit", s->settings.retry_after_limit }, { "gatewayDowntime", s->settings.gateway_downtime },
        { "maxTime", s->settings.max_time },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(times); i++) {
        cJSON *v = cJSON_Parse(fmt_key("settings", times[i].key)->dflt);
        uint64_t us = 0;
        g_assert_true(json_duration(v, &us));
        cJSON_Delete(v);
        if (us != times[i].have)
            FMT_FAIL("settings.%s: the model's default is %" G_GUINT64_FORMAT " us, the table's %" G_GUINT64_FORMAT,
                     times[i].key, times[i].have, us);
    }
    const ArRouteServer *rs = g_ptr_array_index(s->route_servers, 0);
    const ArGateway *gw = g_ptr_array_index(s->gateways, 0);
    g_assert_cmpfloat(g_ascii_strtod(fmt_key("settings", "maxMemoryMiB")->dflt, NULL), ==, (double)s->settings.max_memory_mib);
    g_assert_cmpfloat(g_ascii_strtod(fmt_key("routeServer", "routeLimitPerPeer")->dflt, NULL), ==, rs->route_limit);
    g_assert_cmpstr(fmt_key("routeServer", "nvaToNvaReflection")->dflt, ==, rs->reflect_nva_to_nva ? "true" : "false");
    g_assert_cmpstr(fmt_key("routeServer", "allowBranchToBranchTraffic")->dflt, ==, rs->branch_to_branch ? "true" : "false");
    g_assert_cmpfloat(g_ascii_strtod(fmt_key("gateway", "asn")->dflt, NULL), ==, gw->asn);
    g_autofree char *hub_pref = g_strdup_printf("\"%s\"", fmt_key("routeServer", "hubRoutingPreference")->words[rs->hub_pref]);
    g_assert_cmpstr(fmt_key("routeServer", "hubRoutingPreference")->dflt, ==, hub_pref);
    cJSON_Delete(schema);
    g_assert_cmpint(fails, ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/jsonpos/escapes", test_jpos_escapes);
    g_test_add_func("/jsonpos/nested-lines", test_jpos_nested_lines);
    g_test_add_func("/jsonpos/duplicates-bom", test_jpos_duplicates_and_bom);
    g_test_add_func("/jsonpos/pointer", test_jpos_pointer);
    g_test_add_func("/loader/reference/er-sdwan", test_ref_er_sdwan);
    g_test_add_func("/loader/reference/er-vpn", test_ref_er_vpn);
    g_test_add_func("/loader/reference/same-prefix", test_ref_same_prefix);
    g_test_add_func("/loader/defaults", test_defaults_and_attributes);
    g_test_add_func("/loader/warn/unpeered-overlap", test_warn_unpeered_overlap);
    g_test_add_func("/loader/warn/events-asn-65516", test_warn_events_and_asn_65516);
    g_test_add_func("/loader/errors/all-sorted", test_all_errors_sorted);
    g_test_add_func("/loader/errors/no-cascade", test_no_cascade);
    g_test_add_func("/loader/errors/bad-files", test_bad_files);
    g_test_add_func("/loader/errors/bad-files-listed", test_bad_files_all_listed);
    g_test_add_func("/loader/errors/unreadable", test_unreadable);
    g_test_add_func("/loader/errors/too-large", test_too_large);
    g_test_add_func("/loader/text-length", test_text_not_terminated);
    g_test_add_func("/loader/set/overrides", test_set_overrides);
    g_test_add_func("/loader/set/dotted-name", test_set_dotted_name);
    g_test_add_func("/loader/set/errors", test_set_errors);
    g_test_add_func("/loader/scale", test_large_scenario_loads);
    g_test_add_func("/docs/schema-and-format", test_schema_and_doc_agree);
    g_test_add_func("/docs/format-table", test_format_table_agrees);
    return g_test_run();
}
