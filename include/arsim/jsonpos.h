/* jsonpos.h - from cJSON nodes and byte offsets back to line:column in the source text. */
#ifndef ARSIM_JSONPOS_H
#define ARSIM_JSONPOS_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stddef.h>

/* cJSON keeps no positions. A JPosIndex re-scans the text that cJSON parsed successfully, in step
 * with the tree (both are in document order), and records for every node where its value starts
 * and where its key starts. Built once per file in O(text length). */
typedef struct JPosIndex JPosIndex;

JPosIndex *jpos_index_new(const char *text, size_t len, const cJSON *root);
/* The same index, built only when first asked (jpos_offset, jpos_line_col): a file without errors
 * costs a copy of its text, not a hash entry per node. The tree must stay as parsed until then
 * (no --set overrides) and alive. */
JPosIndex *jpos_index_lazy(const char *text, size_t len, const cJSON *root);
void jpos_index_free(JPosIndex *ix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(JPosIndex, jpos_index_free)

/* Byte offset of the node's value (key = FALSE) or of its key in its parent object (key = TRUE);
 * -1 if unknown. O(1). */
long jpos_offset(const JPosIndex *ix, const cJSON *node, gboolean key);
/* Converts a byte offset to 1-based line and column. O(log lines). */
void jpos_line_col(const JPosIndex *ix, long offset, int *line, int *col);
/* Same conversion without an index, for cJSON syntax errors. O(offset). */
void jpos_line_col_of(const char *text, size_t len, size_t offset, int *line, int *col);

/* Appends one reference token to a JSON pointer with RFC 6901 escaping ('~' -> "~0", '/' -> "~1"). */
void jpos_pointer_append(GString *ptr, const char *token);

#endif
