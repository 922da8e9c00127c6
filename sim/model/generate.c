/* generate.c - builds a synthetic scenario document (hub, Route Server, gateways, NVAs, sites, spokes)
 * from size parameters, deterministically from a seed. */
#include "arsim/generate.h"
#include "arsim/limits.h"
#include "arsim/prefix.h"

#include <string.h>

/* Address plan. Every category carves consecutive /24s from its own block, so nothing overlaps and
 * the largest sizes still fit:
 *   hub VNet            10.0.0.0/16 (NVAs at 10.0.1.4 ...; Route Server and gateways take the
 *                       last /27s by default)
 *   spoke k (0-based)   10.(1 + k / 256).(k % 256).0/24, up to 10.127.255.0/24
 *   ExpressRoute site   /24s from 32.0.0.0 (up to 32.0.0.0/3 + 64.0.0.0/3: 4,194,304 prefixes)
 *   NVA sites           /24s from 128.0.0.0 (2,097,152 prefixes, up to 159.255.255.0/24)
 *   VPN sites           /24s from 160.0.0.0 (2,097,152 prefixes, up to 191.255.255.0/24) */
#define GEN_HUB_ADDR 0x0A000000u    /* 10.0.0.0 */
#define GEN_ER_BASE 0x20000000u     /* 32.0.0.0 */
#define GEN_NVA_BASE 0x80000000u    /* 128.0.0.0 */
#define GEN_VPN_BASE 0xA0000000u    /* 160.0.0.0 */
#define GEN_BLOCK_24S (1u << 21)    /* /24s in each of the NVA and VPN blocks */

/* ASN plan: NVAs 65001 + i (private 16-bit); sites take private 32-bit ASNs, each category in its
 * own range, the low digits drawn from the seed so that AS paths change with it. */
#define GEN_NVA_ASN 65001u
#define GEN_ER_ASN 4200000000u      /* + [0, 1,000,000) */
#define GEN_NVA_SITE_ASN 4201000000u /* + i * 1000 + [0, 1000) */
#define GEN_VPN_SITE_ASN 4202000000u /* + i * 1000 + [0, 1000) */

G_DEFINE_QUARK(arsim-generate-error-quark, gen_error)

void gen_params_default(ArGenParams *p)
{
    *p = (ArGenParams){ .spokes = 1, .nvas = 1, .routes_per_nva = 10, .er_prefixes = 10, .sku = GEN_SKU_STANDARD,
                        .vpn_sites = 0, .prefixes_per_site = 10, .seed = 1 };
}

GOptionEntry *gen_option_entries(ArGenParams *p, char **sku, gint *seed)
{
    const GOptionEntry entries[] = {
        { "spokes", 0, 0, G_OPTION_ARG_INT, &p->spokes, "Spoke VNets using the hub's gateways (default 1)", "N" },
        { "nvas", 0, 0, G_OPTION_ARG_INT, &p->nvas, "NVAs peering with the Route Server, each with a site (default 1)", "N" },
        { "routes-per-nva", 0, 0, G_OPTION_ARG_INT, &p->routes_per_nva, "Prefixes behind each NVA (default 10)", "N" },
        { "er-prefixes", 0, 0, G_OPTION_ARG_INT, &p->er_prefixes, "Prefixes over ExpressRoute, 0 for no circuit (default 10)", "N" },
        { "circuit-sku", 0, 0, G_OPTION_ARG_STRING, sku, "Standard or Premium (default Standard)", "SKU" },
        { "vpn-sites", 0, 0, G_OPTION_ARG_INT, &p->vpn_sites, "BGP sites on an active-active VPN gateway (default 0)", "N" },
        { "prefixes-per-site", 0, 0, G_OPTION_ARG_INT, &p->prefixes_per_site, "Prefixes of each VPN site (default 10)", "N" },
        { "branch-to-branch", 0, 0, G_OPTION_ARG_NONE, &p->branch_to_branch, "Enable branch-to-branch", NULL },
        { "lift-limits", 0, 0, G_OPTION_ARG_NONE, &p->lift_limits, "Set settings.liftLimits (what-if past Azure's limits)", NULL },
        { "seed", 0, 0, G_OPTION_ARG_INT, seed, "Seed for AS paths and prefix order (default 1)", "N" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    return g_memdup2(entries, sizeof entries);
}

bool gen_sku_parse(const char *s, ArGenSku *out)
{
    if (s && g_ascii_strcasecmp(s, "Standard") == 0) {
        *out = GEN_SKU_STANDARD;
        return true;
    }
    if (s && g_ascii_strcasecmp(s, "Premium") == 0) {
        *out = GEN_SKU_PREMIUM;
        return true;
    }
    return false;
}

uint64_t gen_total_prefixes(const ArGenParams *p)
{
    uint64_t t = 0;
    if (p->er_prefixes > 0)
        t += (uint64_t)p->er_prefixes;
    if (p->nvas > 0 && p->routes_per_nva > 0)
        t += (uint64_t)p->nvas * (uint64_t)p->routes_per_nva;
    if (p->vpn_sites > 0 && p->prefixes_per_site > 0)
        t += (uint64_t)p->vpn_sites * (uint64_t)p->prefixes_per_site;
    return t;
}

/* The limits on what crosses Azure's own sessions (docs/azure-rules.md 2.5-2.7): the hub peers with
 * every spoke; with branch-to-branch the Route Server sends each gateway the NVAs' routes and the
 * other gateway's; the ExpressRoute gateway sends its circuit the hub's and spokes' prefixes and
 * what the Route Server taught it. O(1). */
static bool gen_check_gateway_limits(const ArGenParams *p, GError **error)
{
    if (p->spokes > (int)AR_VNET_MAX_PEERINGS) {
        g_set_error(error, GEN_ERROR, GEN_ERROR_LIMIT,
                    "%d spokes exceed Azure's limit of %u peerings per VNet (the hub peers with each); add --lift-limits "
                    "for a what-if scenario",
                    p->spokes, AR_VNET_MAX_PEERINGS);
        return false;
    }
    uint64_t nva = (uint64_t)p->nvas * (uint64_t)p->routes_per_nva;
    uint64_t vpn = (uint64_t)p->vpn_sites * (uint64_t)p->prefixes_per_site;
    uint64_t to_er = p->branch_to_branch ? nva + vpn : 0, to_vpn = p->branch_to_branch ? nva + (uint64_t)p->er_prefixes : 0;
    uint64_t to_circuit = 1 + (uint64_t)p->spokes + to_er;
    const char *what = NULL;
    uint64_t n = 0;
    unsigned limit = AR_RS_GATEWAY_LIMIT;
    if (p->er_prefixes > 0 && to_er > AR_RS_GATEWAY_LIMIT)
        what = "the Route Server would advertise to the ExpressRoute gateway", n = to_er;
    else if (p->vpn_sites > 0 && to_vpn > AR_RS_GATEWAY_LIMIT)
        what = "the Route Server would advertise to the VPN gateway", n = to_vpn;
    else if (p->er_prefixes > 0 && to_circuit > AR_ER_AZURE_LIMIT)
        what = "the ExpressRoute gateway would advertise to the circuit (VNet prefixes and the Route Server's routes)",
        n = to_circuit, limit = AR_ER_AZURE_LIMIT;
    if (!what)
        return true;
    g_set_error(error, GEN_ERROR, GEN_ERROR_LIMIT,
                "%" G_GUINT64_FORMAT " routes %s exceed Azure's limit of %u%s; add --lift-limits for a what-if scenario",
                n, what, limit, p->branch_to_branch ? " (branch-to-branch passes the NVAs' and gateways' routes on)" : "");
    return false;
}

/* Checks what the address plan and the loader can hold, then Azure's limits. */
static bool gen_check(const ArGenParams *p, GError **error)
{
    const struct {
        const char *name; /* option it comes from */
        int value;        /* its value */
        int max;          /* largest the plan holds */
    } counts[] = {
        { "spokes", p->spokes, GEN_MAX_SPOKES },
        { "nvas", p->nvas, GEN_MAX_NVAS },
        { "routes-per-nva", p->routes_per_nva, G_MAXINT },
        { "er-prefixes", p->er_prefixes, G_MAXINT },
        { "vpn-sites", p->vpn_sites, GEN_MAX_VPN_SITES },
        { "prefixes-per-site", p->prefixes_per_site, G_MAXINT },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(counts); i++) {
        if (counts[i].value < 0) {
            g_set_error(error, GEN_ERROR, GEN_ERROR_INVALID, "--%s must not be negative (got %d)", counts[i].name,
                        counts[i].value);
            return false;
        }
        if (counts[i].value > counts[i].max) {
            g_set_error(error, GEN_ERROR, GEN_ERROR_INVALID, "--%s %d is more than the generator's address plan holds (%d)",
                        counts[i].name, counts[i].value, counts[i].max);
            return false;
        }
    }
    if (p->sku != GEN_SKU_STANDARD && p->sku != GEN_SKU_PREMIUM) {
        g_set_error(error, GEN_ERROR, GEN_ERROR_INVALID, "unknown circuit SKU; use Standard or Premium");
        return false;
    }
    uint64_t total = gen_total_prefixes(p);
    if (total > GEN_MAX_PREFIXES) {
        g_set_error(error, GEN_ERROR, GEN_ERROR_INVALID,
                    "%" G_GUINT64_FORMAT " site prefixes in all is more than %d (the file would pass the loader's 64 MiB limit)",
                    total, GEN_MAX_PREFIXES);
        return false;
    }
    if ((uint64_t)p->nvas * (uint64_t)p->routes_per_nva > GEN_BLOCK_24S ||
        (uint64_t)p->vpn_sites * (uint64_t)p->prefixes_per_site > GEN_BLOCK_24S) {
        g_set_error(error, GEN_ERROR, GEN_ERROR_INVALID,
                    "more than %u NVA-site or VPN-site prefixes in all: the address plan holds %u of each", GEN_BLOCK_24S,
                    GEN_BLOCK_24S);
        return false;
    }
    if (p->lift_limits)
        return true;
    int er_limit = p->sku == GEN_SKU_PREMIUM ? GEN_ER_PREMIUM_LIMIT : GEN_ER_STANDARD_LIMIT;
    if (p->nvas > GEN_RS_MAX_PEERS) {
        g_set_error(error, GEN_ERROR, GEN_ERROR_LIMIT,
                    "%d NVAs exceed Azure's limit of %d BGP peers per Route Server; add --lift-limits for a what-if scenario",
                    p->nvas, GEN_RS_MAX_PEERS);
        return false;
    }
    if (p->nvas > 0 && p->routes_per_nva > GEN_RS_ROUTE_LIMIT) {
        g_set_error(error, GEN_ERROR, GEN_ERROR_LIMIT,
                    "%d routes per NVA exceed Azure's limit of %d routes a Route Server accepts from one peer; add "
                    "--lift-limits for a what-if scenario",
                    p->routes_per_nva, GEN_RS_ROUTE_LIMIT);
        return false;
    }
    if (p->er_prefixes > er_limit) {
        g_set_error(error, GEN_ERROR, GEN_ERROR_LIMIT,
                    "%d ExpressRoute prefixes exceed the %s circuit's limit of %d prefixes from on-premises; %sadd "
                    "--lift-limits for a what-if scenario",
                    p->er_prefixes, p->sku == GEN_SKU_PREMIUM ? "Premium" : "Standard", er_limit,
                    p->sku == GEN_SKU_STANDARD && p->er_prefixes <= GEN_ER_PREMIUM_LIMIT ? "use --circuit-sku Premium or " : "");
        return false;
    }
    if (p->vpn_sites > 0 && p->prefixes_per_site > GEN_VPN_SITE_LIMIT) {
        g_set_error(error, GEN_ERROR, GEN_ERROR_LIMIT,
                    "%d prefixes per VPN site exceed Azure's limit of %d prefixes a VPN gateway accepts from one site; add "
                    "--lift-limits for a what-if scenario",
                    p->prefixes_per_site, GEN_VPN_SITE_LIMIT);
        return false;
    }
    return gen_check_gateway_limits(p, error);
}

static void gen_add_prefix(cJSON *arr, uint32_t addr, uint8_t len)
{
    char buf[PFX_STRLEN];
    cJSON_AddItemToArray(arr, cJSON_CreateString(pfx_format((ArPrefix){ addr, len }, buf)));
}

static void gen_add_ip(cJSON *obj, const char *key, uint32_t ip)
{
    char buf[IP_STRLEN];
    cJSON_AddStringToObject(obj, key, ip_format(ip, buf));
}

/* Appends n /24s carved from base + first * 256, in an order shuffled by rnd (Fisher-Yates). */
static cJSON *gen_prefix_block(GRand *rnd, uint32_t base, uint32_t first, uint32_t n)
{
    cJSON *arr = cJSON_CreateArray();
    if (n == 0)
        return arr;
    uint32_t *idx = g_new(uint32_t, n);
    for (uint32_t i = 0; i < n; i++)
        idx[i] = first + i;
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = (uint32_t)g_rand_int_range(rnd, 0, (gint32)(i + 1));
        uint32_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    for (uint32_t i = 0; i < n; i++)
        gen_add_prefix(arr, base + (idx[i] << 8), 24);
    g_free(idx);
    return arr;
}

static cJSON *gen_site(const char *name, uint32_t asn, cJSON *prefixes, cJSON *connection)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "name", name);
    cJSON_AddNumberToObject(s, "asn", (double)asn);
    cJSON_AddItemToObject(s, "addressPrefixes", prefixes);
    cJSON *conns = cJSON_AddArrayToObject(s, "connections");
    cJSON_AddItemToArray(conns, connection);
    return s;
}

/* The command line that rebuilds this document, for its description. */
static char *gen_describe(const ArGenParams *p)
{
    return g_strdup_printf("Generated by: arsim generate --spokes %d --nvas %d --routes-per-nva %d --er-prefixes %d "
                           "--circuit-sku %s --vpn-sites %d --prefixes-per-site %d%s%s --seed %u",
                           p->spokes, p->nvas, p->routes_per_nva, p->er_prefixes,
                           p->sku == GEN_SKU_PREMIUM ? "Premium" : "Standard", p->vpn_sites, p->prefixes_per_site,
                           p->branch_to_branch ? " --branch-to-branch" : "", p->lift_limits ? " --lift-limits" : "",
                           p->seed);
}

cJSON *gen_scenario(const ArGenParams *p, GError **error)
{
    if (!gen_check(p, error))
        return NULL;
    g_autoptr(GRand) rnd = g_rand_new_with_seed(p->seed);
    cJSON *doc = cJSON_CreateObject();
    g_autofree char *desc = gen_describe(p);
    g_autofree char *name = g_strdup_printf("Generated: %d spokes, %d NVAs x %d routes, %d ExpressRoute prefixes, "
                                            "%d VPN sites x %d prefixes",
                                            p->spokes, p->nvas, p->routes_per_nva, p->er_prefixes, p->vpn_sites,
                                            p->prefixes_per_site);
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddStringToObject(doc, "description", desc);
    if (p->lift_limits)
        cJSON_AddBoolToObject(cJSON_AddObjectToObject(doc, "settings"), "liftLimits", true);

    /* VNets: the hub, then the spokes using its gateways and Route Server. */
    cJSON *vnets = cJSON_AddArrayToObject(doc, "vnets");
    cJSON *hub = cJSON_CreateObject();
    cJSON_AddStringToObject(hub, "name", "hub");
    gen_add_prefix(cJSON_AddArrayToObject(hub, "addressPrefixes"), GEN_HUB_ADDR, 16);
    cJSON_AddItemToArray(vnets, hub);
    for (int k = 0; k < p->spokes; k++) {
        cJSON *v = cJSON_CreateObject();
        char vname[32];
        g_snprintf(vname, sizeof vname, "spoke%d", k + 1);
        cJSON_AddStringToObject(v, "name", vname);
        uint32_t addr = GEN_HUB_ADDR + ((uint32_t)(1 + k / 256) << 16) + ((uint32_t)(k % 256) << 8);
        gen_add_prefix(cJSON_AddArrayToObject(v, "addressPrefixes"), addr, 24);
        cJSON *peer = cJSON_CreateObject();
        cJSON_AddStringToObject(peer, "remoteVnet", "hub");
        cJSON_AddBoolToObject(peer, "useRemoteGateways", true);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(v, "peerings"), peer);
        cJSON_AddItemToArray(vnets, v);
    }

    cJSON *rs = cJSON_CreateObject();
    cJSON_AddStringToObject(rs, "name", "ars");
    cJSON_AddStringToObject(rs, "vnet", "hub");
    cJSON_AddBoolToObject(rs, "allowBranchToBranchTraffic", p->branch_to_branch);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "routeServers"), rs);

    cJSON *gws = cJSON_AddArrayToObject(doc, "gateways");
    if (p->er_prefixes > 0) {
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "name", "ergw");
        cJSON_AddStringToObject(g, "vnet", "hub");
        cJSON_AddStringToObject(g, "type", "ExpressRoute");
        cJSON_AddItemToArray(gws, g);
    }
    if (p->vpn_sites > 0) {
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "name", "vpngw");
        cJSON_AddStringToObject(g, "vnet", "hub");
        cJSON_AddStringToObject(g, "type", "Vpn");
        cJSON_AddBoolToObject(g, "activeActive", true);
        cJSON_AddNumberToObject(g, "asn", 65515);
        cJSON_AddItemToArray(gws, g);
    }

    cJSON *nvas = cJSON_AddArrayToObject(doc, "nvas");
    for (int i = 0; i < p->nvas; i++) {
        cJSON *n = cJSON_CreateObject();
        char nname[32];
        g_snprintf(nname, sizeof nname, "nva%d", i + 1);
        cJSON_AddStringToObject(n, "name", nname);
        cJSON_AddStringToObject(n, "vnet", "hub");
        gen_add_ip(n, "ipAddress", GEN_HUB_ADDR + ((uint32_t)(1 + i / 250) << 8) + (uint32_t)(4 + i % 250));
        cJSON_AddNumberToObject(n, "asn", (double)(GEN_NVA_ASN + (uint32_t)i));
        cJSON_AddStringToObject(n, "routeServer", "ars");
        cJSON_AddItemToArray(nvas, n);
    }

    /* Sites: the ExpressRoute site, one site behind each NVA, the VPN sites. Site ASNs are drawn
     * first, in a fixed order, so each part of the document depends on the seed alone. */
    cJSON *sites = cJSON_AddArrayToObject(doc, "sites");
    uint32_t er_asn = GEN_ER_ASN + (uint32_t)g_rand_int_range(rnd, 0, 1000000);
    if (p->er_prefixes > 0) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "expressRouteGateway", "ergw");
        cJSON_AddStringToObject(c, "circuitSku", p->sku == GEN_SKU_PREMIUM ? "Premium" : "Standard");
        cJSON *pfx = gen_prefix_block(rnd, GEN_ER_BASE, 0, (uint32_t)p->er_prefixes);
        cJSON_AddItemToArray(sites, gen_site("onprem-er", er_asn, pfx, c));
    }
    for (int i = 0; i < p->nvas; i++) {
        char sname[32], nname[32];
        g_snprintf(sname, sizeof sname, "branch%d", i + 1);
        g_snprintf(nname, sizeof nname, "nva%d", i + 1);
        uint32_t asn = GEN_NVA_SITE_ASN + (uint32_t)i * 1000u + (uint32_t)g_rand_int_range(rnd, 0, 1000);
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "nva", nname);
        cJSON *pfx = gen_prefix_block(rnd, GEN_NVA_BASE, (uint32_t)i * (uint32_t)p->routes_per_nva,
                                      (uint32_t)p->routes_per_nva);
        cJSON_AddItemToArray(sites, gen_site(sname, asn, pfx, c));
    }
    for (int i = 0; i < p->vpn_sites; i++) {
        char sname[32];
        g_snprintf(sname, sizeof sname, "vpnsite%d", i + 1);
        uint32_t asn = GEN_VPN_SITE_ASN + (uint32_t)i * 1000u + (uint32_t)g_rand_int_range(rnd, 0, 1000);
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "vpnGateway", "vpngw");
        cJSON_AddBoolToObject(c, "bgp", true);
        cJSON *pfx = gen_prefix_block(rnd, GEN_VPN_BASE, (uint32_t)i * (uint32_t)p->prefixes_per_site,
                                      (uint32_t)p->prefixes_per_site);
        cJSON_AddItemToArray(sites, gen_site(sname, asn, pfx, c));
    }
    return doc;
}
