/* format_keys.h - the format table's keys by position, for the validator (sim/load/format.c). */
#ifndef ARSIM_FORMAT_KEYS_H
#define ARSIM_FORMAT_KEYS_H

#include "arsim/format.h"
#include "arsim/scenario.h"

/* Each object's keys, in table order: fmt_KIND_keys[X_KEY] is key X_KEY of that kind. The table
 * is written with these as designated indices, so a key cannot move without its name. */
enum { TOP_NAME, TOP_DESC, TOP_VNETS, TOP_RS, TOP_GW, TOP_NVAS, TOP_SITES, TOP_EVENTS, TOP_SETTINGS, TOP_N };
enum { SET_LIFT, SET_LINK, SET_PROC, SET_JITTER, SET_MRAI, SET_HOLD, SET_SETUP, SET_RETRY, SET_GWDOWN, SET_MAXT,
       SET_MAXMEM, SET_N };
enum { VN_NAME, VN_PREFIXES, VN_PEERINGS, VN_SUBNETS, VN_COMMS, VN_N };
enum { VC_VNET, VC_REGION, VC_N }; /* bgpCommunities */
enum { PR_REMOTE, PR_USE, PR_ALLOW, PR_N };
enum { SN_NAME, SN_PREFIX, SN_RT, SN_N };
enum { RT_NAME, RT_DISABLE, RT_ROUTES, RT_N };
enum { UR_NAME, UR_PREFIX, UR_TYPE, UR_IP, UR_N };
enum { RS_NAME, RS_VNET, RS_B2B, RS_HRP, RS_LIMIT, RS_REFLECT, RS_IPS, RS_N };
enum { GW_NAME, GW_VNET, GW_TYPE, GW_AA, GW_ASN, GW_IPS, GW_N };
enum { NV_NAME, NV_VNET, NV_IP, NV_ASN, NV_RS, NV_NH, NV_ADV, NV_POL, NV_PEERS, NV_HOLD, NV_MRAI, NV_FROM, NV_N };
enum { AP_PREFIX, AP_PATH, AP_COMM, AP_N };
enum { BP_NVA, BP_N };
enum { PO_PEER, PO_DIR, PO_MATCH, PO_ACTION, PO_SET, PO_N };
enum { PM_PREFIX, PM_GE, PM_LE, PM_AS, PM_COMM, PM_N };
enum { PS_PREPEND, PS_REMOVE, PS_REPLACE, PS_ADDCOMM, PS_LP, PS_NH, PS_N };
enum { RA_FROM, RA_TO, RA_N };
enum { RF_MRT, RF_BGPDUMP, RF_PEER, RF_N };
enum { ST_NAME, ST_ASN, ST_PREFIXES, ST_IP, ST_CONNS, ST_POL, ST_HOLD, ST_MRAI, ST_FROM, ST_N };
enum { CN_NVA, CN_ER, CN_VPN, CN_SKU, CN_BGP, CN_CIRCUIT, CN_PRIMARY, CN_SECONDARY, CN_N };
/* An event's keys: "at", "note", then each action (EV_KIND, as ArScnEventKind's SEV_KIND) and option
 * (EV_NAME) in the order of arsim/scenario.h's AR_SCN_EVENT_ACTIONS. */
#define EV_KEY(kind, key, type, verb) EV_##kind,
#define EV_OPTION_KEY(name) EV_##name,
enum { EV_AT, EV_NOTE, AR_SCN_EVENT_ACTIONS(EV_KEY, EV_OPTION_KEY) EV_N };
enum { CR_SITE, CR_TO, CR_LINK, CR_N };
enum { PC_NODE, PC_PREFIXES, PC_N };
/* Fields an event's "set" may change, in the order of ArRsField. */
enum { RSF_N = 4 };

#define FMT_MAX_KEYS EV_N /* keys of the largest object kind (events) */

extern const ArFmtKey fmt_top_keys[TOP_N], fmt_settings_keys[SET_N], fmt_vnet_keys[VN_N], fmt_vnet_comm_keys[VC_N], fmt_peering_keys[PR_N],
    fmt_subnet_keys[SN_N], fmt_route_table_keys[RT_N], fmt_udr_keys[UR_N], fmt_rs_keys[RS_N], fmt_gw_keys[GW_N],
    fmt_nva_keys[NV_N], fmt_adv_keys[AP_N], fmt_bgp_peer_keys[BP_N], fmt_policy_keys[PO_N], fmt_match_keys[PM_N],
    fmt_set_keys[PS_N], fmt_replace_keys[RA_N], fmt_routes_from_keys[RF_N], fmt_site_keys[ST_N], fmt_conn_keys[CN_N],
    fmt_event_keys[EV_N], fmt_conn_ref_keys[CR_N], fmt_prefix_change_keys[PC_N];

/* The Route Server fields an event's "set" may change (ArRsField order) and the key of each. */
extern const char *const fmt_rs_fields[RSF_N];

#endif
