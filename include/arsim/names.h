/* names.h - lists of names written compactly: "spoke1-spoke500" for a numbered run. */
#ifndef ARSIM_NAMES_H
#define ARSIM_NAMES_H

#include <glib.h>

/* The n names, in the order given, joined by ", ", with each run of one stem and consecutive
 * numbers ("spoke1", "spoke2", ..., "spoke500") written as its first and last joined by '-'
 * ("spoke1-spoke500"). After max_runs runs (0: no limit) the rest are counted: "..., and 12 more".
 * Caller frees. O(total length). */
char *names_ranges(const char *const *names, guint n, guint max_runs);

#endif
