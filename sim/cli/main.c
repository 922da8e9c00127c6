/* main.c - the arsim executable: parses the command line and calls the library's commands. */
#include "arsim/cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

static const char *const overview =
    "arsim simulates BGP route propagation through Azure Route Server, offline, in milliseconds.\n"
    "\n"
    "Usage: arsim COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Commands:\n"
    "  run FILE         simulate a scenario; print every router's routes and every VNet's\n"
    "                   effective routes (--json for scripts)\n"
    "  validate FILE... check scenario files; every problem as FILE:LINE:COL: /json/pointer: message\n"
    "  help [COMMAND]   this text, or a command's options\n"
    "\n"
    "Examples:\n"
    "  arsim run scenarios/seed-er-sdwan.json\n"
    "  arsim run scenarios/seed-er-sdwan.json --set routeServers.ars.allowBranchToBranchTraffic=true\n"
    "  arsim run scenarios/seed-er-sdwan.json --node sdwan --json\n"
    "  arsim run scenarios/seed-er-sdwan.json --learned-routes sdwan\n"
    "  arsim validate scenarios/*.json\n"
    "\n"
    "Exit status: 0 success, 1 differences found (compare), 2 bad input or arguments,\n"
    "3 the simulation did not converge.\n"
    "The scenario format is described in docs/scenario-format.md.\n";

static const char *const set_help =
    "Override a scenario value before validation: dot path, array elements by name or index "
    "(e.g. routeServers.ars.allowBranchToBranchTraffic=true). Repeatable.";

static int usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "arsim%s%s: %s\nTry 'arsim help%s%s'.\n", cmd ? " " : "", cmd ? cmd : "", msg, cmd ? " " : "",
            cmd ? cmd : "");
    return EXIT_BAD_INPUT;
}

/* Parses argv with the given entries; on failure prints the error and returns FALSE. */
static gboolean parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv, int *status)
{
    g_autoptr(GError) e = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &e)) {
        *status = usage_error(cmd, e->message);
        return FALSE;
    }
    return TRUE;
}

static int main_run(int argc, char **argv)
{
    ArRunArgs a = { 0 };
    g_auto(GStrv) sets = NULL;
    g_autofree char *node = NULL, *learned = NULL, *advertised = NULL, *output = NULL;
    gboolean json = FALSE;
    GOptionEntry entries[] = {
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON document (schema: docs/output-format.md)", NULL },
        { "node", 0, 0, G_OPTION_ARG_STRING, &node, "Only this node (e.g. sdwan, ars/0, msee/onprem2) or VNet", "NAME" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { "learned-routes", 0, 0, G_OPTION_ARG_STRING, &learned,
          "Routes the Route Server learned from this NVA, as 'az network routeserver peering list-learned-routes'", "NVA" },
        { "advertised-routes", 0, 0, G_OPTION_ARG_STRING, &advertised,
          "Routes the Route Server advertises to this NVA (list-advertised-routes)", "NVA" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (atomically) instead of stdout", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - simulate a scenario until it converges");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Prints, for every BGP speaker, every path it holds ('>' = best) with next hop, origin\n"
        "(Igp/EBgp/IBgp as Azure shows it), the peer it came from and the AS path (nearest AS first,\n"
        "hyphen-separated as Azure writes it); then each VNet's effective routes (what its VMs get).\n"
        "Generated nodes: Route Server instances NAME/0 and NAME/1, active-active VPN gateway\n"
        "instances NAME/0 and NAME/1, ExpressRoute circuits msee/SITE.\n");
    int status = EXIT_OK;
    if (!parse(ctx, "run", &argc, &argv, &status))
        return status;
    if (argc != 2)
        return usage_error("run", argc < 2 ? "expected a scenario FILE" : "expected exactly one scenario FILE");
    if (learned && advertised)
        return usage_error("run", "--learned-routes and --advertised-routes exclude each other");
    a.file = argv[1];
    a.sets = sets;
    a.json = json;
    a.node = node;
    a.learned = learned;
    a.advertised = advertised;
    a.output = output;
    return cmd_run(&a, stdout, stderr);
}

static int main_validate(int argc, char **argv)
{
    g_auto(GStrv) sets = NULL;
    GOptionEntry entries[] = {
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, set_help, "PATH=VALUE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE... - check scenario files");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Reports every error (exit 2) and warning (exit 0) as FILE:LINE:COL: /json/pointer: message,\n"
        "then one summary line per valid file.\n");
    int status = EXIT_OK;
    if (!parse(ctx, "validate", &argc, &argv, &status))
        return status;
    if (argc < 2)
        return usage_error("validate", "expected at least one scenario FILE");
    return cmd_validate(argv + 1, sets, stdout, stderr);
}

typedef struct Command {
    const char *name;
    int (*fn)(int argc, char **argv);
} Command;

static const Command commands[] = {
    { "run", main_run },
    { "validate", main_validate },
};

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        (strcmp(argv[1], "help") == 0 && argc == 2)) {
        fputs(overview, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("arsim 0.1.0");
        return EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        char *args[] = { argv[2], "--help", NULL };
        for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
            if (strcmp(argv[2], commands[i].name) == 0)
                return commands[i].fn(2, args);
        return usage_error(NULL, "unknown command; commands: run, validate");
    }
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    g_autofree char *msg = g_strdup_printf("unknown command \"%s\"; commands: run, validate, help", argv[1]);
    return usage_error(NULL, msg);
}
