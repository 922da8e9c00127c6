/* cli.h - the commands behind the arsim executable, callable from tests without a process. */
#ifndef ARSIM_CLI_H
#define ARSIM_CLI_H

#include <glib.h>
#include <stdio.h>

/* Exit statuses, as documented in --help. */
#define EXIT_OK 0
#define EXIT_DIFFERENT 1   /* compare: the two configurations differ */
#define EXIT_BAD_INPUT 2   /* bad scenario, bad arguments, unreadable or unwritable file */
#define EXIT_NO_CONVERGE 3 /* the simulation did not settle (event cap reached) */

/* Arguments of `arsim run`. */
typedef struct ArRunArgs {
    const char *file;          /* scenario file */
    char **sets;               /* NULL-terminated --set PATH=VALUE, may be NULL */
    gboolean json;             /* --json: one JSON document instead of tables */
    const char *node;          /* --node NAME: only this node (or VNet) */
    const char *learned;       /* --learned-routes NVA */
    const char *advertised;    /* --advertised-routes NVA */
    const char *output;        /* -o FILE: write there (atomically) instead of stdout */
} ArRunArgs;

int cmd_run(const ArRunArgs *a, FILE *out, FILE *err);
/* `arsim validate FILE...`: diagnostics to err, one summary line per valid file to out. */
int cmd_validate(char **files, char **sets, FILE *out, FILE *err);

#endif
