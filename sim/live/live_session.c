/* live_session.c - arsim live's real sessions: TCP connections, BGP-4 messages in and out, the FSM, the engine's trace hook. */
#include "live_priv.h"

#include <string.h>

/* ---- sending ---------------------------------------------------------------------------------- */

static gboolean on_close_later(gpointer user)
{
    LiveSess *ss = user;
    ss->close_id = 0;
    g_autofree char *why = g_steal_pointer(&ss->close_why);
    live_sess_close(ss, why, true);
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
void live_send_notification(LiveSess *ss, const BmError *e)
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
    live_emit(ss->lv, "notification-out", ss, f, "sent NOTIFICATION %u/%u %s%s%s%s%s", e->code, e->subcode,
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
    live_emit_update(ss, "update-out", a, np, sent, wp, w->len,
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

void live_on_trace(void *user, const ArTraceRec *r)
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
            live_send_notification(ss, &e);
            ss->wait_long = true;
            close_later(ss, r->text);
        }
        break;
    case TR_SCENARIO:
    case TR_NODE:
        live_emit(lv, "scenario", NULL, NULL, "%s", r->text);
        break;
    default:
        break;
    }
}

/* ---- receiving ---------------------------------------------------------------------------------- */

/* Sends a NOTIFICATION and closes (session reset). */
static void reset(LiveSess *ss, const BmError *e)
{
    live_send_notification(ss, e);
    g_autofree char *why = g_strdup_printf("sent NOTIFICATION %s", bm_error_name(e->code, e->subcode));
    live_sess_close(ss, why, true);
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
        live_send_notification(ss, &e);
        live_sess_close(ss, why, true);
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
    live_emit(lv, "open-in", ss, f, "received OPEN: AS %u, BGP identifier %s, hold time %u s (negotiated %u s)%s%s", o.asn,
         id, o.hold_time, ss->hold, o.as4 ? ", 4-octet AS" : "", o.route_refresh ? ", route refresh" : "");
    send_keepalive(ss);
    live_set_state(ss, LS_OPENCONFIRM);
}

static void established(LiveSess *ss)
{
    ArLive *lv = ss->lv;
    live_set_state(ss, LS_ESTABLISHED);
    live_emit(lv, "established", ss, NULL, "session Established");
    /* The modelled session comes up now: the instance sends its whole table (through the trace). */
    live_engine_kick(lv);
    bgp_session_set_live(lv->net->sim, ss->s, true, NULL);
    live_engine_kick(lv);
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
    live_emit_update(ss, "update-in", u.attrs, np, nann, wp, wd->len, note);
    live_engine_kick(lv);
    bgp_deliver_now(sim, ss->s, ss->rs_side, u.attrs, keys, wd->len, keys + wd->len, nann);
    live_engine_kick(lv);
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
        live_emit(ss->lv, "notification-in", ss, f, "received NOTIFICATION %u/%u %s", e.code, e.subcode, e.why);
        g_autofree char *why = g_strdup_printf("received NOTIFICATION %s", e.why);
        live_sess_close(ss, why, true);
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
        live_emit(ss->lv, "route-refresh", ss, NULL, "received ROUTE-REFRESH: sending the %u prefixes again",
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
        live_sess_close(ss, why, true);
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

static gboolean on_retry(gpointer user)
{
    LiveSess *ss = user;
    ss->retry_id = 0;
    ss->wait_long = false;
    if (!ss->lv->opt.passive)
        live_sess_connect(ss);
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
    live_emit(ss->lv, "connected", ss, NULL, "TCP connection up");
    BmOpen o = { .asn = ss->rs->asn, .hold_time = ss->lv->opt.hold_time, .bgp_id = ss->local.ip, .as4 = true,
                 .route_refresh = true, .ipv4_unicast = true };
    bm_put_open(ss->tx, &o);
    flush_tx(ss);
    live_set_state(ss, LS_OPENSENT);
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
        live_emit(ss->lv, "connect-failed", ss, NULL, "%s; again in %u s", ss->close_why,
             ss->lv->opt.connect_retry);
        live_set_state(ss, LS_IDLE);
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

void live_sess_connect(LiveSess *ss)
{
    if (ss->state != LS_IDLE || ss->lv->stopping)
        return;
    live_set_state(ss, LS_CONNECT);
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
void live_sess_close(LiveSess *ss, const char *why, bool model_down)
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
        live_emit(lv, "closed", ss, f, "connection closed: %s", ss->close_why ? ss->close_why : "");
    }
    live_set_state(ss, LS_IDLE); /* the status line still counts what the connection carried */
    g_byte_array_set_size(ss->rx, 0);
    g_byte_array_set_size(ss->tx, 0);
    g_hash_table_remove_all(ss->sent);
    g_hash_table_remove_all(ss->received);
    ss->updates_in = ss->updates_out = 0;
    if (was_up && model_down) {
        ss->by_us = true;
        live_engine_kick(lv);
        bgp_session_set_live(lv->net->sim, ss->s, false, ss->close_why ? ss->close_why : "closed");
        live_engine_kick(lv);
        ss->by_us = false;
    }
    if (!lv->stopping && !ss->retry_id) {
        /* After a route-limit drop the model keeps the session idle for retry_after_limit. */
        guint wait = ss->wait_long ? (guint)(lv->net->sim->cfg.retry_after_limit / AR_SEC) : lv->opt.connect_retry;
        ss->retry_id = g_timeout_add_seconds(MAX(wait, 1u), on_retry, ss);
    }
}

/* --passive: a connection from a peer, to one instance's address. */
gboolean live_on_incoming(GSocketService *svc, GSocketConnection *conn, GObject *src, gpointer user)
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
            live_emit(lv, "refused", ss, NULL, "refused a connection from %s: session %s%s", rs, live_state_names[ss->state],
                 ss->retry_id ? " (waiting)" : "");
            return FALSE;
        }
        attach(ss, g_object_ref(conn));
        return TRUE;
    }
    live_emit(lv, "refused", NULL, NULL, "refused a connection from %s to %s:%u: no --peer there", rs, ls, lport);
    return FALSE;
}

void live_sess_free(gpointer p)
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

