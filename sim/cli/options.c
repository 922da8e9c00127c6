/* options.c - the shared option table (the flags several commands take) and the one option parser. */
#include "cli_priv.h"

#include <stddef.h>
#include <string.h>

/* One shared flag: its entry as most commands show it, and where in CliCommon it lands. */
typedef struct CliFlagDef {
    GOptionEntry entry;  /* arg_data NULL here; cli_flag points it into a CliCommon */
    size_t offset;       /* offsetof(CliCommon, field) */
} CliFlagDef;

static const CliFlagDef cli_flags[CLI_FLAG_COUNT] = {
    [CLI_OUTPUT] = { { "output", 'o', 0, G_OPTION_ARG_FILENAME, NULL, "Write to FILE (atomically) instead of stdout",
                       "FILE" }, offsetof(CliCommon, output) },
    [CLI_JSON] = { { "json", 0, 0, G_OPTION_ARG_NONE, NULL, "Print one JSON document", NULL },
                   offsetof(CliCommon, json) },
    [CLI_SET] = { { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
                    "Override a scenario value before validation: dot path, array elements by name or index "
                    "(e.g. routeServers.ars.allowBranchToBranchTraffic=true). Repeatable.", "PATH=VALUE" },
                  offsetof(CliCommon, sets) },
    [CLI_SEED] = { { "seed", 0, 0, G_OPTION_ARG_INT, NULL, "Seed of the message-delay jitter (settings.jitter)", "N" },
                   offsetof(CliCommon, seed) },
    [CLI_UNTIL] = { { "until", 0, 0, G_OPTION_ARG_STRING, NULL, "Stop at simulated time T (e.g. 90s, 10m)", "T" },
                    offsetof(CliCommon, until) },
    [CLI_MAX_EVENTS] = { { "max-events", 0, 0, G_OPTION_ARG_INT64, NULL,
                           "Stop after N engine events (default 50,000,000)", "N" }, offsetof(CliCommon, max_events) },
    [CLI_PREFIX] = { { "prefix", 0, 0, G_OPTION_ARG_STRING, NULL, "Only the routes for exactly this prefix",
                       "A.B.C.D/LEN" }, offsetof(CliCommon, prefix) },
    [CLI_JOBS] = { { "jobs", 'j', 0, G_OPTION_ARG_INT, NULL, "Threads (default: one per core)", "N" },
                   offsetof(CliCommon, jobs) },
};

void cli_common_clear(CliCommon *c)
{
    g_clear_pointer(&c->output, g_free);
    g_clear_pointer(&c->sets, g_strfreev);
    g_clear_pointer(&c->until, g_free);
    g_clear_pointer(&c->prefix, g_free);
}

GOptionEntry cli_flag(CliCommon *c, CliFlag f, const char *help, const char *arg)
{
    g_assert(f < CLI_FLAG_COUNT);
    GOptionEntry e = cli_flags[f].entry;
    e.arg_data = (char *)c + cli_flags[f].offset;
    if (help)
        e.description = help;
    if (arg)
        e.arg_description = arg;
    return e;
}

int cli_usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "arsim%s%s: %s\nTry 'arsim help%s%s'.\n", cmd ? " " : "", cmd ? cmd : "", msg, cmd ? " " : "",
            cmd ? cmd : "");
    return EXIT_BAD_INPUT;
}

/* --help is printed here rather than by GOption, which exits at once with status 0: the help then
 * goes through stdout like any output, and main's check turns a failed write into status 2. */
gboolean cli_parse(const CliCommand *cmd, const GOptionEntry *entries, const GOptionEntry *more, int *argc,
                   char ***argv, int *status)
{
    g_autoptr(GOptionContext) ctx = g_option_context_new(cmd->params);
    if (entries)
        g_option_context_add_main_entries(ctx, entries, NULL);
    if (more)
        g_option_context_add_main_entries(ctx, more, NULL);
    if (cmd->description)
        g_option_context_set_description(ctx, cmd->description);
    for (int i = 1; i < *argc && strcmp((*argv)[i], "--") != 0; i++) {
        const char *a = (*argv)[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "-?") == 0 || strcmp(a, "--help-all") == 0) {
            g_set_prgname((*argv)[0]); /* "run", as GOption's own help says */
            g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
            fputs(help, stdout);
            *status = EXIT_OK;
            return FALSE;
        }
    }
    g_autoptr(GError) e = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &e)) {
        *status = cli_usage_error(cmd->name, e->message);
        return FALSE;
    }
    int n = *argc - 1;
    if (n < cmd->min_args || (cmd->max_args >= 0 && n > cmd->max_args)) {
        *status = cli_usage_error(cmd->name, n < cmd->min_args && cmd->args_missing ? cmd->args_missing : cmd->args_error);
        return FALSE;
    }
    return TRUE;
}
