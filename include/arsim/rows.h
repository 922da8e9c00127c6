/* rows.h - a run's results as flat rows that any output walks: node routes, effective routes, reachability. */
#ifndef ARSIM_ROWS_H
#define ARSIM_ROWS_H

#include "arsim/reach.h"
#include "arsim/results.h"

#include <stdbool.h>

/* Each walk calls fn once per row, in the order every printed table uses, and keeps nothing:
 * memory is one row (plus one node's sorted prefix keys for node routes), whatever the run's
 * size. The pointers in a row stay valid as long as the run (or the matrix). Rows hold values, not
 * text: formatting is the output's (sim/output/). */

/* One path a node holds for a prefix. */
typedef struct ArRouteRow {
    const ArSpeaker *node;  /* the speaker holding the path */
    ArPrefix prefix;        /* the path's prefix */
    const ArRoute *route;   /* the path: route->attrs holds its AS path, next hop, weight, local
                             * preference and communities */
    const ArSpeaker *from;  /* the peer it was learned from; NULL when the node originates it */
    const char *origin;     /* Azure's "origin" column (how the path entered the node, not BGP's
                             * ORIGIN): "Igp" originated, "EBgp", "IBgp" (static string) */
    bool best;              /* the node's best path for the prefix */
} ArRouteRow;

/* One effective route of a VNet's (or a subnet's with a route table) VMs. */
typedef struct ArEffRow {
    const ArEffTable *table; /* the table: eff_table_name names it ("VNET" or "VNET/SUBNET") */
    const ArEffRoute *route; /* the route: prefix, source, next hop type, next hop IPs, via, AS path */
} ArEffRow;

/* One pair of endpoints of the reachability matrix, both directions. */
typedef struct ArReachRow {
    const ArReachEndpoint *a;  /* the endpoint first in the matrix's order */
    const ArReachEndpoint *b;  /* the other */
    const ArReachCell *cell;   /* forward: a -> b delivered; back: b -> a; reachable; asymmetric */
} ArReachRow;

typedef void (*ArRouteRowFn)(const ArRouteRow *row, void *user);
typedef void (*ArEffRowFn)(const ArEffRow *row, void *user);
typedef void (*ArReachRowFn)(const ArReachRow *row, void *user);

/* Azure's origin column of what sp learns from its peer number peer: "Igp" for PEER_LOCAL
 * (originated by sp), else "EBgp" or "IBgp" by the session. O(1). */
const char *rows_peer_origin(const ArSpeaker *sp, uint16_t peer);
/* The origin column of path r held by sp: rows_peer_origin of the peer it came from. O(1). */
const char *rows_route_origin(const ArSpeaker *sp, const ArRoute *r);

/* Every path of node sp (only those for exactly *prefix when prefix is not NULL): prefixes
 * ascending, each prefix's paths in RIB order. O(R log R) to sort sp's R prefixes. */
void rows_node_routes(const ArSpeaker *sp, const ArPrefix *prefix, ArRouteRowFn fn, void *user);
/* The same for every node of the run, in the engine's speaker order (only the speakers node names
 * when node is not NULL: rows_node_speakers). */
void rows_routes(const ArRun *run, const char *node, const ArPrefix *prefix, ArRouteRowFn fn, void *user);

/* The speakers a node name (`run --node NAME`) stands for, as the scenario's events name them
 * (azure_resolve): the speaker of that name, else every instance of the Route Server, gateway or
 * ExpressRoute circuit of that name ("ars" -> ars/0, ars/1; "msee/dc" -> msee/dc/primary,
 * msee/dc/secondary), in the engine's speaker order. Empty when it names no speaker (a VNet, a
 * subnet, a mistake); NULL when node is NULL (every speaker). O(1) expected. */
GPtrArray *rows_node_speakers(const ArRun *run, const char *node);
/* Whether keep (rows_node_speakers) holds sp; a NULL keep holds every speaker. O(1): keep holds
 * at most two. */
bool rows_keeps_speaker(const GPtrArray *keep, const ArSpeaker *sp);

/* Every route of table t (only those for exactly *prefix when prefix is not NULL), ascending.
 * O(1) amortised per route (ArEffIter: no copy). */
void rows_table_routes(const ArEffTable *t, const ArPrefix *prefix, ArEffRowFn fn, void *user);
/* The same for every table of the run at its end (run->eff: VNets in scenario order, then subnets
 * with a route table). */
void rows_effective(const ArRun *run, const ArPrefix *prefix, ArEffRowFn fn, void *user);

/* Every pair (i, j), i < j, of m's endpoints, in the matrix's order (VNets, then sites). O(E^2). */
void rows_reach(const ArReachMatrix *m, ArReachRowFn fn, void *user);

#endif
