/* timefmt.h - durations as users write them: 90, 1.5, "250ms", "90s", "5m", "1h", "7d". */
#ifndef ARSIM_TIMEFMT_H
#define ARSIM_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

/* Parses seconds (fractions allowed) with an optional unit ms, s, m, h or d into microseconds.
 * false for anything else, negatives, or more than max_us. */
bool dur_parse(const char *s, uint64_t max_us, uint64_t *out_us);
/* Converts a number of seconds; same limits. */
bool dur_from_seconds(double secs, uint64_t max_us, uint64_t *out_us);

#endif
