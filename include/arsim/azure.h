/* azure.h - Azure constructs become BGP speakers, sessions and policies (the Azure stage). */
#ifndef ARSIM_AZURE_H
#define ARSIM_AZURE_H

#include "arsim/bgp.h"
#include "arsim/scenario.h"

/* The network built from one scenario: the simulation plus the map from each scenario object to
 * the speakers that model it. Node names (documented in docs/azure-rules.md):
 *   route server R  -> "R/0", "R/1"   (two instances, each peers with every NVA and gateway)
 *   VPN gateway G   -> "G/0", "G/1" when active-active, else "G"
 *   ExpressRoute G  -> "G/0", "G/1"   (always two instances, each peering with both Route Server
 *                                     instances and with the circuits' MSEEs)
 *   NVA N, site S   -> "N", "S"
 *   circuit of S    -> "msee/S/primary", "msee/S/secondary": the Microsoft edge router of each of
 *                      the circuit's two links ("msee/S/C/primary"... when S has several circuits;
 *                      "msee/S" names both) */
/* The instances of one Azure resource: [1] is NULL for single-instance resources. */
typedef ArSpeaker *ArInstPair[2];

/* What one stretch of the run led to: the initial convergence, then one per scenario event. */
typedef struct ArEpoch {
    const ArScnEvent *se;    /* the scenario event that opened it, NULL for the start or a follow-up */
    const char *label;       /* what opened it: the event's label, "start", or a follow-up such as
                              * "ergw back up" (owned by the network) */
    ArTime start;            /* when it opened */
    ArTime settled;          /* time of its last routing change (start when nothing changed) */
    bool quiet;              /* nothing was left to do when it ended: routing had settled */
    uint64_t messages;       /* UPDATE messages delivered during it */
    uint64_t events;         /* engine events processed during it */
    guint log_from, log_to;  /* its lines in sim->log: [log_from, log_to) */
} ArEpoch;

/* A prefix whose best path kept changing at one speaker when the run gave up. */
typedef struct ArFlap {
    const ArSpeaker *sp;   /* where */
    uint64_t key;          /* which prefix */
    uint64_t changes;      /* best-path changes in the watched window */
} ArFlap;

typedef struct ArTimedEvent ArTimedEvent;
typedef struct ArDeferred ArDeferred;

typedef struct ArNet {
    ArSim *sim;                  /* the engine; owns every speaker */
    const ArScenario *scn;       /* the model it was built from (not owned) */
    ArRouteServer *rs_cfg;       /* per route server: the settings in force (events may change them) */
    ArTimedEvent *timed;         /* per scenario event: its engine event */
    GPtrArray *deferred;         /* ArDeferred*: actions an event scheduled (gateway back up...) */
    uint8_t *down_causes;        /* per speaker id: bitmask of the reasons events keep it down (events.c);
                                  * it comes back only when the last one ends */
    GArray *epochs;              /* ArEpoch, in time order */
    ArTime until;                /* when the run stops at the latest */
    ArTime last_followup;        /* latest time a follow-up (gateway back, maintenance over) is due */
    bool until_given;            /* until came from the user (--until), not from settings.maxTime */
    void (*on_epoch_end)(struct ArNet *net, ArEpoch *ep); /* called as each epoch closes (the run stage
                                  * reads its effective routes there) */
    void *epoch_user;            /* the caller's context for on_epoch_end (the ArRun, a failure sweep's case) */
    ArTime watch_window;         /* when non-zero: count best-path changes during the run's last window */
    GArray *flaps;               /* ArFlap, most changes first, filled when watch_window was set */
    ArInstPair *rs;              /* per route server: its two instances */
    ArInstPair *gw;              /* per gateway: instance 0, and instance 1 (NULL for a VPN gateway
                                  * that is not active-active) */
    ArSpeaker **nva;             /* per NVA */
    ArSpeaker **site;            /* per site */
    GPtrArray *msee;             /* ArSpeaker*, two per ExpressRoute circuit (primary, secondary), in site order */
} ArNet;

/* Builds speakers, originations and sessions (all Idle). Never fails on a validated scenario. */
ArNet *azure_net(const ArScenario *scn, const ArSimConfig *cfg);
void azure_net_free(ArNet *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArNet, azure_net_free)

/* Engine configuration from the scenario's settings; non-zero fields of override win. */
ArSimConfig azure_sim_config(const ArScenario *scn, const ArSimConfig *override);

/* Brings every session up at time 0, fires the scenario's events at their times, and runs until
 * nothing is left to do, until net->until, or to the event cap. Each epoch is closed (and
 * on_epoch_end called) when the next event fires and at the end. */
ArRunEnd azure_run(ArNet *net);

/* azure_run in steps, for a caller that advances the engine itself (live mode, on the wall
 * clock): azure_start brings every session up at time 0, queues the scenario's events and opens
 * the first epoch; azure_finish closes the last epoch (on_epoch_end). */
void azure_start(ArNet *net);
void azure_finish(ArNet *net);

/* Speakers named by an event: the node itself, or every instance of a resource ("ars" -> ars/0,
 * ars/1; "msee/dc" -> msee/dc/primary, msee/dc/secondary). Appends to out. */
void azure_resolve(const ArNet *net, const char *name, GPtrArray *out);

/* The address space served by hub VNet h: its own prefixes and those of the VNets that use its
 * gateways (useRemoteGateways). Appends ArPrefix values to out. */
void azure_hub_space(const ArScenario *scn, int h, GArray *out);

/* VNet that hosts the Azure component sp models (Route Server, gateway, NVA), AR_NO_INDEX for a
 * site or a circuit. O(1). */
int azure_home_vnet(const ArSpeaker *sp);

/* hubRoutingPreference as a rank of where a path comes from (expressroute: from the ExpressRoute
 * gateway; else from a VPN gateway or an NVA): the lower rank wins, equal ranks go on to AS-path
 * length (HRP). The one ranking, read by the Route Server's decision (its policy's rank hook) and
 * by the VMs' effective routes (results). O(1). */
int azure_hub_rank(ArHubPref pref, bool expressroute);

/* Policies per node kind (policy.c). */
extern const ArPolicy policy_route_server;
extern const ArPolicy policy_er_gateway;
extern const ArPolicy policy_vpn_gateway;
extern const ArPolicy policy_msee;
extern const ArPolicy policy_standard; /* NVAs and on-premises routers: plain eBGP */
extern const ArPolicy policy_mapped;   /* the same with neighbour policies (routemap.c) */

#endif
