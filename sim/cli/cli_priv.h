/* cli_priv.h - what the command files share. */
#ifndef ARSIM_CLI_PRIV_H
#define ARSIM_CLI_PRIV_H

#include "arsim/cli.h"
#include "arsim/graph.h"
#include "arsim/loader.h"

/* Loads one scenario, printing its diagnostics to err. NULL on errors. */
ArScenario *cli_load(const char *file, char **sets, FILE *err);
/* Same, keeping the diagnostics in diags (for a report that shows the warnings). */
ArScenario *cli_load_keep(const char *file, char **sets, ArDiagList *diags, FILE *err);

/* Draws run (options as given) to path in format (NULL: from path's extension), never over
 * protect. Returns an exit status; messages go to err. */
int cli_write_diagram(const ArRun *run, const ArGraphOptions *opt, const char *path, const char *format,
                      const char *protect, FILE *err);

#endif
