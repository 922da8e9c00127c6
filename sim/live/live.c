/* live.c - arsim live: each Route Server instance speaks BGP-4 over TCP (GLib sockets, GMainLoop) to
 * the real NVAs; everything else of the scenario is simulated, on the wall clock. This file: the
 * options, events and status, the engine on the wall clock, the run; the sessions are live_session.c. */
#include "live_priv.h"

#include <glib-unix.h>
#include <signal.h>
#include <string.h>

const char *const live_state_names[] = { "Idle", "Connect", "OpenSent", "OpenConfirm", "Established" };

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
void live_emit(ArLive *lv, const char *event, const LiveSess *ss, cJSON *fields, const char *fmt, ...)
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
            ss->name, local, peer, ss->peer->port, live_state_names[ss->state],
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

void live_set_state(LiveSess *ss, LiveState st)
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
void live_emit_update(LiveSess *ss, const char *event, const ArAttrs *a, const ArPrefix *ann, guint nann,
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
    live_emit(lv, event, ss, f, "%s", t->str);
}

/* ---- the engine on the wall clock --------------------------------------------------------------- */

static gboolean on_engine(gpointer user);

/* Runs the simulation up to the wall clock, then sleeps until its next event. Never called from
 * inside the engine (the trace hook only queues). */
void live_engine_kick(ArLive *lv)
{
    ArSim *sim = lv->net->sim;
    ArTime now = (ArTime)MAX(g_get_monotonic_time() - lv->t0, 0);
    now = MAX(now, sim->now);
    if (bgp_run(sim, now) == RUN_EVENT_CAP && !lv->capped) {
        lv->capped = true;
        live_emit(lv, "warning", NULL, NULL, "the simulation reached its event cap: it no longer advances");
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
    live_engine_kick(lv);
    return G_SOURCE_REMOVE;
}

/* ---- stopping ---------------------------------------------------------------------------------- */

static gboolean stop(ArLive *lv, const char *why)
{
    if (lv->stopping)
        return G_SOURCE_REMOVE;
    lv->stopping = true;
    lv->stop_why = why;
    live_emit(lv, "stop", NULL, NULL, "stopping: %s", why);
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        if (ss->state >= LS_OPENSENT) {
            BmError e = { .code = BM_ERR_CEASE, .subcode = BM_SUB_SHUTDOWN, .why = why };
            live_send_notification(ss, &e);
        }
        g_autofree char *r = g_strdup_printf("arsim stopped (%s)", why);
        live_sess_close(ss, r, false);
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
    lv->run = run_prepare(scn, &cfg);
    lv->net = lv->run->net;
    lv->net->sim->trace = live_on_trace;
    lv->net->sim->trace_user = lv;
    lv->sess = g_ptr_array_new_with_free_func(live_sess_free);
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
    g_signal_connect(lv->service, "incoming", G_CALLBACK(live_on_incoming), lv);
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
    live_emit(lv, "start", NULL, NULL, "%s: %u session%s, %s", lv->scn->name ? lv->scn->name : "scenario", lv->sess->len,
         lv->sess->len == 1 ? "" : "s", lv->opt.passive ? "waiting for the peers to connect" : "connecting to the peers");
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        if (lv->opt.passive)
            status_line(lv, ss);
        else
            live_sess_connect(ss);
    }
    lv->sig_id[0] = g_unix_signal_add(SIGINT, on_sigint, lv);
    lv->sig_id[1] = g_unix_signal_add(SIGTERM, on_sigterm, lv);
    if (lv->opt.duration > 0)
        lv->stop_id = g_timeout_add((guint)MIN(lv->opt.duration * 1000, (double)G_MAXUINT), on_duration, lv);
    if (lv->opt.status_every > 0)
        lv->status_id = g_timeout_add((guint)MIN(lv->opt.status_every * 1000, (double)G_MAXUINT), on_status, lv);
    live_engine_kick(lv);
    g_main_loop_run(lv->loop);

    /* Cancelled connection attempts report back before anything is freed. */
    for (guint i = 0; i < lv->sess->len; i++) {
        LiveSess *ss = g_ptr_array_index(lv->sess, i);
        while (ss->connecting)
            g_main_context_iteration(NULL, TRUE);
    }
    live_engine_kick(lv); /* the simulation up to the moment it stopped */
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
        run_close(lv->run, lv->capped ? RUN_EVENT_CAP : RUN_CONVERGED);
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
