/* compare.h - what changes between two runs: best routes per node, effective routes per VNet, and
 * who reaches whom. */
#ifndef ARSIM_COMPARE_H
#define ARSIM_COMPARE_H

#include "arsim/reach.h"
#include "arsim/results.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Kind of one difference. */
typedef enum ArCmpKind {
    CMP_ADDED = 0,  /* present only after */
    CMP_REMOVED,    /* present only before */
    CMP_CHANGED,    /* present in both, with different attributes */
} ArCmpKind;

/* Attributes that differ (bit mask of ArCmpDiff.attrs). */
#define CMP_ATTR_AS_PATH 0x01u       /* AS path (best routes and effective routes) */
#define CMP_ATTR_NEXT_HOP 0x02u      /* BGP next hop */
#define CMP_ATTR_FROM 0x04u          /* peer the best route was learned from */
#define CMP_ATTR_NH_TYPE 0x08u       /* effective route: next hop type */
#define CMP_ATTR_NH_IPS 0x10u        /* effective route: next hop IPs */
#define CMP_ATTR_VIA 0x20u           /* effective route: nodes the next hops lead to */

/* One prefix that differs at one node (best route) or in one VNet (effective route). 32 bytes (the
 * two 4-byte members last, no padding): 16M of them when branch-to-branch goes off at 1M prefixes. */
typedef struct ArCmpDiff {
    uint64_t key;                /* prefix key (pfx_key) */
    const void *before;          /* ArRoute* or ArEffRoute* before, NULL when added */
    const void *after;           /* ArRoute* or ArEffRoute* after, NULL when removed */
    ArCmpKind kind;              /* added, removed or changed */
    unsigned attrs;              /* CMP_CHANGED: CMP_ATTR_* that differ */
} ArCmpDiff;
G_STATIC_ASSERT(sizeof(ArCmpDiff) == 32);

/* The differences of one node: a speaker name present in either run. */
typedef struct ArCmpNode {
    const char *name;            /* node name (owned by the run it came from) */
    const ArSpeaker *before;     /* speaker in the first run, NULL when only after */
    const ArSpeaker *after;      /* speaker in the second run, NULL when only before */
    GArray *diffs;               /* ArCmpDiff, ascending by prefix key */
    guint same;                  /* best routes identical in both runs (same prefix and attributes) */
} ArCmpNode;

/* The effective-route differences of one VNet (by name). */
typedef struct ArCmpVnet {
    const char *name;            /* VNet name (owned by a run's scenario) */
    const ArEffTable *before;    /* table in the first run, NULL when only after */
    const ArEffTable *after;     /* table in the second run, NULL when only before */
    GArray *diffs;               /* ArCmpDiff over ArEffRoute*, ascending by prefix key */
} ArCmpVnet;

/* A pair of endpoints whose reachability changed. */
typedef struct ArCmpReach {
    char *a;                     /* first endpoint name (matrix order) */
    char *b;                     /* second endpoint name */
    bool before;                 /* reachable (both ways) before */
    bool after;                  /* reachable after */
    bool asym_before;            /* reachable but asymmetric before */
    bool asym_after;             /* reachable but asymmetric after */
} ArCmpReach;

/* The whole comparison. Borrows both runs, which must outlive it. */
typedef struct ArCompare {
    const ArRun *before;         /* first run */
    const ArRun *after;          /* second run */
    char *description;           /* what changed in the input ("enabling branch-to-branch") */
    GPtrArray *nodes;            /* ArCmpNode*, nodes with differences: first run's order, then new ones */
    GPtrArray *vnets;            /* ArCmpVnet*, VNets with differences: first scenario's order, then new */
    ArReachMatrix *reach_before; /* reachability in the first run */
    ArReachMatrix *reach_after;  /* reachability in the second run */
    GArray *reach_changes;       /* ArCmpReach, pairs whose reachable or asymmetric flag changed */
    guint gained, gained_nodes;  /* best routes added, and at how many nodes */
    guint lost, lost_nodes;      /* best routes removed, and at how many nodes */
    guint changed, changed_nodes; /* best routes changed, and at how many nodes */
    guint eff_diffs;             /* effective routes added, removed or changed in all VNets */
    guint same_nodes;            /* nodes in both runs with identical best routes */
    guint same_best;             /* best routes identical in both runs, over every node */
    guint same_vnets;            /* effective-route tables (VNET, VNET/SUBNET) in both runs, identical */
    char *summary;               /* one line: description, counts, reachability changes */
    GPtrArray *names;            /* owned table names ("VNET", "VNET/SUBNET") the vnets point at */
    GArray *vnet_class;          /* guint per vnets index: index of the first VNet with the same
                                  * differences (itself when it is the first) */
    bool grouped;                /* more than CMP_FULL_MAX differences: reports print the grouped form */
} ArCompare;

/* Reachability changes named in the summary line (and the JSON's "changed"); the rest are counted. */
#define CMP_SUMMARY_PAIRS 4

/* Up to this many differences (best routes and effective routes together) the text report lists
 * every prefix; past it, it prints the grouped form (cmp_node_ranges, vnet_class). */
#define CMP_FULL_MAX 200

/* Compares two runs. description (may be NULL) heads the summary. O(R log R + E^2 x hops). */
ArCompare *cmp_runs(const ArRun *before, const ArRun *after, const char *description);
void cmp_free(ArCompare *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArCompare, cmp_free)

/* True when anything differs: a route, an effective route, or reachability. */
bool cmp_differs(const ArCompare *c);

/* Describes the change: "enabling branch-to-branch" / "disabling branch-to-branch" when the only
 * --set sets allowBranchToBranchTraffic, else the --set list joined by ", ", or "A.json -> B.json"
 * (followed by " with " and the --set list when both are given). Caller frees. */
char *cmp_describe(const char *file_a, const char *file_b, char *const *sets);

/* Attribute names of a mask, in the JSON spelling ("asPath", "nextHop", "from", ...), joined by
 * sep. Caller frees. */
char *cmp_attr_names(unsigned attrs, const char *sep);

/* The differences of a node as the lines of the grouped form: each run of consecutive diffs of
 * one kind whose routes are the same (as printed) is collapsed into covering ranges ("256
 * prefixes in 128.0.0.0/16"). ArPfxRange over n->diffs, in order. O(diffs x 32). */
GArray *cmp_node_ranges(const ArCmpNode *n);
/* The same for a VNet's effective-route differences. */
GArray *cmp_vnet_ranges(const ArCmpVnet *v);
/* "spoke1-spoke500" for the VNets of c->vnets whose vnet_class is cls; *count receives how many.
 * Caller frees. O(vnets). */
char *cmp_vnet_class_names(const ArCompare *c, guint cls, guint *count);

#endif
