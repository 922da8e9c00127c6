/* loader.h - scenario files to a validated model: parse, apply --set overrides, validate. */
#ifndef ARSIM_LOADER_H
#define ARSIM_LOADER_H

#include "arsim/diag.h"
#include "arsim/jsonpos.h"
#include "arsim/scenario.h"

#include <stddef.h>

/* Options of one load. Zero-initialised is valid (no overrides, default limits). */
typedef struct ArLoadOptions {
    const char *const *sets; /* NULL-terminated "PATH=VALUE" overrides applied before validation */
    size_t max_file_bytes;   /* refuse larger files; 0 = default (64 MiB) */
    ScnEstimateFor estimate_for; /* the command that will use the scenario: its memory estimate is held
                                  * against settings.maxMemoryMiB (default SCN_EST_RUN) */
} ArLoadOptions;

/* Reads, parses and validates one scenario file. Every problem found is appended to diags (errors
 * and warnings, positions as FILE:LINE:COL and a JSON pointer). Returns the model, or NULL when
 * diags holds at least one error. Never aborts on bad input. */
ArScenario *load_file(const char *path, const ArLoadOptions *opts, ArDiagList *diags);

/* Same, from text in memory; name is used in messages. text need not be NUL-terminated. */
ArScenario *load_text(const char *name, const char *text, size_t len, const ArLoadOptions *opts,
                      ArDiagList *diags);

/* Reads any JSON file with the checks and messages of scenario files (size up to 64 MiB, UTF-8,
 * syntax with line:column); *ix receives the positions of its nodes (free both). NULL with
 * diagnostics when it is not JSON; expect says what the file should be ("expected ..."). */
cJSON *load_json_file(const char *path, const char *expect, JPosIndex **ix, ArDiagList *diags);

#endif
