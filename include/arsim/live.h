/* live.h - arsim live: the modelled Route Server speaks real BGP-4 over TCP to real NVAs. */
#ifndef ARSIM_LIVE_H
#define ARSIM_LIVE_H

#include "arsim/results.h"
#include "arsim/scenario.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One --peer NVA=ADDRESS[:PORT]: the scenario's NVA that a real BGP speaker plays. */
typedef struct ArLivePeer {
    char *nva;      /* the NVA's name in the scenario */
    uint32_t ip;    /* the real speaker's address, host order */
    uint16_t port;  /* its BGP port (179 unless given) */
} ArLivePeer;

/* One --local ADDRESS[:PORT]: where one Route Server instance's end of the sessions is. */
typedef struct ArLiveLocal {
    uint32_t ip;    /* local address, host order */
    uint16_t port;  /* --passive: the port to listen on (179 unless given); else 0 (any) */
} ArLiveLocal;

/* What a live run is asked to do. */
typedef struct ArLiveOptions {
    GArray *peers;           /* ArLivePeer, at least one */
    ArLiveLocal local[2];    /* per Route Server instance; ip 0: the instance's address in the model */
    bool passive;            /* listen for the NVA's connections instead of connecting out */
    uint16_t hold_time;      /* hold time offered in OPEN, seconds (0 or >= 3; Azure: 180) */
    uint32_t connect_retry;  /* seconds between connection attempts (and after a session drops) */
    double duration;         /* stop after this many seconds of wall-clock time; 0 = until SIGINT/SIGTERM */
    double status_every;     /* seconds between status lines; 0 = only when a session changes state */
    bool json;               /* events as JSON lines (else text lines) */
    FILE *events;            /* where events go (standard output) */
    FILE *status;            /* where status lines and warnings go (standard error) */
} ArLiveOptions;

/* Parses "NVA=ADDRESS[:PORT]" / "ADDRESS[:PORT]"; FALSE with a message naming what is wrong. */
gboolean live_parse_peer(const char *text, ArLivePeer *out, GError **error);
gboolean live_parse_local(const char *text, uint16_t default_port, ArLiveLocal *out, GError **error);
void live_peer_clear(ArLivePeer *p);

typedef struct ArLive ArLive;

/* Builds the network for scn (which must outlive the live run) with each --peer NVA played by
 * its real speaker: the NVA originates nothing of the scenario's and tells its simulated peers
 * nothing; what the real speaker announces reaches the Route Server instances as the NVA's routes.
 * NULL with an error (AR_ERROR_INPUT) when a peer names no NVA of the scenario, one peering with
 * no Route Server, or one twice. */
ArLive *live_new(ArScenario *scn, const ArLiveOptions *opt, GError **error);
/* Runs the sessions and the simulation on the wall clock (GMainLoop) until SIGINT or SIGTERM
 * (each peer then gets a NOTIFICATION Cease / Administrative Shutdown) or opt->duration. FALSE with
 * an error when a socket cannot be set up (address not local, port in use). */
gboolean live_run(ArLive *lv, GError **error);
/* The run as `arsim run` reports it: the last epoch closed, effective routes computed. Owned by
 * lv; valid until live_free. */
const ArRun *live_result(ArLive *lv);
void live_free(ArLive *lv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArLive, live_free)

#endif
