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
