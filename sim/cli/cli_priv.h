/* cli_priv.h - what the command files share. */
#ifndef ARSIM_CLI_PRIV_H
#define ARSIM_CLI_PRIV_H

#include "arsim/cli.h"
#include "arsim/graph.h"
#include "arsim/loader.h"
#include "arsim/output.h"

/* Loads one scenario, printing its diagnostics to err. NULL on errors. */
ArScenario *cli_load(const char *file, char **sets, FILE *err);
/* Same, keeping the diagnostics in diags (for a report that shows the warnings). */
ArScenario *cli_load_keep(const char *file, char **sets, ArDiagList *diags, FILE *err);

/* The check of every command that writes files, before any work: no output over an input or
 * another output (out_check_files). Returns an exit status; the message goes to err as
 * "arsim CMD: ...". */
int cli_check_files(const char *cmd, const ArFileArg *inputs, guint n_inputs, const ArFileArg *outputs,
                    guint n_outputs, FILE *err);

/* Why run stopped with routing still changing, as "FILE: ..." for a message: the event cap (with
 * the counts), or settings.maxTime (with what kept changing); NULL when it converged or stopped at
 * the --until the user asked for. g_free it. */
char *cli_stop_reason(const ArRun *run, const char *file);

/* Draws run (options as given) to path in format (NULL: from path's extension), never over
 * protect. Returns an exit status; messages go to err. */
int cli_write_diagram(const ArRun *run, const ArGraphOptions *opt, const char *path, const char *format,
                      const char *protect, FILE *err);

/* Parses --prefix A.B.C.D/LEN; FALSE (message printed, "did you mean" for host bits) when bad. */
gboolean cli_parse_prefix(const char *cmd, const char *text, ArPrefix *p, FILE *err);

#endif
