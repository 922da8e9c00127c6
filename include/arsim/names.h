/* names.h - names of things: the tables of named values (node kinds, hubRoutingPreference) and lists of names written compactly. */
#ifndef ARSIM_NAMES_H
#define ARSIM_NAMES_H

#include <glib.h>

/* ---- Tables of named values ----
 * Each list below is the one place a value is named: its enum, its spelling in the scenario
 * format and in outputs, and its look in diagrams are all made from it, so a new value is one
 * line here (plus what it means, in the stage that applies it; docs/architecture.md). */

/* What an engine node models: X(id, name in outputs, title in diagrams, diagram shape, diagram fill).
 * The engine treats every kind alike except through its policy; the kind is there for the
 * policies (sim/azure/) and for output. */
#define NAMES_NODE_KINDS(X)                                                                                     \
    /* one Route Server instance (ars/0, ars/1) */                                                             \
    X(NODE_ROUTE_SERVER, "routeServer", "Route Server instance", "doubleoctagon", "#cfe2ff")                   \
    /* an ExpressRoute virtual network gateway */                                                              \
    X(NODE_ER_GATEWAY, "expressRouteGateway", "ExpressRoute gateway", "component", "#d1e7dd")                  \
    /* one VPN gateway instance */                                                                             \
    X(NODE_VPN_GATEWAY, "vpnGateway", "VPN gateway instance", "component", "#fff3cd")                          \
    /* a network virtual appliance */                                                                          \
    X(NODE_NVA, "nva", "NVA", "box3d", "#f8d7da")                                                              \
    /* an on-premises router */                                                                                \
    X(NODE_SITE, "site", "on-premises router", "house", "#e2e3e5")                                             \
    /* Microsoft's edge router of one ExpressRoute circuit, AS 12076 */                                        \
    X(NODE_MSEE, "msee", "ExpressRoute circuit (MSEE, AS 12076)", "hexagon", "#e0cffc")

#define NAMES_ENUM_ID(id, ...) id,
typedef enum ArNodeKind { NAMES_NODE_KINDS(NAMES_ENUM_ID) NODE_KIND_COUNT } ArNodeKind;

/* How a node kind is named and drawn. */
typedef struct ArKindName {
    const char *name;  /* in outputs (JSON "kind", text): "routeServer" */
    const char *title; /* in diagrams' labels and legend: "Route Server instance" */
    const char *shape; /* Graphviz node shape */
    const char *fill;  /* Graphviz fill colour */
} ArKindName;

/* Per ArNodeKind, in enum order. */
extern const ArKindName names_node_kind[NODE_KIND_COUNT];

/* A Route Server's hubRoutingPreference: X(id, spelling in the scenario format, Azure and outputs).
 * What each value ranks is azure_hub_rank (sim/azure/policy.c). */
#define NAMES_HUB_PREFS(X)                                                                                      \
    /* default: ExpressRoute routes win (HRP) */                                                               \
    X(HUBPREF_EXPRESSROUTE, "ExpressRoute")                                                                    \
    /* VPN and NVA routes win over ExpressRoute (HRP) */                                                       \
    X(HUBPREF_VPNGATEWAY, "VpnGateway")                                                                        \
    /* shortest AS path regardless of source (HRP) */                                                          \
    X(HUBPREF_ASPATH, "ASPath")

typedef enum ArHubPref { NAMES_HUB_PREFS(NAMES_ENUM_ID) } ArHubPref;
#define NAMES_COUNT_ONE(id, ...) +1
/* How many values (outside the enum, so that a switch over ArHubPref needs no case for it). */
enum { HUBPREF_COUNT = 0 NAMES_HUB_PREFS(NAMES_COUNT_ONE) };

/* Per ArHubPref, in enum order (the format table's words for hubRoutingPreference). */
extern const char *const names_hub_pref[HUBPREF_COUNT];

/* The n words as a message lists choices: "\"A\"", "\"A\" or \"B\"", "\"A\", \"B\" or \"C\"".
 * Caller frees. O(total length). */
char *names_choices(const char *const *words, guint n);

/* ---- Lists of names ---- */

/* The n names, in the order given, joined by ", ", with each run of one stem and consecutive
 * numbers ("spoke1", "spoke2", ..., "spoke500") written as its first and last joined by '-'
 * ("spoke1-spoke500"). After max_runs runs (0: no limit) the rest are counted: "..., and 12 more".
 * Caller frees. O(total length). */
char *names_ranges(const char *const *names, guint n, guint max_runs);

/* Levenshtein distance between a and b (fold_case: letters compared without case), for "did you
 * mean" hints; G_MAXUINT when either is longer than 64 bytes: names are short, and a long one is
 * no typo of one. O(len a x len b). */
guint names_edit_distance(const char *a, const char *b, gboolean fold_case);

#endif
