/* reach.h - data-plane walks over a converged run: trace a packet hop by hop, who reaches whom. */
#ifndef ARSIM_REACH_H
#define ARSIM_REACH_H

#include "arsim/fib.h"
#include "arsim/results.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define REACH_MAX_HOPS 64 /* a walk longer than this stops with REACH_HOP_LIMIT */

/* How a walk ended. */
typedef enum ArReachVerdict {
    REACH_DELIVERED = 0, /* arrived at a VNet holding the address, or the site / NVA owning it */
    REACH_NO_ROUTE,      /* no matching route at a node (or a next hop no node owns) */
    REACH_DROPPED,       /* matched Azure's default None route at a VNet: black hole */
    REACH_INTERNET,      /* matched a VNet's Internet route: leaves the modelled network */
    REACH_LOOP,          /* came back to a node already visited */
    REACH_HOP_LIMIT,     /* more than REACH_MAX_HOPS hops */
    REACH_DOWN,          /* reached a node that is down, or a link (session) failed by an event */
} ArReachVerdict;

/* A place a packet can be: a BGP speaker or a VNet's fabric (its VMs' effective routes). */
typedef struct ArReachNode {
    bool is_vnet;               /* true: a VNet; false: a speaker */
    int vnet;                   /* is_vnet: index in scn->vnets */
    const ArSpeaker *sp;        /* !is_vnet: the speaker */
} ArReachNode;

/* One hop of a walk: the node, the route it used, where the packet went next. */
typedef struct ArReachHop {
    ArReachNode node;           /* where the packet is */
    char *name;                 /* node name (speaker or VNet name) */
    bool matched;               /* a route matched the destination */
    ArPrefix prefix;            /* matched: the longest matching prefix */
    bool has_next_hop;          /* next_hop is meaningful */
    uint32_t next_hop;          /* BGP next hop, or the effective route's first next hop IP */
    char *as_path;              /* AS path of the route used, Azure style ("" when empty), NULL if none */
    const char *nh_type;        /* VNet hops: effective next hop type name; NULL at speakers */
    char *from;                 /* speaker hops: peer the route was learned from, NULL when local */
    char *next;                 /* name of the next node, NULL when the walk ends here */
    GPtrArray *ecmp;            /* char*: the other equal-cost next hops ("10.1.1.5 (nva2)"), not taken */
    char *note;                 /* why the packet went where it went, NULL when obvious */
} ArReachHop;

/* A walk from a node toward one address. */
typedef struct ArTrace {
    char *from;                 /* start node name */
    uint32_t to;                /* destination address */
    GArray *hops;               /* ArReachHop, in order */
    ArReachVerdict verdict;     /* how it ended */
    char *at;                   /* node where it ended (delivered at, no route at, dropped at) */
    char *cycle;                /* REACH_LOOP: "X-Y-X" */
} ArTrace;

/* An endpoint of the reachability matrix: a site or a VNet, with one address to reach it at. */
typedef struct ArReachEndpoint {
    char *name;                 /* site or VNet name */
    bool is_vnet;               /* true: VNet; false: site */
    int index;                  /* index in scn->vnets or scn->sites */
    uint32_t addr;              /* representative address: first prefix's network address + 4 */
} ArReachEndpoint;

/* Per endpoint pair (i, j): the walks i -> j and j -> i. */
typedef struct ArReachCell {
    bool forward;               /* i -> j delivered at j */
    bool back;                  /* j -> i delivered at i */
    bool reachable;             /* both directions delivered */
    bool asymmetric;            /* reachable, and the return path is not the forward path reversed */
} ArReachCell;

/* Who reaches whom. cells[i * n + j] for endpoints i, j (i == j is left false). */
typedef struct ArReachMatrix {
    GArray *endpoints;          /* ArReachEndpoint, VNets in scenario order, then sites */
    ArReachCell *cells;         /* n x n, symmetric in reachable and asymmetric */
} ArReachMatrix;

/* Forwarding state of one run: a FIB per speaker (Loc-RIB best routes) and per VNet (effective
 * routes), plus the owners of next hop addresses. Borrows the run, which must outlive it. */
typedef struct ArReach ArReach;

/* Builds every FIB. O(R log R) in the best routes of the run. */
ArReach *reach_new(const ArRun *run);
void reach_free(ArReach *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArReach, reach_free)

/* Finds a walk's start by name: a site (its speaker) or a VNet. FALSE when neither exists. */
gboolean reach_find_start(const ArReach *r, const char *name, ArReachNode *out);
/* "onprem1, onprem2, hub, spoke1": the valid start names, for messages, the first 12 then
 * "... (N more)". Caller frees. */
char *reach_start_names(const ArReach *r);
/* Representative address of a site or VNet (first prefix + 4); FALSE when unknown or prefix-less. */
gboolean reach_name_addr(const ArReach *r, const char *name, uint32_t *addr);

/* Walks from start toward dst. O(hops x 32). */
ArTrace *reach_trace(const ArReach *r, ArReachNode start, uint32_t dst);
void reach_trace_free(ArTrace *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArTrace, reach_trace_free)
/* True when the walk delivered the packet at the node named want (any node when want is NULL). */
bool reach_trace_delivered(const ArTrace *t, const char *want);
/* "delivered at onprem2", "no route at onprem1", "dropped at hub (None)", "to Internet from hub",
 * "loop through sdwan-hub-sdwan", "down at sdwan". Caller frees. */
char *reach_verdict_text(const ArTrace *t);

/* The cell of endpoints i and j (indexes in the matrix's endpoint order, the same for every run of
 * one scenario): both walks. O(hops x 32). */
ArReachCell reach_cell(const ArReach *r, guint i, guint j);
/* Walks every pair of endpoints both ways. O(E^2 x hops x 32). */
ArReachMatrix *reach_matrix(const ArReach *r);
void reach_matrix_free(ArReachMatrix *m);
/* Endpoints the matrix cannot tell apart: of one kind (VNet or site), with the same cell toward
 * every other endpoint and one same cell between each other ("spoke1-spoke500" in a grouped
 * grid). Per endpoint, the index of the first endpoint of its class (itself when it comes first);
 * a class of fewer than min_members endpoints is left as single endpoints. g_free it. O(E^2) for
 * E endpoints when classes are few (endpoints are bucketed by row counts). */
guint *reach_matrix_classes(const ArReachMatrix *m, guint min_members);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArReachMatrix, reach_matrix_free)
/* Cell for the pair of endpoints named a and b, NULL when either is not an endpoint. O(E). */
const ArReachCell *reach_matrix_cell(const ArReachMatrix *m, const char *a, const char *b);

const char *reach_verdict_name(ArReachVerdict v); /* "delivered", "no route", "dropped", ... */

#endif
