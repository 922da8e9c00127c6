/* cmd_live.c - `arsim live FILE --peer NVA=ADDRESS[:PORT]...`: the modelled Route Server speaks real BGP. */
#include "cli_priv.h"
#include "arsim/live.h"

#include <string.h>

/* The report at exit, as `arsim run` prints it (text, or --json's document), to -o FILE or out. */
static int report(const ArLiveArgs *a, const ArRun *run, FILE *out, FILE *err)
{
    ArRunView view = { .all = a->all };
    ArOutStream *s = cli_open_output(a->output, out, err);
    if (!s)
        return EXIT_BAD_INPUT;
    if (a->json) {
        ArJsonOut *w = out_json_stream(s);
        out_json_begin(w, NULL, FALSE);
        out_run_json_write(run, &view, w);
        out_json_put(w, "timeline", out_timeline_json(run));
        out_json_end(w);
        out_json_free(w);
    } else {
        g_autoptr(GString) text = g_string_new(NULL);
        out_run_text(run, &view, text, s);
        out_stream_drain(s, text);
    }
    g_autoptr(GError) e = NULL;
    if (!out_stream_close(s, &e)) {
        fprintf(err, "arsim live: %s\n", e->message);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

int cmd_live(const ArLiveArgs *a, FILE *out, FILE *err)
{
    const ArFileArg in[] = { { "scenario", a->file } };
    const ArFileArg outs[] = { { "-o", a->output } };
    if (cli_check_files("live", in, G_N_ELEMENTS(in), outs, G_N_ELEMENTS(outs), err))
        return EXIT_BAD_INPUT;
    g_autoptr(GArray) peers = g_array_new(FALSE, TRUE, sizeof(ArLivePeer));
    g_array_set_clear_func(peers, (GDestroyNotify)live_peer_clear);
    ArLiveOptions opt = { .peers = peers, .passive = a->passive, .hold_time = (uint16_t)a->hold_time,
                          .connect_retry = (uint32_t)a->connect_retry, .duration = a->duration,
                          .status_every = a->status_every, .json = a->json, .events = out, .status = err };
    g_autoptr(GError) e = NULL;
    for (char **p = a->peers; p && *p; p++) {
        ArLivePeer lp;
        if (!live_parse_peer(*p, &lp, &e)) {
            fprintf(err, "arsim live: %s\n", e->message);
            return EXIT_BAD_INPUT;
        }
        g_array_append_val(peers, lp);
    }
    guint nlocal = 0;
    for (char **l = a->locals; l && *l; l++, nlocal++) {
        if (nlocal == 2) {
            fprintf(err, "arsim live: --local is given at most twice (Route Server instances 0 and 1)\n");
            return EXIT_BAD_INPUT;
        }
        if (!live_parse_local(*l, a->passive ? 179 : 0, &opt.local[nlocal], &e)) {
            fprintf(err, "arsim live: %s\n", e->message);
            return EXIT_BAD_INPUT;
        }
    }
    g_autoptr(ArScenario) scn = cli_load(a->file, a->sets, SCN_EST_RUN, err);
    if (!scn)
        return EXIT_BAD_INPUT;
    g_autoptr(ArLive) lv = live_new(scn, &opt, &e);
    if (!lv) {
        fprintf(err, "arsim live: %s: %s\n", a->file, e->message);
        return EXIT_BAD_INPUT;
    }
    if (!live_run(lv, &e)) {
        fprintf(err, "arsim live: %s\n", e->message);
        return EXIT_BAD_INPUT;
    }
    return report(a, live_result(lv), out, err);
}

static int live_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_auto(GStrv) peers = NULL, locals = NULL;
    gboolean passive = FALSE, all = FALSE;
    int hold_time = 180, connect_retry = 5;
    double duration = 0, status_every = 30;
    const GOptionEntry entries[] = {
        { "peer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &peers,
          "The scenario's NVA named NVA is played by the real BGP speaker at ADDRESS (port 179 unless given). "
          "Repeatable", "NVA=ADDRESS[:PORT]" },
        { "local", 0, 0, G_OPTION_ARG_STRING_ARRAY, &locals,
          "Address of Route Server instance 0 (the first --local) and 1 (the second); default: the instances' "
          "addresses in the scenario. With --passive, the port to listen on (default 179)", "ADDRESS[:PORT]" },
        { "passive", 0, 0, G_OPTION_ARG_NONE, &passive, "Wait for the NVA to connect instead of connecting to it", NULL },
        { "hold-time", 0, 0, G_OPTION_ARG_INT, &hold_time, "Hold time offered in OPEN (default 180, as Azure; 0: none)",
          "SECONDS" },
        { "connect-retry", 0, 0, G_OPTION_ARG_INT, &connect_retry,
          "Wait between connection attempts and after a session drops (default 5)", "SECONDS" },
        { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration, "Stop after this long, as on SIGINT (default: run until SIGINT)",
          "SECONDS" },
        { "status", 0, 0, G_OPTION_ARG_DOUBLE, &status_every,
          "A status line per session on stderr this often (default 30; 0: only when a session changes state)", "SECONDS" },
        cli_flag(&c, CLI_JSON, "Events as JSON objects, one a line; the report as run --json's document", NULL),
        { "all", 0, 0, G_OPTION_ARG_NONE, &all, "The report at exit in full, whatever its size (as run --all)", NULL },
        cli_flag(&c, CLI_OUTPUT, "Write the report at exit to FILE (atomically) instead of stdout", NULL),
        cli_flag(&c, CLI_SET, NULL, NULL),
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    if (!peers || !peers[0])
        return cli_usage_error("live", "expected at least one --peer NVA=ADDRESS[:PORT]");
    if (hold_time < 0 || hold_time == 1 || hold_time == 2 || hold_time > 65535)
        return cli_usage_error("live", "--hold-time takes 0 or 3 to 65535 seconds (RFC 4271 4.2)");
    if (connect_retry < 1 || connect_retry > 3600)
        return cli_usage_error("live", "--connect-retry takes 1 to 3600 seconds");
    if (!(duration >= 0 && duration <= 365.0 * 86400) || !(status_every >= 0 && status_every <= 86400))
        return cli_usage_error("live", "--duration and --status take a number of seconds (0 or more)");
    const ArLiveArgs a = {
        .file = argv[1], .sets = c.sets, .peers = peers, .locals = locals, .passive = passive, .hold_time = hold_time,
        .connect_retry = connect_retry, .duration = duration, .status_every = status_every, .json = c.json, .all = all,
        .output = c.output,
    };
    return cmd_live(&a, stdout, stderr);
}

const CliCommand cli_cmd_live = {
    .name = "live",
    .params = "FILE --peer NVA=ADDRESS[:PORT]... - the Route Server speaks real BGP to your NVA",
    .description =
        "Runs the scenario on the wall clock. Each --peer NVA is not simulated: arsim plays both\n"
        "instances of its Route Server (AS 65515, two BGP neighbours, as Azure does) and speaks BGP-4 to\n"
        "the real speaker over TCP (4-octet AS and route-refresh capabilities, RFC 7606 error handling).\n"
        "What the real NVA announces becomes that NVA's routes in the simulation; what the Route Server\n"
        "would advertise to it (Azure's rules, the 1,000-route limit: over it the session drops with a\n"
        "NOTIFICATION Cease and comes back after the idle time) is sent to it. The rest of the scenario\n"
        "(VNets, gateways, sites, its events) is simulated as it runs.\n"
        "Prints an event a line (connections, OPEN, UPDATEs each way, NOTIFICATIONs) on stdout and a\n"
        "status line per session on stderr. On SIGINT or SIGTERM (or after --duration) each peer gets a\n"
        "NOTIFICATION Cease / Administrative Shutdown, then the report of `arsim run` is printed: every\n"
        "router's routes and every VNet's effective routes as they were.\n"
        "The NVA's BGP configuration names both instances as neighbours with AS 65515 (multihop), e.g. in\n"
        "BIRD: protocol bgp ars0 { local 127.0.0.1 port 1179 as 65001; neighbor 127.0.0.2 as 65515;\n"
        "multihop; passive on; ipv4 { import all; export all; }; } and the same for 127.0.0.3 (README.md).\n"
        "Example: arsim live scenarios/seed-er-sdwan.json --peer sdwan=127.0.0.1:1179 --local 127.0.0.2 --local 127.0.0.3\n"
        "Exit status: 0 after a clean stop, 2 bad input or a socket that cannot be set up.\n",
    .min_args = 1,
    .max_args = 1,
    .args_error = "expected exactly one scenario FILE",
    .args_missing = "expected a scenario FILE",
    .main = live_main,
};
