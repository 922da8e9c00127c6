/* live_priv.h - arsim live's state shared by its two files: the run (live.c) and the real sessions (live_session.c). */
#ifndef ARSIM_LIVE_PRIV_H
#define ARSIM_LIVE_PRIV_H

#include "arsim/live.h"
#include "arsim/azure.h"
#include "arsim/bgpmsg.h"
#include "arsim/diag.h"
#include "arsim/run.h"

#include <cjson/cJSON.h>
#include <gio/gio.h>

#define OPEN_HOLD 240      /* seconds to wait for the peer's OPEN and KEEPALIVE (RFC 4271 8: 4 minutes) */
#define LIST_MAX 8         /* prefixes named in one text event line; the rest are counted */
#define STOP_FLUSH_MS 1000 /* at most this long to hand the final NOTIFICATIONs to the kernel */

/* RFC 4271 8.2.2's states, as far as arsim goes: it never reaches Active (a failed connection
 * waits in Idle for the retry timer). */
typedef enum LiveState { LS_IDLE, LS_CONNECT, LS_OPENSENT, LS_OPENCONFIRM, LS_ESTABLISHED } LiveState;
/* Per LiveState, its RFC 4271 name (live.c). */
extern const char *const live_state_names[];

/* One real session: a Route Server instance (played by arsim) and one real NVA. */
typedef struct LiveSess {
    ArLive *lv;               /* owner */
    ArSession *s;             /* the modelled session it stands for */
    uint8_t rs_side;          /* the Route Server instance's side of s (its other side is the NVA) */
    ArSpeaker *rs;            /* the instance arsim plays */
    const ArLivePeer *peer;   /* the real speaker */
    uint32_t nva_asn;         /* the AS the real speaker must OPEN with (the scenario's) */
    ArLiveLocal local;        /* our end: address, and port when listening */
    char *name;               /* "ars/0 - sdwan", for messages */
    LiveState state;          /* where the FSM is */
    GSocketClient *client;    /* connects out (not passive) */
    GCancellable *connecting; /* the pending connection attempt, NULL when none */
    GSocketConnection *conn;  /* the TCP connection, NULL in Idle and Connect */
    GSource *rx_src;          /* readable watch on conn's socket */
    GSource *tx_src;          /* writable watch, only while tx holds what the kernel did not take */
    GByteArray *rx;           /* bytes received, not yet a whole message */
    GByteArray *tx;           /* bytes to send */
    guint timer_id;           /* 1 Hz: keepalives and the hold timer, while connected */
    guint retry_id;           /* reconnection (or, passive, end of the idle wait) */
    guint close_id;           /* deferred close: a socket error or a drop met inside the engine */
    char *close_why;          /* its reason */
    gint64 last_rx;           /* monotonic time (us) of the last message received */
    gint64 last_ka;           /* monotonic time (us) of the last KEEPALIVE (or UPDATE) sent */
    gint64 since;             /* monotonic time (us) of the last state change */
    uint16_t hold;            /* negotiated hold time, seconds (0: no keepalives) */
    bool as4;                 /* both ends sent the 4-octet AS capability */
    bool wait_long;           /* dropped for the route limit: the next attempt after retry_after_limit */
    bool by_us;               /* arsim is taking the modelled session down itself */
    GHashTable *sent;         /* prefix key (gint64*) -> const ArAttrs*: what the peer holds from us */
    GHashTable *received;     /* prefix key (gint64*): what the peer announced and we accepted to pass on */
    uint64_t updates_in;      /* UPDATEs received on this connection */
    uint64_t updates_out;     /* UPDATEs sent on this connection */
} LiveSess;

struct ArLive {
    ArScenario *scn;          /* the scenario (the played NVAs' own routes removed) */
    ArLiveOptions opt;        /* the options (peers borrowed) */
    ArNet *net;               /* the simulation (owned by run) */
    ArRun *run;               /* the network and the effective routes of each epoch, for the report */
    bool started;             /* azure_start was called */
    bool finished;            /* the last epoch is closed */
    GPtrArray *sess;          /* LiveSess*, per peer then instance */
    GMainLoop *loop;          /* the one loop */
    GSocketService *service;  /* --passive: the listening sockets */
    gint64 t0;                /* monotonic time (us) of simulated time 0 */
    guint engine_id;          /* timeout at the engine's next event */
    guint status_id;          /* periodic status lines */
    guint stop_id;            /* --duration */
    guint sig_id[2];          /* SIGINT, SIGTERM */
    bool stopping;            /* the loop is ending: no reconnection */
    const char *stop_why;     /* what ended it */
    bool capped;              /* the engine hit its event cap */
};

/* ---- live.c: events, status and the engine on the wall clock ---- */

/* One event: a JSON line ({"time", "event", "session", "text", ...fields}) or a text line. Takes
 * fields (may be NULL). */
void live_emit(ArLive *lv, const char *event, const LiveSess *ss, cJSON *fields, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
/* An UPDATE as an event: "update-in" or "update-out". */
void live_emit_update(LiveSess *ss, const char *event, const ArAttrs *a, const ArPrefix *ann, guint nann,
                      const ArPrefix *wd, guint nwd, const char *note);
/* Moves the session's FSM to st and prints its status line when it changed. */
void live_set_state(LiveSess *ss, LiveState st);
/* Runs the simulation up to the wall clock, then sleeps until its next event. Never called from
 * inside the engine (the trace hook only queues). */
void live_engine_kick(ArLive *lv);

/* ---- live_session.c: one real session's connection, messages and FSM ---- */

/* Connects out (or, passive, waits for the peer) from Idle. */
void live_sess_connect(LiveSess *ss);
/* Back to Idle: the connection closed, the modelled session down (model_down) or left as it
 * was (the run is ending: the report shows the routes as they were), a reconnection planned. */
void live_sess_close(LiveSess *ss, const char *why, bool model_down);
/* Sends a NOTIFICATION, as far as the kernel takes it at once and within STOP_FLUSH_MS. */
void live_send_notification(LiveSess *ss, const BmError *e);
/* The engine's trace hook (an ArTraceFn): what the played Route Server instances send goes out on
 * their real sessions. user is the ArLive. */
void live_on_trace(void *user, const ArTraceRec *r);
/* --passive: a connection from a peer, to one instance's address (a GSocketService "incoming"
 * handler; user is the ArLive). */
gboolean live_on_incoming(GSocketService *svc, GSocketConnection *conn, GObject *src, gpointer user);
/* Frees an Idle session (a GDestroyNotify for ArLive.sess). */
void live_sess_free(gpointer p);

#endif
