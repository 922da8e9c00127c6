/* live.c - arsim live: each Route Server instance speaks BGP-4 over TCP (GLib sockets, GMainLoop) to
 * the real NVAs; everything else of the scenario is simulated, on the wall clock. */
#include "arsim/live.h"
#include "arsim/azure.h"
#include "arsim/bgpmsg.h"
#include "arsim/diag.h"
#include "arsim/run.h"

#include <cjson/cJSON.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>

#define OPEN_HOLD 240      /* seconds to wait for the peer's OPEN and KEEPALIVE (RFC 4271 8: 4 minutes) */
#define LIST_MAX 8         /* prefixes named in one text event line; the rest are counted */
#define STOP_FLUSH_MS 1000 /* at most this long to hand the final NOTIFICATIONs to the kernel */

/* RFC 4271 8.2.2's states, as far as arsim goes: it never reaches Active (a failed connection
 * waits in Idle for the retry timer). */
typedef enum LiveState { LS_IDLE, LS_CONNECT, LS_OPENSENT, LS_OPENCONFIRM, LS_ESTABLISHED } LiveState;
static const char *const state_names[] = { "Idle", "Connect", "OpenSent", "OpenConfirm", "Established" };

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

/* ---- options -------------------------------------------------------------------------------- */

static gboolean parse_addr_port(const char *text, uint16_t dflt, uint32_t *ip, uint16_t *port, GError **error,
                                const char *what)
{
    g_autofree char *host = g_strdup(text);
    char *colon = strchr(host, ':');
    *port = dflt;
    if (colon) {
        *colon = '\0';
        guint64 v;
        if (!g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &v, NULL)) {
            g_set_error(error, AR_ERROR, AR_ERROR_INPUT, "%s \"%s\": the port must be a number from 1 to 65535", what, text);
            return FALSE;
        }
        *port = (uint16_t)v;
    }
    if (!ip_parse(host, ip)) {
        g_set_error(error, AR_ERROR, AR_ERROR_INPUT, "%s \"%s\": expected an IPv4 address such as 127.0.0.2, optionally :PORT",
                    what, text);
        return FALSE;
    }
    return TRUE;
}

gboolean live_parse_peer(const char *text, ArLivePeer *out, GError **error)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text) {
        g_set_error(error, AR_ERROR, AR_ERROR_INPUT, "--peer \"%s\": expected NVA=ADDRESS[:PORT], e.g. sdwan=127.0.0.1:1179",
                    text);
        return FALSE;
    }
    *out = (ArLivePeer){ 0 };
    if (!parse_addr_port(eq + 1, 179, &out->ip, &out->port, error, "--peer"))
        return FALSE;
    out->nva = g_strndup(text, (gsize)(eq - text));
    return TRUE;
}

gboolean live_parse_local(const char *text, uint16_t default_port, ArLiveLocal *out, GError **error)
{
    return parse_addr_port(text, default_port, &out->ip, &out->port, error, "--local");
}

void live_peer_clear(ArLivePeer *p)
{
    g_clear_pointer(&p->nva, g_free);
}

/* ---- events and status ------------------------------------------------------------------------ */

static double wall_s(const ArLive *lv) { return (double)(g_get_monotonic_time() - lv->t0) / 1e6; }

/* One event: a JSON line ({"time", "event", "session", "text", ...fields}) or a text line. Takes
 * fields (may be NULL). */
static void emit(ArLive *lv, const char *event, const LiveSess *ss, cJSON *fields, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
static void emit(ArLive *lv, const char *event, const LiveSess *ss, cJSON *fields, const char *fmt, ...)
{
    FILE *f = lv->opt.events;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (lv->opt.json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "time", (double)(gint64)(wall_s(lv) * 1000) / 1000);
        cJSON_AddStringToObject(o, "event", event);
        if (ss)
            cJSON_AddStringToObject(o, "session", ss->name);
        cJSON_AddStringToObject(o, "text", text);
        if (fields)
            for (cJSON *c = fields->child; c; c = fields->child)
                cJSON_AddItemToObject(o, c->string, cJSON_DetachItemViaPointer(fields, c));
        char *line = cJSON_PrintUnformatted(o);
        if (line)
            fprintf(f, "%s\n", line);
        cJSON_free(line);
        cJSON_Delete(o);
    } else {
        fprintf(f, "[%9.3f] %s%s%s\n", wall_s(lv), ss ? ss->name : "", ss ? ": " : "", text);
    }
    cJSON_Delete(fields);
    fflush(f);
}

static void status_line(ArLive *lv, const LiveSess *ss)
{
    char peer[IP_STRLEN], local[IP_STRLEN];
    ip_format(ss->peer->ip, peer);
    ip_format(ss->local.ip, local);
    guint nin = g_hash_table_size(ss->received), nout = g_hash_table_size(ss->sent);
    fprintf(lv->opt.status,
            "arsim live: %s (%s - %s:%u): %s for %.0f s, hold %u s, received %u prefix%s (%" G_GUINT64_FORMAT
            " UPDATEs), sent %u prefix%s (%" G_GUINT64_FORMAT " UPDATEs)%s%s\n",
            ss->name, local, peer, ss->peer->port, state_names[ss->state],
            (double)(g_get_monotonic_time() - ss->since) / 1e6, ss->hold, nin, nin == 1 ? "" : "es", ss->updates_in,
            nout, nout == 1 ? "" : "es", ss->updates_out, ss->close_why && ss->state == LS_IDLE ? "; last: " : "",
            ss->close_why && ss->state == LS_IDLE ? ss->close_why : "");
    fflush(lv->opt.status);
}

static gboolean on_status(gpointer user)
{
    ArLive *lv = user;
    for (guint i = 0; i < lv->sess->len; i++)
        status_line(lv, g_ptr_array_index(lv->sess, i));
    return G_SOURCE_CONTINUE;
}

static void set_state(LiveSess *ss, LiveState st)
{
    if (ss->state == st)
        return;
    ss->state = st;
    ss->since = g_get_monotonic_time();
    status_line(ss->lv, ss);
}

/* Prefixes as a JSON array of strings. O(n). */
static cJSON *prefix_list(const ArPrefix *p, guint n)
{
    cJSON *a = cJSON_CreateArray();
    char buf[PFX_STRLEN];
    for (guint i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(pfx_format(p[i], buf)));
    return a;
}

/* "10.1.0.0/16 10.2.0.0/16 (and 3 more)" */
static void prefix_text(GString *s, const ArPrefix *p, guint n)
{
    char buf[PFX_STRLEN];
    for (guint i = 0; i < n && i < LIST_MAX; i++)
        g_string_append_printf(s, "%s%s", i ? " " : "", pfx_format(p[i], buf));
    if (n > LIST_MAX)
        g_string_append_printf(s, " (and %u more)", n - LIST_MAX);
}

/* An UPDATE as an event: "update-in" or "update-out". */
static void emit_update(LiveSess *ss, const char *event, const ArAttrs *a, const ArPrefix *ann, guint nann,
                        const ArPrefix *wd, guint nwd, const char *note)
{
    ArLive *lv = ss->lv;
    g_autofree char *path = a ? attr_path_to_string(a->path) : NULL;
    char nh[IP_STRLEN];
    if (a)
        ip_format(a->next_hop, nh);
    g_autoptr(GString) t = g_string_new(strcmp(event, "update-in") == 0 ? "received" : "sent");
    if (nann) {
        g_string_append(t, " announce ");
        prefix_text(t, ann, nann);
        g_string_append_printf(t, " path %s next hop %s", *path ? path : "(empty)", nh);
    }
    if (nwd) {
        g_string_append(t, nann ? ";" : "");
        g_string_append(t, " withdraw ");
        prefix_text(t, wd, nwd);
    }
    if (!nann && !nwd)
        g_string_append(t, " End-of-RIB");
    if (note)
        g_string_append_printf(t, " (%s)", note);
    cJSON *f = NULL;
    if (lv->opt.json) {
        f = cJSON_CreateObject();
        cJSON_AddItemToObject(f, "announced", prefix_list(ann, nann));
        cJSON_AddItemToObject(f, "withdrawn", prefix_list(wd, nwd));
        if (a && nann) {
            cJSON_AddStringToObject(f, "asPath", path);
            cJSON_AddStringToObject(f, "nextHop", nh);
        }
    }
    emit(lv, event, ss, f, "%s", t->str);
}

/* ---- the engine on the wall clock --------------------------------------------------------------- */

static gboolean on_engine(gpointer user);

/* Runs the simulation up to the wall clock, then sleeps until its next event. Never called from
 * inside the engine (the trace hook only queues). */
static void engine_kick(ArLive *lv)
{
    ArSim *sim = lv->net->sim;
    ArTime now = (ArTime)MAX(g_get_monotonic_time() - lv->t0, 0);
    now = MAX(now, sim->now);
    if (bgp_run(sim, now) == RUN_EVENT_CAP && !lv->capped) {
        lv->capped = true;
        emit(lv, "warning", NULL, NULL, "the simulation reached its event cap: it no longer advances");
    }
    if (!lv->capped)
        bgp_advance(sim, now);
    if (lv->engine_id)
        g_source_remove(lv->engine_id);
    lv->engine_id = 0;
    const ArEvent *next = evq_peek(&sim->q);
    if (next && !lv->capped) {
        ArTime wait = next->time > now ? next->time - now : 0;
        guint ms = (guint)MIN(wait / 1000 + 1, 3600000u);
        lv->engine_id = g_timeout_add(ms, on_engine, lv);
    }
}

static gboolean on_engine(gpointer user)
{
    ArLive *lv = user;
    lv->engine_id = 0;
    engine_kick(lv);
    return G_SOURCE_REMOVE;
}

/* ---- sending ---------------------------------------------------------------------------------- */

static void close_sess(LiveSess *ss, const char *why, bool model_down);

static gboolean on_close_later(gpointer user)
{
    LiveSess *ss = user;
    ss->close_id = 0;
    g_autofree char *why = g_steal_pointer(&ss->close_why);
    close_sess(ss, why, true);
    return G_SOURCE_REMOVE;
}

/* Closes the session from the main loop's next turn (safe inside the engine's trace hook). */
static void close_later(LiveSess *ss, const char *why)
{
    if (ss->close_id)
        return;
    g_free(ss->close_why);
    ss->close_why = g_strdup(why);
    ss->close_id = g_idle_add(on_close_later, ss);
}

static gboolean on_writable(GSocket *sock, GIOCondition cond, gpointer user);

/* Hands tx to the kernel as far as it takes it; the rest waits for a writable socket. */
static void flush_tx(LiveSess *ss)
{
    if (!ss->conn)
        return;
    GSocket *sock = g_socket_connection_get_socket(ss->conn);
    while (ss->tx->len) {
        g_autoptr(GError) e = NULL;
        gssize n = g_socket_send(sock, (const gchar *)ss->tx->data, ss->tx->len, NULL, &e);
        if (n > 0) {
            g_byte_array_remove_range(ss->tx, 0, (guint)n);
            continue;
        }
        if (e && g_error_matches(e, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
            if (!ss->tx_src) {
                ss->tx_src = g_socket_create_source(sock, G_IO_OUT, NULL);
                g_source_set_callback(ss->tx_src, G_SOURCE_FUNC(on_writable), ss, NULL);
                g_source_attach(ss->tx_src, NULL);
            }
            return;
        }
        g_autofree char *why = g_strdup_printf("sending failed: %s", e ? e->message : "connection closed");
        close_later(ss, why);
        return;
    }
    if (ss->tx_src) {
        g_source_destroy(ss->tx_src);
        g_clear_pointer(&ss->tx_src, g_source_unref);
    }
}

static gboolean on_writable(GSocket *sock, GIOCondition cond, gpointer user)
{
    LiveSess *ss = user;
    flush_tx(ss);
    return G_SOURCE_CONTINUE;
}

static void send_keepalive(LiveSess *ss)
{
    bm_put_keepalive(ss->tx);
    ss->last_ka = g_get_monotonic_time();
    flush_tx(ss);
}

/* Sends a NOTIFICATION, as far as the kernel takes it at once and within STOP_FLUSH_MS. */
static void send_notification(LiveSess *ss, const BmError *e)
{
    bm_put_notification(ss->tx, e);
    if (!ss->conn)
        return;
    GSocket *sock = g_socket_connection_get_socket(ss->conn);
    g_socket_set_blocking(sock, TRUE);
    g_socket_set_timeout(sock, (STOP_FLUSH_MS + 999) / 1000);
    while (ss->tx->len) {
        gssize n = g_socket_send(sock, (const gchar *)ss->tx->data, ss->tx->len, NULL, NULL);
        if (n <= 0)
            break;
        g_byte_array_remove_range(ss->tx, 0, (guint)n);
    }
    g_socket_set_blocking(sock, FALSE);
    char data[3 * sizeof e->data + 1] = "";
    for (guint i = 0; i < e->data_len; i++)
        g_snprintf(data + 3 * i, 4, "%s%02x", i ? " " : "", e->data[i]);
    cJSON *f = cJSON_CreateObject();
    cJSON_AddNumberToObject(f, "code", e->code);
    cJSON_AddNumberToObject(f, "subcode", e->subcode);
    cJSON_AddStringToObject(f, "error", bm_error_name(e->code, e->subcode));
    if (e->why)
        cJSON_AddStringToObject(f, "why", e->why);
    emit(ss->lv, "notification-out", ss, f, "sent NOTIFICATION %u/%u %s%s%s%s%s", e->code, e->subcode,
         bm_error_name(e->code, e->subcode), e->why ? ": " : "", e->why ? e->why : "", e->data_len ? ", data " : "", data);
}

/* What the Route Server instance sent the NVA in the model goes out on the wire: withdrawals of
 * what the peer holds, then the announcements, split into messages of at most 4,096 bytes. The
 * peer's view (sent) follows. O(prefixes). Called from the engine's trace hook: only queues. */
static void send_routes(LiveSess *ss, const ArAttrs *a, const uint64_t *ann, uint32_t nann, const uint64_t *wd,
                        uint32_t nwd)
{
    g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    g_autoptr(GArray) n = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    for (uint32_t i = 0; i < nwd; i++) {
        gint64 k = (gint64)wd[i];
        if (g_hash_table_remove(ss->sent, &k)) {
            ArPrefix p = pfx_from_key(wd[i]);
            g_array_append_val(w, p);
        }
    }
    for (uint32_t i = 0; i < nann; i++) {
        ArPrefix p = pfx_from_key(ann[i]);
        g_array_append_val(n, p);
    }
    const ArPrefix *wp = (const ArPrefix *)(const void *)w->data, *np = (const ArPrefix *)(const void *)n->data;
    for (guint done = 0; done < w->len; ss->updates_out++)
        done += bm_put_withdraw(ss->tx, wp + done, w->len - done);
    guint sent = 0;
    while (sent < n->len) {
        guint k = bm_put_update(ss->tx, a, ss->as4, np + sent, n->len - sent);
        if (k == 0)
            break; /* the attributes alone exceed 4,096 bytes: not sendable (RFC 4271 9.2) */
        ss->updates_out++;
        sent += k;
    }
    for (guint i = 0; i < sent; i++) {
        gint64 *k = g_new(gint64, 1);
        *k = (gint64)pfx_key(np[i]);
        g_hash_table_replace(ss->sent, k, (gpointer)a);
    }
    if (w->len || sent)
        ss->last_ka = g_get_monotonic_time(); /* an UPDATE restarts the peer's hold timer too */
    emit_update(ss, "update-out", a, np, sent, wp, w->len,
                sent < n->len ? "the path attributes do not fit in a 4,096-byte message: not sent" : NULL);
    flush_tx(ss);
}

/* ---- the engine's trace hook -------------------------------------------------------------------- */

static LiveSess *sess_of(const ArLive *lv, const ArSpeaker *a, const ArSpeaker *b)
{
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        const ArSpeaker *nva = ss->s->sp[1 - ss->rs_side];
        if ((a == ss->rs && b == nva) || (a == nva && b == ss->rs))
            return ss;
    }
    return NULL;
}

static void on_trace(void *user, const ArTraceRec *r)
{
    ArLive *lv = user;
    LiveSess *ss;
    switch (r->kind) {
    case TR_UPDATE:
        /* What the Route Server instance tells the NVA reaches the real one. */
        if ((ss = sess_of(lv, r->from, r->to)) && r->from == ss->rs && ss->state == LS_ESTABLISHED)
            send_routes(ss, r->attrs, r->announced, r->n_announced, r->withdrawn, r->n_withdrawn);
        break;
    case TR_SESSION_DOWN:
        if ((ss = sess_of(lv, r->from, r->to)) && !ss->by_us && ss->state == LS_ESTABLISHED) {
            /* The model dropped it: over the route limit (Azure's 1,000 routes an NVA). */
            BmError e = { .code = BM_ERR_CEASE, .subcode = BM_SUB_MAX_PREFIXES, .why = r->text };
            send_notification(ss, &e);
            ss->wait_long = true;
            close_later(ss, r->text);
        }
        break;
    case TR_SCENARIO:
    case TR_NODE:
        emit(lv, "scenario", NULL, NULL, "%s", r->text);
        break;
    default:
        break;
    }
}

/* ---- receiving ---------------------------------------------------------------------------------- */

/* Sends a NOTIFICATION and closes (session reset). */
static void reset(LiveSess *ss, const BmError *e)
{
    send_notification(ss, e);
    g_autofree char *why = g_strdup_printf("sent NOTIFICATION %s", bm_error_name(e->code, e->subcode));
    close_sess(ss, why, true);
}

static void on_open(LiveSess *ss, const uint8_t *msg, size_t len)
{
    ArLive *lv = ss->lv;
    BmOpen o;
    BmError e = { 0 };
    if (!bm_parse_open(msg, len, &o, &e)) {
        reset(ss, &e);
        return;
    }
    if (o.asn != ss->nva_asn) {
        g_autofree char *why = g_strdup_printf("the peer is AS %u, the scenario's NVA AS %u", o.asn, ss->nva_asn);
        e = (BmError){ .code = BM_ERR_OPEN, .subcode = BM_SUB_BAD_PEER_AS, .why = why };
        send_notification(ss, &e);
        close_sess(ss, why, true);
        return;
    }
    if (o.bgp_id == ss->local.ip) {
        e = (BmError){ .code = BM_ERR_OPEN, .subcode = BM_SUB_BAD_ID, .why = "the peer has our BGP identifier" };
        reset(ss, &e);
        return;
    }
    ss->as4 = o.as4;
    ss->hold = o.hold_time == 0 || lv->opt.hold_time == 0 ? 0 : MIN(o.hold_time, lv->opt.hold_time);
    char id[IP_STRLEN];
    cJSON *f = cJSON_CreateObject();
    cJSON_AddNumberToObject(f, "asn", o.asn);
    cJSON_AddStringToObject(f, "bgpId", ip_format(o.bgp_id, id));
    cJSON_AddNumberToObject(f, "holdTime", ss->hold);
    cJSON_AddBoolToObject(f, "fourOctetAs", o.as4);
    cJSON_AddBoolToObject(f, "routeRefresh", o.route_refresh);
    emit(lv, "open-in", ss, f, "received OPEN: AS %u, BGP identifier %s, hold time %u s (negotiated %u s)%s%s", o.asn,
         id, o.hold_time, ss->hold, o.as4 ? ", 4-octet AS" : "", o.route_refresh ? ", route refresh" : "");
    send_keepalive(ss);
    set_state(ss, LS_OPENCONFIRM);
}

static void established(LiveSess *ss)
{
    ArLive *lv = ss->lv;
    set_state(ss, LS_ESTABLISHED);
    emit(lv, "established", ss, NULL, "session Established");
    /* The modelled session comes up now: the instance sends its whole table (through the trace). */
    engine_kick(lv);
    bgp_session_set_live(lv->net->sim, ss->s, true, NULL);
    engine_kick(lv);
}

static void on_update(LiveSess *ss, const uint8_t *msg, size_t len)
{
    ArLive *lv = ss->lv;
    ArSim *sim = lv->net->sim;
    BmUpdate u;
    BmError e = { 0 };
    bm_update_init(&u);
    if (!bm_parse_update(msg, len, ss->as4, sim->attrs, &u, &e)) {
        bm_update_clear(&u);
        reset(ss, &e);
        return;
    }
    ss->updates_in++;
    /* RFC 7606: the NLRI of an UPDATE with malformed attributes are withdrawn. */
    GArray *wd = u.withdrawn;
    if (u.treat_as_withdraw)
        g_array_append_vals(wd, u.nlri->data, u.nlri->len);
    const ArPrefix *wp = (const ArPrefix *)(const void *)wd->data;
    const ArPrefix *np = (const ArPrefix *)(const void *)u.nlri->data;
    guint nann = u.attrs ? u.nlri->len : 0;
    g_autofree uint64_t *keys = g_new(uint64_t, wd->len + nann + 1);
    for (guint i = 0; i < wd->len; i++) {
        keys[i] = pfx_key(wp[i]);
        gint64 k = (gint64)keys[i];
        g_hash_table_remove(ss->received, &k);
    }
    for (guint i = 0; i < nann; i++) {
        keys[wd->len + i] = pfx_key(np[i]);
        gint64 *k = g_new(gint64, 1);
        *k = (gint64)keys[wd->len + i];
        g_hash_table_add(ss->received, k);
    }
    g_autofree char *note = u.treat_as_withdraw ? g_strdup_printf("RFC 7606 treat-as-withdraw: %s", u.why) : NULL;
    emit_update(ss, "update-in", u.attrs, np, nann, wp, wd->len, note);
    engine_kick(lv);
    bgp_deliver_now(sim, ss->s, ss->rs_side, u.attrs, keys, wd->len, keys + wd->len, nann);
    engine_kick(lv);
    bm_update_clear(&u);
}

static gint key_cmp(gconstpointer a, gconstpointer b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* One whole message. */
static void on_message(LiveSess *ss, const uint8_t *msg, size_t len)
{
    ss->last_rx = g_get_monotonic_time();
    uint8_t type = msg[18];
    BmError fsm = { .code = BM_ERR_FSM, .why = "message not expected in this state" };
    switch (type) {
    case BM_OPEN:
        if (ss->state != LS_OPENSENT)
            reset(ss, &fsm);
        else
            on_open(ss, msg, len);
        return;
    case BM_KEEPALIVE:
        if (ss->state == LS_OPENCONFIRM)
            established(ss);
        else if (ss->state != LS_ESTABLISHED)
            reset(ss, &fsm);
        return;
    case BM_UPDATE:
        if (ss->state != LS_ESTABLISHED)
            reset(ss, &fsm);
        else
            on_update(ss, msg, len);
        return;
    case BM_NOTIFICATION: {
        BmError e;
        bm_parse_notification(msg, len, &e);
        cJSON *f = cJSON_CreateObject();
        cJSON_AddNumberToObject(f, "code", e.code);
        cJSON_AddNumberToObject(f, "subcode", e.subcode);
        cJSON_AddStringToObject(f, "error", e.why);
        emit(ss->lv, "notification-in", ss, f, "received NOTIFICATION %u/%u %s", e.code, e.subcode, e.why);
        g_autofree char *why = g_strdup_printf("received NOTIFICATION %s", e.why);
        close_sess(ss, why, true);
        return;
    }
    case BM_ROUTE_REFRESH: {
        if (ss->state != LS_ESTABLISHED) {
            reset(ss, &fsm);
            return;
        }
        /* RFC 2918: everything the peer holds from us, again. */
        GHashTableIter it;
        gpointer k, v;
        g_autoptr(GHashTable) by_attrs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                                               (GDestroyNotify)g_array_unref);
        g_hash_table_iter_init(&it, ss->sent);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            GArray *keys = g_hash_table_lookup(by_attrs, v);
            if (!keys)
                g_hash_table_insert(by_attrs, v, keys = g_array_new(FALSE, FALSE, sizeof(uint64_t)));
            uint64_t key = (uint64_t) * (gint64 *)k;
            g_array_append_val(keys, key);
        }
        emit(ss->lv, "route-refresh", ss, NULL, "received ROUTE-REFRESH: sending the %u prefixes again",
             g_hash_table_size(ss->sent));
        g_hash_table_iter_init(&it, by_attrs);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            GArray *keys = v;
            g_array_sort(keys, key_cmp); /* keys sort as prefixes do */
            send_routes(ss, k, (const uint64_t *)(const void *)keys->data, keys->len, NULL, 0);
        }
        return;
    }
    default:
        g_assert_not_reached(); /* bm_frame refuses other types */
    }
}

static gboolean on_readable(GSocket *sock, GIOCondition cond, gpointer user)
{
    LiveSess *ss = user;
    uint8_t buf[BM_MAX_LEN];
    for (;;) {
        g_autoptr(GError) e = NULL;
        gssize n = g_socket_receive(sock, (gchar *)buf, sizeof buf, NULL, &e);
        if (n > 0) {
            g_byte_array_append(ss->rx, buf, (guint)n);
            continue;
        }
        if (n < 0 && g_error_matches(e, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            break;
        g_autofree char *why = n == 0 ? g_strdup("connection closed by the peer")
                                      : g_strdup_printf("receiving failed: %s", e->message);
        close_sess(ss, why, true);
        return G_SOURCE_REMOVE;
    }
    while (ss->conn && !ss->close_id) { /* nothing more once a close is decided */
        BmError e = { 0 };
        gssize m = bm_frame(ss->rx->data, ss->rx->len, &e);
        if (m == 0)
            break;
        if (m < 0) {
            reset(ss, &e);
            break;
        }
        uint8_t msg[BM_MAX_LEN];
        memcpy(msg, ss->rx->data, (size_t)m);
        g_byte_array_remove_range(ss->rx, 0, (guint)m);
        on_message(ss, msg, (size_t)m);
    }
    return ss->conn ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* ---- connections ------------------------------------------------------------------------------ */

static void start_connect(LiveSess *ss);

static gboolean on_retry(gpointer user)
{
    LiveSess *ss = user;
    ss->retry_id = 0;
    ss->wait_long = false;
    if (!ss->lv->opt.passive)
        start_connect(ss);
    return G_SOURCE_REMOVE;
}

/* The 1 Hz timer of a connected session: keepalives at a third of the hold time, hold timer. */
static gboolean on_tick(gpointer user)
{
    LiveSess *ss = user;
    gint64 now = g_get_monotonic_time();
    guint hold = ss->state == LS_OPENSENT ? OPEN_HOLD : ss->hold;
    if (hold && now - ss->last_rx > (gint64)hold * G_USEC_PER_SEC) {
        BmError e = { .code = BM_ERR_HOLD, .why = "no message within the hold time" };
        reset(ss, &e);
        return G_SOURCE_REMOVE;
    }
    if (ss->hold && ss->state >= LS_OPENCONFIRM && now - ss->last_ka >= (gint64)ss->hold * G_USEC_PER_SEC / 3)
        send_keepalive(ss);
    return G_SOURCE_CONTINUE;
}

/* A TCP connection to the peer: OPEN goes out, the FSM waits for the peer's. */
static void attach(LiveSess *ss, GSocketConnection *conn)
{
    ss->conn = conn;
    GSocket *sock = g_socket_connection_get_socket(conn);
    g_socket_set_blocking(sock, FALSE);
    ss->rx_src = g_socket_create_source(sock, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
    g_source_set_callback(ss->rx_src, G_SOURCE_FUNC(on_readable), ss, NULL);
    g_source_attach(ss->rx_src, NULL);
    ss->last_rx = ss->last_ka = g_get_monotonic_time();
    ss->timer_id = g_timeout_add_seconds(1, on_tick, ss);
    ss->hold = 0;
    emit(ss->lv, "connected", ss, NULL, "TCP connection up");
    BmOpen o = { .asn = ss->rs->asn, .hold_time = ss->lv->opt.hold_time, .bgp_id = ss->local.ip, .as4 = true,
                 .route_refresh = true, .ipv4_unicast = true };
    bm_put_open(ss->tx, &o);
    flush_tx(ss);
    set_state(ss, LS_OPENSENT);
}

static void on_connected(GObject *src, GAsyncResult *res, gpointer user)
{
    LiveSess *ss = user;
    g_autoptr(GError) e = NULL;
    GSocketConnection *conn = g_socket_client_connect_finish(G_SOCKET_CLIENT(src), res, &e);
    g_clear_object(&ss->connecting);
    if (!conn) {
        if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return;
        g_free(ss->close_why);
        ss->close_why = g_strdup_printf("connection failed: %s", e->message);
        emit(ss->lv, "connect-failed", ss, NULL, "%s; again in %u s", ss->close_why,
             ss->lv->opt.connect_retry);
        set_state(ss, LS_IDLE);
        if (!ss->lv->stopping)
            ss->retry_id = g_timeout_add_seconds(ss->lv->opt.connect_retry, on_retry, ss);
        return;
    }
    if (ss->state != LS_CONNECT || ss->lv->stopping) {
        g_object_unref(conn);
        return;
    }
    attach(ss, conn);
}

static void start_connect(LiveSess *ss)
{
    if (ss->state != LS_IDLE || ss->lv->stopping)
        return;
    set_state(ss, LS_CONNECT);
    if (!ss->client) {
        ss->client = g_socket_client_new();
        g_autoptr(GInetAddress) la = g_inet_address_new_from_bytes(
            (const guint8[]){ (guint8)(ss->local.ip >> 24), (guint8)(ss->local.ip >> 16), (guint8)(ss->local.ip >> 8),
                              (guint8)ss->local.ip },
            G_SOCKET_FAMILY_IPV4);
        g_autoptr(GSocketAddress) local = g_inet_socket_address_new(la, ss->local.port);
        g_socket_client_set_local_address(ss->client, local);
        g_socket_client_set_timeout(ss->client, 10);
        g_socket_client_set_enable_proxy(ss->client, FALSE); /* BGP goes straight to the peer, never via http_proxy */
    }
    char peer[IP_STRLEN];
    g_autoptr(GSocketConnectable) remote = g_network_address_new(ip_format(ss->peer->ip, peer), ss->peer->port);
    ss->connecting = g_cancellable_new();
    g_socket_client_connect_async(ss->client, remote, ss->connecting, on_connected, ss);
}

/* Back to Idle: the connection closed, the modelled session down (model_down) or left as it
 * was (the run is ending: the report shows the routes as they were), a reconnection planned. */
static void close_sess(LiveSess *ss, const char *why, bool model_down)
{
    ArLive *lv = ss->lv;
    if (ss->close_id) {
        g_source_remove(ss->close_id);
        ss->close_id = 0;
    }
    if (why && why != ss->close_why) {
        g_free(ss->close_why);
        ss->close_why = g_strdup(why);
    }
    bool was_up = ss->state == LS_ESTABLISHED;
    if (ss->timer_id)
        g_source_remove(ss->timer_id);
    ss->timer_id = 0;
    if (ss->rx_src) {
        g_source_destroy(ss->rx_src);
        g_clear_pointer(&ss->rx_src, g_source_unref);
    }
    if (ss->tx_src) {
        g_source_destroy(ss->tx_src);
        g_clear_pointer(&ss->tx_src, g_source_unref);
    }
    if (ss->conn) {
        g_io_stream_close(G_IO_STREAM(ss->conn), NULL, NULL);
        g_clear_object(&ss->conn);
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "why", ss->close_why ? ss->close_why : "");
        emit(lv, "closed", ss, f, "connection closed: %s", ss->close_why ? ss->close_why : "");
    }
    set_state(ss, LS_IDLE); /* the status line still counts what the connection carried */
    g_byte_array_set_size(ss->rx, 0);
    g_byte_array_set_size(ss->tx, 0);
    g_hash_table_remove_all(ss->sent);
    g_hash_table_remove_all(ss->received);
    ss->updates_in = ss->updates_out = 0;
    if (was_up && model_down) {
        ss->by_us = true;
        engine_kick(lv);
        bgp_session_set_live(lv->net->sim, ss->s, false, ss->close_why ? ss->close_why : "closed");
        engine_kick(lv);
        ss->by_us = false;
    }
    if (!lv->stopping && !ss->retry_id) {
        /* After a route-limit drop the model keeps the session idle for retry_after_limit. */
        guint wait = ss->wait_long ? (guint)(lv->net->sim->cfg.retry_after_limit / AR_SEC) : lv->opt.connect_retry;
        ss->retry_id = g_timeout_add_seconds(MAX(wait, 1u), on_retry, ss);
    }
}

/* --passive: a connection from a peer, to one instance's address. */
static gboolean on_incoming(GSocketService *svc, GSocketConnection *conn, GObject *src, gpointer user)
{
    ArLive *lv = user;
    g_autoptr(GSocketAddress) ra = g_socket_connection_get_remote_address(conn, NULL);
    g_autoptr(GSocketAddress) la = g_socket_connection_get_local_address(conn, NULL);
    if (!ra || !la || !G_IS_INET_SOCKET_ADDRESS(ra) || !G_IS_INET_SOCKET_ADDRESS(la))
        return FALSE;
    g_autofree char *rs = g_inet_address_to_string(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(ra)));
    g_autofree char *ls = g_inet_address_to_string(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(la)));
    uint16_t lport = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(la));
    uint32_t rip = 0, lip = 0;
    if (!ip_parse(rs, &rip) || !ip_parse(ls, &lip))
        return FALSE;
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        if (ss->peer->ip != rip || ss->local.ip != lip || ss->local.port != lport)
            continue;
        if (ss->state != LS_IDLE || ss->retry_id) { /* busy, or waiting out a route-limit drop */
            emit(lv, "refused", ss, NULL, "refused a connection from %s: session %s%s", rs, state_names[ss->state],
                 ss->retry_id ? " (waiting)" : "");
            return FALSE;
        }
        attach(ss, g_object_ref(conn));
        return TRUE;
    }
    emit(lv, "refused", NULL, NULL, "refused a connection from %s to %s:%u: no --peer there", rs, ls, lport);
    return FALSE;
}

/* ---- stopping ---------------------------------------------------------------------------------- */

static gboolean stop(ArLive *lv, const char *why)
{
    if (lv->stopping)
        return G_SOURCE_REMOVE;
    lv->stopping = true;
    lv->stop_why = why;
    emit(lv, "stop", NULL, NULL, "stopping: %s", why);
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        if (ss->state >= LS_OPENSENT) {
            BmError e = { .code = BM_ERR_CEASE, .subcode = BM_SUB_SHUTDOWN, .why = why };
            send_notification(ss, &e);
        }
        g_autofree char *r = g_strdup_printf("arsim stopped (%s)", why);
        close_sess(ss, r, false);
        if (ss->connecting)
            g_cancellable_cancel(ss->connecting);
        if (ss->retry_id)
            g_source_remove(ss->retry_id);
        ss->retry_id = 0;
    }
    g_main_loop_quit(lv->loop);
    return G_SOURCE_REMOVE;
}

static gboolean on_sigint(gpointer user) { return stop(user, "SIGINT"); }
static gboolean on_sigterm(gpointer user) { return stop(user, "SIGTERM"); }
static gboolean on_duration(gpointer user)
{
    ((ArLive *)user)->stop_id = 0;
    return stop(user, "--duration elapsed");
}

/* ---- the played NVA --------------------------------------------------------------------------- */

static const ArAttrs *played_export(ArSpeaker *sp, ArPeer *to, uint64_t key, const ArRoute *r, const char **why)
{
    *why = "played by a real BGP speaker (arsim live): it announces what its own configuration says";
    return NULL;
}

/* A played NVA hears what its peers send (its table shows what arsim sent the real one) and tells
 * its simulated peers nothing: the real speaker's announcements reach the Route Server directly. */
static const ArPolicy policy_played = { .import = bgp_import_standard, .export = played_export };

/* ---- the run ----------------------------------------------------------------------------------- */

/* Each epoch's effective routes as it closes, kept by the run (as run_scenario does). */
static void snapshot_eff(ArNet *net, ArEpoch *ep)
{
    ArRun *run = net->epoch_user;
    g_ptr_array_add(run->epoch_eff, eff_compute(net));
}

static void sess_free(gpointer p)
{
    LiveSess *ss = p;
    g_assert(!ss->conn && !ss->connecting);
    g_clear_object(&ss->client);
    g_byte_array_unref(ss->rx);
    g_byte_array_unref(ss->tx);
    g_hash_table_destroy(ss->sent);
    g_hash_table_destroy(ss->received);
    g_free(ss->close_why);
    g_free(ss->name);
    g_free(ss);
}

ArLive *live_new(ArScenario *scn, const ArLiveOptions *opt, GError **error)
{
    g_assert(opt->peers && opt->peers->len > 0 && opt->events && opt->status);
    g_autoptr(GArray) nvas = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < opt->peers->len; i++) {
        const ArLivePeer *p = &g_array_index(opt->peers, ArLivePeer, i);
        guint found = G_MAXUINT;
        for (guint k = 0; k < scn->nvas->len; k++)
            if (strcmp(((const ArNva *)g_ptr_array_index(scn->nvas, k))->name, p->nva) == 0)
                found = k;
        if (found == G_MAXUINT) {
            g_set_error(error, AR_ERROR, AR_ERROR_INPUT, "--peer %s: the scenario has no NVA named \"%s\"", p->nva, p->nva);
            return NULL;
        }
        const ArNva *nva = g_ptr_array_index(scn->nvas, found);
        if (nva->route_server == AR_NO_INDEX) {
            g_set_error(error, AR_ERROR, AR_ERROR_INPUT, "--peer %s: the NVA peers with no Route Server", p->nva);
            return NULL;
        }
        for (guint k = 0; k < nvas->len; k++)
            if (g_array_index(nvas, guint, k) == found) {
                g_set_error(error, AR_ERROR, AR_ERROR_INPUT, "--peer %s: given twice", p->nva);
                return NULL;
            }
        g_array_append_val(nvas, found);
    }
    if (opt->passive && opt->local[0].ip && opt->local[0].ip == opt->local[1].ip &&
        opt->local[0].port == opt->local[1].port) {
        g_set_error(error, AR_ERROR, AR_ERROR_INPUT,
                    "--passive: the two Route Server instances need different --local addresses or ports");
        return NULL;
    }
    ArLive *lv = g_new0(ArLive, 1);
    lv->scn = scn;
    lv->opt = *opt;
    /* A played NVA's announcements are the real speaker's: none of the scenario's. */
    for (guint i = 0; i < nvas->len; i++) {
        ArNva *nva = g_ptr_array_index(scn->nvas, g_array_index(nvas, guint, i));
        g_array_set_size(nva->originations, 0);
        g_clear_pointer(&nva->table, scn_route_table_free);
    }
    ArSimConfig cfg = azure_sim_config(scn, NULL);
    lv->run = g_new0(ArRun, 1);
    lv->run->epoch_eff = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    lv->run->net = lv->net = azure_net(scn, &cfg);
    lv->net->on_epoch_end = snapshot_eff;
    lv->net->epoch_user = lv->run;
    lv->net->sim->trace = on_trace;
    lv->net->sim->trace_user = lv;
    lv->sess = g_ptr_array_new_with_free_func(sess_free);
    for (guint i = 0; i < nvas->len; i++) {
        guint n = g_array_index(nvas, guint, i);
        const ArNva *nva = g_ptr_array_index(scn->nvas, n);
        ArSpeaker *sp = lv->net->nva[n];
        sp->policy = &policy_played;
        for (int k = 0; k < 2; k++) {
            ArSpeaker *rs = lv->net->rs[nva->route_server][k];
            LiveSess *ss = g_new0(LiveSess, 1);
            for (guint j = 0; j < sp->peers->len && !ss->s; j++)
                if (bgp_peer(sp, (uint16_t)j)->remote == rs)
                    ss->s = bgp_peer(sp, (uint16_t)j)->session;
            g_assert(ss->s);
            ss->lv = lv;
            ss->rs_side = ss->s->sp[0] == rs ? 0 : 1;
            ss->rs = rs;
            ss->peer = &g_array_index(opt->peers, ArLivePeer, i);
            ss->nva_asn = nva->asn;
            ss->local = opt->local[k];
            if (!ss->local.ip)
                ss->local.ip = rs->ip;
            if (opt->passive && !ss->local.port)
                ss->local.port = 179;
            ss->name = g_strdup_printf("%s - %s", rs->name, nva->name);
            ss->rx = g_byte_array_new();
            ss->tx = g_byte_array_new();
            ss->sent = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
            ss->received = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
            ss->since = g_get_monotonic_time();
            g_ptr_array_add(lv->sess, ss);
        }
    }
    return lv;
}

/* The listening sockets of --passive, one per instance address. */
static gboolean listen_all(ArLive *lv, GError **error)
{
    lv->service = g_socket_service_new();
    g_autoptr(GHashTable) done = g_hash_table_new(g_int64_hash, g_int64_equal);
    g_autoptr(GArray) keys = g_array_sized_new(FALSE, FALSE, sizeof(gint64), lv->sess->len);
    for (guint i = 0; i < lv->sess->len; i++) {
        const LiveSess *ss = g_ptr_array_index(lv->sess, i);
        gint64 key = (gint64)ss->local.ip << 16 | ss->local.port;
        g_array_append_val(keys, key);
        if (g_hash_table_contains(done, &g_array_index(keys, gint64, i)))
            continue;
        g_hash_table_add(done, &g_array_index(keys, gint64, i));
        char ip[IP_STRLEN];
        g_autoptr(GInetAddress) a = g_inet_address_new_from_string(ip_format(ss->local.ip, ip));
        g_autoptr(GSocketAddress) sa = g_inet_socket_address_new(a, ss->local.port);
        g_autoptr(GError) e = NULL;
        if (!g_socket_listener_add_address(G_SOCKET_LISTENER(lv->service), sa, G_SOCKET_TYPE_STREAM,
                                           G_SOCKET_PROTOCOL_TCP, NULL, NULL, &e)) {
            g_set_error(error, AR_ERROR, AR_ERROR_INPUT, "cannot listen on %s:%u for %s: %s (--local sets the address)",
                        ip, ss->local.port, ss->rs->name, e->message);
            return FALSE;
        }
    }
    g_signal_connect(lv->service, "incoming", G_CALLBACK(on_incoming), lv);
    g_socket_service_start(lv->service);
    return TRUE;
}

gboolean live_run(ArLive *lv, GError **error)
{
    g_assert(!lv->started);
    lv->started = true;
    ArSim *sim = lv->net->sim;
    azure_start(lv->net);
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        bgp_session_set_live(sim, ss->s, false, NULL); /* up when the real one is */
    }
    lv->t0 = g_get_monotonic_time();
    lv->loop = g_main_loop_new(NULL, FALSE);
    if (lv->opt.passive && !listen_all(lv, error))
        return FALSE;
    emit(lv, "start", NULL, NULL, "%s: %u session%s, %s", lv->scn->name ? lv->scn->name : "scenario", lv->sess->len,
         lv->sess->len == 1 ? "" : "s", lv->opt.passive ? "waiting for the peers to connect" : "connecting to the peers");
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        if (lv->opt.passive)
            status_line(lv, ss);
        else
            start_connect(ss);
    }
    lv->sig_id[0] = g_unix_signal_add(SIGINT, on_sigint, lv);
    lv->sig_id[1] = g_unix_signal_add(SIGTERM, on_sigterm, lv);
    if (lv->opt.duration > 0)
        lv->stop_id = g_timeout_add((guint)MIN(lv->opt.duration * 1000, (double)G_MAXUINT), on_duration, lv);
    if (lv->opt.status_every > 0)
        lv->status_id = g_timeout_add((guint)MIN(lv->opt.status_every * 1000, (double)G_MAXUINT), on_status, lv);
    engine_kick(lv);
    g_main_loop_run(lv->loop);

    /* Cancelled connection attempts report back before anything is freed. */
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        while (ss->connecting)
            g_main_context_iteration(NULL, TRUE);
    }
    engine_kick(lv); /* the simulation up to the moment it stopped */
    for (guint i = 0; i < G_N_ELEMENTS(lv->sig_id); i++)
        g_source_remove(lv->sig_id[i]);
    if (lv->stop_id)
        g_source_remove(lv->stop_id);
    if (lv->status_id)
        g_source_remove(lv->status_id);
    if (lv->engine_id)
        g_source_remove(lv->engine_id);
    lv->stop_id = lv->status_id = lv->engine_id = 0;
    if (lv->service) {
        g_socket_service_stop(lv->service);
        g_socket_listener_close(G_SOCKET_LISTENER(lv->service));
    }
    return TRUE;
}

const ArRun *live_result(ArLive *lv)
{
    g_assert(lv->started);
    if (!lv->finished) {
        lv->finished = true;
        azure_finish(lv->net);
        lv->run->eff = g_ptr_array_index(lv->run->epoch_eff, lv->run->epoch_eff->len - 1);
        lv->run->end = lv->capped ? RUN_EVENT_CAP : RUN_CONVERGED;
    }
    return lv->run;
}

void live_free(ArLive *lv)
{
    if (!lv)
        return;
    if (lv->sess)
        g_ptr_array_unref(lv->sess);
    g_clear_object(&lv->service);
    if (lv->loop)
        g_main_loop_unref(lv->loop);
    run_free(lv->run); /* and the network */
    g_free(lv);
}
