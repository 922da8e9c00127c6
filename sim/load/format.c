/* format.c - scenario format v1 as one table: keys, types, defaults, bounds and words of each object. */
#include "format_keys.h"

#include "arsim/limits.h"
#include "arsim/names.h"

#include <glib.h>

/* A key with no default, no bounds and free text. */
#define K(key, type, req) { key, type, req, NULL, 0, 0, NULL, 0 }
/* An optional key with a default (JSON text). */
#define KD(key, type, dflt) { key, type, false, dflt, 0, 0, NULL, 0 }
/* An integer key with inclusive bounds. */
#define KI(key, req, dflt, lo, hi) { key, FMT_INT, req, dflt, lo, hi, NULL, 0 }
/* A string key that takes one of words. */
#define KW(key, req, dflt, words) { key, FMT_STRING, req, dflt, 0, 0, words, G_N_ELEMENTS(words) }
/* A duration's default as the docs write it: "\"180s\"". */
#define SECONDS(n) "\"" G_STRINGIFY(n) "s\""
#define MILLIS(n) "\"" G_STRINGIFY(n) "ms\""

#define ASN32_MAX 4294967295.0 /* any 32-bit ASN or value */

static const char *const gw_type_words[] = { "ExpressRoute", "Vpn" };                      /* ArGatewayType order */
static const char *const udr_type_words[] = { "VirtualAppliance", "VirtualNetworkGateway", "VnetLocal", "Internet",
                                              "None" };                                    /* ArUdrNextHop order */
static const char *const sku_words[] = { "Standard", "Premium" };                          /* ArCircuitSku order */
static const char *const direction_words[] = { "import", "export" };
static const char *const action_words[] = { "permit", "deny" };
static const char *const mode_words[] = { "silent", "graceful" };
static const char *const link_words[] = { "primary", "secondary" };                        /* ArCircuitLink order */

const char *const fmt_rs_fields[RSF_N] = { "allowBranchToBranchTraffic", "hubRoutingPreference", "nvaToNvaReflection",
                                           "routeLimitPerPeer" };

const ArFmtKey fmt_top_keys[TOP_N] = {
    [TOP_NAME] = K("name", FMT_STRING, false),
    [TOP_DESC] = K("description", FMT_STRING, false),
    [TOP_VNETS] = K("vnets", FMT_ARRAY, true),
    [TOP_RS] = KD("routeServers", FMT_ARRAY, "[]"),
    [TOP_GW] = KD("gateways", FMT_ARRAY, "[]"),
    [TOP_NVAS] = KD("nvas", FMT_ARRAY, "[]"),
    [TOP_SITES] = KD("sites", FMT_ARRAY, "[]"),
    [TOP_EVENTS] = KD("events", FMT_ARRAY, "[]"),
    [TOP_SETTINGS] = K("settings", FMT_OBJECT, false),
};

const ArFmtKey fmt_settings_keys[SET_N] = {
    [SET_LIFT] = KD("liftLimits", FMT_BOOL, "false"),
    [SET_LINK] = KD("linkDelay", FMT_TIME, MILLIS(AR_LINK_DELAY_MS)),
    [SET_PROC] = KD("processingDelay", FMT_TIME, MILLIS(AR_PROC_DELAY_MS)),
    [SET_JITTER] = KD("jitter", FMT_TIME, MILLIS(AR_JITTER_MS)),
    [SET_MRAI] = KD("mrai", FMT_TIME, "0"),
    [SET_HOLD] = KD("holdTime", FMT_TIME, SECONDS(AR_HOLD_TIME_S)),
    [SET_SETUP] = KD("sessionSetup", FMT_TIME, SECONDS(AR_SESSION_SETUP_S)),
    [SET_RETRY] = KD("retryAfterLimit", FMT_TIME, SECONDS(AR_RETRY_AFTER_LIMIT_S)),
    [SET_GWDOWN] = KD("gatewayDowntime", FMT_TIME, SECONDS(AR_GATEWAY_DOWNTIME_S)),
    [SET_MAXT] = KD("maxTime", FMT_TIME, SECONDS(AR_MAX_TIME_S)),
    [SET_MAXMEM] = KI("maxMemoryMiB", false, G_STRINGIFY(AR_MAX_MEMORY_MIB), 1, AR_MAX_MEMORY_MIB_MAX),
};

const ArFmtKey fmt_vnet_keys[VN_N] = {
    [VN_NAME] = K("name", FMT_STRING, true),
    [VN_PREFIXES] = K("addressPrefixes", FMT_ARRAY, true),
    [VN_PEERINGS] = KD("peerings", FMT_ARRAY, "[]"),
    [VN_SUBNETS] = KD("subnets", FMT_ARRAY, "[]"),
    [VN_COMMS] = K("bgpCommunities", FMT_OBJECT, false),
};

const ArFmtKey fmt_vnet_comm_keys[VC_N] = {
    [VC_VNET] = K("virtualNetworkCommunity", FMT_STRING, true),
    [VC_REGION] = K("regionalCommunity", FMT_STRING, false),
};

const ArFmtKey fmt_peering_keys[PR_N] = {
    [PR_REMOTE] = K("remoteVnet", FMT_STRING, true),
    [PR_USE] = KD("useRemoteGateways", FMT_BOOL, "false"),
    [PR_ALLOW] = KD("allowGatewayTransit", FMT_BOOL, "false"),
};

const ArFmtKey fmt_subnet_keys[SN_N] = {
    [SN_NAME] = K("name", FMT_STRING, true),
    [SN_PREFIX] = K("addressPrefix", FMT_STRING, true),
    [SN_RT] = K("routeTable", FMT_OBJECT, false),
};

const ArFmtKey fmt_route_table_keys[RT_N] = {
    [RT_NAME] = K("name", FMT_STRING, false),
    [RT_DISABLE] = KD("disableBgpRoutePropagation", FMT_BOOL, "false"),
    [RT_ROUTES] = KD("routes", FMT_ARRAY, "[]"),
};

const ArFmtKey fmt_udr_keys[UR_N] = {
    [UR_NAME] = K("name", FMT_STRING, false),
    [UR_PREFIX] = K("addressPrefix", FMT_STRING, true),
    [UR_TYPE] = KW("nextHopType", true, NULL, udr_type_words),
    [UR_IP] = K("nextHopIpAddress", FMT_STRING, false),
};

const ArFmtKey fmt_rs_keys[RS_N] = {
    [RS_NAME] = K("name", FMT_STRING, true),
    [RS_VNET] = K("vnet", FMT_STRING, true),
    [RS_B2B] = KD("allowBranchToBranchTraffic", FMT_BOOL, "false"),
    [RS_HRP] = KW("hubRoutingPreference", false, "\"ExpressRoute\"", names_hub_pref),
    [RS_LIMIT] = KI("routeLimitPerPeer", false, G_STRINGIFY(AR_RS_ROUTE_LIMIT), 1, AR_RS_ROUTE_LIMIT_MAX),
    [RS_REFLECT] = KD("nvaToNvaReflection", FMT_BOOL, "true"),
    [RS_IPS] = K("virtualRouterIps", FMT_ARRAY, false),
};

const ArFmtKey fmt_gw_keys[GW_N] = {
    [GW_NAME] = K("name", FMT_STRING, true),
    [GW_VNET] = K("vnet", FMT_STRING, true),
    [GW_TYPE] = KW("type", true, NULL, gw_type_words),
    [GW_AA] = KD("activeActive", FMT_BOOL, "false"),
    [GW_ASN] = KD("asn", FMT_INT, G_STRINGIFY(AR_ASN_ROUTE_SERVER)),
    [GW_IPS] = K("ipAddresses", FMT_ARRAY, false),
};

const ArFmtKey fmt_nva_keys[NV_N] = {
    [NV_NAME] = K("name", FMT_STRING, true),
    [NV_VNET] = K("vnet", FMT_STRING, true),
    [NV_IP] = K("ipAddress", FMT_STRING, true),
    [NV_ASN] = K("asn", FMT_INT, true),
    [NV_RS] = K("routeServer", FMT_STRING, false),
    [NV_NH] = K("nextHopIp", FMT_STRING, false),
    [NV_ADV] = KD("advertisedPrefixes", FMT_ARRAY, "[]"),
    [NV_POL] = KD("policies", FMT_ARRAY, "[]"),
    [NV_PEERS] = KD("bgpPeers", FMT_ARRAY, "[]"),
    [NV_HOLD] = K("holdTime", FMT_TIME, false), /* default: settings.holdTime */
    [NV_MRAI] = K("mrai", FMT_TIME, false),     /* default: settings.mrai */
    [NV_FROM] = K("routesFrom", FMT_OBJECT, false),
};

const ArFmtKey fmt_adv_keys[AP_N] = {
    [AP_PREFIX] = K("prefix", FMT_STRING, true),
    [AP_PATH] = KD("asPath", FMT_ARRAY, "[]"),
    [AP_COMM] = KD("communities", FMT_ARRAY, "[]"),
};

const ArFmtKey fmt_bgp_peer_keys[BP_N] = {
    [BP_NVA] = K("nva", FMT_STRING, true),
};

const ArFmtKey fmt_policy_keys[PO_N] = {
    [PO_PEER] = K("peer", FMT_STRING, false),
    [PO_DIR] = KW("direction", true, NULL, direction_words),
    [PO_MATCH] = K("match", FMT_OBJECT, false),
    [PO_ACTION] = KW("action", false, "\"permit\"", action_words),
    [PO_SET] = K("set", FMT_OBJECT, false),
};

const ArFmtKey fmt_match_keys[PM_N] = {
    [PM_PREFIX] = K("prefix", FMT_STRING, false),
    [PM_GE] = KI("ge", false, NULL, 0, 32), /* the lower bound is the length of "prefix" */
    [PM_LE] = KI("le", false, NULL, 0, 32), /* the lower bound is "ge" */
    [PM_AS] = KI("asPathContains", false, NULL, 0, ASN32_MAX),
    [PM_COMM] = K("community", FMT_STRING, false),
};

const ArFmtKey fmt_set_keys[PS_N] = {
    [PS_PREPEND] = KI("prepend", false, NULL, 1, AR_PREPEND_MAX),
    [PS_REMOVE] = KD("removePrivateAs", FMT_BOOL, "false"),
    [PS_REPLACE] = K("replaceAs", FMT_OBJECT, false),
    [PS_ADDCOMM] = K("addCommunities", FMT_ARRAY, false),
    [PS_LP] = KI("localPreference", false, NULL, 0, ASN32_MAX),
    [PS_NH] = K("nextHop", FMT_STRING, false),
};

const ArFmtKey fmt_replace_keys[RA_N] = {
    [RA_FROM] = KI("from", true, NULL, 1, ASN32_MAX),
    [RA_TO] = KI("to", true, NULL, 1, ASN32_MAX),
};

const ArFmtKey fmt_routes_from_keys[RF_N] = {
    [RF_MRT] = K("mrt", FMT_STRING, false),
    [RF_BGPDUMP] = K("bgpdump", FMT_STRING, false),
    [RF_PEER] = { "peer", FMT_ANY, false, NULL, 0, 65535, NULL, 0 }, /* an address, or a PEER_INDEX_TABLE index */
};

const ArFmtKey fmt_site_keys[ST_N] = {
    [ST_NAME] = K("name", FMT_STRING, true),
    [ST_ASN] = K("asn", FMT_INT, true),
    [ST_PREFIXES] = K("addressPrefixes", FMT_ARRAY, true),
    [ST_IP] = K("bgpPeeringAddress", FMT_STRING, false),
    [ST_CONNS] = K("connections", FMT_ARRAY, true),
    [ST_POL] = KD("policies", FMT_ARRAY, "[]"),
    [ST_HOLD] = K("holdTime", FMT_TIME, false), /* default: settings.holdTime */
    [ST_MRAI] = K("mrai", FMT_TIME, false),     /* default: settings.mrai */
    [ST_FROM] = K("routesFrom", FMT_OBJECT, false),
};

const ArFmtKey fmt_conn_keys[CN_N] = {
    [CN_NVA] = K("nva", FMT_STRING, false),
    [CN_ER] = K("expressRouteGateway", FMT_STRING, false),
    [CN_VPN] = K("vpnGateway", FMT_STRING, false),
    [CN_SKU] = KW("circuitSku", false, "\"Standard\"", sku_words),
    [CN_BGP] = KD("bgp", FMT_BOOL, "false"),
    [CN_CIRCUIT] = K("circuit", FMT_STRING, false),
    [CN_PRIMARY] = K("primaryPeerAddressPrefix", FMT_STRING, false),   /* default: chosen by the build */
    [CN_SECONDARY] = K("secondaryPeerAddressPrefix", FMT_STRING, false),
};

/* The actions' keys come from AR_SCN_EVENT_ACTIONS (arsim/scenario.h); the options' are here. */
#define EV_ACTION_KEY(kind, key, type, verb) [EV_##kind] = K(key, FMT_##type, false),
const ArFmtKey fmt_event_keys[EV_N] = {
    [EV_AT] = K("at", FMT_TIME, true),
    [EV_NOTE] = K("note", FMT_STRING, false),
    AR_SCN_EVENT_ACTIONS(EV_ACTION_KEY, AR_SCN_EVENT_NO_OPTION)
    [EV_VALUE] = K("value", FMT_ANY, false),
    [EV_MODE] = KW("mode", false, NULL, mode_words), /* silent for fail, graceful for the others */
    [EV_DURATION] = KD("duration", FMT_TIME, SECONDS(AR_MAINTENANCE_S)),
};

const ArFmtKey fmt_conn_ref_keys[CR_N] = {
    [CR_SITE] = K("site", FMT_STRING, true),
    [CR_TO] = K("to", FMT_STRING, true),
    [CR_LINK] = KW("link", false, NULL, link_words), /* absent: the whole connection */
};

const ArFmtKey fmt_prefix_change_keys[PC_N] = {
    [PC_NODE] = K("node", FMT_STRING, true),
    [PC_PREFIXES] = K("prefixes", FMT_ARRAY, true),
};

#define OBJ(def, section, keys) { def, section, keys, G_N_ELEMENTS(keys) }

static const ArFmtObject objects[] = {
    OBJ("", "Top level", fmt_top_keys),
    OBJ("settings", "settings", fmt_settings_keys),
    OBJ("vnet", "vnets", fmt_vnet_keys),
    OBJ("vnetBgpCommunities", "vnets", fmt_vnet_comm_keys),
    OBJ("peering", "peerings[]", fmt_peering_keys),
    OBJ("subnet", "subnets[]", fmt_subnet_keys),
    OBJ("routeTable", "subnets[]", fmt_route_table_keys),
    OBJ("udr", "subnets[]", fmt_udr_keys),
    OBJ("routeServer", "routeServers", fmt_rs_keys),
    OBJ("gateway", "gateways", fmt_gw_keys),
    OBJ("nva", "nvas", fmt_nva_keys),
    OBJ("advertisedPrefix", "nvas", fmt_adv_keys),
    OBJ("bgpPeer", "bgpPeers", fmt_bgp_peer_keys),
    OBJ("policy", "policies", fmt_policy_keys),
    OBJ("policyMatch", "policies", fmt_match_keys),
    OBJ("policySet", "policies", fmt_set_keys),
    OBJ("replaceAs", NULL, fmt_replace_keys),
    OBJ("routesFrom", "routesFrom", fmt_routes_from_keys),
    OBJ("site", "sites", fmt_site_keys),
    OBJ("connection", "connections[]", fmt_conn_keys),
    OBJ("event", "events", fmt_event_keys),
    OBJ("connectionRef", NULL, fmt_conn_ref_keys),
    OBJ("prefixChange", NULL, fmt_prefix_change_keys),
};

const ArFmtObject *fmt_objects(size_t *n)
{
    *n = G_N_ELEMENTS(objects);
    return objects;
}
