/* build.h - Azure constructs become BGP speakers, sessions and policies. */
#ifndef ARSIM_BUILD_H
#define ARSIM_BUILD_H

#include "arsim/bgp.h"
#include "arsim/scenario.h"

/* The network built from one scenario: the simulation plus the map from each scenario object to
 * the speakers that model it. Node names (documented in docs/azure-rules.md):
 *   route server R  -> "R/0", "R/1"   (two instances, each peers with every NVA and gateway)
 *   VPN gateway G   -> "G/0", "G/1" when active-active, else "G"
 *   ExpressRoute G  -> "G"
 *   NVA N, site S   -> "N", "S"
 *   circuit of S    -> "msee/S" (or "msee/S/G" when S has several circuits) */
/* The instances of one Azure resource: [1] is NULL for single-instance resources. */
typedef ArSpeaker *ArInstPair[2];

typedef struct ArNet {
    ArSim *sim;                  /* the engine; owns every speaker */
    const ArScenario *scn;       /* the model it was built from (not owned) */
    ArInstPair *rs;              /* per route server: its two instances */
    ArInstPair *gw;              /* per gateway: instance 0, and instance 1 or NULL */
    ArSpeaker **nva;             /* per NVA */
    ArSpeaker **site;            /* per site */
    GPtrArray *msee;             /* ArSpeaker*, one per ExpressRoute connection, in site order */
} ArNet;

/* Builds speakers, originations and sessions (all Idle). Never fails on a validated scenario. */
ArNet *build_net(const ArScenario *scn, const ArSimConfig *cfg);
void build_net_free(ArNet *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArNet, build_net_free)

/* Brings every session up at time 0 and runs to convergence (or the event cap). */
ArRunEnd build_run(ArNet *net);

/* The address space served by hub VNet h: its own prefixes and those of the VNets that use its
 * gateways (useRemoteGateways). Appends ArPrefix values to out. */
void build_hub_space(const ArScenario *scn, int h, GArray *out);

/* Policies per node kind (policy.c). */
extern const ArPolicy policy_route_server;
extern const ArPolicy policy_er_gateway;
extern const ArPolicy policy_vpn_gateway;
extern const ArPolicy policy_msee;
extern const ArPolicy policy_standard; /* NVAs and on-premises routers: plain eBGP */

#endif
