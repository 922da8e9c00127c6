/* cli_priv.h - what the command files share: the command table, the shared option table, helpers. */
#ifndef ARSIM_CLI_PRIV_H
#define ARSIM_CLI_PRIV_H

#include "arsim/cli.h"
#include "arsim/graph.h"
#include "arsim/loader.h"
#include "arsim/output.h"
#include "arsim/run.h"

/* One subcommand: its help and its parser. Each lives in its own file, cmd_NAME.c, as cli_cmd_NAME. */
typedef struct CliCommand CliCommand;
struct CliCommand {
    const char *name;          /* the word after "arsim": "run" */
    const char *params;        /* what follows the name in the help's Usage line: "FILE - simulate..." */
    const char *description;   /* the help's text after the options; NULL for none */
    int min_args;              /* arguments after the options, at least (FILE...) */
    int max_args;              /* at most; -1 for any number */
    const char *args_error;    /* the usage error when their count is off */
    const char *args_missing;  /* the usage error when there are too few; NULL: args_error */
    /* Parses argv (argv[0] is the name) with cli_parse and runs the command; returns the exit status. */
    int (*main)(const CliCommand *cmd, int argc, char **argv);
};

/* Every subcommand, in the order an unknown command's message lists them. A new subcommand is its
 * file cmd_NAME.c (defining cli_cmd_NAME), one X(NAME) line here and its line in meson.build. */
#define CLI_COMMANDS(X) \
    X(run)                \
    X(graph)              \
    X(compare)            \
    X(trace)              \
    X(report)             \
    X(sweep)              \
    X(generate)           \
    X(validate)           \
    X(version)            \
    X(import)             \
    X(check)              \
    X(live)               \
    X(help)
#define CLI_DECLARE_COMMAND(name) extern const CliCommand cli_cmd_##name;
CLI_COMMANDS(CLI_DECLARE_COMMAND)
#undef CLI_DECLARE_COMMAND

/* The command named name (help included when with_help), NULL when none. O(commands). */
const CliCommand *cli_command_find(const char *name, gboolean with_help);
/* Prints that name is no command, listing the commands; returns status 2. */
int cli_command_unknown(const char *name);
/* The text of `arsim help`: the commands, examples and exit statuses (cmd_help.c). */
const char *cli_overview(void);

/* The flags several commands share, written once in the shared option table (options.c). */
typedef enum CliFlag {
    CLI_OUTPUT,      /* -o, --output FILE */
    CLI_JSON,        /* --json */
    CLI_SET,         /* --set PATH=VALUE, repeatable */
    CLI_SEED,        /* --seed N */
    CLI_UNTIL,       /* --until T */
    CLI_MAX_EVENTS,  /* --max-events N */
    CLI_PREFIX,      /* --prefix A.B.C.D/LEN */
    CLI_JOBS,        /* -j, --jobs N */
    CLI_FLAG_COUNT
} CliFlag;

/* Where the shared flags land; zero-initialise (or CLI_COMMON_INIT), clear with g_auto. */
typedef struct CliCommon {
    char *output;        /* -o FILE, NULL: standard output */
    gboolean json;       /* --json */
    char **sets;         /* --set PATH=VALUE..., NULL-terminated, NULL when none */
    int seed;            /* --seed N */
    char *until;         /* --until T, as written */
    gint64 max_events;   /* --max-events N, 0: the engine's default */
    char *prefix;        /* --prefix A.B.C.D/LEN, as written */
    int jobs;            /* --jobs N, 0: one per core */
} CliCommon;
#define CLI_COMMON_INIT { .seed = 0 } /* 0: the seed the library uses when given none */

void cli_common_clear(CliCommon *c);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CliCommon, cli_common_clear)

/* The shared table's entry for flag f, storing into c; help and arg, when not NULL, replace the
 * table's help line and argument name (a command that says more about the flag). */
GOptionEntry cli_flag(CliCommon *c, CliFlag f, const char *help, const char *arg);
/* The last entry of an option array. */
#define CLI_END { NULL, 0, 0, 0, NULL, NULL, NULL }

/* Parses argv for cmd with entries (and more, when not NULL, after them): prints --help to stdout
 * (status 0), a bad option or a wrong count of arguments as a usage error (status 2). TRUE when the
 * command should run; otherwise FALSE with *status set. */
gboolean cli_parse(const CliCommand *cmd, const GOptionEntry *entries, const GOptionEntry *more, int *argc,
                   char ***argv, int *status);
/* Prints "arsim CMD: msg" and where to find help (cmd NULL: about arsim itself); returns status 2. */
int cli_usage_error(const char *cmd, const char *msg);

/* Loads one scenario for command `what` (its memory estimate is held against
 * settings.maxMemoryMiB), printing its diagnostics to err. NULL on errors. */
ArScenario *cli_load(const char *file, char **sets, ScnEstimateFor what, FILE *err);
/* Same, keeping the diagnostics in diags (for a report that shows the warnings). */
ArScenario *cli_load_keep(const char *file, char **sets, ScnEstimateFor what, ArDiagList *diags, FILE *err);

/* The check of every command that writes files, before any work: no output over an input or
 * another output (out_check_files). Returns an exit status; the message goes to err as
 * "arsim CMD: ...". */
int cli_check_files(const char *cmd, const ArFileArg *inputs, guint n_inputs, const ArFileArg *outputs,
                    guint n_outputs, FILE *err);

/* Why run stopped with routing still changing, as "FILE: ..." for a message: the event cap (with
 * the counts), or settings.maxTime (with what kept changing); NULL when it converged or stopped at
 * the --until the user asked for. g_free it. */
char *cli_stop_reason(const ArRun *run, const char *file);

/* Where a command streams its output: -o FILE (written to a temporary file, renamed when closed) or
 * out. NULL (message on err) when FILE cannot be created. */
ArOutStream *cli_open_output(const char *output, FILE *out, FILE *err);

/* Runs scn with the default settings; when it stops with routing still changing, says why on err
 * ("arsim: FILE: ...") and clears *converged. */
ArRun *cli_run(const ArScenario *scn, const char *file, int seed, gboolean *converged, FILE *err);
/* The same for two scenarios, run side by side when the machine allows (run_scenarios): *a gets
 * sa's run, *b sb's; messages in that order. */
void cli_run_pair(const ArScenario *sa, const char *file_a, const ArScenario *sb, const char *file_b, int seed, ArRun **a,
                  ArRun **b, gboolean *converged, FILE *err);

/* Draws run (options as given) to path in format (NULL: from path's extension), never over
 * protect. Returns an exit status; messages go to err. */
int cli_write_diagram(const ArRun *run, const ArGraphOptions *opt, const char *path, const char *format,
                      const char *protect, FILE *err);

/* Parses --prefix A.B.C.D/LEN; FALSE (message printed, "did you mean" for host bits) when bad. */
gboolean cli_parse_prefix(const char *cmd, const char *text, ArPrefix *p, FILE *err);

#endif
