/* test_live.c - arsim live against a real BGP daemon (Debian's bird2, on loopback addresses) and
 * against a scripted peer in the test itself: sessions, routes each way, Azure's rules, the route
 * limit, NOTIFICATIONs. Every wait is bounded. */
#include "testlib.h"
#include "arsim/bgpmsg.h"

#include <gio/gio.h>
#include <signal.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#define WAIT_S 20 /* the longest any step may take before the test fails */

/* Loopback addresses and a port of this test process alone (tests run side by side). */
typedef struct Net {
    char bird[16];   /* the daemon: the NVA "sdwan" */
    char rs0[16];    /* Route Server instance 0, played by arsim */
    char rs1[16];    /* instance 1 */
    int port;        /* the daemon's BGP port */
} Net;

static void net_init(Net *n)
{
    unsigned x = (unsigned)getpid() % 250u + 1;
    g_snprintf(n->bird, sizeof n->bird, "127.77.%u.1", x);
    g_snprintf(n->rs0, sizeof n->rs0, "127.77.%u.2", x);
    g_snprintf(n->rs1, sizeof n->rs1, "127.77.%u.3", x);
    n->port = 20000 + (int)((unsigned)getpid() % 20000u);
}

/* ---- helpers shared by both peers ----------------------------------------------------------------- */

/* Starts `arsim live` on the seed scenario with the given extra arguments (NULL-terminated). */
static GSubprocess *start_arsim(const Net *n, const char *dir, const char *first, ...)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *scn = test_scenario_path("seed-er-sdwan.json");
    g_ptr_array_add(argv, g_strdup(g_getenv("ARSIM_BIN")));
    g_ptr_array_add(argv, g_strdup("live"));
    g_ptr_array_add(argv, g_strdup(scn));
    g_ptr_array_add(argv, g_strdup_printf("--peer=sdwan=%s:%d", n->bird, n->port));
    g_ptr_array_add(argv, g_strdup_printf("--local=%s", n->rs0));
    g_ptr_array_add(argv, g_strdup_printf("--local=%s", n->rs1));
    g_ptr_array_add(argv, g_strdup("--status=0"));
    g_ptr_array_add(argv, g_strdup("--connect-retry=1"));
    g_ptr_array_add(argv, g_strdup_printf("--duration=%d", 3 * WAIT_S)); /* never outlives the test */
    g_ptr_array_add(argv, g_strdup_printf("--output=%s/report.txt", dir));
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        g_ptr_array_add(argv, g_strdup(a));
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
    g_autofree char *out = g_strdup_printf("%s/events.txt", dir), *err = g_strdup_printf("%s/status.txt", dir);
    g_subprocess_launcher_set_stdout_file_path(l, out);
    g_subprocess_launcher_set_stderr_file_path(l, err);
    g_autoptr(GError) e = NULL;
    GSubprocess *p = g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &e);
    g_assert_no_error(e);
    return p;
}

/* Waits (bounded) for p to exit; returns its exit status. */
static int wait_exit(GSubprocess *p)
{
    gint64 end = g_get_monotonic_time() + WAIT_S * G_USEC_PER_SEC;
    while (g_get_monotonic_time() < end) {
        if (!g_subprocess_get_identifier(p)) { /* reaped by GLib's child watch (its worker thread) */
            g_assert_true(g_subprocess_get_if_exited(p));
            return g_subprocess_get_exit_status(p);
        }
        g_usleep(20000);
    }
    g_subprocess_force_exit(p);
    g_assert_not_reached(); /* arsim did not stop within WAIT_S */
    return -1;
}

static char *slurp(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return g_strdup("");
    return text;
}

/* Waits (bounded) until name in dir contains want. */
static gboolean wait_file_has(const char *dir, const char *name, const char *want)
{
    gint64 end = g_get_monotonic_time() + WAIT_S * G_USEC_PER_SEC;
    while (g_get_monotonic_time() < end) {
        g_autofree char *t = slurp(dir, name);
        if (strstr(t, want))
            return TRUE;
        g_usleep(100000);
    }
    return FALSE;
}

/* ---- a real BIRD -------------------------------------------------------------------------------- */

static const char *find_prog(const char *name, char *buf, gsize size)
{
    g_autofree char *p = g_find_program_in_path(name);
    if (p)
        return g_strlcpy(buf, p, size) < size ? buf : NULL;
    g_snprintf(buf, size, "/usr/sbin/%s", name);
    return g_file_test(buf, G_FILE_TEST_IS_EXECUTABLE) ? buf : NULL;
}

typedef struct Bird {
    char bird[256], birdc[256];  /* the programs */
    char *dir;                   /* its files */
    char *sock;                  /* its control socket */
    GSubprocess *proc;           /* bird -f */
} Bird;

/* Runs birdc with a command (bounded by timeout(1)); its output. */
static char *birdc(const Bird *b, const char *cmd)
{
    g_autofree char *line = g_strdup_printf("timeout 5 %s -s %s %s", b->birdc, b->sock, cmd);
    char *out = NULL;
    g_autoptr(GError) e = NULL;
    if (!g_spawn_command_line_sync(line, &out, NULL, NULL, &e))
        return g_strdup("");
    return out;
}

/* BIRD as the NVA sdwan (AS 65001) of seed-er-sdwan.json: it announces extra (static routes) to
 * both Route Server instances and takes everything they send. Passive: arsim connects to it. */
static gboolean bird_start(Bird *b, const Net *n, const char *extra)
{
    if (geteuid() != 0) {
        g_test_skip("not root: bird needs to run as root (tools/test.sh runs as root in CI)");
        return FALSE;
    }
    if (!find_prog("bird", b->bird, sizeof b->bird) || !find_prog("birdc", b->birdc, sizeof b->birdc)) {
        g_test_skip("bird is not installed (Debian package bird2; tools/test.sh installs it)");
        return FALSE;
    }
    g_autoptr(GError) e = NULL;
    b->dir = g_dir_make_tmp("arsim-live-XXXXXX", &e);
    g_assert_no_error(e);
    b->sock = g_build_filename(b->dir, "bird.ctl", NULL);
    g_autofree char *conf = g_strdup_printf(
        "router id %s;\n"
        "protocol device { }\n"
        "protocol static { ipv4; %s }\n"
        "template bgp ars {\n"
        "  local %s port %d as 65001; multihop; passive on; hold time 9;\n"
        "  ipv4 { import all; export where source = RTS_STATIC; };\n"
        "}\n"
        "protocol bgp ars0 from ars { neighbor %s as 65515; }\n"
        "protocol bgp ars1 from ars { neighbor %s as 65515; }\n",
        n->bird, extra, n->bird, n->port, n->rs0, n->rs1);
    g_autofree char *conf_path = g_build_filename(b->dir, "bird.conf", NULL);
    g_assert_true(g_file_set_contents(conf_path, conf, -1, NULL));
    g_autofree char *pid = g_build_filename(b->dir, "bird.pid", NULL);
    /* timeout(1): a test that fails half-way leaves no daemon behind for long. */
    b->proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &e, "timeout",
                               "120", b->bird, "-f", "-c", conf_path, "-s", b->sock, "-P", pid, NULL);
    g_assert_no_error(e);
    gint64 end = g_get_monotonic_time() + WAIT_S * G_USEC_PER_SEC;
    while (g_get_monotonic_time() < end) {
        g_autofree char *st = birdc(b, "show status");
        if (strstr(st, "Daemon is up"))
            return TRUE;
        g_usleep(100000);
    }
    g_error("bird did not start within %d s (config %s)", WAIT_S, conf_path);
    return FALSE;
}

static void bird_stop(Bird *b)
{
    if (b->proc) {
        g_subprocess_send_signal(b->proc, SIGTERM);
        g_autoptr(GError) e = NULL;
        g_subprocess_wait(b->proc, NULL, &e);
        g_clear_object(&b->proc);
    }
    if (b->dir) {
        g_autofree char *cmd = g_strdup_printf("rm -rf %s", b->dir);
        g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
    }
    g_free(b->dir);
    g_free(b->sock);
}

/* The lines `show route all` prints for prefix, up to the next prefix. */
static char *route_block(const char *routes, const char *prefix)
{
    const char *at = strstr(routes, prefix);
    if (!at)
        return g_strdup("");
    const char *end = at + strlen(prefix);
    while ((end = strchr(end, '\n')) && (end[1] == '\t' || end[1] == ' '))
        end++;
    return end ? g_strndup(at, (gsize)(end - at)) : g_strdup(at);
}

/* Waits (bounded) until BIRD holds every prefix of want from both instances. */
static char *wait_routes(const Bird *b, const char *const *want)
{
    gint64 end = g_get_monotonic_time() + WAIT_S * G_USEC_PER_SEC;
    for (;;) {
        char *r = birdc(b, "show route all");
        gboolean all = TRUE;
        for (const char *const *w = want; *w && all; w++) {
            g_autofree char *blk = route_block(r, *w);
            all = strstr(blk, "[ars0") && strstr(blk, "[ars1");
        }
        if (all || g_get_monotonic_time() > end)
            return r;
        g_free(r);
        g_usleep(200000);
    }
}

static void test_bird(gconstpointer data)
{
    gboolean b2b = GPOINTER_TO_INT(data);
    Net n;
    net_init(&n);
    Bird b = { 0 };
    if (!bird_start(&b, &n, "route 10.100.0.0/16 blackhole;"))
        return;
    GSubprocess *arsim = start_arsim(&n, b.dir, b2b ? "--set=routeServers.ars.allowBranchToBranchTraffic=true" : NULL, NULL);
    const char *want_b2b[] = { "10.1.0.0/16", "10.2.0.0/16", "10.200.0.0/16", NULL };
    char *routes = wait_routes(&b, b2b ? want_b2b : (const char *[]){ "10.1.0.0/16", "10.2.0.0/16", NULL });
    g_test_message("bird's routes:\n%s", routes);
    /* The hub's and the spoke's spaces, from both instances, AS path 65515. */
    for (int i = 0; i < 2; i++) {
        g_autofree char *blk = route_block(routes, i ? "10.2.0.0/16" : "10.1.0.0/16");
        g_assert_nonnull(strstr(blk, "[ars0"));
        g_assert_nonnull(strstr(blk, "[ars1"));
        g_assert_nonnull(strstr(blk, "BGP.as_path: 65515\n"));
    }
    /* The ExpressRoute site's prefix only with branch-to-branch on, through the gateway and MSEE. */
    g_autofree char *er = route_block(routes, "10.200.0.0/16");
    if (b2b) {
        g_assert_nonnull(strstr(er, "BGP.as_path: 65515 12076 65020\n"));
        g_assert_nonnull(strstr(er, "[ars1"));
    } else {
        g_assert_cmpstr(er, ==, "");
    }
    g_free(routes);
    /* BIRD's own prefix reached the model; then SIGINT: a Cease to each, the report. */
    g_assert_true(wait_file_has(b.dir, "events.txt", "ars/1 - sdwan: received announce 10.100.0.0/16 path 65001"));
    g_usleep(300000); /* the model's few milliseconds of propagation */
    g_subprocess_send_signal(arsim, SIGINT);
    g_assert_cmpint(wait_exit(arsim), ==, 0);
    g_object_unref(arsim);
    g_autofree char *events = slurp(b.dir, "events.txt");
    g_autofree char *report = slurp(b.dir, "report.txt");
    g_test_message("events:\n%s", events);
    g_assert_nonnull(strstr(events, "ars/0 - sdwan: sent NOTIFICATION 6/2 Cease / Administrative Shutdown: SIGINT"));
    g_assert_nonnull(strstr(events, "ars/1 - sdwan: sent NOTIFICATION 6/2 Cease / Administrative Shutdown: SIGINT"));
    g_autofree char *proto = birdc(&b, "show protocols all ars0");
    g_assert_nonnull(strstr(proto, "Received: Administrative shutdown"));
    /* Effective routes: BIRD's prefix through the Route Server, BIRD's address as next hop. */
    g_autofree char *eff = g_strdup_printf("VirtualNetworkGateway  10.100.0.0/16      VirtualNetworkGateway  %s (sdwan)", n.bird);
    g_assert_nonnull(strstr(strstr(report, "Effective routes of VMs in VNet hub"), eff));
    g_assert_nonnull(strstr(strstr(report, "Effective routes of VMs in VNet spoke1"), eff));
    bird_stop(&b);
}

/* Over 1,000 routes from the NVA, the Route Server drops the session (NOTIFICATION Cease /
 * Maximum Number of Prefixes Reached) and keeps it down for the idle time. */
static void test_bird_limit(void)
{
    Net n;
    net_init(&n);
    Bird b = { 0 };
    GString *routes = g_string_new(NULL);
    for (int i = 0; i < 1001; i++)
        g_string_append_printf(routes, "route 10.%d.%d.0/24 blackhole; ", 100 + i / 256, i % 256);
    gboolean up = bird_start(&b, &n, routes->str);
    g_string_free(routes, TRUE);
    if (!up)
        return;
    GSubprocess *arsim = start_arsim(&n, b.dir, NULL);
    g_assert_true(wait_file_has(b.dir, "events.txt", "ars/0 - sdwan: sent NOTIFICATION 6/1 Cease / Maximum Number of Prefixes Reached"));
    g_assert_true(wait_file_has(b.dir, "events.txt", "ars/1 - sdwan: sent NOTIFICATION 6/1 Cease / Maximum Number of Prefixes Reached"));
    g_autofree char *proto = birdc(&b, "show protocols all ars0");
    g_test_message("%s", proto);
    g_assert_nonnull(strstr(proto, "Received: Maximum number of prefixes reached"));
    g_subprocess_send_signal(arsim, SIGINT);
    g_assert_cmpint(wait_exit(arsim), ==, 0);
    g_object_unref(arsim);
    g_autofree char *events = slurp(b.dir, "events.txt");
    g_test_message("events:\n%s", events);
    g_assert_nonnull(strstr(events, "route limit exceeded"));
    /* Not reconnected during the idle time (60 s): no second OPEN. */
    const char *first = strstr(events, "ars/0 - sdwan: received OPEN");
    g_assert_nonnull(first);
    g_assert_null(strstr(first + 1, "ars/0 - sdwan: received OPEN"));
    bird_stop(&b);
}

/* ---- a scripted peer: the test speaks BGP itself ------------------------------------------------ */

/* Reads one whole message from sock (blocking, bounded by the socket's timeout) into b. */
static gssize read_msg(GSocket *sock, GByteArray *b)
{
    g_byte_array_set_size(b, 0);
    uint8_t buf[BM_MAX_LEN];
    for (;;) {
        BmError e;
        gssize m = bm_frame(b->data, b->len, &e);
        g_assert_cmpint(m, >=, 0);
        if (m > 0)
            return m;
        gsize want = b->len < BM_HEADER_LEN ? BM_HEADER_LEN - b->len : ((gsize)b->data[16] << 8 | b->data[17]) - b->len;
        g_autoptr(GError) err = NULL;
        gssize n = g_socket_receive(sock, (gchar *)buf, want, NULL, &err);
        if (n <= 0)
            return 0; /* closed (or timed out: the caller's assertion fails) */
        g_byte_array_append(b, buf, (guint)n);
    }
}

static void send_all(GSocket *sock, const GByteArray *b)
{
    g_assert_cmpint(g_socket_send(sock, (const gchar *)b->data, b->len, NULL, NULL), ==, (gssize)b->len);
}

/* Sends one UPDATE given in hex after the header. */
static void send_update_hex(GSocket *sock, const char *body_hex)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    static const uint8_t marker[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    g_byte_array_append(b, marker, 16);
    uint8_t hdr[3] = { 0, 0, BM_UPDATE };
    g_byte_array_append(b, hdr, 3);
    for (const char *p = body_hex; *p; p += 2) {
        while (*p == ' ')
            p++;
        uint8_t v = (uint8_t)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
        g_byte_array_append(b, &v, 1);
    }
    b->data[16] = (uint8_t)(b->len >> 8);
    b->data[17] = (uint8_t)b->len;
    send_all(sock, b);
}

/* The test as the NVA: OPEN and KEEPALIVE exchanged; the instance's routes arrive; an UPDATE with a
 * malformed ORIGIN is treated as a withdrawal (the session stays); one with a /33 prefix gets
 * NOTIFICATION UPDATE Message Error / Invalid Network Field and the connection closes. */
static void test_scripted_peer(void)
{
    Net n;
    net_init(&n);
    g_autoptr(GError) e = NULL;
    g_autofree char *dir = g_dir_make_tmp("arsim-live-XXXXXX", &e);
    g_assert_no_error(e);
    g_autoptr(GSocket) lsock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &e);
    g_assert_no_error(e);
    g_autoptr(GInetAddress) la = g_inet_address_new_from_string(n.bird);
    g_autoptr(GSocketAddress) sa = g_inet_socket_address_new(la, (guint16)n.port);
    g_socket_set_option(lsock, SOL_SOCKET, SO_REUSEADDR, 1, NULL);
    g_assert_true(g_socket_bind(lsock, sa, TRUE, &e));
    g_assert_true(g_socket_listen(lsock, &e));
    g_socket_set_timeout(lsock, WAIT_S);
    GSubprocess *arsim = start_arsim(&n, dir, "--hold-time=30", NULL);
    /* Instance 0's connection (instance 1's is accepted and left in OpenSent). */
    GSocket *conn[2] = { NULL, NULL }, *s0 = NULL;
    for (int i = 0; i < 2; i++) {
        conn[i] = g_socket_accept(lsock, NULL, &e);
        g_assert_no_error(e);
        g_socket_set_timeout(conn[i], WAIT_S);
        g_autoptr(GSocketAddress) ra = g_socket_get_remote_address(conn[i], NULL);
        g_autofree char *rip = g_inet_address_to_string(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(ra)));
        if (strcmp(rip, n.rs0) == 0)
            s0 = conn[i];
    }
    g_assert_nonnull(s0);
    g_autoptr(GByteArray) m = g_byte_array_new();
    g_assert_cmpint(read_msg(s0, m), >, 0);
    g_assert_cmpuint(m->data[18], ==, BM_OPEN);
    BmOpen o;
    BmError err;
    g_assert_true(bm_parse_open(m->data, m->len, &o, &err));
    g_assert_cmpuint(o.asn, ==, 65515);
    g_assert_cmpuint(o.hold_time, ==, 30);
    g_assert_true(o.as4 && o.route_refresh);
    uint32_t id;
    g_assert_true(ip_parse(n.bird, &id));
    g_autoptr(GByteArray) out = g_byte_array_new();
    bm_put_open(out, &(BmOpen){ .asn = 65001, .hold_time = 9, .bgp_id = id, .as4 = true, .ipv4_unicast = true });
    bm_put_keepalive(out);
    send_all(s0, out);
    g_assert_cmpint(read_msg(s0, m), >, 0);
    g_assert_cmpuint(m->data[18], ==, BM_KEEPALIVE);
    /* The hub's and the spoke's spaces, AS path 65515, next hop instance 0's address in the model. */
    ArAttrCache *c = attr_cache_new();
    guint got = 0;
    while (got < 2) {
        g_assert_cmpint(read_msg(s0, m), >, 0);
        if (m->data[18] != BM_UPDATE)
            continue;
        BmUpdate u;
        bm_update_init(&u);
        g_assert_true(bm_parse_update(m->data, m->len, true, c, &u, &err));
        if (u.attrs) {
            g_autofree char *path = attr_path_to_string(u.attrs->path);
            g_assert_cmpstr(path, ==, "65515");
        }
        got += u.nlri->len;
        bm_update_clear(&u);
    }
    g_assert_cmpuint(got, ==, 2);
    attr_cache_free(c);
    /* ORIGIN 5: treat-as-withdraw, no NOTIFICATION. */
    send_update_hex(s0, "0000 0014 400101 05 40020602010000fde9 400304 7f4d0001 100a64");
    g_assert_true(wait_file_has(dir, "events.txt", "RFC 7606 treat-as-withdraw: malformed ORIGIN"));
    /* A /33 in the NLRI: NOTIFICATION 3/10, then the close. */
    send_update_hex(s0, "0000 0014 400101 00 40020602010000fde9 400304 7f4d0001 210a6400 00");
    gboolean notified = FALSE;
    while (read_msg(s0, m) > 0)
        if (m->data[18] == BM_NOTIFICATION) {
            g_assert_cmpuint(m->data[19], ==, BM_ERR_UPDATE);
            g_assert_cmpuint(m->data[20], ==, BM_SUB_NETWORK);
            notified = TRUE;
        }
    g_assert_true(notified);
    g_subprocess_send_signal(arsim, SIGINT);
    g_assert_cmpint(wait_exit(arsim), ==, 0);
    g_object_unref(arsim);
    g_autofree char *events = slurp(dir, "events.txt");
    g_test_message("events:\n%s", events);
    g_assert_nonnull(strstr(events, "ars/0 - sdwan: sent NOTIFICATION 3/10 UPDATE Message Error / Invalid Network Field"));
    for (int i = 0; i < 2; i++)
        g_object_unref(conn[i]);
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", dir);
    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
}

/* ---- arguments ---------------------------------------------------------------------------------- */

static void test_bad_arguments(void)
{
    static const struct {
        const char *arg;
        const char *msg;
    } cases[] = {
        { "--peer=nosuch=127.0.0.1", "the scenario has no NVA named \"nosuch\"" },
        { "--peer=sdwan", "expected NVA=ADDRESS[:PORT]" },
        { "--peer=sdwan=127.0.0.1:0", "the port must be a number from 1 to 65535" },
        { "--peer=sdwan=localhost", "expected an IPv4 address" },
    };
    g_autofree char *scn = test_scenario_path("seed-er-sdwan.json");
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        TestRun r = test_arsim("live", scn, cases[i].arg, NULL);
        g_assert_cmpint(r.status, ==, 2);
        g_assert_nonnull(strstr(r.err, cases[i].msg));
        test_run_clear(&r);
    }
    TestRun r = test_arsim("live", scn, NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "expected at least one --peer"));
    test_run_clear(&r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/live/bad-arguments", test_bad_arguments);
    g_test_add_func("/live/scripted-peer", test_scripted_peer);
    g_test_add_data_func("/live/bird", GINT_TO_POINTER(0), test_bird);
    g_test_add_data_func("/live/bird-branch-to-branch", GINT_TO_POINTER(1), test_bird);
    g_test_add_func("/live/bird-route-limit", test_bird_limit);
    return g_test_run();
}
