/* results.h - what a converged run means for VMs: effective routes per VNet. */
#ifndef ARSIM_RESULTS_H
#define ARSIM_RESULTS_H

#include "arsim/azure.h"

typedef enum ArNextHopType {
    NH_VNET_LOCAL = 0,   /* "VnetLocal": the VNet's own space */
    NH_VNET_PEERING,     /* "VNetPeering": a peered VNet's space */
    NH_GATEWAY,          /* "VirtualNetworkGateway": learned over BGP (gateways, Route Server) */
    NH_INTERNET,         /* "Internet": the default route */
    NH_NONE,             /* "None": Azure's default drop routes for private ranges */
    NH_VIRTUAL_APPLIANCE,/* "VirtualAppliance": a user-defined route to an address */
} ArNextHopType;

/* Where a BGP effective route came from, which decides preference (HRP). */
typedef enum ArRouteClass {
    CLASS_SYSTEM = 0,    /* not learned over BGP */
    CLASS_EXPRESSROUTE,  /* injected by the ExpressRoute gateway */
    CLASS_VPN,           /* injected by the VPN gateway */
    CLASS_NVA,           /* injected by the Route Server from an NVA */
    CLASS_USER,          /* a user-defined route of the subnet's route table */
} ArRouteClass;

/* One effective route of a VNet's VMs (what Azure shows for a NIC). */
typedef struct ArEffRoute {
    ArPrefix prefix;         /* address prefix */
    ArNextHopType type;      /* next hop type */
    ArRouteClass cls;        /* source class */
    GArray *next_hops;       /* uint32_t next hop IPs, ascending; several = ECMP; empty for system routes */
    GPtrArray *via;          /* const ArSpeaker* that injected or leads to it, in next_hops order */
    const ArAsPath *path;    /* AS path as learned by the injector; NULL for system routes */
    int peer_vnet;           /* NH_VNET_PEERING: index of the peered VNet, else AR_NO_INDEX */
} ArEffRoute;

/* ---- Shared effective-route tables (equivalence classes) ------------------------------------
 * VNets whose route inputs are identical (served by the same hub's injectors, or by none) get the
 * same BGP routes and the same Azure defaults. eff_compute computes that part ONCE per class, as
 * an ArEffShared, and gives each VNet only what is its own on top of it:
 *
 *     routes of VNet v  =  (shared->routes  minus  the indexes in t->hidden)  merged with  t->own
 *
 * where own holds v's system routes (its space, its peered VNets' spaces, an Azure default that a
 * shadowed BGP route had replaced) and hidden the shared BGP routes that v's own spaces shadow.
 * Both lists are sorted like a table (prefix, then next-hop type); the merge puts an own route
 * before a shared one that compares equal. A subnet with a route table is standalone (shared NULL,
 * own = every route). Readers that want one flat array call eff_table_routes (materialised on
 * first use, O(R) memory per table); readers that walk a table use ArEffIter (no copy); readers
 * that print or group per class use eff_shared_list and t->shared/own/hidden directly. */

/* The routes one equivalence class of VNets has in common. Read-only once computed. */
typedef struct ArEffShared {
    int id;          /* 0, 1, ...: position in eff_shared_list (order of the first member VNet) */
    int hub;         /* VNet whose gateways/Route Server give these routes; AR_NO_INDEX: VNets without a hub */
    GArray *routes;  /* ArEffRoute, ascending: the hub's BGP routes and Azure's defaults not replaced by one */
    GArray *members; /* int: indexes of the VNets layered on it, ascending */
} ArEffShared;

/* Effective routes of one VNet (or subnet with a route table): a layer over a shared table. */
typedef struct ArEffTable {
    int vnet;                  /* index in scn->vnets */
    int subnet;                /* index in the VNet's subnets for a subnet with a route table, else AR_NO_INDEX */
    int hub;                   /* VNet whose gateways/Route Server serve it, AR_NO_INDEX if none */
    const ArEffShared *shared; /* the class's common routes; NULL for a standalone (subnet) table */
    GArray *own;               /* ArEffRoute, ascending: routes of this table alone (all of them when standalone) */
    GArray *hidden;            /* guint, ascending: indexes in shared->routes this table does not have */
    guint len;                 /* routes in the table: shared->routes->len - hidden->len + own->len */
} ArEffTable;

/* Walks one table's routes in order without copying them: O(1) amortised per route. */
typedef struct ArEffIter {
    const ArEffTable *t;  /* table walked */
    guint s;              /* next index in t->shared->routes */
    guint h;              /* next index in t->hidden */
    guint o;              /* next index in t->own */
} ArEffIter;

void eff_iter_init(ArEffIter *it, const ArEffTable *t);
/* The next route, NULL after the last. The pointer stays valid as long as the table. */
const ArEffRoute *eff_iter_next(ArEffIter *it);

/* Every route of t as one ascending array of ArEffRoute (what Azure shows for a NIC), built on the
 * first call and kept with the table: O(R) time and memory once. Prefer ArEffIter for one pass. */
const GArray *eff_table_routes(const ArEffTable *t);

/* The distinct shared tables of a computation (eff_compute's or run->eff), ArEffShared* by id.
 * The array is the caller's (g_ptr_array_unref); the tables are the computation's. O(T). */
GPtrArray *eff_shared_list(const GPtrArray *tables);

/* Computes every VNet's effective routes from the converged RIBs. Returns ArEffTable*, one per
 * VNet in scenario order (index = VNet index), then one per subnet with a route table. Each hub's
 * routes are computed and stored once, whatever the number of VNets it serves: O(R log R) in the
 * routes held by the hub's injectors, plus O(S log R) per VNet for its S own system routes. */
GPtrArray *eff_compute(const ArNet *net);

const char *eff_nh_type_name(ArNextHopType t);
/* "VNET" or "VNET/SUBNET". g_free it. */
char *eff_table_name(const ArScenario *scn, const ArEffTable *t);
const char *eff_source_name(const ArEffRoute *r); /* "Default", "VirtualNetworkGateway" or "User" */

/* Index of the first route of routes (ArEffRoute, ascending as a table) whose prefix key
 * (pfx_key) is >= key; routes->len when none. O(log n). */
guint eff_lower_bound(const GArray *routes, uint64_t key);

/* The route of table t whose prefix is exactly p, NULL if none (the own route first when both
 * have one). O(log n), without materialising the table. */
const ArEffRoute *eff_find(const ArEffTable *t, ArPrefix p);
/* The route of table t with the longest prefix covering all of p (p itself included): where
 * traffic to p goes. NULL if none. O(33 log n): one exact lookup per candidate length. */
const ArEffRoute *eff_match(const ArEffTable *t, ArPrefix p);

/* How one prefix crossed (or did not cross) one direction of one session. */
typedef enum ArPropState {
    PROP_SENT = 0,     /* advertised and accepted */
    PROP_NOT_SENT,     /* the sender's export policy kept it back */
    PROP_REJECTED,     /* sent, refused by the receiver's import policy */
    PROP_DOWN,         /* the session is not established */
} ArPropState;

typedef struct ArPropEdge {
    const ArSpeaker *from;   /* speaker holding a best path for the prefix */
    const ArSpeaker *to;     /* its peer */
    ArPropState state;       /* what happened */
    const char *why;         /* static reason for NOT_SENT / REJECTED, session reason for DOWN */
    bool to_best;            /* the receiver's best path came from this sender */
} ArPropEdge;

/* One simulation run and what it concluded (made and freed by the run stage, run.h). */
typedef struct ArRun {
    ArNet *net;           /* the network, converged (or stopped) */
    GPtrArray *epoch_eff; /* per epoch of net->epochs: its effective routes when it ended (eff_compute's
                           * GPtrArray of ArEffTable*), owned; NULL in a view made by hand (sweep) */
    GPtrArray *eff;       /* ArEffTable*, per VNet in scenario order, at the end: the last of epoch_eff */
    ArRunEnd end;         /* how the run ended */
} ArRun;

/* Explains, for every session direction whose sender holds a path for p not learned from that
 * receiver, whether p crossed and
 * why not, by asking the same policies the engine used. O(sessions). ArPropEdge array. */
GArray *prop_explain(const ArRun *run, ArPrefix p);

#endif
