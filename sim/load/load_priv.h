/* load_priv.h - what the loader's files share: --set overrides, validation, message helpers. */
#ifndef ARSIM_LOAD_PRIV_H
#define ARSIM_LOAD_PRIV_H

#include "arsim/diag.h"
#include "arsim/jsonpos.h"
#include "arsim/scenario.h"

#include <cjson/cJSON.h>
#include <glib.h>

/* Largest file read by default (ArLoadOptions.max_file_bytes changes it for scenarios). */
#define LOAD_DEFAULT_MAX_BYTES ((size_t)64 << 20)

/* Applies each "PATH=VALUE" of sets (NULL-terminated) to the tree. Replaced nodes are moved into
 * graveyard (a cJSON array the caller frees with the tree) rather than freed, so that no new node
 * can be allocated at an address the position index still maps. Problems are reported as file
 * "--set" without a line. O(total path length + elements scanned at each level). */
void load_apply_sets(cJSON *root, const char *const *sets, cJSON *graveyard, ArDiagList *diags);

/* Validates the tree (root must be an object) and builds the model. Every problem is appended to
 * diags with its position in file; returns the model even when errors were found (the caller
 * discards it then). O(n log n) in the number of objects and prefixes. */
ArScenario *load_validate(const char *file, const cJSON *root, const JPosIndex *ix, ScnEstimateFor estimate_for,
                          ArDiagList *diags);

/* Reads the file at path, at most max bytes (a larger one is an error). NULL (diagnostic added)
 * when it cannot be read. O(file size). */
GString *load_read(const char *path, size_t max, ArDiagList *diags);

/* Checks text is JSON (size, NUL bytes, UTF-8, syntax, with the hints of scenario files) and parses
 * it; *ix receives the position index of the tree, with lazy_index one built when first asked
 * (the tree must then stay as parsed until the last question: no --set overrides). NULL
 * (diagnostic added, "expected EXPECT" for an empty text) when it is not. O(len). */
cJSON *load_parse_text(const char *name, const char *text, size_t len, size_t max, const char *expect,
                       gboolean lazy_index, JPosIndex **ix, ArDiagList *diags);

/* "known: ..." lists in messages: at most LOAD_KNOWN_MAX names (the rest counted), each escaped and
 * cut after LOAD_KNOWN_NAME_BYTES bytes, so that bad names cannot make a line of megabytes or pass
 * terminal escapes through. */
#define LOAD_KNOWN_MAX 12
#define LOAD_KNOWN_NAME_BYTES 64

/* Appends s to q for a message, escaped and cut as load_quote does, without the quotes (names in
 * "known: ..." lists). */
void load_append_escaped(GString *q, const char *s, size_t max);

/* Quotes s for a message: adds double quotes, escapes quotes, backslashes and control bytes, and
 * cuts it after max bytes (with "...") so that a huge or binary string cannot flood the output. */
char *load_quote(const char *s, size_t max);

/* Offset of the first \u0000 escape in JSON text (cJSON ends the string there, so "a\u0000b" would
 * be read as "a" and slip past name and key checks), or -1. A backslash escapes the next byte,
 * so "\\u0000" (a backslash, then text) is not one. O(len). */
long load_nul_escape(const char *text, size_t len);

/* "a string", "an array", ... for "expected X, got Y" messages. */
const char *load_type_name(const cJSON *v);

#endif
