/* commands.c - the table of arsim's subcommands and the dispatch from argv to one of them. */
#include "cli_priv.h"

#include <string.h>

#define CLI_COMMAND_ENTRY(name) &cli_cmd_##name,
static const CliCommand *const cli_commands[] = { CLI_COMMANDS(CLI_COMMAND_ENTRY) };
#undef CLI_COMMAND_ENTRY

const CliCommand *cli_command_find(const char *name, gboolean with_help)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cli_commands); i++)
        if (strcmp(name, cli_commands[i]->name) == 0 && (with_help || cli_commands[i] != &cli_cmd_help))
            return cli_commands[i];
    return NULL;
}

int cli_command_unknown(const char *name)
{
    g_autoptr(GString) msg = g_string_new(NULL);
    g_string_printf(msg, "unknown command \"%s\"; commands: ", name);
    for (size_t i = 0; i < G_N_ELEMENTS(cli_commands); i++)
        g_string_append_printf(msg, "%s%s", i ? ", " : "", cli_commands[i]->name);
    return cli_usage_error(NULL, msg->str);
}

int cli_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(cli_overview(), argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        return argc == 2 ? cmd_version(stdout, stderr) : cli_usage_error(NULL, "--version takes no argument");
    const CliCommand *c = cli_command_find(argv[1], TRUE);
    if (!c)
        return cli_command_unknown(argv[1]);
    return c->main(c, argc - 1, argv + 1);
}
