/* test_azimport.c - arsim import (Azure CLI lists, ARM templates, overlay) and arsim check (observed routes). */
#include "testlib.h"

#include "arsim/azimport.h"

#include <cjson/cJSON.h>
#include <glib/gstdio.h>
#include <string.h>

/* tests/data/az/NAME under the source root. g_free it. */
static char *az_path(const char *name)
{
    const char *root = g_getenv("ARSIM_SOURCE_ROOT");
    return g_build_filename(root ? root : ".", "tests", "data", "az", name, NULL);
}

/* Imports tests/data/az/DIR with the overlay (NULL for none); asserts no error. */
static cJSON *import_ok(const char *dir, const char *overlay, ArDiagList *diags)
{
    g_autofree char *d = az_path(dir);
    g_autofree char *o = overlay ? az_path(overlay) : NULL;
    cJSON *doc = azi_import_dir(d, o, diags);
    if (!doc)
        diag_print(diags, stderr);
    g_assert_nonnull(doc);
    return doc;
}

/* The loader's verdict on doc: the scenario, or NULL with diagnostics printed. */
static ArScenario *validate(const cJSON *doc)
{
    char *text = cJSON_Print(doc);
    g_autoptr(ArDiagList) d = diag_list_new();
    ArScenario *s = load_text("imported.json", text, strlen(text), NULL, d);
    diag_print(d, stderr);
    cJSON_free(text);
    return s;
}

static cJSON *named(const cJSON *doc, const char *section, const char *name)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, section);
    for (cJSON *o = arr ? arr->child : NULL; o; o = o->next)
        if (strcmp(cJSON_GetObjectItemCaseSensitive(o, "name")->valuestring, name) == 0)
            return o;
    return NULL;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    g_assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    g_assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

/* "the first element of key's array, as a string". */
static const char *first(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    g_assert_true(cJSON_IsArray(v) && cJSON_IsString(v->child));
    return v->child->valuestring;
}

/* Every resource of the CLI example is mapped with Azure's property names, and the result validates. */
static void test_import_example(void)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    cJSON *doc = import_ok("hub-spoke", "hub-spoke-overlay.json", diags);
    g_assert_cmpint(diags->warnings, ==, 0);
    g_autoptr(ArScenario) scn = validate(doc);
    g_assert_nonnull(scn);
    g_assert_cmpuint(scn->vnets->len, ==, 2);

    /* Peerings: one entry for the pair, under the side that uses the remote gateways. */
    const cJSON *spoke = named(doc, "vnets", "spoke1");
    const cJSON *peer = cJSON_GetObjectItemCaseSensitive(spoke, "peerings")->child;
    g_assert_cmpstr(str(peer, "remoteVnet"), ==, "hub");
    g_assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(peer, "useRemoteGateways")));
    g_assert_null(cJSON_GetObjectItemCaseSensitive(named(doc, "vnets", "hub"), "peerings"));
    /* Route table: only the subnet that has one; its route kept with next hop. */
    const cJSON *app = cJSON_GetObjectItemCaseSensitive(spoke, "subnets")->child;
    g_assert_cmpstr(str(app, "name"), ==, "app");
    g_assert_null(app->next);
    const cJSON *udr = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(app, "routeTable"), "routes")->child;
    g_assert_cmpstr(str(udr, "addressPrefix"), ==, "10.100.0.0/16");
    g_assert_cmpstr(str(udr, "nextHopIpAddress"), ==, "10.1.1.4");

    /* Route Server: its VNet from the RouteServerSubnet's ipConfigurations, its settings and IPs. */
    const cJSON *ars = named(doc, "routeServers", "ars");
    g_assert_cmpstr(str(ars, "vnet"), ==, "hub");
    g_assert_cmpstr(str(ars, "hubRoutingPreference"), ==, "ExpressRoute");
    g_assert_cmpstr(first(ars, "virtualRouterIps"), ==, "10.1.255.196");
    /* Gateways: type, active-active, BGP ASN and instance addresses from bgpSettings. */
    const cJSON *vpngw = named(doc, "gateways", "vpngw");
    g_assert_cmpstr(str(vpngw, "type"), ==, "Vpn");
    g_assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(vpngw, "activeActive")));
    g_assert_cmpfloat(num(vpngw, "asn"), ==, 65515);
    g_assert_cmpstr(first(vpngw, "ipAddresses"), ==, "10.1.255.230");
    g_assert_cmpstr(str(named(doc, "gateways", "ergw"), "type"), ==, "ExpressRoute");
    /* NVA from the bgpConnection (peerIp, peerAsn), its routes from the overlay. */
    const cJSON *nva = named(doc, "nvas", "sdwan");
    g_assert_cmpstr(str(nva, "ipAddress"), ==, "10.1.1.4");
    g_assert_cmpfloat(num(nva, "asn"), ==, 65001);
    g_assert_cmpstr(str(nva, "routeServer"), ==, "ars");
    g_assert_cmpstr(first(nva, "advertisedPrefixes"), ==, "10.50.0.0/16");
    /* Sites: a local network gateway behind a BGP VPN connection, a circuit behind an ER connection. */
    const cJSON *onprem = named(doc, "sites", "onprem1");
    g_assert_cmpfloat(num(onprem, "asn"), ==, 65010);
    g_assert_cmpstr(first(onprem, "addressPrefixes"), ==, "10.100.0.0/16");
    g_assert_cmpstr(str(onprem, "bgpPeeringAddress"), ==, "10.100.0.1");
    const cJSON *vc = cJSON_GetObjectItemCaseSensitive(onprem, "connections")->child;
    g_assert_cmpstr(str(vc, "vpnGateway"), ==, "vpngw");
    g_assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(vc, "bgp")));
    const cJSON *dc = named(doc, "sites", "er-dc");
    g_assert_cmpfloat(num(dc, "asn"), ==, 65020);
    g_assert_cmpstr(first(dc, "addressPrefixes"), ==, "10.200.0.0/16");
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(dc, "connections")->child;
    g_assert_cmpstr(str(ec, "expressRouteGateway"), ==, "ergw");
    g_assert_cmpstr(str(ec, "circuitSku"), ==, "Standard");
    cJSON_Delete(doc);
}

/* Without the overlay the import still validates, and one warning lists what to add. */
static void test_import_without_overlay(void)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    cJSON *doc = import_ok("hub-spoke", NULL, diags);
    g_assert_cmpint(diags->warnings, ==, 1);
    g_autofree char *msg = diag_format(g_ptr_array_index(diags->items, 0));
    g_assert_nonnull(strstr(msg, "sites: { \"name\": \"er-dc\", \"addressPrefixes\""));
    g_assert_nonnull(strstr(msg, "nvas: { \"name\": \"sdwan\", \"advertisedPrefixes\""));
    g_autoptr(ArScenario) scn = validate(doc);
    g_assert_nonnull(scn);
    cJSON_Delete(doc);
}

/* The ARM template of the same network imports to the same scenario (only the title differs). */
static void test_import_arm_template(void)
{
    g_autoptr(ArDiagList) d1 = diag_list_new();
    g_autoptr(ArDiagList) d2 = diag_list_new();
    cJSON *cli = import_ok("hub-spoke", "hub-spoke-overlay.json", d1);
    cJSON *arm = import_ok("hub-spoke-arm", "hub-spoke-overlay.json", d2);
    /* Its one warning: a public IP address, a kind arsim does not model, named by its parameter's value. */
    g_assert_cmpint(d2->warnings, ==, 1);
    g_autofree char *msg = diag_format(g_ptr_array_index(d2->items, 0));
    g_assert_nonnull(strstr(msg, "skipped Microsoft.Network/publicIPAddresses \"ergw-pip\": kind not modelled"));
    cJSON_DeleteItemFromObject(cli, "name");
    cJSON_DeleteItemFromObject(arm, "name");
    g_assert_true(cJSON_Compare(cli, arm, TRUE));
    cJSON_Delete(cli);
    cJSON_Delete(arm);
}

/* Each object skipped gets a warning at its position saying why. */
static void test_import_skips(void)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    cJSON *doc = import_ok("skips", NULL, diags);
    g_autoptr(GString) all = g_string_new("");
    for (guint i = 0; i < diags->items->len; i++) {
        g_autofree char *m = diag_format(g_ptr_array_index(diags->items, i));
        g_string_append_printf(all, "%s\n", m);
    }
    static const char *const expected[] = {
        "other.json:2:3: /0: warning: skipped Microsoft.Network/azureFirewalls \"fw1\": kind not modelled by arsim",
        "/1: warning: skipped virtual hub \"wanhub\": a Virtual WAN hub",
        "/2: warning: skipped connection \"v2v\": connectionType \"Vnet2Vnet\" not modelled",
        "/3/routes/0/addressPrefix: warning: skipped route \"to-cloud\": addressPrefix \"AzureCloud\" is a service tag",
        "/4: warning: skipped local network gateway \"unused\": no imported connection uses it",
        "/0/virtualNetworkPeerings/0: warning: skipped peering \"hub-to-old\" of VNet \"hub\": peeringState is \"Disconnected\"",
        "/2/addressSpace/addressPrefixes/0: warning: skipped IPv6 prefix fd00:db8::/48",
        "/3: warning: skipped virtual network \"empty\": missing field addressSpace.addressPrefixes",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++)
        if (!strstr(all->str, expected[i]))
            g_error("missing \"%s\" in:\n%s", expected[i], all->str);
    /* What is left is a valid scenario: hub with its route table (the service-tag route dropped). */
    g_autoptr(ArScenario) scn = validate(doc);
    g_assert_nonnull(scn);
    const cJSON *fw = cJSON_GetObjectItemCaseSensitive(named(doc, "vnets", "hub"), "subnets")->child;
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(fw, "routeTable");
    g_assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rt, "disableBgpRoutePropagation")));
    g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rt, "routes")), ==, 1);
    g_assert_null(cJSON_GetObjectItemCaseSensitive(named(doc, "vnets", "hub"), "peerings"));
    cJSON_Delete(doc);
}

/* A file that is not such an export: exit 2, file:line:col, JSON pointer, what was expected; no output. */
static void test_import_bad_files(void)
{
    static const struct { const char *dir; const char *msg; } cases[] = {
        { "bad/syntax", "vnet-list.json:2:63: JSON syntax error: trailing comma before '}' is not allowed" },
        { "bad/not-a-list", "vnet-list.json:1:1: expected the JSON array an 'az network ... list -o json' command "
                            "prints, or an ARM template from 'az group export', got a string" },
        { "bad/no-type", "vnet-list.json:2:3: /0: expected an Azure resource object: \"type\" and \"name\"" },
        { "bad/prefix-type", "vnet-list.json:6:26: /0/addressSpace/addressPrefixes: expected "
                             "addressSpace.addressPrefixes as an array, got a string" },
        { "bad/bad-prefix", "vnet-list.json:7:9: /0/addressSpace/addressPrefixes/0: expected an address prefix "
                            "(a.b.c.d/len), got \"10.1.0/16\"" },
        { "no-such-folder", "cannot read the folder" },
    };
    g_autofree char *tmp = g_dir_make_tmp("arsim-import-XXXXXX", NULL);
    g_autofree char *out = g_build_filename(tmp, "x.json", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *dir = g_build_filename("tests", "data", "az", cases[i].dir, NULL);
        TestRun r = test_arsim("import", dir, "-o", out, NULL);
        g_assert_cmpint(r.status, ==, 2);
        if (!strstr(r.err, cases[i].msg))
            g_error("%s: expected \"%s\" in:\n%s", cases[i].dir, cases[i].msg, r.err);
        g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
        test_run_clear(&r);
    }
    /* An overlay that is no object of sections. */
    g_autofree char *bad_overlay = g_build_filename(tmp, "overlay.json", NULL);
    g_assert_true(g_file_set_contents(bad_overlay, "{\"nvas\": [ 3 ]}", -1, NULL));
    TestRun r = test_arsim("import", "tests/data/az/hub-spoke", "--overlay", bad_overlay, "-o", out, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "overlay.json:1:12: /nvas/0: expected an object with a \"name\""));
    test_run_clear(&r);
    g_remove(bad_overlay);
    g_rmdir(tmp);
}

static const char *const observed_args[] = {
    "learned:sdwan=tests/data/az/hub-spoke-observed/sdwan-learned-routes.json",
    "advertised:sdwan=tests/data/az/hub-spoke-observed/sdwan-advertised-routes.json",
    "nic:spoke1/app=tests/data/az/hub-spoke-observed/vm-app-nic-routes.json",
    "gateway:vpngw=tests/data/az/hub-spoke-observed/vpngw-learned-routes.json",
};

/* import -> run -> export observed-shaped views -> check against them: no difference; one edited
 * route: exactly that difference. Also the saved examples (an Invalid NIC route is ignored). */
static void test_check_round_trip(void)
{
    g_autofree char *tmp = g_dir_make_tmp("arsim-check-XXXXXX", NULL);
    g_autofree char *scn = g_build_filename(tmp, "x.json", NULL);
    TestRun r = test_arsim("import", "tests/data/az/hub-spoke", "--overlay", "tests/data/az/hub-spoke-overlay.json",
                           "-o", scn, NULL);
    g_assert_cmpint(r.status, ==, 0);
    test_run_clear(&r);
    r = test_arsim("run", scn, NULL);
    g_assert_cmpint(r.status, ==, 0);
    test_run_clear(&r);

    r = test_arsim("check", scn, observed_args[0], observed_args[1], observed_args[2], observed_args[3], NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "no difference: the simulation matches the 4 observed files"));
    test_run_clear(&r);

    g_autofree char *learned = g_build_filename(tmp, "learned.json", NULL);
    g_autofree char *nic = g_build_filename(tmp, "nic.json", NULL);
    g_autofree char *gw = g_build_filename(tmp, "gw.json", NULL);
    g_autofree char *a1 = g_strdup_printf("learned:sdwan=%s", learned);
    g_autofree char *a2 = g_strdup_printf("nic:hub=%s", nic);
    g_autofree char *a3 = g_strdup_printf("gateway:ergw=%s", gw);
    r = test_arsim("check", scn, "--export", a1, a2, a3, NULL);
    g_assert_cmpint(r.status, ==, 0);
    test_run_clear(&r);
    r = test_arsim("check", scn, a1, a2, a3, NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "no difference"));
    test_run_clear(&r);

    /* One edited route: the AS path Route Server instance 1 learned for 10.50.0.0/16. */
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(learned, &text, NULL, NULL));
    cJSON *doc = cJSON_Parse(text);
    cJSON *route = cJSON_GetObjectItemCaseSensitive(doc, "RouteServiceRole_IN_1")->child;
    g_assert_cmpstr(cJSON_GetObjectItemCaseSensitive(route, "network")->valuestring, ==, "10.50.0.0/16");
    cJSON_ReplaceItemInObjectCaseSensitive(route, "asPath", cJSON_CreateString("65001-65099"));
    char *edited = cJSON_Print(doc);
    g_assert_true(g_file_set_contents(learned, edited, -1, NULL));
    cJSON_free(edited);
    cJSON_Delete(doc);
    r = test_arsim("check", scn, a1, a2, a3, NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_cmpstr(r.out, ==, "10.50.0.0/16       learned:sdwan RouteServiceRole_IN_1: asPath simulated 65001, "
                               "observed 65001-65099\n1 difference between the simulation and 3 observed files\n");
    test_run_clear(&r);
    /* Removed from the NIC's table: a route only in the simulation. */
    g_assert_true(g_file_set_contents(nic, "{\"value\": []}", -1, NULL));
    r = test_arsim("check", scn, a2, "--json", NULL);
    g_assert_cmpint(r.status, ==, 1);
    cJSON *diffs = cJSON_Parse(r.out);
    g_assert_cmpint(cJSON_GetArraySize(diffs), ==, 10); /* every route of the hub's table */
    const cJSON *d0 = diffs->child;
    g_assert_cmpstr(str(d0, "prefix"), ==, "0.0.0.0/0");
    g_assert_cmpstr(str(d0, "simulated"), ==, "nextHopType Internet, nextHopIpAddress \"\", source Default");
    g_assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(d0, "observed")));
    cJSON_Delete(diffs);
    test_run_clear(&r);
    g_remove(learned);
    g_remove(nic);
    g_remove(gw);
    g_remove(scn);
    g_rmdir(tmp);
}

/* Bad arguments and observed files of the wrong shape: exit 2 with the file, JSON pointer and what
 * was expected. */
static void test_check_bad_input(void)
{
    const char *scn = "tests/data/az/hub-spoke-imported.json";
    static const struct { const char *arg; const char *text; const char *msg; } cases[] = {
        { "sdwan=F", NULL, "expected KIND:NAME=FILE with KIND learned or advertised" },
        { "learned:nope=F", NULL, "learned:nope: no NVA named \"nope\" in the scenario" },
        { "nic:nowhere=F", NULL, "nic:nowhere: no VNet named \"nowhere\"" },
        { "gateway:sdwan=F", NULL, "gateway:sdwan: no gateway named \"sdwan\"" },
        { "learned:sdwan=F", "[]", "F:1:1: expected the object 'az network routeserver peering list-learned-routes -o json' prints" },
        { "learned:sdwan=F", "{\"value\": []}", "F:1:11: /value: unexpected key \"value\": expected RouteServiceRole_IN_0" },
        { "learned:sdwan=F", "{\"RouteServiceRole_IN_0\": [{\"network\": \"10.50.0.0/16\"}]}",
          "F:1:28: /RouteServiceRole_IN_0/0: missing \"nextHop\" (a string)" },
        { "nic:spoke1/app=F", "{\"value\": [{\"addressPrefix\": \"10.0.0.0/8\", \"nextHopType\": \"None\"}]}",
          "F:1:30: /value/0/addressPrefix: expected \"addressPrefix\" as an array of prefixes, got a string" },
        { "gateway:vpngw=F", "{\"nextLink\": null}", "F:1:1: missing \"value\": expected the object 'az network vnet-gateway list-learned-routes -o json' prints" },
        { "gateway:vpngw=F", "{\"value\": [{\"localAddress\": \"10.1.255.230\", \"network\": \"10.1/16\", \"origin\": \"EBgp\"}]}",
          "F:1:56: /value/0/network: expected an IPv4 prefix a.b.c.d/len, got \"10.1/16\"" },
        { "gateway:vpngw=F", "{\"value\": [", "F:1:12: JSON syntax error" },
    };
    g_autofree char *tmp = g_dir_make_tmp("arsim-check-XXXXXX", NULL);
    g_autofree char *file = g_build_filename(tmp, "F", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (cases[i].text)
            g_assert_true(g_file_set_contents(file, cases[i].text, -1, NULL));
        g_autofree char *head = g_strndup(cases[i].arg, strlen(cases[i].arg) - 1);
        g_autofree char *arg = g_strconcat(head, file, NULL);
        TestRun r = test_arsim("check", scn, arg, NULL);
        g_assert_cmpint(r.status, ==, 2);
        g_autofree char *want = g_str_has_prefix(cases[i].msg, "F:") ? g_strconcat(file, cases[i].msg + 1, NULL)
                                                                       : g_strdup(cases[i].msg);
        if (!strstr(r.err, want))
            g_error("%s: expected \"%s\" in:\n%s", cases[i].arg, want, r.err);
        g_assert_cmpstr(r.out, ==, "");
        test_run_clear(&r);
    }
    g_remove(file);
    g_rmdir(tmp);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/import/example", test_import_example);
    g_test_add_func("/import/without-overlay", test_import_without_overlay);
    g_test_add_func("/import/arm-template", test_import_arm_template);
    g_test_add_func("/import/skips", test_import_skips);
    g_test_add_func("/import/bad-files", test_import_bad_files);
    g_test_add_func("/check/round-trip", test_check_round_trip);
    g_test_add_func("/check/bad-input", test_check_bad_input);
    return g_test_run();
}
