/* cmd_version.c - `arsim version`: arsim's version and those of the GLib, cJSON and Graphviz it runs with. */
#include "cli_priv.h"

#include <cjson/cJSON.h>

#ifndef ARSIM_VERSION
#error "ARSIM_VERSION is defined by meson.build (the project's version)"
#endif

const char *cli_version(void)
{
    return ARSIM_VERSION;
}

int cmd_version(FILE *out, FILE *err)
{
    /* The libraries' own answers at run time (not the headers built against): what a bug report needs. */
    fprintf(out, "arsim %s\nGLib %u.%u.%u\ncJSON %s\nGraphviz %s\n", cli_version(), glib_major_version,
            glib_minor_version, glib_micro_version, cJSON_Version(), graph_graphviz_version());
    return EXIT_OK;
}

static int version_main(const CliCommand *cmd, int argc, char **argv)
{
    int status = EXIT_OK;
    if (!cli_parse(cmd, NULL, NULL, &argc, &argv, &status))
        return status;
    return cmd_version(stdout, stderr);
}

const CliCommand cli_cmd_version = {
    .name = "version",
    .params = "- print the versions of arsim and of the libraries it runs with",
    .description = "Prints arsim's version, then the versions of GLib, cJSON and Graphviz linked at run time, one\n"
                   "\"NAME VERSION\" line each. arsim --version prints the same.\n",
    .min_args = 0,
    .max_args = 0,
    .args_error = "takes no argument",
    .main = version_main,
};
