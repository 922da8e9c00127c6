/* cmd_trace.c - `arsim trace FILE --from X --to ADDRESS`: one packet walked hop by hop through the converged tables. */
#include "cli_priv.h"
#include "arsim/output.h"
#include "arsim/reach.h"

int cmd_trace(const ArTraceArgs *a, FILE *out, FILE *err)
{
    g_autoptr(ArScenario) scn = cli_load(a->file, a->sets, SCN_EST_TRACE, err);
    if (!scn)
        return EXIT_BAD_INPUT;
    gboolean converged = TRUE;
    g_autoptr(ArRun) run = cli_run(scn, a->file, a->seed, &converged, err);
    g_autoptr(ArReach) r = reach_new(run);

    ArReachNode start;
    if (!reach_find_start(r, a->from, &start)) {
        g_autofree char *names = reach_start_names(r);
        fprintf(err, "arsim trace: --from %s: no site or VNet of that name; valid: %s\n", a->from, names);
        return EXIT_BAD_INPUT;
    }
    uint32_t dst;
    if (!ip_parse(a->to, &dst) && !reach_name_addr(r, a->to, &dst)) {
        g_autofree char *names = reach_start_names(r);
        fprintf(err, "arsim trace: --to %s: neither an IPv4 address (a.b.c.d) nor a site or VNet with an address "
                     "prefix; names: %s\n", a->to, names);
        return EXIT_BAD_INPUT;
    }
    g_autoptr(ArTrace) t = reach_trace(r, start, dst);
    if (a->json) {
        cJSON *doc = out_reach_trace_json(t);
        g_autofree char *text = out_json_print(doc);
        cJSON_Delete(doc);
        if (!text) {
            fprintf(err, "arsim trace: standard output: the JSON document could not be formatted (out of memory)\n");
            return EXIT_BAD_INPUT;
        }
        fputs(text, out);
    } else {
        GString *s = g_string_new(NULL);
        out_reach_trace_text(t, s);
        fputs(s->str, out);
        g_string_free(s, TRUE);
    }
    return reach_trace_delivered(t, NULL) ? EXIT_OK : EXIT_DIFFERENT;
}

static int trace_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_autofree char *from = NULL, *to = NULL;
    const GOptionEntry entries[] = {
        { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Where the packet starts: a site, a VNet or a subnet with a route table",
          "SITE|VNET|VNET/SUBNET" },
        { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Destination address, or a site/VNet (its first address)", "ADDRESS" },
        cli_flag(&c, CLI_SET, NULL, NULL),
        cli_flag(&c, CLI_JSON, "Print the hops as JSON", NULL),
        cli_flag(&c, CLI_SEED, NULL, NULL),
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    if (!from || !to)
        return cli_usage_error(cmd->name, "--from and --to are required");
    const ArTraceArgs a = { .file = argv[1], .sets = c.sets, .from = from, .to = to, .json = c.json, .seed = c.seed };
    return cmd_trace(&a, stdout, stderr);
}

const CliCommand cli_cmd_trace = {
    .name = "trace",
    .params = "FILE --from SITE|VNET --to ADDRESS - follow a packet hop by hop",
    .description =
        "Walks the converged forwarding tables by longest-prefix match and prints each hop with the\n"
        "route it matched, then the verdict: delivered, no route at X, or loop through X-Y-X.\n"
        "Exit status: 0 delivered, 1 not delivered, 2 error.\n",
    .min_args = 1,
    .max_args = 1,
    .args_error = "expected exactly one scenario FILE",
    .main = trace_main,
};
