/* bgp.h - BGP speakers, sessions and UPDATE messages stepped through the event queue. */
#ifndef ARSIM_BGP_H
#define ARSIM_BGP_H

#include "arsim/attr.h"
#include "arsim/evq.h"
#include "arsim/names.h"
#include "arsim/prefix.h"
#include "arsim/rib.h"
#include "arsim/scenario.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* What an engine node models (ArNodeKind) is named in arsim/names.h, with its names and look. */

typedef struct ArSpeaker ArSpeaker;
typedef struct ArSession ArSession;
typedef struct ArSim ArSim;
/* An update group (updgroup.c): peers of one speaker whose exports agree, computed and stored once. */
typedef struct ArUpdGroup ArUpdGroup;

/* One end of a session, as seen by its speaker. */
typedef struct ArPeer {
    ArSession *session;      /* the session this end belongs to */
    ArSpeaker *remote;       /* the speaker at the other end */
    uint16_t index;          /* this peer's index in its speaker's peers */
    uint16_t remote_index;   /* index of the mirror ArPeer in remote's peers */
    uint8_t side;            /* 0 if this speaker is session->a, 1 if session->b */
    uint32_t local_ip;       /* our address on this session: the next hop we set as "self" */
    uint32_t import_weight;  /* weight given to routes learned here (local to the speaker) */
    uint32_t route_limit;    /* max routes (learned + in one UPDATE) before the session drops; 0 = none */
    uint32_t routes_in;      /* size of this peer's Adj-RIB-In */
    ArIdMap out;             /* Adj-RIB-Out. Detached: prefix id -> ArAttrs.id last sent. Attached
                                to an update group: only where this peer was sent something else than
                                the group's value (updgroup.c's OUT_NONE: nothing); read it with
                                bgp_out_lookup */
    ArUpdGroup *group;       /* its update group, NULL until its session first comes up */
    bool attached;           /* in sync with its group (Established, no MRAI): exports computed once */
    uint32_t group_pos;      /* its index in the group's member list while attached */
    int64_t out_len;         /* prefixes sent and not withdrawn (bgp_out_size); attached: that less the
                                group's count */
    GArray *dev;             /* scratch of one flush while attached: where it differs from the group;
                                NULL between flushes */
    guint skips;             /* scratch of one flush: the group's announcements this member, their
                                route's source, is not sent and had nothing before (split horizon),
                                kept out of dev: ug_send tells them by the group's source peer */
    ArTime next_send;        /* MRAI: no UPDATE to this peer before this time */
    GArray *held;            /* MRAI: prefix ids (uint32_t) waiting for next_send, NULL when none */
    GHashTable *held_set;    /* the same ids + 1, for de-duplication */
    ArEvent mrai_ev;         /* pending MRAI expiry */
} ArPeer;

/* Policy hooks, one set per node kind (the Azure rules live in sim/azure/policy.c). */
typedef struct ArPolicy {
    /* Attribute-level import: NULL rejects every prefix of the UPDATE. Called once per UPDATE,
     * never per prefix. *why receives a static reason when it rejects. */
    const ArAttrs *(*import)(ArSpeaker *sp, ArPeer *from, const ArAttrs *in, const char **why);
    /* Prefix-level import check, NULL hook accepts all. O(1) per prefix. */
    bool (*accept)(ArSpeaker *sp, ArPeer *from, ArPrefix p, const char **why);
    /* Export of route r (the best for key) to peer to: attributes to send, or NULL to send
     * nothing (a withdrawal if something was sent before), with a static reason in *why.
     * Never called for the peer the route came from: nothing goes back there (the engine's split
     * horizon). Update groups (updgroup.c) compute it once for all the peers of a group, so it may
     * depend on the receiving peer only through to->remote->kind, to->local_ip, to->session->ibgp,
     * and whether the route came from that peer's speaker over another session, or from another
     * instance of its resource when export_resource is set (those routes are exported per peer).
     * A speaker with route maps (which match peer names) gets one group per peer. It may read key
     * (the prefix) only on a speaker with route maps or export_reads_prefix set: elsewhere the
     * engine computes it once per batch for each route (attributes, peer, flags) and receiving peer
     * (send.c's TxMemo). */
    const ArAttrs *(*export)(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why);
    /* Per-prefix import rewrite after import and accept (neighbour policies); NULL hook = none,
     * NULL result rejects. */
    const ArAttrs *(*import_prefix)(ArSpeaker *sp, ArPeer *from, uint64_t key, const ArAttrs *a, const char **why);
    /* The policy's own preference among sp's paths, which the decision process applies after
     * "locally originated" and before AS-path length: the lower rank wins. NULL hook ranks every
     * path alike. O(1) per path. (Azure: the Route Server's hubRoutingPreference.) It reads the path
     * only through its attributes, peer and flags (dp_best_memo remembers a decision by those). */
    int (*rank)(const ArSpeaker *sp, const ArRoute *r);
    /* export compares the resource of the route's source with the receiving peer's (a Route
     * Server sends nothing to another instance of the gateway a route came from) */
    bool export_resource;
} ArPolicy;

struct ArSpeaker {
    char *name;               /* node name: scenario name, or derived (ars/0, msee/onprem2) */
    ArNodeKind kind;          /* what it models */
    uint32_t asn;             /* its AS number */
    uint32_t ip;              /* its address, also its BGP identifier */
    const void *resource;     /* scenario object it models; instances of one resource share it */
    int instance;             /* 0 or 1 for instances, else 0 */
    const ArPolicy *policy;   /* import/export rules */
    const void *cfg;          /* kind-specific settings for the policy (e.g. ArRouteServer*) */
    GArray *filter;           /* ArPrefix list the policy uses (Route Server: VNet spaces), may be NULL */
    const GArray *route_maps; /* ArRmRule neighbour policies (scenario "policies"), NULL when none */
    bool export_reads_prefix; /* its export reads the prefix (besides route maps): exports are never
                                 shared between routes of one batch (send.c's TxMemo) */
    uint32_t id;              /* index in sim->speakers */
    GPtrArray *peers;         /* ArPeer*, index = ArPeer.index */
    GPtrArray *groups;        /* ArUpdGroup*, its peers' update groups, in order of creation */
    ArRib rib;                /* Adj-RIBs-In and Loc-RIB */
    uint32_t *dirty;          /* prefix ids whose best path changed since the last flush, in order;
                                 de-duplicated by the RIB's mark bits (rib_mark), so never longer than
                                 the prefix table. NULL until the first mark after a flush */
    guint n_dirty;            /* length of dirty */
    guint dirty_cap;          /* room in dirty */
    ArEvent flush_ev;         /* pending flush of dirty prefixes to the peers */
    uint64_t rejected;        /* prefixes refused by import policy, for statistics */
    bool down;                /* failed (or not deployed): receives, sends and originates nothing */
    ArTime hold_time;         /* this speaker's configured hold time; AR_TIME_NEVER = the run's default */
    ArTime mrai;              /* this speaker's MRAI toward its peers; AR_TIME_NEVER = the run's */
    ArSim *sim;               /* owning simulation */
};

typedef enum ArSessionState {
    SESS_IDLE = 0,
    SESS_ESTABLISHED,
} ArSessionState;

struct ArSession {
    ArSpeaker *sp[2];         /* the two ends */
    uint16_t peer[2];         /* index of the ArPeer at each end */
    bool ibgp;                /* both ends in the same AS */
    ArSessionState state;     /* Idle or Established */
    uint32_t epoch;           /* incremented at each down: messages of an older epoch are dropped */
    ArTime last_delivery[2];  /* latest delivery time toward each side: keeps messages in order */
    char *down_reason;        /* why it went down, NULL while it never did */
    bool admin_down;          /* failed by an event: stays down until restored */
    bool retry;               /* went down on a route limit: comes back after retry_after_limit */
    uint32_t flaps;           /* times it went down after being Established */
    ArTime up_at;             /* when it last became Established: keepalives are counted from here */
    ArEvent up_ev;            /* pending establishment */
    ArEvent down_ev;          /* pending teardown: hold timer expiry or NOTIFICATION in flight */
    char *pending_reason;     /* reason for down_ev */
};

/* Timing and limits of one run. Zero values mean the documented defaults, except where noted. */
typedef struct ArSimConfig {
    ArTime link_delay;        /* one-way message delay, default 10 ms */
    ArTime proc_delay;        /* time a speaker batches changes before sending, default 1 ms */
    ArTime jitter;            /* up to this much extra delay per message, seeded; 0 = none */
    ArTime mrai;              /* min interval between UPDATEs to one peer; 0 = none */
    ArTime hold_time;         /* hold time: a silent failure is noticed this long after; 0 = never */
    ArTime session_setup;     /* connect to Established, default 5 s */
    ArTime retry_after_limit; /* idle time after a route-limit drop, default 60 s */
    uint64_t max_events;      /* hard cap on events processed, default 50,000,000 */
    uint64_t max_prefixes;    /* hard cap on prefixes carried by delivered UPDATEs, default 500,000,000:
                               * an event can carry a million prefixes, so events alone do not bound time */
    uint32_t seed;            /* seed of the jitter generator */
    ArTime until;             /* stop at this time (--until); 0 = last event + settings.maxTime */
} ArSimConfig;

/* What the trace hook is told (arsim run --trace). Pointers are valid during the call only. */
typedef enum ArTraceKind {
    TR_UPDATE = 0,     /* an UPDATE delivered */
    TR_DROPPED,        /* an UPDATE dropped: session gone or receiver down */
    TR_FLUSH,          /* a speaker sends its batched changes */
    TR_SESSION_UP,     /* a session became Established */
    TR_SESSION_DOWN,   /* a session went down (text: why) */
    TR_NODE,           /* a node failed or was restored (text) */
    TR_SCENARIO,       /* a scenario event fired (text: its label) */
} ArTraceKind;

typedef struct ArTraceRec {
    ArTraceKind kind;             /* what happened */
    ArTime time;                  /* when */
    const ArSpeaker *from, *to;   /* sender and receiver, or the node; may be NULL */
    const ArAttrs *attrs;         /* TR_UPDATE: attributes of the announced prefixes */
    const uint64_t *withdrawn;    /* TR_UPDATE: withdrawn prefix keys */
    uint32_t n_withdrawn;
    const uint64_t *announced;    /* TR_UPDATE: announced prefix keys */
    uint32_t n_announced;
    const char *text;             /* reason or label */
} ArTraceRec;
typedef void (*ArTraceFn)(void *user, const ArTraceRec *rec);

/* One line of the story a run tells (timeline): sessions, failures, scenario events. */
typedef struct ArLogEntry {
    ArTime time;        /* when */
    ArTraceKind kind;   /* TR_SESSION_UP, TR_SESSION_DOWN, TR_NODE or TR_SCENARIO */
    char *text;         /* what, in words */
} ArLogEntry;

typedef struct ArSimStats {
    uint64_t events;      /* events processed */
    uint64_t updates;     /* UPDATE messages delivered */
    uint64_t announced;   /* prefixes announced in delivered UPDATEs */
    uint64_t withdrawn;   /* prefixes withdrawn in delivered UPDATEs */
    ArTime last_change;   /* time of the last UPDATE or flush processed */
} ArSimStats;

struct ArSim {
    ArEvq q;                  /* future-event set */
    ArTime now;               /* current simulated time */
    ArSimConfig cfg;          /* effective configuration (defaults filled in) */
    ArAttrCache *attrs;       /* interned attributes of this run */
    ArPfxTable pfx;           /* the run's prefixes and their dense ids (every RIB is indexed by them) */
    const ArAttrs *empty;     /* interned empty attribute set (empty path, no communities) */
    GPtrArray *speakers;      /* ArSpeaker*, creation order = output order */
    GPtrArray *sessions;      /* ArSession*, creation order */
    GHashTable *by_name;      /* name -> ArSpeaker* */
    uint64_t pending;         /* routing events scheduled (messages, flushes, session ups and downs) */
    ArSimStats stats;         /* counters */
    uint32_t *spare_dirty;    /* the last flushed dirty list, its pages mapped: the next speaker that
                                 needs one takes it (receive.c), NULL when none */
    guint spare_dirty_cap;    /* its room */
    GRand *rng;               /* jitter, seeded from cfg.seed; NULL when cfg.jitter is 0 */
    GArray *log;              /* ArLogEntry, in time order */
    ArTraceFn trace;          /* optional hook told about every message and timer */
    void *trace_user;         /* its argument */
    GHashTable *watch;        /* when set: (speaker id << 40 | prefix key) -> best-path changes */
};

ArSim *bgp_sim_new(const ArSimConfig *cfg);
void bgp_sim_free(ArSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArSim, bgp_sim_free)

ArSpeaker *bgp_speaker_new(ArSim *sim, const char *name, ArNodeKind kind, uint32_t asn, uint32_t ip,
                           const ArPolicy *policy);
ArSpeaker *bgp_speaker_find(const ArSim *sim, const char *name);
/* Creates a session (Idle) between a and b, with each end's address on it. */
ArSession *bgp_session_new(ArSim *sim, ArSpeaker *a, uint32_t a_ip, ArSpeaker *b, uint32_t b_ip);
static inline ArPeer *bgp_peer(const ArSpeaker *sp, uint16_t i) { return g_ptr_array_index(sp->peers, i); }
/* What sp last sent peer for the prefix (its Adj-RIB-Out), NULL when nothing. O(1) (one hash). */
const ArAttrs *bgp_out_lookup(const ArSpeaker *sp, const ArPeer *peer, uint64_t key);
/* Number of prefixes sp has sent peer and not withdrawn. O(1). */
guint bgp_out_size(const ArPeer *peer);

/* Originates prefix at sp with attributes a (interned) and RT_* flags; takes effect at once. */
void bgp_originate(ArSpeaker *sp, ArPrefix p, const ArAttrs *a, uint16_t flags);
/* bgp_originate for each of n prefixes (any order), with the same attributes and flags, applied
 * in prefix order. O(n): ids found by one walk of the prefix table when its ids are in prefix
 * order (pfxtab_ids_sorted), the RIB written in sequence. */
void bgp_originate_list(ArSpeaker *sp, const ArPrefix *p, guint n, const ArAttrs *a, uint16_t flags);
/* Schedules the session to come up at time t. */
void bgp_session_up_at(ArSim *sim, ArSession *s, ArTime t);
/* Takes an established session down now: both ends drop the routes learned over it. */
void bgp_session_down(ArSim *sim, ArSession *s, const char *reason);
/* Schedules the teardown at now + delay (a NOTIFICATION in flight, or a hold timer). */
void bgp_session_down_after(ArSim *sim, ArSession *s, ArTime delay, const char *reason);
/* An event fails the session (silent: noticed at hold expiry; graceful: at once) or restores it. */
void bgp_session_fail(ArSim *sim, ArSession *s, bool graceful, const char *why);
void bgp_session_restore(ArSim *sim, ArSession *s);
/* A node fails (silent crash: peers notice at hold expiry; graceful: NOTIFICATION) or comes back. */
void bgp_node_fail(ArSim *sim, ArSpeaker *sp, bool graceful, const char *why);
void bgp_node_restore(ArSim *sim, ArSpeaker *sp);
/* Stops originating a prefix. */
void bgp_withdraw_local(ArSpeaker *sp, ArPrefix p);
/* Re-evaluates every prefix of sp: decision process (all paths) and exports to every peer. Used
 * when a setting the policies read changes (route refresh). O(n log n) in sp's table. */
void bgp_refresh(ArSpeaker *sp);
/* Appends a line to the run's log (and the trace). */
void bgp_log(ArSim *sim, ArTraceKind kind, const ArSpeaker *a, const ArSpeaker *b, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);

/* ---- live mode (sim/live/): a real BGP speaker stands in for one end of a session ----------
 * The simulation then advances with the wall clock: the caller runs bgp_run(sim, t), then
 * bgp_advance(sim, t), and calls these between runs, never from inside one (a trace hook). */
/* Delivers an UPDATE to side `to` of s now, through the same import, route limit and decision as
 * a simulated one (dropped, and traced so, when s is not Established). O(prefixes). */
void bgp_deliver_now(ArSim *sim, ArSession *s, uint8_t to, const ArAttrs *a, const uint64_t *withdrawn,
                     uint32_t n_withdrawn, const uint64_t *announced, uint32_t n_announced);
/* The real session came up (up: s is Established now) or went down (s goes down now, for why,
 * and stays down until the next call with up). */
void bgp_session_set_live(ArSim *sim, ArSession *s, bool up, const char *why);
/* Moves simulated time to t: no earlier than now, and no later than the next queued event (run
 * bgp_run(sim, t) first). */
void bgp_advance(ArSim *sim, ArTime t);

typedef enum ArRunEnd {
    RUN_CONVERGED = 0, /* nothing left to do */
    RUN_UNTIL,         /* stopped at the time limit with events pending */
    RUN_EVENT_CAP,     /* stopped by the event cap: likely oscillation */
} ArRunEnd;

/* Processes events in (time, sequence) order until none remain, the next is later than until,
 * or cfg.max_events have run, or UPDATEs have carried cfg.max_prefixes prefixes (RUN_EVENT_CAP). */
ArRunEnd bgp_run(ArSim *sim, ArTime until);
/* Checks the invariants the engine's comments state, aborting on the first broken one: each RIB's
 * (rib_check), each peer's routes_in equal to the paths learned from it (so the paths of a speaker
 * are its peers' counts plus its local ones), each dirty prefix marked, each attached peer
 * Established and in its group's member list. O(every table). bgp_run calls it at its end in
 * builds with ARSIM_ENGINE_CHECKS (every build but release); tests call it too. */
void bgp_check(const ArSim *sim);

/* Helpers for policies. */
const ArAttrs *bgp_attrs_with(ArSim *sim, const ArAttrs *a, const ArAsPath *path, const ArComms *comms,
                              uint32_t next_hop);
/* Standard export: nothing back to its source, iBGP-learned not to iBGP peers, RFC 1997
 * NO_ADVERTISE / NO_EXPORT, and over eBGP: own ASN prepended, next hop self, LOCAL_PREF and
 * weight reset. Policies call it, then add their own rules. */
const ArAttrs *bgp_export_standard(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why);
/* Standard import: over eBGP a path holding our own ASN is a loop and is dropped; the peer's
 * import weight is applied. */
const ArAttrs *bgp_import_standard(ArSpeaker *sp, ArPeer *from, const ArAttrs *in, const char **why);
/* True when the route was learned over iBGP. O(1). */
static inline bool bgp_route_ibgp(const ArSpeaker *sp, const ArRoute *r)
{
    return r->peer != PEER_LOCAL && bgp_peer(sp, r->peer)->session->ibgp;
}
/* Speaker that sent route r, NULL for a local route. O(1). */
static inline ArSpeaker *bgp_route_source(const ArSpeaker *sp, const ArRoute *r)
{
    return r->peer == PEER_LOCAL ? NULL : bgp_peer(sp, r->peer)->remote;
}

const char *bgp_kind_name(ArNodeKind k);

#endif
