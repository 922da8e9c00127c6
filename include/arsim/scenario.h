/* scenario.h - the in-memory model of a scenario: Azure resources as the user described them. */
#ifndef ARSIM_SCENARIO_H
#define ARSIM_SCENARIO_H

#include "arsim/limits.h"
#include "arsim/names.h" /* ArHubPref and its names */
#include "arsim/prefix.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* The model is what the loader produces after validation: every reference is resolved to an
 * index into the owning array, every prefix and address is an integer. Nothing in it is
 * invented: defaults the docs define are filled in by the loader, everything derived (Route
 * Server instances, MSEEs, addresses Azure would assign) is made by the Azure stage (sim/azure/). */

#define AR_NO_INDEX (-1)           /* an optional reference that is absent */

typedef enum ArGatewayType {
    GW_EXPRESSROUTE = 0,
    GW_VPN,
} ArGatewayType;

typedef enum ArCircuitSku {
    SKU_STANDARD = 0, /* 4,000 prefixes from on-premises */
    SKU_PREMIUM,      /* 10,000 prefixes from on-premises */
} ArCircuitSku;

typedef enum ArConnKind {
    CONN_NVA = 0,  /* eBGP session between the site's router and an NVA */
    CONN_EXPRESSROUTE, /* a circuit (MSEE) to an ExpressRoute gateway */
    CONN_VPN,      /* an IPsec connection to a VPN gateway, with or without BGP */
} ArConnKind;

/* A VNet peering as listed under a VNet; it connects both VNets (Azure needs two peering
 * resources; the scenario lists one). */
typedef struct ArPeering {
    int remote;                 /* index of the remote VNet in ArScenario.vnets */
    bool use_remote_gateways;   /* this VNet uses the remote VNet's gateways and Route Server */
    bool allow_gateway_transit; /* this VNet lets the remote VNet use its gateways */
} ArPeering;

/* Next hop types of a user-defined route (Azure's names). */
typedef enum ArUdrNextHop {
    UDR_VIRTUAL_APPLIANCE = 0, /* "VirtualAppliance": an address (firewall, NVA) */
    UDR_GATEWAY,               /* "VirtualNetworkGateway": the VNet's (or hub's) VPN gateway */
    UDR_VNET_LOCAL,            /* "VnetLocal" */
    UDR_INTERNET,              /* "Internet" */
    UDR_NONE,                  /* "None": drop */
} ArUdrNextHop;

/* A user-defined route of a subnet's route table. */
typedef struct ArUdr {
    ArPrefix prefix;        /* addressPrefix */
    ArUdrNextHop type;      /* nextHopType */
    uint32_t ip;            /* nextHopIpAddress (VirtualAppliance only) */
} ArUdr;

/* A subnet; only subnets with a route table change what their VMs get. */
typedef struct ArSubnet {
    char *name;                  /* unique within its VNet */
    ArPrefix prefix;             /* addressPrefix, inside the VNet's space */
    bool has_route_table;        /* a route table is associated */
    bool disable_bgp;            /* routeTable.disableBgpRoutePropagation: no gateway or Route Server routes (INJ) */
    GArray *routes;              /* ArUdr, routeTable.routes in file order */
} ArSubnet;

typedef struct ArVnet {
    char *name;            /* unique among VNets */
    GArray *prefixes;      /* ArPrefix, addressPrefixes in file order */
    GArray *peerings;      /* ArPeering, as listed under this VNet */
    GPtrArray *subnets;    /* ArSubnet*, in file order */
    uint32_t community;    /* bgpCommunities.virtualNetworkCommunity (12076:N), 0 = none */
    uint32_t regional;     /* bgpCommunities.regionalCommunity (12076:50NNN), 0 = none */
} ArVnet;

typedef struct ArRouteServer {
    char *name;                 /* unique among route servers */
    int vnet;                   /* index of the VNet that holds its RouteServerSubnet */
    bool branch_to_branch;      /* allowBranchToBranchTraffic, default false (FAQ) */
    ArHubPref hub_pref;         /* hubRoutingPreference, default ExpressRoute (HRP) */
    uint32_t route_limit;       /* routes accepted per NVA peer before the session drops, default AR_RS_ROUTE_LIMIT (LIM) */
    bool reflect_nva_to_nva;    /* re-advertise one NVA's routes to the other NVAs, default true (LAB) */
    uint32_t ips[2];            /* virtualRouterIps of instances 0 and 1; 0 = let the build choose */
} ArRouteServer;

typedef struct ArGateway {
    char *name;          /* unique among gateways */
    int vnet;            /* index of the VNet that holds its GatewaySubnet */
    ArGatewayType type;  /* ExpressRoute or Vpn */
    bool active_active;  /* VPN: two instances; must be true beside a Route Server (ERVPN) */
    uint32_t asn;        /* VPN: its ASN, must be 65515 beside a Route Server (ERVPN); ER: 65515 */
    uint32_t ips[2];     /* instance addresses; 0 = let the build choose */
} ArGateway;

/* A route an NVA or site originates, with optional attributes. */
typedef struct ArOrigination {
    ArPrefix prefix;      /* the prefix announced */
    GArray *as_path;      /* uint32_t ASNs appended after the originator's own ASN, may be empty */
    GArray *communities;  /* uint32_t, (high 16 bits : low 16 bits), may be empty */
} ArOrigination;

/* One distinct attribute set of a route table read from a file (routesFrom): shared by every
 * route of the table that carries it, so a 1M-route table stores each set once. */
typedef struct ArTableAttrs {
    uint32_t path_at;    /* first ASN in ArRouteTable.asns */
    uint32_t path_len;   /* ASNs in the path (AS_SET members flattened in, confederation segments dropped) */
    uint32_t comm_at;    /* first community in ArRouteTable.comms */
    uint32_t comm_len;   /* communities */
    uint32_t med;        /* MULTI_EXIT_DISC, 0 when absent */
    uint8_t origin;      /* ORIGIN (ArOrigin), IGP when absent */
} ArTableAttrs;

/* One route of a file's table: 12 bytes. */
typedef struct ArTableRoute {
    ArPrefix prefix;     /* the prefix announced */
    uint32_t attrs;      /* index in ArRouteTable.attrs */
} ArTableRoute;

/* The routes a site or NVA announces from a file ("routesFrom": an MRT dump or bgpdump -m text),
 * filled by the MRT reader (include/arsim/mrt.h). Routes are ascending by prefix, one per prefix. */
typedef struct ArRouteTable {
    char *file;            /* the file read, as resolved (relative to the scenario's folder) */
    GArray *routes;        /* ArTableRoute, ascending by prefix key, no duplicates */
    GArray *attrs;         /* ArTableAttrs, distinct sets in order of first use */
    GArray *asns;          /* uint32_t: every set's AS path, back to back */
    GArray *comms;         /* uint32_t: every set's communities, back to back */
    uint64_t skipped_ipv6; /* IPv6 records (or lines) skipped: IPv6 is not modelled */
    uint64_t skipped_other;/* records of other types skipped (multicast, state changes, other MRT types) */
} ArRouteTable;

ArRouteTable *scn_route_table_new(const char *file);
void scn_route_table_free(ArRouteTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArRouteTable, scn_route_table_free)

/* One rule of a neighbour policy (route-map semantics): the first rule whose peer, direction and
 * match fit decides; a route no rule matches passes unchanged. */
typedef struct ArRmRule {
    char *peer;             /* neighbour name (a Route Server's name covers both instances); NULL = any */
    bool import;            /* applies to routes received (true) or sent (false) */
    bool deny;              /* action: drop the route */
    bool has_prefix;        /* match: prefix within prefix, length in [ge, le] */
    ArPrefix prefix;
    uint8_t ge, le;
    bool has_as;            /* match: the AS path holds as */
    uint32_t as;
    bool has_comm;          /* match: the route carries comm */
    uint32_t comm;
    uint8_t prepend;        /* set: own ASN prepended this many more times (export) */
    bool remove_private;    /* set: private ASNs removed (keeps our own ASN in front on export) */
    bool has_replace;       /* set: replace_from replaced by replace_to in the path */
    uint32_t replace_from, replace_to;
    GArray *add_comms;      /* set: communities added (uint32_t), may be NULL */
    bool has_local_pref;    /* set: LOCAL_PREF */
    uint32_t local_pref;
    bool has_next_hop;      /* set: NEXT_HOP */
    uint32_t next_hop;
} ArRmRule;

typedef struct ArNva {
    char *name;               /* unique among NVAs */
    int vnet;                 /* index of its VNet */
    uint32_t ip;              /* ipAddress: its BGP address */
    uint32_t next_hop;        /* nextHopIp: the next hop it advertises, default ip */
    uint32_t asn;             /* its ASN: 16-bit, not reserved (FAQ) */
    int route_server;         /* index of the Route Server it peers with, AR_NO_INDEX if none */
    GArray *originations;     /* ArOrigination, advertisedPrefixes in file order */
    GArray *policies;         /* ArRmRule, in order */
    GArray *bgp_peers;        /* int: indexes of NVAs it also peers with (bgpPeers) */
    uint64_t hold_time;       /* holdTime (microseconds); UINT64_MAX = settings.holdTime */
    uint64_t mrai;            /* mrai (microseconds); UINT64_MAX = settings.mrai */
    ArRouteTable *table;      /* routesFrom: routes read from a file, announced too; NULL when none */
} ArNva;

typedef struct ArConnection {
    ArConnKind kind;       /* which key named the target */
    int target;            /* index into nvas (CONN_NVA) or gateways (the others) */
    ArCircuitSku sku;      /* CONN_EXPRESSROUTE: circuitSku, default Standard */
    bool bgp;              /* CONN_VPN: BGP over the tunnel (true) or static prefixes (false) */
    char *circuit;         /* CONN_EXPRESSROUTE: circuit name; connections of a site with the same
                            * name share one circuit (one MSEE) to several gateways; NULL = own */
    int circuit_of;        /* CONN_EXPRESSROUTE: index (in the site's connections) of the connection
                            * whose circuit this one uses: itself, or an earlier one with the same name */
    ArPrefix link_prefix[2]; /* CONN_EXPRESSROUTE, on the circuit's first connection: the /30 of the
                            * primary and of the secondary link (primaryPeerAddressPrefix,
                            * secondaryPeerAddressPrefix); len 0 = let the build choose */
} ArConnection;

/* The two links of an ExpressRoute circuit (expressroute-routing.md: a primary and a secondary
 * /30, one BGP session each), in the order of ArConnection.link_prefix. */
typedef enum ArCircuitLink {
    LINK_PRIMARY = 0,
    LINK_SECONDARY,
} ArCircuitLink;

/* Suffix of each link's MSEE node name ("msee/SITE/primary"), ArCircuitLink order. */
extern const char *const scn_link_names[2];

typedef struct ArSite {
    char *name;            /* unique among sites */
    uint32_t asn;          /* its ASN */
    GArray *prefixes;      /* ArPrefix, addressPrefixes it originates */
    GArray *connections;   /* ArConnection, in file order */
    uint32_t ip;           /* bgpPeeringAddress; 0 = let the build choose */
    GArray *policies;      /* ArRmRule, in order */
    uint64_t hold_time;    /* holdTime (microseconds); UINT64_MAX = settings.holdTime */
    uint64_t mrai;         /* mrai (microseconds); UINT64_MAX = settings.mrai */
    ArRouteTable *table;   /* routesFrom: routes read from a file, announced too; NULL when none */
} ArSite;

/* Timing and limits of the simulation (top-level "settings"). Times in microseconds. */
typedef struct ArSettings {
    bool lift_limits;           /* liftLimits: ignore Azure's limits (peers, routes) for what-if runs */
    uint64_t link_delay;        /* linkDelay: one-way message delay, default 10 ms */
    uint64_t proc_delay;        /* processingDelay: a speaker batches changes this long, default 1 ms */
    uint64_t jitter;            /* jitter: up to this much extra delay per message, seeded, default 5 ms */
    uint64_t mrai;              /* mrai: min interval between UPDATEs to one peer, default 0 */
    uint64_t hold_time;         /* holdTime: BGP hold time, default 180 s (FAQ); keepalive is a third */
    uint64_t session_setup;     /* sessionSetup: from connect to Established, default 5 s */
    uint64_t retry_after_limit; /* retryAfterLimit: idle time after a route-limit drop, default 60 s */
    uint64_t gateway_downtime;  /* gatewayDowntime: gateways down on Route Server create/delete, default 10 m (FAQ) */
    uint64_t max_time;          /* maxTime: stop when still changing this long after the last event, default 1 h */
    uint64_t max_memory_mib;    /* maxMemoryMiB: refuse scenarios estimated to need more, default 16384 */
} ArSettings;

/* The event actions: the one list that ArScnEventKind, the format table's event keys
 * (sim/load/format_keys.h, format.c), the validator's actions and its timeline labels
 * (sim/load/validate_events.c) are made from. An event object has "at", "note", then these keys in
 * this order (the order messages list them). ACTION(KIND, key, TYPE, verb): the kind SEV_KIND, the
 * key that names it in a file, its JSON type (FMT_TYPE in arsim/format.h), the words of its
 * timeline label after the node ("sdwan fails"). OPTION(NAME): a key that modifies actions, placed
 * after the first action it goes with; its type is format.c's (EV_NAME). A new kind is one ACTION
 * line, its case in vd_events (sim/load/validate_events.c) and its case in apply
 * (sim/azure/events.c); the compiler's -Wswitch points to both. */
#define AR_SCN_EVENT_ACTIONS(ACTION, OPTION)                                                            \
    ACTION(SET, "set", STRING, "set")                      /* change a Route Server setting */          \
    OPTION(VALUE)                                          /* set: the new value */                     \
    ACTION(FAIL, "fail", STRING, "fails")                  /* a node fails (silent or graceful) */      \
    OPTION(MODE)                                           /* fail*: "silent" or "graceful" */          \
    ACTION(RESTORE, "restore", STRING, "restored")         /* a failed node comes back */               \
    ACTION(FAIL_SESSION, "failSession", ARRAY, "session fails")              /* one BGP session fails */ \
    ACTION(RESTORE_SESSION, "restoreSession", ARRAY, "session restored")     /* it comes back */        \
    ACTION(FAIL_CONNECTION, "failConnection", OBJECT, "connection fails")    /* a site's connection */  \
    ACTION(RESTORE_CONNECTION, "restoreConnection", OBJECT, "connection restored") /* it comes back */  \
    ACTION(ANNOUNCE, "announce", OBJECT, "announces")      /* a site or NVA starts originating */       \
    ACTION(WITHDRAW, "withdraw", OBJECT, "withdraws")      /* it stops */                               \
    ACTION(CREATE_RS, "createRouteServer", STRING, "Route Server created") /* deployed, absent before */ \
    ACTION(DELETE_RS, "deleteRouteServer", STRING, "Route Server deleted") /* deleted */                \
    ACTION(MAINTENANCE, "maintenance", STRING, "maintenance") /* one instance down for a while */       \
    OPTION(DURATION)                                       /* maintenance: how long */

/* What a timed event does: SEV_ and each ACTION's KIND, in list order (SEV_SET = 0). */
#define AR_SCN_EVENT_KIND(kind, key, type, verb) SEV_##kind,
#define AR_SCN_EVENT_NO_OPTION(name)
typedef enum ArScnEventKind {
    AR_SCN_EVENT_ACTIONS(AR_SCN_EVENT_KIND, AR_SCN_EVENT_NO_OPTION)
} ArScnEventKind;

/* Route Server settings a SEV_SET can change while the simulation runs. */
typedef enum ArRsField {
    RSF_BRANCH_TO_BRANCH = 0, /* allowBranchToBranchTraffic */
    RSF_HUB_PREF,             /* hubRoutingPreference */
    RSF_REFLECT_NVA,          /* nvaToNvaReflection */
    RSF_ROUTE_LIMIT,          /* routeLimitPerPeer */
} ArRsField;

typedef struct ArScnEvent {
    uint64_t at;            /* when, microseconds from the start */
    ArScnEventKind kind;    /* what */
    char *node;             /* node (or Route Server, or site) named by the event */
    char *peer;             /* the session's other end, or the connection's target */
    int link;               /* FAIL/RESTORE_CONNECTION of a circuit: the ArCircuitLink named by "link",
                             * or -1 for the whole connection */
    bool graceful;          /* fail: "graceful" (NOTIFICATION) rather than "silent" (hold timer) */
    int rs;                 /* SEV_SET / CREATE / DELETE: Route Server index */
    ArRsField field;        /* SEV_SET: which setting */
    uint32_t value;         /* SEV_SET: new value (bool, ArHubPref or a count) */
    GArray *prefixes;       /* ANNOUNCE / WITHDRAW: ArPrefix */
    uint64_t duration;      /* MAINTENANCE: how long */
    char *label;            /* what the timeline says, e.g. "sdwan fails (silent)" */
    int order;              /* position in the file: equal times keep file order */
} ArScnEvent;

typedef struct ArScenario {
    char *name;            /* optional display name */
    char *description;     /* optional free text */
    char *file;            /* file it was loaded from (for messages) */
    GPtrArray *vnets;          /* ArVnet* */
    GPtrArray *route_servers;  /* ArRouteServer* */
    GPtrArray *gateways;       /* ArGateway* */
    GPtrArray *nvas;           /* ArNva* */
    GPtrArray *sites;          /* ArSite* */
    ArSettings settings;       /* timing and limits */
    GArray *events;            /* ArScnEvent, sorted by time (file order for equal times) */
} ArScenario;

ArScenario *scn_new(void);
void scn_settings_default(ArSettings *st);
void scn_free(ArScenario *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArScenario, scn_free)

/* Constructors used by the loader: each returns an object owned by the scenario. */
ArVnet *scn_add_vnet(ArScenario *s, const char *name);
ArSubnet *scn_add_subnet(ArVnet *v, const char *name);
ArRouteServer *scn_add_route_server(ArScenario *s, const char *name);
ArGateway *scn_add_gateway(ArScenario *s, const char *name);
ArNva *scn_add_nva(ArScenario *s, const char *name);
ArSite *scn_add_site(ArScenario *s, const char *name);

/* Index of the named object, AR_NO_INDEX if absent. O(n): used by the loader only. */
int scn_find(GPtrArray *objs, const char *name);

/* The VNet whose gateways and Route Server serve VNet v: v itself when it holds any, else the
 * VNet it peers with useRemoteGateways; AR_NO_INDEX when none. O(resources + peerings). */
int scn_hub_of(const ArScenario *s, int v);
/* Name of the circuit of connection k of site st (an ExpressRoute connection): "msee/SITE" when
 * the site has one circuit, else "msee/SITE/CIRCUIT" or "msee/SITE/GATEWAY"; its two MSEE speakers
 * add "/primary" and "/secondary" (scn_link_names). g_free it. */
char *scn_msee_name(const ArScenario *s, const ArSite *st, guint k);

/* What a command builds from a scenario, for scn_estimate_bytes (commands pass it to the loader
 * in ArLoadOptions.estimate_for). */
typedef enum ScnEstimateFor {
    SCN_EST_RUN = 0,       /* one run, outputs streamed: run (text and --json), check, live, validate */
    SCN_EST_RUN_CSV,       /* one run and the reach matrix its reachability rows come from: run --csv */
    SCN_EST_GRAPH,         /* one run and its Graphviz diagram: graph */
    SCN_EST_TRACE,         /* one run and the forwarding tables of one walk: trace */
    SCN_EST_REPORT,        /* one run, the reach matrix, forwarding tables, the page's data: report */
    SCN_EST_COMPARE,       /* two runs alive at once and two reach matrices: compare */
    SCN_EST_REPORT_COMPARE, /* report --compare / --compare-set: a compare and the report's page */
    SCN_EST_N              /* number of values */
} ScnEstimateFor;

/* The command a ScnEstimateFor stands for, as in messages: "run", "graph", "report"... */
const char *scn_estimate_name(ScnEstimateFor what);

/* The peak memory, in bytes, that the command `what` needs on s: the engine's tables (each prefix
 * once per session it crosses and per speaker holding it), the effective routes, and what the
 * command adds (a second run, forwarding tries, the reach matrix, the report's page), from the
 * data-structure sizes and the measurements stated beside the constants in scenario.c
 * (tools/estimate-check.sh compares it with real peaks: 1-3x above them). Linear in the objects.
 * The loader refuses a scenario above settings.maxMemoryMiB, so that a small file cannot ask for
 * more memory than the machine has. */
uint64_t scn_estimate_bytes(const ArScenario *s, ScnEstimateFor what);

/* The speaker with the most BGP sessions once the scenario is built, as sim/azure/build.c makes
 * them: a Route Server instance (its NVAs, and both instances of each gateway in its VNet), a
 * gateway instance (the Route Servers beside it, its circuits or BGP tunnels), an NVA (its Route
 * Server's two instances, bgpPeers both ways, sites), a site (its NVAs, circuits, tunnels) or an
 * ExpressRoute circuit's MSEE (its site and gateways). Returns that count; *section is the
 * scenario array the speaker comes from ("routeServers", "gateways", "nvas", "sites"; an MSEE
 * counts as its site) and *index its position there. O(objects + connections + bgpPeers). */
uint64_t scn_most_peers(const ArScenario *s, const char **section, guint *index);

/* True when VNet a and b are peered (listed under either). */
bool scn_vnets_peered(const ArScenario *s, int a, int b);

#endif
